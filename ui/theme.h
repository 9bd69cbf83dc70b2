#pragma once
// Light, dark, or whatever palette the desktop gave the application.
#include "ui/app_settings.h"

namespace fabula::ui {

// The first call remembers the application's palette as the system's.
void applyTheme(Theme theme);

} // namespace fabula::ui
