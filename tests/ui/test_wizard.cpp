// The fine-tune wizard driven to the end against real fabula-cli children, a
// tiny random GPT-2 and 30 TinyStories: the counts and the histogram of the
// stories, the recipe's defaults, the estimate, one chart point per logged
// step and evaluation, both perplexities and both sets of continuations, and
// the new model registered and loaded.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/model_folder.h"
#include "core/store/store.h"
#include "core/tokenizer.h"
#include "training/train_contract.h"
#include "training/trainer.h"
#endif
#include "ui/document_manager.h"
#include "ui/editor.h"
#include "ui/main_window.h"
#include "ui/model_manager.h"
#include "ui/run_library.h"
#include "ui/store_client.h"
#include "ui/training_run.h"
#include "ui/wizard/dashboard_page.h"
#include "ui/wizard/estimate_page.h"
#include "ui/wizard/fine_tune_wizard.h"
#include "ui/wizard/result_page.h"
#include "ui/wizard/settings_page.h"
#include "ui/wizard/stories_page.h"
#include "ui/wizard/wizard_state.h"
#include "test_support.h"

#include <QAbstractButton>
#include <QBarSeries>
#include <QBarSet>
#include <QCheckBox>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QDoubleSpinBox>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace fabula;
using namespace fabula::ui;

namespace {

constexpr int kStories = 30;
constexpr int kLong = 300000; // ms: training and the children on a loaded 2-core machine

double histogramTotal(QChartView* view) {
    double total = 0;
    for (QAbstractSeries* s : view->chart()->series())
        if (auto* bars = qobject_cast<QBarSeries*>(s))
            for (QBarSet* set : bars->barSets())
                for (int i = 0; i < set->count(); ++i) total += set->at(i);
    return total;
}

int eventsOfKind(const QString& file, const QString& kind) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    int n = 0;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty() && QJsonDocument::fromJson(line).object().value(QStringLiteral("event")).toString() == kind) ++n;
    return n;
}

double perplexityIn(const QLabel* label) {
    const auto m = QRegularExpression(QStringLiteral("perplexity ([0-9.]+)")).match(label->text());
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

} // namespace

class TestWizard : public QObject {
    Q_OBJECT

private:
    // The wizard's run as the store holds it now.
    std::optional<fabula::TrainingRun> runRow() const {
        const qint64 id = wizard_->runId();
        if (id == 0) return std::nullopt;
        auto row = std::make_shared<std::optional<fabula::TrainingRun>>();
        window_->store()->submit([id, row](Store& s) { *row = s.get_training_run(id); });
        window_->store()->waitForIdle();
        return *row;
    }

    QTemporaryDir dir_;
    QString model_, clean_, messy_, runs_;
    QStringList texts_;
    std::unique_ptr<MainWindow> window_;
    std::unique_ptr<FineTuneWizard> wizard_;

    QAbstractButton* next() const { return wizard_->button(wizard_->currentId() == FineTuneWizard::Estimate ? QWizard::CommitButton : QWizard::NextButton); }

    void writeStory(const QString& folder, const QString& name, const QString& text) {
        QFile f(QDir(folder).filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text.toUtf8());
    }

    // Waits for prepare on the stories page to answer for the sources as they are now.
    void waitForStories() {
        auto* page = wizard_->storiesPage();
        QSignalSpy prepared(page, &StoriesPage::prepared);
        QVERIFY(prepared.wait(kLong));
        QTRY_VERIFY_WITH_TIMEOUT(!page->isPreparing(), kLong);
    }

