#pragma once
// UTF-8 decoding that never trusts its input. Ill-formed bytes are reported as
// the "maximal subpart" of Unicode 15 §3.9 (the same rule as Python's
// errors="replace" and the WHATWG decoder), so every consumer agrees on how
// many U+FFFD a broken sequence becomes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fabula::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

struct Decoded {
    enum class Kind : uint8_t {
        Valid,     // cp holds the character
        Truncated, // a valid start that the end of the input cuts off
        Invalid,   // can never become a character
    };
    Kind kind;
    uint8_t length; // bytes taken: the character, or the maximal subpart (>= 1)
    char32_t cp;    // only for Valid
};

// Decodes the sequence starting at s[pos]; pos < s.size().
Decoded decode(std::string_view s, size_t pos);

void append(std::string& out, char32_t cp);

// Appends the well-formed characters of `in` to `out`, each ill-formed
// maximal subpart as U+FFFD. With final == false a truncated sequence at the
// end is left alone so that more bytes can complete it; the return value is
// the number of bytes of `in` consumed.
size_t append_sanitized(std::string_view in, std::string& out, bool final);

} // namespace fabula::utf8
