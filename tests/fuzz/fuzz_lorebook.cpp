// Lorebook files (core/lorebook.h): Fabula's JSONL and the NovelAI, KoboldAI
// and SillyTavern exports, told apart by their content. A refused file gets a
// FileError naming it; an accepted book holds entries of well-formed UTF-8,
// reads back the same from lorebook_to_jsonl, and its keys (regular
// expressions included, checked when the file was read) can be matched.
#include "core/lorebook.h"
#include "fuzz_support.h"

using namespace fabula;

namespace {

bool same(const LoreEntry& a, const LoreEntry& b) {
    return a.name == b.name && a.keys == b.keys && a.secondary_keys == b.secondary_keys && a.content == b.content &&
           a.always == b.always && a.case_sensitive == b.case_sensitive && a.enabled == b.enabled && a.order == b.order;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string name = "lorebook.json";
    const auto text = fabula_fuzz::as_text(data, size);
    const auto book = fabula_fuzz::accepted([&] { return parse_lorebook(text, name); }, name);
    if (!book) return 0;
    FUZZ_CHECK(fabula_fuzz::is_valid_utf8(text));
    FUZZ_CHECK(!book->empty());
    for (const auto& e : *book) {
        FUZZ_CHECK(fabula_fuzz::is_valid_utf8(e.name) && fabula_fuzz::is_valid_utf8(e.content));
        for (const auto* keys : {&e.keys, &e.secondary_keys})
            for (const auto& k : *keys) FUZZ_CHECK(!k.empty() && fabula_fuzz::is_valid_utf8(k));
    }

    const std::string jsonl = lorebook_to_jsonl(*book);
    const auto again = fabula_fuzz::accepted([&] { return parse_lorebook(jsonl, "lorebook.jsonl"); }, "lorebook.jsonl");
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->size() == book->size());
    for (size_t i = 0; i < book->size(); ++i) FUZZ_CHECK(same((*book)[i], (*again)[i]));

    // Every key was checked when the file was read: matching never throws.
    // Small texts only, so that a pattern that backtracks a lot stays quick.
    if (size < 2000) {
        std::string all;
        for (const auto& e : *book) all += e.content + "\n" + e.name + "\n";
        for (const auto& e : *book) {
            fabula_fuzz::keep(lore_entry_fires(e, all));
            for (const auto& k : e.keys) fabula_fuzz::keep(lore_key_matches(k, all, e.case_sensitive));
        }
    }
    return 0;
}