    // With prepare's per-story lengths, each bar holds the stories whose GPT-2
    // token count (counted here with the tokenizer) falls in its range.
    void checkHistogramBins(QChartView* view, const QJsonObject& r) {
        const QJsonArray lengths = r.value(QStringLiteral("story_lengths")).toArray();
        if (lengths.isEmpty()) {
            qWarning("prepare --json has no story_lengths: the histogram is placed from the percentiles");
            return;
        }
        const Tokenizer tokenizer = ModelFolder::inspect(model_.toStdString()).load_tokenizer();
        std::vector<qint64> expected;
        for (const QString& t : texts_) expected.push_back(qint64(tokenizer.encode(t.toStdString()).size()));
        std::vector<qint64> got;
        for (const QJsonValue& v : lengths) got.push_back(v.toInteger());
        std::sort(expected.begin(), expected.end());
        std::sort(got.begin(), got.end());
        QVERIFY(got == expected);
        const qint64 max = expected.back();
        const double width = std::max(1.0, std::ceil(double(max) / 10));
        QBarSet* set = qobject_cast<QBarSeries*>(view->chart()->series().first())->barSets().first();
        QCOMPARE(set->count(), 10);
        for (int b = 0; b < 10; ++b) {
            const auto inBin = std::count_if(expected.begin(), expected.end(), [&](qint64 n) {
                return std::clamp(int(double(n) / width), 0, 9) == b;
            });
            QCOMPARE(set->at(b), double(inBin));
        }
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        qputenv("XDG_CACHE_HOME", dir_.filePath(QStringLiteral("cache")).toUtf8());
        QVERIFY2(!qEnvironmentVariable("FABULA_CLI").isEmpty(), "FABULA_CLI names the fabula-cli under test");
        model_ = dir_.filePath(QStringLiteral("tiny-gpt2"));
        QVERIFY(test::makeModel(model_));
        // 30 stories from TinyStories, one .txt each.
        QFile jsonl(qEnvironmentVariable("FABULA_SHARED_DIR") + QStringLiteral("/data/stories/tinystories_subset.jsonl"));
        QVERIFY2(jsonl.open(QIODevice::ReadOnly), qPrintable(jsonl.fileName()));
        clean_ = dir_.filePath(QStringLiteral("stories"));
        QDir().mkpath(clean_);
        while (texts_.size() < kStories && !jsonl.atEnd()) {
            const QString text = QJsonDocument::fromJson(jsonl.readLine()).object().value(QStringLiteral("text")).toString();
            if (text.trimmed().isEmpty() || texts_.contains(text)) continue;
            writeStory(clean_, QStringLiteral("story-%1.txt").arg(texts_.size(), 2, 10, QLatin1Char('0')), text);
            texts_ << text;
        }
        QCOMPARE(texts_.size(), kStories);
        // A second folder with a story already in the first and an empty one.
        messy_ = dir_.filePath(QStringLiteral("messy"));
        QDir().mkpath(messy_);
        writeStory(messy_, QStringLiteral("again.txt"), texts_[3]);
        writeStory(messy_, QStringLiteral("blank.txt"), QStringLiteral("  \n"));
        runs_ = dir_.filePath(QStringLiteral("runs"));

        MainWindowOptions o;
        o.databasePath = dir_.filePath(QStringLiteral("library/fabula.sqlite"));
        o.modelPath = model_;
        o.askForModel = false;
        window_ = std::make_unique<MainWindow>(o);
        window_->show();
        QTRY_VERIFY_WITH_TIMEOUT(window_->models()->isLoaded() && window_->documents()->currentDraft() != 0, 60000);
        QVERIFY(window_->action(QStringLiteral("fineTune")));
        FineTuneWizardOptions w;
        w.runsRoot = runs_;
        wizard_ = std::make_unique<FineTuneWizard>(window_->store(), window_->models(), window_->trainingRuns(), w);
        wizard_->show();
    }

