#include "ui/main_window.h"

#include "ui/about_dialog.h"
#include "ui/ab_dialog.h"
#include "ui/ab_test.h"

#include "ui/app_settings.h"
#include "ui/document_statistics.h"
#include "ui/draft_files.h"
#include "ui/drafts_model.h"
#include "ui/drafts_panel.h"
#include "ui/editor.h"
#include "ui/engine_worker.h"
#include "ui/find_bar.h"
#include "ui/history_dialog.h"
#include "ui/model_dialog.h"
#include "ui/model_manager.h"
#include "ui/quit_guard.h"
#include "ui/run_library.h"
#include "ui/runs_dialog.h"
#include "ui/runs_model.h"
#include "ui/settings_dialog.h"
#include "ui/context_preview_worker.h"
#include "ui/context_viewer.h"
#include "ui/lore_highlighter.h"
#include "ui/story_panel.h"
#include "ui/story_session.h"
#include "ui/store_client.h"
#include "ui/theme.h"
#include "ui/voice_box.h"
#include "ui/wizard/fine_tune_wizard.h"
#include "ui/feedback_dialog.h"
#include "ui/feedback_note.h"
#include "ui/wizard/dashboard_page.h"

#include <QAction>
#include <QApplication>
#include <QBoxLayout>
#include <QCloseEvent>
#include <QDockWidget>
#include <QEvent>
#include <QMenu>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSplitter>
#include <QStatusBar>
#include <QTextBlock>
#include <QTimer>
#include <QToolBar>

