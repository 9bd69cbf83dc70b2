#pragma once
// Fine-tuning from the window: stories, settings, the estimate, the run as it
// trains, and the before/after comparison, one page class each. The run
// itself is a fabula-cli child (TrainingRun), so the editor never waits on it,
// started through the app's RunLibrary, so it is a run like any other.
#include <QWizard>

#include <memory>

namespace fabula::ui {

class DashboardPage;
class EstimatePage;
class FeedbackPage;
class ModelManager;
class ResultPage;
class RunLibrary;
class SettingsPage;
class StoreClient;
class StoriesPage;
class TrainingRun;
struct WizardState;

struct FineTuneWizardOptions {
    QString runsRoot;  // where run folders go; empty: AppData/runs
    QString baseModel;     // "Train more": start from this model
    qint64 parentRunId = 0; // "Train more": the run that made it, recorded as this run's parent
    qint64 availableMemory = -1; // bytes free for training; -1: what the system says (tests set it)
    int cudaDevices = -1;        // GPUs training can use; -1: what the system says (tests set it)
    bool feedback = false; // "Learn from my feedback…": the feedback page and its objective
};

class FineTuneWizard : public QWizard {
    Q_OBJECT
public:
    // Feedback only in a feedback run (FineTuneWizardOptions::feedback).
    enum PageId { Stories, Settings, Feedback, Estimate, Dashboard, Result };

    // runs may be null (the screenshot): the run is then the wizard's alone, with no store row.
    FineTuneWizard(StoreClient* store, ModelManager* models, RunLibrary* runs,
                   const FineTuneWizardOptions& options = {}, QWidget* parent = nullptr);
    ~FineTuneWizard() override;

    StoriesPage* storiesPage() const { return stories_; }
    SettingsPage* settingsPage() const { return settings_; }
    EstimatePage* estimatePage() const { return estimate_; }
    DashboardPage* dashboardPage() const { return dashboard_; }
    ResultPage* resultPage() const { return result_; }
    FeedbackPage* feedbackPage() const { return feedback_; } // null unless a feedback run
    TrainingRun* run() const; // null until the dashboard starts it
    qint64 runId() const;     // its store row; 0 until recorded
    WizardState& state() const { return *state_; }

    static QString defaultRunsRoot();

Q_SIGNALS:
    void trainMoreRequested(const QString& baseModel, qint64 parentRunId);
    void modelRegistered(const QString& name, const QString& dir);

private:
    void useModel(const QString& name, const QString& dir);

    std::unique_ptr<WizardState> state_;
    StoriesPage* stories_;
    SettingsPage* settings_;
    EstimatePage* estimate_;
    DashboardPage* dashboard_;
    ResultPage* result_;
    FeedbackPage* feedback_ = nullptr;
};

} // namespace fabula::ui
