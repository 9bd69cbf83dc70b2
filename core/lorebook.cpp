#include "core/lorebook.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>
#include <unicode/uchar.h>
// ICU has its own UChar.
#define ONIG_ESCAPE_UCHAR_COLLISION
#include <oniguruma.h>

#include "core/error.h"
#include "core/json_file.h"
#include "core/tokenizer_pipeline.h"
#include "core/unicode_tables.h"
#include "core/utf8.h"

namespace fabula {
namespace {

using ojson = nlohmann::ordered_json;

// ---- characters --------------------------------------------------------------

// A word character for whole-word matching: a letter or number as the
// tokenizer's tables classify them, a combining mark (so "Zoe\u0308" is one
// word) or connector punctuation ('_' and its kin).
bool is_word_char(char32_t cp) {
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
    if (unicode::letter_or_number(cp) != unicode::CharClass::Other) return true;
    switch (u_charType(static_cast<UChar32>(cp))) {
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_CONNECTOR_PUNCTUATION:
        return true;
    default:
        return false;
    }
}

// Unicode's simple case folding (one character to one, every script ICU
// knows: Latin, Greek, Cyrillic, Armenian, Cherokee, ...). Full folding
// ("ß" = "ss") is not applied.
char32_t fold(char32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT));
}

std::string sanitized(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    utf8::append_sanitized(s, out, true);
    return out;
}

std::string folded(std::string_view well_formed) {
    std::string out;
    out.reserve(well_formed.size());
    for (size_t pos = 0; pos < well_formed.size();) {
        const auto b = static_cast<unsigned char>(well_formed[pos]);
        if (b < 0x80) {
            out += static_cast<char>(fold(b));
            ++pos;
            continue;
        }
        const utf8::Decoded d = utf8::decode(well_formed, pos);
        utf8::append(out, d.kind == utf8::Decoded::Kind::Valid ? fold(d.cp) : utf8::kReplacement);
        pos += d.length;
    }
    return out;
}

char32_t char_at(std::string_view s, size_t pos) {
    const utf8::Decoded d = utf8::decode(s, pos);
    return d.kind == utf8::Decoded::Kind::Valid ? d.cp : utf8::kReplacement;
}

