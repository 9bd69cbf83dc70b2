#pragma once
// One fine-tuning run seen from the app: starts `fabula-cli train` as a
// detached child (its own session, nice 10), follows RUN/events.jsonl and
// RUN/train.lock, and turns them into typed signals. Widgets never read the
// process or the files; a run still going after the app restarts is
// re-attached with attach(). The events are training/train_contract.h's.
#include <QObject>
#include <QString>
#include <QVariantMap>

#include <memory>

namespace fabula::training {
struct TrainOptions;
}

namespace fabula::ui {

struct RunStart {
    qint64 totalSteps = 0, stepsPerEpoch = 0, trainTokens = 0;
    int threads = 0;
    QString device, precision, runDir;
};

struct RunStep {
    qint64 step = 0, totalSteps = 0;
    double epoch = 0, loss = 0, lr = 0, gradNorm = 0, tokensPerSecond = 0, etaSeconds = 0;
};

struct RunEval {
    qint64 step = 0;
    double loss = 0, perplexity = 0;
};

class TrainingRun : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Starting, Training, Pausing, Paused, Finished, Stopped, Failed };
    Q_ENUM(State)

    explicit TrainingRun(QObject* parent = nullptr);
    ~TrainingRun() override; // never stops the child: closing the app keeps training unless pause() was asked

    // fabula-cli beside the running executable (build tree and installed layout).
    static QString cliPath();

    // Starts `fabula-cli train --options FILE --events RUN/events.jsonl`
    // with `options` (to_options_json). A fresh run folder may hold only the
    // contract's files when the trainer checks it, so FILE is a temporary
    // one, kept as RUN/options.json (what resume() reads) once it started.
    void start(const training::TrainOptions& options);
    // Follows a run folder that may still be training (or finished/stopped):
    // replays RUN/events.jsonl, then follows new lines while the lock's pid lives.
    void attach(const QString& runDir);
    void pause();  // SIGINT to the child: it checkpoints after the step and stops (resume() continues)
    void resume(); // the same options with "resume": true
    void cancel(); // SIGINT, then the run stays on disk (the caller may remove it)

    State state() const;
    QString runDir() const;
    bool isAlive() const; // the lock's pid is running
    // The process ended without a done, stopped or error event: killed, a
    // crash, a reboot. Such a run is reported as stopped and resumable.
    bool diedUnreported() const;

Q_SIGNALS:
    void started(const fabula::ui::RunStart& start);
    void stepLogged(const fabula::ui::RunStep& step);
    void evaluated(const fabula::ui::RunEval& eval);
    void checkpointSaved(qint64 step, const QString& path);
    void finished(const QString& modelDir);
    void stopped(qint64 step, const QString& checkpoint); // paused, cancelled, or the child died (kill -9)
    void failed(const QString& message);
    void warning(const QString& message);
    void stateChanged(fabula::ui::TrainingRun::State state);
    // The child is gone and its folder no longer followed: only now may the
    // folder be removed (a stopped event comes while the child still exits).
    void exited();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace fabula::ui

Q_DECLARE_METATYPE(fabula::ui::RunStart)
Q_DECLARE_METATYPE(fabula::ui::RunStep)
Q_DECLARE_METATYPE(fabula::ui::RunEval)
