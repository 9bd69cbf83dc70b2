#include "ui/model_summary.h"

#include "ui/app_settings.h"

#include "core/causal_lm.h"
#include "core/model_folder.h"
#include "core/weight_files.h"

#include <QLocale>

#include <filesystem>

namespace fabula::ui {

namespace {

QString precisionName(DType t) {
    switch (t) {
    case DType::F32: return QStringLiteral("fp32");
    case DType::F16: return QStringLiteral("fp16");
    case DType::BF16: return QStringLiteral("bf16");
    }
    return {};
}

} // namespace

ModelSummary ModelSummary::inspect(const QString& dir) {
    ModelSummary f;
    f.path = dir;
    try {
        const auto folder = ModelFolder::inspect(std::filesystem::path(dir.toStdString()));
        f.family = QString::fromStdString(family_name(folder.config.family));
        f.modelType = QString::fromStdString(folder.config.model_type);
        f.parameters = folder.config.parameter_count();
        f.filePrecision = precisionName(WeightFiles(folder.weights).main_dtype());
        // The engine worker loads with the default options, the precision of
        // the settings (and FABULA_THREADS, which does not change memory).
        EngineOptions options;
        options.precision = parse_precision(AppSettings::precision().toStdString());
        const MemoryNeed need = CausalLM::memory_need(folder, options);
        f.runPrecision = QString::fromStdString(to_string(need.precision));
        f.weightBytes = need.weight_bytes;
        f.cacheBytes = need.cache_bytes;
        f.context = need.context;
        f.availableBytes = need.available_bytes;
    } catch (const std::exception& e) {
        f = ModelSummary{};
        f.path = dir;
        f.error = QString::fromUtf8(e.what());
    }
    return f;
}

double MeasuredSpeed::estimateFor(qint64 otherWeightBytes) const {
    if (!valid() || otherWeightBytes <= 0) return 0;
    return tokensPerSecond * double(weightBytes) / double(otherWeightBytes);
}

QString parameterCountText(qint64 n) {
    const QLocale l;
    const auto scaled = [&](double value, const char* unit) {
        // Three significant digits at most, as model cards write them (124M, 1.1B, 6.1B).
        const int decimals = value < 10 ? 1 : 0;
        QString text = l.toString(value, 'f', decimals);
        if (decimals == 1 && text.endsWith(l.zeroDigit()) && value >= 1) text = l.toString(value, 'f', 0);
        return text + QLatin1String(unit);
    };
    if (n >= 1'000'000'000) return scaled(double(n) / 1e9, "B");
    if (n >= 1'000'000) return scaled(double(n) / 1e6, "M");
    if (n >= 1'000) return scaled(double(n) / 1e3, "K");
    return l.toString(n);
}

} // namespace fabula::ui
