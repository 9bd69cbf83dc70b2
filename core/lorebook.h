#pragma once
// A lorebook: entries of background text (a character, a place, a rule of
// the world) that join the prompt when one of their keys appears in the
// recent story. Qt-free and libtorch-free (fabula_files).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fabula {

struct LoreEntry {
    std::string name;                       // shown in the app and in --json "key"; default: the first key
    std::vector<std::string> keys;          // any one matches; "/…/" (optionally "/…/i") is a regular expression
    std::vector<std::string> secondary_keys; // when non-empty, one of these must match as well
    std::string content;
    bool always = false;         // inserted whatever the story says
    bool case_sensitive = false; // keys match ignoring case unless set
    bool enabled = true;
    int order = 0; // higher first when the lore budget cannot hold every entry; ties keep the book's order
};

// Whether `key` occurs in `text` as a whole word (Unicode word boundaries:
// the characters either side are not letters, digits or '_'), or, for a
// "/…/" key, whether the regular expression finds a match. Throws
// UsageError for an invalid regular expression, naming it.
bool lore_key_matches(std::string_view key, std::string_view text, bool case_sensitive);

// Whether the entry fires for `text` (enabled, and always, or a key and, if
// it has any, a secondary key match).
bool lore_entry_fires(const LoreEntry& entry, std::string_view text);

// Lorebook files: Fabula's JSONL (one {"keys": [...], "content": "...",
// "secondary_keys": [], "always": false, "case_sensitive": false,
// "enabled": true, "order": 0, "name": ""} per line), and the JSON exports of
// NovelAI (lorebookVersion, entries[].keys/text/enabled/forceActivation),
// KoboldAI World Info (a map or list with key/keysecondary/content/
// constant/selective) and SillyTavern World Info (entries{uid: key[]/
// keysecondary[]/content/constant/disable/order/caseSensitive/selective}).
// Throws FileError naming the file and what is wrong.
std::vector<LoreEntry> read_lorebook_file(const std::string& path);
std::vector<LoreEntry> parse_lorebook(std::string_view text, const std::string& source_name);
// Fabula's JSONL, one entry per line (what read_lorebook_file reads back).
std::string lorebook_to_jsonl(const std::vector<LoreEntry>& entries);

} // namespace fabula
