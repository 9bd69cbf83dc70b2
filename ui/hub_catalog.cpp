#include "ui/hub_catalog.h"

#include "ui/model_summary.h"

#include <QLocale>

namespace fabula::ui {

namespace {

// The published figures: parameters as the model cards give them, download
// sizes as the hub lists the repository's weight files (plus a few MB of
// tokenizer files). GPT-2's are the exact byte counts of model.safetensors;
// the others are the hub's rounded figures and are shown as approximate.
// All are base models (they continue text); none of these is an instruct or
// chat variant.
constexpr HubCatalogEntry kCatalog[] = {
    {"GPT-2 small", "gpt2", "", "GPT-2", 124'439'808, 548'105'171, false, "MIT", false},
    {"GPT-2 medium", "gpt2-medium", "", "GPT-2", 354'823'168, 1'520'013'706, false, "MIT", false},
    {"GPT-2 large", "gpt2-large", "", "GPT-2", 774'030'080, 3'247'202'234, false, "MIT", false},
    {"GPT-2 XL", "gpt2-xl", "", "GPT-2", 1'557'611'200, 6'431'878'936, false, "MIT", false},
    {"GPT-Neo 125M", "EleutherAI/gpt-neo-125m", "", "GPT-Neo", 125'000'000, 526'000'000, true, "MIT", false},
    {"GPT-Neo 1.3B", "EleutherAI/gpt-neo-1.3B", "", "GPT-Neo", 1'300'000'000, 5'310'000'000, true, "MIT", false},
    {"GPT-Neo 2.7B", "EleutherAI/gpt-neo-2.7B", "", "GPT-Neo", 2'700'000'000, 10'700'000'000, true, "MIT", false},
    {"GPT-J 6B (float16)", "EleutherAI/gpt-j-6b", "float16", "GPT-J", 6'053'381'344, 12'100'000'000, true,
     "Apache-2.0", false},
    {"TinyLlama 1.1B", "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T", "", "Llama", 1'100'000'000,
     4'400'000'000, true, "Apache-2.0", false},
    {"SmolLM2 135M", "HuggingFaceTB/SmolLM2-135M", "", "Llama", 135'000'000, 269'000'000, true, "Apache-2.0", false},
    {"SmolLM2 360M", "HuggingFaceTB/SmolLM2-360M", "", "Llama", 360'000'000, 724'000'000, true, "Apache-2.0", false},
    {"SmolLM2 1.7B", "HuggingFaceTB/SmolLM2-1.7B", "", "Llama", 1'700'000'000, 3'420'000'000, true, "Apache-2.0",
     false},
    {"Qwen2.5 0.5B", "Qwen/Qwen2.5-0.5B", "", "Llama (Qwen2)", 494'000'000, 988'000'000, true, "Apache-2.0", false},
    {"Qwen2.5 1.5B", "Qwen/Qwen2.5-1.5B", "", "Llama (Qwen2)", 1'540'000'000, 3'090'000'000, true, "Apache-2.0",
     false},
    {"Llama 3.2 1B", "meta-llama/Llama-3.2-1B", "", "Llama", 1'240'000'000, 2'470'000'000, true,
     "Llama 3.2 Community License", true},
};

} // namespace

std::span<const HubCatalogEntry> hubCatalog() { return kCatalog; }

HubCatalogModel::HubCatalogModel(QObject* parent) : QAbstractTableModel(parent) {}

int HubCatalogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(hubCatalog().size());
}

int HubCatalogModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant HubCatalogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const HubCatalogEntry& e = hubCatalog()[size_t(index.row())];
    switch (role) {
    case RepoRole: return QString::fromLatin1(e.repo);
    case RevisionRole: return QString::fromLatin1(e.revision);
    case GatedRole: return e.gated;
    case Qt::ToolTipRole:
        if (index.column() == Model)
            return *e.revision ? tr("%1, revision %2").arg(QLatin1String(e.repo), QLatin1String(e.revision))
                               : QString::fromLatin1(e.repo);
        if (index.column() == Access && e.gated)
            return tr("Accept the license on the model's hub page, then enter an access token below.");
        return {};
    case Qt::DisplayRole: break;
    default: return {};
    }
    const QLocale l;
    switch (index.column()) {
    case Model: return QString::fromLatin1(e.label);
    case Family: return QString::fromLatin1(e.family);
    case Parameters: return parameterCountText(e.parameters);
    case Download: {
        // In the hub's own units (MB, GB), so the figures match its file pages.
        if (!e.sizeApproximate) return l.formattedDataSize(e.downloadBytes, 2, QLocale::DataSizeSIFormat);
        const bool gb = e.downloadBytes >= 1'000'000'000;
        const QString value = l.toString(double(e.downloadBytes) / (gb ? 1e9 : 1e6), 'g', 3);
        return tr("about %1").arg(value + (gb ? QStringLiteral(" GB") : QStringLiteral(" MB")));
    }
    case License: return QString::fromLatin1(e.license);
    case Access: return e.gated ? tr("gated: needs a token") : tr("open");
    }
    return {};
}

QVariant HubCatalogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Model: return tr("Model");
    case Family: return tr("Family");
    case Parameters: return tr("Parameters");
    case Download: return tr("Download");
    case License: return tr("License");
    case Access: return tr("Access");
    }
    return {};
}

} // namespace fabula::ui
