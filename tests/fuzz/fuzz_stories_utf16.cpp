// A UTF-16 story file with its byte order mark (training/story_reader.h). The
// first byte picks the byte order, the format (.txt with separators, .jsonl
// or .csv) and deduplication; the rest follows the BOM. Reading it must give
// exactly what reading the same text as UTF-8 gives, with the UTF-16 decoded
// here independently; text that is not valid UTF-16 yields no story.
#include "story_checks.h"

using namespace fabula_fuzz;

namespace {

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | cp >> 6), out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | cp >> 12), out += char(0x80 | (cp >> 6 & 0x3F)), out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | cp >> 18), out += char(0x80 | (cp >> 12 & 0x3F)), out += char(0x80 | (cp >> 6 & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

// UTF-8 of the UTF-16 code units in `body`, or nothing when they are not
// well-formed (an odd byte count, an unpaired surrogate).
std::optional<std::string> from_utf16(std::string_view body, bool big_endian) {
    if (body.size() % 2) return std::nullopt;
    std::vector<char16_t> units;
    for (size_t i = 0; i < body.size(); i += 2) {
        const auto a = static_cast<unsigned char>(body[i]), b = static_cast<unsigned char>(body[i + 1]);
        units.push_back(big_endian ? char16_t(a << 8 | b) : char16_t(b << 8 | a));
    }
    std::string out;
    for (size_t i = 0; i < units.size(); ++i) {
        const char16_t u = units[i];
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
            append_utf8(out, 0x10000 + (char32_t(u - 0xD800) << 10) + (units[i + 1] - 0xDC00));
            ++i;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            return std::nullopt;
        } else {
            append_utf8(out, u);
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static const char* const names[] = {"stories.txt", "stories.jsonl", "stories.csv", "stories.md"};
    ReadOptions o;
    o.deduplicate = data[0] & 1;
    const bool big_endian = data[0] & 2;
    const std::string name = names[(data[0] >> 2) & 3];
    const std::string_view body = as_text(data + 1, size - 1);
    const std::string bytes = (big_endian ? "\xFE\xFF" : "\xFF\xFE") + std::string(body);

    const auto c = read_stories(bytes, name, o);
    if (c) check_collection(*c, name, o);
    const std::optional<std::string> utf8 = from_utf16(body, big_endian);
    if (!utf8) {
        FUZZ_CHECK(!c);
        return 0;
    }
    // With its own BOM, so that a U+FEFF at the start of the text stays text
    // on both sides.
    const auto same = read_stories("\xEF\xBB\xBF" + *utf8, name, o);
    FUZZ_CHECK(c.has_value() == same.has_value());
    if (!c) return 0;
    FUZZ_CHECK(texts(*c) == texts(*same));
    FUZZ_CHECK(c->problems.size() == same->problems.size());
    FUZZ_CHECK(c->empty == same->empty && c->duplicates == same->duplicates);
    for (size_t i = 0; i < c->stories.size(); ++i) FUZZ_CHECK(c->stories[i].source == same->stories[i].source);
    return 0;
}
