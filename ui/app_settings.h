#pragma once
// The writer's preferences, kept in QSettings: generation presets and their
// advanced values, the editor's font, theme, language and the model hub.
#include "ui/engine_types.h"
#include "ui/model_summary.h"

#include <QObject>
#include <QUrl>

namespace fabula::ui {

enum class Preset { Faithful, Balanced, Wild, Custom };
enum class Theme { System, Light, Dark };

class AppSettings : public QObject {
    Q_OBJECT
public:
    explicit AppSettings(QObject* parent = nullptr);

    static GenerationSettings presetValues(Preset p);
    static QString presetName(Preset p);

    Preset preset() const;
    GenerationSettings generation() const; // the preset's values, or the custom ones
    void setGeneration(Preset p, const GenerationSettings& custom);

    QString fontFamily() const; // "serif" or "sans"
    int fontSize() const;
    void setFont(const QString& family, int size);

    Theme theme() const;
    void setTheme(Theme t);

    QString language() const; // "" follows the system
    void setLanguage(const QString& code);

    QUrl hubUrl() const;
    void setHubUrl(const QUrl& url);

    // For gated repositories; kept with the other settings (the platform's
    // usual place), sent only to the hub's host, never shown or logged.
    QString hubToken() const;
    void setHubToken(const QString& token);

    // The number format models are loaded in: "auto", "fp32", "bf16" or
    // "int8" (core/device.h's names; anything else reads as "auto"). Static:
    // the engine worker and the picker read it without a settings object.
    static QString precision();
    void setPrecision(const QString& precision);

    // The last generation speed measured here, for the picker's estimates.
    // Static: the model manager records it without a settings object.
    static MeasuredSpeed measuredSpeed();
    static void setMeasuredSpeed(const MeasuredSpeed& speed);

    QString lastModelPath() const;
    void setLastModelPath(const QString& path);
    // The voice (adapter folder) last used with a model; empty: the base alone.
    QString voiceFor(const QString& modelPath) const;
    void setVoiceFor(const QString& modelPath, const QString& adapterDir);
    qint64 lastDraft() const;
    void setLastDraft(qint64 id);
    // How many feedback items there were when the last feedback run started (FeedbackNote).
    qint64 feedbackAtLastRun() const;
    void setFeedbackAtLastRun(qint64 count);

Q_SIGNALS:
    void changed();
};

} // namespace fabula::ui
