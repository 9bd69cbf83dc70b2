// Nothing the writer has is lost, and the window says what happened: a quit
// whose final save fails asks before dropping text; a job that throws
// something unexpected is reported and the store keeps working; a changed
// weights file is fingerprinted again; a failed model switch keeps the model
// that worked; "max new tokens" is clamped to the context; an abandoned
// round and the continuations of a model removed while loaded are recorded.
// Real widgets, a real SQLite file and a tiny random GPT-2.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/store/store.h"
#endif
#include "ui/document_manager.h"
#include "ui/editor.h"
#include "ui/engine_worker.h"
#include "ui/main_window.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "ui/suggestion_controller.h"
#include "test_support.h"

#include <QAction>
#include <QApplication>
#include <QCryptographicHash>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>

using namespace fabula;
using namespace fabula::ui;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString sha256Of(const QString& path) {
    return QString::fromLatin1(QCryptographicHash::hash(readAll(path), QCryptographicHash::Sha256).toHex());
}

bool copyFolder(const QString& from, const QString& to) {
    if (!QDir().mkpath(to)) return false;
    for (const QString& f : QDir(from).entryList(QDir::Files))
        if (!QFile::copy(from + QLatin1Char('/') + f, to + QLatin1Char('/') + f)) return false;
    return true;
}

// Answers the next modal file dialog with path (or cancels it when empty).
class FileDialogAnswer : public QObject {
public:
    explicit FileDialogAnswer(const QString& path) : path_(path) {
        timer_.setInterval(20);
        connect(&timer_, &QTimer::timeout, this, [this] {
            auto* fd = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            if (!fd) return;
            timer_.stop();
            answered_ = true;
            if (path_.isEmpty()) {
                fd->reject();
                return;
            }
            fd->setDirectory(QFileInfo(path_).path());
            // selectFile() leaves the name field alone while it has the focus.
            if (auto* name = fd->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")))
                name->setText(QFileInfo(path_).fileName());
            else
                fd->selectFile(path_);
            static_cast<QDialog*>(fd)->accept();
        });
        timer_.start();
    }
    bool answered() const { return answered_; }

private:
    QString path_;
    QTimer timer_;
    bool answered_ = false;
};

} // namespace

