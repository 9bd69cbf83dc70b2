// The tokenizer's own checks: bad files, streaming decode, invalid UTF-8,
// round trips and threads. Equality with Hugging Face over every vector and
// story is tests/python/test_tokenizer.py.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "check.h"
#include "core/error.h"
#include "core/pretokenizer.h"
#include "core/tokenizer.h"
#include "core/utf8.h"

#include <sentencepiece_trainer.h>

namespace fs = std::filesystem;
using fabula::FileError;
using fabula::Tokenizer;
using Ids = std::vector<int32_t>;

namespace {

fs::path shared_data() {
    const char* dir = std::getenv("FABULA_SHARED_DIR");
    if (!dir || !*dir) throw std::runtime_error("FABULA_SHARED_DIR is not set (ctest sets it)");
    return fs::path(dir) / "data";
}

const Tokenizer& gpt2() {
    static const Tokenizer tok = Tokenizer::from_dir(shared_data() / "gpt2");
    return tok;
}

std::vector<nlohmann::json> read_jsonl(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::vector<nlohmann::json> rows;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
    return rows;
}

std::vector<std::string> story_texts(const char* file) {
    std::vector<std::string> texts;
    for (const auto& row : read_jsonl(shared_data() / "stories" / file)) texts.push_back(row.at("text"));
    return texts;
}

std::string show(const Ids& ids) {
    std::string s = "[";
    for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
    return s + "]";
}

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "fabula_tok_XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    fs::path write(const std::string& name, const std::string& content) const {
        std::ofstream(path_ / name, std::ios::binary) << content;
        return path_ / name;
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// GPT-2's printable stand-in for each byte, written out independently of the
// tokenizer so that the small vocabularies below mean what they say.
std::string byte_char(int b) {
    const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
    int cp = b;
    if (!printable) {
        cp = 256;
        for (int x = 0; x < b; ++x)
            if (!((x >= 0x21 && x <= 0x7E) || (x >= 0xA1 && x <= 0xAC) || x >= 0xAE)) ++cp;
    }
    std::string s;
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

// A tiny valid GPT-2-style vocabulary: the 256 bytes, "ab", "<|endoftext|>".
nlohmann::json mini_vocab() {
    nlohmann::json v = nlohmann::json::object();
    for (int b = 0; b < 256; ++b) v[byte_char(b)] = b;
    v["ab"] = 256;
    v["<|endoftext|>"] = 257;
    return v;
}

const std::string kMiniMerges = "#version: 0.2\na b\n";

} // namespace

TEST_CASE(known_ids) {
    const Tokenizer& tok = gpt2();
    CHECK_EQ(tok.vocab_size(), 50257);
    CHECK_EQ(tok.end_of_text_id(), 50256);
    CHECK(tok.source().find("vocab.json") != std::string::npos);
    CHECK(tok.source().find("merges.txt") != std::string::npos);
    CHECK_EQ(show(tok.encode("Hello world")), show({15496, 995}));
    CHECK_EQ(show(tok.encode("")), show({}));
    CHECK_EQ(show(tok.encode("Hello <|endoftext|> world")), show({15496, 220, 50256, 995}));
    CHECK_EQ(show(tok.encode("<|endoftext|>", Tokenizer::EndOfText::AsText)), show({27, 91, 437, 1659, 5239, 91, 29}));
    CHECK_EQ(show(tok.encode("<|endoftext|><|endoftext|>")), show({50256, 50256}));
    CHECK_EQ(tok.token_bytes(50256), "<|endoftext|>");
    CHECK_EQ(tok.token_bytes(220), " ");
}

// The stored ids come from OpenAI's encoder as ported to JavaScript, whose \s
// also matches U+FEFF; Oniguruma's (and so Hugging Face's) does not. Those
// texts are checked against Hugging Face in tests/python/test_tokenizer.py.
TEST_CASE(vectors_as_text) {
    const Tokenizer& tok = gpt2();
    size_t checked = 0;
    for (const auto& row : read_jsonl(shared_data() / "gpt2" / "tokenizer_vectors.jsonl")) {
        const std::string text = row.at("text");
        const Ids ids = tok.encode(text, Tokenizer::EndOfText::AsText);
        CHECK_EQ(tok.decode(ids), text);
        if (text.find("\xEF\xBB\xBF") != std::string::npos) continue;
        const Ids want = row.at("ids").get<Ids>();
        if (ids != want)
            fabula_test::fail(__FILE__, __LINE__,
                              "text " + nlohmann::json(text).dump() + ": " + show(ids) + " != " + show(want));
        ++checked;
    }
    CHECK(checked > 1900);
}

TEST_CASE(round_trip_stories) {
    const Tokenizer& tok = gpt2();
    for (const char* file : {"tinystories_subset.jsonl", "snakes_llama31_stories.jsonl"}) {
        size_t n = 0;
        for (const std::string& text : story_texts(file)) {
            const Ids ids = tok.encode(text);
            if (tok.decode(ids) != text)
                fabula_test::fail(__FILE__, __LINE__,
                                  std::string(file) + ": story " + std::to_string(n) + " does not round-trip");
            ++n;
        }
        CHECK(n > 2000);
    }
}

TEST_CASE(streaming_decoder_holds_split_characters) {
    const Tokenizer& tok = gpt2();
    // U+1F600, U+1F44D U+1F3FD, e-acute, two CJK characters.
    const std::string text =
        "Hi \xF0\x9F\x98\x80 there \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD, caf\xC3\xA9 \xE4\xBD\xA0\xE5\xA5\xBD";
    const Ids ids = tok.encode(text);
    fabula::StreamingDecoder dec(tok);
    std::string out;
    size_t held = 0;
    for (int32_t id : ids) {
        const std::string piece = dec.push(id);
        if (piece.empty()) ++held;
        // Whatever comes out is whole characters: never a lead byte at the end.
        if (!piece.empty()) CHECK((static_cast<unsigned char>(piece.back()) & 0xC0) != 0xC0);
        out += piece;
    }
    out += dec.flush();
    CHECK_EQ(out, text);
    // The emoji are several tokens each, so some pushes had to hold back.
    CHECK(held >= 2);
    CHECK(ids.size() > 12);
}

TEST_CASE(streaming_decoder_replaces_broken_bytes) {
    const Tokenizer& tok = gpt2();
    const auto byte_id = [&](unsigned char b) {
        const Ids ids = tok.encode(std::string(1, static_cast<char>(b)));
        CHECK_EQ(ids.size(), size_t{1});
        return ids[0];
    };
    const std::string fffd = "\xEF\xBF\xBD";
    {
        fabula::StreamingDecoder dec(tok);
        CHECK_EQ(dec.push(byte_id(0xFF)), fffd); // never valid
        CHECK_EQ(dec.push(byte_id('A')), "A");
        CHECK_EQ(dec.flush(), "");
    }
    {
        // F0 9F starts a 4-byte character; 'A' ends it early: one U+FFFD for
        // the broken start (the maximal subpart), then the 'A'.
        fabula::StreamingDecoder dec(tok);
        CHECK_EQ(dec.push(byte_id(0xF0)), "");
        CHECK_EQ(dec.push(byte_id(0x9F)), "");
        CHECK_EQ(dec.push(byte_id('A')), fffd + "A");
    }
    {
        // Unfinished at the end: flush gives it up as one U+FFFD.
        fabula::StreamingDecoder dec(tok);
        CHECK_EQ(dec.push(byte_id(0xE4)), "");
        CHECK_EQ(dec.push(byte_id(0xBD)), "");
        CHECK_EQ(dec.flush(), fffd);
        CHECK_EQ(dec.flush(), "");
    }
    {
        // Surrogates and overlongs are not characters, byte by byte.
        fabula::StreamingDecoder dec(tok);
        std::string out;
        for (unsigned char b : {0xED, 0xA0, 0x80, 0xC0, 0xAF}) out += dec.push(byte_id(b));
        out += dec.flush();
        CHECK_EQ(out, fffd + fffd + fffd + fffd + fffd);
    }
}

TEST_CASE(streaming_decoder_matches_decode_over_a_story) {
    const Tokenizer& tok = gpt2();
    const std::string text =
        story_texts("tinystories_subset.jsonl").at(7) + " \xE2\x80\x94 \xE2\x80\x9C" "done\xE2\x80\x9D";
    fabula::StreamingDecoder dec(tok);
    std::string out;
    for (int32_t id : tok.encode(text)) out += dec.push(id);
    out += dec.flush();
    CHECK_EQ(out, text);
}

TEST_CASE(decode_rejects_unknown_ids) {
    const Tokenizer& tok = gpt2();
    CHECK_THROWS_WITH(std::out_of_range, tok.decode(Ids{15496, 50257}), "50257");
    CHECK_THROWS_WITH(std::out_of_range, tok.decode(Ids{-1}), "-1");
    CHECK_THROWS_WITH(std::out_of_range, tok.token_bytes(1 << 30), "outside the vocabulary");
    fabula::StreamingDecoder dec(tok);
    CHECK_THROWS_WITH(std::out_of_range, dec.push(99999), "99999");
}

TEST_CASE(invalid_utf8_is_punctuation) {
    using V = std::vector<std::string_view>;
    const auto split = [](std::string_view s) { return fabula::pretokenize(s); };
    // An invalid byte never joins a word, a space may lead it, and it joins
    // punctuation around it.
    CHECK(split("abc\xFF" "def") == (V{"abc", "\xFF", "def"}));
    CHECK(split(" \xFF\xFE!") == (V{" \xFF\xFE!"}));
    CHECK(split("Caf\xC3") == (V{"Caf", "\xC3"}));
    CHECK(split("a\xED\xA0\x80" "b") == (V{"a", "\xED\xA0\x80", "b"})); // a surrogate
    CHECK(split("a\xC0\xAF" "b") == (V{"a", "\xC0\xAF", "b"}));         // overlong '/'
    CHECK(split("x\xE2\x82 y") == (V{"x", "\xE2\x82", " y"}));         // truncated, then more

    const Tokenizer& tok = gpt2();
    Ids joined = tok.encode("abc");
    for (int32_t id : tok.encode("\xFF")) joined.push_back(id);
    for (int32_t id : tok.encode("def")) joined.push_back(id);
    CHECK_EQ(show(tok.encode("abc\xFF" "def")), show(joined));

    // Any bytes at all come back unchanged.
    std::mt19937 rng(1234);
    for (int i = 0; i < 3000; ++i) {
        std::string s(rng() % 200, '\0');
        for (char& c : s) {
            // Mostly high bytes and ASCII letters/space, so that broken
            // sequences meet words and runs.
            const unsigned r = rng() % 4;
            c = static_cast<char>(r == 0 ? 'a' + rng() % 3 : r == 1 ? ' ' : 0x80 + rng() % 128);
            if (rng() % 16 == 0) c = static_cast<char>(rng() % 256);
        }
        std::string rebuilt;
        for (std::string_view piece : split(s)) {
            CHECK(!piece.empty());
            rebuilt += piece;
        }
        CHECK(rebuilt == s);
        CHECK(tok.decode(tok.encode(s)) == s);
    }
}

TEST_CASE(long_pieces_take_the_same_merges) {
    // Pieces over 64 bytes go through the heap; a piece and the same piece
    // cut at a run boundary must agree on the part they share.
    const Tokenizer& tok = gpt2();
    const std::string word(500, 'a');
    const Ids ids = tok.encode(word);
    CHECK_EQ(tok.decode(ids), word);
    // "aaaa..." merges pairwise from the left: all tokens but the last are the same.
    for (size_t i = 0; i + 1 < ids.size(); ++i) CHECK_EQ(ids[i], ids[0]);
    const std::string dashes(300, '-');
    const Ids long_dashes = tok.encode(dashes);
    CHECK_EQ(tok.decode(long_dashes), dashes);
    CHECK(long_dashes.size() < 30);
}

TEST_CASE(encode_from_two_threads) {
    const std::vector<std::string> texts = story_texts("tinystories_subset.jsonl");
    std::vector<Ids> want;
    {
        const Tokenizer reference = Tokenizer::from_dir(shared_data() / "gpt2");
        for (const std::string& t : texts) want.push_back(reference.encode(t));
    }
    // A fresh tokenizer, so both threads fill its cache at the same time.
    const Tokenizer tok = Tokenizer::from_dir(shared_data() / "gpt2");
    std::vector<Ids> got_a(texts.size()), got_b(texts.size());
    std::thread a([&] {
        for (size_t i = 0; i < texts.size(); ++i) got_a[i] = tok.encode(texts[i]);
    });
    std::thread b([&] {
        for (size_t i = texts.size(); i-- > 0;) got_b[i] = tok.encode(texts[i]);
    });
    a.join();
    b.join();
    size_t bad = 0;
    for (size_t i = 0; i < texts.size(); ++i) bad += (got_a[i] != want[i]) + (got_b[i] != want[i]);
    CHECK_EQ(bad, size_t{0});
}

TEST_CASE(mini_vocabulary_loads) {
    // The baseline that the bad-file cases below each break in one place.
    TempDir dir;
    const Tokenizer tok =
        Tokenizer::from_files(dir.write("vocab.json", mini_vocab().dump()), dir.write("merges.txt", kMiniMerges));
    CHECK_EQ(tok.vocab_size(), 258);
    CHECK_EQ(tok.end_of_text_id(), 257);
    // In this vocabulary a byte's id is the byte itself.
    CHECK_EQ(show(tok.encode("abc ab")), show({256, 'c', ' ', 256}));
}

TEST_CASE(token_unreachable_by_its_own_merges) {
    // "abc" is a token, made by "ab c"; but in "abc" the lower-ranked "b c"
    // goes first, leaving "a bc", which no rule joins. Hugging Face gives
    // [a, bc] (checked with tokenizers 0.23), so a pre-token must not be
    // taken as one token merely because the vocabulary has it.
    TempDir dir;
    nlohmann::json v = mini_vocab();
    v.erase("ab");
    v["bc"] = 256;
    v["ab"] = 257;
    v["abc"] = 258;
    v["<|endoftext|>"] = 259;
    const Tokenizer tok = Tokenizer::from_files(dir.write("vocab.json", v.dump()),
                                                dir.write("merges.txt", "#version: 0.2\nb c\na b\nab c\n"));
    CHECK_EQ(show(tok.encode("abc ab abc")), show({'a', 256, ' ', 257, ' ', 'a', 256}));

    // tokenizer.json's ignore_merges (Hugging Face's option) does take a
    // pre-token that is a token as it is.
    nlohmann::json j = {{"pre_tokenizer", {{"type", "ByteLevel"}}},
                        {"model", {{"type", "BPE"}, {"vocab", v}, {"ignore_merges", true},
                                   {"merges", {"b c", "a b", "ab c"}}}}};
    const Tokenizer ignoring = Tokenizer::from_tokenizer_json(dir.write("tokenizer.json", j.dump()));
    CHECK_EQ(show(ignoring.encode("abc ab")), show({258, ' ', 257}));
}

TEST_CASE(repeated_merge_keeps_its_later_rank) {
    // As in Hugging Face and OpenAI's encoder.py, whose maps keep the last
    // rank: here "a b" ranks after "b c", so "abc" is "a bc".
    TempDir dir;
    nlohmann::json v = mini_vocab();
    v["bc"] = 258;
    const Tokenizer tok = Tokenizer::from_files(dir.write("vocab.json", v.dump()),
                                                dir.write("merges.txt", "a b\nb c\na b\n"));
    CHECK_EQ(show(tok.encode("abc")), show({'a', 258}));
    CHECK_EQ(show(tok.encode("ab")), show({256}));
}

TEST_CASE(bad_files_are_file_errors) {
    TempDir dir;
    const auto merges = dir.write("merges.txt", kMiniMerges);
    const auto vocab = dir.write("vocab.json", mini_vocab().dump());
    const auto load = [&](const std::string& vocab_text, const std::string& merges_text) {
        return Tokenizer::from_files(dir.write("v.json", vocab_text), dir.write("m.txt", merges_text));
    };

    CHECK_THROWS_WITH(FileError, Tokenizer::from_files(dir.path() / "nope.json", merges), "nope.json: file not found");
    CHECK_THROWS_WITH(FileError, Tokenizer::from_files(vocab, dir.path() / "nope.txt"), "nope.txt: file not found");
    CHECK_THROWS_WITH(FileError, Tokenizer::from_files(dir.path(), merges), "is a folder");
    CHECK_THROWS_WITH(FileError, load("{\"a\": 0,,}", kMiniMerges), "not valid JSON at byte 9");
    CHECK_THROWS_WITH(FileError, load("", kMiniMerges), "v.json: not valid JSON");
    CHECK_THROWS_WITH(FileError, load("[1, 2]", kMiniMerges), "not a JSON object");

    nlohmann::json v = mini_vocab();
    v["ab"] = "256";
    CHECK_THROWS_WITH(FileError, load(v.dump(), kMiniMerges), "has id \"256\", expected a whole number");
    v["ab"] = -3;
    CHECK_THROWS_WITH(FileError, load(v.dump(), kMiniMerges), "expected a whole number");
    v["ab"] = 300;
    CHECK_THROWS_WITH(FileError, load(v.dump(), kMiniMerges), "ids are not contiguous");
    v["ab"] = 4000000000u;
    CHECK_THROWS_WITH(FileError, load(v.dump(), kMiniMerges), "ids are not contiguous");
    v["ab"] = 5;
    CHECK_THROWS_WITH(FileError, load(v.dump(), kMiniMerges), "id 5 is used twice");
    v = mini_vocab();
    v.erase("<|endoftext|>");
    CHECK_THROWS_WITH(FileError, load(v.dump(), kMiniMerges), "<|endoftext|>");
    v = mini_vocab();
    v.erase(byte_char(' '));
    v["\xC4\xA0\xC4\xA0"] = 32; // keeps the ids contiguous, loses the space byte
    CHECK_THROWS_WITH(FileError, load(v.dump(), kMiniMerges), "no token for the byte 0x20");
    v = mini_vocab();
    v["\xE2\x82\xAC"] = 256; // U+20AC is no byte's stand-in
    v.erase("ab");
    CHECK_THROWS_WITH(FileError, load(v.dump(), kMiniMerges), "not in GPT-2's byte-level alphabet");

    const std::string good = mini_vocab().dump();
    CHECK_THROWS_WITH(FileError, load(good, "#version: 0.2\na b c\n"), "m.txt: line 2: expected two tokens");
    CHECK_THROWS_WITH(FileError, load(good, "#version: 0.2\n\nab\n"), "line 3: expected two tokens");
    CHECK_THROWS_WITH(FileError, load(good, "#version: 0.2\na  b\n"), "line 2");
    CHECK_THROWS_WITH(FileError, load(good, "#version: 0.2\na b\nab zz\n"), "line 3: \"zz\" is not in the vocabulary");
    CHECK_THROWS_WITH(FileError, load(good, "a b\nb c\n"),
                      "line 2: merging \"b\" and \"c\" gives a token that is not in the vocabulary");
    CHECK_THROWS_WITH(FileError, load(good, "a \xFF\n"), "line 1");

    CHECK_THROWS_WITH(FileError, Tokenizer::from_dir(dir.path() / "missing"), "folder not found");
    CHECK_THROWS_WITH(FileError, Tokenizer::from_dir(merges), "merges.txt: is not a folder");
    TempDir empty;
    CHECK_THROWS_WITH(FileError, Tokenizer::from_dir(empty.path()),
                      "expected tokenizer.json, vocab.json and merges.txt, or tokenizer.model");
    TempDir half;
    half.write("vocab.json", good);
    CHECK_THROWS_WITH(FileError, Tokenizer::from_dir(half.path()), "merges.txt: file not found");
}

namespace {

nlohmann::json gpt2_tokenizer_json(bool pair_merges) {
    nlohmann::json vocab;
    std::ifstream(shared_data() / "gpt2" / "vocab.json") >> vocab;
    nlohmann::json merges = nlohmann::json::array();
    std::ifstream in(shared_data() / "gpt2" / "merges.txt");
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.rfind("#version", 0) == 0) continue;
        const size_t sp = line.find(' ');
        if (pair_merges)
            merges.push_back({line.substr(0, sp), line.substr(sp + 1)});
        else
            merges.push_back(line);
    }
    return {{"version", "1.0"},
            {"added_tokens", {{{"id", 50256}, {"content", "<|endoftext|>"}, {"special", true}}}},
            {"normalizer", nullptr},
            {"pre_tokenizer",
             {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
            {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}}};
}

} // namespace

