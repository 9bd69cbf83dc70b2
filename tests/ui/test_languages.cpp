// The three languages: the main window, the wizard's pages and the
// settings rendered offscreen in English, German and French. Every QAction
// and button says something else in German and French than in English (but
// for names on the allowlist), menus, dialogs and panels keep their
// accelerators apart, plurals follow the language and numbers its locale.
// One window switched en → de → fr → en while it is open says exactly what
// a window made in that language says.
#include "ui/app_settings.h"
#include "ui/drafts_panel.h"
#include "ui/find_bar.h"
#include "ui/language.h"
#include "ui/main_window.h"
#include "ui/settings_dialog.h"
#include "ui/wizard/fine_tune_wizard.h"
#include "test_support.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QToolBar>
#include <QWizardPage>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QtTest>

#include <functional>
#include <memory>

using namespace fabula::ui;

namespace {

// The same in every language: names, and texts without a word in them.
bool sameEverywhere(const QString& language, const QString& text) {
    static const QSet<QString> names{
        QStringLiteral("Fabula"), QStringLiteral("GPT-2"), QStringLiteral("OK"), QStringLiteral("&OK"),
        QStringLiteral("A"), QStringLiteral("B"),
        QStringLiteral("LoRA"), QStringLiteral("SFT"), QStringLiteral("DPO"), QStringLiteral("KTO")};
    // German says "Training" too.
    static const QSet<QString> german{QStringLiteral("Training"), QStringLiteral("&Training")};
    QString plain = text;
    plain.remove(QLatin1Char('&'));
    if (std::none_of(plain.begin(), plain.end(), [](QChar c) { return c.isLetter(); })) return true;
    return names.contains(text) || (language == QLatin1String("de") && german.contains(text));
}

struct Text {
    QString where; // class and object name, to find it
    QString text;
};

QString describe(const QObject* o) {
    return QString::fromLatin1(o->metaObject()->className()) +
           (o->objectName().isEmpty() ? QString() : QLatin1Char('#') + o->objectName());
}

// Actions then buttons, in the order the code made them: the same in every language.
QList<Text> texts(const QWidget* root) {
    QList<Text> out;
    for (const QAction* a : root->findChildren<QAction*>())
        if (!a->isSeparator()) out.append({describe(a), a->text()});
    for (const QAbstractButton* b : root->findChildren<QAbstractButton*>()) out.append({describe(b), b->text()});
    return out;
}

QChar mnemonic(const QString& text) {
    for (int i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != QLatin1Char('&')) continue;
        if (text[i + 1] != QLatin1Char('&')) return text[i + 1].toLower();
        ++i; // "&&" is an ampersand
    }
    return {};
}

// Every text a writer sees or hears (a screen reader reads the accessible
// names) in the window, in the order the code made the objects.
QList<Text> everyText(const QWidget* root) {
    QList<Text> out = texts(root);
    for (const QMenu* m : root->findChildren<QMenu*>()) out.append({describe(m), m->title()});
    for (const QDockWidget* d : root->findChildren<QDockWidget*>()) out.append({describe(d), d->windowTitle()});
    for (const QToolBar* t : root->findChildren<QToolBar*>()) out.append({describe(t), t->windowTitle()});
    for (const QLabel* l : root->findChildren<QLabel*>()) out.append({describe(l), l->text()});
    for (const QLineEdit* e : root->findChildren<QLineEdit*>()) out.append({describe(e), e->placeholderText()});
    for (const QPlainTextEdit* e : root->findChildren<QPlainTextEdit*>()) out.append({describe(e), e->placeholderText()});
    for (const QComboBox* c : root->findChildren<QComboBox*>())
        for (int i = 0; i < c->count(); ++i) out.append({describe(c) + QStringLiteral("[%1]").arg(i), c->itemText(i)});
    for (const QWidget* w : root->findChildren<QWidget*>()) {
        // Qt names the buttons of a dock's title and of a tab bar once, when it makes them, and never again.
        static const QSet<QString> qtsOwn{QStringLiteral("ScrollLeftButton"), QStringLiteral("ScrollRightButton")};
        if (w->objectName().startsWith(QLatin1String("qt_")) || qtsOwn.contains(w->objectName())) continue;
        if (!w->accessibleName().isEmpty()) out.append({describe(w) + QStringLiteral(" name"), w->accessibleName()});
        if (!w->toolTip().isEmpty()) out.append({describe(w) + QStringLiteral(" tip"), w->toolTip()});
    }
    return out;
}

// The & letters one can press in a dialog or panel: its buttons, group
// boxes and the labels of its fields, hidden ones too (they show later).
QStringList clashesWithin(const QString& where, const QList<const QWidget*>& widgets) {
    QStringList clashes;
    QHash<QChar, QString> seen;
    for (const QWidget* w : widgets) {
        QString text;
        if (auto* b = qobject_cast<const QAbstractButton*>(w)) text = b->text();
        else if (auto* g = qobject_cast<const QGroupBox*>(w)) text = g->title();
        else if (auto* l = qobject_cast<const QLabel*>(w); l && l->buddy()) text = l->text();
        const QChar m = mnemonic(text);
        if (m.isNull()) continue;
        if (seen.contains(m)) clashes << QStringLiteral("%1: “%2” and “%3”").arg(where, seen[m], text);
        else seen.insert(m, text);
    }
    return clashes;
}

