// Lorebook files (core/lorebook.h): Fabula's JSONL and the NovelAI, KoboldAI
// and SillyTavern exports, written out here as the tools write them; the
// round trip through lorebook_to_jsonl; and the FileError every malformed
// file gets, naming the file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "check.h"
#include "core/error.h"
#include "core/lorebook.h"

namespace fs = std::filesystem;
using namespace fabula;
using Keys = std::vector<std::string>;

namespace {

std::string show(const Keys& keys) {
    std::string s = "[";
    for (size_t i = 0; i < keys.size(); ++i) s += (i ? "," : "") + keys[i];
    return s + "]";
}

bool same(const LoreEntry& a, const LoreEntry& b) {
    return a.name == b.name && a.keys == b.keys && a.secondary_keys == b.secondary_keys && a.content == b.content &&
           a.always == b.always && a.case_sensitive == b.case_sensitive && a.enabled == b.enabled && a.order == b.order;
}

bool same(const std::vector<LoreEntry>& a, const std::vector<LoreEntry>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i])) return false;
    return true;
}

// A FileError whose path is `name` and whose message holds `needle`.
void refused(std::string_view text, const std::string& needle) {
    const std::string name = "book.json";
    try {
        parse_lorebook(text, name);
    } catch (const FileError& e) {
        CHECK_EQ(e.path(), name);
        if (std::string(e.what()).find(needle) == std::string::npos)
            ::fabula_test::fail(__FILE__, __LINE__, "message lacks '" + needle + "': " + e.what());
        return;
    }
    ::fabula_test::fail(__FILE__, __LINE__, "no FileError for: " + std::string(text));
}

} // namespace

TEST_CASE(fabula_jsonl) {
    const std::string text =
        "{\"keys\": [\"Mira\", \" keeper \"], \"content\": \"Mira keeps the light.\"}\n"
        "\n"
        "{\"keys\": [\"/isl(and|e)/i\"], \"secondary_keys\": [\"tree\"], \"content\": \"One tree.\", \"always\": true, "
        "\"case_sensitive\": true, \"enabled\": false, \"order\": -3, \"name\": \"Island\", \"extra\": 1}\r\n";
    const auto book = parse_lorebook(text, "lore.jsonl");
    CHECK_EQ(book.size(), size_t(2));
    CHECK_EQ(show(book[0].keys), "[Mira,keeper]"); // white space around keys is dropped
    CHECK_EQ(book[0].content, "Mira keeps the light.");
    CHECK(book[0].secondary_keys.empty() && !book[0].always && !book[0].case_sensitive && book[0].enabled);
    CHECK_EQ(book[0].order, 0);
    CHECK_EQ(book[0].name, "");
    CHECK_EQ(lore_entry_display_name(book[0]), "Mira");
    CHECK_EQ(show(book[1].keys), "[/isl(and|e)/i]");
    CHECK_EQ(show(book[1].secondary_keys), "[tree]");
    CHECK(book[1].always && book[1].case_sensitive && !book[1].enabled);
    CHECK_EQ(book[1].order, -3);
    CHECK_EQ(book[1].name, "Island");
    // A single line is a JSONL file too.
    CHECK_EQ(parse_lorebook("{\"keys\": [\"a\"], \"content\": \"b\"}", "one.jsonl").size(), size_t(1));
}

TEST_CASE(round_trip) {
    std::vector<LoreEntry> book(3);
    book[0].name = "Zoë \"the quick\"";
    book[0].keys = {"Zoë", "/zo+e/i"};
    book[0].secondary_keys = {"fox"};
    book[0].content = "Line one.\nLine two, with a tab\tand \\ backslash.";
    book[0].order = 2147483647;
    book[1].keys = {"東京"};
    book[1].content = "A city.";
    book[1].always = true;
    book[1].case_sensitive = true;
    book[1].enabled = false;
    book[1].order = -2147483647 - 1;
    book[2].content = "";
    const std::string jsonl = lorebook_to_jsonl(book);
    CHECK_EQ(size_t(std::count(jsonl.begin(), jsonl.end(), '\n')), book.size()); // one line per entry
    CHECK(same(parse_lorebook(jsonl, "x.jsonl"), book));
    // And through a file.
    const fs::path path = fs::temp_directory_path() / ("fabula_lore_" + std::to_string(getpid()) + ".jsonl");
    std::ofstream(path) << jsonl;
    CHECK(same(read_lorebook_file(path.string()), book));
    fs::remove(path);
    CHECK_THROWS_WITH(FileError, read_lorebook_file(path.string()), path.string());
}

