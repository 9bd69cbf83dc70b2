// The window's features end to end, through the real widgets and a real
// store file: version history and restore, library backup, the download
// dialog against the fake hub (finish and cancel), focus mode, themes,
// translations and accessible names.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/store/store.h"
#endif
#include "ui/app_settings.h"
#include "ui/context_viewer.h"
#include "ui/story_panel.h"
#include "ui/document_manager.h"
#include "ui/download_dialog.h"
#include "ui/drafts_model.h"
#include "ui/drafts_panel.h"
#include "ui/editor.h"
#include "ui/history_dialog.h"
#include "ui/hub_download.h"
#include "ui/main_window.h"
#include "ui/model_dialog.h"
#include "ui/model_manager.h"
#include "ui/settings_dialog.h"
#include "ui/store_client.h"
#include "test_support.h"

#include <QAbstractButton>
#include <QBoxLayout>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QTranslator>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace fabula;
using namespace fabula::ui;

namespace {

const QString kOld = QStringLiteral("Chapter one. The keeper climbed the stairs.");
const QString kMid = kOld + QStringLiteral(" The storm came at noon.");
const QString kNew = kMid + QStringLiteral(" Nobody slept.");

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// tests/ui/fake_hub.py in a child process; it exits when its stdin closes.
class FakeHub {
public:
    explicit FakeHub(const QStringList& repos, const QStringList& options = {}) {
        process_.setProgram(QStringLiteral(FABULA_TEST_PYTHON));
        process_.setArguments(QStringList{QStringLiteral(FABULA_TEST_FAKE_HUB)} + repos + options);
        process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process_.start();
        while (!process_.canReadLine() && process_.waitForReadyRead(30000)) {
        }
        port_ = process_.readLine().trimmed().toInt();
    }
    ~FakeHub() {
        process_.closeWriteChannel();
        if (!process_.waitForFinished(10000)) {
            process_.kill();
            process_.waitForFinished();
        }
    }
    bool ok() const { return port_ > 0; }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port_)); }

private:
    QProcess process_;
    int port_ = 0;
};

// HOME (and so QStandardPaths' test-mode AppData, where the dialog puts
// models) in a fresh folder for one test.
class ScopedHome {
public:
    ScopedHome() : old_(qgetenv("HOME")) { qputenv("HOME", dir_.path().toLocal8Bit()); }
    ~ScopedHome() { qputenv("HOME", old_); }
    QString path() const { return dir_.path(); }

private:
    QTemporaryDir dir_;
    QByteArray old_;
};

template <class W>
W* findByText(QWidget* root, const QString& text) {
    for (W* w : root->findChildren<W*>())
        if (w->text() == text) return w;
    return nullptr;
}

QLabel* labelStartingWith(QWidget* root, const QString& prefix) {
    for (QLabel* l : root->findChildren<QLabel*>())
        if (l->text().startsWith(prefix)) return l;
    return nullptr;
}

bool hasBuddyLabel(QWidget* w) {
    for (QLabel* l : w->window()->findChildren<QLabel*>())
        if (l->buddy() == w && !l->text().isEmpty()) return true;
    return false;
}

// Visible controls that show no text of their own must carry a name for
// screen readers (set directly, or through a label's buddy).
QStringList unnamedControls(QWidget* root) {
    QStringList problems;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (!w->isVisible() || w->objectName().startsWith(QLatin1String("qt_"))) continue; // Qt's own parts
        const QString where = QStringLiteral("%1 \"%2\" in %3")
                                  .arg(QLatin1String(w->metaObject()->className()), w->objectName(),
                                       QLatin1String(root->metaObject()->className()));
        if (auto* b = qobject_cast<QAbstractButton*>(w)) {
            if (b->text().isEmpty() && b->accessibleName().isEmpty()) problems << where;
        } else if (qobject_cast<QLineEdit*>(w) || qobject_cast<QComboBox*>(w)) {
            // An editable combo box's own line edit is named by the combo box.
            if (qobject_cast<QLineEdit*>(w) && qobject_cast<QComboBox*>(w->parentWidget())) continue;
            if (w->accessibleName().isEmpty() && !hasBuddyLabel(w)) problems << where;
        }
    }
    return problems;
}

} // namespace

