// The prompt builder (core/prompt_builder.h) with the real GPT-2 tokenizer:
// budgets, the order of the parts, the author's note's depth, lore
// activation, whole-word keys, where the story is cut, the stable cut point
// and the refusal when the pinned parts do not fit. Expected values are
// worked out here from the tokenizer directly, not from the builder.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check.h"
#include "core/error.h"
#include "core/lorebook.h"
#include "core/prompt_builder.h"
#include "core/tokenizer.h"

namespace fs = std::filesystem;
using namespace fabula;
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

const std::vector<std::string>& stories() {
    static const std::vector<std::string> texts = [] {
        std::ifstream in(shared_data() / "stories" / "tinystories_subset.jsonl");
        if (!in) throw std::runtime_error("cannot open tinystories_subset.jsonl");
        std::vector<std::string> out;
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) out.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
        return out;
    }();
    return texts;
}

// Stories joined by blank lines until the text holds at least `tokens` GPT-2 tokens.
std::string draft_of(size_t tokens, size_t first = 0) {
    std::string s;
    for (size_t i = first; gpt2().encode(s).size() < tokens; ++i) {
        if (!s.empty()) s += "\n\n";
        s += stories()[i % stories().size()];
    }
    return s;
}

size_t count(std::string_view text) { return text.empty() ? 0 : gpt2().encode(text).size(); }

int budget_of(int context, int max_new) { return context - std::min(max_new, context / 2); }

std::string kinds(const BuiltPrompt& p) {
    std::string s;
    for (const auto& part : p.parts) s += (s.empty() ? "" : ",") + to_string(part.kind);
    return s;
}

// Every prompt's invariants: the parts concatenate to the ids, each part is
// its own text encoded alone (plus BOS first), the total fits the budget,
// and the story parts are the draft from story_cut on.
void check_invariants(const Tokenizer& tok, const BuiltPrompt& p, std::string_view story, int context, int max_new) {
    CHECK_EQ(p.budget, budget_of(context, max_new));
    CHECK(int(p.ids.size()) <= p.budget);
    Ids all;
    std::string story_text;
    bool any_story = false;
    for (size_t i = 0; i < p.parts.size(); ++i) {
        const auto& part = p.parts[i];
        CHECK(!part.ids.empty());
        all.insert(all.end(), part.ids.begin(), part.ids.end());
        CHECK_EQ(part.text, tok.decode(part.ids));
        Ids own = part.ids;
        if (i == 0 && tok.adds_bos()) {
            CHECK(own.front() == *tok.bos_id());
            own.erase(own.begin());
        }
        if (part.kind == PromptPartKind::Story) {
            any_story = true;
            if (!(own.size() == 1 && own[0] == tok.end_of_text_id() && story.empty())) story_text += tok.decode(own);
        }
        if (!own.empty() && !(part.kind == PromptPartKind::Story && story.empty()))
            CHECK(tok.encode(tok.decode(own)) == own);
    }
    CHECK(all == p.ids);
    CHECK(p.story_cut <= story.size());
    if (!story.empty()) CHECK_EQ(story_text, std::string(story.substr(p.story_cut)));
    (void)any_story;
    CHECK_EQ(p.pinned_tokens + p.lore_tokens + p.story_tokens, int(p.ids.size()));
}

// "Never mid-word": the character before the cut is white space (or the cut
// is the draft's start or end).
bool at_word_start(std::string_view story, size_t cut) {
    if (cut == 0 || cut == story.size()) return true;
    const char c = story[cut - 1];
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

LoreEntry entry(std::string name, std::vector<std::string> keys, std::string content) {
    LoreEntry e;
    e.name = std::move(name);
    e.keys = std::move(keys);
    e.content = std::move(content);
    return e;
}

} // namespace

