#include "ui/draft_files.h"

#include <QCoreApplication>
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
    *body = QString::fromUtf8(f.readAll());
    if (body->endsWith(QLatin1Char('\n'))) body->chop(1);
    *title = QFileInfo(path).completeBaseName();
    return {};
}

} // namespace fabula::ui
