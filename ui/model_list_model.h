#pragma once
// The registered models for the picker: name, family, size, precision, the
// memory each needs and how fast it should write here. The facts come from
// each folder's files, read on the thread pool; a row shows "…" until they
// arrive. A model's voices (LoRA adapters) are its child rows; a voice
// whose base is not in the list is a top-level row that cannot be chosen.
#include "ui/model_summary.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QSet>

namespace fabula::ui {

class ModelManager;

class ModelListModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Family, Size, Precision, Memory, Speed, Folder, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole, // the model's folder; for a voice its base's
        IdRole,
        FactsReadyRole,
        VoiceRole,    // a voice's adapter folder; empty for a model
        UsableRole,   // false for a voice that cannot be chosen
        ProblemRole,  // why not
    };

    explicit ModelListModel(ModelManager* models, QObject* parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The facts of a (top-level) model row's folder, when they have arrived.
    const ModelSummary* facts(int row) const;
    // The row of a model's voice under it (parent) or of an unplaced voice.
    QModelIndex indexOfVoice(const QString& adapterDir) const;

Q_SIGNALS:
    // Every row's facts have arrived (also when there are no rows).
    void factsReady();

private:
    void reload();
    void inspect(const QString& path);
    QString speedText(const ModelSummary& f) const;
    QString speedTip(const ModelSummary& f) const;
    QVariant voiceData(const QModelIndex& index, int role) const;
    const struct RegisteredVoice* voiceOf(const QModelIndex& index) const;
    void sortVoices();

    ModelManager* models_;
    QHash<QString, ModelSummary> facts_; // by folder
    QSet<QString> pending_;
    MeasuredSpeed speed_;
    QVector<QVector<int>> childVoices_; // per model row, its voices' indices in ModelManager::voices()
    QVector<int> unplaced_;             // voices with no base in the list, after the model rows
};

} // namespace fabula::ui