class TestFeatures : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString model_, db_;
    qint64 draftId_ = 0;
    QPalette systemPalette_;
    std::unique_ptr<MainWindow> window_;

    std::unique_ptr<MainWindow> openWindow(const QString& db) {
        MainWindowOptions o;
        o.databasePath = db;
        o.askForModel = false;
        auto w = std::make_unique<MainWindow>(o);
        w->show();
        return w;
    }
    void save() {
        window_->documents()->saveNow();
        window_->store()->waitForIdle();
        QTRY_COMPARE(window_->documents()->saveState(), DocumentManager::SaveState::Saved);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        // QFileDialog keeps its history in QSettings' native format ("QtProject").
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
        qputenv("FABULA_AUTOSAVE_MS", "600000"); // the tests save when they mean to
        model_ = dir_.filePath(QStringLiteral("tiny-gpt2"));
        QVERIFY(test::makeModel(model_));
        QVERIFY(QFileInfo(model_ + QStringLiteral("/model.safetensors")).size() > 400000);

        // A library with one draft whose only revision is three days old.
        db_ = dir_.filePath(QStringLiteral("fabula.sqlite"));
        {
            const TimeMs old = QDateTime::currentMSecsSinceEpoch() - 3 * kDayMs;
            StoreOptions options;
            options.clock = [old] { return old; };
            Store s(db_.toStdString(), options);
            draftId_ = s.create_draft("The keeper", kOld.toStdString());
            QVERIFY(s.maybe_snapshot(draftId_, kOld.toStdString(), old).has_value());
        }
        systemPalette_ = QApplication::palette();
        window_ = openWindow(db_);
        QTRY_COMPARE_WITH_TIMEOUT(window_->documents()->currentDraft(), draftId_, 20000);
        QCOMPARE(window_->editor()->draftText(), kOld);
    }

    void cleanupTestCase() { window_.reset(); }

    void historyRestoresAnEarlierVersion() {
        auto* ed = window_->editor();
        ed->setFocus();
        ed->moveCursor(QTextCursor::End);
        QTest::keyClicks(ed, kMid.mid(kOld.size()));
        save();
        {
            // The save's snapshot (the newest revision was days old).
            Store fresh(db_.toStdString());
            const auto revs = fresh.list_revisions(draftId_);
            QCOMPARE(revs.size(), size_t(2));
            QVERIFY(revs[0].kind == RevisionKind::Autosave);
            QCOMPARE(QString::fromStdString(fresh.get_revision(revs[0].id)->text), kMid);
        }
        QTest::keyClicks(ed, kNew.mid(kMid.size()));
        save();
        {
            // Minutes later: saved, but no new revision.
            Store fresh(db_.toStdString());
            QCOMPARE(QString::fromStdString(fresh.get_draft(draftId_)->body), kNew);
            QCOMPARE(fresh.list_revisions(draftId_).size(), size_t(2));
        }

        QVERIFY(window_->action(QStringLiteral("history"))->isEnabled());
        window_->action(QStringLiteral("history"))->trigger();
        QPointer<HistoryDialog> dialog;
        QTRY_VERIFY((dialog = window_->findChild<HistoryDialog*>()) != nullptr);
        QTRY_VERIFY(dialog->isVisible());
        QTRY_COMPARE(dialog->list()->count(), 2);
        QVERIFY(dialog->list()->item(0)->text().contains(QStringLiteral("autosave")));
        auto* preview = dialog->findChild<QPlainTextEdit*>();
        QVERIFY(preview);
        QTRY_COMPARE(preview->toPlainText(), kMid);
        dialog->list()->setCurrentRow(1); // the three-day-old one
        QTRY_COMPARE(preview->toPlainText(), kOld);
        auto* restore = findByText<QPushButton>(dialog, QStringLiteral("&Restore this version"));
        QVERIFY(restore);
        QVERIFY(restore->isEnabled());
        QTest::mouseClick(restore, Qt::LeftButton);

        QTRY_COMPARE(ed->draftText(), kOld);
        QTRY_VERIFY(dialog.isNull()); // closed and deleted
        QCOMPARE(window_->documents()->saveState(), DocumentManager::SaveState::Saved);
        save(); // the reloaded text is not saved over by the editor's old one
        Store fresh(db_.toStdString());
        QCOMPARE(QString::fromStdString(fresh.get_draft(draftId_)->body), kOld);
        const auto revs = fresh.list_revisions(draftId_);
        QCOMPARE(revs.size(), size_t(3));
        QVERIFY(revs[0].kind == RevisionKind::BeforeRestore);
        QCOMPARE(QString::fromStdString(fresh.get_revision(revs[0].id)->text), kNew);
    }

    void backUpLibrary() {
        // A second draft, so "the same drafts" means more than one.
        qint64 second = 0;
        window_->drafts()->createDraft(QStringLiteral("Second"), QStringLiteral("Another story."),
                                       [&](qint64 id) { second = id; });
        QTRY_VERIFY(second != 0);
        save();

        const QString target = dir_.filePath(QStringLiteral("backups/library-copy.sqlite"));
        QVERIFY(QDir().mkpath(QFileInfo(target).path()));
        QVERIFY(!QFileInfo::exists(target));
        // Answer the save dialog the action opens.
        bool answered = false;
        QTimer answer;
        answer.setInterval(50);
        connect(&answer, &QTimer::timeout, this, [&] {
            if (auto* fd = qobject_cast<QFileDialog*>(QApplication::activeModalWidget())) {
                answer.stop();
                answered = true;
                fd->setDirectory(QFileInfo(target).path());
                // selectFile() leaves the name field alone while it has the focus.
                if (auto* name = fd->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")))
                    name->setText(QFileInfo(target).fileName());
                else
                    fd->selectFile(target);
                static_cast<QDialog*>(fd)->accept(); // QFileDialog::accept, via the public slot
            }
        });
        answer.start();
        window_->action(QStringLiteral("backup"))->trigger();
        answer.stop();
        QVERIFY(answered);
        QTRY_VERIFY_WITH_TIMEOUT(window_->statusBar()->currentMessage().startsWith(QStringLiteral("Library backed up")),
                                 20000);
        QVERIFY2(QFileInfo::exists(target), qPrintable(window_->statusBar()->currentMessage()));
        QVERIFY(!QFileInfo::exists(target + QStringLiteral(".tmp")));

        window_->store()->waitForIdle();
        Store copy(target.toStdString());
        QCOMPARE(QString::fromStdString(copy.integrity_check()), QStringLiteral("ok"));
        Store original(db_.toStdString());
        const auto a = original.list_drafts(), b = copy.list_drafts();
        QCOMPARE(b.size(), size_t(2));
        QCOMPARE(b.size(), a.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].id, a[i].id);
            QCOMPARE(b[i].title, a[i].title);
            QCOMPARE(copy.get_draft(b[i].id)->body, original.get_draft(a[i].id)->body);
        }
        QCOMPARE(copy.get_draft(draftId_)->body, original.get_draft(draftId_)->body);
        QCOMPARE(copy.list_revisions(draftId_).size(), original.list_revisions(draftId_).size());
    }

    void focusModeHidesAndRestores() {
        QAction* focus = window_->action(QStringLiteral("focus"));
        QVERIFY(focus && focus->isCheckable() && !focus->isChecked());
        QVERIFY(window_->draftsPanel()->isVisible());
        QVERIFY(window_->menuBar()->isVisible());
        QVERIFY(window_->statusBar()->isVisible());
        QVERIFY(!window_->isFullScreen());
        // Both docks open (tabified), the context viewer in front.
        QDockWidget* story = window_->storyPanel();
        QDockWidget* context = window_->contextViewer();
        window_->action(QStringLiteral("storyPanel"))->trigger();
        window_->action(QStringLiteral("contextViewer"))->trigger();
        context->raise();
        QTRY_VERIFY(context->isVisible());
        QVERIFY(!story->isHidden());
        const bool storyShown = story->isVisible(); // not when the two share one tabbed place

        focus->trigger();
        QVERIFY(focus->isChecked());
        QVERIFY(story->isHidden() && context->isHidden());
        QVERIFY(!window_->draftsPanel()->isVisible());
        QVERIFY(!window_->menuBar()->isVisible());
        QVERIFY(!window_->statusBar()->isVisible());
        QTRY_VERIFY(window_->isFullScreen());
        QVERIFY(window_->editor()->isVisible());

        focus->trigger();
        QVERIFY(!focus->isChecked());
        QVERIFY(window_->draftsPanel()->isVisible());
        QVERIFY(window_->menuBar()->isVisible());
        QVERIFY(window_->statusBar()->isVisible());
        QTRY_VERIFY(!window_->isFullScreen());
        QVERIFY(!story->isHidden());
        QTRY_VERIFY(context->isVisible()); // still in front
        QCOMPARE(story->isVisible(), storyShown);
        QVERIFY(window_->action(QStringLiteral("storyPanel"))->isChecked());
        QVERIFY(window_->action(QStringLiteral("contextViewer"))->isChecked());

        // Docks that were closed stay closed.
        story->close();
        context->close();
        focus->trigger();
        focus->trigger();
        QTRY_VERIFY(!window_->isFullScreen());
        QVERIFY(story->isHidden() && context->isHidden());
    }

    void themeChangesThePalette() {
        AppSettings* s = window_->settings();
        s->setTheme(Theme::Dark);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
        QVERIFY(QApplication::palette().color(QPalette::Base).lightness() < 100);
        QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() > 150);
        QTRY_VERIFY(window_->palette().color(QPalette::Window).lightness() < 100);

        s->setTheme(Theme::Light);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 150);
        QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() < 100);
        QTRY_VERIFY(window_->palette().color(QPalette::Window).lightness() > 150);

        s->setTheme(Theme::Dark);
        s->setTheme(Theme::System);
        const QPalette now = QApplication::palette();
        for (auto role : {QPalette::Window, QPalette::WindowText, QPalette::Base, QPalette::Text, QPalette::Button,
                          QPalette::Highlight})
            QCOMPARE(now.color(role), systemPalette_.color(role));
        QVERIFY(now == systemPalette_);
    }

    void menusAreTranslated_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QStringList>("menus");
        QTest::addColumn<QString>("history");
        QTest::addColumn<QStringList>("training"); // the Training menu's entries
        // "Training" is German too; its entries tell a translated menu from an untranslated one.
        QTest::newRow("de") << QStringLiteral("de")
                            << QStringList{QStringLiteral("&Datei"), QStringLiteral("&Bearbeiten"),
                                           QStringLiteral("&Schreiben"), QStringLiteral("&Ansicht"),
                                           QStringLiteral("&Training"), QStringLiteral("&Hilfe")}
                            << QStringLiteral("&Versionsverlauf…")
                            << QStringList{QStringLiteral("Auf meine Geschichten &feinabstimmen…"),
                                           QStringLiteral("Aus meinen &Rückmeldungen lernen…"),
                                           QStringLiteral("Rückmeldungen fürs &Training…"),
                                           QStringLiteral("Trainings&läufe…"), QStringLiteral("&Blinder A/B-Test…")};
        QTest::newRow("en") << QStringLiteral("en")
                            << QStringList{QStringLiteral("&File"), QStringLiteral("&Edit"), QStringLiteral("&Write"),
                                           QStringLiteral("&View"), QStringLiteral("&Training"), QStringLiteral("&Help")}
                            << QStringLiteral("Version &history…")
                            << QStringList{QStringLiteral("&Fine-tune on my stories…"),
                                           QStringLiteral("&Learn from my feedback…"),
                                           QStringLiteral("Feedback for &training…"), QStringLiteral("Training &runs…"),
                                           QStringLiteral("&Blind A/B test…")};
    }
    void menusAreTranslated() {
        QFETCH(QString, language);
        QFETCH(QStringList, menus);
        QFETCH(QString, history);
        QFETCH(QStringList, training);
        window_->settings()->setLanguage(language);
        // As app/gui_main.cpp loads them: the settings' language, from :/i18n.
        const QLocale locale(AppSettings().language());
        QTranslator translator;
        QVERIFY(translator.load(locale, QStringLiteral("fabula"), QStringLiteral("_"), QStringLiteral(":/i18n")));
        QVERIFY(QCoreApplication::installTranslator(&translator));
        auto w = openWindow(dir_.filePath(QStringLiteral("library-%1.sqlite").arg(language)));
        QCoreApplication::removeTranslator(&translator);
        QStringList titles;
        for (QAction* a : w->menuBar()->actions()) titles << a->text();
        QCOMPARE(titles, menus);
        QStringList entries;
        for (QAction* a : w->menuBar()->actions().at(4)->menu()->actions()) entries << a->text();
        QCOMPARE(entries, training);
        QCOMPARE(w->action(QStringLiteral("history"))->text(), history);
        QTRY_VERIFY_WITH_TIMEOUT(w->documents()->currentDraft() != 0, 20000);
        w.reset();
        window_->settings()->setLanguage(QString());
    }

    void everyControlHasAName() {
        {
            // The check itself: it finds an unnamed field and a button with
            // neither text nor name, and accepts a buddy label as a name.
            QWidget probe;
            auto* layout = new QVBoxLayout(&probe);
            auto* field = new QLineEdit(&probe);
            auto* icon = new QPushButton(&probe);
            auto* named = new QComboBox(&probe);
            auto* label = new QLabel(QStringLiteral("&Size:"), &probe);
            label->setBuddy(named);
            for (QWidget* w : {static_cast<QWidget*>(label), static_cast<QWidget*>(named), static_cast<QWidget*>(field),
                               static_cast<QWidget*>(icon)})
                layout->addWidget(w);
            probe.show();
            QCOMPARE(unnamedControls(&probe).size(), 2);
            field->setAccessibleName(QStringLiteral("Name"));
            icon->setAccessibleName(QStringLiteral("Open"));
            QCOMPARE(unnamedControls(&probe).size(), 0);
        }
        QStringList problems;
        for (QAction* top : window_->menuBar()->actions()) {
            QMenu* menu = top->menu();
            QVERIFY(menu);
            QVERIFY(!top->text().isEmpty());
            QVERIFY(!menu->actions().isEmpty());
            for (QAction* a : menu->actions())
                if (!a->isSeparator() && a->text().isEmpty() && a->iconText().isEmpty())
                    problems << QStringLiteral("action \"%1\"").arg(a->objectName());
        }
        window_->action(QStringLiteral("find"))->trigger(); // the find bar's fields too
        QCoreApplication::processEvents();
        problems << unnamedControls(window_.get());

        HistoryDialog history(window_->store(), draftId_, window_.get());
        history.show();
        QTRY_VERIFY(history.list()->count() > 0);
        problems << unnamedControls(&history);
        SettingsDialog settings(window_->settings(), window_.get());
        settings.show();
        problems << unnamedControls(&settings);
        ModelDialog models(window_->models(), window_->settings(), window_.get());
        models.show();
        problems << unnamedControls(&models);
        DownloadDialog download(window_->settings(), window_.get());
        download.show();
        problems << unnamedControls(&download);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
    }

    void downloadDialogFinishesAndRegisters() {
        FakeHub hub({QStringLiteral("gpt2=") + model_});
        QVERIFY(hub.ok());
        ScopedHome home;
        window_->settings()->setHubUrl(hub.url());
        DownloadDialog dialog(window_->settings(), window_.get());
        dialog.show();
        QCOMPARE(dialog.chosenRepo(), QStringLiteral("gpt2"));
        auto* start = findByText<QPushButton>(&dialog, QStringLiteral("&Download"));
        auto* bar = dialog.findChild<QProgressBar*>();
        QVERIFY(start && bar);
        int highest = 0;
        connect(bar, &QProgressBar::valueChanged, this, [&](int v) { highest = std::max(highest, v); });
        QSignalSpy progress(dialog.download(), &HubDownload::progress);
        QSignalSpy finished(&dialog, &QDialog::finished);

        QTest::mouseClick(start, Qt::LeftButton);
        QVERIFY(!start->isEnabled());
        QVERIFY(!dialog.choice()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(progress.count() > 0);
        QCOMPARE(progress.last().at(0).toLongLong(), progress.last().at(1).toLongLong());
        QCOMPARE(highest, bar->maximum());

        const QString dir = dialog.modelDir();
        const QString expected = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                     .filePath(QStringLiteral("models/gpt2"));
        QCOMPARE(QDir(dir).absolutePath(), QDir(expected).absolutePath());
        QVERIFY(QDir(dir).absolutePath().startsWith(home.path()));
        QCOMPARE(ModelManager::check(dir), QString());
        for (const QString& f : QDir(model_).entryList(QDir::Files))
            QVERIFY2(readAll(dir + QLatin1Char('/') + f) == readAll(model_ + QLatin1Char('/') + f), qPrintable(f));
        QVERIFY(QDir(dir).entryList({QStringLiteral("*.part")}, QDir::Files | QDir::Hidden).isEmpty());

        // What the model dialog does with an accepted download: add the folder.
        QSignalSpy fingerprinted(window_->models(), &ModelManager::fingerprinted);
        window_->models()->addFolder(dir);
        QTRY_VERIFY_WITH_TIMEOUT(window_->models()->isLoaded(), 60000);
        QCOMPARE(QDir(window_->models()->info().path).absolutePath(), QDir(dir).absolutePath());
        QTRY_COMPARE_WITH_TIMEOUT(fingerprinted.count(), 1, 60000);
        const QString sha = QString::fromLatin1(
            QCryptographicHash::hash(readAll(dir + QStringLiteral("/model.safetensors")), QCryptographicHash::Sha256)
                .toHex());
        QCOMPARE(fingerprinted.first().at(0).toString(), sha);
        QTRY_VERIFY(std::any_of(window_->models()->models().cbegin(), window_->models()->models().cend(),
                                [&](const RegisteredModel& m) { return QDir(m.path) == QDir(dir); }));
        window_->store()->waitForIdle();
        Store fresh(db_.toStdString());
        bool registered = false;
        for (const auto& m : fresh.list_models())
            if (QDir(QString::fromStdString(m.path)) == QDir(dir)) registered = m.weights_sha256 == sha.toStdString();
        QVERIFY(registered);
        QVERIFY(window_->action(QStringLiteral("continue"))->isEnabled());
    }

    void downloadDialogCancelKeepsPart() {
        const qint64 stallAfter = 200000;
        FakeHub hub({QStringLiteral("gpt2=") + model_}, {QStringLiteral("--stall-after"), QString::number(stallAfter)});
        QVERIFY(hub.ok());
        ScopedHome home;
        window_->settings()->setHubUrl(hub.url());
        DownloadDialog dialog(window_->settings(), window_.get());
        dialog.show();
        auto* start = findByText<QPushButton>(&dialog, QStringLiteral("&Download"));
        auto* cancel = findByText<QPushButton>(&dialog, QStringLiteral("&Cancel"));
        auto* bar = dialog.findChild<QProgressBar*>();
        QVERIFY(start && cancel && bar);
        bool weightsArriving = false;
        connect(dialog.download(), &HubDownload::progress, this, [&](qint64, qint64, const QString& file) {
            weightsArriving = weightsArriving || file == QStringLiteral("model.safetensors");
        });
        QSignalSpy finished(&dialog, &QDialog::finished);
        QSignalSpy cancelled(dialog.download(), &HubDownload::cancelled);

        QTest::mouseClick(start, Qt::LeftButton);
        const QString dest = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                 .filePath(QStringLiteral("models/gpt2"));
        const QString part = dest + QStringLiteral("/model.safetensors.part");
        QTRY_VERIFY_WITH_TIMEOUT(weightsArriving && QFileInfo(part).size() > 0, 60000);
        QVERIFY(dialog.download()->isRunning());
        QVERIFY(bar->value() > 0 && bar->value() < bar->maximum());

        QTest::mouseClick(cancel, Qt::LeftButton); // the first Cancel stops the download
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!dialog.download()->isRunning());
        QCOMPARE(finished.count(), 0);
        QVERIFY(dialog.isVisible());
        QVERIFY(start->isEnabled());
        QVERIFY(dialog.choice()->isEnabled());
        QVERIFY(labelStartingWith(&dialog, QStringLiteral("Cancelled.")));
        const qint64 kept = QFileInfo(part).size();
        QVERIFY2(kept > 0 && kept <= stallAfter, qPrintable(QString::number(kept)));
        QVERIFY(!QFileInfo::exists(dest + QStringLiteral("/model.safetensors")));
        QTest::qWait(300);
        QCOMPARE(QFileInfo(part).size(), kept);

        QTest::mouseClick(cancel, Qt::LeftButton); // the next one closes
        QCOMPARE(finished.count(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(dialog.modelDir().isEmpty());
        QCOMPARE(QFileInfo(part).size(), kept);
    }
};

QTEST_MAIN(TestFeatures)
#include "test_features.moc"
