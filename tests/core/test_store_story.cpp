// Long stories in the store (schema v6): series, each draft's and each
// series' memory, author's note and lorebook, the rule that combines them
// for a prompt, and the story JSON file that travels with an exported draft.
#include "check.h"
#include "store_test_support.h"
#include "core/error.h"
#include "core/store/story_json.h"
#include "core/store/store.h"

#include <string>
#include <vector>

using namespace fabula;
using namespace store_test;

namespace {

std::int64_t count_rows(Store& store, const std::string& sql) { return store.database().query_int(sql); }

// Every field away from its default, with text no ASCII-only path survives.
StorySettings rich_settings() {
    StorySettings s;
    s.memory = "Élise, 東京の灯台守 🙂.\nShe hates \"fog\" and \\ backslashes.\n\nSecond paragraph.";
    s.authors_note = "Write in the present tense; keep it ǅark.";
    s.authors_note_depth = 7;
    s.lore_scan_tokens = 2500;
    s.lore_recursive = false;
    s.lore = {
        LoreEntry{.name = "Élise",
                  .keys = {"Élise", "the keeper"},
                  .secondary_keys = {"lighthouse"},
                  .content = "Élise is forty, born in Brest.",
                  .always = false,
                  .case_sensitive = true,
                  .enabled = true,
                  .order = 5},
        LoreEntry{.name = "",
                  .keys = {"/fog(horn)?/i"},
                  .secondary_keys = {},
                  .content = "The foghorn sounds every 30 seconds.",
                  .always = true,
                  .case_sensitive = false,
                  .enabled = false,
                  .order = -3},
        LoreEntry{.name = "東京", .keys = {"東京"}, .content = "", .order = 0},
    };
    return s;
}

void check_same(const StorySettings& a, const StorySettings& b) {
    CHECK_EQ(a.memory, b.memory);
    CHECK_EQ(a.authors_note, b.authors_note);
    CHECK_EQ(a.authors_note_depth, b.authors_note_depth);
    CHECK_EQ(a.lore_scan_tokens, b.lore_scan_tokens);
    CHECK_EQ(a.lore_recursive, b.lore_recursive);
    CHECK_EQ(a.lore.size(), b.lore.size());
    for (std::size_t i = 0; i < std::min(a.lore.size(), b.lore.size()); ++i) {
        const LoreEntry &x = a.lore[i], &y = b.lore[i];
        CHECK_EQ(x.name, y.name);
        CHECK(x.keys == y.keys);
        CHECK(x.secondary_keys == y.secondary_keys);
        CHECK_EQ(x.content, y.content);
        CHECK_EQ(x.always, y.always);
        CHECK_EQ(x.case_sensitive, y.case_sensitive);
        CHECK_EQ(x.enabled, y.enabled);
        CHECK_EQ(x.order, y.order);
    }
    CHECK(a == b);
}

template <class F>
std::string store_error_message(F&& f) {
    try {
        f();
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::Invalid);
        return e.what();
    }
    CHECK(false);
    return {};
}

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

} // namespace

TEST_CASE(draft_and_series_settings_round_trip) {
    TempDir dir;
    const std::string path = dir.file("fabula.db");
    const StorySettings rich = rich_settings();
    StorySettings series_settings;
    series_settings.memory = "The saga of the north coast.";
    series_settings.lore = {LoreEntry{.name = "Brest", .keys = {"Brest"}, .content = "A port city."}};
    std::int64_t draft = 0, saga = 0;
    {
        Store store(path);
        draft = store.create_draft("Book one", "Élise climbed the stairs.");
        saga = store.create_series("North coast");
        // Nothing stored yet: the defaults.
        CHECK(store.draft_story(draft) == StorySettings{});
        CHECK(store.series_story(saga) == StorySettings{});
        CHECK_EQ(store.draft_story(draft).authors_note_depth, 3);
        CHECK_EQ(store.draft_story(draft).lore_scan_tokens, 1000);
        CHECK(store.draft_story(draft).lore_recursive);
        store.set_draft_story(draft, rich);
        store.set_series_story(saga, series_settings);
        check_same(store.draft_story(draft), rich);
    }
    // Survives closing the store.
    Store store(path);
    check_same(store.draft_story(draft), rich);
    check_same(store.series_story(saga), series_settings);
    // A set replaces everything, the lorebook included.
    StorySettings smaller = rich;
    smaller.lore.erase(smaller.lore.begin());
    smaller.memory.clear();
    store.set_draft_story(draft, smaller);
    check_same(store.draft_story(draft), smaller);
    CHECK_EQ(count_rows(store, "SELECT count(*) FROM lore_entries WHERE owner_kind = 'draft'"), 2);
    store.set_draft_story(draft, StorySettings{});
    check_same(store.draft_story(draft), StorySettings{});
    CHECK_EQ(count_rows(store, "SELECT count(*) FROM lore_entries WHERE owner_kind = 'draft'"), 0);
    // The series' settings were never touched by the draft's.
    check_same(store.series_story(saga), series_settings);
    // A read-only connection reads them (the reads take no write lock).
    store.set_draft_series(draft, saga);
    {
        Store ro(path, {.read_only = true});
        check_same(ro.series_story(saga), series_settings);
        CHECK_EQ(ro.story_context_for(draft).memory, series_settings.memory);
        CHECK(error_kind([&] { ro.set_draft_story(draft, rich); }) == StoreError::Kind::ReadOnly);
    }
    // Unknown owners.
    CHECK(error_kind([&] { store.draft_story(999); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.set_draft_story(999, rich); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.series_story(999); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.set_series_story(999, rich); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.story_context_for(999); }) == StoreError::Kind::NotFound);
}

