#pragma once
// Where the writer's library (the store's SQLite file) is when nobody says:
// the one rule of the app and fabula-cli, so both open the same file.
#include <string>

namespace fabula {

// $FABULA_DATABASE when set and not empty; else fabula.sqlite in the user's
// data folder as Qt's QStandardPaths::AppDataLocation finds it for the
// organization and application "Fabula" on Linux: $XDG_DATA_HOME, else
// $HOME/.local/share, then Fabula/Fabula.
std::string default_library_path();

} // namespace fabula
