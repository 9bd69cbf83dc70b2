#pragma once
// The app's training runs: each is a row in the store and, while its process
// lives or it may be resumed, a TrainingRun following its folder. This object
// keeps the two in step (status and metrics summary as the events arrive), so
// neither the wizard nor the Runs view writes run rows itself. At start it
// re-attaches runs still training and marks the ones whose process died
// without a word as interrupted, to be offered for resuming.
#include "ui/training_run.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

namespace fabula::ui {

class StoreClient;

// What the store records with a new run besides its options.
struct RunInfo {
    QString name;
    std::optional<qint64> baseModelId, parentRunId;
    QString dataFingerprint;
};

class RunLibrary : public QObject {
    Q_OBJECT
public:
    explicit RunLibrary(StoreClient* store, QObject* parent = nullptr);

    // At start: see the class comment. interruptedFound and runsChanged follow.
    void recover();
    // Records a new run and starts it; done(id) once the row exists. The
    // returned run emits its signals as any other.
    // beforeStart(run) runs before the child is launched, so a view can
    // connect to the run without missing what starting says at once.
    TrainingRun* start(const training::TrainOptions& options, const RunInfo& info,
                       std::function<void(qint64)> done = {},
                       std::function<void(TrainingRun*)> beforeStart = {});
    // Continues a paused, stopped or interrupted run from its newest checkpoint.
    TrainingRun* resume(qint64 id, const QString& runDir);
    // The TrainingRun of a run this session follows, if any.
    TrainingRun* run(qint64 id) const;
    bool anyTraining() const; // some child is still training
    void pauseAll();          // each training child checkpoints and stops
    // Removes the run's folder (only the files a run folder holds, see
    // removeRunFolder) and its row; done(error), error empty on success.
    void remove(qint64 id, const QString& runDir, std::function<void(const QString&)> done);
    // Registers a finished run's model under name and records it as the
    // run's result, in one store job; done(model id) or failed(message).
    void useResult(qint64 id, const QString& name, const QString& modelDir, std::function<void(qint64)> done,
                   std::function<void(const QString&)> failed = {});

    // Removes what a run writes into its folder: fabula.json, metrics.jsonl,
    // events.jsonl, options.json, train.lock, checkpoints/step-N and model/
    // (each only as far as Fabula wrote it), then the folder once empty.
    // Anything else stays; false when something was left.
    static bool removeRunFolder(const QString& runDir);

Q_SIGNALS:
    void runsChanged();
    void interruptedFound(const QList<qint64>& ids, const QStringList& names, const QStringList& dirs);
    // A live run's latest step, for views that show progress between writes.
    void progress(qint64 id, qint64 step, qint64 totalSteps, double loss);

private:
    void adopt(qint64 id, TrainingRun* run, const QJsonObject& metrics);
    void record(qint64 id, std::optional<int> status); // status: a fabula::TrainingStatus

    StoreClient* store_;
    QHash<qint64, TrainingRun*> runs_;
    QHash<qint64, QJsonObject> metrics_;
};

} // namespace fabula::ui
