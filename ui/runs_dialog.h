#pragma once
// The Runs view: every training run with its status, steps and loss, and
// Resume, Delete (asks; removes only what the run wrote) and Open folder.
// Also the notice at start that offers to resume interrupted runs.
#include <QDialog>

class QMessageBox;
class QPushButton;
class QTableView;

namespace fabula::ui {

class RunLibrary;
class RunsModel;

class RunsDialog : public QDialog {
    Q_OBJECT
public:
    RunsDialog(RunsModel* model, RunLibrary* runs, QWidget* parent = nullptr);

    QTableView* view() const { return view_; }

private:
    void updateButtons();
    int currentRow() const;
    void resumeCurrent();
    void deleteCurrent();
    void openCurrentFolder();

    RunsModel* model_;
    RunLibrary* runs_;
    QTableView* view_;
    QPushButton *resume_, *delete_, *open_;
};

// Not modal: the writer may go on writing and answer later. Resume resumes
// every run named; the box deletes itself.
QMessageBox* offerInterruptedRuns(QWidget* parent, RunLibrary* runs, const QList<qint64>& ids,
                                  const QStringList& names, const QStringList& dirs);

} // namespace fabula::ui
