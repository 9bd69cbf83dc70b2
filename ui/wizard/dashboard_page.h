#pragma once
// Step 4: the run as it trains (TrainingRun's signals only): loss and
// validation perplexity over the steps, speed, time, step and epoch; Pause,
// Resume and Cancel; a desktop notice when it ends.
#include "ui/training_run.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QWizardPage>

#include <optional>

class QLabel;
class QLineSeries;
class QPushButton;

namespace fabula::ui {

class RunCharts;
struct WizardState;

class DashboardPage : public QWizardPage {
    Q_OBJECT
public:
    DashboardPage(WizardState* state, QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    bool hasStarted() const { return started_; } // training was started from here

    QLineSeries* lossSeries() const;
    QLineSeries* perplexitySeries() const;
    QLabel* statusLabel() const { return status_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* resumeButton() const { return resume_; }
    QPushButton* cancelButton() const { return cancel_; }

    // Shows what a run's events say without a run: for the screenshot.
    void showStep(const RunStep& s);
    void showEval(const RunEval& e);

Q_SIGNALS:
    void notified(const QString& message); // the desktop notice (or the status line without a tray)
    void runStarted(fabula::ui::TrainingRun* run);
    void runRecorded(qint64 id); // the run's store row exists

private:
    void follow(TrainingRun* run);
    void cancelRun();
    void deleteRun(); // once the child is gone: the run's folder and row, then the wizard's copies
    std::optional<qint64> baseModelId() const;
    void onStateChanged(TrainingRun::State s);
    void notify(const QString& message);

    WizardState* state_;
    RunCharts* charts_;
    QLabel *status_, *speed_, *time_, *progress_;
    QPushButton *pause_, *resume_, *cancel_;
    QElapsedTimer elapsed_;
    bool started_ = false, finished_ = false, deleteWhenRecorded_ = false;
};

} // namespace fabula::ui