namespace fabula::ui {

MainWindow::MainWindow(const MainWindowOptions& options, QWidget* parent) : QMainWindow(parent), options_(options) {
    setWindowTitle(tr("Fabula"));
    settings_ = new AppSettings(this);
    store_ = new StoreClient(options.databasePath, this);
    engine_ = EngineWorker::create();
    models_ = new ModelManager(engine_, store_, this);
    draftsModel_ = new DraftsModel(store_, this);
    editor_ = new DraftEditor(this);
    documents_ = new DocumentManager(store_, editor_, this);
    quitGuard_ = new QuitGuard(this, documents_);
    runs_ = new RunLibrary(store_, this);
    runsModel_ = new RunsModel(store_, runs_, this);
    quitGuard_->setTrainingRuns(runs_);
    statistics_ = new DocumentStatistics(editor_->document(), this);
    suggestions_ = new SuggestionController(engine_, store_, editor_, documents_, models_, this);
    story_ = new StorySession(store_, this);
    suggestions_->setStorySession(story_);
    preview_ = new ContextPreview(editor_, story_, this);
    preview_->setMaxNewTokens([s = suggestions_] { return s->settings().maxNewTokens; });
    highlighter_ = new LoreHighlighter(editor_->document());
    buildActions();
    buildLayout();
    buildMenus();
    retranslateUi();
    wire();
    applySettings();
    updateActions();
    resize(1100, 720);

    draftsModel_->refresh();
    models_->refresh();
    runs_->recover(); // re-attaches runs still training; interrupted ones are offered (see wire())
    // The last draft, or a first one so the writer can start typing at once.
    const qint64 last = settings_->lastDraft();
    connect(draftsModel_, &DraftsModel::refreshed, this, [this, last] {
        if (documents_->currentDraft() != 0) return;
        // `fabula FILE…` (the desktop's "Open with"): those become drafts, the last one opens.
        if (!options_.importFiles.isEmpty()) {
            for (const QString& file : options_.importFiles) importFile(file);
            return;
        }
        if (draftsModel_->rowCount() == 0) {
            if (draftsModel_->search().isEmpty())
                draftsModel_->createDraft(tr("Untitled"), {}, [this](qint64 id) { documents_->openDraft(id); });
            return;
        }
        documents_->openDraft(draftsModel_->rowOf(last) >= 0 ? last : draftsModel_->idAt(0));
    }, Qt::SingleShotConnection);

    const QString model = !options.modelPath.isEmpty() ? options.modelPath : settings_->lastModelPath();
    if (!model.isEmpty() && QDir(model).exists()) {
        models_->load(model, settings_->voiceFor(model));
    } else if (options.askForModel) {
        // Once the list is known: with nothing registered, explain what is needed.
        connect(models_, &ModelManager::modelsChanged, this, [this] {
            if (models_->models().isEmpty()) QTimer::singleShot(0, this, &MainWindow::showModels);
        }, Qt::SingleShotConnection);
    }
}

MainWindow::~MainWindow() {
    suggestions_->disconnect();
    engine_->shutdown();
}

QAction* MainWindow::action(const QString& objectName) const {
    for (QAction* a : actions_)
        if (a->objectName() == objectName) return a;
    return nullptr;
}

void MainWindow::buildActions() {
    for (const char* name : {"newDraft", "importDraft", "exportDraft", "backup", "models", "fineTune", "learnFromFeedback",
                             "feedback", "settings", "runs", "abTest", "quit", "about", "undo", "redo", "find", "history",
                             "focus", "continue", "regenerate", "alternatives", "accept", "reject", "stop", "thumbsUp",
                             "thumbsDown"}) {
        auto* a = new QAction(this);
        a->setObjectName(QString::fromLatin1(name));
        a->setShortcutContext(Qt::WindowShortcut);
        addAction(a);
        actions_.push_back(a);
    }
    action("focus")->setCheckable(true);
    // "storyPanel" and "contextViewer" are the docks' own toggles (buildLayout).
}

void MainWindow::retranslateActions() {
    const struct {
        const char* name;
        QString text;
        QKeySequence key;
    } texts[] = {
        {"newDraft", tr("&New draft"), QKeySequence::New},
        {"importDraft", tr("&Import…"), QKeySequence(tr("Ctrl+Shift+I"))},
        {"exportDraft", tr("&Export…"), QKeySequence(tr("Ctrl+Shift+E"))},
        {"backup", tr("&Back up library…"), {}},
        {"models", tr("&Models…"), QKeySequence(tr("Ctrl+M"))},
        {"fineTune", tr("&Fine-tune on my stories…"), {}},
        {"learnFromFeedback", tr("&Learn from my feedback…"), {}},
        {"feedback", tr("Feedback for &training…"), {}},
        {"settings", tr("&Settings…"), QKeySequence::Preferences},
        {"runs", tr("Training &runs…"), {}},
        {"abTest", tr("&Blind A/B test…"), {}},
        {"quit", tr("&Quit"), QKeySequence::Quit},
        {"about", tr("&About Fabula"), {}},
        {"undo", tr("&Undo"), QKeySequence::Undo},
        {"redo", tr("&Redo"), QKeySequence::Redo},
        {"find", tr("&Find and replace…"), QKeySequence::Find},
        {"history", tr("Version &history…"), QKeySequence(tr("Ctrl+H"))},
        {"focus", tr("&Focus mode"), QKeySequence(tr("F11"))},
        {"continue", tr("&Continue"), QKeySequence(tr("Ctrl+Return"))},
        {"regenerate", tr("&Regenerate"), QKeySequence(tr("Ctrl+R"))},
        {"alternatives", tr("&Alternatives"), QKeySequence(tr("Ctrl+Shift+Return"))},
        // Tab and Esc are handled by the editor while a suggestion shows.
        {"accept", tr("Acc&ept (Tab)"), QKeySequence(tr("Ctrl+Shift+A"))},
        {"reject", tr("Re&ject (Esc)"), QKeySequence(tr("Ctrl+Shift+J"))},
        {"stop", tr("&Stop"), QKeySequence(tr("Ctrl+."))},
        {"thumbsUp", tr("Good continuation"), QKeySequence(tr("Ctrl+Shift+Up"))},
        {"thumbsDown", tr("Poor continuation"), QKeySequence(tr("Ctrl+Shift+Down"))},
    };
    for (const auto& t : texts) {
        QAction* a = action(QString::fromLatin1(t.name));
        a->setText(t.text);
        a->setShortcut(t.key);
    }
    retranslateDockToggles();
}

void MainWindow::retranslateDockToggles() {
    // A dock renames its toggle after its own title whenever that changes.
    action(QStringLiteral("storyPanel"))->setText(tr("&Story: memory, note, lorebook"));
    action(QStringLiteral("storyPanel"))->setShortcut(QKeySequence(tr("Ctrl+Shift+M")));
    action(QStringLiteral("contextViewer"))->setText(tr("&Context the model sees"));
    action(QStringLiteral("contextViewer"))->setShortcut(QKeySequence(tr("Ctrl+Shift+K")));
}

void MainWindow::retranslateUi() {
    retranslateActions();
    menus_[0]->setTitle(tr("&File"));
    menus_[1]->setTitle(tr("&Edit"));
    menus_[2]->setTitle(tr("&Write"));
    menus_[3]->setTitle(tr("&View"));
    menus_[4]->setTitle(tr("&Training"));
    menus_[5]->setTitle(tr("&Help"));
    banner_->setAccessibleName(tr("Save problem"));
    suggestionBar_->setWindowTitle(tr("Continuation"));
    stars_->setAccessibleName(tr("Stars for this continuation"));
    stars_->setItemText(0, tr("Stars…"));
    alternatives_->setAccessibleName(tr("Alternative continuations"));
    // The status bar says again what it said, in the new words.
    if (!models_->isLoading()) modelLabel_->setText(modelText());
    showSaveState(saveState_, banner_->text());
    showCounts(statistics_->counts().words, statistics_->counts().characters);
    if (lastSpeed_) showSpeed(*lastSpeed_);
    showTitle();
}

void MainWindow::changeEvent(QEvent* e) {
    // The panels and docks get the event after the window (QWidget passes it on) and retranslate themselves.
    if (e->type() == QEvent::LanguageChange) retranslateUi();
    QMainWindow::changeEvent(e);
}

QString MainWindow::modelText() const {
    if (!models_->isLoaded()) return tr("No model");
    return models_->voice().isEmpty() ? models_->info().name
                                      : tr("%1 · voice “%2”").arg(models_->info().name, models_->voiceName());
}

void MainWindow::showTitle() {
    const qint64 id = documents_->currentDraft();
    const QString title = documents_->currentTitle();
    setWindowTitle(id ? tr("%1 — Fabula").arg(title.isEmpty() ? tr("Untitled") : title) : tr("Fabula"));
}

void MainWindow::showCounts(qint64 words, qint64 chars) {
    countLabel_->setText(tr("%Ln word(s)", nullptr, int(words)) + QStringLiteral(" · ") +
                         tr("%Ln character(s)", nullptr, int(chars)));
}

void MainWindow::showSpeed(const GenerationOutcome& o) {
    // Writers count words: the same rate, scaled by this suggestion's words per token.
    const auto words = o.text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts).size();
    const QString tokens = tr("%1 tokens/s").arg(QLocale().toString(o.tokensPerSecond, 'f', 1));
    // How much of the prompt the cache already held: the story's stable cut keeps it high.
    const QString prompt = tr("prompt: %1 new, %2 reused")
                               .arg(QLocale().toString(o.promptTokensProcessed), QLocale().toString(o.promptTokensReused));
    speedLabel_->setText((o.ids.isEmpty() || words == 0
                              ? tokens
                              : tr("%1 words/s (%2)")
                                    .arg(QLocale().toString(o.tokensPerSecond * double(words) / double(o.ids.size()), 'f', 1),
                                         tokens)) +
                         QStringLiteral(" · ") + prompt);
}

