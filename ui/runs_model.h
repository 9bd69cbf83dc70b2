#pragma once
// The store's training runs as a table (name, status, steps, loss, date),
// newest first. Queries run on the store thread and reset the model when
// they come back; a live run's step and loss come from the RunLibrary
// between the store's updates.
#include <QAbstractTableModel>
#include <QDateTime>
#include <QVector>

namespace fabula::ui {

class RunLibrary;
class StoreClient;

class RunsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StatusColumn, StepsColumn, LossColumn, DateColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, DirRole, StatusRole, ResumableRole };

    // The store's status words, as Row::status holds them.
    struct Row {
        qint64 id = 0;
        QString name, dir, status;
        qint64 steps = 0, totalSteps = 0;
        double loss = -1;
        QDateTime started;
    };

    RunsModel(StoreClient* store, RunLibrary* runs, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Row& rowAt(int row) const { return rows_.at(row); }
    static QString statusText(const QString& status);
    static bool isResumable(const QString& status); // paused, stopped, interrupted

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void refreshed();

private:
    StoreClient* store_;
    QVector<Row> rows_;
};

} // namespace fabula::ui
