#include "core/store/library_path.h"

#include <cstdlib>
#include <filesystem>

namespace fabula {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

// QDir::homePath's rule: $HOME, else the root.
std::string home_folder() {
    if (auto h = env("HOME"); !h.empty()) return h;
    return "/";
}

} // namespace

std::string default_library_path() {
    if (auto explicit_path = env("FABULA_DATABASE"); !explicit_path.empty()) return explicit_path;
    // Qt 6 takes $XDG_DATA_HOME as it is, even a relative one.
    std::filesystem::path data = env("XDG_DATA_HOME");
    if (data.empty()) data = std::filesystem::path(home_folder()) / ".local" / "share";
    return (data / "Fabula" / "Fabula" / "fabula.sqlite").string();
}

} // namespace fabula
