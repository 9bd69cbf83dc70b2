#include "core/utf8.h"

namespace fabula::utf8 {

Decoded decode(std::string_view s, size_t pos) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
    const size_t avail = s.size() - pos;
    const unsigned char b0 = p[0];
    if (b0 < 0x80) return {Decoded::Kind::Valid, 1, b0};

    // Table 3-7 of the Unicode standard: the lead byte fixes the length and the
    // range of the second byte (which excludes overlongs, surrogates and
    // code points above U+10FFFF); later bytes are plain continuations.
    int need;
    unsigned char lo = 0x80, hi = 0xBF;
    char32_t cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        cp = b0 & 0x0F;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        cp = b0 & 0x07;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return {Decoded::Kind::Invalid, 1, 0};
    }
    for (int i = 1; i <= need; ++i) {
        if (static_cast<size_t>(i) >= avail) return {Decoded::Kind::Truncated, static_cast<uint8_t>(i), 0};
        const unsigned char b = p[i];
        if (b < lo || b > hi) return {Decoded::Kind::Invalid, static_cast<uint8_t>(i), 0};
        cp = (cp << 6) | (b & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    return {Decoded::Kind::Valid, static_cast<uint8_t>(need + 1), cp};
}

void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

size_t append_sanitized(std::string_view in, std::string& out, bool final) {
    size_t pos = 0;
    while (pos < in.size()) {
        // Runs of ASCII are by far the common case; copy them in one go.
        size_t ascii_end = pos;
        while (ascii_end < in.size() && static_cast<unsigned char>(in[ascii_end]) < 0x80) ++ascii_end;
        out.append(in.data() + pos, ascii_end - pos);
        pos = ascii_end;
        if (pos == in.size()) break;

        const Decoded d = decode(in, pos);
        if (d.kind == Decoded::Kind::Valid) {
            out.append(in.data() + pos, d.length);
        } else if (d.kind == Decoded::Kind::Truncated && !final) {
            return pos;
        } else {
            append(out, kReplacement);
        }
        pos += d.length;
    }
    return pos;
}

} // namespace fabula::utf8
