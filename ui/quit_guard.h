#pragma once
// Quitting never drops text. The window closes only once the last save has
// come back from the store thread; meanwhile a note says so and the event
// loop keeps running, so the window never freezes. If the save failed, the
// writer chooses: try again, save a copy as a file, quit anyway, or keep
// writing.
#include <QObject>
#include <QPointer>

class QMessageBox;
class QProgressDialog;
class QWidget;

namespace fabula::ui {

class DocumentManager;
class RunLibrary;

class QuitGuard : public QObject {
    Q_OBJECT
public:
    QuitGuard(QWidget* window, DocumentManager* documents);

    // From the window's closeEvent: true when it may close now. Otherwise
    // the close is put off, and the guard closes the window itself once the
    // text is safe or the writer has decided.
    bool mayClose();
    // While one of these runs trains, closing first asks whether to keep
    // training in the background or to pause it (a checkpoint, then stop).
    void setTrainingRuns(RunLibrary* runs);

private:
    void askAboutTraining();
    void saveThenClose();
    void waitForSaves();
    void onSettled();
    void askAfterFailure(const QString& problem = {});
    void saveCopy();
    void closeNow();

    QWidget* window_;
    DocumentManager* documents_;
    bool waiting_ = false; // a close is put off until the saves come back
    bool allowed_ = false; // the next close goes through
    QPointer<QProgressDialog> note_;
    QPointer<QMessageBox> question_;
    QPointer<RunLibrary> runs_;
    QPointer<QMessageBox> trainingQuestion_;
    bool trainingDecided_ = false; // asked once per close
};

} // namespace fabula::ui