TEST_CASE(parts_in_order_and_concatenated) {
    StoryContext ctx;
    ctx.memory = "Mira is a lighthouse keeper on a cold island.";
    ctx.authors_note = "Keep the tone quiet.";
    ctx.authors_note_depth = 1;
    ctx.lore.push_back(entry("Mira", {"Mira"}, "Mira: forty, stubborn, afraid of boats."));
    ctx.lore.push_back(entry("", {"island"}, "The island has one tree."));
    const std::string story = "Mira climbed the stairs.\n\nThe lamp was dark.\n\nShe lit it for the island.";
    PromptRequest req;
    req.story = story;
    req.context = &ctx;
    const BuiltPrompt p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, story, 1024, 60);
    CHECK_EQ(kinds(p), "memory,lore,lore,story,authors_note,story");
    CHECK_EQ(p.parts[0].text, ctx.memory + "\n");
    CHECK_EQ(p.parts[1].text, "Mira: forty, stubborn, afraid of boats.\n");
    CHECK_EQ(p.parts[1].key, "Mira");
    CHECK_EQ(p.parts[2].key, "island"); // no name: the first key
    CHECK_EQ(p.parts[3].text, "Mira climbed the stairs.\n\nThe lamp was dark.\n\n");
    CHECK_EQ(p.parts[4].text, "[Author's note: Keep the tone quiet.]\n");
    CHECK_EQ(p.parts[5].text, "She lit it for the island.");
    CHECK_EQ(p.story_cut, size_t(0));
    CHECK(p.lore_fired == (std::vector<std::string>{"Mira", "island"}));
    CHECK(p.lore_dropped.empty());
    CHECK_EQ(p.pinned_tokens, int(count(p.parts[0].text) + count(p.parts[4].text)));

    // The same with no context at all: the story alone.
    PromptRequest bare;
    bare.story = story;
    const BuiltPrompt q = build_prompt(gpt2(), bare);
    CHECK_EQ(kinds(q), "story");
    CHECK(q.ids == gpt2().encode(story));
}

TEST_CASE(empty_story_starts_from_end_of_text) {
    PromptRequest req;
    req.story = "";
    const BuiltPrompt p = build_prompt(gpt2(), req);
    CHECK(p.ids == Ids{50256});
    CHECK_EQ(kinds(p), "story");
    CHECK_EQ(p.story_tokens, 1);
    // With a memory the prompt is not empty, and no separator token is added.
    StoryContext ctx;
    ctx.memory = "A premise.";
    req.context = &ctx;
    const BuiltPrompt q = build_prompt(gpt2(), req);
    CHECK_EQ(kinds(q), "memory");
    CHECK(q.ids == gpt2().encode("A premise.\n"));
}

TEST_CASE(authors_note_at_its_depth) {
    const std::string story = "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive";
    StoryContext ctx;
    ctx.authors_note = "N";
    ctx.authors_note_template = "<{}>";
    PromptRequest req;
    req.story = story;
    req.context = &ctx;
    const auto around = [&](int depth) {
        ctx.authors_note_depth = depth;
        const BuiltPrompt p = build_prompt(gpt2(), req);
        check_invariants(gpt2(), p, story, 1024, 60);
        std::string s;
        for (const auto& part : p.parts) s += part.kind == PromptPartKind::AuthorsNote ? "|" + part.text + "|" : part.text;
        return s;
    };
    CHECK_EQ(around(3), "One.\n\nTwo.\n\n|<N>\n|Three.\n\nFour.\n\nFive");
    CHECK_EQ(around(1), "One.\n\nTwo.\n\nThree.\n\nFour.\n\n|<N>\n|Five");
    CHECK_EQ(around(0), "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive|<N>\n|");
    CHECK_EQ(around(5), "|<N>\n|One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive");
    CHECK_EQ(around(9), "|<N>\n|One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive");
    // A trailing blank line is no paragraph of its own.
    const std::string trailing = story + ".\n\n";
    req.story = trailing;
    ctx.authors_note_depth = 1;
    const BuiltPrompt t = build_prompt(gpt2(), req);
    CHECK_EQ(t.parts.back().text, "Five.\n\n");
    // A draft without blank lines counts lines.
    const std::string lines = "A.\nB.\nC.\nD.";
    req.story = lines;
    ctx.authors_note_depth = 2;
    const BuiltPrompt l = build_prompt(gpt2(), req);
    CHECK_EQ(kinds(l), "story,authors_note,story");
    CHECK_EQ(l.parts[0].text, "A.\nB.\n");
    CHECK_EQ(l.parts[2].text, "C.\nD.");
    // A template without {} gets the note after it.
    ctx.authors_note_template = "Note: ";
    const BuiltPrompt n = build_prompt(gpt2(), req);
    CHECK_EQ(n.parts[1].text, "Note: N\n");
}