// The character that ends just before `pos` (pos > 0, s well-formed).
char32_t char_before(std::string_view s, size_t pos) {
    size_t start = pos - 1;
    while (start > 0 && pos - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    return char_at(s, start);
}

char32_t last_char(std::string_view s) { return char_before(s, s.size()); }

using Ranges = std::vector<std::pair<size_t, size_t>>;

// Where `needle` occurs in `hay` with no word character glued to it on a
// side where the needle itself starts or ends with one (the first only, or
// all of them, not overlapping).
Ranges find_whole_words(std::string_view hay, std::string_view needle, bool first_only) {
    Ranges out;
    if (needle.empty()) return out;
    const bool word_start = is_word_char(char_at(needle, 0));
    const bool word_end = is_word_char(last_char(needle));
    for (size_t at = hay.find(needle); at != std::string_view::npos;) {
        const size_t end = at + needle.size();
        if ((word_start && at > 0 && is_word_char(char_before(hay, at))) ||
            (word_end && end < hay.size() && is_word_char(char_at(hay, end)))) {
            at = hay.find(needle, at + 1);
            continue;
        }
        out.emplace_back(at, end);
        if (first_only) break;
        at = hay.find(needle, end);
    }
    return out;
}

// ---- regular expressions -----------------------------------------------------

constexpr std::string_view kRegexFlags = "gimsuy";

struct RegexKey {
    std::string pattern;
    OnigOptionType options = ONIG_OPTION_NONE;
};

std::optional<RegexKey> split_regex_key(std::string_view key) {
    if (key.size() < 3 || key.front() != '/') return std::nullopt;
    const size_t close = key.rfind('/');
    if (close < 2) return std::nullopt; // "/" alone, or "//": no pattern
    const std::string_view flags = key.substr(close + 1);
    RegexKey r;
    for (size_t i = 0; i < flags.size(); ++i) {
        if (kRegexFlags.find(flags[i]) == std::string_view::npos || flags.find(flags[i]) != i) return std::nullopt;
        if (flags[i] == 'i') r.options |= ONIG_OPTION_IGNORECASE;
        if (flags[i] == 's') r.options |= ONIG_OPTION_MULTILINE; // Ruby's "multiline" is JavaScript's dotAll
    }
    r.pattern = std::string(key.substr(1, close - 1));
    return r;
}

void init_oniguruma() {
    static std::once_flag once;
    std::call_once(once, [] {
        // The tokenizer initialises Oniguruma behind its own once_flag; going
        // through it keeps the two from initialising at the same time.
        tokpipe::Regex warm_up("a", "", "");
    });
}

struct OnigDeleter {
    void operator()(OnigRegex re) const { onig_free(re); }
};
using CompiledRegex = std::unique_ptr<std::remove_pointer_t<OnigRegex>, OnigDeleter>;

// Compiles the key's pattern; on failure returns null and sets *error.
CompiledRegex compile_regex(const RegexKey& key, std::string* error) {
    init_oniguruma();
    const std::string pattern = sanitized(key.pattern);
    OnigRegex re = nullptr;
    OnigErrorInfo info;
    const auto* p = reinterpret_cast<const OnigUChar*>(pattern.data());
    const int r = onig_new(&re, p, p + pattern.size(), key.options, ONIG_ENCODING_UTF8, ONIG_SYNTAX_DEFAULT, &info);
    if (r != ONIG_NORMAL) {
        OnigUChar msg[ONIG_MAX_ERROR_MESSAGE_LEN];
        onig_error_code_to_str(msg, r, &info);
        *error = reinterpret_cast<const char*>(msg);
        return nullptr;
    }
    return CompiledRegex(re);
}

// The non-empty matches in the (well-formed) text, not overlapping. A
// pattern that backtracks without end ("(a+)+b") gives up after a bounded
// amount of work (no further match) rather than stalling the prompt.
Ranges regex_find(OnigRegex re, std::string_view text, bool first_only) {
    constexpr unsigned long kRetryLimit = 2'000'000;
    Ranges out;
    const auto* str = reinterpret_cast<const OnigUChar*>(text.data());
    const OnigUChar* end = str + text.size();
    OnigRegion* region = onig_region_new();
    OnigMatchParam* mp = onig_new_match_param();
    onig_initialize_match_param(mp);
    onig_set_retry_limit_in_match_of_match_param(mp, kRetryLimit);
    onig_set_retry_limit_in_search_of_match_param(mp, kRetryLimit);
    for (size_t start = 0; start < text.size();) {
        const int r = onig_search_with_param(re, str, end, str + start, end, region, ONIG_OPTION_FIND_NOT_EMPTY, mp);
        if (r < 0) break;
        const auto b = static_cast<size_t>(region->beg[0]), e = static_cast<size_t>(region->end[0]);
        out.emplace_back(b, e);
        if (first_only || e <= start) break;
        start = e;
    }
    onig_free_match_param(mp);
    onig_region_free(region, 1);
    return out;
}

std::string in_quotes(std::string_view s) {
    std::string out(1, '"');
    out.append(s);
    out += '"';
    return out;
}

} // namespace

// ---- matching ------------------------------------------------------------------

bool lore_key_is_regex(std::string_view key) { return split_regex_key(key).has_value(); }

std::optional<std::string> lore_key_error(std::string_view key) {
    const auto rk = split_regex_key(key);
    if (!rk) return std::nullopt;
    std::string error;
    if (compile_regex(*rk, &error)) return std::nullopt;
    return "The lorebook key " + in_quotes(key) + " is not a valid regular expression: " + error;
}

std::string lore_entry_display_name(const LoreEntry& entry) {
    if (!entry.name.empty()) return entry.name;
    return entry.keys.empty() ? std::string() : entry.keys.front();
}

