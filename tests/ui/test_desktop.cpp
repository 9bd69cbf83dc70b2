// What the desktop integration promises: `fabula FILE…` (the desktop entry's
// Exec=fabula %F) imports the files as new drafts and opens the last one, a
// file that is not text is named in a message and becomes no draft, and
// Help ▸ About shows the version and the bundled components' licenses.
#include "core/atomic_folder.h"
#include "core/device.h"
#include "core/store/store.h"
#include "test_support.h"
#include "ui/about_dialog.h"
#include "ui/document_manager.h"
#include "ui/drafts_model.h"
#include "ui/editor.h"
#include "ui/main_window.h"
#include "ui/store_client.h"

#include <QFile>
#include <QMenuBar>
#include <QStatusBar>

using namespace fabula::ui;

namespace {

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class DesktopTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolate(dir_); }

    void filesOnTheCommandLineBecomeDrafts() {
        const QString a = dir_.filePath(QStringLiteral("The Lighthouse.md"));
        const QString b = dir_.filePath(QStringLiteral("chapter-two.txt"));
        writeFile(a, "# The Lighthouse\n\nThe keeper counted the ships.\n");
        writeFile(b, "Zoë walked to the harbour at dawn.\n");
        MainWindowOptions options;
        options.databasePath = dir_.filePath(QStringLiteral("library.sqlite"));
        options.askForModel = false;
        options.importFiles = {a, b};
        {
            MainWindow window(options);
            QTRY_VERIFY_WITH_TIMEOUT(window.drafts()->rowCount() == 2, 20000);
            // The last file is the draft in the editor.
            QTRY_COMPARE_WITH_TIMEOUT(window.editor()->draftText(), QStringLiteral("Zoë walked to the harbour at dawn."), 20000);
            window.store()->waitForIdle();
        }
        // The drafts are in the library, read back with the store itself.
        fabula::Store store(options.databasePath.toStdString());
        const auto drafts = store.list_drafts();
        QCOMPARE(int(drafts.size()), 2);
        QStringList bodies;
        for (const auto& d : drafts) bodies << QString::fromStdString(store.get_draft(d.id)->body);
        QVERIFY(bodies.contains(QStringLiteral("Zoë walked to the harbour at dawn.")));
        QVERIFY(bodies.filter(QStringLiteral("The keeper counted the ships.")).size() == 1);
    }

    void aFileThatIsNotTextIsNamedAndImportsNothing() {
        const QString bad = dir_.filePath(QStringLiteral("cover.txt"));
        writeFile(bad, QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
        MainWindowOptions options;
        options.databasePath = dir_.filePath(QStringLiteral("other.sqlite"));
        options.askForModel = false;
        options.importFiles = {bad};
        MainWindow window(options);
        QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().contains(QStringLiteral("cover.txt")), 20000);
        window.store()->waitForIdle();
        QCOMPARE(window.drafts()->rowCount(), 0);
    }

    void aboutShowsTheVersionAndTheLicenses() {
        AboutDialog about;
        const QString text = about.componentsText();
        QVERIFY2(text.contains(QStringLiteral("Fabula %1: MIT").arg(QString::fromStdString(fabula::fabula_version()))),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("PyTorch (libtorch) %1: BSD-3-Clause")
                                   .arg(QString::fromStdString(fabula::libtorch_version()))),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Qt %1: LGPL-3.0").arg(QString::fromLatin1(qVersion()))));
        QVERIFY(QString::fromStdString(fabula::libtorch_version()).startsWith(QStringLiteral("2.")));
        // Help ▸ About is in the menu bar.
        MainWindowOptions options;
        options.databasePath = dir_.filePath(QStringLiteral("about.sqlite"));
        options.askForModel = false;
        MainWindow window(options);
        QAction* action = window.action(QStringLiteral("about"));
        QVERIFY(action);
        bool inHelp = false;
        for (QAction* menu : window.menuBar()->actions())
            if (menu->menu() && menu->menu()->actions().contains(action)) inHelp = true;
        QVERIFY(inHelp);
        window.store()->waitForIdle();
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(DesktopTest)
#include "test_desktop.moc"