TEST_CASE(series_names_are_unique_and_non_empty) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    const auto b = store.create_series("  Brume ");
    const auto a = store.create_series("Aube");
    CHECK_EQ(must(store.get_series(b)).name, std::string("Brume")); // trimmed
    auto list = store.series();
    CHECK_EQ(list.size(), std::size_t(2));
    CHECK_EQ(list[0].name, std::string("Aube")); // by name
    CHECK_EQ(list[1].id, b);

    auto msg = store_error_message([&] { store.create_series("brume"); });
    CHECK(contains(msg, "there is already a series named \"Brume\""));
    CHECK(contains(msg, store.path())); // the store's error style: the file first
    CHECK(contains(store_error_message([&] { store.create_series(""); }), "a series needs a name"));
    CHECK(contains(store_error_message([&] { store.create_series(" \t\u00a0\u3000"); }), "a series needs a name"));
    CHECK(contains(store_error_message([&] { store.rename_series(a, "BRUME"); }), "already a series"));
    CHECK(contains(store_error_message([&] { store.rename_series(a, " "); }), "a series needs a name"));
    CHECK_EQ(store.series().size(), std::size_t(2));
    CHECK_EQ(must(store.get_series(a)).name, std::string("Aube"));

    store.rename_series(a, "Aube claire");
    store.rename_series(b, "brume"); // its own name in another case is no clash
    CHECK_EQ(must(store.get_series(a)).name, std::string("Aube claire"));
    CHECK_EQ(must(store.get_series(b)).name, std::string("brume"));
    CHECK(error_kind([&] { store.rename_series(999, "x"); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.delete_series(999); }) == StoreError::Kind::NotFound);

    const auto d = store.create_draft("Draft");
    CHECK_EQ(store.draft_series(d), 0);
    CHECK(error_kind([&] { store.set_draft_series(d, 999); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.set_draft_series(999, a); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.draft_series(999); }) == StoreError::Kind::NotFound);
    const auto updated = must(store.get_draft(d)).updated_at;
    store.set_draft_series(d, a);
    CHECK_EQ(store.draft_series(d), a);
    CHECK(store.series_drafts(a) == std::vector<std::int64_t>({d}));
    CHECK_EQ(must(store.get_draft(d)).updated_at, updated);
    store.set_draft_series(d, 0);
    CHECK_EQ(store.draft_series(d), 0);
    CHECK(store.series_drafts(a).empty());
}

