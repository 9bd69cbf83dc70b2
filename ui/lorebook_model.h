#pragma once
// The lorebook of the story panel as a table: one row per entry, a column
// per field. The panel's view edits it in place; the story session takes the
// entries back (edited()) and saves them to the store.
#ifndef Q_MOC_RUN
#include "core/lorebook.h"
#endif

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace fabula::ui {

class LorebookModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Keys, SecondaryKeys, Content, Always, CaseSensitive, Enabled, Order, ColumnCount };

    explicit LorebookModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    // Replaces every entry (a draft opened, the panel switched between the
    // draft and its series); not an edit, so edited() stays quiet.
    void setEntries(std::vector<LoreEntry> entries);
    const std::vector<LoreEntry>& entries() const { return entries_; }
    const LoreEntry& entry(int row) const { return entries_.at(size_t(row)); }

    // The writer's edits; each emits edited().
    int addEntry(LoreEntry entry);
    void appendEntries(const std::vector<LoreEntry>& entries);
    void setEntry(int row, LoreEntry entry);
    void removeEntries(QList<int> rows);

    // Keys as the table shows them: comma-separated, a "/…/" key kept whole
    // even when its pattern holds a comma.
    static QString joinKeys(const std::vector<std::string>& keys);
    static std::vector<std::string> splitKeys(const QString& text);

Q_SIGNALS:
    void edited();

private:
    std::vector<LoreEntry> entries_;
};

} // namespace fabula::ui
