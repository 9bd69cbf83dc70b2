// fabula: the writer's app. Parses the command line, picks the language and
// the database, and shows the main window.
#include "core/device.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTranslator>

int main(int argc, char** argv) {
    fabula::tune_allocator();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Fabula"));
    QApplication::setApplicationName(QStringLiteral("Fabula"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    // The settings' language, else the system's.
    const QString language = QSettings().value(QStringLiteral("ui/language")).toString();
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    QTranslator translator, qtTranslator;
    // English is the fallback: its plural forms ("1 word", "2 words") live in fabula_en.
    if (translator.load(locale, QStringLiteral("fabula"), QStringLiteral("_"), QStringLiteral(":/i18n")) ||
        translator.load(QStringLiteral(":/i18n/fabula_en")))
        QApplication::installTranslator(&translator);
    if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Fabula: write a story, and let GPT-2 continue it."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption model(QStringLiteral("model"), QApplication::translate("main", "Load the GPT-2 model in <dir>."),
                             QStringLiteral("dir"));
    QCommandLineOption database(QStringLiteral("database"),
                                QApplication::translate("main", "Use the library at <path> (or $FABULA_DATABASE)."),
                                QStringLiteral("path"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QApplication::translate("main", "Render the window with a sample draft to <png> and exit."),
                                  QStringLiteral("png"));
    parser.addOptions({model, database, screenshot});
    parser.process(app);

    fabula::ui::MainWindowOptions options;
    options.modelPath = parser.value(model);
    options.databasePath = parser.value(database);
    if (options.databasePath.isEmpty()) options.databasePath = qEnvironmentVariable("FABULA_DATABASE");
    if (options.databasePath.isEmpty())
        options.databasePath =
            QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("fabula.sqlite"));

    if (parser.isSet(screenshot)) {
        // A throwaway library and settings, so the picture never touches the writer's.
        QTemporaryDir scratch;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, scratch.path());
        options.databasePath = scratch.filePath(QStringLiteral("sample.sqlite"));
        options.modelPath.clear();
        options.askForModel = false;
        fabula::ui::MainWindow window(options);
        window.resize(1200, 760);
        return window.renderScreenshot(parser.value(screenshot)) ? 0 : 1;
    }

    fabula::ui::MainWindow window(options);
    window.show();
    return app.exec();
}