TEST_CASE(story_context_combines_series_and_draft) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    const auto d = store.create_draft("Book two");
    StorySettings own;
    own.memory = "Draft memory.";
    own.authors_note = "Draft note.";
    own.authors_note_depth = 1;
    own.lore_scan_tokens = 300;
    own.lore_recursive = false;
    own.lore = {LoreEntry{.name = "d1", .keys = {"d1"}, .content = "draft one"},
                LoreEntry{.name = "d2", .keys = {"d2"}, .content = "draft two", .enabled = false}};
    store.set_draft_story(d, own);

    // Outside a series: the draft's own settings, and StoryContext's defaults
    // for what the store does not keep.
    auto c = store.story_context_for(d);
    CHECK_EQ(c.memory, own.memory);
    CHECK_EQ(c.authors_note, own.authors_note);
    CHECK_EQ(c.authors_note_depth, 1);
    CHECK_EQ(c.lore_scan_tokens, 300);
    CHECK(!c.lore_recursive);
    CHECK_EQ(c.lore.size(), std::size_t(2));
    CHECK(!c.lore[1].enabled);
    CHECK_EQ(c.lore_budget, StoryContext{}.lore_budget);
    CHECK_EQ(c.authors_note_template, StoryContext{}.authors_note_template);

    const auto saga = store.create_series("Saga");
    StorySettings shared;
    shared.memory = "Series memory.";
    shared.authors_note = "Series note.";
    shared.authors_note_depth = 9;
    shared.lore_scan_tokens = 4000;
    shared.lore_recursive = true;
    shared.lore = {LoreEntry{.name = "s1", .keys = {"s1"}, .content = "series one", .order = 2}};
    store.set_series_story(saga, shared);
    store.set_draft_series(d, saga);

    c = store.story_context_for(d);
    CHECK_EQ(c.memory, std::string("Series memory.\n\nDraft memory."));
    CHECK_EQ(c.lore.size(), std::size_t(3));
    CHECK_EQ(c.lore[0].name, std::string("s1"));
    CHECK_EQ(c.lore[0].order, 2);
    CHECK_EQ(c.lore[1].name, std::string("d1"));
    CHECK_EQ(c.lore[2].name, std::string("d2"));
    CHECK_EQ(c.authors_note, std::string("Draft note."));
    CHECK_EQ(c.authors_note_depth, 1);
    CHECK_EQ(c.lore_scan_tokens, 300); // the draft has settings of its own
    CHECK(!c.lore_recursive);

    // An empty part of the memory is skipped; the series' note (and its
    // depth) stands in for an empty draft note.
    own.memory.clear();
    own.authors_note.clear();
    store.set_draft_story(d, own);
    c = store.story_context_for(d);
    CHECK_EQ(c.memory, std::string("Series memory."));
    CHECK_EQ(c.authors_note, std::string("Series note."));
    CHECK_EQ(c.authors_note_depth, 9);
    CHECK_EQ(c.lore_scan_tokens, 300);

    shared.memory.clear();
    own.memory = "Only the draft's.";
    store.set_series_story(saga, shared);
    store.set_draft_story(d, own);
    CHECK_EQ(store.story_context_for(d).memory, std::string("Only the draft's."));

    // A draft without settings of its own in the series: everything shared.
    const auto bare = store.create_draft("Book three");
    store.set_draft_series(bare, saga);
    c = store.story_context_for(bare);
    CHECK_EQ(c.memory, std::string());
    CHECK_EQ(c.authors_note, std::string("Series note."));
    CHECK_EQ(c.authors_note_depth, 9);
    CHECK_EQ(c.lore_scan_tokens, 4000);
    CHECK(c.lore_recursive);
    CHECK_EQ(c.lore.size(), std::size_t(1));

    // Both notes empty: no note, the draft's depth.
    shared.authors_note.clear();
    store.set_series_story(saga, shared);
    c = store.story_context_for(d);
    CHECK_EQ(c.authors_note, std::string());
    CHECK_EQ(c.authors_note_depth, 1);
}

TEST_CASE(deleting_a_series_detaches_its_drafts) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    const auto saga = store.create_series("Saga");
    const auto other = store.create_series("Other");
    const auto d1 = store.create_draft("One"), d2 = store.create_draft("Two"), d3 = store.create_draft("Three");
    store.set_draft_series(d1, saga);
    store.set_draft_series(d2, saga);
    store.set_draft_series(d3, other);
    StorySettings mine;
    mine.memory = "d1's own memory";
    mine.lore = {LoreEntry{.name = "own", .keys = {"own"}, .content = "kept"}};
    store.set_draft_story(d1, mine);
    StorySettings shared;
    shared.memory = "shared memory";
    shared.lore = {LoreEntry{.name = "shared", .keys = {"x"}, .content = "goes"},
                   LoreEntry{.name = "shared2", .keys = {"y"}, .content = "goes too"}};
    store.set_series_story(saga, shared);
    store.set_series_story(other, shared);
    CHECK_EQ(store.story_context_for(d1).lore.size(), std::size_t(3));

    store.delete_series(saga);
    CHECK(!store.get_series(saga).has_value());
    CHECK_EQ(store.series().size(), std::size_t(1));
    CHECK_EQ(store.draft_series(d1), 0);
    CHECK_EQ(store.draft_series(d2), 0);
    CHECK_EQ(store.draft_series(d3), other);
    CHECK(must(store.get_draft(d1)).title == "One" && must(store.get_draft(d2)).title == "Two");
    check_same(store.draft_story(d1), mine);
    auto c = store.story_context_for(d1);
    CHECK_EQ(c.memory, mine.memory);
    CHECK_EQ(c.lore.size(), std::size_t(1));
    CHECK(error_kind([&] { store.series_story(saga); }) == StoreError::Kind::NotFound);
    // The series' rows went with it; the other series' stayed.
    CHECK_EQ(count_rows(store, "SELECT count(*) FROM story_settings WHERE owner_kind = 'series' AND owner_id = " +
                                   std::to_string(saga)),
             0);
    CHECK_EQ(count_rows(store, "SELECT count(*) FROM lore_entries WHERE owner_kind = 'series' AND owner_id = " +
                                   std::to_string(saga)),
             0);
    check_same(store.series_story(other), shared);
    // A new series does not inherit the old one's rows through a reused id.
    const auto again = store.create_series("Saga");
    CHECK(store.series_story(again) == StorySettings{});
}

