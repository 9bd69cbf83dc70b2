#include "ui/feedback_dialog.h"

#include "ui/store_client.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>

namespace fabula::ui {

namespace {

constexpr int kDraftRole = Qt::UserRole + 1;
constexpr int kSetRole = Qt::UserRole + 2, kIdRole = Qt::UserRole + 3, kOtherRole = Qt::UserRole + 4;

// The end of a prompt is what the continuation follows; its start says little.
QString tail(const std::string& text, int chars = 80) {
    QString s = QString::fromStdString(text).simplified();
    return s.size() > chars ? QStringLiteral("…") + s.right(chars) : s;
}

QString head(const std::string& text, int chars = 120) {
    QString s = QString::fromStdString(text).simplified();
    return s.size() > chars ? s.left(chars) + QStringLiteral("…") : s;
}

} // namespace

struct FeedbackDialog::Snapshot {
    std::vector<DraftFeedback> summary;
    FeedbackItems items;
};

FeedbackDialog::FeedbackDialog(StoreClient* store, QWidget* parent) : QDialog(parent), store_(store) {
    setWindowTitle(tr("Feedback for training"));
    setObjectName(QStringLiteral("feedbackDialog"));
    drafts_ = new QStandardItemModel(0, 6, this);
    drafts_->setHorizontalHeaderLabels({tr("Use"), tr("Draft"), tr("Accepted (SFT)"), tr("Pairs (DPO)"),
                                        tr("Rated (KTO)"), tr("Deleted")});
    items_ = new QStandardItemModel(0, 4, this);
    items_->setHorizontalHeaderLabels({tr("Set"), tr("Context (end)"), tr("Text (chosen)"), tr("Rejected")});
    draftsView_ = new QTableView(this);
    draftsView_->setModel(drafts_);
    draftsView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    draftsView_->setSelectionMode(QAbstractItemView::SingleSelection);
    draftsView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    draftsView_->horizontalHeader()->setSectionResizeMode(TitleColumn, QHeaderView::Stretch);
    draftsView_->verticalHeader()->hide();
    draftsView_->setAccessibleName(tr("Drafts and what each gives"));
    itemsView_ = new QTableView(this);
    itemsView_->setModel(items_);
    itemsView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    itemsView_->setSelectionMode(QAbstractItemView::SingleSelection);
    itemsView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    itemsView_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    itemsView_->verticalHeader()->hide();
    itemsView_->setAccessibleName(tr("Items of the chosen draft"));
    totals_ = new QLabel(this);
    totals_->setWordWrap(true);
    auto* note = new QLabel(tr("Untick a draft to leave all of its feedback out. Deleting an item only keeps it "
                               "out of training; your ratings and text stay."), this);
    note->setWordWrap(true);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(draftsView_);
    split->addWidget(itemsView_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    delete_ = buttons->addButton(tr("&Delete item"), QDialogButtonBox::ActionRole);
    undo_ = buttons->addButton(tr("&Undo delete"), QDialogButtonBox::ActionRole);
    delete_->setEnabled(false);
    undo_->setEnabled(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addWidget(split, 1);
    layout->addWidget(totals_);
    layout->addWidget(buttons);
    resize(900, 600);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(delete_, &QPushButton::clicked, this, &FeedbackDialog::deleteSelectedItem);
    connect(undo_, &QPushButton::clicked, this, &FeedbackDialog::undoDelete);
    connect(drafts_, &QStandardItemModel::itemChanged, this, &FeedbackDialog::onDraftChanged);
    connect(draftsView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { showItems(); });
    connect(itemsView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { delete_->setEnabled(current.isValid()); });
    refresh();
}

void FeedbackDialog::refresh() {
    store_->submit(this, [](Store& s) { return Snapshot{s.feedback_summary(), s.feedback_items()}; },
                   [this](Snapshot snap) { display(snap); });
}

void FeedbackDialog::display(const Snapshot& s) {
    const qint64 current = [&] {
        const QModelIndex i = draftsView_->currentIndex();
        return i.isValid() ? drafts_->item(i.row(), UseColumn)->data(kDraftRole).toLongLong() : qint64(-1);
    }();
    all_ = s.items;
    filling_ = true;
    drafts_->setRowCount(0);
    for (const DraftFeedback& d : s.summary) {
        auto* use = new QStandardItem;
        use->setCheckable(true);
        use->setCheckState(d.left_out ? Qt::Unchecked : Qt::Checked);
        use->setData(qint64(d.draft_id), kDraftRole);
        use->setToolTip(tr("Use this draft's feedback"));
        const QString title = d.draft_id == 0 ? tr("(no draft)")
                              : d.title.empty() ? tr("Untitled") : QString::fromStdString(d.title);
        QList<QStandardItem*> row{use, new QStandardItem(title)};
        for (std::int64_t n : {d.sft, d.pairs, d.kto, d.deleted}) {
            auto* cell = new QStandardItem(QString::number(n));
            cell->setData(qint64(n), Qt::UserRole);
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            row << cell;
        }
        if (d.left_out)
            for (int c = TitleColumn; c < row.size(); ++c) row[c]->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
        drafts_->appendRow(row);
    }
    filling_ = false;
    totals_->setText(tr("Will be used: %1 accepted continuations (SFT), %2 pairs (DPO), %3 rated continuations (KTO).")
                         .arg(all_.sft.size())
                         .arg(all_.pairs.size())
                         .arg(all_.kto.size()));
    undo_->setEnabled(!deletedHere_.empty());
    const int row = rowOfDraft(current);
    if (row >= 0) draftsView_->setCurrentIndex(drafts_->index(row, TitleColumn));
    else if (drafts_->rowCount() > 0) draftsView_->setCurrentIndex(drafts_->index(0, TitleColumn));
    showItems();
    Q_EMIT refreshed();
}

int FeedbackDialog::rowOfDraft(qint64 draftId) const {
    for (int r = 0; r < drafts_->rowCount(); ++r)
        if (drafts_->item(r, UseColumn)->data(kDraftRole).toLongLong() == draftId) return r;
    return -1;
}

void FeedbackDialog::selectDraft(qint64 draftId) {
    const int row = rowOfDraft(draftId);
    if (row >= 0) draftsView_->setCurrentIndex(drafts_->index(row, TitleColumn));
}

void FeedbackDialog::showItems() {
    items_->setRowCount(0);
    delete_->setEnabled(false);
    const QModelIndex i = draftsView_->currentIndex();
    if (!i.isValid()) return;
    const qint64 draft = drafts_->item(i.row(), UseColumn)->data(kDraftRole).toLongLong();
    auto add = [&](const FeedbackItem& it, const QString& set, const QString& rejected) {
        auto* first = new QStandardItem(set);
        first->setData(int(it.key.set), kSetRole);
        first->setData(qint64(it.key.continuation_id), kIdRole);
        first->setData(qint64(it.key.other_id), kOtherRole);
        items_->appendRow({first, new QStandardItem(tail(it.prompt)), new QStandardItem(head(it.completion)),
                           new QStandardItem(rejected)});
    };
    for (const auto& it : all_.sft)
        if (it.draft_id == draft) add(it, tr("SFT"), {});
    for (const auto& it : all_.pairs)
        if (it.draft_id == draft) add(it, tr("Pair"), head(it.rejected));
    for (const auto& it : all_.kto)
        if (it.draft_id == draft) add(it, it.label ? tr("KTO, good") : tr("KTO, bad"), {});
}

void FeedbackDialog::onDraftChanged(QStandardItem* item) {
    if (filling_ || item->column() != UseColumn) return;
    const qint64 draft = item->data(kDraftRole).toLongLong();
    const bool leftOut = item->checkState() != Qt::Checked;
    store_->submit(this, [draft, leftOut](Store& s) { s.set_draft_left_out(draft, leftOut); }, [this] { refresh(); },
                   [this](const StoreError&) { refresh(); }); // the box goes back to what the store says
}

void FeedbackDialog::deleteSelectedItem() {
    const QModelIndex i = itemsView_->currentIndex();
    if (!i.isValid()) return;
    const QStandardItem* first = items_->item(i.row(), SetColumn);
    FeedbackItemKey key{FeedbackSet(first->data(kSetRole).toInt()), first->data(kIdRole).toLongLong(),
                        first->data(kOtherRole).toLongLong()};
    store_->submit(this, [key](Store& s) { s.delete_feedback_item(key); }, [this, key] {
        deletedHere_.push_back(key);
        refresh();
    });
}

void FeedbackDialog::undoDelete() {
    if (deletedHere_.empty()) return;
    const FeedbackItemKey key = deletedHere_.back();
    store_->submit(this, [key](Store& s) { s.restore_feedback_item(key); }, [this] {
        deletedHere_.pop_back();
        refresh();
    });
}

} // namespace fabula::ui