void MainWindow::buildMenus() {
    for (QMenu*& menu : menus_) menu = menuBar()->addMenu(QString()); // titled by retranslateUi()
    auto* file = menus_[0];
    for (auto* n : {"newDraft", "importDraft", "exportDraft", "backup", "models", "settings"})
        file->addAction(action(n));
    file->addSeparator();
    file->addAction(action("quit"));
    auto* edit = menus_[1];
    for (auto* n : {"undo", "redo", "find"}) edit->addAction(action(n));
    auto* write = menus_[2];
    for (auto* n : {"continue", "regenerate", "alternatives", "accept", "reject", "stop", "thumbsUp", "thumbsDown"})
        write->addAction(action(n));
    auto* view = menus_[3];
    for (auto* n : {"history", "focus", "storyPanel", "contextViewer"}) view->addAction(action(n));
    auto* training = menus_[4];
    for (auto* n : {"fineTune", "learnFromFeedback", "feedback", "runs"}) training->addAction(action(n));
    training->addAction(action("abTest"));
    auto* help = menus_[5];
    help->addAction(action("about"));
}

void MainWindow::buildLayout() {
    draftsPanel_ = new DraftsPanel(draftsModel_, this);
    banner_ = new QLabel(this);
    banner_->setWordWrap(true);
    banner_->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #664d03; padding: 8px; "
                                          "border-bottom: 1px solid #e0c56e; }"));
    banner_->hide();

    auto* bar = suggestionBar_ = new QToolBar(this);
    bar->setObjectName(QStringLiteral("suggestionBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (auto* n : {"continue", "accept", "reject", "regenerate", "alternatives", "stop"}) bar->addAction(action(n));
    bar->addSeparator();
    bar->addAction(action("thumbsUp"));
    bar->addAction(action("thumbsDown"));
    stars_ = new QComboBox(bar);
    stars_->addItem(QString(), 0);
    for (int i = 1; i <= 5; ++i) stars_->addItem(QString(i, QChar(0x2605)), i);
    bar->addWidget(stars_);
    bar->addSeparator();
    voiceBox_ = new VoiceBox(models_, bar);
    bar->addWidget(voiceBox_);

    alternatives_ = new QListWidget(this);
    alternatives_->setMaximumHeight(110);
    alternatives_->setWordWrap(true);
    alternatives_->hide();
    findBar_ = new FindBar(editor_, this);

    auto* column = new QWidget(this);
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(banner_);
    layout->addWidget(editor_, 1);
    layout->addWidget(alternatives_);
    layout->addWidget(findBar_);
    layout->addWidget(bar);

    splitter_ = new QSplitter(this);
    splitter_->addWidget(draftsPanel_);
    splitter_->addWidget(column);
    splitter_->setStretchFactor(1, 1);
    splitter_->setSizes({260, 840});
    setCentralWidget(splitter_);

    modelLabel_ = new QLabel(this);
    placementLabel_ = new QLabel(this);
    speedLabel_ = new QLabel(this);
    countLabel_ = new QLabel(this);
    saveLabel_ = new QLabel(this);
    for (QLabel* l : {modelLabel_, placementLabel_, speedLabel_, countLabel_, saveLabel_}) statusBar()->addPermanentWidget(l);

    storyPanel_ = new StoryPanel(story_, this);
    contextViewer_ = new ContextViewer(preview_, this);
    addDockWidget(Qt::RightDockWidgetArea, storyPanel_);
    addDockWidget(Qt::RightDockWidgetArea, contextViewer_);
    tabifyDockWidget(storyPanel_, contextViewer_);
    // Opened from the View menu; hidden, the preview does no work.
    storyPanel_->hide();
    contextViewer_->hide();
    auto dockToggle = [this](QDockWidget* dock, const char* name) {
        QAction* a = dock->toggleViewAction();
        a->setObjectName(QString::fromLatin1(name));
        addAction(a);
        actions_.push_back(a);
        // The dock names its toggle after its title (a language change renames both): the menu's words again.
        connect(dock, &QWidget::windowTitleChanged, this, &MainWindow::retranslateDockToggles);
    };
    dockToggle(storyPanel_, "storyPanel");
    dockToggle(contextViewer_, "contextViewer");
}

void MainWindow::wire() {
    connect(action("newDraft"), &QAction::triggered, draftsPanel_, &DraftsPanel::newDraft);
    connect(action("importDraft"), &QAction::triggered, this, &MainWindow::importDraft);
    connect(action("about"), &QAction::triggered, this, &MainWindow::showAbout);
    connect(action("exportDraft"), &QAction::triggered, this, &MainWindow::exportDraft);
    connect(action("backup"), &QAction::triggered, this, &MainWindow::backUpLibrary);
    connect(action("models"), &QAction::triggered, this, &MainWindow::showModels);
    connect(action("fineTune"), &QAction::triggered, this, [this] { showFineTuneWizard(); });
    auto* feedbackNote = new FeedbackNote(store_, settings_, statusBar(), this);
    feedbackNote->check();
    connect(action("feedback"), &QAction::triggered, this, [this] {
        auto* dialog = new FeedbackDialog(store_, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    connect(action("learnFromFeedback"), &QAction::triggered, this, [this, feedbackNote] {
        FineTuneWizardOptions o;
        o.feedback = true;
        auto* wizard = new FineTuneWizard(store_, models_, runs_, o, this);
        wizard->setAttribute(Qt::WA_DeleteOnClose);
        connect(wizard->dashboardPage(), &DashboardPage::runStarted, feedbackNote, &FeedbackNote::recordRun);
        connect(wizard, &FineTuneWizard::trainMoreRequested, this, &MainWindow::showFineTuneWizard);
        wizard->show();
    });
    connect(action("settings"), &QAction::triggered, this, &MainWindow::showSettings);
    connect(action("runs"), &QAction::triggered, this, &MainWindow::showRuns);
    connect(runs_, &RunLibrary::interruptedFound, this,
            [this](const QList<qint64>& ids, const QStringList& names, const QStringList& dirs) {
                offerInterruptedRuns(this, runs_, ids, names, dirs);
            });
    connect(action("quit"), &QAction::triggered, this, &QWidget::close);
    connect(action("undo"), &QAction::triggered, editor_, &QPlainTextEdit::undo);
    connect(action("redo"), &QAction::triggered, editor_, &QPlainTextEdit::redo);
    connect(editor_, &QPlainTextEdit::undoAvailable, action("undo"), &QAction::setEnabled);
    connect(editor_, &QPlainTextEdit::redoAvailable, action("redo"), &QAction::setEnabled);
    connect(action("find"), &QAction::triggered, findBar_, &FindBar::open);
    connect(action("history"), &QAction::triggered, this, &MainWindow::showHistory);
    connect(action("focus"), &QAction::toggled, this, &MainWindow::toggleFocusMode);
    connect(action("continue"), &QAction::triggered, suggestions_, &SuggestionController::continueText);
    connect(action("regenerate"), &QAction::triggered, suggestions_, &SuggestionController::regenerate);
    connect(action("abTest"), &QAction::triggered, this, [this] {
        auto* test = new AbTest(engine_, store_, editor_, documents_, models_);
        test->setStorySession(story_);
        auto* dialog = new AbDialog(test, models_, store_, suggestions_->settings(), this);
        test->setParent(dialog);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    connect(action("alternatives"), &QAction::triggered, suggestions_, [this] { suggestions_->requestAlternatives(3); });
    connect(action("accept"), &QAction::triggered, suggestions_, &SuggestionController::accept);
    connect(action("reject"), &QAction::triggered, suggestions_, &SuggestionController::reject);
    connect(action("stop"), &QAction::triggered, suggestions_, &SuggestionController::stop);
    connect(action("thumbsUp"), &QAction::triggered, suggestions_, [this] { suggestions_->rate(1); });
    connect(action("thumbsDown"), &QAction::triggered, suggestions_, [this] { suggestions_->rate(-1); });
    connect(stars_, &QComboBox::activated, this, [this](int index) {
        if (const int n = stars_->itemData(index).toInt(); n > 0) suggestions_->rate(0, n);
        stars_->setCurrentIndex(0);
        editor_->setFocus();
    });

    connect(draftsPanel_, &DraftsPanel::openRequested, documents_, &DocumentManager::openDraft);
    connect(documents_, &DocumentManager::draftOpened, this, [this](qint64 id, const QString& title) {
        draftsPanel_->setCurrentDraft(id);
        settings_->setLastDraft(id);
        showTitle();
        story_->openDraft(id);
        updateActions();
    });
    connect(story_, &StorySession::contextChanged, this, [this] {
        highlighter_->setEntries(story_->context() ? story_->context()->lore : std::vector<LoreEntry>{});
    });
    connect(story_, &StorySession::problem, this, [this](const QString& m) { statusBar()->showMessage(m, 15000); });
    connect(storyPanel_, &StoryPanel::message, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(documents_, &DocumentManager::draftSaved, draftsModel_, &DraftsModel::refresh);
    connect(documents_, &DocumentManager::saveStateChanged, this, &MainWindow::showSaveState);
    connect(store_, &StoreClient::error, this, [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    connect(statistics_, &DocumentStatistics::countsChanged, this, &MainWindow::showCounts);

    connect(models_, &ModelManager::loadStarted, this, [this](const QString& dir) {
        modelLabel_->setText(tr("Loading %1…").arg(QDir(dir).dirName()));
        placementLabel_->clear();
        updateActions();
    });
    connect(models_, &ModelManager::loadProgress, this, [this](double f) {
        modelLabel_->setText(tr("Loading… %1%").arg(int(f * 100)));
    });
    connect(models_, &ModelManager::loaded, this, [this](const ModelInfo& info) {
        modelLabel_->setText(info.name);
        placementLabel_->setText(info.placement);
        settings_->setLastModelPath(info.path);
        preview_->setModel(info.path, info.nPositions);
        updateActions();
    });
    connect(models_, &ModelManager::voiceChanged, this, [this](const QString& dir, const QString& name) {
        settings_->setVoiceFor(models_->info().path, dir);
        modelLabel_->setText(dir.isEmpty() ? models_->info().name
                                           : tr("%1 · voice “%2”").arg(models_->info().name, name));
        statusBar()->showMessage(dir.isEmpty() ? tr("Writing with %1 alone.").arg(models_->info().name)
                                               : tr("Writing in the voice “%1”.").arg(name),
                                 6000);
    });
    connect(models_, &ModelManager::voiceFailed, this, [this](const QString& message) {
        statusBar()->showMessage(message, 15000);
    });
    connect(models_, &ModelManager::loadFailed, this, [this](const QString& message) {
        // A failed switch leaves the model that was loaded before.
        modelLabel_->setText(modelText());
        placementLabel_->setText(models_->isLoaded() ? models_->info().placement : QString());
        statusBar()->showMessage(message, 15000);
        updateActions();
    });
    connect(models_, &ModelManager::addFailed, this, [this](const QString&, const QString& message) {
        statusBar()->showMessage(message, 15000);
    });

    connect(suggestions_, &SuggestionController::stateChanged, this, [this](SuggestionController::State s) {
        if (s != SuggestionController::State::Showing) alternatives_->hide();
        updateActions();
    });
    connect(suggestions_, &SuggestionController::stateChanged, highlighter_, [this](SuggestionController::State s) {
        // Dismissing a suggestion clears its block's formats, the keys' marks with them.
        if (s == SuggestionController::State::Idle) highlighter_->rehighlightBlock(editor_->textCursor().block());
    });
    connect(suggestions_, &SuggestionController::generationFinished, this, [this](const GenerationOutcome& o) {
        if (o.tokensPerSecond <= 0) return;
        lastSpeed_ = o;
        showSpeed(o);
    });
    connect(suggestions_, &SuggestionController::message, this, [this](const QString& m) { statusBar()->showMessage(m, 6000); });
    connect(suggestions_, &SuggestionController::alternativesReady, this, [this](const QStringList& texts) {
        alternatives_->clear();
        for (const QString& t : texts) alternatives_->addItem(t.simplified());
        alternatives_->setCurrentRow(0);
        alternatives_->show();
    });
    connect(alternatives_, &QListWidget::currentRowChanged, suggestions_, &SuggestionController::chooseAlternative);
    connect(alternatives_, &QListWidget::itemActivated, this, [this] {
        suggestions_->accept();
        editor_->setFocus();
    });
    connect(settings_, &AppSettings::changed, this, &MainWindow::applySettings);
}

void MainWindow::applySettings() {
    suggestions_->setSettings(settings_->generation());
    editor_->setProseFont(settings_->fontFamily(), settings_->fontSize());
    applyTheme(settings_->theme());
}

void MainWindow::updateActions() {
    const auto s = suggestions_->state();
    const bool draft = documents_->currentDraft() != 0;
    const bool model = models_->isLoaded();
    action("continue")->setEnabled(draft && model);
    action("alternatives")->setEnabled(draft && model);
    action("regenerate")->setEnabled(draft && model && s == SuggestionController::State::Showing);
    action("accept")->setEnabled(s == SuggestionController::State::Showing);
    action("reject")->setEnabled(s != SuggestionController::State::Idle);
    action("stop")->setEnabled(s == SuggestionController::State::Generating);
    action("exportDraft")->setEnabled(draft);
    action("history")->setEnabled(draft);
}

void MainWindow::showSaveState(DocumentManager::SaveState state, const QString& message) {
    using S = DocumentManager::SaveState;
    saveState_ = state;
    switch (state) {
    case S::NoDraft: saveLabel_->clear(); break;
    case S::Saved: saveLabel_->setText(tr("Saved")); break;
    case S::Unsaved: saveLabel_->setText(tr("Edited")); break;
    case S::Saving: saveLabel_->setText(tr("Saving…")); break;
    case S::Failed: saveLabel_->setText(tr("Not saved")); break;
    }
    banner_->setText(message);
    banner_->setVisible(state == S::Failed);
}

void MainWindow::showModels() {
    ModelDialog dialog(models_, settings_, this);
    dialog.exec();
}

void MainWindow::showFineTuneWizard(const QString& baseModel, qint64 parentRunId) {
    FineTuneWizardOptions o;
    o.baseModel = baseModel;
    o.parentRunId = parentRunId;
    auto* wizard = new FineTuneWizard(store_, models_, runs_, o, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &FineTuneWizard::trainMoreRequested, this, &MainWindow::showFineTuneWizard);
    wizard->show();
}

void MainWindow::showRuns() {
    auto* dialog = new RunsDialog(runsModel_, runs_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showSettings() {
    SettingsDialog dialog(settings_, this);
    dialog.exec();
}

void MainWindow::showHistory() {
    if (!documents_->currentDraft()) return;
    suggestions_->reject();
    documents_->saveNow();
    auto* dialog = new HistoryDialog(store_, documents_->currentDraft(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &HistoryDialog::restored, documents_, &DocumentManager::reload);
    dialog->open();
}

void MainWindow::exportDraft() {
    if (!documents_->currentDraft()) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export draft"), documents_->currentTitle(),
                                                      tr("Plain text (*.txt);;Markdown (*.md);;OpenDocument text (*.odt)"));
    if (path.isEmpty()) return;
    story_->saveNow();
    if (const QString error = fabula::ui::exportDraft(editor_->draftText(), documents_->currentTitle(), path);
        !error.isEmpty()) {
        statusBar()->showMessage(error, 15000);
        return;
    }
    const QString exported = tr("Exported to %1").arg(QDir::toNativeSeparators(path));
    const QString story = exportStorySettings(path, story_->draftSettings(), story_->seriesName());
    statusBar()->showMessage(story.isEmpty() ? exported : exported + QStringLiteral(". ") + story,
                             story.isEmpty() ? 8000 : 30000);
}

void MainWindow::importDraft() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a text"), {}, tr("Text (*.txt *.md)"));
    if (!path.isEmpty()) importFile(path);
}

void MainWindow::importFile(const QString& path) {
    QString title, body;
    if (const QString error = fabula::ui::importDraft(path, &title, &body); !error.isEmpty()) {
        statusBar()->showMessage(error, 8000);
        return;
    }
    StorySettings story;
    QString series;
    bool found = false;
    if (const QString error = importStorySettings(path, &story, &series, &found); !error.isEmpty()) {
        statusBar()->showMessage(error, 15000);
        return;
    }
    draftsModel_->createDraft(title, body, [this, found, story, series = series.toStdString()](qint64 id) {
        // Before the open below, which then loads them (jobs run in order).
        if (found) store_->submit([id, story, series](Store& s) {
            s.set_draft_story(id, story);
            if (series.empty()) return;
            std::int64_t seriesId = 0;
            for (const auto& existing : s.series())
                if (existing.name == series) seriesId = existing.id;
            s.set_draft_series(id, seriesId ? seriesId : s.create_series(series));
        });
        documents_->openDraft(id);
    });
}

void MainWindow::backUpLibrary() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Back up library"), QStringLiteral("fabula-backup.sqlite"),
                                                      tr("Fabula library (*.sqlite)"));
    if (path.isEmpty()) return;
    documents_->saveNow();
    store_->submit(this, [p = path.toStdString()](Store& s) { s.backup_to(p); }, [this, path] {
        statusBar()->showMessage(tr("Library backed up to %1").arg(QDir::toNativeSeparators(path)), 8000);
    }, [this](const StoreError& e) {
        statusBar()->showMessage(tr("The backup failed: %1").arg(QString::fromStdString(e.message())), 15000);
    });
}

void MainWindow::toggleFocusMode(bool on) {
    // The docks open before come back afterwards, the one in front in front again.
    if (on) {
        docksBeforeFocus_.clear();
        for (QDockWidget* dock : {static_cast<QDockWidget*>(storyPanel_), static_cast<QDockWidget*>(contextViewer_)}) {
            if (dock->isHidden()) continue;
            docksBeforeFocus_.append({dock, dock->isVisible()});
            dock->hide();
        }
    } else {
        for (const auto& [dock, inFront] : std::as_const(docksBeforeFocus_)) dock->show();
        for (const auto& [dock, inFront] : std::as_const(docksBeforeFocus_))
            if (inFront) dock->raise();
        docksBeforeFocus_.clear();
    }
    draftsPanel_->setVisible(!on);
    menuBar()->setVisible(!on);
    statusBar()->setVisible(!on);
    if (on) showFullScreen();
    else showNormal();
    editor_->setFocus();
}

void MainWindow::closeEvent(QCloseEvent* e) {
    suggestions_->reject();
    story_->saveNow(); // the store finishes queued jobs before it closes
    if (!quitGuard_->mayClose()) {
        e->ignore();
        return;
    }
    e->accept();
}

bool MainWindow::renderScreenshot(const QString& file) {
    const QString sample = tr(
        "The Lighthouse Keeper's Daughter\n\n"
        "The storm had been building since noon, a bruise-coloured wall of cloud that swallowed the horizon one "
        "mile at a time. Mara watched it from the gallery of the lighthouse, her hands wrapped around a mug of tea "
        "that had long gone cold.\n\n"
        "Her father had kept this light for thirty-one years. He had never once let it go dark, not through the "
        "winter of the great ice, not through the night her mother left on the last ferry to the mainland. Now he "
        "lay in the narrow bed below, and the keeping of the light had fallen to her.\n\n"
        "She climbed down the iron stairs, counting them as she always did, and found him awake.");
    const QString suggestion = tr(" \"Is it coming?\" he asked, without opening his eyes. She told him it was, "
                                  "and that the lamp was trimmed and the glass was clean, and he smiled the way "
                                  "he used to when she was small.");
    modelLabel_->setText(QStringLiteral("gpt2"));
    placementLabel_->setText(QStringLiteral("CPU, fp32, 2 threads"));
    speedLabel_->setText(tr("%1 words/s (%2)")
                             .arg(QLocale().toString(18.3, 'f', 1), tr("%1 tokens/s").arg(QLocale().toString(24.6, 'f', 1))));
    auto waitFor = [](const std::function<bool()>& done) {
        QElapsedTimer t;
        t.start();
        while (!done() && t.elapsed() < 15000) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        return done();
    };
    // After the first draft of the fresh library is open, so that opening
    // does not race the sample's.
    qint64 sampleId = 0;
    const bool ok = waitFor([&] { return documents_->currentDraft() != 0; }) && [&] {
        draftsModel_->createDraft(tr("The Lighthouse Keeper's Daughter"), sample, [&](qint64 id) {
            sampleId = id;
            documents_->openDraft(id);
        });
        return waitFor([&] { return sampleId != 0 && documents_->currentDraft() == sampleId; });
    }();
    if (!ok) return false;
    show();
    editor_->setFocus();
    editor_->moveCursor(QTextCursor::End);
    editor_->beginSuggestion();
    editor_->setSuggestion(suggestion);
    // The actions as they are while a suggestion shows.
    for (auto* n : {"accept", "reject", "regenerate"}) action(n)->setEnabled(true);
    action("continue")->setEnabled(true);
    const auto deadline = QDateTime::currentMSecsSinceEpoch() + 600;
    while (QDateTime::currentMSecsSinceEpoch() < deadline) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return grab().save(file);
}

void MainWindow::showAbout() {
    AboutDialog about(this);
    about.exec();
}

} // namespace fabula::ui
