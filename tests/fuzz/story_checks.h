#pragma once
// What every story collection read from a writer's file must satisfy, and the
// two cross-checks the story-reader targets share: strict mode agrees with the
// lax one, and the stories written back out in the same format read back the
// same.
#include "training/story_reader.h"
#include "fuzz_support.h"

#include <set>

namespace fabula_fuzz {

using fabula::training::Collection;
using fabula::training::ReadOptions;

inline std::optional<Collection> read_stories(std::string bytes, const std::string& name, const ReadOptions& o) {
    return accepted([&] { return fabula::training::read_stories_from_bytes(std::move(bytes), name, o); }, name);
}

inline bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos; }

inline std::vector<std::string> texts(const Collection& c) {
    std::vector<std::string> out;
    for (const auto& s : c.stories) out.push_back(s.text);
    return out;
}

inline void check_collection(const Collection& c, const std::string& name, const ReadOptions& o) {
    FUZZ_CHECK(!c.stories.empty());
    std::set<std::string> seen;
    for (const auto& s : c.stories) {
        FUZZ_CHECK(!is_blank(s.text));
        FUZZ_CHECK(s.text.find('\r') == std::string::npos);
        FUZZ_CHECK(is_valid_utf8(s.text));
        // "file" or "file:line" with a line number from 1.
        FUZZ_CHECK(s.source == name || (s.source.size() > name.size() + 1 && s.source.starts_with(name + ":") &&
                                        s.source.find_first_not_of("0123456789", name.size() + 1) == std::string::npos &&
                                        s.source[name.size() + 1] != '0'));
        const bool first_time = seen.insert(s.text).second;
        if (o.deduplicate) FUZZ_CHECK(first_time);
    }
    for (const auto& p : c.problems) {
        FUZZ_CHECK(p.path == name && !p.message.empty());
        FUZZ_CHECK(p.is_line ? p.offset_or_line >= 1 : p.offset_or_line >= -1);
    }
    FUZZ_CHECK(c.empty >= 0 && c.duplicates >= 0);
    FUZZ_CHECK(c.problems.size() >= size_t(c.empty) + size_t(c.duplicates));
    if (!o.deduplicate) FUZZ_CHECK(c.duplicates == 0);
}

// Strict mode fails exactly when the lax reading reported a problem (or found
// no story), and otherwise reads the same stories.
inline void check_strict(const std::string& bytes, const std::string& name, ReadOptions o,
                         const std::optional<Collection>& lax) {
    o.strict = true;
    const auto strict = read_stories(bytes, name, o);
    if (lax && lax->problems.empty()) {
        FUZZ_CHECK(strict && texts(*strict) == texts(*lax));
        for (size_t i = 0; i < lax->stories.size(); ++i)
            FUZZ_CHECK(strict->stories[i].source == lax->stories[i].source);
    } else {
        FUZZ_CHECK(!strict);
    }
}

// The stories, written out again in the same format, read back as themselves.
inline void check_rewritten(const Collection& c, const std::string& written, const std::string& name,
                            const ReadOptions& o) {
    const auto again = read_stories(written, name, o);
    FUZZ_CHECK(again && texts(*again) == texts(c));
    FUZZ_CHECK(again->problems.empty());
}

} // namespace fabula_fuzz
