#include "ui/wizard/cli_job.h"
#include "ui/training_run.h"

#include <QJsonDocument>
#include <QProcess>

namespace fabula::ui {

CliJob::CliJob(QObject* parent) : QObject(parent) {}

CliJob::~CliJob() { cancel(); }

QString CliJob::program() { return TrainingRun::cliPath(); }

bool CliJob::isRunning() const { return process_ && process_->state() != QProcess::NotRunning; }

void CliJob::cancel() {
    if (!process_) return;
    QProcess* p = process_;
    process_ = nullptr;
    p->disconnect(this);
    if (p->state() != QProcess::NotRunning) {
        p->kill();
        // Reaped when it has gone, without blocking the window.
        connect(p, &QProcess::finished, p, &QObject::deleteLater);
    } else {
        p->deleteLater();
    }
}

void CliJob::start(const QStringList& args) {
    cancel();
    auto* p = new QProcess(this);
    process_ = p;
    connect(p, &QProcess::finished, this, [this, p](int code, QProcess::ExitStatus status) {
        if (p != process_) return;
        onFinished(code, status == QProcess::CrashExit);
    });
    connect(p, &QProcess::errorOccurred, this, [this, p](QProcess::ProcessError error) {
        if (p != process_ || error != QProcess::FailedToStart) return;
        process_ = nullptr;
        p->deleteLater();
        Q_EMIT failed(tr("Could not start %1: %2").arg(program(), p->errorString()));
    });
    p->start(program(), args);
}

void CliJob::onFinished(int exitCode, bool crashed) {
    QProcess* p = process_;
    process_ = nullptr;
    p->deleteLater();
    const QString err = QString::fromUtf8(p->readAllStandardError()).trimmed();
    if (crashed || exitCode != 0) {
        // The CLI's last lines say what went wrong and name the file.
        QStringList lines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        while (lines.size() > 3) lines.removeFirst();
        const QString why = lines.isEmpty() ? (crashed ? tr("it crashed") : tr("it exited with code %1").arg(exitCode))
                                            : lines.join(QLatin1Char('\n'));
        Q_EMIT failed(why);
        return;
    }
    const QList<QByteArray> out = p->readAllStandardOutput().trimmed().split('\n');
    QJsonParseError e{};
    const QJsonDocument doc = QJsonDocument::fromJson(out.isEmpty() ? QByteArray() : out.last(), &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject()) {
        Q_EMIT failed(tr("fabula-cli printed no result (%1)").arg(e.errorString()));
        return;
    }
    Q_EMIT finished(doc.object());
}

} // namespace fabula::ui