TEST_CASE(whole_word_keys) {
    CHECK(lore_key_matches("Ann", "Then Ann left.", false));
    CHECK(lore_key_matches("Ann", "Ann's hat", false));
    CHECK(lore_key_matches("Ann", "(Ann)", false));
    CHECK(lore_key_matches("Ann", "Ann", false));
    CHECK(!lore_key_matches("Ann", "Anne left.", false));
    CHECK(!lore_key_matches("Ann", "The Annual fair.", false));
    CHECK(!lore_key_matches("Ann", "Joann left.", false));
    CHECK(!lore_key_matches("Ann", "Ann_2", false));
    CHECK(!lore_key_matches("Ann", "Ann2", false));
    CHECK(lore_key_matches("Ann", "Anne and then Ann", false)); // a later occurrence counts
    // Case: folded unless case-sensitive.
    CHECK(lore_key_matches("ann", "ANN came", false));
    CHECK(!lore_key_matches("ann", "ANN came", true));
    CHECK(lore_key_matches("ANN", "ANN came", true));
    // Beyond ASCII: letters (and combining marks) are word characters.
    CHECK(lore_key_matches("Zoë", "I saw Zoë.", false));
    CHECK(lore_key_matches("zoë", "I saw ZOË.", false));
    CHECK(!lore_key_matches("Zoë", "I saw Zoëlle.", false));
    CHECK(!lore_key_matches("Zo", "I saw Zoë.", false));
    CHECK(!lore_key_matches("Zoe", "I saw Zoe\u0308.", false)); // e + combining diaeresis is not "e"
    CHECK(lore_key_matches("Σοφία", "η ΣΟΦΊΑ ήρθε", false));
    CHECK(lore_key_matches("Анна", "пришла АННА", false));
    CHECK(!lore_key_matches("Анна", "пришла Анназ", false));
    CHECK(lore_key_matches("東京", "私は 東京 に", false));
    // A key with several words, and one ending in punctuation.
    CHECK(lore_key_matches("New York", "in new york city", false));
    CHECK(lore_key_matches("Dr.", "Dr.Who", false));
    CHECK(!lore_key_matches("", "anything", false));
}

TEST_CASE(scanner_finds_ranges_of_the_original_text) {
    // Folding changes byte lengths (the Kelvin sign is 3 bytes, "k" one) and
    // an ill-formed byte reads as U+FFFD (3 bytes): the ranges are still the
    // original text's.
    const std::string text = "\xFF \u212Aate met ANN; Anne and ann. kate";
    const LoreScanner s(text);
    using R = std::vector<std::pair<size_t, size_t>>;
    const R ann = s.find_all("Ann", false);
    CHECK_EQ(ann.size(), size_t(2));
    CHECK_EQ(text.substr(ann[0].first, ann[0].second - ann[0].first), "ANN");
    CHECK_EQ(text.substr(ann[1].first, ann[1].second - ann[1].first), "ann");
    const R kate = s.find_all("KATE", false);
    CHECK_EQ(kate.size(), size_t(2));
    CHECK_EQ(text.substr(kate[0].first, kate[0].second - kate[0].first), "\u212Aate");
    CHECK(s.find_all("kate", true).size() == size_t(1));
    const R re = s.find_all("/an+/i", false);
    CHECK_EQ(re.size(), size_t(4)); // ANN, Ann(e), an(d), ann: no word boundaries in a regex
    CHECK_EQ(text.substr(re[1].first, re[1].second - re[1].first), "Ann");
    CHECK(s.find_all("nobody", false).empty());
}