class TestWriterSafety : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString model_;
    std::unique_ptr<MainWindow> window_; // the one with a model, from checksumFollowsTheWeightsFile on
    QString db_;

    std::unique_ptr<MainWindow> openWindow(const QString& db, const QString& model = {}) {
        MainWindowOptions o;
        o.databasePath = db;
        o.modelPath = model;
        o.askForModel = false;
        auto w = std::make_unique<MainWindow>(o);
        w->show();
        return w;
    }
    static QString body(const QString& db, qint64 id) {
        Store fresh(db.toStdString());
        const auto d = fresh.get_draft(id);
        return d ? QString::fromStdString(d->body) : QString();
    }
    // A window on a fresh library whose draft holds saved text, then more
    // typed after the library stopped accepting writes: close() is put off
    // behind a note, and the failure question comes. *text: what is not saved.
    void quitWithFailingSave(MainWindow* w, const std::function<void()>& breakTheLibrary, QMessageBox** box,
                             QString* text) {
        QTRY_VERIFY_WITH_TIMEOUT(w->documents()->currentDraft() != 0, 20000);
        auto* ed = w->editor();
        ed->setFocus();
        QTest::keyClicks(ed, QStringLiteral("The keeper climbed the stairs."));
        w->documents()->saveNow();
        QTRY_COMPARE(w->documents()->saveState(), DocumentManager::SaveState::Saved);
        breakTheLibrary();
        QTest::keyClicks(ed, QStringLiteral(" The storm came at noon."));
        *text = ed->draftText();

        QVERIFY(!w->close()); // put off: the final save is on its way
        QVERIFY(w->isVisible());
        QPointer<QProgressDialog> note = w->findChild<QProgressDialog*>(QStringLiteral("quitSavingNote"));
        QVERIFY(note && note->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT((*box = w->findChild<QMessageBox*>(QStringLiteral("quitSaveFailed"))) &&
                                     (*box)->isVisible(),
                                 20000);
        QTRY_VERIFY(!note || !note->isVisible());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
        qputenv("HOME", dir_.path().toLocal8Bit()); // "Documents", where a copy is offered
        // The tests save and retry when they mean to.
        qputenv("FABULA_AUTOSAVE_MS", "600000");
        qputenv("FABULA_SAVE_RETRY_MS", "600000");
        model_ = dir_.filePath(QStringLiteral("tiny-gpt2"));
        QVERIFY(test::makeModel(model_));
    }

    void cleanupTestCase() { window_.reset(); }

    // ---- quit --------------------------------------------------------------

    void quitWaitsForTheFinalSaveAndRetries() {
        const QString db = dir_.filePath(QStringLiteral("quit-retry/fabula.sqlite"));
        auto w = openWindow(db);
        QMessageBox* box = nullptr;
        QString text;
        quitWithFailingSave(w.get(), [&] {
            w->store()->submit([](Store& s) { s.database().exec("PRAGMA query_only = 1"); });
        }, &box, &text);
        if (QTest::currentTestFailed()) return;
        QVERIFY2(box->informativeText().contains(QStringLiteral("read-only")), qPrintable(box->informativeText()));
        QVERIFY(w->isVisible());
        QCOMPARE(w->editor()->draftText(), text);
        const qint64 id = w->documents()->currentDraft();
        w->store()->waitForIdle();
        QVERIFY(body(db, id) != text);

        // Writable again: Retry saves, and then the window closes.
        w->store()->submit([](Store& s) { s.database().exec("PRAGMA query_only = 0"); });
        auto* retry = box->findChild<QPushButton*>(QStringLiteral("retry"));
        QVERIFY(retry);
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), 20000);
        QCOMPARE(w->documents()->saveState(), DocumentManager::SaveState::Saved);
        w->store()->waitForIdle();
        QCOMPARE(body(db, id), text);
    }

    // A failure that is not the store's own (injected through the client's
    // test hook) reaches the same question; the copy keeps the text.
    void quitOffersACopyWhenSavingKeepsFailing() {
        const QString db = dir_.filePath(QStringLiteral("quit-copy/fabula.sqlite"));
        auto w = openWindow(db);
        QMessageBox* box = nullptr;
        QString text;
        quitWithFailingSave(w.get(), [&] {
            w->store()->setTestHook([] { throw std::runtime_error("the test broke the disk"); });
        }, &box, &text);
        if (QTest::currentTestFailed()) return;
        QVERIFY2(box->informativeText().contains(QStringLiteral("the test broke the disk")),
                 qPrintable(box->informativeText()));
        QVERIFY(w->banner()->isVisible());
        const qint64 id = w->documents()->currentDraft();

        // Keep writing: the window stays, the text with it.
        QTest::mouseClick(box->findChild<QPushButton*>(QStringLiteral("keepWriting")), Qt::LeftButton);
        QTRY_VERIFY(!w->findChild<QMessageBox*>(QStringLiteral("quitSaveFailed")));
        QVERIFY(w->isVisible());
        QCOMPARE(w->editor()->draftText(), text);

        // Asked again; a cancelled file dialog asks once more.
        QVERIFY(!w->close());
        QTRY_VERIFY_WITH_TIMEOUT((box = w->findChild<QMessageBox*>(QStringLiteral("quitSaveFailed"))) &&
                                     box->isVisible(),
                                 20000);
        {
            FileDialogAnswer cancel{QString()};
            QTest::mouseClick(box->findChild<QPushButton*>(QStringLiteral("saveCopy")), Qt::LeftButton);
            QTRY_VERIFY(cancel.answered());
        }
        QTRY_VERIFY((box = w->findChild<QMessageBox*>(QStringLiteral("quitSaveFailed"))) && box->isVisible());
        QVERIFY(w->isVisible());

        const QString copy = dir_.filePath(QStringLiteral("copies/keeper.txt"));
        QVERIFY(QDir().mkpath(QFileInfo(copy).path()));
        FileDialogAnswer answer(copy);
        QTest::mouseClick(box->findChild<QPushButton*>(QStringLiteral("saveCopy")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), 20000);
        QVERIFY(answer.answered());
        QCOMPARE(QString::fromUtf8(readAll(copy)), text + QLatin1Char('\n'));
        w->store()->setTestHook({});
        w->store()->waitForIdle();
        QVERIFY(body(db, id) != text); // only the copy has it
    }

    void quitAnywayCloses() {
        const QString db = dir_.filePath(QStringLiteral("quit-anyway/fabula.sqlite"));
        auto w = openWindow(db);
        QMessageBox* box = nullptr;
        QString text;
        quitWithFailingSave(w.get(), [&] {
            w->store()->submit([](Store& s) { s.database().exec("PRAGMA query_only = 1"); });
        }, &box, &text);
        if (QTest::currentTestFailed()) return;
        QTest::mouseClick(box->findChild<QPushButton*>(QStringLiteral("quitAnyway")), Qt::LeftButton);
        QTRY_VERIFY(!w->isVisible());
    }

    // Not a StoreError, not even a std::exception: reported through error(),
    // and the store thread goes on with the next job.
    void unexpectedExceptionsInJobsAreReported() {
        StoreClient store(dir_.filePath(QStringLiteral("jobs/fabula.sqlite")));
        QSignalSpy errors(&store, &StoreClient::error);
        store.submit([](Store&) { throw std::logic_error("a job tripped"); });
        QVERIFY(errors.wait(20000));
        QVERIFY2(errors.at(0).at(0).toString().contains(QStringLiteral("a job tripped")),
                 qPrintable(errors.at(0).at(0).toString()));
        QCOMPARE(errors.at(0).at(1).toInt(), int(StoreError::Kind::Other));
        store.submit([](Store&) { throw 42; });
        QVERIFY(errors.wait(20000));
        QVERIFY(errors.at(1).at(0).toString().contains(QStringLiteral("unexpected error")));

        // A job with its own failure handler gets it there.
        QString failedWith;
        store.submit(this, [](Store&) -> int { throw std::bad_alloc(); }, [](int) {},
                     [&](const StoreError& e) { failedWith = QString::fromStdString(e.message()); });
        QTRY_VERIFY(!failedWith.isEmpty());
        QCOMPARE(errors.count(), 2);

        qint64 id = 0;
        store.submit(this, [](Store& s) { return s.create_draft("still working"); }, [&](std::int64_t v) { id = v; });
        QTRY_VERIFY(id > 0);
    }

    // ---- models ------------------------------------------------------------

    void checksumFollowsTheWeightsFile() {
        const QString folder = dir_.filePath(QStringLiteral("changing-gpt2"));
        QVERIFY(copyFolder(model_, folder));
        const QString weights = folder + QStringLiteral("/model.safetensors");
        const QString sha1 = sha256Of(weights);
        db_ = dir_.filePath(QStringLiteral("models/fabula.sqlite"));
        window_ = openWindow(db_, folder);
        QSignalSpy fingerprinted(window_->models(), &ModelManager::fingerprinted);
        QVERIFY(fingerprinted.wait(60000));
        QCOMPARE(fingerprinted.last().at(0).toString(), sha1);

        // Same size, one weight's lowest byte changed, a later time: another
        // file, whatever its path says.
        {
            QFile f(weights);
            QVERIFY(f.open(QIODevice::ReadWrite));
            quint64 header = 0;
            QCOMPARE(f.read(reinterpret_cast<char*>(&header), 8), qint64(8));
            QVERIFY(f.seek(qint64(8 + header)));
            char byte = 0;
            QVERIFY(f.getChar(&byte));
            QVERIFY(f.seek(qint64(8 + header)));
            QVERIFY(f.putChar(char(byte ^ 1)));
            f.close();
            const QDateTime later = QFileInfo(weights).lastModified().addSecs(10);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(later, QFileDevice::FileModificationTime));
        }
        const QString sha2 = sha256Of(weights);
        QVERIFY(sha2 != sha1);
        QCOMPARE(QFileInfo(weights).size(), readAll(model_ + QStringLiteral("/model.safetensors")).size());
        window_->models()->load(folder);
        QVERIFY(fingerprinted.wait(60000));
        QCOMPARE(fingerprinted.last().at(0).toString(), sha2);
        window_->store()->waitForIdle();
        Store fresh(db_.toStdString());
        const auto models = fresh.list_models();
        QCOMPARE(models.size(), size_t(1));
        QCOMPARE(QString::fromStdString(models[0].weights_sha256), sha2);
        QVERIFY(models[0].weights_stamp.has_value());
        QCOMPARE(models[0].weights_stamp->size, QFileInfo(weights).size());
    }

    void failedSwitchKeepsTheWorkingModel() {
        QVERIFY(window_->models()->isLoaded());
        QTRY_VERIFY_WITH_TIMEOUT(window_->documents()->currentDraft() != 0, 20000);
        const ModelInfo before = window_->models()->info();
        const QString broken = dir_.filePath(QStringLiteral("broken-gpt2"));
        QVERIFY(copyFolder(model_, broken));
        {
            QFile config(broken + QStringLiteral("/config.json"));
            QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
            config.write("{\"n_layer\": 2, \"n_embd\": ");
        }
        QSignalSpy failed(window_->models(), &ModelManager::loadFailed);
        window_->models()->load(broken);
        QVERIFY(!window_->action(QStringLiteral("continue"))->isEnabled()); // busy loading
        QVERIFY(failed.wait(60000));
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("config.json")), qPrintable(message));
        QVERIFY2(message.contains(before.name), qPrintable(message)); // ... is still loaded
        QVERIFY(window_->statusBar()->currentMessage().contains(QStringLiteral("config.json")));
        QVERIFY(window_->models()->isLoaded());
        QCOMPARE(window_->models()->info().path, before.path);
        QVERIFY(window_->action(QStringLiteral("continue"))->isEnabled());

        // And it still writes.
        window_->editor()->setFocus();
        QTest::keyClicks(window_->editor(), QStringLiteral("Once upon a time"));
        GenerationSettings s;
        s.maxNewTokens = 8;
        window_->suggestions()->setSettings(s);
        QSignalSpy finished(window_->suggestions(), &SuggestionController::generationFinished);
        window_->action(QStringLiteral("continue"))->trigger();
        QVERIFY(finished.wait(60000));
        const auto outcome = finished.at(0).at(0).value<GenerationOutcome>();
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QVERIFY(!outcome.ids.isEmpty());
        window_->suggestions()->reject();
    }

    void maxNewTokensIsClampedToHalfTheContext() {
        auto* ed = window_->editor();
        ed->moveCursor(QTextCursor::End);
        QString story;
        for (int i = 0; i < 40; ++i) story += QStringLiteral(" The lamp turned and the sea answered.");
        ed->insertPlainText(story);
        const int context = window_->models()->info().nPositions;
        QCOMPARE(context, 128);
        GenerationSettings s;
        s.maxNewTokens = 1000;
        window_->suggestions()->setSettings(s);
        QSignalSpy messages(window_->suggestions(), &SuggestionController::message);
        QSignalSpy finished(window_->suggestions(), &SuggestionController::generationFinished);
        window_->action(QStringLiteral("continue"))->trigger();
        QCOMPARE(messages.count(), 1); // said when asked, before any token
        const QString note = messages.at(0).at(0).toString();
        QVERIFY2(note.contains(QStringLiteral("limited to 64 tokens")), qPrintable(note));
        QVERIFY(finished.wait(60000));
        const auto outcome = finished.at(0).at(0).value<GenerationOutcome>();
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QCOMPARE(outcome.promptIds.size(), context - context / 2); // the story, not a few tokens of it
        QVERIFY(outcome.ids.size() <= context / 2);
        window_->suggestions()->reject();
        window_->store()->waitForIdle();
        Store fresh(db_.toStdString());
        const auto list = fresh.list_continuations(window_->documents()->currentDraft());
        QVERIFY(!list.empty());
        QVERIFY2(QString::fromStdString(list.back().settings_json).contains(QStringLiteral("\"max_new_tokens\":64")),
                 list.back().settings_json.c_str());
        // Said once for the same setting and model, not at every continuation.
        window_->action(QStringLiteral("continue"))->trigger();
        QVERIFY(finished.wait(60000));
        QCOMPARE(std::count_if(messages.cbegin(), messages.cend(),
                               [](const QList<QVariant>& m) { return m.at(0).toString().contains(QStringLiteral("limited to")); }),
                 1);
        window_->suggestions()->reject();
    }

    void abandonedRoundIsRecorded() {
        const qint64 draft = window_->documents()->currentDraft();
        window_->store()->waitForIdle();
        const size_t before = Store(db_.toStdString()).list_continuations(draft).size();
        GenerationSettings slow;
        slow.maxNewTokens = 40;
        slow.testTokenDelayMs = 50;
        window_->suggestions()->setSettings(slow);
        QSignalSpy pieces(window_->engine(), &EngineWorker::piece);
        QSignalSpy finished(window_->suggestions(), &SuggestionController::generationFinished);
        window_->action(QStringLiteral("continue"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(pieces.count() >= 2, 30000);
        QCOMPARE(window_->suggestions()->state(), SuggestionController::State::Generating);
        GenerationSettings quick;
        quick.maxNewTokens = 4;
        window_->suggestions()->setSettings(quick);
        window_->action(QStringLiteral("alternatives"))->trigger(); // a new round while the first streams
        QTRY_VERIFY_WITH_TIMEOUT(window_->suggestions()->state() == SuggestionController::State::Showing, 60000);
        window_->suggestions()->reject();
        window_->store()->waitForIdle();
        const auto list = Store(db_.toStdString()).list_continuations(draft);
        QVERIFY(list.size() > before);
        const auto& abandoned = list[before];
        QVERIFY(abandoned.status == ContinuationStatus::Cancelled);
        QVERIFY(!abandoned.continuation_text.empty());
        QVERIFY(abandoned.new_tokens >= 2);
        QVERIFY(abandoned.new_tokens < 40);
        QVERIFY(QString::fromStdString(abandoned.settings_json).contains(QStringLiteral("\"max_new_tokens\":40")));
        QVERIFY(abandoned.model_id.has_value());
        for (size_t i = before + 1; i < list.size(); ++i) QVERIFY(list[i].status == ContinuationStatus::Rejected);
    }

    void removedModelStillRecordsWhatItWrites() {
        const QString path = QDir(window_->models()->info().path).absolutePath();
        qint64 id = 0;
        for (const auto& m : window_->models()->models())
            if (QDir(m.path).absolutePath() == path) id = m.id;
        QVERIFY(id > 0);
        QSignalSpy changed(window_->models(), &ModelManager::modelsChanged);
        window_->models()->remove(id);
        QVERIFY(changed.wait(20000));
        QVERIFY(window_->models()->models().isEmpty());
        QVERIFY(window_->models()->isLoaded()); // removed from the list, still loaded

        GenerationSettings s;
        s.maxNewTokens = 6;
        window_->suggestions()->setSettings(s);
        QSignalSpy messages(window_->suggestions(), &SuggestionController::message);
        QSignalSpy finished(window_->suggestions(), &SuggestionController::generationFinished);
        window_->action(QStringLiteral("continue"))->trigger();
        QVERIFY(finished.wait(60000));
        QCOMPARE(window_->suggestions()->state(), SuggestionController::State::Showing);
        const QString text = window_->editor()->suggestion();
        window_->action(QStringLiteral("thumbsUp"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(messages.cbegin(), messages.cend(),
                                             [](const QList<QVariant>& m) {
                                                 return m.at(0).toString() == QStringLiteral("Rated: good");
                                             }),
                                 20000);
        QVERIFY(std::any_of(messages.cbegin(), messages.cend(), [](const QList<QVariant>& m) {
            return m.at(0).toString().contains(QStringLiteral("back in the model list"));
        }));
        window_->store()->waitForIdle();
        Store fresh(db_.toStdString());
        const auto list = fresh.list_continuations(window_->documents()->currentDraft());
        QVERIFY(!list.empty());
        const auto& c = list.back();
        QCOMPARE(QString::fromStdString(c.continuation_text), text);
        QVERIFY(c.rating.has_value());
        QCOMPARE(c.rating->thumbs, 1);
        QVERIFY(c.model_id.has_value());
        QCOMPARE(QString::fromStdString(fresh.get_model(*c.model_id)->path), path);
        QTRY_VERIFY(std::any_of(window_->models()->models().cbegin(), window_->models()->models().cend(),
                                [&](const RegisteredModel& m) { return QDir(m.path).absolutePath() == path; }));
        window_->suggestions()->reject();
    }
};

QTEST_MAIN(TestWriterSafety)
#include "test_writer_safety.moc"
