#include "core/store/text.h"

#include "core/unicode_tables.h"
#include "core/utf8.h"

namespace fabula {

namespace {

bool even(char32_t cp) { return cp % 2 == 0; }

char32_t fold(char32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    // U+0130 (capital I with dot) has no simple folding outside Turkic rules.
    if (cp >= 0x100 && cp <= 0x137 && cp != 0x130 && even(cp)) return cp + 1;
    if (cp >= 0x139 && cp <= 0x148 && !even(cp)) return cp + 1;
    if (cp >= 0x14A && cp <= 0x177 && even(cp)) return cp + 1;
    if (cp == 0x178) return 0xFF;
    if (cp >= 0x179 && cp <= 0x17E && !even(cp)) return cp + 1;
    if (cp == 0x17F) return 's';
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 32;
    if (cp == 0x386) return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A) return cp + 37;
    if (cp == 0x38C) return 0x3CC;
    if (cp == 0x38E || cp == 0x38F) return cp + 63;
    if (cp == 0x3C2) return 0x3C3;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
    if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
    if (cp >= 0x460 && cp <= 0x481 && even(cp)) return cp + 1;
    if (cp >= 0x48A && cp <= 0x4BF && even(cp)) return cp + 1;
    if (cp >= 0x4D0 && cp <= 0x52F && even(cp)) return cp + 1;
    if (cp >= 0x1E00 && cp <= 0x1E95 && even(cp)) return cp + 1;
    if (cp == 0x1E9E) return 0xDF;
    if (cp >= 0x1EA0 && cp <= 0x1EFF && even(cp)) return cp + 1;
    return cp;
}

} // namespace

std::int64_t count_words(std::string_view s) {
    std::int64_t words = 0;
    bool in_word = false;
    for (std::size_t i = 0; i < s.size();) {
        const utf8::Decoded d = utf8::decode(s, i);
        const bool space = d.kind == utf8::Decoded::Kind::Valid && unicode::is_white_space(d.cp);
        if (!space && !in_word) ++words;
        in_word = !space;
        i += d.length;
    }
    return words;
}

std::string fold_case(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) { // most prose is ASCII; skip the decoder for it
            out.push_back(b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : static_cast<char>(b));
            ++i;
            continue;
        }
        const utf8::Decoded d = utf8::decode(s, i);
        if (d.kind == utf8::Decoded::Kind::Valid)
            utf8::append(out, fold(d.cp));
        else
            out.append(s.substr(i, d.length)); // broken bytes stay as they are
        i += d.length;
    }
    return out;
}

} // namespace fabula