TEST_CASE(trash_keeps_settings_and_purge_removes_them) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    const auto saga = store.create_series("Saga");
    const auto d = store.create_draft("Doomed", "text");
    const auto keep = store.create_draft("Kept");
    store.set_draft_series(d, saga);
    const StorySettings rich = rich_settings();
    store.set_draft_story(d, rich);
    store.set_draft_story(keep, rich);

    store.trash_draft(d);
    check_same(store.draft_story(d), rich);
    CHECK_EQ(store.draft_series(d), saga);
    store.restore_draft(d);
    check_same(store.draft_story(d), rich);

    store.trash_draft(d);
    store.purge_draft(d);
    CHECK(error_kind([&] { store.draft_story(d); }) == StoreError::Kind::NotFound);
    CHECK_EQ(count_rows(store, "SELECT count(*) FROM story_settings WHERE owner_kind = 'draft' AND owner_id = " +
                                   std::to_string(d)),
             0);
    CHECK_EQ(count_rows(store, "SELECT count(*) FROM lore_entries WHERE owner_kind = 'draft' AND owner_id = " +
                                   std::to_string(d)),
             0);
    check_same(store.draft_story(keep), rich);
    CHECK(store.series_drafts(saga).empty());

    // Emptying the trash takes the settings along as well.
    store.trash_draft(keep);
    CHECK_EQ(store.purge_trash(store.now() + 1), 1);
    CHECK_EQ(count_rows(store, "SELECT count(*) FROM story_settings"), 0);
    CHECK_EQ(count_rows(store, "SELECT count(*) FROM lore_entries"), 0);
}

TEST_CASE(duplicate_copies_story_and_series) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    const auto saga = store.create_series("Saga");
    const auto d = store.create_draft("Original", "body");
    store.set_draft_series(d, saga);
    store.set_draft_story(d, rich_settings());
    const auto copy = store.duplicate_draft(d, "Copy");
    CHECK_EQ(store.draft_series(copy), saga);
    check_same(store.draft_story(copy), rich_settings());
    // A copy, not a share: changing one leaves the other.
    store.set_draft_story(copy, StorySettings{});
    check_same(store.draft_story(d), rich_settings());
    const auto plain = store.duplicate_draft(store.create_draft("Plain"), "Plain copy");
    CHECK_EQ(store.draft_series(plain), 0);
    CHECK(store.draft_story(plain) == StorySettings{});
}

