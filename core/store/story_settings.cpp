#include "core/store/story_settings.h"

#include <algorithm>

namespace fabula {

namespace {

std::string entry_label(std::size_t index, const LoreEntry& e) {
    std::string label = "lore entry " + std::to_string(index + 1);
    const std::string& name = !e.name.empty() ? e.name : (!e.keys.empty() ? e.keys.front() : std::string());
    if (!name.empty() && name.size() <= 80) label += " (\"" + name + "\")";
    return label;
}

std::string too_long(const std::string& what, std::size_t bytes, std::size_t limit) {
    return what + " is " + std::to_string(bytes) + " bytes long; at most " + std::to_string(limit) +
           " are allowed: shorten it";
}

std::string keys_problem(const std::string& label, const char* which, const std::vector<std::string>& keys,
                         std::size_t* total) {
    if (keys.size() > kMaxLoreKeys)
        return label + " has " + std::to_string(keys.size()) + " " + which + "; at most " +
               std::to_string(kMaxLoreKeys) + " are allowed";
    for (const auto& k : keys) {
        if (k.size() > kMaxLoreKeyBytes) return too_long("a key of " + label, k.size(), kMaxLoreKeyBytes);
        *total += k.size();
    }
    return {};
}

} // namespace

bool operator==(const StorySettings& a, const StorySettings& b) {
    auto same = [](const LoreEntry& x, const LoreEntry& y) {
        return x.name == y.name && x.keys == y.keys && x.secondary_keys == y.secondary_keys &&
               x.content == y.content && x.always == y.always && x.case_sensitive == y.case_sensitive &&
               x.enabled == y.enabled && x.order == y.order;
    };
    return a.memory == b.memory && a.authors_note == b.authors_note && a.authors_note_depth == b.authors_note_depth &&
           a.lore_scan_tokens == b.lore_scan_tokens && a.lore_recursive == b.lore_recursive &&
           std::equal(a.lore.begin(), a.lore.end(), b.lore.begin(), b.lore.end(), same);
}

std::string story_settings_problem(const StorySettings& s) {
    if (s.memory.size() > kMaxStoryTextBytes) return too_long("the memory", s.memory.size(), kMaxStoryTextBytes);
    if (s.authors_note.size() > kMaxStoryTextBytes)
        return too_long("the author's note", s.authors_note.size(), kMaxStoryTextBytes);
    if (s.authors_note_depth < 0 || s.authors_note_depth > kMaxAuthorsNoteDepth)
        return "the author's note depth " + std::to_string(s.authors_note_depth) + " is not between 0 and " +
               std::to_string(kMaxAuthorsNoteDepth) + " paragraphs";
    if (s.lore_scan_tokens < 0 || s.lore_scan_tokens > kMaxLoreScanTokens)
        return "the lore scan window of " + std::to_string(s.lore_scan_tokens) + " tokens is not between 0 and " +
               std::to_string(kMaxLoreScanTokens);
    if (s.lore.size() > kMaxLoreEntries)
        return "the lorebook has " + std::to_string(s.lore.size()) + " entries; at most " +
               std::to_string(kMaxLoreEntries) + " are allowed";
    std::size_t total = 0;
    for (std::size_t i = 0; i < s.lore.size(); ++i) {
        const LoreEntry& e = s.lore[i];
        const std::string label = entry_label(i, e);
        if (e.name.size() > kMaxLoreKeyBytes) return too_long("the name of " + label, e.name.size(), kMaxLoreKeyBytes);
        if (e.content.size() > kMaxStoryTextBytes)
            return too_long("the text of " + label, e.content.size(), kMaxStoryTextBytes);
        if (auto p = keys_problem(label, "keys", e.keys, &total); !p.empty()) return p;
        if (auto p = keys_problem(label, "secondary keys", e.secondary_keys, &total); !p.empty()) return p;
        total += e.name.size() + e.content.size();
        if (total > kMaxLoreTotalBytes)
            return "the lorebook is over " + std::to_string(kMaxLoreTotalBytes) + " bytes at " + label +
                   ": remove entries or shorten them";
    }
    return {};
}

} // namespace fabula
