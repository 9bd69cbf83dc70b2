#pragma once
// The saved versions of a draft, newest first, with a preview and Restore.
#include <QDialog>

class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace fabula::ui {

class StoreClient;

class HistoryDialog : public QDialog {
    Q_OBJECT
public:
    HistoryDialog(StoreClient* store, qint64 draftId, QWidget* parent = nullptr);
    QListWidget* list() const { return list_; }

Q_SIGNALS:
    void restored(qint64 draftId);

private:
    StoreClient* store_;
    qint64 draftId_;
    QListWidget* list_;
    QPlainTextEdit* preview_;
    QPushButton* restore_;
};

} // namespace fabula::ui
