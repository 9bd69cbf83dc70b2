#include "ui/drafts_model.h"

#include "ui/store_client.h"

#include <QLocale>

namespace fabula::ui {

DraftsModel::DraftsModel(StoreClient* store, QObject* parent) : QAbstractListModel(parent), store_(store) {}

int DraftsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

QVariant DraftsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const Row& r = rows_[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return tr("%1\n%Ln word(s) · %2", nullptr, int(r.words))
            .arg(r.title.isEmpty() ? tr("Untitled") : r.title,
                 QLocale().toString(r.updated, QLocale::ShortFormat));
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole:
    case TitleRole: return r.title;
    case IdRole: return r.id;
    case WordCountRole: return r.words;
    case UpdatedRole: return r.updated;
    }
    return {};
}

QHash<int, QByteArray> DraftsModel::roleNames() const {
    auto names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "draftId"}, {TitleRole, "title"}, {WordCountRole, "words"}, {UpdatedRole, "updated"}});
    return names;
}

qint64 DraftsModel::idAt(int row) const { return row >= 0 && row < rows_.size() ? rows_[row].id : 0; }

int DraftsModel::rowOf(qint64 id) const {
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_[i].id == id) return i;
    return -1;
}

void DraftsModel::setSearch(const QString& text) {
    if (text == search_) return;
    search_ = text;
    refresh();
}

void DraftsModel::refresh() {
    const quint64 q = ++query_;
    store_->submit(this, [s = search_.toStdString()](Store& st) { return st.list_drafts(s); },
                   [this, q](std::vector<DraftSummary> list) {
        if (q != query_) return;
        beginResetModel();
        rows_.clear();
        for (const auto& d : list)
            rows_.push_back({d.id, QString::fromStdString(d.title), d.word_count,
                             QDateTime::fromMSecsSinceEpoch(d.updated_at)});
        endResetModel();
        Q_EMIT refreshed();
    });
}

void DraftsModel::createDraft(const QString& title, const QString& body, std::function<void(qint64)> done) {
    store_->submit(this, [t = title.toStdString(), b = body.toStdString()](Store& s) { return s.create_draft(t, b); },
                   [this, done](std::int64_t id) {
        refresh();
        if (done) done(id);
    });
}

void DraftsModel::renameDraft(qint64 id, const QString& title) {
    store_->submit(this, [id, t = title.toStdString()](Store& s) { s.rename_draft(id, t); }, [this] { refresh(); });
}

void DraftsModel::duplicateDraft(qint64 id, std::function<void(qint64)> done) {
    const int row = rowOf(id);
    const QString title = tr("%1 (copy)").arg(row >= 0 ? rows_[row].title : QString());
    store_->submit(this, [id, t = title.toStdString()](Store& s) { return s.duplicate_draft(id, t); },
                   [this, done](std::int64_t copy) {
        refresh();
        if (done) done(copy);
    });
}

void DraftsModel::trashDraft(qint64 id) {
    const int row = rowOf(id);
    const QString title = row >= 0 ? rows_[row].title : QString();
    store_->submit(this, [id](Store& s) { s.trash_draft(id); }, [this, id, title] {
        refresh();
        Q_EMIT draftTrashed(id, title);
    });
}

void DraftsModel::restoreDraft(qint64 id) {
    store_->submit(this, [id](Store& s) { s.restore_draft(id); }, [this] { refresh(); });
}

} // namespace fabula::ui
