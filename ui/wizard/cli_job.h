#pragma once
// One `fabula-cli ... --json` child: prepare, eval and generate run there, so
// the wizard's window never waits on the engine and a crash in it costs
// nothing but the answer. The result is the JSON object the child prints last.
#include <QJsonObject>
#include <QObject>
#include <QStringList>

class QProcess;

namespace fabula::ui {

class CliJob : public QObject {
    Q_OBJECT
public:
    explicit CliJob(QObject* parent = nullptr);
    ~CliJob() override; // a child still running is killed: its answer has no reader any more

    // TrainingRun::cliPath(): $FABULA_CLI, else fabula-cli beside the app.
    static QString program();

    // Starts `fabula-cli args...` (args carry --json); a job still running is cancelled first.
    void start(const QStringList& args);
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    void finished(const QJsonObject& result);
    void failed(const QString& message);

private:
    void onFinished(int exitCode, bool crashed);

    QProcess* process_ = nullptr;
};

} // namespace fabula::ui