TEST_CASE(regex_keys) {
    CHECK(lore_key_is_regex("/an+e/"));
    CHECK(lore_key_is_regex("/an+e/i"));
    CHECK(!lore_key_is_regex("/usr/bin"));
    CHECK(!lore_key_is_regex("/"));
    CHECK(!lore_key_is_regex("//"));
    CHECK(lore_key_matches("/An+e/", "Annne came", false));
    CHECK(!lore_key_matches("/anne/", "Anne came", false)); // a regex follows its own flags
    CHECK(lore_key_matches("/anne/i", "ANNE came", false));
    CHECK(lore_key_matches("/nn/", "Anne", false)); // no word boundaries unless the pattern says so
    CHECK(!lore_key_matches("/\\bnn\\b/", "Anne", false));
    CHECK(!lore_key_matches("/x*/", "abc", false)); // an empty match is no match
    CHECK(lore_key_matches("/ζ+/i", "ΖΖ", false));
    CHECK_THROWS_WITH(UsageError, lore_key_matches("/(/", "x", false), "\"/(/\"");
    CHECK(lore_key_error("/(/").value_or("").find("is not a valid regular expression") != std::string::npos);
    CHECK(!lore_key_error("/a+/"));
    CHECK(!lore_key_error("(plain"));
    // A pattern that backtracks without end gives up (no match) instead of hanging.
    CHECK(!lore_key_matches("/(a+)+b/", std::string(20000, 'a'), false));
}

TEST_CASE(lore_activation) {
    const std::string story = "The knight rode north. He met a Dragon at the river.";
    const auto fires = [&](const LoreEntry& e) { return lore_entry_fires(e, story); };
    LoreEntry e = entry("d", {"dragon"}, "x");
    CHECK(fires(e));
    e.case_sensitive = true;
    CHECK(!fires(e));
    e.keys = {"Dragon"};
    CHECK(fires(e));
    e.case_sensitive = false;
    e.secondary_keys = {"castle", "bridge"};
    CHECK(!fires(e));
    e.secondary_keys = {"castle", "river"};
    CHECK(fires(e));
    e.enabled = false;
    CHECK(!fires(e));
    e.enabled = true;
    e.keys = {"wyvern"};
    CHECK(!fires(e));
    e.always = true;
    CHECK(fires(e)); // always ignores the keys
    e.enabled = false;
    CHECK(!fires(e));
    e = entry("r", {"/dra+gon/i"}, "x");
    CHECK(fires(e));
    LoreEntry none = entry("n", {}, "x");
    CHECK(!fires(none));
}

