#include "ui/about_dialog.h"

#include "core/atomic_folder.h"
#include "core/device.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace fabula::ui {

namespace {

struct Component {
    const char* name;
    QString version;
    const char* license;
    const char* how; // bundled with the package, or from the system
};

// The package's copyright file, when Fabula runs from an installed package.
QString installedCopyright() {
    const QString path =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/doc/fabula/copyright"));
    return QFileInfo::exists(path) ? QDir::cleanPath(path) : QString();
}

} // namespace

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("About Fabula"));
    const QString version = QString::fromStdString(fabula_version());
    const std::vector<Component> components{
        {"Fabula", version, "MIT", QT_TR_NOOP("this program")},
        {"PyTorch (libtorch)", QString::fromStdString(libtorch_version()), "BSD-3-Clause", QT_TR_NOOP("bundled")},
        {"GNU OpenMP (libgomp)", {}, "GPL-3.0-or-later WITH GCC-exception-3.1", QT_TR_NOOP("bundled")},
        {"Qt", QString::fromLatin1(qVersion()), "LGPL-3.0", QT_TR_NOOP("system")},
        {"SQLite", {}, "public domain", QT_TR_NOOP("system")},
        {"SentencePiece", {}, "Apache-2.0", QT_TR_NOOP("system")},
        {"Oniguruma", {}, "BSD-2-Clause", QT_TR_NOOP("system")},
        {"ICU", {}, "Unicode-3.0", QT_TR_NOOP("system")},
        {"nlohmann/json", {}, "MIT", QT_TR_NOOP("built in")},
        {"CLI11", {}, "BSD-3-Clause", QT_TR_NOOP("built in")},
    };
    QString html = QStringLiteral("<h2>Fabula %1</h2><p>%2</p><table>")
                       .arg(version.toHtmlEscaped(),
                            tr("A writing assistant that continues your story with a language model on your computer."));
    for (const Component& c : components) {
        const QString name = c.version.isEmpty() ? QString::fromUtf8(c.name)
                                                 : QStringLiteral("%1 %2").arg(QString::fromUtf8(c.name), c.version);
        html += QStringLiteral("<tr><td>%1</td><td>&nbsp;%2&nbsp;</td><td>%3</td></tr>")
                    .arg(name.toHtmlEscaped(), QString::fromLatin1(c.license), tr(c.how));
        components_ += QStringLiteral("%1: %2 (%3)\n").arg(name, QString::fromLatin1(c.license), tr(c.how));
    }
    html += QStringLiteral("</table>");
    if (const QString copyright = installedCopyright(); !copyright.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(tr("The full license texts are in %1.").arg(copyright.toHtmlEscaped()));

    auto* text = new QTextBrowser(this);
    text->setHtml(html);
    text->setOpenExternalLinks(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
    resize(560, 420);
}

QString AboutDialog::componentsText() const { return components_; }

} // namespace fabula::ui
