#include "ui/wizard/fine_tune_wizard.h"
#include "ui/model_manager.h"
#include "ui/run_library.h"
#include "ui/store_client.h"
#include "ui/training_run.h"
#include "ui/wizard/dashboard_page.h"
#include "ui/wizard/estimate_page.h"
#include "ui/wizard/feedback_page.h"
#include "ui/wizard/result_page.h"
#include "ui/wizard/settings_page.h"
#include "ui/wizard/stories_page.h"
#include "ui/wizard/wizard_state.h"

#include <QDateTime>
#include <QDir>
#include <QMessageBox>
#include <QPointer>
#include <QStandardPaths>

namespace fabula::ui {

QString FineTuneWizard::defaultRunsRoot() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("runs"));
}

FineTuneWizard::FineTuneWizard(StoreClient* store, ModelManager* models, RunLibrary* runs,
                               const FineTuneWizardOptions& options, QWidget* parent)
    : QWizard(parent), state_(std::make_unique<WizardState>()) {
    setWindowTitle(tr("Fine-tune on my stories"));
    setObjectName(QStringLiteral("fineTuneWizard"));
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    WizardState& s = *state_;
    s.store = store;
    s.models = models;
    s.runs = runs;
    s.baseModel = options.baseModel;
    if (options.parentRunId > 0) s.parentRunId = options.parentRunId;
    s.availableMemory = options.availableMemory;
    s.cudaDevices = options.cudaDevices;
    if (models && models->isLoaded()) s.tokenizerModel = models->info().path;
    else if (models && !models->models().isEmpty()) s.tokenizerModel = models->models().first().path;
    // A new folder per run: nothing the wizard writes can meet an earlier run's files.
    const QString root = options.runsRoot.isEmpty() ? defaultRunsRoot() : options.runsRoot;
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss"));
    QString home = QDir(root).filePath(QStringLiteral("run-") + stamp);
    for (int i = 2; QDir(home).exists(); ++i) home = QDir(root).filePath(QStringLiteral("run-%1-%2").arg(stamp).arg(i));
    s.runHome = home;
    QDir().mkpath(home);

    stories_ = new StoriesPage(state_.get());
    settings_ = new SettingsPage(state_.get());
    estimate_ = new EstimatePage(state_.get(), settings_);
    dashboard_ = new DashboardPage(state_.get());
    result_ = new ResultPage(state_.get());
    setPage(Stories, stories_);
    setPage(Settings, settings_);
    setPage(Estimate, estimate_);
    setPage(Dashboard, dashboard_);
    setPage(Result, result_);
    if (options.feedback) {
        setWindowTitle(tr("Learn from my feedback"));
        stories_->setSubTitle(tr("Your stories: the model keeps to their voice while it learns from your feedback, "
                                 "and a few are held out to measure it."));
        feedback_ = new FeedbackPage(state_.get());
        setPage(Feedback, feedback_);
    }
    connect(result_, &ResultPage::useModel, this, &FineTuneWizard::useModel);
    connect(result_, &ResultPage::trainMore, this,
            [this](const QString& dir) { Q_EMIT trainMoreRequested(dir, state_->runId); });
    resize(980, 700);
}

FineTuneWizard::~FineTuneWizard() {
    // Before training starts the folder holds only the wizard's copies of the
    // stories; once it has started, the run is the writer's and stays.
    if (!dashboard_->hasStarted()) QDir(state_->runHome).removeRecursively();
}

TrainingRun* FineTuneWizard::run() const { return state_->run; }

qint64 FineTuneWizard::runId() const { return state_->runId; }

void FineTuneWizard::useModel(const QString& name, const QString& dir) {
    if (!state_->runs || !state_->models) return;
    // Registered under the writer's name first, so loading it keeps that name.
    QPointer<FineTuneWizard> self(this);
    state_->runs->useResult(state_->runId, name, dir, [self, name, dir](qint64) {
        if (!self) return;
        self->state_->models->refresh();
        // A voice goes on its base: only the adapter changes when that base is loaded.
        if (isAdapterFolder(dir))
            self->state_->models->choose(QDir(self->state_->baseModel).absolutePath(), QDir(dir).absolutePath());
        else
            self->state_->models->load(QDir(dir).absolutePath());
        Q_EMIT self->modelRegistered(name, dir);
    }, [self](const QString& error) {
        if (self) QMessageBox::warning(self, tr("Use this model"), tr("The new model could not be registered: %1").arg(error));
    });
}

} // namespace fabula::ui
