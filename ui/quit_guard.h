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

class QuitGuard : public QObject {
    Q_OBJECT
public:
    QuitGuard(QWidget* window, DocumentManager* documents);

    // From the window's closeEvent: true when it may close now. Otherwise
    // the close is put off, and the guard closes the window itself once the
    // text is safe or the writer has decided.
    bool mayClose();

private:
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
};

} // namespace fabula::ui
