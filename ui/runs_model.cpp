#include "ui/runs_model.h"

#include "ui/run_library.h"
#include "ui/store_client.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace fabula::ui {

RunsModel::RunsModel(StoreClient* store, RunLibrary* runs, QObject* parent)
    : QAbstractTableModel(parent), store_(store) {
    if (!runs) return;
    connect(runs, &RunLibrary::runsChanged, this, &RunsModel::refresh);
    connect(runs, &RunLibrary::progress, this, [this](qint64 id, qint64 step, qint64 total, double loss) {
        for (int i = 0; i < rows_.size(); ++i) {
            if (rows_[i].id != id) continue;
            rows_[i].steps = step;
            rows_[i].totalSteps = total;
            rows_[i].loss = loss;
            Q_EMIT dataChanged(index(i, StepsColumn), index(i, LossColumn));
        }
    });
}

int RunsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int RunsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString RunsModel::statusText(const QString& s) {
    if (s == QLatin1String("queued")) return tr("Waiting");
    if (s == QLatin1String("running")) return tr("Training");
    if (s == QLatin1String("paused")) return tr("Paused");
    if (s == QLatin1String("stopped")) return tr("Stopped");
    if (s == QLatin1String("interrupted")) return tr("Interrupted");
    if (s == QLatin1String("finished")) return tr("Finished");
    if (s == QLatin1String("failed")) return tr("Failed");
    if (s == QLatin1String("cancelled")) return tr("Cancelled");
    return s;
}

bool RunsModel::isResumable(const QString& s) {
    return s == QLatin1String("paused") || s == QLatin1String("stopped") || s == QLatin1String("interrupted");
}

QVariant RunsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const Row& r = rows_.at(index.row());
    switch (role) {
    case IdRole: return r.id;
    case DirRole: return r.dir;
    case StatusRole: return r.status;
    case ResumableRole: return isResumable(r.status);
    case Qt::ToolTipRole: return r.dir;
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return r.name;
        case StatusColumn: return statusText(r.status);
        case StepsColumn:
            return r.totalSteps > 0 ? tr("%1 of %2").arg(QLocale().toString(r.steps), QLocale().toString(r.totalSteps))
                                    : QLocale().toString(r.steps);
        case LossColumn: return r.loss >= 0 ? QLocale().toString(r.loss, 'f', 3) : QString();
        case DateColumn: return QLocale().toString(r.started, QLocale::ShortFormat);
        }
        break;
    }
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case StatusColumn: return tr("Status");
    case StepsColumn: return tr("Steps");
    case LossColumn: return tr("Loss");
    case DateColumn: return tr("Started");
    }
    return {};
}

void RunsModel::refresh() {
    store_->submit(this, [](Store& s) { return s.list_training_runs(); }, [this](std::vector<fabula::TrainingRun> runs) {
        beginResetModel();
        rows_.clear();
        for (const auto& run : runs) {
            Row r;
            r.id = run.id;
            r.dir = QString::fromStdString(run.out_dir);
            r.name = run.name.empty() ? QDir(r.dir).dirName() : QString::fromStdString(run.name);
            r.status = QString::fromLatin1(to_string(run.status));
            const QJsonObject m = QJsonDocument::fromJson(QByteArray::fromStdString(run.metrics_json)).object();
            r.steps = m.value(QStringLiteral("steps")).toInteger();
            r.totalSteps = m.value(QStringLiteral("total_steps")).toInteger();
            r.loss = m.value(QStringLiteral("loss")).toDouble(-1);
            r.started = QDateTime::fromMSecsSinceEpoch(run.started_at);
            rows_.push_back(r);
        }
        endResetModel();
        Q_EMIT refreshed();
    });
}

} // namespace fabula::ui