TEST_CASE(novelai) {
    const std::string text = R"({
  "lorebookVersion": 5,
  "entries": [
    {"text": "Mira is the keeper.", "contextConfig": {"prefix": "", "suffix": "\n", "tokenBudget": 1,
     "budgetPriority": 400, "insertionPosition": -1}, "lastUpdatedAt": 1700000000000, "displayName": "Mira",
     "id": "a1", "keys": ["Mira", "/keeper/i"], "searchRange": 1000, "enabled": true, "forceActivation": false,
     "keyRelative": false, "nonStoryActivatable": false, "category": "", "loreBiasGroups": []},
    {"text": "Always here.", "displayName": "World", "keys": [], "enabled": false, "forceActivation": true,
     "contextConfig": {"budgetPriority": -100.0}}
  ],
  "settings": {"orderByKeyLocations": false},
  "categories": []
})";
    const auto book = parse_lorebook(text, "world.lorebook");
    CHECK_EQ(book.size(), size_t(2));
    CHECK_EQ(book[0].name, "Mira");
    CHECK_EQ(show(book[0].keys), "[Mira,/keeper/i]");
    CHECK_EQ(book[0].content, "Mira is the keeper.");
    CHECK_EQ(book[0].order, 400);
    CHECK(book[0].enabled && !book[0].always);
    CHECK_EQ(book[1].name, "World");
    CHECK(book[1].always && !book[1].enabled);
    CHECK_EQ(book[1].order, -100);
}

TEST_CASE(koboldai) {
    // KoboldAI's world info: numbered entries, keys in one comma-separated string.
    const std::string map = R"({
  "0": {"key": "Mira, keeper ,", "keysecondary": "lamp", "content": "Mira keeps the light.", "comment": "Mira",
        "folder": null, "num": 0, "init": true, "selective": true, "constant": false, "uid": 10},
  "1": {"key": "island", "keysecondary": "tree", "content": "One tree.", "comment": "", "selective": false,
        "constant": true, "uid": 11}
})";
    const auto book = parse_lorebook(map, "world_info.json");
    CHECK_EQ(book.size(), size_t(2));
    CHECK_EQ(show(book[0].keys), "[Mira,keeper]");
    CHECK_EQ(show(book[0].secondary_keys), "[lamp]");
    CHECK_EQ(book[0].name, "Mira");
    CHECK(!book[0].always);
    CHECK(book[1].secondary_keys.empty()); // not selective: the secondary keys are not consulted
    CHECK(book[1].always);
    // The same as a list, and inside a story's "worldinfo".
    const std::string list = R"([{"key": "a,b", "content": "x"}, {"key": "c", "content": "y", "constant": true}])";
    const auto l = parse_lorebook(list, "wi.json");
    CHECK_EQ(l.size(), size_t(2));
    CHECK_EQ(show(l[0].keys), "[a,b]");
    const auto story = parse_lorebook(R"({"gamestarted": true, "worldinfo": )" + list + "}", "story.json");
    CHECK(same(story, l));
}

TEST_CASE(sillytavern) {
    const std::string text = R"({"entries": {
  "0": {"uid": 0, "key": ["Mira", "keeper"], "keysecondary": ["lamp"], "comment": "Mira", "content": "Mira keeps it.",
        "constant": false, "selective": true, "selectiveLogic": 0, "order": 100, "position": 0, "disable": false,
        "caseSensitive": null, "excludeRecursion": false, "probability": 100},
  "1": {"uid": 1, "key": ["Island"], "keysecondary": ["x"], "comment": "", "content": "One tree.", "constant": true,
        "selective": true, "selectiveLogic": 1, "order": 50, "disable": true, "caseSensitive": true}
}})";
    const auto book = parse_lorebook(text, "st.json");
    CHECK_EQ(book.size(), size_t(2));
    CHECK_EQ(show(book[0].keys), "[Mira,keeper]");
    CHECK_EQ(show(book[0].secondary_keys), "[lamp]");
    CHECK_EQ(book[0].order, 100);
    CHECK(!book[0].case_sensitive && book[0].enabled && !book[0].always);
    CHECK(book[1].secondary_keys.empty()); // NOT ANY has no equivalent: primary keys only
    CHECK(book[1].always && !book[1].enabled && book[1].case_sensitive);
    CHECK_EQ(book[1].order, 50);
    // Book order is the file's order, not the numbers' sort order.
    const auto ordered = parse_lorebook(R"({"entries": {"10": {"key": ["b"], "content": "B"},
                                                        "9": {"key": ["a"], "content": "A"}}})",
                                        "st.json");
    CHECK_EQ(ordered[0].content, "B");
}

