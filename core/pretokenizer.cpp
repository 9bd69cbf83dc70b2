#include "core/pretokenizer.h"

#include <array>

#include "core/unicode_tables.h"
#include "core/utf8.h"

namespace fabula {
namespace {

using unicode::CharClass;

struct Char {
    CharClass cls;
    size_t len;
};

constexpr std::array<CharClass, 128> make_ascii_classes() {
    std::array<CharClass, 128> t{};
    for (int c = 0; c < 128; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            t[c] = CharClass::Letter;
        else if (c >= '0' && c <= '9')
            t[c] = CharClass::Number;
        else if (unicode::is_white_space(static_cast<char32_t>(c)))
            t[c] = CharClass::Space;
        else
            t[c] = CharClass::Other;
    }
    return t;
}
constexpr auto kAscii = make_ascii_classes();

inline Char char_at(std::string_view s, size_t pos) {
    const auto b = static_cast<unsigned char>(s[pos]);
    if (b < 0x80) return {kAscii[b], 1};
    const utf8::Decoded d = utf8::decode(s, pos);
    if (d.kind != utf8::Decoded::Kind::Valid) return {CharClass::Other, d.length};
    return {unicode::classify(d.cp), d.length};
}

// The end of the run of characters of class cls that starts at pos.
inline size_t run_end(std::string_view s, size_t pos, CharClass cls) {
    while (pos < s.size()) {
        const auto b = static_cast<unsigned char>(s[pos]);
        if (b < 0x80) {
            if (kAscii[b] != cls) break;
            ++pos;
            continue;
        }
        const Char c = char_at(s, pos);
        if (c.cls != cls) break;
        pos += c.len;
    }
    return pos;
}

// 's 't 're 've 'm 'll 'd: lower case only, as in the regex.
inline size_t contraction_length(std::string_view s, size_t pos) {
    if (pos + 1 >= s.size()) return 0;
    const char c1 = s[pos + 1];
    if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return 2;
    if (pos + 2 >= s.size()) return 0;
    const char c2 = s[pos + 2];
    if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return 3;
    return 0;
}

} // namespace

size_t pretoken_end(std::string_view s, size_t pos) {
    const size_t start = pos;
    if (s[pos] == '\'') {
        if (const size_t n = contraction_length(s, pos)) return pos + n;
    }
    Char c = char_at(s, pos);
    // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": one ASCII space may lead a
    // run that is not itself space.
    if (s[pos] == ' ' && pos + 1 < s.size()) {
        const Char next = char_at(s, pos + 1);
        if (next.cls != CharClass::Space) return run_end(s, pos + 1 + next.len, next.cls);
    }
    if (c.cls != CharClass::Space) return run_end(s, pos + c.len, c.cls);

    // "\s+(?!\S)|\s+": a space run that reaches the end is taken whole; one
    // followed by a non-space leaves its last character to lead what follows,
    // unless that character is the whole run.
    size_t last = pos;
    pos += c.len;
    while (pos < s.size()) {
        c = char_at(s, pos);
        if (c.cls != CharClass::Space) break;
        last = pos;
        pos += c.len;
    }
    if (pos == s.size() || last == start) return pos;
    return last;
}

std::vector<std::string_view> pretokenize(std::string_view text) {
    std::vector<std::string_view> out;
    for (size_t pos = 0; pos < text.size();) {
        const size_t end = pretoken_end(text, pos);
        out.push_back(text.substr(pos, end - pos));
        pos = end;
    }
    return out;
}

} // namespace fabula
