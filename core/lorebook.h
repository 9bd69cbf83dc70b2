#pragma once
// A lorebook: entries of background text (a character, a place, a rule of
// the world) that join the prompt when one of their keys appears in the
// recent story. Qt-free and libtorch-free (fabula_files).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
// the characters either side are not letters, digits, combining marks or
// '_'; checked only on a side where the key itself begins or ends with such
// a character), or, for a "/…/" key, whether the regular expression finds a
// non-empty match. Ignoring case is Unicode's simple case folding (every
// script; "ß" does not match "ss"); no normalization (NFC and NFD spellings
// differ). Throws UsageError for an invalid regular expression, naming it.
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
// keysecondary[]/content/constant/disable/order/caseSensitive/selective}),
// and a character card's lorebook (Character Card V2 "character_book",
// alone or inside the card: entries[].keys/secondary_keys/content/constant/
// selective/insertion_order). The format is told from the content. Keys lose
// surrounding white space; empty keys are dropped; what a format has and
// Fabula does not (positions, probabilities, NOT-logic) is left out.
// Throws FileError naming the file and what is wrong (ill-formed UTF-8, a
// field of the wrong type, no entries, a key that is an invalid regular
// expression).
std::vector<LoreEntry> read_lorebook_file(const std::string& path);
std::vector<LoreEntry> parse_lorebook(std::string_view text, const std::string& source_name);
// Fabula's JSONL, one entry per line (what read_lorebook_file reads back).
std::string lorebook_to_jsonl(const std::vector<LoreEntry>& entries);

// What the app and --json call the entry: its name, else its first key.
std::string lore_entry_display_name(const LoreEntry& entry);

// Whether `key` is written as a regular expression: "/…/" followed by
// optional JavaScript-style flags (any of "gimsuy"); only i (ignore case) and
// s (dot matches newline) change the match. The pattern uses Oniguruma's
// (Ruby's) syntax and ignores entry.case_sensitive.
bool lore_key_is_regex(std::string_view key);
// What is wrong with a key (a regular expression that does not compile), in
// words for the writer; nothing when it can be used. For editors, before
// build_prompt refuses the key.
std::optional<std::string> lore_key_error(std::string_view key);

// A text prepared once for testing many keys against it (the prompt
// builder's scan window): case folding and UTF-8 checks happen here, not per
// key. Ill-formed UTF-8 in the text reads as U+FFFD.
class LoreScanner {
public:
    explicit LoreScanner(std::string_view text);
    bool matches(std::string_view key, bool case_sensitive) const; // lore_key_matches on this text
    bool fires(const LoreEntry& entry) const;                      // lore_entry_fires on this text
    // Where the key matches, as byte ranges [begin, end) of the text given to
    // the constructor, in order and not overlapping (for highlighting keys).
    std::vector<std::pair<size_t, size_t>> find_all(std::string_view key, bool case_sensitive) const;

private:
    std::vector<std::pair<size_t, size_t>> find(std::string_view key, bool case_sensitive, bool first_only) const;
    std::string text_;   // well-formed UTF-8
    std::string folded_; // text_ with every character case-folded
    // For each byte of text_ / folded_, and one past the end: the offset of
    // its character in the original text.
    std::vector<size_t> text_at_, folded_at_;
};

} // namespace fabula