QList<const QWidget*> widgetsUnder(const QWidget* scope) {
    QList<const QWidget*> out;
    for (const QWidget* w : scope->findChildren<QWidget*>()) out << w;
    return out;
}

// Two entries of one menu (or of the menu bar), or two controls of one
// panel beside the editor, with the same & letter.
QStringList clashingAccelerators(const QMainWindow& window) {
    QStringList clashes;
    auto check = [&](const QString& where, const QList<QAction*>& actions) {
        QHash<QChar, QString> seen;
        for (const QAction* a : actions) {
            const QChar m = mnemonic(a->text());
            if (a->isSeparator() || m.isNull()) continue;
            if (seen.contains(m)) clashes << QStringLiteral("%1: “%2” and “%3”").arg(where, seen[m], a->text());
            else seen.insert(m, a->text());
        }
    };
    check(QStringLiteral("menu bar"), window.menuBar()->actions());
    for (const QMenu* menu : window.findChildren<QMenu*>()) check(menu->title(), menu->actions());
    QList<const QWidget*> panels;
    for (const QWidget* p : window.findChildren<DraftsPanel*>()) panels << p;
    for (const QWidget* p : window.findChildren<FindBar*>()) panels << p;
    for (const QWidget* p : window.findChildren<QDockWidget*>()) panels << p;
    for (const QWidget* p : panels) clashes << clashesWithin(describe(p), widgetsUnder(p));
    return clashes;
}

} // namespace