TEST_CASE(tokenizer_json_matches_vocab_and_merges) {
    const std::vector<std::string> texts = story_texts("tinystories_subset.jsonl");
    for (bool pairs : {false, true}) {
        TempDir dir;
        dir.write("tokenizer.json", gpt2_tokenizer_json(pairs).dump());
        const Tokenizer tok = Tokenizer::from_dir(dir.path());
        CHECK(tok.source().find("tokenizer.json") != std::string::npos);
        CHECK_EQ(tok.end_of_text_id(), 50256);
        for (size_t i = 0; i < texts.size(); i += 10) CHECK(tok.encode(texts[i]) == gpt2().encode(texts[i]));
        CHECK_EQ(show(tok.encode("a<|endoftext|>b")), show({64, 50256, 65}));
    }
}

TEST_CASE(bad_tokenizer_json) {
    TempDir dir;
    const auto load = [&](const nlohmann::json& j) {
        return Tokenizer::from_tokenizer_json(dir.write("tokenizer.json", j.dump()));
    };
    nlohmann::json j = gpt2_tokenizer_json(false);
    j["model"]["type"] = "WordPiece";
    CHECK_THROWS_WITH(FileError, load(j), "model.type is \"WordPiece\"");
    j = gpt2_tokenizer_json(false);
    j["model"]["merges"][3] = "Ġ t h";
    CHECK_THROWS_WITH(FileError, load(j), "model.merges[3]: expected two tokens");
    j["model"]["merges"][3] = {"Ġ", 7};
    CHECK_THROWS_WITH(FileError, load(j), "model.merges[3]");
    j = gpt2_tokenizer_json(false);
    j["model"].erase("vocab");
    CHECK_THROWS_WITH(FileError, load(j), "has no model.vocab");
    // Components that Fabula does not implement are named, not ignored.
    j = gpt2_tokenizer_json(false);
    j["pre_tokenizer"] = {{"type", "Sequence"}, {"pretokenizers", {{{"type", "Whitespace"}}}}};
    CHECK_THROWS_WITH(FileError, load(j), "tokenizer.json: pre_tokenizer type \"Whitespace\" is not supported");
    j = gpt2_tokenizer_json(false);
    j["normalizer"] = {{"type", "NFKC"}};
    CHECK_THROWS_WITH(FileError, load(j), "tokenizer.json: normalizer type \"NFKC\" is not supported");
    j = gpt2_tokenizer_json(false);
    j["post_processor"] = {{"type", "RobertaProcessing"}};
    CHECK_THROWS_WITH(FileError, load(j), "post_processor type \"RobertaProcessing\" is not supported");
    j = gpt2_tokenizer_json(false);
    j["decoder"] = {{"type", "WordPiece"}};
    CHECK_THROWS_WITH(FileError, load(j), "decoder type \"WordPiece\" is not supported");
    j = gpt2_tokenizer_json(false);
    j["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}};
    CHECK_THROWS_WITH(FileError, load(j), "pre_tokenizer Split: the regular expression does not compile");
    j = gpt2_tokenizer_json(false);
    j["model"]["unk_token"] = "<nope>";
    CHECK_THROWS_WITH(FileError, load(j), "the unknown token \"<nope>\" is not in the vocabulary");
    j = gpt2_tokenizer_json(false);
    j["added_tokens"][0]["id"] = "x";
    CHECK_THROWS_WITH(FileError, load(j), "added_tokens[0]");
    j = gpt2_tokenizer_json(false);
    j["pre_tokenizer"]["type"] = 5;
    CHECK_THROWS_WITH(FileError, load(j), "tokenizer.json: pre_tokenizer has no \"type\"");
    j = gpt2_tokenizer_json(false);
    j["pre_tokenizer"]["use_regex"] = "yes";
    CHECK_THROWS_WITH(FileError, load(j), "tokenizer.json: unexpected structure");
    CHECK_THROWS_WITH(FileError, load(nlohmann::json::array()), "is not a JSON object");
    j = gpt2_tokenizer_json(false);
    j["added_tokens"][0]["id"] = 50255;
    CHECK_THROWS_WITH(FileError, load(j), "added token \"<|endoftext|>\" has id 50255, which the vocabulary gives to");
}

namespace {

// A Llama-2-style tokenizer.json written out by hand: Prepend and Replace
// normalizers, a character-level BPE with byte fallback, a <s> template and
// the decoders that turn ▁ into a space and <0xNN> into its byte.
nlohmann::json llama2_style_json() {
    nlohmann::json vocab = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
    for (int b = 0; b < 256; ++b) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "<0x%02X>", b);
        vocab[hex] = 3 + b;
    }
    int next = 259;
    for (const char* t : {"\xE2\x96\x81", "a", "b", "c", "\xE2\x96\x81" "a", "ab", "\xE2\x96\x81" "ab"}) vocab[t] = next++;
    const auto special = [](const char* content, int id) {
        return nlohmann::json{{"id", id},          {"content", content}, {"special", true}, {"lstrip", false},
                              {"rstrip", false},   {"single_word", false}, {"normalized", false}};
    };
    return {
        {"added_tokens", {special("<unk>", 0), special("<s>", 1), special("</s>", 2), special("<pad>", 266)}},
        {"normalizer",
         {{"type", "Sequence"},
          {"normalizers",
           {{{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}},
            {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "\xE2\x96\x81"}}}}}},
        {"pre_tokenizer", nullptr},
        {"model",
         {{"type", "BPE"}, {"unk_token", "<unk>"}, {"fuse_unk", true}, {"byte_fallback", true},
          {"vocab", vocab},
          {"merges", {"\xE2\x96\x81 a", "a b", "\xE2\x96\x81" "a b"}}}},
        {"post_processor",
         {{"type", "TemplateProcessing"},
          {"single", {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
          {"pair", nlohmann::json::array()},
          {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}}},
        {"decoder",
         {{"type", "Sequence"},
          {"decoders",
           {{{"type", "Replace"}, {"pattern", {{"String", "\xE2\x96\x81"}}}, {"content", " "}},
            {{"type", "ByteFallback"}}, {{"type", "Fuse"}},
            {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}}}}}};
}

std::string stream_all(const Tokenizer& tok, const Ids& ids, std::vector<std::string>* parts = nullptr) {
    fabula::StreamingDecoder dec(tok);
    std::string out;
    for (int32_t id : ids) {
        std::string p = dec.push(id);
        if (parts) parts->push_back(p);
        out += p;
    }
    return out + dec.flush();
}

} // namespace