LoreScanner::LoreScanner(std::string_view text) {
    text_.reserve(text.size());
    folded_.reserve(text.size());
    text_at_.reserve(text.size() + 1);
    folded_at_.reserve(text.size() + 1);
    for (size_t pos = 0; pos < text.size();) {
        const auto b = static_cast<unsigned char>(text[pos]);
        char32_t cp = b;
        size_t len = 1;
        if (b >= 0x80) {
            const utf8::Decoded d = utf8::decode(text, pos);
            cp = d.kind == utf8::Decoded::Kind::Valid ? d.cp : utf8::kReplacement;
            len = d.length;
        }
        utf8::append(text_, cp);
        text_at_.resize(text_.size(), pos);
        utf8::append(folded_, fold(cp));
        folded_at_.resize(folded_.size(), pos);
        pos += len;
    }
    text_at_.push_back(text.size());
    folded_at_.push_back(text.size());
}

std::vector<std::pair<size_t, size_t>> LoreScanner::find(std::string_view key, bool case_sensitive,
                                                         bool first_only) const {
    Ranges found;
    const std::vector<size_t>* at = &text_at_;
    if (key.empty()) return found;
    if (const auto rk = split_regex_key(key)) {
        std::string error;
        const CompiledRegex re = compile_regex(*rk, &error);
        if (!re) throw UsageError(*lore_key_error(key));
        found = regex_find(re.get(), text_, first_only);
    } else if (case_sensitive) {
        found = find_whole_words(text_, sanitized(key), first_only);
    } else {
        found = find_whole_words(folded_, folded(sanitized(key)), first_only);
        at = &folded_at_;
    }
    for (auto& [b, e] : found) b = (*at)[b], e = (*at)[e];
    return found;
}

bool LoreScanner::matches(std::string_view key, bool case_sensitive) const {
    return !find(key, case_sensitive, true).empty();
}

std::vector<std::pair<size_t, size_t>> LoreScanner::find_all(std::string_view key, bool case_sensitive) const {
    return find(key, case_sensitive, false);
}

bool LoreScanner::fires(const LoreEntry& entry) const {
    if (!entry.enabled) return false;
    if (entry.always) return true;
    const auto any = [&](const std::vector<std::string>& keys) {
        return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return matches(k, entry.case_sensitive); });
    };
    return any(entry.keys) && (entry.secondary_keys.empty() || any(entry.secondary_keys));
}

bool lore_key_matches(std::string_view key, std::string_view text, bool case_sensitive) {
    return LoreScanner(text).matches(key, case_sensitive);
}

bool lore_entry_fires(const LoreEntry& entry, std::string_view text) { return LoreScanner(text).fires(entry); }

// ---- files ---------------------------------------------------------------------

namespace {

class Reader {
public:
    Reader(const std::string& source) : source_(source) {}

    [[noreturn]] void fail(const std::string& where, const std::string& problem) const {
        throw FileError(source_, where.empty() ? problem : where + ": " + problem);
    }

    std::string string(const ojson& e, const char* field, const std::string& where, bool required) const {
        const auto it = e.find(field);
        if (it == e.end() || it->is_null()) {
            if (required) fail(where, std::string("\"") + field + "\" is missing");
            return {};
        }
        if (!it->is_string()) fail(where, std::string("\"") + field + "\" must be a string");
        return it->get<std::string>();
    }

    bool boolean(const ojson& e, const char* field, const std::string& where, bool fallback) const {
        const auto it = e.find(field);
        if (it == e.end() || it->is_null()) return fallback;
        if (!it->is_boolean()) fail(where, std::string("\"") + field + "\" must be true or false");
        return it->get<bool>();
    }

