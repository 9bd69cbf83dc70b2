// Voices (LoRA adapters in PEFT's format, written here by peft itself): the
// model list shows them under their base, and one made for a model that is
// not in the list as such, which cannot be chosen; the toolbar switches
// voices without reading the base again and the continuations say which
// voice wrote them; the voice is remembered with the model; the fine-tune
// wizard picks LoRA when full fine-tuning would not fit, and its run's
// adapter becomes a voice. Real widgets, a real SQLite file, tiny random
// GPT-2 models and real fabula-cli children.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/lora.h"
#include "core/model_folder.h"
#include "core/store/store.h"
#include "training/train_contract.h"
#include "training/trainer.h"
#endif
#include "ui/app_settings.h"
#include "ui/document_manager.h"
#include "ui/editor.h"
#include "ui/engine_worker.h"
#include "ui/main_window.h"
#include "ui/model_dialog.h"
#include "ui/model_list_model.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "ui/suggestion_controller.h"
#include "ui/training_run.h"
#include "ui/voice_box.h"
#include "ui/wizard/dashboard_page.h"
#include "ui/wizard/estimate_page.h"
#include "ui/wizard/fine_tune_wizard.h"
#include "ui/wizard/result_page.h"
#include "ui/wizard/settings_page.h"
#include "ui/wizard/stories_page.h"
#include "ui/wizard/wizard_state.h"
#include "test_support.h"

#include <QAbstractButton>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTreeView>
#include <QtTest>

#include <memory>

using namespace fabula;
using namespace fabula::ui;

namespace {

constexpr int kLong = 300000; // ms: the children on a loaded 2-core machine

QString abs(const QString& p) { return QDir::cleanPath(QDir(p).absolutePath()); }

QModelIndex topRow(QAbstractItemModel* m, const QString& name) {
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, ModelListModel::Name).data().toString() == name) return m->index(r, 0);
    return {};
}

} // namespace

