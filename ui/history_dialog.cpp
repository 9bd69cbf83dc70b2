#include "ui/history_dialog.h"

#include "ui/store_client.h"

#include <QBoxLayout>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>

namespace fabula::ui {

HistoryDialog::HistoryDialog(StoreClient* store, qint64 draftId, QWidget* parent)
    : QDialog(parent), store_(store), draftId_(draftId) {
    setWindowTitle(tr("Version history"));
    list_ = new QListWidget(this);
    list_->setAccessibleName(tr("Saved versions"));
    preview_ = new QPlainTextEdit(this);
    preview_->setReadOnly(true);
    preview_->setAccessibleName(tr("Version text"));
    auto* split = new QSplitter(this);
    split->addWidget(list_);
    split->addWidget(preview_);
    split->setStretchFactor(1, 2);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    restore_ = buttons->addButton(tr("&Restore this version"), QDialogButtonBox::ActionRole);
    restore_->setEnabled(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(760, 480);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    store_->submit(this, [draftId](Store& s) { return s.list_revisions(draftId); },
                   [this](std::vector<RevisionInfo> revisions) {
        for (const auto& r : revisions) {
            const QString kind = r.kind == RevisionKind::Manual          ? tr("saved by hand")
                                 : r.kind == RevisionKind::BeforeRestore ? tr("before a restore")
                                                                         : tr("autosave");
            auto* item = new QListWidgetItem(tr("%1 — %2, %Ln word(s)", nullptr, int(r.word_count))
                                                 .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.created_at),
                                                                         QLocale::ShortFormat),
                                                      kind),
                                             list_);
            item->setData(Qt::UserRole, qint64(r.id));
        }
        if (list_->count()) list_->setCurrentRow(0);
    });
    connect(list_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        restore_->setEnabled(item != nullptr);
        if (!item) return;
        const qint64 id = item->data(Qt::UserRole).toLongLong();
        store_->submit(this, [id](Store& s) { return s.get_revision(id); }, [this](std::optional<Revision> r) {
            if (r) preview_->setPlainText(QString::fromStdString(r->text));
        });
    });
    connect(restore_, &QPushButton::clicked, this, [this] {
        auto* item = list_->currentItem();
        if (!item) return;
        const qint64 id = item->data(Qt::UserRole).toLongLong();
        store_->submit(this, [id](Store& s) { s.restore_revision(id); }, [this] {
            Q_EMIT restored(draftId_);
            accept();
        });
    });
}

} // namespace fabula::ui
