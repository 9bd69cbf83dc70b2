// The story panel against a real store file and a tiny random GPT-2: memory,
// the author's note and lore entries survive a restart and the library
// backup; the context viewer counts exactly the prompt the engine got; its
// builder runs off the GUI thread while the writer types on; lore keys are
// marked in the editor; lorebooks import; a refused prompt stores nothing;
// story settings travel with an exported draft.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/store/store.h"
#endif
#include "ui/context_preview_worker.h"
#include "ui/context_viewer.h"
#include "ui/draft_files.h"
#include "ui/editor.h"
#include "ui/engine_worker.h"
#include "ui/lore_highlighter.h"
#include "ui/lorebook_model.h"
#include "ui/main_window.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "ui/story_panel.h"
#include "ui/story_session.h"
#include "test_support.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QPlainTextEdit>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSpinBox>
#include <QStatusBar>
#include <QTextBlock>
#include <QTextLayout>
#include <QtTest>

#include <memory>

using namespace fabula;
using namespace fabula::ui;

class TestStoryPanel : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString model_, db_;
    std::unique_ptr<MainWindow> window_;

    std::unique_ptr<MainWindow> openWindow(const QString& db) {
        MainWindowOptions o;
        o.databasePath = db;
        o.modelPath = model_;
        o.askForModel = false;
        auto w = std::make_unique<MainWindow>(o);
        w->show();
        return w;
    }
    static bool ready(MainWindow* w) {
        return w->models()->isLoaded() && w->documents()->currentDraft() != 0 && w->story()->isLoaded() &&
               w->story()->draft() == w->documents()->currentDraft();
    }
    StoryPanel* panel() const { return window_->storyPanel(); }
    LorebookModel* lore() const { return window_->story()->lorebook(); }
    qint64 draft() const { return window_->documents()->currentDraft(); }
    // Everything the panel holds is in the store once this returns.
    void settle() {
        window_->story()->saveNow();
        window_->store()->waitForIdle();
        QCoreApplication::processEvents(); // the replies
    }
    std::vector<ContinuationRecord> continuations() {
        window_->store()->waitForIdle();
        Store fresh(db_.toStdString());
        return fresh.list_continuations(draft());
    }
    // A preview of the editor as it is now.
    ContextPreviewResult freshPreview() {
        QSignalSpy updated(window_->contextPreview(), &ContextPreview::updated);
        window_->contextPreview()->buildNow();
        if (!updated.wait(30000)) return {};
        return window_->contextPreview()->result();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        qputenv("FABULA_AUTOSAVE_MS", "100");
        qputenv("FABULA_STORY_SAVE_MS", "100");
        qputenv("FABULA_PREVIEW_MS", "50");
        model_ = dir_.filePath(QStringLiteral("tiny-gpt2"));
        QVERIFY(test::makeModel(model_));
        db_ = dir_.filePath(QStringLiteral("library/fabula.sqlite"));
        window_ = openWindow(db_);
        QTRY_VERIFY_WITH_TIMEOUT(ready(window_.get()), 60000);
    }

    void memoryNoteAndLoreSurviveRestartAndBackup() {
        window_->action(QStringLiteral("storyPanel"))->trigger();
        QVERIFY(panel()->isVisible());
        panel()->memoryEdit()->setFocus();
        QTest::keyClicks(panel()->memoryEdit(), QStringLiteral("Mara keeps the light."));
        panel()->noteEdit()->setPlainText(QStringLiteral("The storm grows."));
        panel()->noteDepth()->setValue(2);
        panel()->addEntry();
        const int row = lore()->rowCount() - 1;
        QVERIFY(lore()->setData(lore()->index(row, LorebookModel::Name), QStringLiteral("Mara")));
        QVERIFY(lore()->setData(lore()->index(row, LorebookModel::Keys), QStringLiteral("Mara, /light(house)?/")));
        QVERIFY(lore()->setData(lore()->index(row, LorebookModel::Content),
                                QStringLiteral("Mara is the keeper's daughter.")));
        QVERIFY(lore()->setData(lore()->index(row, LorebookModel::CaseSensitive), Qt::Checked, Qt::CheckStateRole));
        settle();
        const qint64 id = draft();

        Store fresh(db_.toStdString());
        const StorySettings stored = fresh.draft_story(id);
        QCOMPARE(QString::fromStdString(stored.memory), QStringLiteral("Mara keeps the light."));
        QCOMPARE(QString::fromStdString(stored.authors_note), QStringLiteral("The storm grows."));
        QCOMPARE(stored.authors_note_depth, 2);
        QCOMPARE(stored.lore.size(), size_t(1));
        QCOMPARE(stored.lore[0].keys, (std::vector<std::string>{"Mara", "/light(house)?/"}));
        QVERIFY(stored.lore[0].case_sensitive);

        // The library backup holds them too.
        const QString backup = dir_.filePath(QStringLiteral("backup.sqlite"));
        window_->store()->submit([p = backup.toStdString()](Store& s) { s.backup_to(p); });
        window_->store()->waitForIdle();
        {
            Store copy(backup.toStdString());
            QVERIFY(copy.draft_story(id) == stored);
        }

        // A new window on the same library shows them again.
        window_.reset();
        window_ = openWindow(db_);
        QTRY_VERIFY_WITH_TIMEOUT(ready(window_.get()), 60000);
        QCOMPARE(draft(), id);
        QCOMPARE(panel()->memoryEdit()->toPlainText(), QStringLiteral("Mara keeps the light."));
        QCOMPARE(panel()->noteEdit()->toPlainText(), QStringLiteral("The storm grows."));
        QCOMPARE(panel()->noteDepth()->value(), 2);
        QCOMPARE(lore()->rowCount(), 1);
        QCOMPARE(lore()->data(lore()->index(0, LorebookModel::Keys)).toString(), QStringLiteral("Mara, /light(house)?/"));
        QVERIFY(window_->story()->context());
        QCOMPARE(QString::fromStdString(window_->story()->context()->memory), QStringLiteral("Mara keeps the light."));
    }

    void loreKeysAreMarkedInTheEditor() {
        auto* ed = window_->editor();
        ed->setPlainText(QStringLiteral("Mara walked to the lighthouse. Maraschino and mara are not her."));
        ed->moveCursor(QTextCursor::End);
        QVERIFY(window_->loreHighlighter()->patternCount() == 2);
        const QTextLayout* layout = ed->document()->firstBlock().layout();
        auto markedAt = [&](int start, int length) {
            for (const auto& r : layout->formats())
                if (r.start == start && r.length == length && r.format.fontUnderline()) return true;
            return false;
        };
        const QString text = ed->document()->firstBlock().text();
        QVERIFY(markedAt(0, 4));                                        // "Mara"
        QVERIFY(markedAt(int(text.indexOf(QStringLiteral("lighthouse"))), 10)); // the regular expression
        // Not inside a longer word, and case-sensitive as the entry says.
        for (const auto& r : layout->formats()) {
            QVERIFY(r.start != int(text.indexOf(QStringLiteral("Maraschino"))));
            QVERIFY(r.start != int(text.indexOf(QStringLiteral("mara "))));
        }
        QCOMPARE(int(layout->formats().size()), 2);
    }

    void contextViewerCountsWhatTheEngineGot() {
        window_->action(QStringLiteral("contextViewer"))->trigger();
        QVERIFY(window_->contextViewer()->isVisible());
        GenerationSettings s;
        s.maxNewTokens = 8;
        window_->suggestions()->setSettings(s);
        auto* ed = window_->editor();
        ed->setPlainText(QStringLiteral("The storm had come at noon.\n\nMara climbed the stairs of the lighthouse.\n\n"
                                        "She counted them as always.\n\nHer father was awake."));
        ed->moveCursor(QTextCursor::End);
        settle();
        const ContextPreviewResult preview = freshPreview();
        QVERIFY2(preview.error.isEmpty(), qPrintable(preview.error));
        QVERIFY(!preview.parts.isEmpty());
        QCOMPARE(preview.parts.first().kind, QStringLiteral("memory"));
        bool lore = false, note = false;
        int sum = 0;
        QString text;
        for (const auto& p : preview.parts) {
            lore |= p.kind == QLatin1String("lore") && p.key == QLatin1String("Mara");
            note |= p.kind == QLatin1String("authors_note");
            sum += p.tokens;
            text += p.text;
        }
        QVERIFY(lore);
        QVERIFY(note);
        QCOMPARE(sum, preview.total);
        QVERIFY(preview.total <= preview.budget);
        QCOMPARE(preview.budget, 128 - 8);
        QCOMPARE(window_->contextViewer()->budgetBar()->value(), preview.total);

        const size_t before = continuations().size();
        QSignalSpy finished(window_->suggestions(), &SuggestionController::generationFinished);
        window_->action(QStringLiteral("continue"))->trigger();
        QVERIFY(finished.wait(60000));
        const auto outcome = finished.first().first().value<GenerationOutcome>();
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        const auto list = continuations();
        QCOMPARE(list.size(), before + 1);
        // The engine's prompt, as the store kept it, is the one the viewer showed.
        QCOMPARE(int(list.back().context_ids.size()), preview.total);
        QCOMPARE(QString::fromStdString(list.back().context_text), text);
        QVERIFY(QString::fromStdString(list.back().context_text).startsWith(QStringLiteral("Mara keeps the light.")));
        QCOMPARE(outcome.promptTokensProcessed + outcome.promptTokensReused, preview.total);
        if (outcome.tokensPerSecond > 0) {
            const QString shown = window_->speedLabel()->text();
            QVERIFY2(shown.contains(QStringLiteral("%1 new, %2 reused")
                                        .arg(QLocale().toString(outcome.promptTokensProcessed),
                                             QLocale().toString(outcome.promptTokensReused))),
                     qPrintable(shown));
        }
        window_->suggestions()->reject();
    }

    void builderRunsOffTheGuiThreadWhileTypingGoesOn() {
        ContextPreviewWorker* worker = window_->contextPreview()->worker();
        // Whichever build reaches the hook first (one may already be in
        // flight) says so and waits on the gate. The semaphores outlive this
        // function, and every build is let through whatever happens here, so
        // a failed check cannot leave the worker blocked at teardown.
        auto entered = std::make_shared<QSemaphore>();
        auto gate = std::make_shared<QSemaphore>();
        worker->setTestBuildHook([entered, gate] {
            entered->release();
            gate->acquire();
        });
        const auto letGo = qScopeGuard([worker, gate] {
            worker->setTestBuildHook({});
            gate->release(1000);
        });
        window_->contextPreview()->buildNow();
        QVERIFY(entered->tryAcquire(1, 30000)); // a build now waits on the gate
        auto* ed = window_->editor();
        ed->setFocus();
        ed->moveCursor(QTextCursor::End);
        const QString before = ed->draftText();
        QTest::keyClicks(ed, QStringLiteral(" More words"));
        QCOMPARE(ed->draftText(), before + QStringLiteral(" More words"));
        worker->setTestBuildHook({});
        gate->release(1000);
        // The newest text arrives once the blocked build is done.
        QTRY_VERIFY_WITH_TIMEOUT(window_->contextPreview()->result().parts.size() > 0 &&
                                     window_->contextPreview()->result().parts.last().text.endsWith(
                                         QStringLiteral("More words")),
                                 30000);
        QVERIFY(worker->builds() > 0);
        QCOMPARE(worker->buildsOnGuiThread(), 0);
        QCOMPARE(worker->buildsOffOwnThread(), 0);
        QVERIFY(worker->workerThread() != QThread::currentThread());
    }

    void lorebookImportsSillyTavern() {
        const QString path = dir_.filePath(QStringLiteral("world.json"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"entries": {"0": {"uid": 0, "key": ["Tom"], "keysecondary": [], "comment": "Tom",
                        "content": "Tom is the ferryman.", "constant": false, "disable": false, "order": 100,
                        "selective": false},
                        "1": {"uid": 1, "key": ["harbour"], "keysecondary": [], "comment": "Harbour",
                        "content": "The harbour freezes in winter.", "constant": true, "disable": true,
                        "order": 50, "selective": false}}})");
        }
        const int before = lore()->rowCount();
        const QString error = panel()->importLorebook(path);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(lore()->rowCount(), before + 2);
        bool tom = false, harbour = false;
        for (int r = before; r < lore()->rowCount(); ++r) {
            const LoreEntry& e = lore()->entry(r);
            if (e.keys == std::vector<std::string>{"Tom"}) {
                tom = e.content == "Tom is the ferryman." && e.enabled && !e.always;
            }
            if (e.keys == std::vector<std::string>{"harbour"}) harbour = !e.enabled && e.always;
        }
        QVERIFY(tom);
        QVERIFY(harbour);
        // Saved like any edit.
        settle();
        Store fresh(db_.toStdString());
        QCOMPARE(int(fresh.draft_story(draft()).lore.size()), before + 2);

        // A broken file is named in the message and changes nothing.
        const QString broken = dir_.filePath(QStringLiteral("broken-lorebook.json"));
        {
            QFile f(broken);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"entries\": [");
        }
        const QString problem = panel()->importLorebook(broken);
        QVERIFY2(problem.contains(QStringLiteral("broken-lorebook.json")), qPrintable(problem));
        QCOMPARE(lore()->rowCount(), before + 2);
        QVERIFY(!panel()->problemLabel()->isHidden());
    }

    void searchFiltersEntries() {
        panel()->loreSearch()->setText(QStringLiteral("ferryman"));
        QCOMPARE(panel()->loreProxy()->rowCount(), 1);
        panel()->loreSearch()->clear();
        QCOMPARE(panel()->loreProxy()->rowCount(), lore()->rowCount());
    }

    void refusalShowsTheMessageAndStoresNothing() {
        QString longMemory;
        for (int i = 0; i < 80; ++i) longMemory += QStringLiteral("The keeper remembers every ship. ");
        panel()->memoryEdit()->setPlainText(longMemory);
        settle();
        const size_t before = continuations().size();
        QSignalSpy finished(window_->suggestions(), &SuggestionController::generationFinished);
        window_->action(QStringLiteral("continue"))->trigger();
        QVERIFY(finished.wait(60000));
        const auto outcome = finished.first().first().value<GenerationOutcome>();
        QVERIFY(!outcome.error.isEmpty());
        QVERIFY2(outcome.error.contains(QStringLiteral("memory"), Qt::CaseInsensitive), qPrintable(outcome.error));
        QVERIFY2(window_->statusBar()->currentMessage().contains(outcome.error),
                 qPrintable(window_->statusBar()->currentMessage()));
        QCOMPARE(window_->suggestions()->state(), SuggestionController::State::Idle);
        QCOMPARE(continuations().size(), before);
        // The viewer says the same.
        const ContextPreviewResult preview = freshPreview();
        QVERIFY(!preview.error.isEmpty());
        QVERIFY(window_->contextViewer()->errorLabel()->isVisible());
        panel()->memoryEdit()->setPlainText(QStringLiteral("Mara keeps the light."));
        settle();
    }

    void aSeriesSharesItsMemory() {
        QSignalSpy loaded(window_->story(), &StorySession::loaded);
        window_->story()->createSeries(QStringLiteral("The Keepers"));
        QVERIFY(loaded.wait(30000));
        QCOMPARE(window_->story()->seriesName(), QStringLiteral("The Keepers"));
        QCOMPARE(panel()->seriesBox()->currentText(), QStringLiteral("The Keepers"));
        QVERIFY(panel()->targetBox()->isEnabled());
        window_->story()->setTarget(StorySession::Target::Series);
        QCOMPARE(panel()->memoryEdit()->toPlainText(), QString()); // the series' own, still empty
        panel()->memoryEdit()->setPlainText(QStringLiteral("Keepers never let the light go dark."));
        settle();
        Store fresh(db_.toStdString());
        const qint64 series = fresh.draft_series(draft());
        QVERIFY(series > 0);
        QCOMPARE(QString::fromStdString(fresh.series_story(series).memory),
                 QStringLiteral("Keepers never let the light go dark."));
        QCOMPARE(QString::fromStdString(fresh.draft_story(draft()).memory), QStringLiteral("Mara keeps the light."));
        // The prompt gets the store's combination: the series' memory, then the draft's.
        const QString memory = QString::fromStdString(window_->story()->context()->memory);
        QVERIFY2(memory.startsWith(QStringLiteral("Keepers never let the light go dark.")) &&
                     memory.endsWith(QStringLiteral("Mara keeps the light.")),
                 qPrintable(memory));
        window_->story()->setTarget(StorySession::Target::Draft);
        QCOMPARE(panel()->memoryEdit()->toPlainText(), QStringLiteral("Mara keeps the light."));
    }

    void storySettingsTravelWithAnExportedDraft() {
        const QString path = dir_.filePath(QStringLiteral("export/Lighthouse.txt"));
        QDir().mkpath(QFileInfo(path).absolutePath());
        const StorySettings settings = window_->story()->draftSettings();
        QCOMPARE(exportStorySettings(path, settings, QStringLiteral("The Keepers")), QString());
        QVERIFY(QFileInfo::exists(dir_.filePath(QStringLiteral("export/Lighthouse.fabula-story.json"))));
        StorySettings back;
        QString series;
        bool found = false;
        QCOMPARE(importStorySettings(path, &back, &series, &found), QString());
        QVERIFY(found);
        QVERIFY(back == settings);
        QCOMPARE(series, QStringLiteral("The Keepers"));
        // Without one, nothing is found and nothing fails.
        QCOMPARE(importStorySettings(dir_.filePath(QStringLiteral("export/Other.txt")), &back, &series, &found), QString());
        QVERIFY(!found);
    }

    // A "<name>.fabula-story.json" of the writer's own beside the export is
    // kept byte for byte and named; one of an earlier export is replaced.
    void aWritersOwnStoryFileIsNotReplaced() {
        const QString path = dir_.filePath(QStringLiteral("export/Notes.txt"));
        QDir().mkpath(QFileInfo(path).absolutePath());
        const QString beside = storyFileFor(path);
        const QByteArray own = "{\"characters\": [\"Mara\", \"her father\"]}\n";
        {
            QFile f(beside);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(own);
        }
        StorySettings settings = window_->story()->draftSettings();
        settings.memory = "Mara keeps the light.";
        const QString refusal = exportStorySettings(path, settings, {});
        QVERIFY2(refusal.contains(QDir::toNativeSeparators(beside)), qPrintable(refusal));
        QFile f(beside);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), own);
        f.close();
        // Fabula's own from an earlier export: the new settings go over it.
        QVERIFY(QFile::remove(beside));
        QCOMPARE(exportStorySettings(path, StorySettings{.memory = "An older memory."}, {}), QString());
        QCOMPARE(exportStorySettings(path, settings, {}), QString());
        StorySettings back;
        QString series;
        bool found = false;
        QCOMPARE(importStorySettings(path, &back, &series, &found), QString());
        QVERIFY(found && back == settings);
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestStoryPanel)
#include "test_story_panel.moc"
