// TrainingRun against real `fabula-cli train` children and hand-written
// events files: the signals of a run, pause and resume ending with the
// weights of an uninterrupted run, kill -9 reported as stopped and resumable,
// an editor that keeps working while a child trains, re-attaching to a run
// that outlived its TrainingRun, and interrupted runs found at start.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/store/store.h"
#include "training/train_contract.h"
#include "training/trainer.h"
#endif
#include "ui/document_manager.h"
#include "ui/editor.h"
#include "ui/main_window.h"
#include "ui/run_charts.h"
#include "ui/run_library.h"
#include "ui/runs_dialog.h"
#include "ui/runs_model.h"
#include "ui/store_client.h"
#include "ui/training_run.h"
#include "test_support.h"

#include <QFile>
#include <QAbstractButton>
#include <QLabel>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

#include <csignal>
#include <memory>

#include <cerrno>

#include <sys/resource.h>
#include <unistd.h>

using namespace fabula::ui;
namespace training = fabula::training;
using fabula::NewTrainingRun;
using fabula::Store;
using fabula::TrainingStatus;

namespace {

constexpr int kRunTimeoutMs = 180000;

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void append(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    f.write(bytes);
}

// The steps logged, in order.
QList<qint64> steps(const QSignalSpy& spy) {
    QList<qint64> out;
    for (const auto& args : spy) out << qvariant_cast<RunStep>(args.at(0)).step;
    return out;
}

QList<qint64> oneTo(qint64 n) {
    QList<qint64> out;
    for (qint64 i = 1; i <= n; ++i) out << i;
    return out;
}

#ifndef Q_MOC_RUN // moc's tokenizer does not know raw strings
// The hand-written events: a start, a step, a line that is no event, and
// half of the next step; then the rest of the run; and a run that crashed.
const QByteArray kFixtureHead =
    R"({"event":"step","step":1,"total_steps":3,"epoch":0.33,"loss":9.5,"lr":5e-05,"grad_norm":1.5,"tokens_per_second":100,"eta_seconds":2})" "\n"
    "not json at all\n"
    R"({"event":"step","step":2,"total_st)";
const QByteArray kFixtureTail =
    R"(eps":3,"epoch":0.66,"loss":9.1,"lr":4e-05,"grad_norm":1.2,"tokens_per_second":100,"eta_seconds":1})" "\n"
    R"({"event":"eval","step":2,"loss":9.0,"perplexity":8103.08})" "\n"
    R"({"event":"checkpoint","step":2,"path":"/x/checkpoints/step-2"})" "\n"
    R"({"event":"step","step":3,"total_steps":3,"epoch":1,"loss":8.8,"lr":0,"grad_norm":1,"tokens_per_second":100,"eta_seconds":0})" "\n"
    R"({"event":"done","steps":3,"model":"/x/model"})" "\n";
const QByteArray kCrashed =
    R"({"event":"start","total_steps":6,"steps_per_epoch":6,"device":"cpu","precision":"fp32","threads":1,"train_tokens":400,"run":"x"})" "\n"
    R"({"event":"step","step":1,"total_steps":6,"epoch":0.1,"loss":9.5,"lr":5e-05,"grad_norm":1.5,"tokens_per_second":100,"eta_seconds":2})" "\n";
QByteArray fixtureStart(const QString& run) {
    return R"({"event":"start","total_steps":3,"steps_per_epoch":3,"device":"cpu","precision":"fp32","threads":1,"train_tokens":400,"run":")" +
           run.toUtf8() + "\"}\n";
}
#else
extern const QByteArray kFixtureHead, kFixtureTail, kCrashed;
QByteArray fixtureStart(const QString& run);
#endif

// The pid of a process that has ended: a lock left behind by a crash.
qint64 deadPid() {
    QProcess p;
    p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("echo $$")});
    p.waitForFinished();
    return p.readAllStandardOutput().trimmed().toLongLong();
}

} // namespace