TEST_CASE(metaspace_byte_fallback_tokenizer_json) {
    TempDir dir;
    dir.write("tokenizer.json", llama2_style_json().dump());
    const Tokenizer tok = Tokenizer::from_dir(dir.path());
    // ▁ab is one token; "c" is a character of its own; "é" has no token and
    // falls back to its two bytes; unknown nothing, since every byte exists.
    CHECK_EQ(show(tok.encode("ab c")), show({265, 259, 262}));
    CHECK_EQ(show(tok.encode("\xC3\xA9")), show({259, 3 + 0xC3, 3 + 0xA9}));
    CHECK_EQ(show(tok.encode_with_specials("ab")), show({1, 265}));
    // Added tokens are split out before the normalizer, and each segment
    // after one is normalized (and so prepended) on its own, as Llama 2's is.
    CHECK_EQ(show(tok.encode("a<s>b")), show({263, 1, 259, 261}));
    const Ids as_text = tok.encode("a<s>b", Tokenizer::EndOfText::AsText);
    CHECK(std::find(as_text.begin(), as_text.end(), 1) == as_text.end());
    CHECK_EQ(tok.decode(as_text), " a<s>b");
    CHECK_EQ(show(tok.encode("")), show({}));
    CHECK_EQ(show(tok.encode_with_specials("")), show({1}));

    CHECK_EQ(tok.vocab_size(), 267); // <pad> is an added token past the model's vocabulary
    CHECK(tok.bos_id() == 1);
    CHECK(tok.adds_bos());
    CHECK_EQ(show(tok.eos_ids()), show({2}));
    CHECK_EQ(tok.end_of_text_id(), 2);
    CHECK_EQ(tok.token_bytes(265), " ab");
    CHECK_EQ(tok.token_bytes(3 + 0x0A), "\n");
    CHECK_EQ(tok.token_bytes(1), "<s>");
    CHECK_EQ(tok.token_bytes(266), "<pad>");
    // The leading space stays (Hugging Face's Strip would take it).
    CHECK_EQ(tok.decode(tok.encode("ab c")), " ab c");

    // A character split over two byte-fallback tokens is held back until whole.
    std::vector<std::string> parts;
    const std::string text = "a\xC3\xA9\xE2\x82\xAC b";
    CHECK_EQ(stream_all(tok, tok.encode(text), &parts), " " + text);
    for (const std::string& p : parts) {
        std::string clean;
        fabula::utf8::append_sanitized(p, clean, true);
        CHECK_EQ(clean, p); // never a broken sequence
    }
}

