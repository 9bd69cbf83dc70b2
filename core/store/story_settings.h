#pragma once
// What a draft or a series pins into every prompt, as the store keeps it:
// the story panel's Memory, Author's note and Lorebook. Plain data, without
// SQLite, so the story JSON files (story_json.h) and the UI can use it.
#include "core/lorebook.h"

#include <cstddef>
#include <string>
#include <vector>

namespace fabula {

struct StorySettings {
    std::string memory;
    std::string authors_note;
    int authors_note_depth = 3;   // paragraphs before the end of the story
    int lore_scan_tokens = 1000;  // a key must appear in this many last tokens
    bool lore_recursive = true;   // an entry's text may activate others (one level)
    std::vector<LoreEntry> lore;  // in the book's order
    // Field by field, the lorebook's entries in order and every field of each.
    friend bool operator==(const StorySettings&, const StorySettings&);
};

// What the store (and the story JSON reader) refuse as absurd rather than
// keep: nobody writes a 200 KB memory or 10,000 lore entries on purpose, and
// such input would only slow every prompt down.
inline constexpr std::size_t kMaxStoryTextBytes = 200 * 1024;  // memory, the note, one entry's content
inline constexpr std::size_t kMaxLoreEntries = 10000;
inline constexpr std::size_t kMaxLoreKeys = 1000;              // per entry, keys and secondary keys each
inline constexpr std::size_t kMaxLoreKeyBytes = 4096;          // one key or name
inline constexpr std::size_t kMaxLoreTotalBytes = 16 * 1024 * 1024; // every entry's content and keys
inline constexpr int kMaxAuthorsNoteDepth = 1000;
inline constexpr int kMaxLoreScanTokens = 10'000'000;

// Empty when the settings are within the limits above; otherwise the first
// problem, in words that name the part to fix ("the memory is 250,000 bytes;
// at most 204,800 are kept").
std::string story_settings_problem(const StorySettings& settings);

} // namespace fabula
