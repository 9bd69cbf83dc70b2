#pragma once
// The list of drafts beside the editor: search, new, rename, duplicate, and
// delete to the trash with an "Undo delete" right there.
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QFrame;

namespace fabula::ui {

class DraftsModel;

class DraftsPanel : public QWidget {
    Q_OBJECT
public:
    DraftsPanel(DraftsModel* model, QWidget* parent = nullptr);

    void setCurrentDraft(qint64 id);
    qint64 selectedDraft() const;
    QListView* view() const { return view_; }
    QLineEdit* searchField() const { return search_; }

public Q_SLOTS:
    void newDraft();
    void renameSelected();
    void duplicateSelected();
    void trashSelected();
    void undoDelete();

Q_SIGNALS:
    void openRequested(qint64 id);

protected:
    void changeEvent(QEvent* e) override; // a language change: retranslateUi()

private:
    void retranslateUi();
    void updateButtons();

    DraftsModel* model_;
    QLineEdit* search_;
    QListView* view_;
    QPushButton *new_, *rename_, *duplicate_, *delete_, *undo_;
    QFrame* undoBar_;
    QLabel* undoLabel_;
    qint64 current_ = 0;
    qint64 lastTrashed_ = 0;
    QString lastTrashedTitle_;
};

} // namespace fabula::ui
