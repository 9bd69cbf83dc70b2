#include "ui/lorebook_model.h"

#include <algorithm>

namespace fabula::ui {

LorebookModel::LorebookModel(QObject* parent) : QAbstractTableModel(parent) {}

int LorebookModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(entries_.size());
}

int LorebookModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

namespace {
QString qs(const std::string& s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

bool* flagOf(LoreEntry& e, int column) {
    switch (column) {
    case LorebookModel::Always: return &e.always;
    case LorebookModel::CaseSensitive: return &e.case_sensitive;
    case LorebookModel::Enabled: return &e.enabled;
    default: return nullptr;
    }
}
} // namespace

QVariant LorebookModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    LoreEntry e = entries_[size_t(index.row())];
    if (bool* flag = flagOf(e, index.column())) {
        if (role == Qt::CheckStateRole) return *flag ? Qt::Checked : Qt::Unchecked;
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
    case Name:
        // Unnamed entries go by their first key, as in the prompt's "key".
        if (role == Qt::DisplayRole && e.name.empty() && !e.keys.empty()) return qs(e.keys.front());
        return qs(e.name);
    case Keys: return joinKeys(e.keys);
    case SecondaryKeys: return joinKeys(e.secondary_keys);
    case Content:
        if (role == Qt::DisplayRole) return qs(e.content).simplified();
        return qs(e.content);
    case Order: return e.order;
    default: return {};
    }
}

bool LorebookModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.row() >= rowCount()) return false;
    LoreEntry& e = entries_[size_t(index.row())];
    if (bool* flag = flagOf(e, index.column())) {
        if (role != Qt::CheckStateRole) return false;
        const bool on = Qt::CheckState(value.toInt()) == Qt::Checked;
        if (*flag == on) return true;
        *flag = on;
    } else {
        if (role != Qt::EditRole) return false;
        switch (index.column()) {
        case Name: e.name = value.toString().trimmed().toStdString(); break;
        case Keys: e.keys = splitKeys(value.toString()); break;
        case SecondaryKeys: e.secondary_keys = splitKeys(value.toString()); break;
        case Content: e.content = value.toString().toStdString(); break;
        case Order: e.order = value.toInt(); break;
        default: return false;
        }
    }
    Q_EMIT dataChanged(index, index);
    Q_EMIT edited();
    return true;
}

QVariant LorebookModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Name");
    case Keys: return tr("Keys");
    case SecondaryKeys: return tr("Also needs");
    case Content: return tr("Text");
    case Always: return tr("Always");
    case CaseSensitive: return tr("Match case");
    case Enabled: return tr("On");
    case Order: return tr("Order");
    default: return {};
    }
}

Qt::ItemFlags LorebookModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    switch (index.column()) {
    case Always:
    case CaseSensitive:
    case Enabled: return base | Qt::ItemIsUserCheckable;
    default: return base | Qt::ItemIsEditable;
    }
}

void LorebookModel::setEntries(std::vector<LoreEntry> entries) {
    beginResetModel();
    entries_ = std::move(entries);
    endResetModel();
}

int LorebookModel::addEntry(LoreEntry entry) {
    const int row = rowCount();
    beginInsertRows({}, row, row);
    entries_.push_back(std::move(entry));
    endInsertRows();
    Q_EMIT edited();
    return row;
}

void LorebookModel::appendEntries(const std::vector<LoreEntry>& entries) {
    if (entries.empty()) return;
    const int row = rowCount();
    beginInsertRows({}, row, row + int(entries.size()) - 1);
    entries_.insert(entries_.end(), entries.begin(), entries.end());
    endInsertRows();
    Q_EMIT edited();
}

void LorebookModel::setEntry(int row, LoreEntry entry) {
    if (row < 0 || row >= rowCount()) return;
    entries_[size_t(row)] = std::move(entry);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT edited();
}

void LorebookModel::removeEntries(QList<int> rows) {
    std::sort(rows.begin(), rows.end(), std::greater<>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    bool removed = false;
    for (int row : rows) {
        if (row < 0 || row >= rowCount()) continue;
        beginRemoveRows({}, row, row);
        entries_.erase(entries_.begin() + row);
        endRemoveRows();
        removed = true;
    }
    if (removed) Q_EMIT edited();
}

QString LorebookModel::joinKeys(const std::vector<std::string>& keys) {
    QStringList list;
    for (const auto& k : keys) list << qs(k);
    return list.join(QStringLiteral(", "));
}

std::vector<std::string> LorebookModel::splitKeys(const QString& text) {
    std::vector<std::string> keys;
    QString current;
    bool inPattern = false; // inside "/…/", where a comma is part of the pattern
    auto flush = [&] {
        const QString k = current.trimmed();
        if (!k.isEmpty()) keys.push_back(k.toStdString());
        current.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('/')) {
            if (!inPattern && current.trimmed().isEmpty()) inPattern = true;
            else if (inPattern && !(i > 0 && text[i - 1] == QLatin1Char('\\'))) inPattern = false;
        }
        if (c == QLatin1Char(',') && !inPattern) {
            flush();
            continue;
        }
        current += c;
    }
    flush();
    return keys;
}

} // namespace fabula::ui