TEST_CASE(template_follows_tokenizer_config) {
    // transformers 5: an explicit add_bos_token/add_eos_token in
    // tokenizer_config.json replaces the file's template with [bos] $A [eos].
    TempDir dir;
    dir.write("tokenizer.json", llama2_style_json().dump());
    dir.write("tokenizer_config.json",
              nlohmann::json{{"add_bos_token", false}, {"add_eos_token", true}, {"bos_token", "<s>"},
                             {"eos_token", {{"content", "</s>"}}}}
                  .dump());
    const Tokenizer tok = Tokenizer::from_dir(dir.path());
    CHECK_EQ(show(tok.encode_with_specials("ab")), show({265, 2}));
    CHECK(tok.bos_id() == 1);
    CHECK(!tok.adds_bos());
}

TEST_CASE(gpt2_api_of_specials) {
    const Tokenizer& tok = gpt2();
    CHECK(!tok.bos_id());
    CHECK(!tok.adds_bos());
    CHECK_EQ(show(tok.eos_ids()), show({50256}));
    CHECK_EQ(show(tok.encode_with_specials("Hello world")), show({15496, 995}));
}

namespace {

// A SentencePiece BPE model trained here with Debian's libsentencepiece on
// the start of a shared story file, in a folder with tokenizer_config.json.
fs::path train_sentencepiece(const TempDir& dir, const std::string& type = "bpe") {
    std::string text;
    for (const std::string& t : story_texts("tinystories_subset.jsonl")) {
        text += t + "\n";
        if (text.size() > 200000) break;
    }
    const fs::path input = dir.write("train.txt", text);
    const std::string args = "--input=" + input.string() + " --model_prefix=" + (dir.path() / "m").string() +
                             " --vocab_size=400 --model_type=" + type + " --byte_fallback=true --minloglevel=2"
                             " --character_coverage=0.995 --num_threads=1";
    const auto status = sentencepiece::SentencePieceTrainer::Train(args);
    if (!status.ok()) throw std::runtime_error("training failed: " + status.ToString());
    return dir.path() / "m.model";
}

} // namespace

