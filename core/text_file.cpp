#include "core/text_file.h"

#include "core/json_file.h"
#include "core/utf8.h"

namespace fabula {

std::string TextFault::message() const {
    const std::string at = std::to_string(offset);
    if (kind == Kind::Binary)
        return "looks like a binary file, not text (a NUL byte at byte offset " + at +
               "); if it is text, save it as UTF-8";
    return "not valid UTF-8 text at byte offset " + at + "; save the file with the UTF-8 encoding";
}

std::size_t utf8_bom_length(std::string_view bytes) { return bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0; }

std::size_t first_invalid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) { // most prose is ASCII
            ++i;
            continue;
        }
        const utf8::Decoded d = utf8::decode(s, i);
        if (d.kind != utf8::Decoded::Kind::Valid) return i;
        i += d.length;
    }
    return std::string_view::npos;
}

std::optional<TextFault> find_text_fault(std::string_view bytes) {
    const std::size_t base = utf8_bom_length(bytes);
    const std::string_view body = bytes.substr(base);
    if (const std::size_t nul = body.find('\0'); nul != std::string_view::npos)
        return TextFault{TextFault::Kind::Binary, base + nul};
    if (const std::size_t bad = first_invalid_utf8(body); bad != std::string_view::npos)
        return TextFault{TextFault::Kind::InvalidUtf8, base + bad};
    return std::nullopt;
}

std::string to_lf(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\r') {
            out += text[i];
        } else {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        }
    }
    return out;
}

std::string text_from_bytes(std::string_view bytes, const std::string& name) {
    if (const auto fault = find_text_fault(bytes)) throw TextFileError(name, *fault);
    return to_lf(bytes.substr(utf8_bom_length(bytes)));
}

std::string read_text_file(const std::filesystem::path& path) {
    return text_from_bytes(read_file(path), path.string());
}

} // namespace fabula
