#pragma once
// The Runs view: every training run with its status, steps and loss, and
// Resume, Delete (asks; removes only what the run wrote) and Open folder.
// Below the table, the selected run's loss and validation perplexity, read
// from its events file off the GUI thread (a long run's file is large).
// Also the notice at start that offers to resume interrupted runs.
#include <QDialog>

class QLabel;
class QMessageBox;
class QPushButton;
class QTableView;

namespace fabula::ui {

class RunCharts;
class RunLibrary;
class RunsModel;

class RunsDialog : public QDialog {
    Q_OBJECT
public:
    RunsDialog(RunsModel* model, RunLibrary* runs, QWidget* parent = nullptr);

    QTableView* view() const { return view_; }
    RunCharts* charts() const { return charts_; }

private:
    void updateButtons();
    int currentRow() const;
    void resumeCurrent();
    void deleteCurrent();
    void openCurrentFolder();
    void loadCurves(); // of the selected run; a later selection wins over a read still going

    RunsModel* model_;
    RunLibrary* runs_;
    QTableView* view_;
    RunCharts* charts_;
    QLabel* curvesNote_; // why a curve is missing or incomplete
    QString curvesDir_;  // the run whose curves are shown or being read
    qint64 selectedId_ = 0; // across a reset of the table
    int curvesGeneration_ = 0;
    QPushButton *resume_, *delete_, *open_;
};

// Not modal: the writer may go on writing and answer later. Resume resumes
// every run named; the box deletes itself.
QMessageBox* offerInterruptedRuns(QWidget* parent, RunLibrary* runs, const QList<qint64>& ids,
                                  const QStringList& names, const QStringList& dirs);

} // namespace fabula::ui
