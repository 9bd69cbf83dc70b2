// A writer's text file (core/text_file.h): what is text, what is refused with
// which offset, and what reading it changes (the BOM, the line endings).
#include "check.h"
#include "scratch_dir.h"
#include "core/error.h"
#include "core/text_file.h"

#include <fstream>

using namespace fabula;
namespace fs = std::filesystem;

namespace {

using Scratch = fabula_test::ScratchDir;

fs::path put(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

// The fault text_from_bytes throws, or a failure when it throws none.
TextFault fault_of(const std::string& bytes) {
    try {
        (void)text_from_bytes(bytes, "draft.txt");
    } catch (const TextFileError& e) {
        CHECK(std::string(e.what()).starts_with("draft.txt: "));
        CHECK_EQ(e.path(), std::string("draft.txt"));
        return e.fault();
    }
    ::fabula_test::fail(__FILE__, __LINE__, "no TextFileError for " + bytes);
}

} // namespace

TEST_CASE(bom_is_dropped_and_line_endings_become_lf) {
    CHECK_EQ(text_from_bytes("\xEF\xBB\xBF" "One.\r\nTwo.\rThree.\n\r\n", "a.txt"),
             std::string("One.\nTwo.\nThree.\n\n"));
    // Only a leading BOM is the encoding's mark; one later is a character.
    CHECK_EQ(text_from_bytes("a\xEF\xBB\xBF", "a.txt"), std::string("a\xEF\xBB\xBF"));
    CHECK_EQ(text_from_bytes("", "a.txt"), std::string());
    CHECK_EQ(text_from_bytes("\xEF\xBB\xBF", "a.txt"), std::string());
    CHECK_EQ(text_from_bytes("Café — «ça» 日本 😀", "a.txt"), std::string("Café — «ça» 日本 😀"));
}

TEST_CASE(invalid_utf8_is_refused_at_its_byte_offset) {
    // Each ill-formed kind (Unicode §3.9 table 3-7), at a known offset.
    const struct {
        std::string bytes;
        std::size_t offset;
    } cases[] = {
        {"Mara wrote \xFF\xFE a letter.", 11},   // never a UTF-8 byte
        {"ab\x80", 2},                            // a lone continuation byte
        {"\xC0\xAF", 0},                          // overlong '/'
        {"x\xE0\x80\x80", 1},                     // overlong three-byte form
        {"xy\xED\xA0\x80", 2},                    // a UTF-16 surrogate
        {"\xF4\x90\x80\x80", 0},                  // past U+10FFFF
        {"cut at the end \xE2\x82", 15},          // truncated
        {"caf\xE9", 3},                           // Latin-1
    };
    for (const auto& c : cases) {
        const TextFault f = fault_of(c.bytes);
        CHECK(f.kind == TextFault::Kind::InvalidUtf8);
        CHECK_EQ(f.offset, c.offset);
        CHECK_EQ(first_invalid_utf8(c.bytes), c.offset);
    }
    // Offsets count the file as stored: the BOM is in them.
    const TextFault f = fault_of("\xEF\xBB\xBF" "ok \xC3\x28");
    CHECK_EQ(f.offset, std::size_t(6));
    CHECK_EQ(f.message(), std::string("not valid UTF-8 text at byte offset 6; save the file with the UTF-8 encoding"));
    CHECK_EQ(first_invalid_utf8("plain \xC3\xA9 text"), std::string_view::npos);
}

TEST_CASE(a_nul_byte_is_a_binary_file_even_after_invalid_utf8) {
    TextFault f = fault_of(std::string("Mara\0\x01\x02", 7));
    CHECK(f.kind == TextFault::Kind::Binary);
    CHECK_EQ(f.offset, std::size_t(4));
    CHECK(f.message().starts_with("looks like a binary file, not text (a NUL byte at byte offset 4)"));
    // A PNG header: invalid UTF-8 at 0, a NUL at 8.
    f = fault_of(std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16));
    CHECK(f.kind == TextFault::Kind::Binary);
    CHECK_EQ(f.offset, std::size_t(8));
    f = fault_of(std::string("\xEF\xBB\xBF\0", 4));
    CHECK_EQ(f.offset, std::size_t(3));
}

TEST_CASE(files_are_read_or_named_with_their_problem) {
    Scratch dir;
    const fs::path ok = put(dir.path / "draft.txt", "\xEF\xBB\xBF" "Line one.\r\nLine two.\r\n");
    CHECK_EQ(read_text_file(ok), std::string("Line one.\nLine two.\n"));
    const fs::path bad = put(dir.path / "latin1.txt", "Ein sch\xF6ner Tag");
    CHECK_THROWS_WITH(TextFileError, read_text_file(bad), bad.string() + ": not valid UTF-8 text at byte offset 7");
    const fs::path bin = put(dir.path / "photo.txt", std::string("\xFF\xD8\xFF\xE0\0\x10JFIF", 10));
    CHECK_THROWS_WITH(TextFileError, read_text_file(bin), bin.string() + ": looks like a binary file");
    CHECK_THROWS_WITH(TextFileError, read_text_file(bin), "byte offset 4");
    CHECK_THROWS_WITH(FileError, read_text_file(dir.path / "missing.txt"),
                      (dir.path / "missing.txt").string() + ": file not found");
    CHECK_THROWS_WITH(FileError, read_text_file(dir.path), "is a folder");
}

TEST_CASE(to_lf_keeps_everything_but_carriage_returns) {
    CHECK_EQ(to_lf("a\r\n\r\nb\r\r\nc\n"), std::string("a\n\nb\n\nc\n"));
    CHECK_EQ(to_lf("\r"), std::string("\n"));
    CHECK_EQ(to_lf("no breaks"), std::string("no breaks"));
    CHECK_EQ(utf8_bom_length("\xEF\xBB\xBFx"), std::size_t(3));
    CHECK_EQ(utf8_bom_length("\xEF\xBB"), std::size_t(0));
}

FABULA_TEST_MAIN
