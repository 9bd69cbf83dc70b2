#include "ui/drafts_panel.h"

#include "ui/drafts_model.h"

#include <QBoxLayout>
#include <QEvent>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QTimer>

namespace fabula::ui {

DraftsPanel::DraftsPanel(DraftsModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    search_ = new QLineEdit(this);
    search_->setClearButtonEnabled(true);
    view_ = new QListView(this);
    view_->setModel(model_);
    view_->setUniformItemSizes(true);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    new_ = new QPushButton(this);
    rename_ = new QPushButton(this);
    duplicate_ = new QPushButton(this);
    delete_ = new QPushButton(this);
    undoBar_ = new QFrame(this);
    undoBar_->setFrameShape(QFrame::StyledPanel);
    undoLabel_ = new QLabel(undoBar_);
    undoLabel_->setWordWrap(true);
    undo_ = new QPushButton(undoBar_);
    auto* undoLayout = new QHBoxLayout(undoBar_);
    undoLayout->addWidget(undoLabel_, 1);
    undoLayout->addWidget(undo_);
    undoBar_->hide();
    retranslateUi();

    auto* buttons = new QGridLayout;
    buttons->addWidget(new_, 0, 0);
    buttons->addWidget(rename_, 0, 1);
    buttons->addWidget(duplicate_, 1, 0);
    buttons->addWidget(delete_, 1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(search_);
    layout->addWidget(view_, 1);
    layout->addWidget(undoBar_);
    layout->addLayout(buttons);

    // Debounced so a search over a large library does not queue a query per key.
    auto* searchTimer = new QTimer(this);
    searchTimer->setSingleShot(true);
    searchTimer->setInterval(200);
    connect(search_, &QLineEdit::textChanged, searchTimer, qOverload<>(&QTimer::start));
    connect(searchTimer, &QTimer::timeout, this, [this] { model_->setSearch(search_->text()); });
    connect(view_, &QListView::activated, this, [this](const QModelIndex& i) {
        Q_EMIT openRequested(model_->idAt(i.row()));
    });
    connect(view_, &QListView::clicked, this, [this](const QModelIndex& i) {
        Q_EMIT openRequested(model_->idAt(i.row()));
    });
    connect(new_, &QPushButton::clicked, this, &DraftsPanel::newDraft);
    connect(rename_, &QPushButton::clicked, this, &DraftsPanel::renameSelected);
    connect(duplicate_, &QPushButton::clicked, this, &DraftsPanel::duplicateSelected);
    connect(delete_, &QPushButton::clicked, this, &DraftsPanel::trashSelected);
    connect(undo_, &QPushButton::clicked, this, &DraftsPanel::undoDelete);
    connect(model_, &DraftsModel::refreshed, this, [this] { setCurrentDraft(current_); });
    connect(model_, &DraftsModel::draftTrashed, this, [this](qint64 id, const QString& title) {
        lastTrashed_ = id;
        lastTrashedTitle_ = title;
        retranslateUi();
        undoBar_->show();
    });
    updateButtons();
}

void DraftsPanel::retranslateUi() {
    search_->setPlaceholderText(tr("Search drafts"));
    search_->setAccessibleName(tr("Search drafts"));
    view_->setAccessibleName(tr("Drafts"));
    new_->setText(tr("&New"));
    rename_->setText(tr("&Rename…"));
    duplicate_->setText(tr("Du&plicate"));
    delete_->setText(tr("&Delete"));
    undo_->setText(tr("&Undo delete"));
    undoLabel_->setText(lastTrashed_ ? tr("“%1” was moved to the trash.")
                                           .arg(lastTrashedTitle_.isEmpty() ? tr("Untitled") : lastTrashedTitle_)
                                     : QString());
}

void DraftsPanel::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslateUi();
        view_->viewport()->update(); // the model words its rows (counts, dates) as it paints them
    }
    QWidget::changeEvent(e);
}

void DraftsPanel::setCurrentDraft(qint64 id) {
    current_ = id;
    const int row = model_->rowOf(id);
    if (row >= 0) view_->setCurrentIndex(model_->index(row));
    else view_->clearSelection();
    updateButtons();
}

qint64 DraftsPanel::selectedDraft() const {
    const QModelIndex i = view_->currentIndex();
    return i.isValid() ? model_->idAt(i.row()) : current_;
}

void DraftsPanel::updateButtons() {
    const bool any = selectedDraft() != 0;
    rename_->setEnabled(any);
    duplicate_->setEnabled(any);
    delete_->setEnabled(any);
}

void DraftsPanel::newDraft() {
    model_->createDraft(tr("Untitled"), {}, [this](qint64 id) { Q_EMIT openRequested(id); });
}

void DraftsPanel::renameSelected() {
    const qint64 id = selectedDraft();
    if (!id) return;
    const int row = model_->rowOf(id);
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Rename draft"), tr("Title:"), QLineEdit::Normal,
                                                row >= 0 ? model_->data(model_->index(row), DraftsModel::TitleRole).toString()
                                                         : QString(), &ok);
    if (ok && !title.trimmed().isEmpty()) model_->renameDraft(id, title.trimmed());
}

void DraftsPanel::duplicateSelected() {
    const qint64 id = selectedDraft();
    if (id) model_->duplicateDraft(id, [this](qint64 copy) { Q_EMIT openRequested(copy); });
}

void DraftsPanel::trashSelected() {
    const qint64 id = selectedDraft();
    if (!id) return;
    model_->trashDraft(id);
    if (id == current_) Q_EMIT openRequested(0);
}

void DraftsPanel::undoDelete() {
    if (!lastTrashed_) return;
    const qint64 id = lastTrashed_;
    lastTrashed_ = 0;
    undoBar_->hide();
    model_->restoreDraft(id);
    Q_EMIT openRequested(id);
}

} // namespace fabula::ui
