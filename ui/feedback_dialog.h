#pragma once
// What of the writer's feedback the next feedback run would learn from: per
// draft and per set (SFT, pairs, KTO), with a box per draft to leave it out
// and the items of the chosen draft, each of which can be deleted from
// training (and the last deletions undone). The rules that decide what lands
// where are the store's (Store::feedback_items); this only shows them.
#ifndef Q_MOC_RUN
#include "core/store/store.h"
#endif

#include <QDialog>

#include <vector>

class QLabel;
class QPushButton;
class QStandardItem;
class QStandardItemModel;
class QTableView;

namespace fabula::ui {

class StoreClient;

class FeedbackDialog : public QDialog {
    Q_OBJECT
public:
    enum DraftColumn { UseColumn, TitleColumn, SftColumn, PairsColumn, KtoColumn, DeletedColumn };
    enum ItemColumn { SetColumn, PromptColumn, TextColumn, RejectedColumn };

    FeedbackDialog(StoreClient* store, QWidget* parent = nullptr);

    QStandardItemModel* drafts() const { return drafts_; } // one row per draft
    QStandardItemModel* items() const { return items_; }   // the current draft's items
    QTableView* draftsView() const { return draftsView_; }
    QTableView* itemsView() const { return itemsView_; }
    QLabel* totals() const { return totals_; }
    QPushButton* deleteButton() const { return delete_; }
    QPushButton* undoButton() const { return undo_; }

    int rowOfDraft(qint64 draftId) const; // -1: not listed
    void selectDraft(qint64 draftId);

public Q_SLOTS:
    void refresh();
    void deleteSelectedItem();
    void undoDelete();

Q_SIGNALS:
    void refreshed(); // the models show what the store says now

private:
    struct Snapshot;
    void display(const Snapshot& s);
    void showItems();
    void onDraftChanged(QStandardItem* item);

    StoreClient* store_;
    QStandardItemModel *drafts_, *items_;
    QTableView *draftsView_, *itemsView_;
    QLabel* totals_;
    QPushButton *delete_, *undo_;
    FeedbackItems all_;
    std::vector<FeedbackItemKey> deletedHere_; // newest last: what Undo restores
    bool filling_ = false;
};

} // namespace fabula::ui