    // Whole numbers only when strict (Fabula's own files); imports may write
    // 400.0 and are rounded and clamped to what an int holds.
    int integer(const ojson& e, const char* field, const std::string& where, bool strict) const {
        const auto it = e.find(field);
        if (it == e.end() || it->is_null()) return 0;
        const std::string what = std::string("\"") + field + "\" must be a whole number";
        if (it->is_number_integer()) {
            const bool is_unsigned = it->is_number_unsigned();
            const auto u = it->get<uint64_t>();
            const auto v = it->get<int64_t>();
            if (is_unsigned ? u <= uint64_t(std::numeric_limits<int>::max())
                            : (v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()))
                return static_cast<int>(is_unsigned ? int64_t(u) : v);
            if (strict) fail(where, what + " between " + std::to_string(std::numeric_limits<int>::min()) + " and " +
                                        std::to_string(std::numeric_limits<int>::max()));
            return (!is_unsigned && v < 0) ? std::numeric_limits<int>::min() : std::numeric_limits<int>::max();
        }
        if (it->is_number_float() && !strict) {
            const double d = it->get<double>();
            if (std::isnan(d)) fail(where, what);
            return static_cast<int>(std::clamp(std::round(d), double(std::numeric_limits<int>::min()),
                                               double(std::numeric_limits<int>::max())));
        }
        fail(where, what);
    }

    // A list of strings, or (comma_string) one string of comma-separated keys.
    std::vector<std::string> keys(const ojson& e, const char* field, const std::string& where,
                                  bool comma_string) const {
        const auto it = e.find(field);
        std::vector<std::string> out;
        if (it == e.end() || it->is_null()) return out;
        if (it->is_string() && comma_string) {
            const std::string s = it->get<std::string>();
            for (size_t b = 0; b <= s.size();) {
                size_t c = s.find(',', b);
                if (c == std::string::npos) c = s.size();
                out.push_back(s.substr(b, c - b));
                b = c + 1;
            }
        } else if (it->is_array()) {
            for (const auto& k : *it) {
                if (!k.is_string()) fail(where, std::string("\"") + field + "\" must be a list of strings");
                out.push_back(k.get<std::string>());
            }
        } else {
            fail(where, std::string("\"") + field + (comma_string ? "\" must be a string or a list of strings"
                                                                  : "\" must be a list of strings"));
        }
        return normalized_keys(out, where);
    }