TEST_CASE(lore_scan_window_recursion_order_budget) {
    // The key "Zanzibar" only in the first sentence of a long story.
    const std::string story = "They sailed to Zanzibar.\n\n" + draft_of(600);
    StoryContext ctx;
    ctx.lore.push_back(entry("Z", {"Zanzibar"}, "Zanzibar is an island."));
    PromptRequest req;
    req.story = story;
    req.context = &ctx;
    ctx.lore_scan_tokens = 100;
    CHECK(build_prompt(gpt2(), req).lore_fired.empty());
    ctx.lore_scan_tokens = int(count(story)) + 10;
    CHECK(build_prompt(gpt2(), req).lore_fired == std::vector<std::string>{"Z"});
    // A window of exactly the tokens from the key on holds it; one token
    // fewer leaves it out (GPT-2's tokens spell the text byte for byte).
    const size_t key_at = story.find("Zanzibar");
    const int from_key = int(count(story.substr(key_at - 1))); // " Zanzibar..." is how the tokens split
    ctx.lore_scan_tokens = from_key;
    CHECK(build_prompt(gpt2(), req).lore_fired == std::vector<std::string>{"Z"});
    ctx.lore_scan_tokens = from_key - 1;
    CHECK(build_prompt(gpt2(), req).lore_fired.empty());
    ctx.lore_scan_tokens = 0;
    CHECK(build_prompt(gpt2(), req).lore_fired.empty());

    // Recursion: the dragon's entry names Mab, whose entry names the serpent.
    const std::string tale = "A dragon slept.";
    req.story = tale;
    ctx.lore_scan_tokens = 1000;
    ctx.lore = {entry("Mab", {"Mab"}, "Queen Mab keeps a serpent."), entry("dragon", {"dragon"}, "The dragon serves Mab."),
                entry("serpent", {"serpent"}, "The serpent is blind."), entry("off", {"dragon"}, "Never shown.")};
    ctx.lore[3].enabled = false;
    ctx.lore_recursive = true;
    BuiltPrompt p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, tale, 1024, 60);
    CHECK(p.lore_fired == (std::vector<std::string>{"Mab", "dragon"})); // book order on equal order; one level only
    ctx.lore_recursive = false;
    p = build_prompt(gpt2(), req);
    CHECK(p.lore_fired == std::vector<std::string>{"dragon"});

    // Order: higher first, ties in book order; what does not fit is dropped,
    // and a smaller entry after it may still fit.
    ctx.lore = {entry("a", {}, std::string(40, 'a') + " five"), entry("b", {}, "b ten"), entry("c", {}, "c ten"),
                entry("d", {}, std::string(200, 'd')), entry("e", {}, "e one")};
    for (auto& e : ctx.lore) e.always = true;
    ctx.lore[0].order = 5;
    ctx.lore[1].order = 10;
    ctx.lore[2].order = 10;
    ctx.lore[3].order = 3;
    ctx.lore[4].order = 1;
    const size_t b_tokens = count("b ten\n"), c_tokens = count("c ten\n"), a_tokens = count(ctx.lore[0].content + "\n"),
                 e_tokens = count("e one\n");
    ctx.lore_budget = int(b_tokens + c_tokens + a_tokens + e_tokens);
    p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, tale, 1024, 60);
    CHECK(p.lore_fired == (std::vector<std::string>{"b", "c", "a", "e"}));
    CHECK(p.lore_dropped == std::vector<std::string>{"d"});
    CHECK_EQ(p.lore_tokens, ctx.lore_budget);
    CHECK_EQ(kinds(p), "lore,lore,lore,lore,story");
    // The default lore budget is a quarter of the prompt's.
    ctx.lore_budget = 0;
    ctx.lore[3].content = std::string(2000, 'd');
    req.context_length = 400;
    req.max_new_tokens = 0;
    p = build_prompt(gpt2(), req);
    CHECK(p.lore_tokens <= 100);
    CHECK(std::find(p.lore_dropped.begin(), p.lore_dropped.end(), "d") != p.lore_dropped.end());
}

TEST_CASE(budget_never_exceeded) {
    std::mt19937 rng(12345);
    const std::string pool = draft_of(4000);
    int refused = 0, built = 0;
    for (int round = 0; round < 300; ++round) {
        const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        // A random slice of the pool, cut anywhere (even mid-word).
        const size_t b = size_t(pick(0, int(pool.size()) - 1));
        const std::string story = pool.substr(b, size_t(pick(0, int(std::min<size_t>(pool.size() - b, 12000)))));
        StoryContext ctx;
        ctx.memory = pool.substr(size_t(pick(0, 1000)), size_t(pick(0, 1)) ? size_t(pick(0, 700)) : 0);
        ctx.authors_note = pick(0, 1) ? pool.substr(size_t(pick(0, 1000)), size_t(pick(0, 300))) : "";
        ctx.authors_note_depth = pick(0, 6);
        ctx.lore_scan_tokens = pick(0, 1500);
        ctx.lore_recursive = pick(0, 1);
        ctx.lore_budget = pick(0, 1) ? 0 : pick(1, 400);
        for (int i = pick(0, 6); i > 0; --i) {
            LoreEntry e = entry("", {pick(0, 1) ? "Lily" : "mom", pick(0, 1) ? "/b[aeiou]ll/i" : "tree"},
                                pool.substr(size_t(pick(0, 3000)), size_t(pick(1, 400))));
            e.always = pick(0, 3) == 0;
            e.order = pick(-2, 2);
            ctx.lore.push_back(e);
        }
        const int context = pick(8, 1024), max_new = pick(0, 700);
        PromptRequest req;
        req.story = story;
        req.context = &ctx;
        req.context_length = context;
        req.max_new_tokens = max_new;
        const size_t note_tokens =
            ctx.authors_note.empty() ? 0 : count("[Author's note: " + ctx.authors_note + "]\n");
        const size_t memory_tokens =
            ctx.memory.empty() ? 0 : count(ctx.memory.back() == '\n' ? ctx.memory : ctx.memory + "\n");
        const int budget = budget_of(context, max_new);
        if (int(memory_tokens + note_tokens) > budget) {
            CHECK_THROWS_WITH(UsageError, build_prompt(gpt2(), req), "shorten the");
            ++refused;
            continue;
        }
        const BuiltPrompt p = build_prompt(gpt2(), req);
        ++built;
        check_invariants(gpt2(), p, story, context, max_new);
        CHECK(at_word_start(story, p.story_cut) || p.story_cut == story.size());
        // When the whole story fits with room to spare it is all there.
        const int room = budget - int(memory_tokens + note_tokens) - p.lore_tokens;
        if (int(count(story)) + 4 <= room) CHECK_EQ(p.story_cut, size_t(0));
        // A long story fills at least half of its room.
        if (int(count(story)) > room && room > 40) CHECK(p.story_tokens >= room / 2);
    }
    CHECK(refused > 10);
    CHECK(built > 100);
}