class TestLanguages : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int rendering_ = 0;

    // What one surface shows in a language, rendered offscreen.
    using Surface = std::function<QList<Text>(QStringList* clashes)>;

    QList<Text> mainWindow(QStringList* clashes) {
        MainWindowOptions o;
        o.databasePath = dir_.filePath(QStringLiteral("library-%1/fabula.sqlite").arg(++rendering_));
        o.askForModel = false;
        MainWindow window(o);
        window.show();
        if (!QTest::qWaitFor([&] { return window.documents()->currentDraft() != 0; }, 60000)) return {};
        window.grab();
        *clashes = clashingAccelerators(window);
        return texts(&window);
    }
    QList<Text> wizard(QStringList* clashes) {
        FineTuneWizardOptions o;
        o.runsRoot = dir_.filePath(QStringLiteral("runs"));
        FineTuneWizard wizard(nullptr, nullptr, nullptr, o);
        wizard.show();
        if (wizard.currentId() != FineTuneWizard::Stories) return {};
        wizard.grab();
        clashes->clear();
        // Every page with the wizard's buttons shown beside it: Back, Next
        // and Cancel, and Finish on a last page.
        for (const int id : wizard.pageIds()) {
            const QWizardPage* page = wizard.page(id);
            QList<const QWidget*> shown = widgetsUnder(page);
            for (const auto which : {QWizard::BackButton, QWizard::NextButton, QWizard::CancelButton})
                shown << wizard.button(which);
            if (page->nextId() == -1) shown << wizard.button(QWizard::FinishButton);
            *clashes << clashesWithin(QStringLiteral("wizard page %1").arg(id), shown);
        }
        return texts(&wizard);
    }
    QList<Text> settings(QStringList* clashes) {
        AppSettings appSettings;
        SettingsDialog dialog(&appSettings);
        dialog.show();
        dialog.grab();
        *clashes = clashesWithin(QStringLiteral("settings"), widgetsUnder(&dialog));
        return texts(&dialog);
    }

    QList<Text> render(const QString& language, const Surface& surface, QStringList* clashes) {
        if (!applyLanguage(QLocale(language))) return {};
        return surface(clashes);
    }

    // Renders the surface in English, German and French and compares text by text.
    void compare(const Surface& surface, int atLeast) {
        QStringList clashes;
        const QList<Text> english = render(QStringLiteral("en"), surface, &clashes);
        QVERIFY2(clashes.isEmpty(), qPrintable(QStringLiteral("en: ") + clashes.join(QStringLiteral("; "))));
        QVERIFY2(english.size() >= atLeast, qPrintable(QStringLiteral("only %1 texts").arg(english.size())));
        for (const QString language : {QStringLiteral("de"), QStringLiteral("fr")}) {
            const QList<Text> translated = render(language, surface, &clashes);
            QCOMPARE(translated.size(), english.size());
            QStringList same;
            int compared = 0;
            for (qsizetype i = 0; i < english.size(); ++i) {
                QCOMPARE(translated[i].where, english[i].where); // the same widget
                if (sameEverywhere(language, english[i].text)) continue;
                ++compared;
                if (translated[i].text == english[i].text)
                    same << QStringLiteral("%1 “%2”").arg(english[i].where, english[i].text);
            }
            QVERIFY2(same.isEmpty(), qPrintable(language + QStringLiteral(" keeps the English of: ") +
                                                same.join(QStringLiteral(", "))));
            QVERIFY2(clashes.isEmpty(), qPrintable(language + QStringLiteral(": ") + clashes.join(QStringLiteral("; "))));
            qInfo("%s: %d texts differ from English, %d are empty or on the allowlist", qPrintable(language), compared,
                  int(english.size()) - compared);
            QVERIFY(compared >= atLeast / 2);
        }
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        qputenv("XDG_CACHE_HOME", dir_.filePath(QStringLiteral("cache")).toUtf8());
    }
    void cleanup() { applyLanguage(QLocale(QStringLiteral("en"))); }

    void mainWindowIsTranslated() { compare([this](QStringList* c) { return mainWindow(c); }, 40); }
    void wizardIsTranslated() { compare([this](QStringList* c) { return wizard(c); }, 8); }
    void settingsAreTranslated() { compare([this](QStringList* c) { return settings(c); }, 2); }

    // One window open through en → de → fr → en: after each switch every
    // action, button, menu, dock, label, placeholder, list entry, tooltip
    // and accessible name reads as in a window made in that language, and
    // the accelerators stay apart.
    void anOpenWindowFollowsTheLanguage() {
        auto open = [this](MainWindow** out) {
            MainWindowOptions o;
            o.databasePath = dir_.filePath(QStringLiteral("library-%1/fabula.sqlite").arg(++rendering_));
            o.askForModel = false;
            auto* window = new MainWindow(o);
            window->show();
            *out = window;
            return QTest::qWaitFor([&] { return window->documents()->currentDraft() != 0; }, 60000);
        };
        QHash<QString, QList<Text>> made;
        for (const QString language : {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")}) {
            QVERIFY(applyLanguage(QLocale(language)));
            MainWindow* window = nullptr;
            const bool opened = open(&window);
            std::unique_ptr<MainWindow> owner(window);
            QVERIFY(opened);
            window->grab();
            made[language] = everyText(window);
        }
        QVERIFY(applyLanguage(QLocale(QStringLiteral("en"))));
        MainWindow* window = nullptr;
        const bool opened = open(&window);
        std::unique_ptr<MainWindow> owner(window);
        QVERIFY(opened);
        for (const QString language : {QStringLiteral("de"), QStringLiteral("fr"), QStringLiteral("en")}) {
            QVERIFY(applyLanguage(QLocale(language)));
            QCoreApplication::processEvents(); // the application posts LanguageChange to its windows
            window->grab();
            const QList<Text> live = everyText(window);
            const QList<Text>& reference = made[language];
            QCOMPARE(live.size(), reference.size());
            QStringList stale;
            for (qsizetype i = 0; i < live.size(); ++i) {
                QCOMPARE(live[i].where, reference[i].where);
                if (live[i].text != reference[i].text)
                    stale << QStringLiteral("%1 “%2” (made in %3: “%4”)").arg(live[i].where, live[i].text, language,
                                                                          reference[i].text);
            }
            QVERIFY2(stale.isEmpty(), qPrintable(language + QStringLiteral(": ") + stale.join(QStringLiteral("; "))));
            const QStringList clashes = clashingAccelerators(*window);
            QVERIFY2(clashes.isEmpty(), qPrintable(language + QStringLiteral(": ") + clashes.join(QStringLiteral("; "))));
            qInfo("%s: %d texts follow", qPrintable(language), int(live.size()));
        }
    }

    // The plural forms of each file, and numbers grouped the locale's way.
    void pluralsAndNumbers() {
        const struct {
            const char* language;
            const char *one, *many;
        } expected[] = {{"en", "1 word", "3 words"}, {"de", "1 Wort", "3 Wörter"}, {"fr", "1 mot", "3 mots"}};
        for (const auto& e : expected) {
            QVERIFY(applyLanguage(QLocale(QString::fromLatin1(e.language))));
            auto words = [](int n) { return QCoreApplication::translate("fabula::ui::MainWindow", "%Ln word(s)", nullptr, n); };
            QCOMPARE(words(1), QString::fromUtf8(e.one));
            QCOMPARE(words(3), QString::fromUtf8(e.many));
            // 12345 with the locale's group separator (",", "." or a narrow space).
            const QString grouped = QLocale(QString::fromLatin1(e.language)).toString(12345);
            QCOMPARE(grouped.size(), 6);
            QVERIFY2(words(12345).startsWith(grouped), qPrintable(words(12345)));
        }
    }

    // Switching back and forth replaces the translators rather than piling them up.
    void switchingReplacesTheTranslator() {
        auto file = [] { return QCoreApplication::translate("fabula::ui::MainWindow", "&File"); };
        QVERIFY(applyLanguage(QLocale(QStringLiteral("de"))));
        QCOMPARE(file(), QStringLiteral("&Datei"));
        QVERIFY(applyLanguage(QLocale(QStringLiteral("fr"))));
        QCOMPARE(file(), QStringLiteral("&Fichier"));
        QVERIFY(applyLanguage(QLocale(QStringLiteral("en"))));
        QCOMPARE(file(), QStringLiteral("&File"));
        QCOMPARE(QLocale().language(), QLocale::English);
    }
};

QTEST_MAIN(TestLanguages)
#include "test_languages.moc"
