#pragma once
// Shared pieces of the libFuzzer targets. A target returns quietly when the
// parser refuses an input with a FileError naming the file; any other
// exception, a sanitizer report or a broken property (FUZZ_CHECK) is a crash.
#include "core/error.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#define FUZZ_CHECK(cond)                                                                         \
    do {                                                                                         \
        if (!(cond)) ::fabula_fuzz::violated(#cond, __FILE__, __LINE__);                         \
    } while (0)

namespace fabula_fuzz {

[[noreturn]] inline void violated(const char* what, const char* file, int line) {
    std::fprintf(stderr, "fuzz: property violated at %s:%d: %s\n", file, line, what);
    std::abort();
}

// Makes the compiler keep reads whose only purpose is to let ASan check them.
inline void keep(unsigned value) { __asm__ volatile("" : : "r"(value)); }

inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// The input split at the first NUL byte (which no JSON text can hold), for
// targets that read two files at once; without one, all of it is the first.
inline std::pair<std::string_view, std::string_view> split_at_nul(std::string_view input) {
    const size_t at = input.find('\0');
    if (at == std::string_view::npos) return {input, {}};
    return {input.substr(0, at), input.substr(at + 1)};
}

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF),
// written out here so that the targets do not judge the parsers by their own
// decoder.
inline bool is_valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        size_t len;
        char32_t cp;
        if (b < 0x80) {
            ++i;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            len = 2, cp = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3, cp = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4, cp = b & 0x07;
        } else {
            return false;
        }
        if (i + len > s.size()) return false;
        for (size_t k = 1; k < len; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = cp << 6 | (c & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

// Runs parse(); a FileError must name `file` (or `other_file`, for parsers of
// two files) and say what is wrong. Returns nothing when the input was refused.
template <typename F>
auto accepted(F&& parse, const std::string& file, const std::string& other_file = {})
    -> std::optional<decltype(parse())> {
    try {
        return parse();
    } catch (const fabula::FileError& e) {
        FUZZ_CHECK(e.path() == file || (!other_file.empty() && e.path() == other_file));
        FUZZ_CHECK(std::string_view(e.what()).size() > e.path().size() + 2);
        return std::nullopt;
    }
}

} // namespace fabula_fuzz