class TestTrainingRun : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    QString model_, stories_;
    int runs_ = 0;

    training::TrainOptions options(int steps) {
        training::TrainOptions o;
        o.model_dir = model_.toStdString();
        o.data = stories_.toStdString();
        o.out = dir_.filePath(QStringLiteral("run-%1").arg(++runs_)).toStdString();
        o.max_steps = steps;
        o.block_size = 64;
        o.save_every = 2;
        return o;
    }
    static QString runDir(const training::TrainOptions& o) { return QString::fromStdString(o.out.string()); }
    static QString weights(const QString& run) { return QDir(run).filePath(QStringLiteral("model/model.safetensors")); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        stories_ = QStringLiteral(FABULA_TEST_STORIES);
        if (!QFileInfo::exists(stories_)) QSKIP("the shared story collection is not here");
        QVERIFY2(QFileInfo(TrainingRun::cliPath()).isExecutable(), qPrintable(TrainingRun::cliPath()));
        qputenv("XDG_CACHE_HOME", dir_.filePath(QStringLiteral("cache")).toLocal8Bit()); // the children's token cache
        qputenv("FABULA_AUTOSAVE_MS", "150");
        model_ = dir_.filePath(QStringLiteral("tiny-gpt2"));
        QVERIFY(test::makeModel(model_));
    }

    void init() { qunsetenv("FABULA_TEST_STEP_DELAY_MS"); }

    // A hand-written events file followed while "its process" (this one,
    // by the lock) lives: a torn last line waits until it is complete, a
    // line that is no event is skipped with a warning.
    void followsEventsAndTornLines() {
        const QString run = dir_.filePath(QStringLiteral("fixture"));
        QVERIFY(QDir().mkpath(run));
        const QString events = QDir(run).filePath(QStringLiteral("events.jsonl"));
        training::write_train_lock(run.toStdString());
        append(events, fixtureStart(run) + kFixtureHead);
        TrainingRun r;
        QSignalSpy started(&r, &TrainingRun::started), stepped(&r, &TrainingRun::stepLogged),
            warned(&r, &TrainingRun::warning), evaluated(&r, &TrainingRun::evaluated),
            saved(&r, &TrainingRun::checkpointSaved), finished(&r, &TrainingRun::finished);
        r.attach(run);
        QCOMPARE(started.count(), 1);
        const auto s = qvariant_cast<RunStart>(started.at(0).at(0));
        QCOMPARE(s.totalSteps, 3);
        QCOMPARE(s.trainTokens, 400);
        QCOMPARE(s.device, QStringLiteral("cpu"));
        QCOMPARE(steps(stepped), QList<qint64>{1});
        QCOMPARE(qvariant_cast<RunStep>(stepped.at(0).at(0)).loss, 9.5);
        QCOMPARE(warned.count(), 1);
        QVERIFY(warned.at(0).at(0).toString().contains(QStringLiteral("events.jsonl")));
        QCOMPARE(r.state(), TrainingRun::State::Training);
        QVERIFY(r.isAlive());

        append(events, kFixtureTail);
        QVERIFY(finished.wait(10000));
        QCOMPARE(steps(stepped), (QList<qint64>{1, 2, 3}));
        QCOMPARE(evaluated.count(), 1);
        QCOMPARE(qvariant_cast<RunEval>(evaluated.at(0).at(0)).perplexity, 8103.08);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.at(0).at(0).toLongLong(), 2);
        QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("/x/model"));
        QCOMPARE(r.state(), TrainingRun::State::Finished);
        QCOMPARE(warned.count(), 1);
        training::remove_train_lock(run.toStdString());
        QVERIFY(!r.isAlive());
    }

    // (a) One started, one stepLogged per step, finished with the model.
    void runReportsEveryStepAndFinishes() {
        const auto o = options(4);
        TrainingRun r;
        QSignalSpy started(&r, &TrainingRun::started), stepped(&r, &TrainingRun::stepLogged),
            finished(&r, &TrainingRun::finished), failed(&r, &TrainingRun::failed);
        r.start(o);
        QCOMPARE(r.state(), TrainingRun::State::Starting);
        QVERIFY(finished.wait(kRunTimeoutMs) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(started.count(), 1);
        QCOMPARE(qvariant_cast<RunStart>(started.at(0).at(0)).totalSteps, 4);
        QCOMPARE(steps(stepped), oneTo(4));
        QCOMPARE(r.state(), TrainingRun::State::Finished);
        QVERIFY(QFileInfo(weights(runDir(o))).isFile());
        QCOMPARE(QDir(finished.at(0).at(0).toString()).canonicalPath(),
                 QDir(QDir(runDir(o)).filePath(QStringLiteral("model"))).canonicalPath());
        // The settings stay with the run, for resume.
        QVERIFY(QFileInfo::exists(QDir(runDir(o)).filePath(QStringLiteral("options.json"))));
        QTRY_VERIFY_WITH_TIMEOUT(!r.isAlive(), 30000);
    }

    // (b) Pause, then resume: the same weights as the run without a pause.
    void pauseThenResumeGivesTheSameWeights() {
        const auto straight = options(6);
        {
            TrainingRun r;
            QSignalSpy finished(&r, &TrainingRun::finished);
            r.start(straight);
            QVERIFY(finished.wait(kRunTimeoutMs));
        }
        auto paused = options(6);
        qputenv("FABULA_TEST_STEP_DELAY_MS", "300");
        TrainingRun r;
        QSignalSpy stepped(&r, &TrainingRun::stepLogged), stopped(&r, &TrainingRun::stopped),
            finished(&r, &TrainingRun::finished), started(&r, &TrainingRun::started);
        connect(&r, &TrainingRun::stepLogged, &r, [&r](const RunStep& s) {
            if (s.step == 2 && r.state() == TrainingRun::State::Training) r.pause();
        });
        r.start(paused);
        QVERIFY(stopped.wait(kRunTimeoutMs));
        QCOMPARE(r.state(), TrainingRun::State::Paused);
        QVERIFY(!stopped.at(0).at(1).toString().isEmpty()); // its checkpoint
        const qint64 stoppedAt = stopped.at(0).at(0).toLongLong();
        QVERIFY(stoppedAt >= 2 && stoppedAt < 6);
        QVERIFY(finished.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!r.isAlive(), 30000);
        qunsetenv("FABULA_TEST_STEP_DELAY_MS");
        r.resume();
        QVERIFY(finished.wait(kRunTimeoutMs));
        QCOMPARE(started.count(), 2);
        QCOMPARE(steps(stepped).last(), 6);
        const QByteArray a = readAll(weights(runDir(straight))), b = readAll(weights(runDir(paused)));
        QVERIFY(!a.isEmpty());
        QVERIFY2(a == b, "the paused and resumed run ended with other weights");
    }

    // (c) kill -9 is reported as stopped, and the run resumes to the end.
    void killedChildIsStoppedAndResumable() {
        const auto o = options(6);
        qputenv("FABULA_TEST_STEP_DELAY_MS", "300");
        TrainingRun r;
        QSignalSpy stopped(&r, &TrainingRun::stopped), finished(&r, &TrainingRun::finished),
            failed(&r, &TrainingRun::failed);
        qint64 killed = 0;
        connect(&r, &TrainingRun::checkpointSaved, &r, [&](qint64) {
            if (killed) return;
            const auto pid = training::lock_holder(runDir(o).toStdString());
            QVERIFY(pid.has_value());
            killed = *pid;
            ::kill(pid_t(*pid), SIGKILL);
        });
        r.start(o);
        QVERIFY(stopped.wait(kRunTimeoutMs));
        QVERIFY(killed > 0);
        QVERIFY(failed.isEmpty());
        QCOMPARE(r.state(), TrainingRun::State::Stopped);
        QVERIFY(r.diedUnreported());
        QVERIFY(!r.isAlive());
        QVERIFY(stopped.at(0).at(1).toString().contains(QStringLiteral("step-")));
        QVERIFY(finished.isEmpty());
        qunsetenv("FABULA_TEST_STEP_DELAY_MS");
        r.resume();
        QVERIFY(finished.wait(kRunTimeoutMs));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(QFileInfo(weights(runDir(o))).isFile());
    }

    // (d) The editor works while a child trains: typed keys reach the
    // document and autosave stores them, with the run still going; the
    // run's row is kept in step by the window's RunLibrary.
    void editorKeepsWorkingWhileTraining() {
        const QString db = dir_.filePath(QStringLiteral("library/fabula.sqlite"));
        MainWindowOptions wo;
        wo.databasePath = db;
        wo.askForModel = false;
        MainWindow w(wo);
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.documents()->currentDraft() != 0, 30000);
        qputenv("FABULA_TEST_STEP_DELAY_MS", "400");
        auto o = options(40); // paused long before its end
        qint64 id = 0;
        TrainingRun* run = w.trainingRuns()->start(o, RunInfo{QStringLiteral("While writing"), {}, {}, QStringLiteral("fp")},
                                                   [&id](qint64 i) { id = i; });
        QSignalSpy stepped(run, &TrainingRun::stepLogged), finished(run, &TrainingRun::finished);
        QVERIFY(stepped.wait(kRunTimeoutMs));
        QVERIFY(run->isAlive());
        QSignalSpy saved(w.documents(), &DocumentManager::draftSaved);
        w.editor()->setFocus();
        QTest::keyClicks(w.editor(), QStringLiteral("Typed while the model trains."));
        QVERIFY(saved.wait(30000)); // autosave, not a save we asked for
        QVERIFY(run->isAlive());
        QVERIFY(finished.isEmpty());
        w.store()->waitForIdle();
        {
            Store fresh(db.toStdString());
            QCOMPARE(QString::fromStdString(fresh.get_draft(w.documents()->currentDraft())->body),
                     QStringLiteral("Typed while the model trains."));
            QVERIFY(id != 0);
            const auto row = fresh.get_training_run(id);
            QVERIFY(row.has_value());
            QCOMPARE(QString::fromStdString(row->name), QStringLiteral("While writing"));
            QVERIFY(row->status == TrainingStatus::Running);
        }
        qunsetenv("FABULA_TEST_STEP_DELAY_MS");
        // Closing while it trains asks; pausing checkpoints and stops it.
        QSignalSpy stopped(run, &TrainingRun::stopped);
        QTimer::singleShot(0, &w, [&w] { w.close(); });
        QTRY_VERIFY(w.findChild<QMessageBox*>(QStringLiteral("quitWhileTraining")));
        auto* box = w.findChild<QMessageBox*>(QStringLiteral("quitWhileTraining"));
        box->findChild<QAbstractButton*>(QStringLiteral("pauseTraining"))->click();
        QVERIFY(stopped.wait(kRunTimeoutMs));
        QCOMPARE(run->state(), TrainingRun::State::Paused);
        QTRY_VERIFY_WITH_TIMEOUT(!w.isVisible(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!run->isAlive(), 30000);
        w.store()->waitForIdle();
        QTRY_VERIFY_WITH_TIMEOUT(Store(db.toStdString()).get_training_run(id)->status == TrainingStatus::Paused, 10000);
    }

    // (e) A run that outlives its TrainingRun is re-attached: the replay,
    // then the steps still to come, and the end.
    void reattachesToARunStillGoing() {
        const auto o = options(8);
        qputenv("FABULA_TEST_STEP_DELAY_MS", "300");
        {
            auto first = std::make_unique<TrainingRun>();
            QSignalSpy stepped(first.get(), &TrainingRun::stepLogged);
            first->start(o);
            QVERIFY(stepped.wait(kRunTimeoutMs));
        } // destroyed while its child trains on
        const auto pid = training::lock_holder(runDir(o).toStdString());
        QVERIFY(pid.has_value());
        // Detached: its own session (closing the app sends it nothing), at nice 10.
        QCOMPARE(::getsid(pid_t(*pid)), pid_t(*pid));
        errno = 0;
        QVERIFY(::getpriority(PRIO_PROCESS, id_t(*pid)) >= 10);
        TrainingRun again;
        QSignalSpy stepped(&again, &TrainingRun::stepLogged), finished(&again, &TrainingRun::finished),
            started(&again, &TrainingRun::started);
        again.attach(runDir(o));
        QCOMPARE(started.count(), 1);
        QVERIFY(!stepped.isEmpty());
        QVERIFY(again.isAlive());
        const qint64 replayed = stepped.count();
        QVERIFY(finished.wait(kRunTimeoutMs));
        QVERIFY(stepped.count() > replayed || replayed == 8);
        QCOMPARE(steps(stepped), oneTo(8));
        QCOMPARE(again.state(), TrainingRun::State::Finished);
    }

    // (f) At start, a run recorded as training whose process is gone (a
    // stale lock, events without an end) becomes interrupted and is offered.
    void interruptedRunIsMarkedAndOffered() {
        const QString run = dir_.filePath(QStringLiteral("crashed"));
        QVERIFY(QDir().mkpath(run));
        append(QDir(run).filePath(QStringLiteral("events.jsonl")),
               kCrashed);
        const qint64 dead = deadPid();
        QVERIFY(dead > 0);
        append(QDir(run).filePath(QStringLiteral("train.lock")), QByteArray::number(dead) + "\n");
        QVERIFY(!training::lock_holder(run.toStdString()));

        const QString db = dir_.filePath(QStringLiteral("interrupted/fabula.sqlite"));
        QVERIFY(QDir().mkpath(QFileInfo(db).absolutePath()));
        qint64 crashed = 0, finishedRun = 0;
        {
            Store s(db.toStdString());
            NewTrainingRun n;
            n.name = "Crashed run";
            n.out_dir = run.toStdString();
            crashed = s.add_training_run(n);
            finishedRun = s.add_training_run(std::nullopt, "/runs/done", TrainingStatus::Finished);
        }
        MainWindowOptions wo;
        wo.databasePath = db;
        wo.askForModel = false;
        MainWindow w(wo);
        QSignalSpy found(w.trainingRuns(), &RunLibrary::interruptedFound);
        QVERIFY(found.wait(30000));
        QCOMPARE(found.at(0).at(0).value<QList<qint64>>(), QList<qint64>{crashed});
        QCOMPARE(found.at(0).at(1).toStringList(), QStringList{QStringLiteral("Crashed run")});
        QTRY_VERIFY(w.findChild<QMessageBox*>(QStringLiteral("interruptedRuns")));
        w.store()->waitForIdle();
        Store s(db.toStdString());
        QVERIFY(s.get_training_run(crashed)->status == TrainingStatus::Interrupted);
        QVERIFY(s.get_training_run(finishedRun)->status == TrainingStatus::Finished);
        // The Runs view lists both, and offers Resume for the interrupted one only.
        QSignalSpy refreshed(w.runsModel(), &RunsModel::refreshed);
        RunsDialog dialog(w.runsModel(), w.trainingRuns(), &w);
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(w.runsModel()->rowCount(), 2);
        auto* resume = dialog.findChild<QPushButton*>(QStringLiteral("resumeRun"));
        QVERIFY(resume);
        for (int row = 0; row < 2; ++row) {
            dialog.view()->selectRow(row);
            const bool isCrashed = w.runsModel()->rowAt(row).id == crashed;
            QCOMPARE(w.runsModel()->index(row, RunsModel::StatusColumn).data().toString(),
                     isCrashed ? QStringLiteral("Interrupted") : QStringLiteral("Finished"));
            QCOMPARE(resume->isEnabled(), isCrashed);
        }
    }

    // The Runs view draws the selected run's curves from its events file:
    // every step's loss and every eval's perplexity, a line that is no event
    // skipped and named; another run replaces them, one without a file says so.
    void runsDialogShowsSelectedRunsCurves() {
        const QString charted = dir_.filePath(QStringLiteral("charted"));
        QVERIFY(QDir().mkpath(charted));
        append(QDir(charted).filePath(QStringLiteral("events.jsonl")), fixtureStart(charted) + kFixtureHead + kFixtureTail);
        const QString empty = dir_.filePath(QStringLiteral("no-events"));
        QVERIFY(QDir().mkpath(empty));

        const QString db = dir_.filePath(QStringLiteral("charts/fabula.sqlite"));
        QVERIFY(QDir().mkpath(QFileInfo(db).absolutePath()));
        qint64 chartedId = 0;
        {
            Store s(db.toStdString());
            chartedId = s.add_training_run(std::nullopt, charted.toStdString(), TrainingStatus::Finished);
            s.add_training_run(std::nullopt, empty.toStdString(), TrainingStatus::Finished);
        }
        MainWindowOptions wo;
        wo.databasePath = db;
        wo.askForModel = false;
        MainWindow w(wo);
        QSignalSpy refreshed(w.runsModel(), &RunsModel::refreshed);
        RunsDialog dialog(w.runsModel(), w.trainingRuns(), &w);
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(w.runsModel()->rowCount(), 2);
        const int chartedRow = w.runsModel()->rowAt(0).id == chartedId ? 0 : 1;
        RunCharts* charts = dialog.charts();
        QVERIFY(charts);
        auto* note = dialog.findChild<QLabel*>(QStringLiteral("curvesNote"));
        QVERIFY(note);
        QCOMPARE(charts->lossSeries()->count(), 0);

        dialog.view()->selectRow(chartedRow);
        QTRY_COMPARE_WITH_TIMEOUT(charts->lossSeries()->count(), 3, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(charts->perplexitySeries()->count(), 1, 10000);
        const QList<QPointF> loss = charts->lossSeries()->points();
        QCOMPARE(loss, (QList<QPointF>{{1, 9.5}, {2, 9.1}, {3, 8.8}}));
        QCOMPARE(charts->perplexitySeries()->at(0), QPointF(2, 8103.08));
        QVERIFY2(note->text().contains(QDir::toNativeSeparators(QDir(charted).filePath(QStringLiteral("events.jsonl")))),
                 qPrintable(note->text()));
        QVERIFY(!note->isHidden());

        dialog.view()->selectRow(1 - chartedRow);
        QTRY_VERIFY_WITH_TIMEOUT(note->text().contains(QStringLiteral("no-events")), 10000);
        QCOMPARE(charts->lossSeries()->count(), 0);
        QCOMPARE(charts->perplexitySeries()->count(), 0);
    }

    // Delete removes exactly what a run wrote and leaves the writer's files.
    void removeRunFolderKeepsForeignFiles() {
        const QString run = dir_.filePath(QStringLiteral("run-1")); // the finished run of the first live test
        if (!QFileInfo::exists(run)) QSKIP("needs runReportsEveryStepAndFinishes");
        append(QDir(run).filePath(QStringLiteral("my notes.txt")), "mine\n");
        QVERIFY(!RunLibrary::removeRunFolder(run));
        QCOMPARE(QDir(run).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{QStringLiteral("my notes.txt")});
        QFile::remove(QDir(run).filePath(QStringLiteral("my notes.txt")));
        QVERIFY(RunLibrary::removeRunFolder(run));
        QVERIFY(!QFileInfo::exists(run));
    }
};

QTEST_MAIN(TestTrainingRun)
#include "test_training_run.moc"
