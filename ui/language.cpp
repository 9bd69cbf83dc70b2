#include "ui/language.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>

namespace fabula::ui {

namespace {

std::unique_ptr<QTranslator>& installed(int which) {
    static std::unique_ptr<QTranslator> translators[2];
    return translators[which];
}

void replace(int which, std::unique_ptr<QTranslator> next) {
    auto& current = installed(which);
    if (current) QCoreApplication::removeTranslator(current.get());
    current = std::move(next);
    if (current) QCoreApplication::installTranslator(current.get());
}

std::unique_ptr<QTranslator> fabulaTranslator(const QLocale& locale) {
    const QStringList dirs{QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/fabula/translations")),
                           QStringLiteral(":/i18n")};
    auto t = std::make_unique<QTranslator>();
    for (const QString& dir : dirs)
        if (t->load(locale, QStringLiteral("fabula"), QStringLiteral("_"), dir)) return t;
    for (const QString& dir : dirs)
        if (t->load(QStringLiteral("fabula_en"), dir)) return t;
    return nullptr;
}

} // namespace

QStringList shippedLanguages() { return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")}; }

QLocale localeForLanguage(const QString& code) { return code.isEmpty() ? QLocale::system() : QLocale(code); }

bool applyLanguage(const QLocale& locale) {
    QLocale::setDefault(locale);
    auto qt = std::make_unique<QTranslator>();
    if (!qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        qt.reset();
    replace(1, std::move(qt));
    auto fabula = fabulaTranslator(locale);
    const bool found = fabula != nullptr;
    replace(0, std::move(fabula));
    return found;
}

} // namespace fabula::ui
