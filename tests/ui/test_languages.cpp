// The three languages: the main window, the wizard's first page and the
// settings rendered offscreen in English, German and French. Every QAction
// and button says something else in German and French than in English (but
// for names on the allowlist), menus keep their accelerators apart, plurals
// follow the language and numbers its locale.
#include "ui/app_settings.h"
#include "ui/language.h"
#include "ui/main_window.h"
#include "ui/settings_dialog.h"
#include "ui/wizard/fine_tune_wizard.h"
#include "test_support.h"

#include <QAbstractButton>
#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QtTest>

#include <functional>

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

// Two entries of one menu (or of the menu bar) with the same & letter.
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
    QList<Text> wizard(QStringList*) {
        FineTuneWizardOptions o;
        o.runsRoot = dir_.filePath(QStringLiteral("runs"));
        FineTuneWizard wizard(nullptr, nullptr, nullptr, o);
        wizard.show();
        if (wizard.currentId() != FineTuneWizard::Stories) return {};
        wizard.grab();
        return texts(&wizard);
    }
    QList<Text> settings(QStringList*) {
        AppSettings appSettings;
        SettingsDialog dialog(&appSettings);
        dialog.show();
        dialog.grab();
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