    void storiesPageCountsAndHistogram() {
        auto* page = wizard_->storiesPage();
        QCOMPARE(wizard_->currentId(), int(FineTuneWizard::Stories));
        QVERIFY(!next()->isEnabled()); // nothing to train on yet
        page->addSources({clean_});
        waitForStories();
        const QJsonObject r = wizard_->state().prepared;
        QCOMPARE(r.value(QStringLiteral("stories")).toInt(), kStories);
        QVERIFY2(page->summary()->text().contains(QStringLiteral("Stories: 30,")), qPrintable(page->summary()->text()));
        QCOMPARE(histogramTotal(page->histogram()), double(kStories));
        checkHistogramBins(page->histogram(), r);
        QVERIFY(next()->isEnabled());

        // A duplicate and an empty story are counted, named and left out.
        page->addSources({messy_});
        waitForStories();
        QCOMPARE(wizard_->state().prepared.value(QStringLiteral("stories")).toInt(), kStories);
        QCOMPARE(wizard_->state().prepared.value(QStringLiteral("duplicates")).toInt(), 1);
        QCOMPARE(wizard_->state().prepared.value(QStringLiteral("empty")).toInt(), 1);
        QCOMPARE(histogramTotal(page->histogram()), double(kStories));
        QStringList problems;
        for (int i = 0; i < page->problems()->count(); ++i) problems << page->problems()->item(i)->text();
        // Named by the writer's own files, not the wizard's copies.
        QVERIFY2(problems.filter(QDir(messy_).filePath(QStringLiteral("again.txt")) + QLatin1Char(':')).size() == 1,
                 qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY2(problems.filter(QDir(messy_).filePath(QStringLiteral("blank.txt")) + QLatin1Char(':')).size() == 1,
                 qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY2(problems.filter(wizard_->state().storiesDir()).isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        page->sources()->item(1)->setSelected(true);
        page->sources()->item(0)->setSelected(false);
        page->findChild<QPushButton*>(QStringLiteral("removeSource"))->click();
        waitForStories();
        QCOMPARE(page->problems()->count(), 0);

        // A ticked draft from the library is written into the run's stories and counted.
        const QString draft = QStringLiteral("The lighthouse keeper counted the ships every night, and one night a ship counted him back.");
        window_->editor()->setFocus();
        QTest::keyClicks(window_->editor(), draft);
        window_->documents()->saveNow();
        window_->store()->waitForIdle();
        page->initializePage(); // lists the drafts again
        QTRY_VERIFY_WITH_TIMEOUT(page->drafts()->count() >= 1, 30000);
        page->drafts()->item(0)->setCheckState(Qt::Checked);
        waitForStories();
        QCOMPARE(wizard_->state().prepared.value(QStringLiteral("stories")).toInt(), kStories + 1);
        QCOMPARE(histogramTotal(page->histogram()), double(kStories + 1));
        const QStringList drafts = QDir(wizard_->state().storiesDir()).entryList({QStringLiteral("draft-*.txt")});
        QCOMPARE(drafts.size(), 1);
        QFile written(QDir(wizard_->state().storiesDir()).filePath(drafts.first()));
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(written.readAll()), draft);
        page->drafts()->item(0)->setCheckState(Qt::Unchecked);
        waitForStories();
        QCOMPARE(wizard_->state().prepared.value(QStringLiteral("stories")).toInt(), kStories);
        QVERIFY(next()->isEnabled());
    }

    void settingsDefaultToTheRecipe() {
        next()->click();
        QCOMPARE(wizard_->currentId(), int(FineTuneWizard::Settings));
        auto* page = wizard_->settingsPage();
        const training::TrainOptions o = page->options();
        const training::TrainOptions recipe;
        // The recipe, and TrainOptions' own defaults.
        QCOMPARE(o.lr, 5e-5);
        QCOMPARE(o.epochs, 3);
        QCOMPARE(o.batch_size, 2);
        QVERIFY(o.engine.precision == Precision::Auto);
        QVERIFY(o.batching == training::Batching::Pack);
        QCOMPARE(o.lr, recipe.lr);
        QCOMPARE(o.grad_accum, recipe.grad_accum);
        QCOMPARE(o.warmup_steps, recipe.warmup_steps);
        QCOMPARE(o.weight_decay, recipe.weight_decay);
        QCOMPARE(o.block_size, recipe.block_size);
        QCOMPARE(o.seed, recipe.seed);
        QCOMPARE(o.val_fraction, recipe.val_fraction);
        QCOMPARE(page->findChild<QLineEdit*>(QStringLiteral("lr"))->text(), QStringLiteral("5e-05"));
        QCOMPARE(QDir(page->model()->currentData().toString()).absolutePath(), QDir(model_).absolutePath());
        QTRY_VERIFY_WITH_TIMEOUT(page->modelInfo()->text().contains(QStringLiteral("parameters")), 30000);
        auto* name = page->findChild<QLineEdit*>(QStringLiteral("modelName"));
        name->clear();
        QVERIFY(!next()->isEnabled()); // a new model needs a name
        name->setText(QStringLiteral("Mia's voice"));
        QVERIFY(next()->isEnabled());
    }

    void estimateIsShown() {
        QSignalSpy estimated(wizard_->estimatePage(), &EstimatePage::estimated);
        next()->click();
        QCOMPARE(wizard_->currentId(), int(FineTuneWizard::Estimate));
        QVERIFY(estimated.wait(kLong));
        auto* page = wizard_->estimatePage();
        QVERIFY2(page->timeLabel()->text().contains(QStringLiteral("per epoch")), qPrintable(page->timeLabel()->text()));
        QVERIFY(page->memoryLabel()->text().contains(QStringLiteral("Memory")));
        QVERIFY2(page->diskLabel()->text().contains(QStringLiteral("free")), qPrintable(page->diskLabel()->text()));
        QVERIFY(wizard_->state().estimate.value(QStringLiteral("seconds_per_step")).toDouble() > 0);
        // 10 % of the 30 stories are held out, the rest trained on.
        QCOMPARE(QDir(wizard_->state().heldOutDir()).entryList(QDir::Files).size(), 3);
        QCOMPARE(QDir(wizard_->state().trainDir()).entryList(QDir::Files).size(), kStories - 3);
        QCOMPARE(wizard_->state().heldOutOpenings.size(), 3);
        QVERIFY(next()->isEnabled());
    }

    void dashboardChartsFollowTheRun() {
        QVERIFY(!wizard_->run()); // started by the dashboard, through the window's RunLibrary
        QSignalSpy notified(wizard_->dashboardPage(), &DashboardPage::notified);
        QSignalSpy recorded(wizard_->dashboardPage(), &DashboardPage::runRecorded);
        next()->click();
        QCOMPARE(wizard_->currentId(), int(FineTuneWizard::Dashboard));
        ui::TrainingRun* run = wizard_->run();
        QVERIFY(run);
        // The window's library follows it: the quit question and re-attaching at start see it.
        QVERIFY(recorded.count() == 1 || recorded.wait(60000));
        QCOMPARE(window_->trainingRuns()->run(wizard_->runId()), run);
        // The charts' spies come after the click: the child's lines are read later, on the event loop.
        QSignalSpy steps(run, &ui::TrainingRun::stepLogged), evals(run, &ui::TrainingRun::evaluated),
            finished(run, &ui::TrainingRun::finished), failed(run, &ui::TrainingRun::failed);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || failed.count() > 0, kLong);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        auto* page = wizard_->dashboardPage();
        QVERIFY(steps.count() > 0);
        QVERIFY(evals.count() > 0);
        QCOMPARE(page->lossSeries()->count(), int(steps.count()));
        QCOMPARE(page->perplexitySeries()->count(), int(evals.count()));
        // Every step and evaluation the child wrote.
        const QString events = QDir(wizard_->state().runDir()).filePath(QStringLiteral("events.jsonl"));
        QCOMPARE(page->lossSeries()->count(), eventsOfKind(events, QStringLiteral("step")));
        QCOMPARE(page->perplexitySeries()->count(), eventsOfKind(events, QStringLiteral("eval")));
        QCOMPARE(page->lossSeries()->at(0).x(), 1.0);
        QCOMPARE(notified.count(), 1);
        QVERIFY(QFileInfo::exists(QDir(wizard_->state().modelDir).filePath(QStringLiteral("model.safetensors"))));
        QVERIFY(next()->isEnabled());

        // Its store row: the writer's name, the folder, the base model, no parent, finished, no result yet.
        QTRY_VERIFY_WITH_TIMEOUT(runRow() && runRow()->status == TrainingStatus::Finished, 60000);
        const auto row = runRow();
        QCOMPARE(QString::fromStdString(row->name), QStringLiteral("Mia's voice"));
        QCOMPARE(QDir(QString::fromStdString(row->out_dir)).absolutePath(), QDir(wizard_->state().runDir()).absolutePath());
        QVERIFY(!row->parent_run_id);
        QVERIFY(!row->result_model_id);
        const auto base = std::find_if(window_->models()->models().begin(), window_->models()->models().end(),
                                       [&](const RegisteredModel& m) { return QDir(m.path).absolutePath() == QDir(model_).absolutePath(); });
        QVERIFY(base != window_->models()->models().end());
        QCOMPARE(row->model_id, std::optional<std::int64_t>(base->id));
        // The fingerprint of the stories it trained on, 64 hex digits.
        QCOMPARE(QString::fromStdString(row->data_fingerprint), dataFingerprint(wizard_->state().trainDir()));
        QCOMPARE(row->data_fingerprint.size(), size_t(64));
    }

    void resultComparesBothModels() {
        auto* page = wizard_->resultPage();
        QSignalSpy compared(page, &ResultPage::compared), continued(page, &ResultPage::continued);
        next()->click();
        QCOMPARE(wizard_->currentId(), int(FineTuneWizard::Result));
        QVERIFY(compared.count() == 1 || compared.wait(kLong));
        QVERIFY(continued.count() == 1 || continued.wait(kLong));
        const double before = perplexityIn(page->basePerplexity()), after = perplexityIn(page->newPerplexity());
        QVERIFY2(before > 0 && after > 0, qPrintable(page->basePerplexity()->text() + QLatin1Char(' ') + page->newPerplexity()->text()));
        // A random model has learnt something about these stories.
        QVERIFY2(after < before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        bool differ = false;
        for (int i = 0; i < ResultPage::kPrompts; ++i) {
            QVERIFY(!page->prompt(i)->text().isEmpty());
            QVERIFY(texts_.filter(page->prompt(i)->text()).size() == 1); // the opening of a held-out story
            QVERIFY2(!page->baseContinuation(i)->toPlainText().isEmpty(), qPrintable(page->baseContinuation(i)->placeholderText()));
            QVERIFY2(!page->newContinuation(i)->toPlainText().isEmpty(), qPrintable(page->newContinuation(i)->placeholderText()));
            differ = differ || page->baseContinuation(i)->toPlainText() != page->newContinuation(i)->toPlainText();
        }
        QVERIFY(differ);
    }

    void useThisModelRegistersAndLoadsIt() {
        ModelManager* models = window_->models();
        QSignalSpy loaded(models, &ModelManager::loaded);
        QSignalSpy registered(wizard_.get(), &FineTuneWizard::modelRegistered);
        wizard_->resultPage()->useButton()->click();
        QVERIFY(registered.count() == 1 || registered.wait(60000));
        QVERIFY(loaded.count() >= 1 || loaded.wait(60000));
        const QString dir = QDir(wizard_->state().modelDir).absolutePath();
        QCOMPARE(QDir(models->info().path).absolutePath(), dir);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(models->models().begin(), models->models().end(), [&](const RegisteredModel& m) {
            return m.name == QStringLiteral("Mia's voice") && QDir(m.path).absolutePath() == dir;
        }), 30000);
        // The run's row names the model registered from it.
        const auto registeredModel = std::find_if(models->models().begin(), models->models().end(),
                                                  [&](const RegisteredModel& m) { return QDir(m.path).absolutePath() == dir; });
        QVERIFY(registeredModel != models->models().end());
        QTRY_VERIFY_WITH_TIMEOUT(runRow() && runRow()->result_model_id, 30000);
        QCOMPARE(*runRow()->result_model_id, std::int64_t(registeredModel->id));
        // Train more starts from this model, as this run's child.
        QSignalSpy more(wizard_.get(), &FineTuneWizard::trainMoreRequested);
        wizard_->resultPage()->trainMoreButton()->click();
        QCOMPARE(more.count(), 1);
        QCOMPARE(more.first().at(0).toString(), wizard_->state().modelDir);
        QCOMPARE(more.first().at(1).toLongLong(), wizard_->runId());
        window_->showFineTuneWizard(more.first().at(0).toString(), more.first().at(1).toLongLong());
        auto* child = window_->findChild<FineTuneWizard*>();
        QVERIFY(child);
        QCOMPARE(child->state().parentRunId, std::optional<qint64>(wizard_->runId()));
        QCOMPARE(child->state().baseModel, wizard_->state().modelDir);
        QCOMPARE(child->state().runs, window_->trainingRuns());
        delete child;
    }

    // "Use every GPU on this machine (N)": offered with several GPUs only, and
    // then the run's options start one rank per GPU.
    void everyGpuOnlyWithSeveralGpus() {
        auto page = [this](int gpus) {
            FineTuneWizardOptions w;
            w.runsRoot = runs_;
            w.cudaDevices = gpus;
            return std::make_unique<FineTuneWizard>(nullptr, nullptr, nullptr, w);
        };
        for (int gpus : {0, 1}) {
            auto wizard = page(gpus);
            auto* settings = wizard->settingsPage();
            QVERIFY(settings->everyGpu()->isHidden());
            training::TrainOptions asked;
            asked.nproc_per_node = 4; // a run of another machine, continued here
            settings->setOptions(asked);
            QCOMPARE(settings->options().nproc_per_node, 1);
            QVERIFY(settings->findChild<QComboBox*>(QStringLiteral("device"))->isEnabled());
        }
        auto wizard = page(2);
        auto* settings = wizard->settingsPage();
        QCheckBox* every = settings->everyGpu();
        QVERIFY(!every->isHidden());
        QVERIFY2(every->text().contains(QStringLiteral("(2)")), qPrintable(every->text()));
        QVERIFY(!every->isChecked()); // one process unless the writer asks
        QCOMPARE(settings->options().nproc_per_node, 1);
        every->setChecked(true);
        training::TrainOptions o = settings->options();
        QCOMPARE(o.nproc_per_node, 2);
        QVERIFY(o.engine.device == DeviceKind::CUDA);
        QVERIFY(settings->validatePage());
        QCOMPARE(wizard->state().options.nproc_per_node, 2);
        // What the run's options file says to fabula-cli train.
        const nlohmann::json j = training::to_options_json(wizard->state().options);
        QCOMPARE(j.value("nproc-per-node", 1), 2);
        // prepare (the stories page and the estimate) runs in one process.
        QVERIFY(!cliArguments(o, kNotForPrepare).contains(QStringLiteral("--nproc-per-node")));
        every->setChecked(false);
        QCOMPARE(settings->options().nproc_per_node, 1);
    }

    void cleanupTestCase() {
        wizard_.reset();
        window_.reset();
    }
};

QTEST_MAIN(TestWizard)
#include "test_wizard.moc"
