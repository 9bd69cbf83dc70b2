#include "ui/draft_files.h"

#include "core/atomic_file.h"
#include "core/store/story_json.h"
#include "core/text_file.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextDocument>
#include <QTextDocumentWriter>

namespace fabula::ui {

namespace {
struct DraftFiles {
    Q_DECLARE_TR_FUNCTIONS(fabula::ui::DraftFiles)
};

// What story_settings_from_json reads (a newer version is not, to be safe).
bool isFabulaStoryFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return false;
    const QByteArray text = f.readAll();
    try {
        story_settings_from_json(std::string_view(text.constData(), size_t(text.size())), path.toStdString());
        return true;
    } catch (const std::exception&) {
        return false;
    }
}
} // namespace

QString exportDraft(const QString& text, const QString& title, const QString& path) {
    if (QFileInfo(path).suffix().compare(QLatin1String("odt"), Qt::CaseInsensitive) == 0) {
        QTextDocument doc;
        doc.setPlainText(text);
        doc.setMetaInformation(QTextDocument::DocumentTitle, title);
        QTextDocumentWriter writer(path, "odf");
        if (!writer.write(&doc)) return DraftFiles::tr("Could not write %1: %2").arg(path, writer.device() ? writer.device()->errorString() : QString());
        return {};
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return DraftFiles::tr("Could not write %1: %2").arg(path, f.errorString());
    f.write(text.toUtf8());
    if (!text.endsWith(QLatin1Char('\n'))) f.write("\n");
    if (!f.commit()) return DraftFiles::tr("Could not write %1: %2").arg(path, f.errorString());
    return {};
}

QString importDraft(const QString& path, QString* title, QString* body) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return DraftFiles::tr("Could not read %1: %2").arg(path, f.errorString());
    const QByteArray bytes = f.readAll();
    // The same rules as fabula-cli --prompt-file and training's story files.
    // A picture or a word processor's file renamed .txt would import as
    // garbage: say so and import nothing.
    try {
        *body = QString::fromStdString(
            text_from_bytes(std::string_view(bytes.constData(), size_t(bytes.size())), path.toStdString()));
    } catch (const TextFileError& e) {
        if (e.fault().kind == TextFault::Kind::Binary)
            return DraftFiles::tr("%1 looks like a binary file, not text; nothing was imported.")
                .arg(QDir::toNativeSeparators(path));
        return DraftFiles::tr("%1 is not UTF-8 text; save it as UTF-8 and import it again. Nothing was imported.")
            .arg(QDir::toNativeSeparators(path));
    }
    if (body->endsWith(QLatin1Char('\n'))) body->chop(1);
    *title = QFileInfo(path).completeBaseName();
    return {};
}

QString storyFileFor(const QString& draftPath) {
    const QFileInfo info(draftPath);
    return info.dir().filePath(info.completeBaseName() + QStringLiteral(".fabula-story.json"));
}

QString exportStorySettings(const QString& draftPath, const StorySettings& settings, const QString& seriesName) {
    if (settings == StorySettings{} && seriesName.isEmpty()) return {};
    const QString path = storyFileFor(draftPath);
    // A story file of an earlier export is Fabula's to replace; a file of
    // that name the writer made some other way is theirs, and stays.
    if (QFileInfo::exists(path) && !isFabulaStoryFile(path))
        return DraftFiles::tr("%1 already exists and is not a Fabula story file, so it was left as it is: the "
                              "draft's memory, author's note and lorebook were not written beside the draft. Move "
                              "or rename that file and export again to keep them with it.")
            .arg(QDir::toNativeSeparators(path));
    try {
        write_file_atomically(path.toStdString(), story_settings_to_json(settings, seriesName.toStdString()));
    } catch (const std::exception& e) {
        return DraftFiles::tr("Could not write the story settings: %1").arg(QString::fromUtf8(e.what()));
    }
    return {};
}

QString importStorySettings(const QString& draftPath, StorySettings* settings, QString* seriesName, bool* found) {
    const QString path = storyFileFor(draftPath);
    *found = QFileInfo::exists(path);
    if (!*found) return {};
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return DraftFiles::tr("Could not read %1: %2").arg(path, f.errorString());
    const QByteArray text = f.readAll();
    try {
        std::string series;
        *settings = story_settings_from_json(std::string_view(text.constData(), size_t(text.size())),
                                             path.toStdString(), &series);
        *seriesName = QString::fromStdString(series);
    } catch (const std::exception& e) {
        // FileError's text names the file and the problem.
        return DraftFiles::tr("The story settings were not imported: %1").arg(QString::fromUtf8(e.what()));
    }
    return {};
}

} // namespace fabula::ui
