#pragma once
// What the model picker shows about a model folder before loading it: the
// family, the number of parameters, the file's precision and the memory it
// needs in the precision it will run in, plus a speed estimate from the last
// generation measured on this machine. Reading them opens the weight files'
// headers, so inspect() runs off the GUI thread.
#include <QMetaType>
#include <QString>

namespace fabula::ui {

struct ModelSummary {
    QString path;
    QString error;           // non-empty when the folder cannot be used; the rest is then unset
    QString family;          // "GPT-2", "Llama", ...
    QString modelType;       // config.json's model_type: gpt2, llama, qwen2, ...
    qint64 parameters = 0;
    QString filePrecision;   // the precision of most of the file's bytes: "fp32", "bf16", "fp16"
    QString runPrecision;    // what it will run in here
    qint64 weightBytes = 0;  // in runPrecision
    qint64 cacheBytes = 0;   // the KV cache for `context` tokens
    int context = 0;
    qint64 availableBytes = -1; // free memory when inspected; -1 unknown

    qint64 memoryBytes() const { return weightBytes + cacheBytes; }
    bool ok() const { return error.isEmpty(); }

    // Any thread; never throws.
    static ModelSummary inspect(const QString& dir);
};

// The last generation speed measured on this machine, kept across sessions
// (AppSettings). Decoding reads every weight once per token, so other
// models' speeds scale with their weight bytes.
struct MeasuredSpeed {
    double tokensPerSecond = 0;
    qint64 weightBytes = 0; // of the model that was measured, as it ran
    QString model;          // its name, for the tooltip
    QString placement;      // e.g. "CPU, fp32, 2 threads"

    bool valid() const { return tokensPerSecond > 0 && weightBytes > 0; }
    // Tokens per second for a model with these weight bytes; 0 when unknown.
    double estimateFor(qint64 otherWeightBytes) const;
};

// "124M", "1.1B", "52K": parameters the way model cards write them.
QString parameterCountText(qint64 parameters);

} // namespace fabula::ui

Q_DECLARE_METATYPE(fabula::ui::ModelSummary)
Q_DECLARE_METATYPE(fabula::ui::MeasuredSpeed)
