// The feedback loop from the window's side: the Feedback dialog shows per
// draft and per set what a store built with the Store API gives, leaving a
// draft out and deleting (and restoring) an item change the counts and the
// store; the objective's default follows the pair count; the feedback page
// of the wizard exports the sets with a share of the pairs held out; the
// quiet note offers a run once enough is new; and a tiny DPO run through
// the wizard writes its objective and data into the options file and ends
// with the preference accuracy before and after. Real widgets, a real
// SQLite file, a tiny random GPT-2 and real fabula-cli children.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/store/store.h"
#include "training/trainer.h"
#endif
#include "ui/app_settings.h"
#include "ui/document_manager.h"
#include "ui/feedback_dialog.h"
#include "ui/feedback_note.h"
#include "ui/main_window.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "ui/training_run.h"
#include "ui/wizard/dashboard_page.h"
#include "ui/wizard/estimate_page.h"
#include "ui/wizard/feedback_page.h"
#include "ui/wizard/fine_tune_wizard.h"
#include "ui/wizard/result_page.h"
#include "ui/wizard/settings_page.h"
#include "ui/wizard/stories_page.h"
#include "ui/wizard/wizard_state.h"

#include "test_support.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace fabula;
using namespace fabula::ui;
using training::ObjectiveKind;

namespace {

constexpr int kLong = 300000; // ms: the children on a loaded 2-core machine

// Token ids below any GPT-2 vocabulary's size; the text is what TRL would read.
std::vector<std::int32_t> ids(int first, int n) {
    std::vector<std::int32_t> v;
    for (int i = 0; i < n; ++i) v.push_back(first + i);
    return v;
}

struct Gen {
    Store& s;
    std::int64_t gen(std::int64_t draft, int ctx, const std::string& text, std::optional<std::int64_t> round, int first) {
        NewContinuation n;
        n.draft_id = draft;
        n.context_ids = ids(ctx, 6);
        n.context_text = "Context " + std::to_string(ctx) + ".";
        n.continuation_ids = ids(first, 4);
        n.continuation_text = text;
        n.prompt_tokens = 6;
        n.new_tokens = 4;
        n.round_id = round;
        return *s.record_generation(n, GenerationEnd::Shown);
    }
};

// Draft "The sea": a Regenerate round (one pair), an Alternatives round (two
// pairs), both accepted ones (two SFT), a lone thumbs-up and a lone rejected
// thumbs-down (two KTO). Draft "The forest": one accepted continuation.
struct SmallLibrary {
    std::int64_t sea = 0, forest = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0;
    explicit SmallLibrary(const QString& path) {
        Store s(path.toStdString());
        Gen g{s};
        sea = s.create_draft("The sea", "Once.");
        forest = s.create_draft("The forest", "Trees.");
        const auto r1 = s.begin_round();
        c1 = g.gen(sea, 300, " He went fishing.", r1, 400);
        s.set_continuation_status(c1, ContinuationStatus::Rejected);
        c2 = g.gen(sea, 300, " His name was Tomas.", r1, 410);
        s.set_continuation_status(c2, ContinuationStatus::Accepted);
        const auto r2 = s.begin_round();
        c3 = g.gen(sea, 320, " the wind howled.", r2, 420);
        c4 = g.gen(sea, 320, " Only the keeper watched.", r2, 430);
        const auto c5 = g.gen(sea, 320, " a wink.", r2, 440);
        s.set_continuation_status(c4, ContinuationStatus::Accepted);
        s.set_continuation_status(c3, ContinuationStatus::Rejected);
        s.set_continuation_status(c5, ContinuationStatus::Rejected);
        const auto c7 = g.gen(sea, 340, " Gulls cried.", std::nullopt, 450);
        s.rate(c7, 1);
        const auto c8 = g.gen(sea, 350, " Blah blah.", std::nullopt, 460);
        s.set_continuation_status(c8, ContinuationStatus::Rejected);
        s.rate(c8, -1);
        const auto c9 = g.gen(forest, 360, " The wind answered.", s.begin_round(), 470);
        s.set_continuation_status(c9, ContinuationStatus::Accepted);
    }
};

// n rounds of one accepted against one rejected continuation: n pairs, n SFT rows.
// The rejected ones all say the same, so a short DPO run can learn to avoid it.
void addPairs(const QString& path, int n) {
    Store s(path.toStdString());
    Gen g{s};
    const auto draft = s.create_draft("Pairs", "Text.");
    for (int i = 0; i < n; ++i) {
        const auto round = s.begin_round();
        const auto good = g.gen(draft, 500 + 7 * i, " Some words " + std::to_string(i) + ".", round, 2000 + 5 * i);
        const auto bad = g.gen(draft, 500 + 7 * i, " The red boat.", round, 1000);
        s.set_continuation_status(good, ContinuationStatus::Accepted);
        s.set_continuation_status(bad, ContinuationStatus::Rejected);
    }
}

qint64 cell(FeedbackDialog& d, qint64 draft, int column) {
    const int row = d.rowOfDraft(draft);
    return row < 0 ? -1 : d.drafts()->item(row, column)->data(Qt::UserRole).toLongLong();
}

int lines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    int n = 0;
    while (!f.atEnd())
        if (!f.readLine().trimmed().isEmpty()) ++n;
    return n;
}