TEST_CASE(absurd_settings_are_refused_and_the_old_ones_kept) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    const auto d = store.create_draft("Draft");
    const auto saga = store.create_series("Saga");
    const StorySettings good = rich_settings();
    store.set_draft_story(d, good);
    store.set_series_story(saga, good);

    struct Case {
        const char* needle;
        StorySettings settings;
    };
    std::vector<Case> cases;
    auto with = [&](auto change) {
        StorySettings s = good;
        change(s);
        return s;
    };
    cases.push_back({"the memory is 204801 bytes", with([](StorySettings& s) {
                         s.memory.assign(kMaxStoryTextBytes + 1, 'm');
                     })});
    cases.push_back({"the author's note is", with([](StorySettings& s) {
                         s.authors_note.assign(kMaxStoryTextBytes + 1, 'n');
                     })});
    cases.push_back({"depth -1", with([](StorySettings& s) { s.authors_note_depth = -1; })});
    cases.push_back({"depth 1001", with([](StorySettings& s) { s.authors_note_depth = 1001; })});
    cases.push_back({"scan window of -1", with([](StorySettings& s) { s.lore_scan_tokens = -1; })});
    cases.push_back({"has 10001 entries", with([](StorySettings& s) {
                         s.lore.assign(kMaxLoreEntries + 1, LoreEntry{.keys = {"k"}, .content = "c"});
                     })});
    cases.push_back({"the text of lore entry 2", with([](StorySettings& s) {
                         s.lore[1].content.assign(kMaxStoryTextBytes + 1, 'c');
                     })});
    cases.push_back({"lore entry 1 (\"Élise\") has 1001 keys", with([](StorySettings& s) {
                         s.lore[0].keys.assign(kMaxLoreKeys + 1, "k");
                     })});
    for (const auto& c : cases) {
        const auto msg = store_error_message([&] { store.set_draft_story(d, c.settings); });
        if (!contains(msg, c.needle)) ::fabula_test::fail(__FILE__, __LINE__, "message lacks '" + std::string(c.needle) + "': " + msg);
        CHECK(contains(msg, "could not save the draft's story settings"));
        store_error_message([&] { store.set_series_story(saga, c.settings); });
        check_same(store.draft_story(d), good);
        check_same(store.series_story(saga), good);
    }
    // The limits themselves are allowed.
    StorySettings edge = good;
    edge.memory.assign(kMaxStoryTextBytes, 'm');
    edge.authors_note_depth = kMaxAuthorsNoteDepth;
    edge.lore_scan_tokens = 0;
    store.set_draft_story(d, edge);
    check_same(store.draft_story(d), edge);
}

TEST_CASE(a_failed_write_leaves_nothing_half_written) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    const auto d = store.create_draft("Draft");
    const StorySettings good = rich_settings();
    store.set_draft_story(d, good);
    // A failure at the third lore row, after the settings row and the first
    // two entries were written inside the transaction.
    store.database().exec(
        "CREATE TEMP TRIGGER fail_third BEFORE INSERT ON lore_entries WHEN NEW.position = 2 "
        "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
    StorySettings next = good;
    next.memory = "changed";
    next.lore.push_back(LoreEntry{.name = "four", .keys = {"four"}});
    CHECK_THROWS_WITH(StoreError, store.set_draft_story(d, next), "simulated failure");
    check_same(store.draft_story(d), good);
    CHECK(!store.database().in_transaction());
    store.database().exec("DROP TRIGGER fail_third");
    store.set_draft_story(d, next);
    check_same(store.draft_story(d), next);
}

TEST_CASE(backup_carries_series_and_story_settings) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    const auto saga = store.create_series("Saga — 北");
    const auto d = store.create_draft("Book", "text");
    store.set_draft_series(d, saga);
    store.set_draft_story(d, rich_settings());
    StorySettings shared;
    shared.memory = "shared";
    shared.lore = {LoreEntry{.name = "s", .keys = {"s"}, .content = "series lore"}};
    store.set_series_story(saga, shared);
    const std::string backup = dir.file("backup.db");
    store.backup_to(backup);
    {
        // The tables themselves, read without the Store.
        sqlite::Database raw(backup, {.read_only = true});
        CHECK_EQ(raw.query_text("SELECT name FROM series"), std::string("Saga — 北"));
        CHECK_EQ(raw.query_int("SELECT series_id FROM drafts WHERE id = " + std::to_string(d)), saga);
        CHECK_EQ(raw.query_text("SELECT memory FROM story_settings WHERE owner_kind = 'draft'"),
                 rich_settings().memory);
        CHECK_EQ(raw.query_int("SELECT count(*) FROM lore_entries WHERE owner_kind = 'draft'"), 3);
        CHECK_EQ(raw.query_text("SELECT keys FROM lore_entries WHERE owner_kind = 'draft' AND position = 0"),
                 std::string(R"(["Élise","the keeper"])"));
        CHECK_EQ(raw.query_text("SELECT content FROM lore_entries WHERE owner_kind = 'series'"),
                 std::string("series lore"));
    }
    Store copy(backup);
    check_same(copy.draft_story(d), rich_settings());
    check_same(copy.series_story(saga), shared);
    CHECK_EQ(copy.draft_series(d), saga);
    CHECK_EQ(copy.story_context_for(d).memory, store.story_context_for(d).memory);
}

