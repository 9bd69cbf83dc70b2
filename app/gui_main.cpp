// fabula: the writer's app. Parses the command line, picks the language and
// the database, and shows the main window.
#include "core/atomic_folder.h"
#include "core/device.h"
#include "core/store/library_path.h"
#include "ui/app_settings.h"
#include "ui/language.h"
#include "ui/main_window.h"
#include "ui/wizard/wizard_screenshot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QTemporaryDir>

#include <string_view>

namespace {

void set_application_names() {
    QCoreApplication::setOrganizationName(QStringLiteral("Fabula"));
    QCoreApplication::setApplicationName(QStringLiteral("Fabula"));
    QCoreApplication::setApplicationVersion(QString::fromStdString(fabula::fabula_version()));
}

struct CommandLine {
    QCommandLineOption model{QStringLiteral("model"), QCoreApplication::translate("main", "Load the GPT-2 model in <dir>."),
                             QStringLiteral("dir")};
    QCommandLineOption database{QStringLiteral("database"),
                                QCoreApplication::translate("main", "Use the library at <path> (or $FABULA_DATABASE)."),
                                QStringLiteral("path")};
    QCommandLineOption screenshot{
        QStringLiteral("screenshot"),
        QCoreApplication::translate("main", "Render the window with a sample draft to <png> and exit."),
        QStringLiteral("png")};
    QCommandLineOption view{
        QStringLiteral("view"),
        QCoreApplication::translate("main", "With --screenshot: render <view> instead of the window (%1).")
            .arg(fabula::ui::wizardScreenshotViews().join(QStringLiteral(", "))),
        QStringLiteral("view")};

    void add_to(QCommandLineParser& parser) const {
        parser.setApplicationDescription(
            QCoreApplication::translate("main", "Fabula: write a story, and let GPT-2 continue it."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({model, database, screenshot, view});
        parser.addPositionalArgument(
            QStringLiteral("files"),
            QCoreApplication::translate("main", "Text or Markdown files to open as new drafts (what the desktop passes)."),
            QStringLiteral("[files...]"));
    }
};

bool asks_for_help_or_version(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h" || a == "-?" || a == "--help-all" || a == "--version" || a == "-v") return true;
    }
    return false;
}

} // namespace

int main(int argc, char** argv) {
    fabula::tune_allocator();
    // Help and the version need no window, so they work without a display:
    // process() prints them and exits with 0.
    if (asks_for_help_or_version(argc, argv)) {
        QCoreApplication core(argc, argv);
        set_application_names();
        QCommandLineParser parser;
        CommandLine().add_to(parser);
        parser.process(core);
    }
    QApplication app(argc, argv);
    set_application_names();

    // The settings' language, else the system's.
    fabula::ui::applyLanguage(fabula::ui::localeForLanguage(fabula::ui::AppSettings().language()));

    QCommandLineParser parser;
    const CommandLine line; // after the translators, so the help and errors are in the writer's language
    line.add_to(parser);
    parser.process(app);
    const QCommandLineOption &model = line.model, &database = line.database, &screenshot = line.screenshot;

    fabula::ui::MainWindowOptions options;
    options.modelPath = parser.value(model);
    options.databasePath = parser.value(database);
    // The rule fabula-cli follows too ($FABULA_DATABASE, else the data folder).
    if (options.databasePath.isEmpty()) options.databasePath = QString::fromStdString(fabula::default_library_path());
    options.importFiles = parser.positionalArguments();

    if (parser.isSet(screenshot) && parser.isSet(line.view))
        return fabula::ui::renderWizardScreenshot(parser.value(line.view), parser.value(screenshot)) ? 0 : 1;
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
