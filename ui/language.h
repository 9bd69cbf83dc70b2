#pragma once
// The language the UI speaks: Fabula's translation and Qt's own for a locale,
// installed on the application, and that locale as the default for numbers
// and dates. Installing sends QEvent::LanguageChange to every widget.
#include <QLocale>
#include <QStringList>

namespace fabula::ui {

// The languages Fabula ships, as AppSettings::language() codes ("" follows the system).
QStringList shippedLanguages();

// The locale for a language setting: the code's, or the system's for "".
QLocale localeForLanguage(const QString& code);

// Replaces the translators of an earlier call. Fabula's translation comes from
// <app dir>/../share/fabula/translations (an installed copy) or else the one
// built in; a locale Fabula has no translation for gets English, whose file
// holds the plural forms. Returns false when no translation could be loaded.
bool applyLanguage(const QLocale& locale);

} // namespace fabula::ui