TEST_CASE(sentencepiece_folder) {
    TempDir train;
    const fs::path model = train_sentencepiece(train);
    const auto folder = [&](const nlohmann::json& config) {
        auto dir = std::make_unique<TempDir>();
        fs::copy_file(model, dir->path() / "tokenizer.model");
        if (!config.is_null()) dir->write("tokenizer_config.json", config.dump());
        return dir;
    };
    const auto plain_dir = folder(nullptr);
    const Tokenizer plain = Tokenizer::from_dir(plain_dir->path());
    CHECK_EQ(plain.vocab_size(), 400);
    CHECK(plain.bos_id() == 1);
    CHECK(!plain.adds_bos()); // add_bos_token absent: not added
    CHECK_EQ(show(plain.eos_ids()), show({2}));
    const Ids hello = plain.encode("Hello there");
    // One ▁ in front, never two: " Hello there" already starts with it.
    CHECK_EQ(show(plain.encode(" Hello there")), show(hello));
    CHECK_EQ(plain.decode(hello), " Hello there");
    CHECK_EQ(show(plain.encode_with_specials("Hello there")), show(hello));
    CHECK_EQ(show(plain.encode("<s>")), show({1}));
    CHECK_EQ(plain.token_bytes(1), "<s>");

    const auto bos_dir = folder({{"add_bos_token", true}, {"legacy", false}});
    const Tokenizer bos = Tokenizer::from_dir(bos_dir->path());
    CHECK(bos.adds_bos());
    Ids with = {1};
    with.insert(with.end(), hello.begin(), hello.end());
    CHECK_EQ(show(bos.encode_with_specials("Hello there")), show(with));
    // legacy: false prepends ▁ only to the text's start; true to every
    // segment after an added token.
    const auto legacy_dir = folder({{"add_bos_token", true}, {"legacy", true}});
    const Tokenizer legacy = Tokenizer::from_dir(legacy_dir->path());
    CHECK_EQ(bos.decode(bos.encode("a</s>b")), " a</s>b");
    CHECK_EQ(legacy.decode(legacy.encode("a</s>b")), " a</s> b");

    // Text the model has no pieces for comes back byte for byte, and
    // streaming never shows half a character.
    const std::string odd = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE6\xBC\xA2\xE5\xAD\x97\n\ttab";
    const Ids ids = plain.encode(odd);
    CHECK_EQ(plain.decode(ids), " " + odd);
    std::vector<std::string> parts;
    CHECK_EQ(stream_all(plain, ids, &parts), " " + odd);
    for (const std::string& p : parts) {
        std::string clean;
        fabula::utf8::append_sanitized(p, clean, true);
        CHECK_EQ(clean, p);
    }

    const auto t5_dir = folder({{"tokenizer_class", "T5Tokenizer"}});
    CHECK_THROWS_WITH(FileError, Tokenizer::from_dir(t5_dir->path()), "tokenizer_class \"T5Tokenizer\"");
    TempDir unigram;
    fs::copy_file(train_sentencepiece(unigram, "unigram"), unigram.path() / "tokenizer.model");
    CHECK_THROWS_WITH(FileError, Tokenizer::from_dir(unigram.path()), "tokenizer.model: is a SentencePiece unigram model");
    TempDir broken;
    broken.write("tokenizer.model", "not a model");
    CHECK_THROWS_WITH(FileError, Tokenizer::from_dir(broken.path()), "tokenizer.model: ");
}

FABULA_TEST_MAIN