TEST_CASE(character_card_book) {
    const std::string book = R"({"name": "World", "entries": [
  {"keys": ["Mira"], "content": "Mira.", "extensions": {}, "enabled": true, "insertion_order": 7, "name": "Mira",
   "selective": true, "secondary_keys": ["lamp"], "constant": false, "case_sensitive": true},
  {"keys": ["isle"], "content": "One tree.", "enabled": false, "insertion_order": 1, "comment": "Isle",
   "selective": false, "secondary_keys": ["x"], "constant": true}
]})";
    const auto b = parse_lorebook(book, "book.json");
    CHECK_EQ(b.size(), size_t(2));
    CHECK_EQ(b[0].name, "Mira");
    CHECK_EQ(show(b[0].secondary_keys), "[lamp]");
    CHECK(b[0].case_sensitive && b[0].enabled && !b[0].always);
    CHECK_EQ(b[0].order, 7);
    CHECK_EQ(b[1].name, "Isle");
    CHECK(b[1].secondary_keys.empty() && b[1].always && !b[1].enabled);
    // Inside a whole card.
    const auto card = parse_lorebook(R"({"spec": "chara_card_v2", "data": {"name": "Mira", "character_book": )" +
                                         book + "}}",
                                     "card.json");
    CHECK(same(card, b));
}

TEST_CASE(malformed_files_name_the_file) {
    refused("", "no lorebook entries");
    refused("   \n", "no lorebook entries");
    refused("{\"entries\": []}", "no lorebook entries");
    refused("[]", "no lorebook entries");
    refused("{\"keys\": [\"a\"], \"content\": \"x\"}\n{\"keys\": [\"a\"], \"content\": ", "line 2");
    refused("{\"keys\": [\"a\"], \"content\": \"x\"}\n{\"keys\": \"a\", \"content\": \"x\"}", "line 2: \"keys\"");
    refused("{\"keys\": [1], \"content\": \"x\"}", "\"keys\" must be a list of strings");
    refused("{\"keys\": [\"a\"]}", "\"content\" is missing");
    refused("{\"keys\": [\"a\"], \"content\": 3}", "\"content\" must be a string");
    refused("{\"keys\": [\"a\"], \"content\": \"x\", \"always\": 1}", "\"always\" must be true or false");
    refused("{\"keys\": [\"a\"], \"content\": \"x\", \"order\": 1.5}", "\"order\" must be a whole number");
    refused("{\"keys\": [\"a\"], \"content\": \"x\", \"order\": 99999999999}", "\"order\" must be a whole number");
    refused("{\"keys\": [\"/(/\"], \"content\": \"x\"}", "the key \"/(/\" is not a valid regular expression");
    refused("{\"keys\": [\"a\"], \"content\": \"\xC3\x28\"}", "not valid UTF-8 (byte 28)");
    refused("{\"lorebookVersion\": 5}", "NovelAI");
    refused("{\"lorebookVersion\": 5, \"entries\": [{\"text\": 1}]}", "entry 1: \"text\" must be a string");
    refused("{\"entries\": {\"0\": {\"key\": [\"a\"], \"content\": \"x\", \"disable\": \"no\"}}}",
            "entry \"0\": \"disable\" must be true or false");
    refused("{\"entries\": 5}", "\"entries\" must be a list or an object");
    refused("[{\"key\": 5, \"content\": \"x\"}]", "\"key\" must be a string or a list of strings");
    refused("[1, 2]", "an entry must be a JSON object");
    refused("{\"name\": \"x\"}", "is not a lorebook");
    refused("42", "is not a lorebook");
    refused("{\n  \"entries\": [\n    {\"text\": \"x\",\n  ]\n}", "book.json"); // a broken document: the JSON error
    CHECK_THROWS_WITH(FileError, read_lorebook_file("/nonexistent/lore.jsonl"), "/nonexistent/lore.jsonl");
}

FABULA_TEST_MAIN
