#pragma once
// Step 1: which stories. Folders and files (picked or dropped) and drafts
// from the library are copied into the run's stories/ folder, then
// `fabula-cli prepare` counts them in the background: stories, tokens, the
// lengths, duplicates, empty stories and every problem with its file.
#include <QHash>
#include <QWizardPage>

class QChartView;
class QLabel;
class QListWidget;
class QTimer;

namespace fabula::ui {

class CliJob;
struct WizardState;

class StoriesPage : public QWizardPage {
    Q_OBJECT
public:
    StoriesPage(WizardState* state, QWidget* parent = nullptr);

    void addSources(const QStringList& paths); // folders and files
    bool isComplete() const override;
    void initializePage() override;

    QListWidget* sources() const { return sources_; }
    QListWidget* drafts() const { return drafts_; }
    QListWidget* problems() const { return problems_; }
    QLabel* summary() const { return summary_; }
    QChartView* histogram() const { return histogram_; }
    bool isPreparing() const { return preparing_; }

Q_SIGNALS:
    void prepared(); // the counts on the page are prepare's for what is ticked now

protected:
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;

private:
    void loadDrafts();
    void restage();
    void runPrepare(const QStringList& stagingProblems);
    void showReport(const QJsonObject& r, const QStringList& stagingProblems);
    void showHistogram(const QJsonObject& r);
    void setBusy(const QString& text);

    WizardState* state_;
    CliJob* prepare_;
    QTimer* debounce_;
    QListWidget *sources_, *drafts_, *problems_;
    QLabel* summary_;
    QChartView* histogram_;
    bool preparing_ = false, ready_ = false, draftsLoaded_ = false;
    QHash<QString, QString> origin_; // staged copy -> the writer's file
    int generation_ = 0; // a newer choice makes older answers stale
};

} // namespace fabula::ui
