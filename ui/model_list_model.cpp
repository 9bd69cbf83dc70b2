#include "ui/model_list_model.h"

#include "ui/app_settings.h"
#include "ui/model_manager.h"

#include <QColor>
#include <QDir>
#include <QFutureWatcher>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace fabula::ui {

ModelListModel::ModelListModel(ModelManager* models, QObject* parent)
    : QAbstractTableModel(parent), models_(models), speed_(AppSettings::measuredSpeed()) {
    connect(models_, &ModelManager::modelsChanged, this, &ModelListModel::reload);
    connect(models_, &ModelManager::speedMeasured, this, [this](const MeasuredSpeed& s) {
        speed_ = s;
        if (rowCount() > 0) Q_EMIT dataChanged(index(0, Speed), index(rowCount() - 1, Speed));
    });
    reload();
}

int ModelListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(models_->models().size());
}

int ModelListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

const ModelSummary* ModelListModel::facts(int row) const {
    if (row < 0 || row >= rowCount()) return nullptr;
    const auto it = facts_.constFind(models_->models()[row].path);
    return it == facts_.constEnd() ? nullptr : &*it;
}

void ModelListModel::reload() {
    beginResetModel();
    endResetModel();
    for (const auto& m : models_->models())
        if (!facts_.contains(m.path) && !pending_.contains(m.path)) inspect(m.path);
    if (pending_.isEmpty()) Q_EMIT factsReady();
}

void ModelListModel::inspect(const QString& path) {
    pending_.insert(path);
    auto* watcher = new QFutureWatcher<ModelSummary>(this);
    connect(watcher, &QFutureWatcher<ModelSummary>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        pending_.remove(path);
        facts_.insert(path, watcher->result());
        const auto& list = models_->models();
        for (int row = 0; row < list.size(); ++row)
            if (list[row].path == path) Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        if (pending_.isEmpty()) Q_EMIT factsReady();
    });
    watcher->setFuture(QtConcurrent::run(&ModelSummary::inspect, path));
}

QString ModelListModel::speedText(const ModelSummary& f) const {
    const double tps = speed_.estimateFor(f.weightBytes);
    if (tps <= 0) return tr("not measured yet");
    return tr("about %1 tokens/s").arg(QLocale().toString(tps, 'f', tps < 10 ? 1 : 0));
}

QString ModelListModel::speedTip(const ModelSummary& f) const {
    if (!speed_.valid())
        return tr("Fabula measures the speed when a model writes a continuation; the estimates for the others "
                  "follow from it.");
    const QLocale l;
    return tr("Estimated from the last measurement on this machine: %1 tokens/s with %2 (%3, %4 of weights). "
              "Writing reads every weight once per token, so the speed scales with the weights' size (%5 here).")
        .arg(l.toString(speed_.tokensPerSecond, 'f', 1), speed_.model, speed_.placement,
             l.formattedDataSize(speed_.weightBytes), l.formattedDataSize(f.weightBytes));
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const RegisteredModel& m = models_->models()[index.row()];
    if (role == PathRole) return m.path;
    if (role == IdRole) return m.id;
    const ModelSummary* f = facts(index.row());
    if (role == FactsReadyRole) return f != nullptr;
    const int column = index.column();
    if (column == Name && role == Qt::DisplayRole) return m.name;
    if (column == Folder && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) return QDir::toNativeSeparators(m.path);
    if (column == Name || column == Folder) return {};
    if (!f) return role == Qt::DisplayRole ? QVariant(QStringLiteral("…")) : QVariant();
    if (!f->ok()) {
        if (role == Qt::DisplayRole) return column == Family ? tr("cannot be used") : QString();
        if (role == Qt::ToolTipRole) return f->error;
        return {};
    }
    const QLocale l;
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Family: return f->family;
        case Size: return parameterCountText(f->parameters);
        case Precision:
            return f->runPrecision == f->filePrecision ? f->filePrecision
                                                       : tr("%1 (runs in %2)").arg(f->filePrecision, f->runPrecision);
        case Memory: return l.formattedDataSize(f->memoryBytes());
        case Speed: return speedText(*f);
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case Family: return tr("%1 (model_type “%2”)").arg(f->family, f->modelType);
        case Size: return tr("%1 parameters").arg(l.toString(f->parameters));
        case Precision: return tr("The file stores the weights in %1; Fabula runs them in %2 on this machine.")
                                   .arg(f->filePrecision, f->runPrecision);
        case Memory: {
            QString tip = tr("%1 for the weights in %2 and %3 for %n token(s) of context.", nullptr, f->context)
                              .arg(l.formattedDataSize(f->weightBytes), f->runPrecision,
                                   l.formattedDataSize(f->cacheBytes));
            if (f->availableBytes >= 0 && f->memoryBytes() > f->availableBytes)
                tip += QLatin1Char(' ') + tr("Only %1 is free now: close other programs before loading it.")
                                              .arg(l.formattedDataSize(f->availableBytes));
            return tip;
        }
        case Speed: return speedTip(*f);
        }
    }
    if (role == Qt::ForegroundRole && column == Memory && f->availableBytes >= 0 &&
        f->memoryBytes() > f->availableBytes)
        return QColor(Qt::red);
    return {};
}

QVariant ModelListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Model");
    case Family: return tr("Family");
    case Size: return tr("Size");
    case Precision: return tr("Precision");
    case Memory: return tr("Memory");
    case Speed: return tr("Speed here");
    case Folder: return tr("Folder");
    }
    return {};
}

} // namespace fabula::ui
