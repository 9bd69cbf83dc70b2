#pragma once
// A draft's story settings as a small JSON file beside an exported draft:
//   {"format": "fabula-story", "version": 1, "series": "...",
//    "memory": "...", "authors_note": "...", "authors_note_depth": 3,
//    "lore_scan_tokens": 1000, "lore_recursive": true,
//    "lore": [{"name", "keys", "secondary_keys", "content", "always",
//              "case_sensitive", "enabled", "order"}, ...]}
// Qt-free and SQLite-free (it is built with the file parsers, fabula_files).
#include "core/store/story_settings.h"

#include <string>
#include <string_view>

namespace fabula {

// The JSON text (pretty-printed, UTF-8, ending in a newline). An empty
// series_name leaves "series" out.
std::string story_settings_to_json(const StorySettings& settings, const std::string& series_name);

// Reads what story_settings_to_json writes. Missing fields take their
// defaults; fields it does not know are ignored (a newer minor addition).
// *series_name (when given) receives "series" or an empty string. Throws
// FileError naming `source` and the problem for text that is not JSON, not a
// fabula-story file, a newer version, a field of the wrong type, or settings
// beyond the limits of story_settings.h.
StorySettings story_settings_from_json(std::string_view text, const std::string& source,
                                       std::string* series_name = nullptr);

} // namespace fabula
