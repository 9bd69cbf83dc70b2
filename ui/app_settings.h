#pragma once
// The writer's preferences, kept in QSettings: generation presets and their
// advanced values, the editor's font, theme, language and the model hub.
#include "ui/engine_types.h"

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

    QString lastModelPath() const;
    void setLastModelPath(const QString& path);
    qint64 lastDraft() const;
    void setLastDraft(qint64 id);

Q_SIGNALS:
    void changed();
};

} // namespace fabula::ui