TEST_CASE(cuts_at_boundaries) {
    PromptRequest req;
    req.context_length = 256;
    req.max_new_tokens = 56; // budget 200
    // Paragraphs: the story starts right after a blank line.
    const std::string paragraphs = draft_of(2000);
    req.story = paragraphs;
    BuiltPrompt p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, paragraphs, 256, 56);
    CHECK(p.story_cut > 0);
    CHECK_EQ(paragraphs.substr(p.story_cut - 2, 2), "\n\n");

    // No blank lines: single newlines are the paragraphs.
    std::string lines = paragraphs;
    for (size_t at; (at = lines.find("\n\n")) != std::string::npos;) lines.replace(at, 2, "\n");
    req.story = lines;
    p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, lines, 256, 56);
    CHECK(p.story_cut > 0);
    CHECK_EQ(lines[p.story_cut - 1], '\n');

    // One long paragraph: a sentence start.
    std::string one = paragraphs;
    for (char& c : one)
        if (c == '\n') c = ' ';
    req.story = one;
    p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, one, 256, 56);
    CHECK(p.story_cut > 1);
    CHECK_EQ(one[p.story_cut - 1], ' ');
    CHECK(std::string(".!?\"").find(one[p.story_cut - 2]) != std::string::npos);

    // No sentence ends at all: a word start.
    std::string words;
    for (int i = 0; count(words) < 2000; ++i) words += "word" + std::to_string(i) + " and ";
    req.story = words;
    p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, words, 256, 56);
    CHECK(p.story_cut > 0);
    CHECK_EQ(words[p.story_cut - 1], ' ');
    CHECK(p.story_tokens > 100);

    // Nothing but one enormous "word": cut between characters, never inside one.
    std::string blob;
    while (count(blob) < 1000) blob += "\u00E9x\u4E2D";
    req.story = blob;
    p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, blob, 256, 56);
    CHECK(p.story_cut > 0);
    CHECK((static_cast<unsigned char>(blob[p.story_cut]) & 0xC0) != 0x80);
    CHECK(p.story_tokens > 150);

    // When the memory leaves less than a grid step, finer cuts are found after
    // the last grid point, still at a paragraph start.
    StoryContext ctx;
    ctx.memory = draft_of(150, 7).substr(0, 600);
    req.context = &ctx;
    req.story = paragraphs;
    p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, paragraphs, 256, 56);
    CHECK(p.story_cut == paragraphs.size() || paragraphs.substr(p.story_cut - 2, 2) == "\n\n" ||
          at_word_start(paragraphs, p.story_cut));
}

