#include "core/store/text.h"

namespace fabula {

namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one code point at s[i]; an invalid or truncated sequence yields
// kInvalid with length 1, so the caller steps over exactly one bad byte.
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
    auto b0 = static_cast<unsigned char>(s[i]);
    len = 1;
    if (b0 < 0x80) return b0;
    int extra;
    char32_t cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        extra = 1;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        extra = 2;
        cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        extra = 3;
        cp = b0 & 0x07;
    } else {
        return kInvalid;
    }
    if (i + extra >= s.size()) return kInvalid;
    for (int k = 1; k <= extra; ++k) {
        auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return kInvalid;
        cp = (cp << 6) | (b & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not characters.
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return kInvalid;
    len = static_cast<std::size_t>(extra) + 1;
    return cp;
}

void encode(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool is_white_space(char32_t cp) {
    // The Unicode White_Space property, in full.
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

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
        std::size_t len;
        char32_t cp = decode(s, i, len);
        bool space = cp != kInvalid && is_white_space(cp);
        if (!space && !in_word) ++words;
        in_word = !space;
        i += len;
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
        std::size_t len;
        char32_t cp = decode(s, i, len);
        if (cp == kInvalid)
            out.push_back(s[i]);
        else
            encode(fold(cp), out);
        i += len;
    }
    return out;
}

} // namespace fabula
