#include "ui/app_settings.h"

#include <QCryptographicHash>
#include <QDir>

#include <QSettings>

namespace fabula::ui {

AppSettings::AppSettings(QObject* parent) : QObject(parent) {}

GenerationSettings AppSettings::presetValues(Preset p) {
    GenerationSettings g;
    switch (p) {
    case Preset::Faithful: g.temperature = 0.7; g.topK = 40; g.topP = 0.9; g.repetitionPenalty = 1.2; break;
    case Preset::Balanced:
    case Preset::Custom: g.temperature = 0.9; g.topK = 50; g.topP = 0.95; g.repetitionPenalty = 1.1; break;
    case Preset::Wild: g.temperature = 1.2; g.topK = 0; g.topP = 0.98; g.repetitionPenalty = 1.0; break;
    }
    g.maxNewTokens = 60;
    return g;
}

QString AppSettings::presetName(Preset p) {
    switch (p) {
    case Preset::Faithful: return tr("Faithful");
    case Preset::Balanced: return tr("Balanced");
    case Preset::Wild: return tr("Wild");
    case Preset::Custom: return tr("Custom");
    }
    return {};
}

Preset AppSettings::preset() const {
    return Preset(QSettings().value("generation/preset", int(Preset::Balanced)).toInt());
}

GenerationSettings AppSettings::generation() const {
    QSettings s;
    const Preset p = preset();
    GenerationSettings g = presetValues(p);
    if (p == Preset::Custom) {
        g.temperature = s.value("generation/temperature", g.temperature).toDouble();
        g.topK = s.value("generation/topK", g.topK).toInt();
        g.topP = s.value("generation/topP", g.topP).toDouble();
        g.repetitionPenalty = s.value("generation/repetitionPenalty", g.repetitionPenalty).toDouble();
    }
    g.maxNewTokens = s.value("generation/maxNewTokens", g.maxNewTokens).toInt();
    g.endAt = EndAt(s.value("generation/endAt", int(EndAt::Sentence)).toInt());
    return g;
}

void AppSettings::setGeneration(Preset p, const GenerationSettings& g) {
    QSettings s;
    s.setValue("generation/preset", int(p));
    s.setValue("generation/temperature", g.temperature);
    s.setValue("generation/topK", g.topK);
    s.setValue("generation/topP", g.topP);
    s.setValue("generation/repetitionPenalty", g.repetitionPenalty);
    s.setValue("generation/maxNewTokens", g.maxNewTokens);
    s.setValue("generation/endAt", int(g.endAt));
    Q_EMIT changed();
}

QString AppSettings::fontFamily() const { return QSettings().value("editor/font", "serif").toString(); }
int AppSettings::fontSize() const { return QSettings().value("editor/fontSize", 13).toInt(); }
void AppSettings::setFont(const QString& family, int size) {
    QSettings s;
    s.setValue("editor/font", family);
    s.setValue("editor/fontSize", size);
    Q_EMIT changed();
}

Theme AppSettings::theme() const { return Theme(QSettings().value("ui/theme", int(Theme::System)).toInt()); }
void AppSettings::setTheme(Theme t) {
    QSettings().setValue("ui/theme", int(t));
    Q_EMIT changed();
}

QString AppSettings::language() const { return QSettings().value("ui/language").toString(); }
void AppSettings::setLanguage(const QString& code) {
    QSettings().setValue("ui/language", code);
    Q_EMIT changed();
}

QUrl AppSettings::hubUrl() const {
    return QSettings().value("hub/url", QUrl(QStringLiteral("https://huggingface.co"))).toUrl();
}
void AppSettings::setHubUrl(const QUrl& url) {
    QSettings().setValue("hub/url", url);
    Q_EMIT changed();
}

QString AppSettings::hubToken() const { return QSettings().value("hub/token").toString(); }
void AppSettings::setHubToken(const QString& token) {
    QSettings s;
    if (token.trimmed().isEmpty())
        s.remove("hub/token");
    else
        s.setValue("hub/token", token.trimmed());
    Q_EMIT changed();
}

QString AppSettings::precision() {
    const QString p = QSettings().value("engine/precision").toString();
    for (const char* known : {"fp32", "bf16", "int8"})
        if (p == QLatin1String(known)) return p;
    return QStringLiteral("auto");
}

void AppSettings::setPrecision(const QString& precision) {
    QSettings().setValue("engine/precision", precision);
    Q_EMIT changed();
}

MeasuredSpeed AppSettings::measuredSpeed() {
    QSettings s;
    MeasuredSpeed m;
    m.tokensPerSecond = s.value("speed/tokensPerSecond", 0.0).toDouble();
    m.weightBytes = s.value("speed/weightBytes", 0).toLongLong();
    m.model = s.value("speed/model").toString();
    m.placement = s.value("speed/placement").toString();
    return m;
}

void AppSettings::setMeasuredSpeed(const MeasuredSpeed& m) {
    QSettings s;
    s.setValue("speed/tokensPerSecond", m.tokensPerSecond);
    s.setValue("speed/weightBytes", m.weightBytes);
    s.setValue("speed/model", m.model);
    s.setValue("speed/placement", m.placement);
}

QString AppSettings::lastModelPath() const { return QSettings().value("model/last").toString(); }
void AppSettings::setLastModelPath(const QString& path) { QSettings().setValue("model/last", path); }
namespace {
// QSettings keys cannot hold every path's characters; the path's hash can.
QString voiceKey(const QString& modelPath) {
    const QByteArray path = QDir::cleanPath(QDir(modelPath).absolutePath()).toUtf8();
    return QStringLiteral("voices/") +
           QString::fromLatin1(QCryptographicHash::hash(path, QCryptographicHash::Sha1).toHex());
}
} // namespace

QString AppSettings::voiceFor(const QString& modelPath) const { return QSettings().value(voiceKey(modelPath)).toString(); }
void AppSettings::setVoiceFor(const QString& modelPath, const QString& adapterDir) {
    if (adapterDir.isEmpty()) QSettings().remove(voiceKey(modelPath));
    else QSettings().setValue(voiceKey(modelPath), adapterDir);
}
qint64 AppSettings::lastDraft() const { return QSettings().value("drafts/last", 0).toLongLong(); }
void AppSettings::setLastDraft(qint64 id) { QSettings().setValue("drafts/last", id); }
qint64 AppSettings::feedbackAtLastRun() const { return QSettings().value("feedback/atLastRun", 0).toLongLong(); }
void AppSettings::setFeedbackAtLastRun(qint64 count) { QSettings().setValue("feedback/atLastRun", count); }

} // namespace fabula::ui
