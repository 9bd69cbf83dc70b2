#pragma once
// A writer's text file as every part of Fabula reads it: UTF-8 with the BOM
// dropped and line endings as LF. One reader for fabula-cli --prompt-file,
// the app's Import and the story files training reads, so a file reads the
// same everywhere and a bad one is refused in the same words, with the byte
// offset where it goes wrong.
#include "core/error.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace fabula {

// Why bytes are not a writer's text.
struct TextFault {
    enum class Kind {
        Binary,      // a NUL byte: a picture or a word processor's file, not text
        InvalidUtf8, // another encoding, or damaged text
    };
    Kind kind;
    std::size_t offset; // into the bytes as stored, BOM included

    // "looks like a binary file, not text (a NUL byte at byte offset 4); ..."
    // or "not valid UTF-8 text at byte offset 11; ...", with what to do.
    std::string message() const;
};

// A FileError for a fault, which it keeps for callers that word the problem
// themselves (the app's translated messages).
class TextFileError : public FileError {
public:
    TextFileError(const std::string& path, TextFault fault) : FileError(path, fault.message()), fault_(fault) {}
    const TextFault& fault() const { return fault_; }

private:
    TextFault fault_;
};

// 3 when bytes start with the UTF-8 byte order mark, else 0.
std::size_t utf8_bom_length(std::string_view bytes);

// Offset of the first byte that does not start a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points past U+10FFFF included), or
// std::string_view::npos.
std::size_t first_invalid_utf8(std::string_view s);

// The first fault of bytes after their BOM. A NUL byte anywhere wins over
// invalid UTF-8 before it: a binary file's header is often not UTF-8, and
// "binary file" is what the writer needs to hear.
std::optional<TextFault> find_text_fault(std::string_view bytes);

// CRLF and a lone CR become LF.
std::string to_lf(std::string_view text);

// bytes read from the file `name` as text: checked, the BOM dropped, LF line
// endings. Throws TextFileError for a fault.
std::string text_from_bytes(std::string_view bytes, const std::string& name);

// The file's text as text_from_bytes makes it. Throws FileError for a missing,
// unreadable file or a folder, TextFileError for bytes that are not text.
std::string read_text_file(const std::filesystem::path& path);

} // namespace fabula
