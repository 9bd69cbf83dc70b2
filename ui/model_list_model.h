#pragma once
// The registered models as a table for the picker: name, family, size,
// precision, the memory each needs and how fast it should write here. The
// facts come from each folder's files, read on the thread pool; a row shows
// "…" until they arrive.
#include "ui/model_summary.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

namespace fabula::ui {

class ModelManager;

class ModelListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Family, Size, Precision, Memory, Speed, Folder, ColumnCount };
    enum Role { PathRole = Qt::UserRole, IdRole, FactsReadyRole };

    explicit ModelListModel(ModelManager* models, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The facts of a row's folder, when they have arrived.
    const ModelSummary* facts(int row) const;

Q_SIGNALS:
    // Every row's facts have arrived (also when there are no rows).
    void factsReady();

private:
    void reload();
    void inspect(const QString& path);
    QString speedText(const ModelSummary& f) const;
    QString speedTip(const ModelSummary& f) const;

    ModelManager* models_;
    QHash<QString, ModelSummary> facts_; // by folder
    QSet<QString> pending_;
    MeasuredSpeed speed_;
};

} // namespace fabula::ui