TEST_CASE(stable_cut_point) {
    // Text is appended a sentence at a time. While the cut stays, the old
    // prompt is a prefix of the new one; when it moves, it moves forward by
    // about a quarter of the budget, to a paragraph start.
    StoryContext ctx;
    ctx.memory = "A story about Lily.";
    ctx.lore.push_back(entry("Lily", {"Lily"}, "Lily is a little girl."));
    std::string story = draft_of(1500);
    PromptRequest req;
    req.context = &ctx;
    req.context_length = 1024;
    req.max_new_tokens = 60;
    const int budget = budget_of(1024, 60), step = budget / 4;
    req.story = story;
    BuiltPrompt last = build_prompt(gpt2(), req);
    CHECK(last.story_cut > 0);
    int moves = 0, kept = 0;
    const std::string pool = draft_of(3000, 40);
    size_t from = 0;
    for (int i = 0; i < 150; ++i) {
        // The next sentence of the pool, joined to the draft as the writer would.
        size_t end = pool.find_first_of(".!?", from + 1);
        if (end == std::string::npos) break;
        std::string sentence = pool.substr(from, end + 1 - from);
        from = end + 1;
        for (char& c : sentence)
            if (c == '\n') c = ' ';
        while (!sentence.empty() && sentence.front() == ' ') sentence.erase(0, 1);
        if (sentence.empty()) continue;
        story += (i % 7 == 6 ? "\n\n" : " ") + sentence;
        req.story = story;
        const BuiltPrompt p = build_prompt(gpt2(), req);
        check_invariants(gpt2(), p, story, 1024, 60);
        CHECK(p.story_cut >= last.story_cut);
        if (p.story_cut == last.story_cut && p.lore_fired == last.lore_fired) {
            ++kept;
            CHECK(p.ids.size() > last.ids.size());
            CHECK(std::equal(last.ids.begin(), last.ids.end(), p.ids.begin()));
        } else if (p.story_cut != last.story_cut) {
            ++moves;
            CHECK_EQ(story.substr(p.story_cut - 2, 2), "\n\n");
            const int moved = int(count(story.substr(last.story_cut, p.story_cut - last.story_cut)));
            CHECK(moved >= step / 4);
            CHECK(moved <= 2 * step);
        }
        last = p;
    }
    CHECK(moves >= 2);
    CHECK(kept > 50);
}

TEST_CASE(hundred_thousand_word_draft) {
    // The size the builder is made for (it runs as the writer types): one
    // encode of the draft, then a prompt at a paragraph start that fills the
    // room to within a grid step or so.
    std::string story;
    size_t words = 0;
    for (size_t i = 0; words < 100000; ++i) {
        const std::string& t = stories()[i % stories().size()];
        words += size_t(std::count(t.begin(), t.end(), ' ')) + 1;
        story += (story.empty() ? "" : "\n\n") + t;
    }
    StoryContext ctx;
    ctx.memory = "Lily and Tom are friends.";
    ctx.authors_note = "Keep it happy.";
    ctx.lore.push_back(entry("Lily", {"Lily"}, "Lily is a little girl."));
    PromptRequest req;
    req.story = story;
    req.context = &ctx;
    const BuiltPrompt p = build_prompt(gpt2(), req);
    check_invariants(gpt2(), p, story, 1024, 60);
    CHECK_EQ(story.substr(p.story_cut - 2, 2), "\n\n");
    const int room = p.budget - p.pinned_tokens - p.lore_tokens;
    CHECK(p.story_tokens > room / 2);
    CHECK(p.story_tokens <= room);
}

TEST_CASE(refusal_names_the_part) {
    StoryContext ctx;
    ctx.memory = draft_of(900).substr(0, 3000);
    ctx.authors_note = "Keep it short.";
    PromptRequest req;
    req.story = "Once.";
    req.context = &ctx;
    const size_t memory_tokens = count(ctx.memory + "\n");
    CHECK(memory_tokens > 600);
    req.context_length = int(memory_tokens) + 60; // budget: memory + 30
    req.max_new_tokens = 30;
    const size_t note_tokens = count("[Author's note: Keep it short.]\n");
    CHECK(note_tokens < 30);
    CHECK_EQ(build_prompt(gpt2(), req).pinned_tokens, int(memory_tokens + note_tokens));
    ctx.authors_note = std::string(200, 'x') + " be terse";
    const size_t big_note = count("[Author's note: " + ctx.authors_note + "]\n");
    const std::string expected = "The memory (" + std::to_string(memory_tokens) + " tokens) and the author's note (" +
                                 std::to_string(big_note) + " tokens) do not fit in the " +
                                 std::to_string(memory_tokens + 30) +
                                 " tokens this model has for a prompt; shorten the memory.";
    CHECK_THROWS_WITH(UsageError, build_prompt(gpt2(), req), expected);
    // The note alone, when it is the larger part.
    ctx.memory = "Short.";
    ctx.authors_note = ctx.authors_note + std::string(3000, 'y');
    CHECK_THROWS_WITH(UsageError, build_prompt(gpt2(), req), "shorten the author's note.");
    ctx.memory.clear();
    CHECK_THROWS_WITH(UsageError, build_prompt(gpt2(), req), "The author's note (");
    // Exactly the budget is not refused: the story gets nothing.
    ctx.authors_note = "x";
    ctx.memory.clear();
    req.context_length = 2 * int(count("[Author's note: x]\n"));
    req.max_new_tokens = 1000;
    const BuiltPrompt p = build_prompt(gpt2(), req);
    CHECK_EQ(kinds(p), "authors_note");
    CHECK_EQ(p.story_cut, std::string_view("Once.").size());
    req.context_length = 0;
    CHECK_THROWS_WITH(UsageError, build_prompt(gpt2(), req), "context length");
}

