#pragma once
// Values that cross between the GUI thread and the engine thread. Plain Qt
// types only, so queued signals can copy them and ui/ stays free of libtorch.
#include <QMetaType>
#include <QString>
#include <QVector>

namespace fabula::ui {

struct ModelInfo {
    QString name;      // folder name, shown in the status bar
    QString path;      // the folder
    QString placement; // e.g. "CPU, fp32, 2 threads"
    int nPositions = 0;
};

// Where a continuation is cut once the model has finished, so suggestions end
// on a whole sentence or paragraph instead of mid-word.
enum class EndAt { Anywhere, Sentence, Paragraph };

struct GenerationSettings {
    double temperature = 0.9;
    int topK = 50;
    double topP = 0.95;
    double repetitionPenalty = 1.1;
    int maxNewTokens = 60;
    quint64 seed = 0;
    EndAt endAt = EndAt::Anywhere;
    int testTokenDelayMs = 0; // tests of Stop only

    QString toJson() const;
};

struct GenerationOutcome {
    quint64 requestId = 0;
    QString text;               // the suggestion, trimmed to settings.endAt
    QVector<qint32> ids;        // the tokens of text (trimmed like it)
    QVector<qint32> promptIds;  // the whole prompt the model saw (memory, lore, story, note)
    QString promptText;         // that prompt decoded
    QString status;             // "finished" or "cancelled"
    QString stopReason;         // the engine's reason, e.g. "max_tokens"
    double tokensPerSecond = 0;
    double msToFirstToken = 0;
    int promptTokensProcessed = 0; // prompt tokens the model ran for this request
    int promptTokensReused = 0;    // prompt tokens whose keys and values the cache already held
    QString error;              // non-empty when the engine refused
    QString adapter;            // the voice's adapter folder; empty: the base model alone
    QString voice;              // the voice's name, when there is one
};

} // namespace fabula::ui

Q_DECLARE_METATYPE(fabula::ui::ModelInfo)
Q_DECLARE_METATYPE(fabula::ui::GenerationSettings)
Q_DECLARE_METATYPE(fabula::ui::GenerationOutcome)