TEST_CASE(story_json_round_trip) {
    const StorySettings rich = rich_settings();
    const std::string text = story_settings_to_json(rich, "North coast — 北");
    CHECK(contains(text, "\"format\": \"fabula-story\""));
    CHECK(contains(text, "\"version\": 1"));
    CHECK(!text.empty() && text.back() == '\n');
    std::string series = "stale";
    check_same(story_settings_from_json(text, "book.story.json", &series), rich);
    CHECK_EQ(series, std::string("North coast — 北"));
    // No series: the field is left out and reads back empty.
    const std::string alone = story_settings_to_json(StorySettings{}, "");
    CHECK(!contains(alone, "\"series\""));
    check_same(story_settings_from_json(alone, "x.json", &series), StorySettings{});
    CHECK_EQ(series, std::string());
    // The field names of the format, as other tools would write them.
    const auto minimal = story_settings_from_json(
        R"({"format": "fabula-story", "version": 1, "memory": "M", "future_field": [1, 2],
            "lore": [{"keys": ["k"], "content": "C", "order": 4.0, "enabled": false}]})",
        "hand.json");
    CHECK_EQ(minimal.memory, std::string("M"));
    CHECK_EQ(minimal.authors_note_depth, 3);
    CHECK(minimal.lore_recursive);
    CHECK_EQ(minimal.lore.size(), std::size_t(1));
    CHECK_EQ(minimal.lore[0].order, 4);
    CHECK(!minimal.lore[0].enabled);
    CHECK(minimal.lore[0].keys == std::vector<std::string>({"k"}));
}

TEST_CASE(story_json_malformed_input_names_the_file) {
    auto error_of = [](const std::string& text) {
        try {
            story_settings_from_json(text, "/exports/book.story.json");
        } catch (const FileError& e) {
            CHECK_EQ(e.path(), std::string("/exports/book.story.json"));
            return std::string(e.what());
        }
        ::fabula_test::fail(__FILE__, __LINE__, "no FileError for: " + text);
    };
    struct Case {
        const char* text;
        const char* needle;
    };
    const Case cases[] = {
        {"", "not valid JSON"},
        {"{\"format\": \"fabula-story\", ", "not valid JSON"},
        {"[1, 2]", "the top level must be a JSON object"},
        {R"({"version": 1})", "\"format\" must be \"fabula-story\""},
        {R"({"format": "novelai", "version": 1})", "\"format\" must be \"fabula-story\""},
        {R"({"format": "fabula-story"})", "no \"version\""},
        {R"({"format": "fabula-story", "version": 2})", "made by a newer Fabula"},
        {R"({"format": "fabula-story", "version": 0})", "version 0 does not exist"},
        {R"({"format": "fabula-story", "version": 1, "memory": 5})", "\"memory\" must be a string"},
        {R"({"format": "fabula-story", "version": 1, "authors_note_depth": "3"})",
         "\"authors_note_depth\" must be a whole number"},
        {R"({"format": "fabula-story", "version": 1, "authors_note_depth": 2.5})", "must be a whole number"},
        {R"({"format": "fabula-story", "version": 1, "lore_scan_tokens": 1e30})", "of a sensible size"},
        {R"({"format": "fabula-story", "version": 1, "lore_recursive": 1})", "\"lore_recursive\" must be true or false"},
        {R"({"format": "fabula-story", "version": 1, "lore": {}})", "\"lore\" must be a list of entries"},
        {R"({"format": "fabula-story", "version": 1, "lore": [{}, "x"]})", "lore entry 2: must be a JSON object"},
        {R"({"format": "fabula-story", "version": 1, "lore": [{"keys": "k"}]})",
         "lore entry 1: \"keys\" must be a list of strings"},
        {R"({"format": "fabula-story", "version": 1, "lore": [{"keys": ["a", 3]}]})", "must be a list of strings"},
        {R"({"format": "fabula-story", "version": 1, "authors_note_depth": 5000})", "depth 5000 is not between"},
        {"{\"format\": \"fabula-story\", \"version\": 1, \"memory\": \"\xff\"}", "not valid JSON"},
    };
    for (const auto& c : cases) {
        const std::string msg = error_of(c.text);
        if (!contains(msg, c.needle))
            ::fabula_test::fail(__FILE__, __LINE__, "message lacks '" + std::string(c.needle) + "': " + msg);
        CHECK(msg.rfind("/exports/book.story.json: ", 0) == 0);
    }
}

FABULA_TEST_MAIN
