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
    : QAbstractItemModel(parent), models_(models), speed_(AppSettings::measuredSpeed()) {
    connect(models_, &ModelManager::modelsChanged, this, &ModelListModel::reload);
    connect(models_, &ModelManager::speedMeasured, this, [this](const MeasuredSpeed& s) {
        speed_ = s;
        if (const int n = int(models_->models().size()); n > 0) Q_EMIT dataChanged(index(0, Speed), index(n - 1, Speed));
    });
    reload();
}

// Top-level rows carry internal id 0; a voice under model row r carries r + 1.
QModelIndex ModelListModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : quintptr(0));
}

QModelIndex ModelListModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == 0) return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int ModelListModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) return int(models_->models().size() + unplaced_.size());
    if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= childVoices_.size()) return 0;
    return int(childVoices_[parent.row()].size());
}

int ModelListModel::columnCount(const QModelIndex&) const { return ColumnCount; }

Qt::ItemFlags ModelListModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | (rowCount(index) == 0 ? Qt::ItemNeverHasChildren : Qt::NoItemFlags);
}

const RegisteredVoice* ModelListModel::voiceOf(const QModelIndex& index) const {
    if (!index.isValid()) return nullptr;
    const auto& voices = models_->voices();
    int at = -1;
    if (index.internalId() > 0) {
        const int parentRow = int(index.internalId() - 1);
        if (parentRow < childVoices_.size() && index.row() < childVoices_[parentRow].size())
            at = childVoices_[parentRow][index.row()];
    } else if (const int r = index.row() - int(models_->models().size()); r >= 0 && r < unplaced_.size()) {
        at = unplaced_[r];
    }
    return at >= 0 && at < voices.size() ? &voices[at] : nullptr;
}

QModelIndex ModelListModel::indexOfVoice(const QString& adapterDir) const {
    const QString want = QDir::cleanPath(QDir(adapterDir).absolutePath());
    const auto& voices = models_->voices();
    auto same = [&](int i) { return QDir::cleanPath(QDir(voices[i].path).absolutePath()) == want; };
    for (int m = 0; m < childVoices_.size(); ++m)
        for (int c = 0; c < childVoices_[m].size(); ++c)
            if (same(childVoices_[m][c])) return index(c, 0, index(m, 0));
    for (int u = 0; u < unplaced_.size(); ++u)
        if (same(unplaced_[u])) return index(int(models_->models().size()) + u, 0);
    return {};
}

void ModelListModel::sortVoices() {
    const auto& list = models_->models();
    const auto& voices = models_->voices();
    childVoices_ = QVector<QVector<int>>(list.size());
    unplaced_.clear();
    for (int i = 0; i < voices.size(); ++i) {
        int base = -1;
        if (voices[i].usable())
            for (int m = 0; m < list.size() && base < 0; ++m)
                if (QDir::cleanPath(QDir(list[m].path).absolutePath()) ==
                    QDir::cleanPath(QDir(voices[i].basePath).absolutePath()))
                    base = m;
        if (base >= 0) childVoices_[base].push_back(i);
        else unplaced_.push_back(i);
    }
}

const ModelSummary* ModelListModel::facts(int row) const {
    if (row < 0 || row >= models_->models().size()) return nullptr;
    const auto it = facts_.constFind(models_->models()[row].path);
    return it == facts_.constEnd() ? nullptr : &*it;
}

void ModelListModel::reload() {
    beginResetModel();
    sortVoices();
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

QVariant ModelListModel::voiceData(const QModelIndex& index, int role) const {
    const RegisteredVoice& v = *voiceOf(index);
    if (role == PathRole) return v.basePath;
    if (role == VoiceRole) return v.path;
    if (role == IdRole) return v.id;
    if (role == UsableRole) return v.usable();
    if (role == ProblemRole) return v.usable() ? QString() : v.problem;
    if (role == FactsReadyRole) return true;
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Name: return v.name;
        case Family: return v.usable() ? tr("voice") : tr("voice for %1").arg(v.madeFor.isEmpty() ? tr("an unknown model") : v.madeFor);
        case Folder: return QDir::toNativeSeparators(v.path);
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (!v.usable()) return v.problem;
        if (column == Folder) return QDir::toNativeSeparators(v.path);
        return tr("A voice (LoRA adapter) trained on top of its base model: choosing it keeps the base loaded and "
                  "only changes the voice.");
    }
    if (role == Qt::ForegroundRole && !v.usable()) return QColor(Qt::gray);
    return {};
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    if (voiceOf(index)) return voiceData(index, role);
    if (index.internalId() != 0 || index.row() >= models_->models().size()) return {};
    if (role == VoiceRole) return QString();
    if (role == UsableRole) return true;
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