class TestVoices : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString base_, other_, mia_, orphan_, runDir_, stories_;
    std::unique_ptr<MainWindow> window_;

    MainWindowOptions windowOptions() const {
        MainWindowOptions o;
        o.databasePath = dir_.filePath(QStringLiteral("library/fabula.sqlite"));
        o.modelPath = base_;
        o.askForModel = false;
        return o;
    }

    // One greedy continuation of the open draft; its outcome.
    GenerationOutcome continueOnce() {
        SuggestionController* s = window_->suggestions();
        s->reject();
        QSignalSpy finished(s, &SuggestionController::generationFinished);
        s->continueText();
        if (!finished.wait(120000)) return {};
        return finished.first().first().value<GenerationOutcome>();
    }

    qint64 baseId() const {
        for (const RegisteredModel& m : window_->models()->models())
            if (abs(m.path) == abs(base_)) return m.id;
        return 0;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        qputenv("XDG_CACHE_HOME", dir_.filePath(QStringLiteral("cache")).toUtf8());
        base_ = dir_.filePath(QStringLiteral("tiny-gpt2"));
        other_ = dir_.filePath(QStringLiteral("other-gpt2"));
        mia_ = dir_.filePath(QStringLiteral("mia-adapter"));
        orphan_ = dir_.filePath(QStringLiteral("orphan"));
        runDir_ = dir_.filePath(QStringLiteral("old-run/run"));
        QVERIFY(test::makeModel(base_));
        QVERIFY(test::makeModel(other_, 64));
        QVERIFY(test::makeAdapter(base_, mia_, QStringLiteral("Mia"), 1));
        QVERIFY(test::makeAdapter(other_, orphan_, QString(), 2));
        // A finished LoRA run's adapter, as fabula-cli leaves it in RUN/adapter.
        QVERIFY(test::makeAdapter(base_, runDir_ + QStringLiteral("/adapter"), QString(), 3));

        window_ = std::make_unique<MainWindow>(windowOptions());
        window_->show();
        QTRY_VERIFY_WITH_TIMEOUT(window_->models()->isLoaded() && window_->documents()->currentDraft() != 0, 60000);
        GenerationSettings greedy = window_->suggestions()->settings();
        greedy.topK = 1;
        greedy.seed = 7;
        greedy.maxNewTokens = 12;
        window_->suggestions()->setSettings(greedy);
    }

    void voicesAreListedUnderTheirBase() {
        ModelManager* models = window_->models();
        QTRY_VERIFY_WITH_TIMEOUT(baseId() > 0, 30000);
        std::int64_t base = baseId();
        window_->store()->submit([this, base](Store& s) {
            NewTrainingRun r;
            r.name = "Lighthouse voice";
            r.out_dir = runDir_.toStdString();
            r.model_id = base;
            r.status = TrainingStatus::Finished;
            s.add_training_run(r);
        });
        window_->store()->waitForIdle();
        QSignalSpy added(models, &ModelManager::voiceAdded);
        models->addFolder(mia_);
        models->addFolder(orphan_);
        QTRY_VERIFY_WITH_TIMEOUT(models->voices().size() == 3 && added.count() == 2, 60000);
        QStringList addedNames{added.at(0).at(1).toString(), added.at(1).at(1).toString()};
        addedNames.sort();
        QCOMPARE(addedNames, (QStringList{QStringLiteral("Mia"), QStringLiteral("orphan")}));
        // Voices are not models: the base is the only one to load.
        QCOMPARE(models->models().size(), 1);

        ModelDialog dialog(models, window_->settings(), window_.get());
        QAbstractItemModel* list = dialog.view()->model();
        QTRY_VERIFY_WITH_TIMEOUT(topRow(list, QStringLiteral("tiny-gpt2")).isValid(), 30000);
        const QModelIndex baseRow = topRow(list, QStringLiteral("tiny-gpt2"));
        QCOMPARE(list->rowCount(baseRow), 2);
        QStringList names;
        for (int r = 0; r < 2; ++r) {
            const QModelIndex v = list->index(r, ModelListModel::Name, baseRow);
            names << v.data().toString();
            QCOMPARE(list->index(r, ModelListModel::Family, baseRow).data().toString(), QStringLiteral("voice"));
            QVERIFY(v.data(ModelListModel::UsableRole).toBool());
            QCOMPARE(abs(v.data(ModelListModel::PathRole).toString()), abs(base_));
        }
        names.sort();
        // fabula.json's voice, and the run's name for the run's adapter.
        QCOMPARE(names, (QStringList{QStringLiteral("Lighthouse voice"), QStringLiteral("Mia")}));

        // Made for a model that is not in the list: shown with that model, and it cannot be chosen.
        const QModelIndex orphan = topRow(list, QStringLiteral("orphan"));
        QVERIFY(orphan.isValid());
        QCOMPARE(list->rowCount(orphan), 0);
        QVERIFY(!orphan.data(ModelListModel::UsableRole).toBool());
        const QString madeFor = AdapterFolder::inspect(orphan_.toStdString()).base_model.c_str();
        QVERIFY(!madeFor.isEmpty());
        QVERIFY2(list->index(orphan.row(), ModelListModel::Family).data().toString().contains(madeFor),
                 qPrintable(list->index(orphan.row(), ModelListModel::Family).data().toString()));
        QVERIFY(orphan.data(ModelListModel::ProblemRole).toString().contains(QStringLiteral("not in the model list")));
        dialog.view()->setCurrentIndex(orphan);
        auto* load = dialog.findChild<QPushButton*>(QStringLiteral("loadModel"));
        QVERIFY(load);
        QVERIFY(!load->isEnabled());
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("modelStatus"))->text().contains(madeFor));
        dialog.view()->setCurrentIndex(list->index(0, 0, baseRow));
        QVERIFY(load->isEnabled());
        QVERIFY(load->text().contains(QStringLiteral("voice")));
    }

    void switchingVoicesDoesNotReloadTheBase() {
        ModelManager* models = window_->models();
        EngineWorker* engine = window_->engine();
        VoiceBox* box = window_->voiceBox();
        QTRY_COMPARE_WITH_TIMEOUT(box->count(), 3, 30000);
        QVERIFY(box->isEnabled());
        QTest::keyClicks(window_->editor(), QStringLiteral("The lighthouse keeper"));
        const int loads = engine->modelLoads();
        QVERIFY(loads >= 1);

        const GenerationOutcome plain = continueOnce();
        QVERIFY2(plain.error.isEmpty() && !plain.ids.isEmpty(), qPrintable(plain.error));
        QVERIFY(plain.voice.isEmpty());

        const int miaItem = box->findData(mia_) >= 0 ? box->findData(mia_) : box->findData(abs(mia_));
        QVERIFY(miaItem > 0);
        QSignalSpy changed(models, &ModelManager::voiceChanged);
        box->setCurrentIndex(miaItem);
        Q_EMIT box->activated(miaItem);
        QVERIFY(changed.wait(60000));
        QCOMPARE(abs(changed.first().at(0).toString()), abs(mia_));
        QCOMPARE(changed.first().at(1).toString(), QStringLiteral("Mia"));
        QCOMPARE(engine->modelLoads(), loads); // the base was not read again
        QVERIFY2(window_->modelLabel()->text().contains(QStringLiteral("Mia")), qPrintable(window_->modelLabel()->text()));
        QCOMPARE(abs(window_->settings()->voiceFor(base_)), abs(mia_));

        const GenerationOutcome voiced = continueOnce();
        QVERIFY2(voiced.error.isEmpty() && !voiced.ids.isEmpty(), qPrintable(voiced.error));
        QCOMPARE(voiced.voice, QStringLiteral("Mia"));
        QCOMPARE(voiced.promptIds, plain.promptIds);
        QVERIFY2(voiced.ids != plain.ids, "the voice writes what the base alone writes");

        // The store: the base's row, and the voice with the settings.
        const qint64 draft = window_->documents()->currentDraft();
        auto rows = std::make_shared<std::vector<ContinuationRecord>>();
        window_->store()->submit([draft, rows](Store& s) { *rows = s.list_continuations(draft); });
        window_->store()->waitForIdle();
        QVERIFY(rows->size() >= 2);
        const ContinuationRecord& last = rows->back();
        QCOMPARE(last.model_id, std::optional<std::int64_t>(baseId()));
        const QJsonObject settings = QJsonDocument::fromJson(QByteArray::fromStdString(last.settings_json)).object();
        QCOMPARE(settings.value(QStringLiteral("voice")).toString(), QStringLiteral("Mia"));
        QCOMPARE(abs(settings.value(QStringLiteral("adapter")).toString()), abs(mia_));
        QVERIFY(!QJsonDocument::fromJson(QByteArray::fromStdString((*rows)[rows->size() - 2].settings_json))
                     .object()
                     .contains(QStringLiteral("voice")));

        // Back to the base alone: still no reload, and it writes what it wrote before.
        changed.clear();
        box->setCurrentIndex(0);
        Q_EMIT box->activated(0);
        QVERIFY(changed.wait(60000));
        QVERIFY(changed.first().at(0).toString().isEmpty());
        QCOMPARE(engine->modelLoads(), loads);
        const GenerationOutcome again = continueOnce();
        QCOMPARE(again.ids, plain.ids);
        QVERIFY(window_->settings()->voiceFor(base_).isEmpty());
        window_->suggestions()->reject();
    }

    void theVoiceIsRememberedWithTheModel() {
        VoiceBox* box = window_->voiceBox();
        const int miaItem = std::max(box->findData(mia_), box->findData(abs(mia_)));
        QSignalSpy changed(window_->models(), &ModelManager::voiceChanged);
        box->setCurrentIndex(miaItem);
        Q_EMIT box->activated(miaItem);
        QVERIFY(changed.wait(60000));
        window_.reset();
        window_ = std::make_unique<MainWindow>(windowOptions());
        window_->show();
        QTRY_VERIFY_WITH_TIMEOUT(window_->models()->isLoaded(), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(abs(window_->models()->voice()), abs(mia_), 60000);
        QCOMPARE(window_->models()->voiceName(), QStringLiteral("Mia"));
        QTRY_VERIFY_WITH_TIMEOUT(window_->modelLabel()->text().contains(QStringLiteral("Mia")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(abs(window_->voiceBox()->shownVoice()) == abs(mia_), 30000);
        QCOMPARE(window_->engine()->modelLoads(), 1);
    }

    void wizardPicksLoraWhenFullDoesNotFit() {
        const ModelFolder folder = ModelFolder::inspect(base_.toStdString());
        const training::TrainOptions defaults;
        const int block = std::min(512, folder.config.n_positions);
        const LoraSettings lora;
        const qint64 full = training::estimate_training_memory(folder.config, defaults.batch_size, block, false).total();
        const qint64 small =
            training::estimate_training_memory(folder.config, defaults.batch_size, block, false, &lora).total();
        QVERIFY2(small < full, qPrintable(QStringLiteral("%1 %2").arg(small).arg(full)));

        struct Case {
            qint64 available;
            bool lora;
        };
        for (const Case c : {Case{(full + small) / 2, true}, Case{full * 4, false}}) {
            FineTuneWizardOptions o;
            o.runsRoot = dir_.filePath(QStringLiteral("runs"));
            o.availableMemory = c.available;
            FineTuneWizard wizard(window_->store(), window_->models(), window_->trainingRuns(), o);
            SettingsPage* page = wizard.settingsPage();
            QSignalSpy described(page, &SettingsPage::described);
            page->initializePage();
            QVERIFY(described.count() > 0 || described.wait(30000));
            QCOMPARE(page->loraMethod()->isChecked(), c.lora);
            QCOMPARE(page->fullMethod()->isChecked(), !c.lora);
            QVERIFY(page->loraMethod()->text().contains(QStringLiteral("less memory; faster on a CPU")));
            // Each method with its own estimate.
            auto info = [page](QRadioButton* b) {
                return page->findChild<QLabel*>(b->objectName() + QStringLiteral("Info"))->text();
            };
            QVERIFY2(info(page->fullMethod()).contains(formatBytes(full)), qPrintable(info(page->fullMethod())));
            QVERIFY2(info(page->loraMethod()).contains(formatBytes(small)), qPrintable(info(page->loraMethod())));
            QVERIFY(info(page->loraMethod()).contains(QStringLiteral("time")));
            QCOMPARE(page->methodAdvice()->text().isEmpty(), !c.lora);
            QVERIFY(page->validatePage());
            QCOMPARE(wizard.state().options.lora, c.lora);
            const nlohmann::json j = training::to_options_json(wizard.state().options);
            QCOMPARE(j.contains("lora-r"), c.lora);
            if (c.lora) QCOMPARE(j["lora-r"].get<int>(), 8);
            // The writer's own choice stands when the figures change.
            if (c.lora) {
                page->fullMethod()->click();
                described.clear();
                page->findChild<QSpinBox*>(QStringLiteral("batchSize"))->setValue(3);
                QVERIFY(described.wait(30000));
                QVERIFY(page->fullMethod()->isChecked());
            }
        }
    }

    // A whole LoRA run through the wizard: lora-r in the run's options file,
    // RUN/adapter as its result, compared on its base and put on as a voice
    // without reloading the base.
    void wizardTrainsAVoice() {
        QVERIFY2(!qEnvironmentVariable("FABULA_CLI").isEmpty(), "FABULA_CLI names the fabula-cli under test");
        stories_ = dir_.filePath(QStringLiteral("stories"));
        QDir().mkpath(stories_);
        QFile jsonl(qEnvironmentVariable("FABULA_SHARED_DIR") + QStringLiteral("/data/stories/tinystories_subset.jsonl"));
        QVERIFY2(jsonl.open(QIODevice::ReadOnly), qPrintable(jsonl.fileName()));
        for (int n = 0; n < 12 && !jsonl.atEnd();) {
            const QString text = QJsonDocument::fromJson(jsonl.readLine()).object().value(QStringLiteral("text")).toString();
            if (text.trimmed().isEmpty()) continue;
            QFile f(QDir(stories_).filePath(QStringLiteral("story-%1.txt").arg(n++)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text.toUtf8());
        }
        ModelManager* models = window_->models();
        const LoraSettings lora;
        const ModelFolder folder = ModelFolder::inspect(base_.toStdString());
        const qint64 full = training::estimate_training_memory(folder.config, 2, 128, false).total();
        const qint64 small = training::estimate_training_memory(folder.config, 2, 128, false, &lora).total();
        FineTuneWizardOptions o;
        o.runsRoot = dir_.filePath(QStringLiteral("runs"));
        o.availableMemory = (full + small) / 2;
        FineTuneWizard wizard(window_->store(), models, window_->trainingRuns(), o);
        wizard.show();
        auto next = [&wizard] {
            return wizard.button(wizard.currentId() == FineTuneWizard::Estimate ? QWizard::CommitButton : QWizard::NextButton);
        };
        QSignalSpy prepared(wizard.storiesPage(), &StoriesPage::prepared);
        wizard.storiesPage()->addSources({stories_});
        QVERIFY(prepared.wait(kLong));
        QTRY_VERIFY_WITH_TIMEOUT(!wizard.storiesPage()->isPreparing() && next()->isEnabled(), kLong);
        QSignalSpy described(wizard.settingsPage(), &SettingsPage::described);
        next()->click();
        QCOMPARE(wizard.currentId(), int(FineTuneWizard::Settings));
        QVERIFY(described.count() > 0 || described.wait(30000));
        QVERIFY(wizard.settingsPage()->loraMethod()->isChecked());
        wizard.settingsPage()->findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(1);
        wizard.settingsPage()->findChild<QLineEdit*>(QStringLiteral("modelName"))->setText(QStringLiteral("Keeper"));

        QSignalSpy estimated(wizard.estimatePage(), &EstimatePage::estimated);
        next()->click();
        QVERIFY(estimated.wait(kLong));
        QVERIFY2(wizard.estimatePage()->otherMethodLabel()->text().contains(QStringLiteral("Full fine-tuning would take")),
                 qPrintable(wizard.estimatePage()->otherMethodLabel()->text() + QLatin1Char(' ') +
                            wizard.estimatePage()->findChild<QLabel*>(QStringLiteral("estimateStatus"))->text()));
        QVERIFY(next()->isEnabled());

        next()->click();
        QCOMPARE(wizard.currentId(), int(FineTuneWizard::Dashboard));
        ui::TrainingRun* run = wizard.run();
        QVERIFY(run);
        QSignalSpy finished(run, &ui::TrainingRun::finished), failed(run, &ui::TrainingRun::failed);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || failed.count() > 0, kLong);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const QString runDir = wizard.state().runDir();
        // The options file fabula-cli read: LoRA's rank, by the contract's key.
        QFile optionsFile(QDir(runDir).filePath(QStringLiteral("options.json")));
        QTRY_VERIFY_WITH_TIMEOUT(optionsFile.exists(), 30000);
        QVERIFY(optionsFile.open(QIODevice::ReadOnly));
        const QJsonObject options = QJsonDocument::fromJson(optionsFile.readAll()).object();
        QCOMPARE(options.value(QStringLiteral("lora-r")).toInt(), 8);
        QCOMPARE(abs(wizard.state().modelDir), abs(QDir(runDir).filePath(QStringLiteral("adapter"))));
        QVERIFY(AdapterFolder::is_adapter(wizard.state().modelDir.toStdString()));
        QVERIFY(!QFileInfo::exists(QDir(runDir).filePath(QStringLiteral("model"))));

        ResultPage* result = wizard.resultPage();
        QSignalSpy compared(result, &ResultPage::compared), continued(result, &ResultPage::continued);
        next()->click();
        QVERIFY(compared.count() == 1 || compared.wait(kLong));
        QVERIFY(continued.count() == 1 || continued.wait(kLong));
        QVERIFY2(result->newPerplexity()->text().contains(QStringLiteral("perplexity")), qPrintable(result->newPerplexity()->text()));
        QVERIFY(!result->newContinuation(0)->toPlainText().isEmpty() || result->prompt(0)->text().isEmpty());
        QVERIFY2(result->useButton()->text().contains(QStringLiteral("voice")), qPrintable(result->useButton()->text()));

        const int loads = window_->engine()->modelLoads();
        QSignalSpy changed(models, &ModelManager::voiceChanged);
        result->useButton()->click();
        QVERIFY(changed.wait(60000));
        QCOMPARE(abs(changed.last().at(0).toString()), abs(wizard.state().modelDir));
        QCOMPARE(window_->engine()->modelLoads(), loads);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(models->voices().begin(), models->voices().end(), [&](const RegisteredVoice& v) {
            return v.name == QStringLiteral("Keeper") && v.usable() && abs(v.path) == abs(wizard.state().modelDir);
        }), 30000);
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestVoices)
#include "test_voices.moc"
