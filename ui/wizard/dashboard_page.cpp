#include "ui/wizard/dashboard_page.h"
#include "core/atomic_folder.h"
#include "ui/model_manager.h"
#include "ui/run_charts.h"
#include "ui/run_library.h"
#include "ui/wizard/wizard_state.h"

#include <QApplication>
#include <QBoxLayout>
#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QSystemTrayIcon>

#include <algorithm>

namespace fabula::ui {

DashboardPage::DashboardPage(WizardState* state, QWidget* parent) : QWizardPage(parent), state_(state) {
    setTitle(tr("Training"));
    setSubTitle(tr("You can keep writing meanwhile; closing this window does not stop the training."));
    charts_ = new RunCharts;
    auto* explain = new QLabel(tr("Perplexity says how surprised the model is by stories it has not trained on: "
                                  "lower means it predicts your writing better."));
    explain->setWordWrap(true);
    status_ = new QLabel(tr("Starting…"));
    status_->setObjectName(QStringLiteral("runStatus"));
    status_->setWordWrap(true);
    speed_ = new QLabel;
    speed_->setObjectName(QStringLiteral("speed"));
    time_ = new QLabel;
    time_->setObjectName(QStringLiteral("time"));
    progress_ = new QLabel;
    progress_->setObjectName(QStringLiteral("progress"));
    pause_ = new QPushButton(tr("&Pause"));
    pause_->setObjectName(QStringLiteral("pause"));
    resume_ = new QPushButton(tr("&Resume"));
    resume_->setObjectName(QStringLiteral("resume"));
    cancel_ = new QPushButton(tr("&Cancel training…"));
    cancel_->setObjectName(QStringLiteral("cancelTraining"));
    for (QPushButton* b : {pause_, resume_, cancel_}) b->setEnabled(false);
    connect(pause_, &QPushButton::clicked, this, [this] {
        if (state_->run) state_->run->pause();
    });
    connect(resume_, &QPushButton::clicked, this, [this] {
        if (!state_->run) return;
        // Through the library, so the row follows the resumed session too.
        if (state_->runs && state_->runId) state_->runs->resume(state_->runId, state_->runDir());
        else state_->run->resume();
    });
    connect(cancel_, &QPushButton::clicked, this, &DashboardPage::cancelRun);

    auto* numbers = new QHBoxLayout;
    for (QLabel* l : {progress_, speed_, time_}) numbers->addWidget(l);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(pause_);
    buttons->addWidget(resume_);
    buttons->addStretch();
    buttons->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(charts_, 1);
    layout->addWidget(explain);
    layout->addLayout(numbers);
    layout->addWidget(status_);
    layout->addLayout(buttons);
}

void DashboardPage::follow(TrainingRun* run) {
    connect(run, &TrainingRun::started, this, [this](const RunStart& s) {
        status_->setText(tr("Training on %1 (%2, %n threads).", nullptr, s.threads).arg(s.device, s.precision));
        progress_->setText(tr("step 0 of %1").arg(s.totalSteps));
    });
    connect(run, &TrainingRun::stepLogged, this, &DashboardPage::showStep);
    connect(run, &TrainingRun::evaluated, this, &DashboardPage::showEval);
    connect(run, &TrainingRun::finished, this, [this](const QString& modelDir) {
        state_->modelDir = modelDir;
        finished_ = true;
        time_->setText(tr("took %1").arg(formatDuration(elapsed_.isValid() ? elapsed_.elapsed() / 1000.0 : 0)));
        status_->setText(tr("Done: the new model is ready. Next compares it with the base model."));
        notify(tr("Training of “%1” has finished.").arg(state_->name));
        Q_EMIT completeChanged();
    });
    connect(run, &TrainingRun::stopped, this, [this](qint64 step, const QString&) {
        status_->setText(tr("Stopped at step %1. Resume continues from the last checkpoint.").arg(step));
    });
    connect(run, &TrainingRun::failed, this, [this](const QString& message) {
        status_->setText(tr("Training failed: %1").arg(message));
        notify(tr("Training of “%1” failed.").arg(state_->name));
    });
    connect(run, &TrainingRun::warning, this, [this](const QString& message) { status_->setText(message); });
    connect(run, &TrainingRun::stateChanged, this, &DashboardPage::onStateChanged);
}

void DashboardPage::initializePage() {
    if (started_) return;
    started_ = true;
    training::TrainOptions o = state_->options;
    o.data = (state_->staged ? state_->trainDir() : state_->dataPath).toStdString();
    o.out = state_->runDir().toStdString();
    if (state_->feedback) { // the stories become the voice to keep; the feedback set is what it trains on
        o.objective = state_->objective;
        o.lm_mix = state_->lmMix;
        o.stories = state_->lmMix > 0 ? o.data : std::filesystem::path();
        o.data = state_->feedbackData.toStdString();
    }
    // About ten points on the perplexity curve, whatever the length of the run.
    const qint64 steps = o.max_steps > 0 ? o.max_steps
                                         : state_->estimate.value(QStringLiteral("steps_per_epoch")).toInteger() * o.epochs;
    if (o.eval_every == 0 && steps > 0) o.eval_every = std::max<qint64>(1, steps / 10);
    elapsed_.start();
    if (!state_->runs) { // the screenshot: a run of the wizard's own
        state_->run = new TrainingRun(this);
        follow(state_->run);
        Q_EMIT runStarted(state_->run);
        state_->run->start(o);
        return;
    }
    const RunInfo info{state_->name, baseModelId(), state_->parentRunId,
                       dataFingerprint(QString::fromStdString(o.data.string()))};
    // The row arrives on the store's schedule; the wizard may be closed by then.
    QPointer<DashboardPage> self(this);
    state_->run = state_->runs->start(o, info, [self](qint64 id) {
        if (!self) return;
        self->state_->runId = id;
        Q_EMIT self->runRecorded(id);
        if (self->deleteWhenRecorded_) self->deleteRun();
    }, [this](TrainingRun* run) {
        follow(run);
        Q_EMIT runStarted(run);
    });
}

std::optional<qint64> DashboardPage::baseModelId() const {
    if (!state_->models) return std::nullopt;
    const QString base = QDir(state_->baseModel).absolutePath();
    for (const RegisteredModel& m : state_->models->models())
        if (QDir(m.path).absolutePath() == base) return m.id;
    return std::nullopt; // "Train more" from a run's model not registered yet
}

QLineSeries* DashboardPage::lossSeries() const { return charts_->lossSeries(); }
QLineSeries* DashboardPage::perplexitySeries() const { return charts_->perplexitySeries(); }

void DashboardPage::showStep(const RunStep& s) {
    charts_->addStep(s.step, s.loss, s.totalSteps);
    progress_->setText(tr("step %1 of %2 · epoch %3").arg(s.step).arg(s.totalSteps).arg(QLocale().toString(s.epoch, 'f', 2)));
    speed_->setText(tr("%1 tokens/s").arg(QLocale().toString(s.tokensPerSecond, 'f', 0)));
    const double elapsed = elapsed_.isValid() ? elapsed_.elapsed() / 1000.0 : 0;
    time_->setText(tr("%1 elapsed, %2 to go").arg(formatDuration(elapsed), formatDuration(s.etaSeconds)));
}

void DashboardPage::showEval(const RunEval& e) { charts_->addEval(e.step, e.perplexity); }

void DashboardPage::onStateChanged(TrainingRun::State s) {
    using S = TrainingRun::State;
    const bool live = s == S::Starting || s == S::Training;
    pause_->setEnabled(s == S::Training);
    resume_->setEnabled(s == S::Paused || s == S::Stopped);
    cancel_->setEnabled(live || s == S::Paused || s == S::Stopped || s == S::Pausing);
    if (s == S::Pausing) status_->setText(tr("Pausing after this step (saving a checkpoint)…"));
    if (s == S::Paused) status_->setText(tr("Paused. Resume continues exactly where it stopped."));
}

void DashboardPage::cancelRun() {
    if (!state_->run) return;
    QMessageBox box(QMessageBox::Question, tr("Cancel training"),
                    tr("Stop training “%1”? You can keep the run to resume it later, or delete it.").arg(state_->name),
                    QMessageBox::NoButton, this);
    auto* keep = box.addButton(tr("Stop and &keep the run"), QMessageBox::AcceptRole);
    auto* removeButton = box.addButton(tr("Stop and &delete the run"), QMessageBox::DestructiveRole);
    box.addButton(tr("&Go on training"), QMessageBox::RejectRole);
    box.setObjectName(QStringLiteral("cancelQuestion"));
    box.exec();
    if (box.clickedButton() != keep && box.clickedButton() != removeButton) return;
    const bool remove = box.clickedButton() == removeButton;
    TrainingRun* run = state_->run;
    if (!run->isAlive()) {
        if (remove) deleteRun();
        return;
    }
    // The folder goes only once the child has let go of it.
    if (remove) connect(run, &TrainingRun::exited, this, &DashboardPage::deleteRun, Qt::SingleShotConnection);
    run->cancel();
}

void DashboardPage::deleteRun() {
    auto removeCopies = [this] {
        // The wizard's own copies of the stories; the writer's files were never here.
        for (const QString& d : {state_->storiesDir(), state_->trainDir(), state_->heldOutDir()})
            QDir(d).removeRecursively();
        // The feedback exports are Fabula folders: only the files Fabula wrote go.
        for (const QString& d : {state_->feedbackDir(), state_->feedbackSplitDir()})
            if (QDir(d).exists()) remove_fabula_folder(std::filesystem::path(d.toStdString()));
        QDir().rmdir(state_->runHome); // only when empty
    };
    if (!state_->runs) {
        QDir(state_->runDir()).removeRecursively();
        removeCopies();
        status_->setText(tr("The run was deleted."));
        return;
    }
    if (state_->runId == 0) { // its row is not written yet: removed when it is
        deleteWhenRecorded_ = true;
        return;
    }
    deleteWhenRecorded_ = false;
    QPointer<DashboardPage> self(this);
    state_->runs->remove(state_->runId, state_->runDir(), [self, removeCopies](const QString& error) {
        if (!self) return;
        if (!error.isEmpty()) {
            self->status_->setText(error);
            return;
        }
        removeCopies();
        self->state_->run = nullptr; // the library has let go of it
        self->state_->runId = 0;
        for (QPushButton* b : {self->pause_, self->resume_, self->cancel_}) b->setEnabled(false);
        self->status_->setText(tr("The run was deleted."));
    });
}

void DashboardPage::notify(const QString& message) {
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        auto* tray = new QSystemTrayIcon(QApplication::windowIcon().isNull() ? style()->standardIcon(QStyle::SP_ComputerIcon)
                                                                             : QApplication::windowIcon(), this);
        tray->show();
        tray->showMessage(tr("Fabula"), message);
    } else {
        QApplication::alert(window());
        status_->setText(status_->text() + QLatin1Char(' ') + message);
    }
    Q_EMIT notified(message);
}

bool DashboardPage::isComplete() const { return finished_; }

} // namespace fabula::ui