    // Keys lose surrounding white space and empty keys, and must compile when
    // they are regular expressions.
    std::vector<std::string> normalized_keys(const std::vector<std::string>& in, const std::string& where) const {
        std::vector<std::string> out;
        for (const auto& raw : in) {
            const auto b = raw.find_first_not_of(" \t\r\n");
            if (b == std::string::npos) continue;
            const auto e = raw.find_last_not_of(" \t\r\n");
            std::string k = raw.substr(b, e - b + 1);
            if (const auto rk = split_regex_key(k)) {
                std::string error;
                if (!compile_regex(*rk, &error))
                    fail(where, "the key " + in_quotes(k) + " is not a valid regular expression: " + error);
            }
            out.push_back(std::move(k));
        }
        return out;
    }

private:
    std::string source_;
};

void require_object(const Reader& r, const ojson& e, const std::string& where) {
    if (!e.is_object()) r.fail(where, "an entry must be a JSON object");
}

LoreEntry fabula_entry(const Reader& r, const ojson& e, const std::string& where) {
    require_object(r, e, where);
    LoreEntry x;
    x.name = r.string(e, "name", where, false);
    x.keys = r.keys(e, "keys", where, false);
    x.secondary_keys = r.keys(e, "secondary_keys", where, false);
    x.content = r.string(e, "content", where, true);
    x.always = r.boolean(e, "always", where, false);
    x.case_sensitive = r.boolean(e, "case_sensitive", where, false);
    x.enabled = r.boolean(e, "enabled", where, true);
    x.order = r.integer(e, "order", where, true);
    return x;
}

LoreEntry novelai_entry(const Reader& r, const ojson& e, const std::string& where) {
    require_object(r, e, where);
    LoreEntry x;
    x.name = r.string(e, "displayName", where, false);
    x.keys = r.keys(e, "keys", where, false);
    x.content = r.string(e, "text", where, false);
    x.always = r.boolean(e, "forceActivation", where, false);
    x.enabled = r.boolean(e, "enabled", where, true);
    if (const auto c = e.find("contextConfig"); c != e.end() && !c->is_null()) {
        if (!c->is_object()) r.fail(where, "\"contextConfig\" must be a JSON object");
        x.order = r.integer(*c, "budgetPriority", where + " contextConfig", false);
    }
    return x;
}

// KoboldAI's world info and SillyTavern's, which grew out of it: "key" is a
// comma-separated string in KoboldAI, a list in SillyTavern.
LoreEntry kobold_entry(const Reader& r, const ojson& e, const std::string& where) {
    require_object(r, e, where);
    LoreEntry x;
    x.name = r.string(e, "comment", where, false);
    x.keys = r.keys(e, "key", where, true);
    x.secondary_keys = r.keys(e, "keysecondary", where, true);
    x.content = r.string(e, "content", where, false);
    x.always = r.boolean(e, "constant", where, false);
    x.enabled = !r.boolean(e, "disable", where, false);
    x.case_sensitive = r.boolean(e, "caseSensitive", where, false);
    x.order = r.integer(e, "order", where, false);
    // Without "selective" the secondary keys are not consulted. SillyTavern's
    // selectiveLogic 1 and 2 (NOT ANY, NOT ALL) have no equivalent here; those
    // entries keep their primary keys only.
    const bool selective = r.boolean(e, "selective", where, false);
    const int logic = r.integer(e, "selectiveLogic", where, false);
    if (!selective || logic == 1 || logic == 2) x.secondary_keys.clear();
    return x;
}

// A character card's lorebook (Character Card V2 "character_book", as
// SillyTavern, Chub and Agnai export it): Fabula-like "keys" with
// "insertion_order", "constant" and "selective".
LoreEntry card_entry(const Reader& r, const ojson& e, const std::string& where) {
    require_object(r, e, where);
    LoreEntry x;
    x.name = r.string(e, "name", where, false);
    if (x.name.empty()) x.name = r.string(e, "comment", where, false);
    x.keys = r.keys(e, "keys", where, true);
    x.secondary_keys = r.keys(e, "secondary_keys", where, true);
    x.content = r.string(e, "content", where, false);
    x.always = r.boolean(e, "constant", where, false);
    x.enabled = r.boolean(e, "enabled", where, true);
    x.case_sensitive = r.boolean(e, "case_sensitive", where, false);
    x.order = r.integer(e, "insertion_order", where, false);
    if (!r.boolean(e, "selective", where, false)) x.secondary_keys.clear();
    return x;
}

void check_utf8(const Reader& r, std::string_view text) {
    for (size_t pos = 0; pos < text.size();) {
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
            continue;
        }
        const utf8::Decoded d = utf8::decode(text, pos);
        if (d.kind != utf8::Decoded::Kind::Valid)
            r.fail("", "is not valid UTF-8 (byte " + std::to_string(pos) + ")");
        pos += d.length;
    }
}

std::vector<LoreEntry> parse_jsonl(const Reader& r, std::string_view text) {
    std::vector<LoreEntry> out;
    size_t line_no = 0;
    for (size_t b = 0; b < text.size();) {
        size_t e = text.find('\n', b);
        if (e == std::string_view::npos) e = text.size();
        const std::string_view line = text.substr(b, e - b);
        ++line_no;
        b = e + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        const std::string where = "line " + std::to_string(line_no);
        ojson j;
        try {
            j = ojson::parse(line);
        } catch (const ojson::exception& ex) {
            r.fail(where, "is not valid JSON");
        }
        out.push_back(fabula_entry(r, j, where));
    }
    return out;
}

template <typename F>
std::vector<LoreEntry> each_entry(const Reader& r, const ojson& entries, F&& entry) {
    std::vector<LoreEntry> out;
    if (entries.is_array()) {
        for (size_t i = 0; i < entries.size(); ++i) out.push_back(entry(r, entries[i], "entry " + std::to_string(i + 1)));
    } else if (entries.is_object()) {
        for (const auto& [k, v] : entries.items()) out.push_back(entry(r, v, "entry " + in_quotes(k)));
    } else {
        r.fail("", "\"entries\" must be a list or an object of entries");
    }
    return out;
}

