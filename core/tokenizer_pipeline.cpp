#include "core/tokenizer_pipeline.h"

#include <algorithm>
#include <mutex>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
// ICU has its own UChar.
#define ONIG_ESCAPE_UCHAR_COLLISION
#include <oniguruma.h>

#include "core/error.h"
#include "core/pretokenizer.h"
#include "core/unicode_tables.h"
#include "core/utf8.h"

namespace fabula::tokpipe {
namespace {

void init_oniguruma() {
    static std::once_flag once;
    std::call_once(once, [] {
        OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
        onig_initialize(encodings, 1);
    });
}

// Calls f(begin, end, valid) for the maximal runs of well-formed and of
// ill-formed UTF-8 in s, in order.
template <class F>
void for_each_run(std::string_view s, F&& f) {
    size_t run = 0;
    bool valid = true;
    for (size_t pos = 0; pos < s.size();) {
        const auto b = static_cast<unsigned char>(s[pos]);
        size_t len = 1;
        bool ok = true;
        if (b >= 0x80) {
            const utf8::Decoded d = utf8::decode(s, pos);
            len = d.length;
            ok = d.kind == utf8::Decoded::Kind::Valid;
        }
        if (ok != valid) {
            if (pos > run) f(run, pos, valid);
            run = pos;
            valid = ok;
        }
        pos += len;
    }
    if (s.size() > run) f(run, s.size(), valid);
}

size_t char_length(std::string_view s, size_t pos) {
    if (static_cast<unsigned char>(s[pos]) < 0x80) return 1;
    return utf8::decode(s, pos).length;
}

bool is_space_at(std::string_view s, size_t pos, size_t& len) {
    len = char_length(s, pos);
    const utf8::Decoded d = utf8::decode(s, pos);
    return d.kind == utf8::Decoded::Kind::Valid && unicode::is_white_space(d.cp);
}

// The character that ends at `end` (end > 0), for lstrip and single_word.
size_t previous_char_start(std::string_view s, size_t end) {
    size_t p = end - 1;
    while (p > 0 && end - p < 4 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
    if (char_length(s, p) != end - p) return end - 1;
    return p;
}

bool is_word_char(std::string_view s, size_t pos) {
    const utf8::Decoded d = utf8::decode(s, pos);
    if (d.kind != utf8::Decoded::Kind::Valid) return false;
    return d.cp == '_' || unicode::classify(d.cp) == unicode::CharClass::Letter ||
           unicode::classify(d.cp) == unicode::CharClass::Number;
}

std::string nfc(std::string_view s) {
    std::string out;
    for_each_run(s, [&](size_t b, size_t e, bool valid) {
        const std::string_view run = s.substr(b, e - b);
        bool ascii = true;
        for (char c : run) ascii &= static_cast<unsigned char>(c) < 0x80;
        if (!valid || ascii) {
            out += run;
            return;
        }
        UErrorCode err = U_ZERO_ERROR;
        const UNormalizer2* n = unorm2_getNFCInstance(&err);
        std::u16string in(run.size(), u'\0');
        int32_t in_len = 0;
        u_strFromUTF8(reinterpret_cast<UChar*>(in.data()), static_cast<int32_t>(in.size()), &in_len, run.data(),
                      static_cast<int32_t>(run.size()), &err);
        std::u16string norm(static_cast<size_t>(in_len) * 3 + 16, u'\0');
        const int32_t norm_len = unorm2_normalize(n, reinterpret_cast<const UChar*>(in.data()), in_len,
                                                  reinterpret_cast<UChar*>(norm.data()),
                                                  static_cast<int32_t>(norm.size()), &err);
        std::string utf(static_cast<size_t>(norm_len) * 3 + 4, '\0');
        int32_t utf_len = 0;
        u_strToUTF8(utf.data(), static_cast<int32_t>(utf.size()), &utf_len,
                    reinterpret_cast<const UChar*>(norm.data()), norm_len, &err);
        if (U_FAILURE(err)) {
            out += run; // cannot happen for well-formed text; keep it as it is
            return;
        }
        out.append(utf.data(), static_cast<size_t>(utf_len));
    });
    return out;
}

std::string replace_all(std::string_view s, const Pattern& p, std::string_view content) {
    std::vector<std::pair<size_t, size_t>> m;
    p.find_all(s, m);
    if (m.empty()) return std::string(s);
    std::string out;
    size_t prev = 0;
    for (const auto& [b, e] : m) {
        out.append(s.substr(prev, b - prev));
        out.append(content);
        prev = e;
    }
    out.append(s.substr(prev));
    return out;
}

// tokenizers' NormalizedString::split: the pieces (begin, end) of s for the
// matches (offsets, is_match) by behavior, empty ones dropped.
void split_by(std::string_view s, const std::vector<std::pair<std::pair<size_t, size_t>, bool>>& matches,
              Behavior behavior, std::vector<std::pair<size_t, size_t>>& out) {
    std::vector<std::pair<std::pair<size_t, size_t>, bool>> splits; // (offsets, remove)
    switch (behavior) {
    case Behavior::Isolated:
        for (const auto& [o, m] : matches) splits.push_back({o, false});
        break;
    case Behavior::Removed:
        splits = matches;
        break;
    case Behavior::Contiguous: {
        bool prev = false;
        for (const auto& [o, m] : matches) {
            if (m == prev && !splits.empty())
                splits.back().first.second = o.second;
            else
                splits.push_back({o, false});
            prev = m;
        }
        break;
    }
    case Behavior::MergedWithPrevious: {
        bool prev = false;
        for (const auto& [o, m] : matches) {
            if (m && !prev && !splits.empty())
                splits.back().first.second = o.second;
            else
                splits.push_back({o, false});
            prev = m;
        }
        break;
    }
    case Behavior::MergedWithNext: {
        bool prev = false;
        for (auto it = matches.rbegin(); it != matches.rend(); ++it) {
            const auto& [o, m] = *it;
            if (m && !prev && !splits.empty())
                splits.back().first.first = o.first;
            else
                splits.push_back({o, false});
            prev = m;
        }
        std::reverse(splits.begin(), splits.end());
        break;
    }
    }
    (void)s;
    for (const auto& [o, remove] : splits)
        if (!remove && o.second > o.first) out.push_back(o);
}

// tokenizers' Pattern::find_matches: every byte in a match or between.
std::vector<std::pair<std::pair<size_t, size_t>, bool>> matches_of(
    std::string_view s, const std::vector<std::pair<size_t, size_t>>& found, bool invert) {
    std::vector<std::pair<std::pair<size_t, size_t>, bool>> out;
    if (s.empty()) {
        out.push_back({{0, 0}, invert});
        return out;
    }
    size_t prev = 0;
    for (const auto& [b, e] : found) {
        if (prev != b) out.push_back({{prev, b}, invert});
        out.push_back({{b, e}, !invert});
        prev = e;
    }
    if (prev != s.size()) out.push_back({{prev, s.size()}, invert});
    return out;
}

struct Piece {
    std::string text;
    bool first; // starts at offset 0 of the original text
};

void apply(const PreTokenizer& p, std::vector<Piece>& pieces) {
    std::vector<Piece> next;
    next.reserve(pieces.size());
    std::vector<std::pair<size_t, size_t>> found, parts;
    const auto emit = [&](const Piece& piece, Behavior behavior, bool invert) {
        found.clear();
        parts.clear();
        p.pattern.find_all(piece.text, found);
        split_by(piece.text, matches_of(piece.text, found, invert), behavior, parts);
        for (const auto& [b, e] : parts) next.push_back({piece.text.substr(b, e - b), piece.first && b == 0});
    };
    for (Piece& piece : pieces) {
        switch (p.kind) {
        case PreTokenizer::Kind::Split:
            emit(piece, p.behavior, p.invert);
            break;
        case PreTokenizer::Kind::ByteLevel: {
            if (p.add_prefix_space && (piece.text.empty() || piece.text[0] != ' ')) piece.text = " " + piece.text;
            if (!p.use_regex) {
                if (!piece.text.empty()) next.push_back(std::move(piece));
                break;
            }
            const std::string_view t = piece.text;
            for (size_t pos = 0; pos < t.size();) {
                const size_t end = pretoken_end(t, pos);
                next.push_back({std::string(t.substr(pos, end - pos)), piece.first && pos == 0});
                pos = end;
            }
            break;
        }
        case PreTokenizer::Kind::Digits: {
            // Rust's char::is_numeric: the general categories Nd, Nl and No.
            const std::string_view t = piece.text;
            // As tokenizers' Pattern for a char predicate: each digit is a
            // match of its own, the stretches between are one non-match each.
            std::vector<std::pair<std::pair<size_t, size_t>, bool>> m;
            size_t last = 0;
            for (size_t pos = 0; pos < t.size();) {
                const size_t len = char_length(t, pos);
                const utf8::Decoded d = utf8::decode(t, pos);
                if (d.kind == utf8::Decoded::Kind::Valid &&
                    unicode::letter_or_number(d.cp) == unicode::CharClass::Number) {
                    if (last < pos) m.push_back({{last, pos}, false});
                    m.push_back({{pos, pos + len}, true});
                    last = pos + len;
                }
                pos += len;
            }
            if (last < t.size() || t.empty()) m.push_back({{last, t.size()}, false});
            parts.clear();
            split_by(t, m, p.individual_digits ? Behavior::Isolated : Behavior::Contiguous, parts);
            for (const auto& [b, e] : parts) next.push_back({piece.text.substr(b, e - b), piece.first && b == 0});
            break;
        }
        case PreTokenizer::Kind::Metaspace: {
            Pattern space;
            space.literal = " ";
            std::string t = replace_all(piece.text, space, p.replacement);
            const bool starts = t.compare(0, p.replacement.size(), p.replacement) == 0;
            if (!starts && (p.prepend == PrependScheme::Always || (p.prepend == PrependScheme::First && piece.first)))
                t.insert(0, p.replacement);
            if (!p.split) {
                if (!t.empty()) next.push_back({std::move(t), piece.first});
                break;
            }
            found.clear();
            parts.clear();
            for (size_t at = 0; (at = t.find(p.replacement, at)) != std::string::npos; at += p.replacement.size())
                found.push_back({at, at + p.replacement.size()});
            split_by(t, matches_of(t, found, false), Behavior::MergedWithNext, parts);
            for (const auto& [b, e] : parts) next.push_back({t.substr(b, e - b), piece.first && b == 0});
            break;
        }
        }
    }
    pieces = std::move(next);
}

} // namespace

Regex::Regex(const std::string& pattern, const std::string& file, const std::string& where) {
    init_oniguruma();
    OnigRegex re = nullptr;
    OnigErrorInfo info;
    const auto* p = reinterpret_cast<const OnigUChar*>(pattern.data());
    const int r = onig_new(&re, p, p + pattern.size(), ONIG_OPTION_NONE, ONIG_ENCODING_UTF8, ONIG_SYNTAX_DEFAULT,
                           &info);
    if (r != ONIG_NORMAL) {
        OnigUChar msg[ONIG_MAX_ERROR_MESSAGE_LEN];
        onig_error_code_to_str(msg, r, &info);
        throw FileError(file, where + ": the regular expression does not compile: " +
                                  reinterpret_cast<const char*>(msg));
    }
    re_ = re;
}

Regex::~Regex() { onig_free(static_cast<OnigRegex>(re_)); }

void Regex::find_all(std::string_view s, std::vector<std::pair<size_t, size_t>>& out) const {
    auto re = static_cast<OnigRegex>(re_);
    OnigRegion* region = onig_region_new();
    const auto* str = reinterpret_cast<const OnigUChar*>(s.data());
    const OnigUChar* end = str + s.size();
    size_t last_end = 0;
    bool have_last = false;
    size_t last_match_end = 0;
    while (last_end <= s.size()) {
        const int r = onig_search(re, str, end, str + last_end, end, region, ONIG_OPTION_NONE);
        if (r < 0) break; // ONIG_MISMATCH, or an error such as a too-deep backtrack
        const auto b = static_cast<size_t>(region->beg[0]), e = static_cast<size_t>(region->end[0]);
        if (b == e && have_last && last_match_end == e) {
            last_end += last_end < s.size() ? char_length(s, last_end) : 1;
            continue;
        }
        last_end = e;
        last_match_end = e;
        have_last = true;
        out.emplace_back(b, e);
    }
    onig_region_free(region, 1);
}

void Pattern::find_all(std::string_view s, std::vector<std::pair<size_t, size_t>>& out) const {
    if (!regex) {
        if (literal.empty()) return;
        for (size_t at = 0; (at = s.find(literal, at)) != std::string_view::npos; at += literal.size())
            out.emplace_back(at, at + literal.size());
        return;
    }
    std::vector<std::pair<size_t, size_t>> local;
    for_each_run(s, [&](size_t b, size_t e, bool valid) {
        if (!valid) return;
        local.clear();
        regex->find_all(s.substr(b, e - b), local);
        for (const auto& [mb, me] : local) out.emplace_back(b + mb, b + me);
    });
}

std::string normalize(const std::vector<Normalizer>& steps, std::string_view text) {
    std::string s(text);
    for (const Normalizer& n : steps) {
        switch (n.kind) {
        case Normalizer::Kind::NFC:
            s = nfc(s);
            break;
        case Normalizer::Kind::Prepend:
            if (!s.empty()) s.insert(0, n.text);
            break;
        case Normalizer::Kind::Replace:
            s = replace_all(s, n.pattern, n.text);
            break;
        }
    }
    return s;
}

void pre_tokenize(const std::vector<PreTokenizer>& steps, std::string segment, bool first,
                  std::vector<std::string>& pieces) {
    std::vector<Piece> ps;
    if (!segment.empty()) ps.push_back({std::move(segment), first});
    for (const PreTokenizer& p : steps) apply(p, ps);
    for (Piece& p : ps)
        if (!p.text.empty()) pieces.push_back(std::move(p.text));
}

std::vector<Segment> split_added(std::string_view text, const std::vector<AddedToken>& tokens,
                                 const std::vector<size_t>& which, bool skip_special) {
    std::vector<Segment> out;
    std::vector<size_t> live;
    for (size_t i : which)
        if (!tokens[i].content.empty() && !(skip_special && tokens[i].special)) live.push_back(i);
    // next[k]: where live[k] next occurs at or after the search position.
    std::vector<size_t> next(live.size());
    for (size_t k = 0; k < live.size(); ++k) next[k] = text.find(tokens[live[k]].content);
    size_t search = 0, emitted = 0;
    while (true) {
        size_t best = std::string_view::npos, best_len = 0, best_k = 0;
        for (size_t k = 0; k < live.size(); ++k) {
            if (next[k] != std::string_view::npos && next[k] < search)
                next[k] = text.find(tokens[live[k]].content, search);
            const size_t len = tokens[live[k]].content.size();
            if (next[k] < best || (next[k] == best && len > best_len)) {
                best = next[k];
                best_len = len;
                best_k = k;
            }
        }
        if (best == std::string_view::npos) break;
        const AddedToken& t = tokens[live[best_k]];
        size_t start = best, stop = best + best_len;
        search = stop;
        if (t.single_word) {
            const bool start_ok = start == 0 || !is_word_char(text, previous_char_start(text, start));
            const bool stop_ok = stop == text.size() || !is_word_char(text, stop);
            if (!start_ok || !stop_ok) continue;
        }
        if (start < emitted) continue; // inside what an rstrip took
        if (t.lstrip) {
            size_t s = start;
            while (s > emitted) {
                const size_t p = previous_char_start(text, s);
                size_t len;
                if (!is_space_at(text, p, len)) break;
                s = p;
            }
            start = s;
        }
        if (t.rstrip) {
            size_t len;
            while (stop < text.size() && is_space_at(text, stop, len)) stop += len;
        }
        if (emitted < start) out.push_back({emitted, start, -1});
        out.push_back({start, stop, static_cast<int32_t>(live[best_k])});
        emitted = stop;
    }
    if (emitted < text.size()) out.push_back({emitted, text.size(), -1});
    return out;
}

} // namespace fabula::tokpipe