QString abs(const QString& p) { return QDir::cleanPath(QDir(p).absolutePath()); }

} // namespace

class TestFeedbackLoop : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString freshDb(const QString& name) { return dir_.filePath(name + QStringLiteral(".sqlite")); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        qputenv("XDG_CACHE_HOME", dir_.filePath(QStringLiteral("cache")).toUtf8());
    }

    void dialogShowsPerDraftAndPerSet() {
        const QString db = freshDb(QStringLiteral("counts"));
        SmallLibrary lib(db);
        StoreClient client(db);
        FeedbackDialog dialog(&client);
        QSignalSpy refreshed(&dialog, &FeedbackDialog::refreshed);
        dialog.show();
        QVERIFY(refreshed.wait(30000));
        QCOMPARE(dialog.drafts()->rowCount(), 2);
        QCOMPARE(cell(dialog, lib.sea, FeedbackDialog::SftColumn), 2);
        QCOMPARE(cell(dialog, lib.sea, FeedbackDialog::PairsColumn), 3);
        QCOMPARE(cell(dialog, lib.sea, FeedbackDialog::KtoColumn), 2);
        QCOMPARE(cell(dialog, lib.forest, FeedbackDialog::SftColumn), 1);
        QCOMPARE(cell(dialog, lib.forest, FeedbackDialog::PairsColumn), 0);
        QCOMPARE(cell(dialog, lib.forest, FeedbackDialog::KtoColumn), 0);
        QVERIFY2(dialog.totals()->text().contains(QStringLiteral("3 accepted")) &&
                     dialog.totals()->text().contains(QStringLiteral("3 pairs")) &&
                     dialog.totals()->text().contains(QStringLiteral("2 rated")),
                 qPrintable(dialog.totals()->text()));
        dialog.selectDraft(lib.sea);
        QCOMPARE(dialog.items()->rowCount(), 2 + 3 + 2);
    }

    void leavingADraftOutChangesTheCountsAndTheStore() {
        const QString db = freshDb(QStringLiteral("leave-out"));
        SmallLibrary lib(db);
        StoreClient client(db);
        FeedbackDialog dialog(&client);
        QSignalSpy refreshed(&dialog, &FeedbackDialog::refreshed);
        dialog.show();
        QVERIFY(refreshed.wait(30000));
        QStandardItem* use = dialog.drafts()->item(dialog.rowOfDraft(lib.sea), FeedbackDialog::UseColumn);
        QCOMPARE(use->checkState(), Qt::Checked);
        refreshed.clear();
        use->setCheckState(Qt::Unchecked);
        QVERIFY(refreshed.wait(30000));
        {
            Store s(db.toStdString(), {.read_only = true});
            QCOMPARE(s.left_out_drafts(), std::vector<std::int64_t>{lib.sea});
            QCOMPARE(qint64(s.feedback_items().pairs.size()), 0);
        }
        const int row = dialog.rowOfDraft(lib.sea);
        QVERIFY(row >= 0); // still listed, so it can be taken back in
        QCOMPARE(dialog.drafts()->item(row, FeedbackDialog::UseColumn)->checkState(), Qt::Unchecked);
        QVERIFY2(dialog.totals()->text().contains(QStringLiteral("1 accepted")) &&
                     dialog.totals()->text().contains(QStringLiteral("0 pairs")) &&
                     dialog.totals()->text().contains(QStringLiteral("0 rated")),
                 qPrintable(dialog.totals()->text()));
        refreshed.clear();
        dialog.drafts()->item(row, FeedbackDialog::UseColumn)->setCheckState(Qt::Checked);
        QVERIFY(refreshed.wait(30000));
        QVERIFY(dialog.totals()->text().contains(QStringLiteral("3 pairs")));
        Store s(db.toStdString(), {.read_only = true});
        QVERIFY(s.left_out_drafts().empty());
    }

    void deletingAnItemAndUndoing() {
        const QString db = freshDb(QStringLiteral("delete"));
        SmallLibrary lib(db);
        StoreClient client(db);
        FeedbackDialog dialog(&client);
        QSignalSpy refreshed(&dialog, &FeedbackDialog::refreshed);
        dialog.show();
        QVERIFY(refreshed.wait(30000));
        dialog.selectDraft(lib.sea);
        // The Regenerate round's pair: c2 chosen over c1.
        int pairRow = -1;
        for (int r = 0; r < dialog.items()->rowCount(); ++r)
            if (dialog.items()->item(r, FeedbackDialog::TextColumn)->text() == QStringLiteral("His name was Tomas.") &&
                dialog.items()->item(r, FeedbackDialog::RejectedColumn)->text() == QStringLiteral("He went fishing."))
                pairRow = r;
        QVERIFY(pairRow >= 0);
        QVERIFY(!dialog.undoButton()->isEnabled());
        dialog.itemsView()->setCurrentIndex(dialog.items()->index(pairRow, 0));
        QVERIFY(dialog.deleteButton()->isEnabled());
        refreshed.clear();
        dialog.deleteButton()->click();
        QVERIFY(refreshed.wait(30000));
        QCOMPARE(cell(dialog, lib.sea, FeedbackDialog::PairsColumn), 2);
        QCOMPARE(cell(dialog, lib.sea, FeedbackDialog::DeletedColumn), 1);
        QCOMPARE(cell(dialog, lib.sea, FeedbackDialog::KtoColumn), 2); // its two sides do not become KTO rows
        QCOMPARE(dialog.items()->rowCount(), 2 + 2 + 2);
        {
            Store s(db.toStdString(), {.read_only = true});
            const std::vector<FeedbackItemKey> want{{FeedbackSet::Pairs, lib.c2, lib.c1}};
            QVERIFY(s.deleted_feedback_items() == want);
        }
        QVERIFY(dialog.undoButton()->isEnabled());
        refreshed.clear();
        dialog.undoButton()->click();
        QVERIFY(refreshed.wait(30000));
        QCOMPARE(cell(dialog, lib.sea, FeedbackDialog::PairsColumn), 3);
        QCOMPARE(cell(dialog, lib.sea, FeedbackDialog::DeletedColumn), 0);
        QVERIFY(!dialog.undoButton()->isEnabled());
        Store s(db.toStdString(), {.read_only = true});
        QVERIFY(s.deleted_feedback_items().empty());
    }

    void objectiveDefaultFollowsThePairCount() {
        QCOMPARE(defaultObjective(kMinPairsForDpo, 0, 0), ObjectiveKind::DPO);
        QCOMPARE(defaultObjective(kMinPairsForDpo - 1, 5, 2), ObjectiveKind::SFT);
        QCOMPARE(defaultObjective(kMinPairsForDpo - 1, 1, 4), ObjectiveKind::KTO);
        QCOMPARE(defaultObjective(0, 0, 0), ObjectiveKind::SFT);
    }

    void feedbackPageExportsAndHoldsPairsOut_data() {
        QTest::addColumn<int>("pairs");
        QTest::addColumn<int>("held");
        QTest::addColumn<int>("objective");
        // 12 pairs: 2 held out, 10 to train on, enough for DPO; 6: 1 held out, 5 are too few.
        QTest::newRow("many pairs") << 12 << 2 << int(ObjectiveKind::DPO);
        QTest::newRow("few pairs") << 6 << 1 << int(ObjectiveKind::SFT);
    }
    void feedbackPageExportsAndHoldsPairsOut() {
        QFETCH(int, pairs);
        QFETCH(int, held);
        QFETCH(int, objective);
        const QString db = freshDb(QStringLiteral("page-%1").arg(pairs));
        addPairs(db, pairs);
        StoreClient client(db);
        WizardState state;
        state.store = &client;
        state.runHome = dir_.filePath(QStringLiteral("page-run-%1").arg(pairs));
        QDir().mkpath(state.runHome);
        FeedbackPage page(&state);
        QSignalSpy exported(&page, &FeedbackPage::exported);
        page.initializePage();
        QVERIFY(exported.wait(30000));
        QVERIFY2(page.isExported(), qPrintable(page.counts()->text()));
        const FeedbackPage::Counts c = page.exportedCounts();
        QCOMPARE(c.pairs, qint64(pairs));
        QCOMPARE(c.sft, qint64(pairs));
        QCOMPARE(c.heldOutPairs, qint64(held));
        QCOMPARE(c.trainPairs, qint64(pairs - held));
        QVERIFY2(page.counts()->text().contains(QStringLiteral("%1 pairs").arg(pairs)), qPrintable(page.counts()->text()));
        QVERIFY(page.button(ObjectiveKind(objective))->isChecked());
        QCOMPARE(int(page.objective()), objective);
        QVERIFY(!page.button(ObjectiveKind::KTO)->isEnabled()); // no ratings: nothing for KTO
        QVERIFY(page.isComplete());
        QVERIFY(page.validatePage());
        QVERIFY(state.feedback);
        QCOMPARE(int(state.objective), objective);
        QCOMPARE(lines(state.heldOutPairs), held);
        if (objective == int(ObjectiveKind::DPO)) QCOMPARE(lines(state.feedbackData), pairs - held);
        else QCOMPARE(lines(state.feedbackData), pairs);
        // Held out and trained on are disjoint and together the export.
        QCOMPARE(lines(QDir(state.feedbackSplitDir()).filePath(QStringLiteral("pairs-train.jsonl"))) + held,
                 lines(QDir(state.feedbackDir()).filePath(QStringLiteral("pairs.jsonl"))));
        QCOMPARE(state.lmMix, kVoiceMix);
        page.keepVoice()->setChecked(false);
        page.validatePage();
        QCOMPARE(state.lmMix, 0.0);
    }

    void quietNoteOffersARunWhenEnoughIsNew() {
        const QString db = freshDb(QStringLiteral("note"));
        addPairs(db, 12); // 24 items: 12 pairs and 12 SFT rows
        StoreClient client(db);
        AppSettings settings;
        settings.setFeedbackAtLastRun(0);
        FeedbackNote note(&client, &settings, nullptr);
        QSignalSpy counted(&note, &FeedbackNote::counted), offered(&note, &FeedbackNote::offered),
            recorded(&note, &FeedbackNote::recorded);
        note.check();
        QVERIFY(counted.wait(30000));
        QCOMPARE(counted.first().at(0).toLongLong(), 24);
        QCOMPARE(offered.count(), 1);
        QCOMPARE(offered.first().at(0).toLongLong(), 24);
        note.recordRun();
        QVERIFY(recorded.wait(30000));
        QCOMPARE(settings.feedbackAtLastRun(), 24);
        counted.clear();
        offered.clear();
        note.check();
        QVERIFY(counted.wait(30000));
        QCOMPARE(counted.first().at(1).toLongLong(), 0);
        QCOMPARE(offered.count(), 0); // nothing new since the run
        settings.setFeedbackAtLastRun(24 - kFeedbackNoteThreshold + 1);
        note.check();
        QVERIFY(counted.wait(30000));
        QCOMPARE(offered.count(), 0); // one short of the threshold
    }

    // A tiny DPO run through the wizard, from the window's menu entry onwards.
    void wizardTrainsDpoOnFeedback() {
        QVERIFY2(!qEnvironmentVariable("FABULA_CLI").isEmpty(), "FABULA_CLI names the fabula-cli under test");
        const QString base = dir_.filePath(QStringLiteral("tiny-gpt2"));
        QVERIFY(test::makeModel(base));
        const QString db = dir_.filePath(QStringLiteral("library/fabula.sqlite"));
        QDir().mkpath(QFileInfo(db).absolutePath());
        addPairs(db, 12);
        const QString stories = dir_.filePath(QStringLiteral("stories"));
        QDir().mkpath(stories);
        QFile jsonl(qEnvironmentVariable("FABULA_SHARED_DIR") + QStringLiteral("/data/stories/tinystories_subset.jsonl"));
        QVERIFY2(jsonl.open(QIODevice::ReadOnly), qPrintable(jsonl.fileName()));
        for (int n = 0; n < 12 && !jsonl.atEnd();) {
            const QString text = QJsonDocument::fromJson(jsonl.readLine()).object().value(QStringLiteral("text")).toString();
            if (text.trimmed().isEmpty()) continue;
            QFile f(QDir(stories).filePath(QStringLiteral("story-%1.txt").arg(n++)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text.toUtf8());
        }
        MainWindowOptions wo;
        wo.databasePath = db;
        wo.modelPath = base;
        wo.askForModel = false;
        MainWindow window(wo);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.models()->isLoaded() && window.documents()->currentDraft() != 0, 60000);

        FineTuneWizardOptions o;
        o.runsRoot = dir_.filePath(QStringLiteral("runs"));
        o.feedback = true;
        FineTuneWizard wizard(window.store(), window.models(), window.trainingRuns(), o);
        wizard.show();
        auto next = [&wizard] {
            return wizard.button(wizard.currentId() == FineTuneWizard::Estimate ? QWizard::CommitButton : QWizard::NextButton);
        };
        QSignalSpy prepared(wizard.storiesPage(), &StoriesPage::prepared);
        wizard.storiesPage()->addSources({stories});
        QVERIFY(prepared.wait(kLong));
        QTRY_VERIFY_WITH_TIMEOUT(!wizard.storiesPage()->isPreparing() && next()->isEnabled(), kLong);
        QSignalSpy described(wizard.settingsPage(), &SettingsPage::described);
        next()->click();
        QCOMPARE(wizard.currentId(), int(FineTuneWizard::Settings));
        QVERIFY(described.count() > 0 || described.wait(30000));
        wizard.settingsPage()->findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(10);
        wizard.settingsPage()->findChild<QLineEdit*>(QStringLiteral("lr"))->setText(QStringLiteral("0.001"));
        wizard.settingsPage()->findChild<QLineEdit*>(QStringLiteral("modelName"))->setText(QStringLiteral("Tuned"));

        QSignalSpy exported(wizard.feedbackPage(), &FeedbackPage::exported);
        next()->click();
        QCOMPARE(wizard.currentId(), int(FineTuneWizard::Feedback));
        QVERIFY(exported.count() > 0 || exported.wait(60000));
        QVERIFY(wizard.feedbackPage()->button(ObjectiveKind::DPO)->isChecked());

        QSignalSpy estimated(wizard.estimatePage(), &EstimatePage::estimated);
        next()->click();
        QCOMPARE(wizard.currentId(), int(FineTuneWizard::Estimate));
        QVERIFY(estimated.wait(kLong));
        QTRY_VERIFY_WITH_TIMEOUT(next()->isEnabled(), kLong);
        next()->click();
        QCOMPARE(wizard.currentId(), int(FineTuneWizard::Dashboard));
        ui::TrainingRun* run = wizard.run();
        QVERIFY(run);
        QSignalSpy finished(run, &ui::TrainingRun::finished), failed(run, &ui::TrainingRun::failed);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || failed.count() > 0, kLong);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QFile optionsFile(QDir(wizard.state().runDir()).filePath(QStringLiteral("options.json")));
        QVERIFY(optionsFile.open(QIODevice::ReadOnly));
        const QJsonObject options = QJsonDocument::fromJson(optionsFile.readAll()).object();
        QCOMPARE(options.value(QStringLiteral("objective")).toString(), QStringLiteral("dpo"));
        QCOMPARE(abs(options.value(QStringLiteral("data")).toString()),
                 abs(QDir(wizard.state().feedbackSplitDir()).filePath(QStringLiteral("pairs-train.jsonl"))));
        QCOMPARE(options.value(QStringLiteral("lm-mix")).toDouble(), kVoiceMix);
        QCOMPARE(abs(options.value(QStringLiteral("stories")).toString()), abs(wizard.state().trainDir()));

        ResultPage* result = wizard.resultPage();
        QSignalSpy compared(result, &ResultPage::compared);
        next()->click();
        QVERIFY(compared.count() == 1 || compared.wait(kLong));
        for (QLabel* l : {result->basePreferenceAccuracy(), result->newPreferenceAccuracy()}) {
            QVERIFY2(l->text().contains(QStringLiteral("preference accuracy")) && l->property("accuracy").isValid(),
                     qPrintable(l->text()));
            QVERIFY(l->text().contains(QStringLiteral("2 held-out pair")));
        }
        QVERIFY2(result->newPerplexity()->text().contains(QStringLiteral("perplexity")), qPrintable(result->newPerplexity()->text()));
        qInfo("held-out preference accuracy: base %s, new %s; margin: base %s, new %s; %s",
              qPrintable(result->basePreferenceAccuracy()->property("accuracy").toString()),
              qPrintable(result->newPreferenceAccuracy()->property("accuracy").toString()),
              qPrintable(result->basePreferenceAccuracy()->property("rewardMargin").toString()),
              qPrintable(result->newPreferenceAccuracy()->property("rewardMargin").toString()),
              qPrintable(result->newPerplexity()->text()));
        // The rejected continuations all say the same: ten epochs of DPO (lr 1e-3) learn to avoid it, which the random
        // base model (as made by the fixture, with its fixed seed) prefers on both held-out pairs.
        QCOMPARE(result->basePreferenceAccuracy()->property("accuracy").toDouble(), 0.0);
        QCOMPARE(result->newPreferenceAccuracy()->property("accuracy").toDouble(), 1.0);
        QVERIFY2(result->newPreferenceAccuracy()->property("rewardMargin").toDouble() >
                     result->basePreferenceAccuracy()->property("rewardMargin").toDouble(),
                 qPrintable(result->newPreferenceAccuracy()->property("rewardMargin").toString() + QStringLiteral(" <= ") +
                            result->basePreferenceAccuracy()->property("rewardMargin").toString()));
    }
};

QTEST_MAIN(TestFeedbackLoop)
#include "test_feedback_loop.moc"
