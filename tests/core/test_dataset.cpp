// Story collections, the token cache and the dataset, on real files in a
// temporary folder. The tokenizer cases use the GPT-2 files from
// $FABULA_SHARED_DIR/data/gpt2.
#include "check.h"

#include "core/error.h"
#include "core/tokenizer.h"
#include "training/dataset.h"
#include "training/sha256.h"
#include "training/story_reader.h"
#include "training/token_cache.h"
#include "training/train_contract.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace fabula::training;
namespace fs = std::filesystem;
using fabula::FileError;
using fabula::UsageError;

// For CHECK_EQ messages.
std::ostream& operator<<(std::ostream& os, const std::vector<std::string>& v) {
    os << "{";
    for (const auto& s : v) os << " \"" << s << "\"";
    return os << " }";
}
namespace fabula::training {
std::ostream& operator<<(std::ostream& os, SplitKind k) {
    return os << (k == SplitKind::None ? "None" : k == SplitKind::ByStory ? "ByStory" : "ByBlock");
}
} // namespace fabula::training

namespace {

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "fabula-test-dataset-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

fs::path write(const fs::path& p, const std::string& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
    return p;
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::string> texts(const Collection& c) {
    std::vector<std::string> out;
    for (const auto& s : c.stories) out.push_back(s.text);
    return out;
}

bool has_problem(const Collection& c, const std::string& needle) {
    for (const auto& p : c.problems)
        if (p.to_string().find(needle) != std::string::npos) return true;
    return false;
}

// UTF-16 of an ASCII/BMP-or-astral string given as code points.
std::string utf16(const std::u32string& text, bool big_endian) {
    std::string out = big_endian ? std::string("\xFE\xFF") : std::string("\xFF\xFE");
    auto put = [&](char16_t u) {
        char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
        if (big_endian) {
            out += hi;
            out += lo;
        } else {
            out += lo;
            out += hi;
        }
    };
    for (char32_t cp : text) {
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put(static_cast<char16_t>(0xD800 + (cp >> 10)));
            put(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
        } else {
            put(static_cast<char16_t>(cp));
        }
    }
    return out;
}

fs::path shared_gpt2_dir() {
    const char* shared = std::getenv("FABULA_SHARED_DIR");
    if (!shared) throw std::runtime_error("FABULA_SHARED_DIR is not set (ctest sets it)");
    return fs::path(shared) / "data" / "gpt2";
}

} // namespace

// ---------------------------------------------------------------- reading

TEST_CASE(folder_reads_txt_and_md_recursively_in_sorted_order) {
    TempDir dir;
    write(dir / "b.txt", "Second story.\n");
    write(dir / "a.md", "\n\n  # First\n\nBody <|endoftext|> stays.\n\n");
    write(dir / "sub/c.TXT", "Third.");
    write(dir / ".git/d.txt", "hidden, not a story");
    write(dir / ".notes.txt", "hidden, not a story");
    write(dir / "cover.jpg", "not text");
    auto c = read_stories(dir.path());
    CHECK_EQ(c.stories.size(), 3u);
    CHECK_EQ(c.stories[0].text, std::string("  # First\n\nBody <|endoftext|> stays."));
    CHECK_EQ(c.stories[1].text, std::string("Second story."));
    CHECK_EQ(c.stories[2].text, std::string("Third."));
    CHECK_EQ(c.stories[0].source, (dir / "a.md").string());
    CHECK_EQ(c.stories[2].source, (dir.path() / "sub" / "c.TXT").string());
    CHECK(c.problems.empty());
}

TEST_CASE(text_file_is_split_on_separator_lines) {
    TempDir dir;
    auto f = write(dir / "stories.txt",
                   "One\n<|endoftext|>\nTwo\nlines\n<|endoftext|>  \t\n\nThree\n <|endoftext|> is not a separator\n"
                   "<|endoftext|>\n");
    auto c = read_stories(f);
    CHECK_EQ(c.stories.size(), 3u);
    CHECK_EQ(c.stories[0].text, std::string("One"));
    CHECK_EQ(c.stories[1].text, std::string("Two\nlines"));
    CHECK_EQ(c.stories[2].text, std::string("Three\n <|endoftext|> is not a separator"));
    CHECK_EQ(c.stories[0].source, f.string() + ":1");
    CHECK_EQ(c.stories[1].source, f.string() + ":3");
    CHECK_EQ(c.stories[2].source, f.string() + ":7");
    CHECK(c.problems.empty()); // the trailing separator is layout, not an empty story
}

TEST_CASE(text_file_custom_separator_and_empty_piece) {
    TempDir dir;
    auto f = write(dir / "s.md", "Alpha\n###\n\n###\nBeta\n");
    ReadOptions opt;
    opt.separator = "###";
    auto c = read_stories(f, opt);
    CHECK_EQ(c.stories.size(), 2u);
    CHECK_EQ(c.stories[1].text, std::string("Beta"));
    CHECK_EQ(c.empty, 1);
    CHECK_EQ(c.problems.size(), 1u);
    CHECK_EQ(c.problems[0].offset_or_line, 3);
    CHECK(c.problems[0].is_line);
    // With the default separator the same file is one story.
    auto whole = read_stories(f);
    CHECK_EQ(whole.stories.size(), 1u);
    CHECK_EQ(whole.stories[0].source, f.string());
}

TEST_CASE(novel_without_separator_is_one_story) {
    TempDir dir;
    std::string novel;
    for (int ch = 1; ch <= 40; ++ch) novel += "Chapter " + std::to_string(ch) + "\n\nIt was a dark night.\n\n";
    auto f = write(dir / "novel.txt", novel);
    auto c = read_stories(f);
    CHECK_EQ(c.stories.size(), 1u);
    CHECK_EQ(c.stories[0].text, novel.substr(0, novel.size() - 2));
}

TEST_CASE(jsonl_reads_field_and_reports_bad_lines) {
    TempDir dir;
    auto f = write(dir / "s.jsonl",
                   "{\"text\": \"First\\r\\nstory\", \"id\": 1}\n"
                   "\n"
                   "{\"text\": \"Second\"}\r\n"
                   "{not json}\n"
                   "[1, 2]\n"
                   "{\"title\": \"x\", \"id\": 3}\n"
                   "{\"text\": 42}\n"
                   "{\"text\": \"Third\"}");
    auto c = read_stories(f);
    CHECK_EQ(texts(c), (std::vector<std::string>{"First\nstory", "Second", "Third"}));
    CHECK_EQ(c.stories[1].source, f.string() + ":3");
    CHECK_EQ(c.stories[2].source, f.string() + ":8");
    CHECK_EQ(c.problems.size(), 4u);
    CHECK_EQ(c.problems[0].offset_or_line, 4);
    CHECK(c.problems[0].is_line);
    CHECK(c.problems[0].message.find("line 4: not valid JSON") != std::string::npos);
    CHECK(has_problem(c, "line 5: not a JSON object"));
    CHECK(has_problem(c, "line 6: no \"text\" field (it has: id, title)"));
    CHECK(has_problem(c, "line 7: \"text\" is number, not a string"));
}

TEST_CASE(jsonl_custom_field_and_invalid_utf8_line) {
    TempDir dir;
    auto f = write(dir / "s.jsonl", "{\"body\": \"ok\"}\n{\"body\": \"bad \xFF byte\"}\n{\"body\": \"also ok\"}\n");
    ReadOptions opt;
    opt.text_field = "body";
    auto c = read_stories(f, opt);
    CHECK_EQ(texts(c), (std::vector<std::string>{"ok", "also ok"}));
    CHECK_EQ(c.problems.size(), 1u);
    CHECK_EQ(c.problems[0].offset_or_line, 2);
    // Offset in the file: 15 bytes of line 1, then `{"body": "bad ` is 14.
    CHECK(c.problems[0].message.find("line 2: not valid UTF-8 text at byte offset 29") != std::string::npos);
}

TEST_CASE(csv_rfc4180_quoting) {
    TempDir dir;
    auto f = write(dir / "s.csv",
                   "id,text,author\r\n"
                   "1,Plain story,Ann\r\n"
                   "2,\"She said \"\"hi\"\", then left.\",Bo\r\n"
                   "3,\"Line one\r\nLine two, with comma\",Cy\r\n"
                   "\r\n"
                   "4,A 5\" tall hero,Di\r\n"
                   "5\r\n"
                   "6,\"\",Ed\n");
    auto c = read_stories(f);
    CHECK_EQ(texts(c), (std::vector<std::string>{"Plain story", "She said \"hi\", then left.",
                                                 "Line one\nLine two, with comma", "A 5\" tall hero"}));
    CHECK_EQ(c.stories[2].source, f.string() + ":4");
    CHECK_EQ(c.stories[3].source, f.string() + ":7");
    CHECK(has_problem(c, "line 8: only 1 columns"));
    CHECK_EQ(c.empty, 1);
    CHECK_EQ(c.problems.size(), 2u);
}

TEST_CASE(csv_column_option_and_errors) {
    TempDir dir;
    auto f = write(dir / "s.csv", "Title , Story\nA,\"Once upon a time\"\n");
    ReadOptions opt;
    opt.csv_column = "story"; // matched without case and surrounding spaces
    const auto by_name = read_stories(f, opt);
    CHECK_EQ(by_name.stories.at(0).text, std::string("Once upon a time"));
    CHECK_THROWS_WITH(FileError, read_stories(f), "no column named \"text\" in the header row (the columns are \"Title\", \"Story\")");

    auto open = write(dir / "open.csv", "text\n\"never closed\nstill going\n");
    CHECK_THROWS_WITH(FileError, read_stories(open), "line 2: a quoted field is never closed");
    auto after = write(dir / "after.csv", "text\n\"quoted\"tail\n");
    CHECK_THROWS_WITH(FileError, read_stories(after), "line 2: text after the closing quote");
}

TEST_CASE(encodings_bom_utf16_and_line_endings) {
    TempDir dir;
    write(dir / "1-bom.txt", "\xEF\xBB\xBFWith BOM\r\nsecond line\rthird");
    write(dir / "2-le.txt", utf16(U"Caf\u00e9 \U0001F600\r\nnext", false));
    write(dir / "3-be.txt", utf16(U"Na\u00efve \U0001F4D6\rend", true));
    auto c = read_stories(dir.path());
    CHECK_EQ(texts(c), (std::vector<std::string>{"With BOM\nsecond line\nthird", "Caf\xC3\xA9 \xF0\x9F\x98\x80\nnext",
                                                 "Na\xC3\xAFve \xF0\x9F\x93\x96\nend"}));
    // UTF-16 JSONL and CSV go through the same decoding.
    auto j = write(dir / "x.jsonl", utf16(U"{\"text\": \"\u00e9t\u00e9\"}\r\n", false));
    const auto from_jsonl = read_stories(j);
    CHECK_EQ(from_jsonl.stories.at(0).text, std::string("\xC3\xA9t\xC3\xA9"));
    auto v = write(dir / "x.csv", utf16(U"text\r\n\u00e9t\u00e9\r\n", true));
    const auto from_csv = read_stories(v);
    CHECK_EQ(from_csv.stories.at(0).text, std::string("\xC3\xA9t\xC3\xA9"));
}

TEST_CASE(invalid_utf8_names_file_and_byte_offset) {
    TempDir dir;
    write(dir / "a.txt", "Fine story.");
    auto bad = write(dir / "b.txt", "Hello \xC3\x28 world");
    auto bom = write(dir / "c.txt", "\xEF\xBB\xBFok \xC0\xAF overlong");
    auto sur = write(dir / "d.txt", "x\xED\xA0\x80 surrogate");
    auto cut = write(dir / "e.txt", "cut at the end \xE2\x82");
    auto c = read_stories(dir.path());
    CHECK_EQ(c.stories.size(), 1u);
    CHECK_EQ(c.problems.size(), 4u);
    CHECK_EQ(c.problems[0].path, bad.string());
    CHECK_EQ(c.problems[0].offset_or_line, 6);
    CHECK(!c.problems[0].is_line);
    CHECK(c.problems[0].to_string().find(bad.string() + ": not valid UTF-8 text at byte offset 6") == 0);
    CHECK_EQ(c.problems[1].offset_or_line, 6); // after the 3-byte BOM
    CHECK_EQ(c.problems[2].offset_or_line, 1);
    CHECK_EQ(c.problems[3].offset_or_line, 15);
    auto odd = write(dir / "odd.txt", std::string("\xFF\xFE" "a\0b", 5));
    CHECK_THROWS_WITH(FileError, read_stories(odd), "not valid UTF-16 text at byte offset 4");
    auto lone = write(dir / "lone.txt", std::string("\xFF\xFE" "a\0\x00\xDC", 6));
    CHECK_THROWS_WITH(FileError, read_stories(lone), "low surrogate");
}

TEST_CASE(binary_file_is_reported) {
    TempDir dir;
    auto f = write(dir / "image.txt", std::string("PK\x03\x04", 4) + std::string("\0\0\x01", 3) + "rest");
    CHECK_THROWS_WITH(FileError, read_stories(f), "binary file");
    CHECK_THROWS_WITH(FileError, read_stories(f), "NUL byte at byte offset 4");
    write(dir / "story.txt", "A story.");
    auto c = read_stories(dir.path());
    CHECK_EQ(c.stories.size(), 1u);
    CHECK_EQ(c.problems.size(), 1u);
    CHECK_EQ(c.problems[0].offset_or_line, 4);
}

TEST_CASE(empty_and_duplicate_stories_are_counted) {
    TempDir dir;
    write(dir / "a.txt", "Same words.\n");
    write(dir / "b.txt", "  \n\t\n");
    write(dir / "c.txt", "Same words.");
    write(dir / "d.txt", "Other words.");
    ReadOptions dedup;
    dedup.deduplicate = true;
    auto c = read_stories(dir.path(), dedup);
    CHECK_EQ(texts(c), (std::vector<std::string>{"Same words.", "Other words."}));
    CHECK_EQ(c.empty, 1);
    CHECK_EQ(c.duplicates, 1);
    CHECK_EQ(c.problems.size(), 2u);
    CHECK(has_problem(c, "the same story as " + (dir / "a.txt").string()));

    auto keep = read_stories(dir.path()); // eval keeps duplicates
    CHECK_EQ(keep.stories.size(), 3u);
    CHECK_EQ(keep.duplicates, 0);
    CHECK_EQ(keep.empty, 1);
}

TEST_CASE(strict_mode_fails_on_first_problem) {
    TempDir dir;
    write(dir / "a.txt", "Good.");
    write(dir / "b.txt", "\n");
    ReadOptions strict;
    strict.strict = true;
    CHECK_THROWS_WITH(FileError, read_stories(dir.path(), strict), "the story is empty");
    auto f = write(dir / "s.jsonl", "{\"text\": \"ok\"}\n{oops\n");
    CHECK_THROWS_WITH(FileError, read_stories(f, strict), "line 2: not valid JSON");
    CHECK_EQ(read_stories(f).stories.size(), 1u);
}

TEST_CASE(word_processor_documents_get_a_clear_message) {
    TempDir dir;
    auto docx = write(dir / "Novel.DOCX", "PK\x03\x04 zipped xml");
    CHECK_THROWS_WITH(FileError, read_stories(docx), "export it as plain text (.txt) from your word processor");
    write(dir / "story.txt", "Readable.");
    write(dir / "other.odt", "PK");
    auto c = read_stories(dir.path());
    CHECK_EQ(c.stories.size(), 1u);
    CHECK_EQ(c.problems.size(), 2u);
    CHECK(has_problem(c, "this .odt document cannot be read; export it as plain text (.txt)"));
}

TEST_CASE(no_usable_story_and_missing_path_are_errors) {
    TempDir dir;
    CHECK_THROWS_WITH(FileError, read_stories(dir / "nope"), "does not exist");
    CHECK_THROWS_WITH(FileError, read_stories(dir.path()), "no stories found");
    write(dir / "pic.png", "x");
    CHECK_THROWS_WITH(FileError, read_stories(dir.path()), "the folder has no .txt or .md files");
    write(dir / "blank.txt", " \n");
    write(dir / "bad.txt", "\xFF");
    try {
        read_stories(dir.path());
        CHECK(false);
    } catch (const FileError& e) {
        const std::string msg = e.what();
        CHECK(msg.find("no stories found in " + dir.path().string()) != std::string::npos);
        CHECK(msg.find("1 empty story") != std::string::npos);
        CHECK(msg.find("bad.txt: not valid UTF-8 text at byte offset 0") != std::string::npos);
        CHECK_EQ(e.path(), dir.path().string());
    }
    auto empty_file = write(dir / "empty.jsonl", "");
    CHECK_THROWS_WITH(FileError, read_stories(empty_file), "no stories found");
}

// ---------------------------------------------------------------- dataset

namespace {

// Distinct ids so that order and coverage are visible; 0 is the end-of-text id.
std::vector<std::vector<std::int32_t>> numbered_stories(const std::vector<int>& lengths) {
    std::vector<std::vector<std::int32_t>> out;
    std::int32_t next = 1;
    for (int len : lengths) {
        std::vector<std::int32_t> s(static_cast<std::size_t>(len));
        for (auto& id : s) id = next++;
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<std::int32_t> packed(const std::vector<std::vector<std::int32_t>>& stories, std::int32_t eot) {
    std::vector<std::int32_t> out;
    for (const auto& s : stories) {
        out.insert(out.end(), s.begin(), s.end());
        out.push_back(eot);
    }
    return out;
}

std::vector<std::int32_t> all_rows(const Dataset& d, Split split) {
    std::vector<std::int32_t> out;
    for (std::size_t i = 0; i < d.rows(split); ++i) {
        auto r = d.row(split, i);
        out.insert(out.end(), r.begin(), r.end());
    }
    return out;
}

std::vector<std::size_t> iota_rows(std::size_t n) {
    std::vector<std::size_t> v(n);
    std::iota(v.begin(), v.end(), 0);
    return v;
}

} // namespace

TEST_CASE(pack_covers_every_token_once_in_order) {
    const auto stories = numbered_stories({5, 1, 17, 3, 9, 0, 2});
    DatasetOptions opt;
    opt.block_size = 7;
    opt.val_fraction = 0;
    Dataset d(TokenizedStories::from_vectors(stories), 0, opt);
    const auto expected = packed(stories, 0);
    CHECK_EQ(expected.size(), 44u);
    CHECK_EQ(d.split_kind(), SplitKind::None);
    CHECK_EQ(d.rows(Split::Train), 7u); // 6 full rows + one of 2
    CHECK_EQ(d.rows(Split::Val), 0u);
    CHECK(all_rows(d, Split::Train) == expected);

    auto b = d.batch(Split::Train, iota_rows(7));
    CHECK_EQ(b.rows, 7);
    CHECK_EQ(b.cols, 7);
    CHECK_EQ(b.input_ids.size(), 49u);
    for (std::size_t i = 0; i < 44; ++i) {
        CHECK_EQ(b.input_ids[i], expected[i]);
        CHECK_EQ(b.labels[i], expected[i]);
        CHECK_EQ(int(b.attention_mask[i]), 1);
    }
    for (std::size_t i = 44; i < 49; ++i) {
        CHECK_EQ(b.input_ids[i], 0);
        CHECK_EQ(b.labels[i], kIgnoreLabel);
        CHECK_EQ(int(b.attention_mask[i]), 0);
    }
    CHECK_EQ(b.lengths.back(), 2);
    CHECK_EQ(b.real_tokens(), 44);
    CHECK_EQ(b.predicted_tokens(), 6 * 6 + 1);
    // A batch of full rows only has no padding at all.
    auto full = d.batch(Split::Train, std::vector<std::size_t>{3, 0});
    CHECK_EQ(full.cols, 7);
    CHECK_EQ(full.input_ids[0], expected[21]);
    CHECK_EQ(full.input_ids[7], expected[0]);
}

TEST_CASE(pad_truncates_and_masks_padding_only) {
    const auto stories = numbered_stories({2, 4, 5, 9});
    DatasetOptions opt;
    opt.block_size = 5;
    opt.batching = Batching::Pad;
    opt.val_fraction = 0;
    const std::int32_t eot = 999;
    Dataset d(TokenizedStories::from_vectors(stories), eot, opt);
    CHECK_EQ(d.rows(Split::Train), 4u);
    CHECK_EQ(d.truncated_stories(), 2u); // 5 + eot and 9 + eot do not fit
    CHECK(d.row(Split::Train, 0) == (std::vector<std::int32_t>{1, 2, eot}));
    CHECK(d.row(Split::Train, 1) == (std::vector<std::int32_t>{3, 4, 5, 6, eot}));
    CHECK(d.row(Split::Train, 2) == (std::vector<std::int32_t>{7, 8, 9, 10, 11}));
    CHECK(d.row(Split::Train, 3) == (std::vector<std::int32_t>{12, 13, 14, 15, 16}));

    auto b = d.batch(Split::Train, std::vector<std::size_t>{0, 1});
    CHECK_EQ(b.cols, 5);
    CHECK(b.input_ids == (std::vector<std::int32_t>{1, 2, eot, eot, eot, 3, 4, 5, 6, eot}));
    CHECK(b.labels == (std::vector<std::int32_t>{1, 2, eot, kIgnoreLabel, kIgnoreLabel, 3, 4, 5, 6, eot}));
    CHECK(b.attention_mask == (std::vector<std::uint8_t>{1, 1, 1, 0, 0, 1, 1, 1, 1, 1}));
    CHECK_EQ(b.predicted_tokens(), 2 + 4);
    // Only as wide as the longest row in the batch.
    auto narrow = d.batch(Split::Train, std::vector<std::size_t>{0});
    CHECK_EQ(narrow.cols, 3);

    auto st = d.stats(2, 1);
    CHECK_EQ(st.truncated_stories, 2u);
    CHECK_EQ(st.truncated_tokens, 1 + 5);
    CHECK_EQ(st.train.tokens, 3 + 5 + 5 + 5);
}

TEST_CASE(split_by_story_with_many_stories) {
    std::vector<int> lengths;
    for (int i = 0; i < 25; ++i) lengths.push_back(3 + (i * 7) % 11);
    const auto stories = numbered_stories(lengths);
    DatasetOptions opt;
    opt.block_size = 8;
    opt.val_fraction = 0.2;
    opt.seed = 7;
    Dataset d(TokenizedStories::from_vectors(stories), 0, opt);
    CHECK_EQ(d.split_kind(), SplitKind::ByStory);

    // Each story's ids are consecutive numbers, so the first id tells it apart.
    auto story_set = [&](const std::vector<std::int32_t>& stream) {
        std::set<std::size_t> out;
        for (std::size_t s = 0; s < stories.size(); ++s)
            if (std::find(stream.begin(), stream.end(), stories[s][0]) != stream.end()) out.insert(s);
        return out;
    };
    const auto train = all_rows(d, Split::Train), val = all_rows(d, Split::Val);
    const auto train_set = story_set(train), val_set = story_set(val);
    CHECK_EQ(val_set.size(), 5u);
    CHECK_EQ(train_set.size() + val_set.size(), 25u);
    std::vector<std::vector<std::int32_t>> val_stories, train_stories;
    for (std::size_t s = 0; s < stories.size(); ++s) (val_set.count(s) ? val_stories : train_stories).push_back(stories[s]);
    CHECK(val == packed(val_stories, 0));
    CHECK(train == packed(train_stories, 0));

    Dataset again(TokenizedStories::from_vectors(stories), 0, opt);
    CHECK(all_rows(again, Split::Val) == val);
    opt.seed = 8;
    Dataset other(TokenizedStories::from_vectors(stories), 0, opt);
    CHECK(story_set(all_rows(other, Split::Val)) != val_set);

    auto st = d.stats(4, 2);
    CHECK_EQ(st.split, SplitKind::ByStory);
    CHECK_EQ(st.val.stories, 5u);
    CHECK_EQ(st.train.stories, 20u);
    CHECK_EQ(st.train.tokens + st.val.tokens, static_cast<std::int64_t>(packed(stories, 0).size()));

    // Twenty stories with a tiny fraction still hold out one.
    lengths.resize(20);
    opt.val_fraction = 0.01;
    Dataset twenty(TokenizedStories::from_vectors(numbered_stories(lengths)), 0, opt);
    CHECK_EQ(twenty.split_kind(), SplitKind::ByStory);
    CHECK_EQ(twenty.stats(1, 1).val.stories, 1u);
}

TEST_CASE(split_by_block_with_three_novels) {
    const auto stories = numbered_stories({1000, 1500, 700});
    DatasetOptions opt;
    opt.block_size = 64;
    Dataset d(TokenizedStories::from_vectors(stories), 0, opt);
    CHECK_EQ(d.split_kind(), SplitKind::ByBlock);
    const std::size_t blocks = (3203 + 63) / 64; // 51
    CHECK_EQ(d.rows(Split::Train) + d.rows(Split::Val), blocks);
    CHECK_EQ(d.rows(Split::Val), 3u); // round(0.05 * 51)

    // Together the rows are exactly the blocks of the packed stream.
    const auto stream = packed(stories, 0);
    std::multiset<std::vector<std::int32_t>> expected, got;
    for (std::size_t b = 0; b < blocks; ++b)
        expected.insert(std::vector<std::int32_t>(stream.begin() + b * 64, stream.begin() + std::min<std::size_t>(stream.size(), (b + 1) * 64)));
    for (auto split : {Split::Train, Split::Val})
        for (std::size_t i = 0; i < d.rows(split); ++i) got.insert(d.row(split, i));
    CHECK(got == expected);

    auto st = d.stats(8, 1);
    CHECK_EQ(st.val.rows, 3u);
    CHECK(st.val.stories >= 1);
    CHECK_EQ(st.train.stories, 3u);

    // One block only: nothing to hold out.
    opt.block_size = 4096;
    Dataset one(TokenizedStories::from_vectors(stories), 0, opt);
    CHECK_EQ(one.split_kind(), SplitKind::None);
    CHECK_EQ(one.rows(Split::Val), 0u);
    // Pad batching with few stories holds out whole stories.
    opt.block_size = 64;
    opt.batching = Batching::Pad;
    Dataset pad(TokenizedStories::from_vectors(stories), 0, opt);
    CHECK_EQ(pad.split_kind(), SplitKind::ByStory);
    CHECK_EQ(pad.rows(Split::Val), 1u);
    CHECK_EQ(pad.rows(Split::Train), 2u);
}

TEST_CASE(dataset_rejects_bad_options) {
    auto s = TokenizedStories::from_vectors({{1, 2, 3}});
    DatasetOptions opt;
    opt.block_size = 1;
    CHECK_THROWS_WITH(UsageError, Dataset(s, 0, opt), "block size");
    opt.block_size = 8;
    opt.val_fraction = 1.0;
    CHECK_THROWS_WITH(UsageError, Dataset(s, 0, opt), "validation fraction");
    opt.val_fraction = 0;
    Dataset d(s, 0, opt);
    CHECK_THROWS_WITH(UsageError, d.stats(0, 1), "batch size");
    CHECK_THROWS_WITH(UsageError, d.batch(Split::Train, std::vector<std::size_t>{1}), "past the 1 rows");
}

TEST_CASE(sampler_is_deterministic_and_resumable) {
    Sampler a(10, 4, 123);
    CHECK_EQ(a.batches_per_epoch(), 3u);
    std::vector<std::vector<std::size_t>> epoch0;
    for (int i = 0; i < 3; ++i) epoch0.push_back(a.next());
    CHECK_EQ(epoch0[0].size(), 4u);
    CHECK_EQ(epoch0[2].size(), 2u); // drop_last = false
    CHECK(a.position() == (SamplerPosition{1, 0}));
    std::vector<std::size_t> seen;
    for (const auto& b : epoch0) seen.insert(seen.end(), b.begin(), b.end());
    std::vector<std::size_t> sorted = seen;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == iota_rows(10));
    CHECK(seen != iota_rows(10));
    CHECK(a.epoch_order(0) == seen);
    CHECK(a.epoch_order(1) != a.epoch_order(0));

    // Same seed: same batches; another seed: another order.
    Sampler same(10, 4, 123);
    CHECK(same.next() == epoch0[0]);
    CHECK(Sampler(10, 4, 124).epoch_order(0) != a.epoch_order(0));

    // Resume mid-epoch in a fresh sampler: the same batches follow.
    Sampler run(10, 4, 123);
    for (int i = 0; i < 5; ++i) run.next();
    const SamplerPosition saved = run.position();
    CHECK(saved == (SamplerPosition{1, 8}));
    std::vector<std::vector<std::size_t>> expected;
    for (int i = 0; i < 4; ++i) expected.push_back(run.next());
    Sampler resumed(10, 4, 123);
    resumed.seek(saved);
    for (int i = 0; i < 4; ++i) CHECK(resumed.next() == expected[i]);
    CHECK(resumed.position() == run.position());

    // Resuming with another batch size continues at the same row.
    Sampler wider(10, 5, 123);
    wider.seek(SamplerPosition{0, 4});
    auto w = wider.next();
    CHECK(std::vector<std::size_t>(w.begin(), w.end()) ==
          std::vector<std::size_t>(seen.begin() + 4, seen.begin() + 9));

    Sampler end(10, 4, 123);
    end.seek(SamplerPosition{2, 10});
    CHECK(end.position() == (SamplerPosition{3, 0}));
    CHECK_THROWS_WITH(UsageError, end.seek(SamplerPosition{0, 11}), "row 11");
    Sampler ordered(5, 2, 1, false);
    CHECK(ordered.next() == (std::vector<std::size_t>{0, 1}));
    CHECK(Sampler(0, 2, 1).next().empty());
}

TEST_CASE(stats_for_prepare) {
    // Lengths 1..100: p50 = 50, p90 = 90, p99 = 99, max = 100.
    std::vector<int> lengths(100);
    std::iota(lengths.begin(), lengths.end(), 1);
    DatasetOptions opt;
    opt.block_size = 32;
    opt.batching = Batching::Pad;
    opt.val_fraction = 0.1;
    Dataset d(TokenizedStories::from_vectors(numbered_stories(lengths)), 0, opt);
    Collection c;
    c.problems.resize(3);
    c.empty = 1;
    c.duplicates = 2;
    auto st = d.stats(8, 4, &c);
    CHECK_EQ(st.stories, 100u);
    CHECK_EQ(st.tokens, 5050);
    CHECK_EQ(st.story_tokens.p50, 50);
    CHECK_EQ(st.story_tokens.p90, 90);
    CHECK_EQ(st.story_tokens.p99, 99);
    CHECK_EQ(st.story_tokens.max, 100);
    CHECK_EQ(st.train.rows, 90u);
    CHECK_EQ(st.val.rows, 10u);
    CHECK_EQ(st.batches_per_epoch, 12u); // ceil(90 / 8)
    CHECK_EQ(st.steps_per_epoch, 3u);    // ceil(12 / 4)
    CHECK_EQ(st.truncated_stories, 69u); // lengths 32..100 (+ eot) exceed 32
    CHECK_EQ(st.problems, 3u);
    CHECK_EQ(st.duplicates, 2);
    CHECK(st.useful_token_fraction > 0.5 && st.useful_token_fraction < 1.0);
    // Recompute the fraction from the actual epoch-0 batches.
    Sampler s(d.rows(Split::Train), 8, opt.seed);
    std::int64_t real = 0, area = 0;
    for (std::size_t i = 0; i < s.batches_per_epoch(); ++i) {
        auto b = d.batch(Split::Train, s.next());
        real += b.real_tokens();
        area += static_cast<std::int64_t>(b.input_ids.size());
    }
    CHECK_NEAR(st.useful_token_fraction, double(real) / double(area), 1e-12);
    const std::string text = st.describe();
    CHECK(text.find("Stories: 100 (3 problems skipped, 1 empty, 2 duplicates)") != std::string::npos);
    CHECK(text.find("Steps per epoch: 3 (12 batches of 8, accumulating 4)") != std::string::npos);
    CHECK(text.find("Truncated: 69 stories") != std::string::npos);
}

// ---------------------------------------------------------------- cache

TEST_CASE(sha256_matches_known_digests) {
    auto hex = [](std::string_view s) {
        Sha256 h;
        h.update(s);
        return Sha256::hex(h.finish());
    };
    CHECK_EQ(hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    CHECK_EQ(hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    CHECK_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
             std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    // Fed in odd pieces, the digest is the same.
    std::string million(1000000, 'a');
    Sha256 h;
    for (std::size_t i = 0; i < million.size(); i += 997) h.update(std::string_view(million).substr(i, 997));
    CHECK_EQ(Sha256::hex(h.finish()), std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

namespace {

std::vector<Story> sample_stories(int n) {
    std::vector<Story> out;
    for (int i = 0; i < n; ++i)
        out.push_back(Story{"Story number " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 13), '!'), "s"});
    return out;
}

// A stand-in tokenizer: one id per byte, counting its calls.
struct CountingEncoder {
    std::atomic<int> calls{0};
    EncodeFn fn() {
        return [this](std::string_view text) {
            ++calls;
            std::vector<std::int32_t> ids;
            for (unsigned char c : text) ids.push_back(c);
            return ids;
        };
    }
};

void check_bytes_tokenized(const TokenizedStories& t, const std::vector<Story>& stories) {
    CHECK_EQ(t.size(), stories.size());
    for (std::size_t i = 0; i < stories.size(); ++i) {
        auto ids = t.story(i);
        CHECK_EQ(ids.size(), stories[i].text.size());
        for (std::size_t k = 0; k < ids.size(); ++k) CHECK_EQ(ids[k], int(static_cast<unsigned char>(stories[i].text[k])));
    }
}

} // namespace

TEST_CASE(token_cache_hit_on_second_run) {
    TempDir dir;
    const auto stories = sample_stories(50);
    CountingEncoder enc;
    TokenizeOptions opt;
    opt.cache_dir = dir / "cache/tokens";
    auto first = tokenize_stories(stories, enc.fn(), "tok-a", opt);
    CHECK(!first.cache_hit());
    CHECK_EQ(enc.calls.load(), 50);
    CHECK(fs::exists(first.cache_file()));
    CHECK(first.cache_warning().empty());
    check_bytes_tokenized(first, stories);

    auto second = tokenize_stories(stories, enc.fn(), "tok-a", opt);
    CHECK(second.cache_hit());
    CHECK_EQ(enc.calls.load(), 50); // nothing tokenized again
    CHECK_EQ(second.cache_file(), first.cache_file());
    check_bytes_tokenized(second, stories);
    CHECK_EQ(second.total_tokens(), first.total_tokens());

    // Another tokenizer, or changed text, is another cache entry.
    auto other_tok = tokenize_stories(stories, enc.fn(), "tok-b", opt);
    CHECK(!other_tok.cache_hit());
    auto changed = stories;
    changed[10].text += " (revised)";
    auto other_text = tokenize_stories(changed, enc.fn(), "tok-a", opt);
    CHECK(!other_text.cache_hit());
    CHECK(other_text.cache_file() != first.cache_file());
    check_bytes_tokenized(other_text, changed);
    // No temporary files are left behind.
    int files = 0;
    for (const auto& e : fs::directory_iterator(opt.cache_dir)) {
        CHECK(e.path().extension() == ".tokens");
        ++files;
    }
    CHECK_EQ(files, 3);

    // No cache folder: tokenized every time.
    const int before = enc.calls.load();
    auto uncached = tokenize_stories(stories, enc.fn(), "tok-a", TokenizeOptions{});
    CHECK(!uncached.cache_hit());
    CHECK(uncached.cache_file().empty());
    CHECK_EQ(enc.calls.load(), before + 50);
}

TEST_CASE(token_cache_rebuilds_corrupt_or_truncated_file) {
    TempDir dir;
    const auto stories = sample_stories(30);
    CountingEncoder enc;
    TokenizeOptions opt;
    opt.cache_dir = dir.path();
    const fs::path file = tokenize_stories(stories, enc.fn(), "t", opt).cache_file();
    const std::string good = read_all(file);

    std::string flipped = good;
    flipped[flipped.size() - 3] ^= 0x40; // inside the last story's ids
    write(file, flipped);
    auto a = tokenize_stories(stories, enc.fn(), "t", opt);
    CHECK(!a.cache_hit());
    CHECK_EQ(enc.calls.load(), 60);
    check_bytes_tokenized(a, stories);
    CHECK(read_all(file) == good);

    write(file, good.substr(0, good.size() - 4));
    CHECK(!tokenize_stories(stories, enc.fn(), "t", opt).cache_hit());
    write(file, good.substr(0, 40));
    CHECK(!tokenize_stories(stories, enc.fn(), "t", opt).cache_hit());
    write(file, "");
    CHECK(!tokenize_stories(stories, enc.fn(), "t", opt).cache_hit());
    std::string bad_count = good;
    bad_count[48] ^= 1; // story count
    write(file, bad_count);
    CHECK(!tokenize_stories(stories, enc.fn(), "t", opt).cache_hit());
    CHECK_EQ(enc.calls.load(), 60 + 4 * 30);

    auto again = tokenize_stories(stories, enc.fn(), "t", opt);
    CHECK(again.cache_hit());
    check_bytes_tokenized(again, stories);
}

TEST_CASE(token_cache_unwritable_folder_still_gives_ids) {
    TempDir dir;
    write(dir / "a-file", "x");
    TokenizeOptions opt;
    opt.cache_dir = dir / "a-file/cache";
    CountingEncoder enc;
    const auto stories = sample_stories(5);
    auto t = tokenize_stories(stories, enc.fn(), "t", opt);
    CHECK(!t.cache_hit());
    CHECK(t.cache_file().empty());
    CHECK(t.cache_warning().find("the token cache was not saved") != std::string::npos);
    check_bytes_tokenized(t, stories);
}

TEST_CASE(token_cache_passes_on_encoder_errors) {
    TokenizeOptions opt;
    opt.workers = 2;
    EncodeFn failing = [](std::string_view text) -> std::vector<std::int32_t> {
        if (text.find("number 17") != std::string_view::npos) throw std::runtime_error("encoder broke");
        return {1};
    };
    CHECK_THROWS_WITH(std::runtime_error, tokenize_stories(sample_stories(40), failing, "t", opt), "encoder broke");
}

// ---------------------------------------------------------------- with GPT-2

TEST_CASE(gpt2_tokenizer_cache_and_dataset_end_to_end) {
    const fs::path gpt2 = shared_gpt2_dir();
    auto tok = fabula::Tokenizer::from_dir(gpt2);
    const std::int32_t eot = tok.end_of_text_id();
    CHECK_EQ(eot, 50256);
    TempDir dir;
    auto f = write(dir / "stories.txt",
                   "Once upon a time, a fox lived in the woods.\n<|endoftext|>\n"
                   "The river ran dry in \xE2\x80\x9Csummer\xE2\x80\x9D.\r\n<|endoftext|>\n"
                   "Caf\xC3\xA9 at night; the end.\n");
    ReadOptions ropt;
    ropt.deduplicate = true;
    auto c = read_stories(f, ropt);
    CHECK_EQ(c.stories.size(), 3u);

    TokenizeOptions topt;
    topt.cache_dir = dir / "cache";
    const auto files = tokenizer_files_in(gpt2);
    CHECK(!files.empty());
    auto t1 = tokenize_stories(c.stories, tok, files, fabula::Tokenizer::EndOfText::Special, topt);
    CHECK(!t1.cache_hit());
    for (std::size_t i = 0; i < c.stories.size(); ++i) {
        auto want = tok.encode(c.stories[i].text);
        auto got = t1.story(i);
        CHECK(std::vector<std::int32_t>(got.begin(), got.end()) == want);
    }
    auto t2 = tokenize_stories(c.stories, tok, files, fabula::Tokenizer::EndOfText::Special, topt);
    CHECK(t2.cache_hit());
    auto t3 = tokenize_stories(c.stories, tok, files, fabula::Tokenizer::EndOfText::AsText, topt);
    CHECK(!t3.cache_hit()); // the eot mode is part of the key

    DatasetOptions dopt;
    dopt.block_size = 16;
    dopt.val_fraction = 0;
    Dataset d(t2, eot, dopt);
    const auto all = all_rows(d, Split::Train);
    CHECK_EQ(all.size(), static_cast<std::size_t>(t2.total_tokens() + 3));
    CHECK_EQ(all[t2.story(0).size()], eot);
    CHECK_EQ(all.back(), eot);
    CHECK_EQ(tok.decode(std::vector<std::int32_t>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(t2.story(0).size()))),
             c.stories[0].text);
}

TEST_CASE(shared_story_collection_reads_and_tokenizes) {
    const fs::path jsonl = shared_gpt2_dir().parent_path() / "stories" / "tinystories_subset.jsonl";
    ReadOptions ropt;
    ropt.deduplicate = true;
    auto c = read_stories(jsonl, ropt);
    CHECK(c.stories.size() > 2000);
    CHECK(c.problems.size() == static_cast<std::size_t>(c.empty + c.duplicates));
    c.stories.resize(200);
    auto tok = fabula::Tokenizer::from_dir(shared_gpt2_dir());
    TempDir dir;
    TokenizeOptions topt;
    topt.cache_dir = dir.path();
    auto t = tokenize_stories(c.stories, tok, tokenizer_files_in(shared_gpt2_dir()),
                              fabula::Tokenizer::EndOfText::Special, topt);
    CHECK_EQ(t.size(), 200u);
    Dataset d(t, tok.end_of_text_id(), DatasetOptions{});
    auto st = d.stats(8, 1, &c);
    CHECK_EQ(st.split, SplitKind::ByStory);
    CHECK_EQ(st.val.stories, 10u);
    CHECK_EQ(st.train.tokens + st.val.tokens, static_cast<std::int64_t>(t.total_tokens() + 200));
    std::printf("%s", st.describe().c_str());
}

// ---------------------------------------------------------------- the train contract

TEST_CASE(train_contract_events_round_trip_and_malformed_lines_are_refused) {
    RunEvent start;
    start.kind = RunEvent::Kind::Start;
    start.total_steps = 6, start.steps_per_epoch = 93, start.train_tokens = 5926, start.threads = 2;
    start.device = "cpu", start.precision = "fp32", start.path = "/runs/mine";
    const nlohmann::json j = to_json(start);
    CHECK_EQ(j.dump(), std::string(R"({"device":"cpu","event":"start","precision":"fp32","run":"/runs/mine",)"
                                   R"("steps_per_epoch":93,"threads":2,"total_steps":6,"train_tokens":5926})"));
    const RunEvent back = run_event_from_json(j);
    CHECK(back.kind == RunEvent::Kind::Start);
    CHECK_EQ(back.train_tokens, int64_t(5926));
    CHECK_EQ(back.path.string(), std::string("/runs/mine"));

    RunEvent step;
    step.kind = RunEvent::Kind::Step;
    step.step = 3, step.loss = std::nan(""), step.lr = 5e-5;
    const RunEvent step_back = run_event_from_json(nlohmann::json::parse(to_json(step).dump()));
    CHECK(std::isnan(step_back.loss)); // a diverged loss is written as null and read back as NaN
    CHECK_EQ(step_back.lr, 5e-5);
    // Reward metrics of preference objectives are extra fields, not errors.
    CHECK(run_event_from_json(nlohmann::json::parse(R"({"event":"done","steps":4,"model":"m","reward":1})")).kind ==
          RunEvent::Kind::Done);

    const char* malformed[] = {
        R"([1,2])",
        R"({"step":1})",
        R"({"event":"paused"})",
        R"({"event":7})",
        R"({"event":"eval","step":1,"loss":2.0})",
        R"({"event":"eval","step":1.5,"loss":2.0,"perplexity":7.4})",
        R"({"event":"checkpoint","step":1,"path":3})",
        R"({"event":"start","total_steps":6,"steps_per_epoch":1,"device":"cpu","precision":"fp32","threads":-1,)"
        R"("train_tokens":1,"run":"r"})",
        R"({"event":"error"})",
    };
    for (const char* line : malformed)
        CHECK_THROWS_WITH(UsageError, run_event_from_json(nlohmann::json::parse(line)), "not a training event");
}

TEST_CASE(train_contract_options_file_round_trip_and_refusals) {
    TempDir dir;
    TrainOptions o;
    o.model_dir = "/models/gpt2", o.data = "/stories", o.out = "/runs/a";
    o.lr = 1e-4, o.batch_size = 4, o.batching = Batching::Pad, o.resume = true, o.seed = 7;
    o.engine.precision = fabula::Precision::BF16, o.engine.threads = 2;
    const nlohmann::json j = to_options_json(o);
    // Only what differs from the defaults, plus model, data and out.
    CHECK_EQ(j.dump(), std::string(R"({"batch-size":4,"batching":"pad","data":"/stories","lr":0.0001,)"
                                   R"("model":"/models/gpt2","out":"/runs/a","precision":"bf16","resume":true,)"
                                   R"("seed":7,"threads":2})"));
    CHECK_EQ(read_options_file(write(dir / "o.json", j.dump())), j);

    CHECK_THROWS_WITH(UsageError, read_options_file(write(dir / "u.json", R"({"batch-sise": 2})")),
                      "\"batch-sise\" is not a setting");
    CHECK_THROWS_WITH(UsageError, read_options_file(write(dir / "t.json", R"({"batch-size": "2"})")),
                      "\"batch-size\" must be a whole number");
    CHECK_THROWS_WITH(UsageError, read_options_file(write(dir / "f.json", R"({"epochs": 2.5})")), "f.json: \"epochs\"");
    CHECK_THROWS_WITH(UsageError, read_options_file(write(dir / "b.json", R"({"resume": 1})")), "true or false");
    CHECK_THROWS_WITH(UsageError, read_options_file(write(dir / "a.json", R"([1])")), "one JSON object");
    CHECK_THROWS_WITH(FileError, read_options_file(write(dir / "n.json", "{")), "n.json");
}

TEST_CASE(train_lock_names_a_live_holder_and_ignores_a_stale_one) {
    TempDir dir;
    CHECK(!lock_holder(dir.path()));
    write_train_lock(dir.path());
    CHECK(lock_holder(dir.path()) == std::optional<int64_t>(getpid()));
    remove_train_lock(dir.path());
    CHECK(!fs::exists(dir / kTrainLockFile));
    // A child that has exited and been reaped: its pid is free.
    const pid_t child = fork();
    if (child == 0) _exit(0);
    int status = 0;
    waitpid(child, &status, 0);
    write(dir / kTrainLockFile, std::to_string(child) + "\n");
    CHECK(!lock_holder(dir.path()));
    remove_train_lock(dir.path()); // not ours: left for whoever replaces it
    CHECK(fs::exists(dir / kTrainLockFile));
    write(dir / kTrainLockFile, "garbage");
    CHECK(!lock_holder(dir.path()));
}

FABULA_TEST_MAIN
