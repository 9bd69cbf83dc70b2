#pragma once
// The models the download dialog offers: a short list per family, with the
// figures the writer needs before downloading (parameters, download size,
// license, whether the hub makes you ask for access). One table in
// hub_catalog.cpp; a model/view wrapper for the dialog.
#include <QAbstractTableModel>
#include <QString>

#include <span>

namespace fabula::ui {

struct HubCatalogEntry {
    const char* label;    // shown as the model's name
    const char* repo;     // owner/name on the hub
    const char* revision; // "" for main
    const char* family;   // "GPT-2", "GPT-Neo", "GPT-J", "Llama"
    qint64 parameters;
    qint64 downloadBytes;
    bool sizeApproximate; // downloadBytes rounded, as the hub's file page shows it
    const char* license;  // SPDX id or the license's name
    bool gated;           // the hub wants an access token (after accepting its terms)
};

std::span<const HubCatalogEntry> hubCatalog();

class HubCatalogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Model, Family, Parameters, Download, License, Access, ColumnCount };
    enum Role { RepoRole = Qt::UserRole, RevisionRole, GatedRole };

    explicit HubCatalogModel(QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
};

} // namespace fabula::ui