namespace {

// A tokenizer that puts <s> first: characters only (byte fallback), a
// template that adds BOS, and a decoder that spells ▁ as a space.
Tokenizer bos_tokenizer() {
    nlohmann::json vocab = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
    for (int b = 0; b < 256; ++b) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "<0x%02X>", b);
        vocab[hex] = 3 + b;
    }
    const auto special = [](const char* content, int id) {
        return nlohmann::json{{"id", id},        {"content", content},   {"special", true}, {"lstrip", false},
                              {"rstrip", false}, {"single_word", false}, {"normalized", false}};
    };
    const nlohmann::json j = {
        {"added_tokens", {special("<unk>", 0), special("<s>", 1), special("</s>", 2)}},
        {"normalizer", nullptr},
        {"pre_tokenizer", nullptr},
        {"model",
         {{"type", "BPE"}, {"unk_token", "<unk>"}, {"byte_fallback", true}, {"vocab", vocab},
          {"merges", nlohmann::json::array()}}},
        {"post_processor",
         {{"type", "TemplateProcessing"},
          {"single", {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
          {"pair", nlohmann::json::array()},
          {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}}},
        {"decoder", {{"type", "ByteFallback"}}}};
    return Tokenizer::from_tokenizer_json_text(j.dump(), "tokenizer.json");
}

} // namespace

TEST_CASE(bos_belongs_to_the_first_part) {
    const Tokenizer tok = bos_tokenizer();
    CHECK(tok.adds_bos());
    CHECK_EQ(tok.encode("ab\n").size(), size_t(3));
    StoryContext ctx;
    ctx.memory = "Memo";
    PromptRequest req;
    const std::string story = "Para one.\n\nPara two is here.\n\nThree";
    req.story = story;
    req.context = &ctx;
    req.context_length = 40;
    req.max_new_tokens = 0; // budget 40
    BuiltPrompt p = build_prompt(tok, req);
    check_invariants(tok, p, story, 40, 0);
    CHECK_EQ(kinds(p), "memory,story");
    CHECK(p.parts[0].ids.front() == 1);
    CHECK(std::count(p.ids.begin(), p.ids.end(), 1) == 1);
    CHECK_EQ(p.parts[0].ids.size(), size_t(6)); // <s> M e m o \n
    CHECK(int(p.ids.size()) <= 40);
    // 34 tokens are left and the grid step is 10: the cut is the first
    // paragraph start whose text fits.
    CHECK_EQ(std::string(std::string_view(story).substr(p.story_cut)), "Para two is here.\n\nThree");
    // Without a memory the story gets it.
    ctx.memory.clear();
    p = build_prompt(tok, req);
    check_invariants(tok, p, story, 40, 0);
    CHECK(p.parts[0].kind == PromptPartKind::Story && p.parts[0].ids.front() == 1);
    CHECK_EQ(int(p.ids.size()), 1 + int(story.size() - p.story_cut));
    // Nothing at all: BOS alone.
    req.story = "";
    p = build_prompt(tok, req);
    CHECK(p.ids == Ids{1});
    // BOS counts in the refusal.
    ctx.memory = std::string(39, 'm'); // 40 with its newline, 41 with BOS
    req.story = "x";
    CHECK_THROWS_WITH(UsageError, build_prompt(tok, req), "The memory (41 tokens)");
}

FABULA_TEST_MAIN
