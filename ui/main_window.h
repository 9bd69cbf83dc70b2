#pragma once
// The window: builds the widgets and the objects behind them and wires them
// together. Behaviour lives in those objects, not here.
#include "ui/document_manager.h"
#include "ui/suggestion_controller.h"

#include <QMainWindow>
#include <QStringList>

#include <optional>

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QListWidget;
class QMenu;
class QToolBar;
class QSplitter;

namespace fabula::ui {

class AppSettings;
class ContextPreview;
class ContextViewer;
class LoreHighlighter;
class StoryPanel;
class StorySession;
class DocumentStatistics;
class DraftEditor;
class DraftsModel;
class DraftsPanel;
class EngineWorker;
class FindBar;
class ModelManager;
class QuitGuard;
class RunLibrary;
class RunsModel;
class StoreClient;
class VoiceBox;

struct MainWindowOptions {
    QString databasePath;
    QString modelPath;        // load at start (--model); else the last one used
    bool askForModel = true;  // show the model dialog when none is registered
    QStringList importFiles;  // .txt/.md files to import as new drafts once the library is open (`fabula FILE…`)
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const MainWindowOptions& options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Fills the window with a sample draft and suggestion and saves it as PNG.
    bool renderScreenshot(const QString& file);

    DraftEditor* editor() const { return editor_; }
    StoreClient* store() const { return store_; }
    EngineWorker* engine() const { return engine_; }
    DocumentManager* documents() const { return documents_; }
    SuggestionController* suggestions() const { return suggestions_; }
    ModelManager* models() const { return models_; }
    DraftsModel* drafts() const { return draftsModel_; }
    DraftsPanel* draftsPanel() const { return draftsPanel_; }
    AppSettings* settings() const { return settings_; }
    RunLibrary* trainingRuns() const { return runs_; }
    RunsModel* runsModel() const { return runsModel_; }
    QLabel* banner() const { return banner_; }
    QLabel* saveLabel() const { return saveLabel_; }
    QLabel* countLabel() const { return countLabel_; }
    QLabel* speedLabel() const { return speedLabel_; }
    QLabel* modelLabel() const { return modelLabel_; }
    VoiceBox* voiceBox() const { return voiceBox_; }
    StorySession* story() const { return story_; }
    StoryPanel* storyPanel() const { return storyPanel_; }
    ContextPreview* contextPreview() const { return preview_; }
    ContextViewer* contextViewer() const { return contextViewer_; }
    LoreHighlighter* loreHighlighter() const { return highlighter_; }
    QAction* action(const QString& objectName) const;

public Q_SLOTS:
    // Imports a .txt or .md file as a new draft (with the story settings
    // exported beside it, if any) and opens it; problems go to the status bar.
    void importFile(const QString& path);
    void showAbout();
    void showModels();
    void showSettings();
    void showHistory();
    void exportDraft();
    void importDraft();
    void backUpLibrary();
    void toggleFocusMode(bool on);
    void showRuns();
    // The fine-tune wizard, not modal so the writer keeps writing while it trains.
    // "Train more" passes the model to start from and the run it continues.
    void showFineTuneWizard(const QString& baseModel = {}, qint64 parentRunId = 0);

protected:
    void closeEvent(QCloseEvent* e) override;
    void changeEvent(QEvent* e) override; // a language change: retranslateUi()

private:
    // Every text the window itself shows, in the current language; the
    // panels and docks do the same for theirs on the same event.
    void retranslateUi();
    void retranslateActions();
    void retranslateDockToggles();
    QString modelText() const; // the model (and voice) as the status bar names it
    void showTitle();
    void showCounts(qint64 words, qint64 chars);
    void showSpeed(const GenerationOutcome& o);
    void buildActions();
    void buildMenus();
    void buildLayout();
    void wire();
    void applySettings();
    void updateActions();
    void showSaveState(DocumentManager::SaveState state, const QString& message);

    AppSettings* settings_;
    StoreClient* store_;
    EngineWorker* engine_;
    ModelManager* models_;
    DraftsModel* draftsModel_;
    DraftsPanel* draftsPanel_;
    DraftEditor* editor_;
    DocumentManager* documents_;
    DocumentStatistics* statistics_;
    SuggestionController* suggestions_;
    QuitGuard* quitGuard_;
    RunLibrary* runs_;
    RunsModel* runsModel_;
    FindBar* findBar_;
    QSplitter* splitter_;
    QLabel* banner_;
    QListWidget* alternatives_;
    QComboBox* stars_;
    VoiceBox* voiceBox_;
    StorySession* story_;
    StoryPanel* storyPanel_;
    ContextPreview* preview_;
    ContextViewer* contextViewer_;
    LoreHighlighter* highlighter_;
    QLabel *modelLabel_, *placementLabel_, *speedLabel_, *countLabel_, *saveLabel_;
    QList<QAction*> actions_;
    QMenu* menus_[6] = {}; // File, Edit, Write, View, Training, Help
    QToolBar* suggestionBar_;
    DocumentManager::SaveState saveState_ = DocumentManager::SaveState::NoDraft;
    QList<QPair<QDockWidget*, bool>> docksBeforeFocus_; // open before focus mode; whether in front
    std::optional<GenerationOutcome> lastSpeed_; // the last rate shown, to word it again
    MainWindowOptions options_;
};

} // namespace fabula::ui