bool looks_like(const ojson& entries, const char* field) {
    for (const auto& e : entries) return e.is_object() && e.contains(field);
    return false;
}

std::vector<LoreEntry> parse_document(const Reader& r, const ojson& j) {
    if (j.is_object()) {
        if (j.contains("lorebookVersion")) {
            const auto it = j.find("entries");
            if (it == j.end() || !it->is_array()) r.fail("", "a NovelAI lorebook needs a list of \"entries\"");
            return each_entry(r, *it, novelai_entry);
        }
        // A whole character card: its lorebook.
        if (const auto data = j.find("data"); data != j.end() && data->is_object())
            if (const auto book = data->find("character_book"); book != data->end() && book->is_object())
                return parse_document(r, *book);
        if (const auto it = j.find("entries"); it != j.end()) {
            if (it->is_array() && looks_like(*it, "text") && !looks_like(*it, "content"))
                return each_entry(r, *it, novelai_entry);
            if (looks_like(*it, "keys") && !looks_like(*it, "key")) return each_entry(r, *it, card_entry);
            return each_entry(r, *it, kobold_entry); // SillyTavern
        }
        if (const auto it = j.find("worldinfo"); it != j.end()) return each_entry(r, *it, kobold_entry);
        if (j.contains("content") || j.contains("keys")) return {fabula_entry(r, j, "line 1")};
        if (!j.empty() && std::all_of(j.begin(), j.end(), [](const ojson& v) { return v.is_object(); }))
            return each_entry(r, j, kobold_entry);
        r.fail("", "is not a lorebook: no \"entries\", and not a list of world info entries");
    }
    if (j.is_array()) {
        if (looks_like(j, "keys") && !looks_like(j, "key"))
            return each_entry(r, j, fabula_entry);
        return each_entry(r, j, kobold_entry);
    }
    r.fail("", "is not a lorebook: it holds a single JSON value, not entries");
}

} // namespace

std::vector<LoreEntry> parse_lorebook(std::string_view text, const std::string& source_name) {
    const Reader r(source_name);
    check_utf8(r, text);
    std::vector<LoreEntry> entries;
    const bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
    ojson doc = blank ? ojson() : ojson::parse(text.begin(), text.end(), nullptr, false);
    if (blank) {
        // an empty file: no entries
    } else if (!doc.is_discarded()) {
        entries = parse_document(r, doc);
    } else {
        // Several lines of JSON (Fabula's JSONL), or a broken document: when
        // the first line is not JSON on its own, the document's error is the
        // useful one.
        const size_t first = text.find_first_not_of(" \t\r\n");
        const size_t eol = first == std::string_view::npos ? text.size() : text.find('\n', first);
        const auto first_line = text.substr(first == std::string_view::npos ? text.size() : first,
                                            (eol == std::string_view::npos ? text.size() : eol) -
                                                (first == std::string_view::npos ? text.size() : first));
        if (first_line.empty() || ojson::parse(first_line.begin(), first_line.end(), nullptr, false).is_discarded())
            (void)parse_json_text(text, source_name); // throws FileError with the offset
        entries = parse_jsonl(r, text);
    }
    if (entries.empty()) r.fail("", "holds no lorebook entries");
    return entries;
}

std::vector<LoreEntry> read_lorebook_file(const std::string& path) { return parse_lorebook(read_file(path), path); }

std::string lorebook_to_jsonl(const std::vector<LoreEntry>& entries) {
    std::string out;
    for (const auto& e : entries) {
        ojson j;
        j["name"] = e.name;
        j["keys"] = e.keys;
        j["secondary_keys"] = e.secondary_keys;
        j["content"] = e.content;
        j["always"] = e.always;
        j["case_sensitive"] = e.case_sensitive;
        j["enabled"] = e.enabled;
        j["order"] = e.order;
        out += j.dump(-1, ' ', false, ojson::error_handler_t::replace);
        out += '\n';
    }
    return out;
}

} // namespace fabula
