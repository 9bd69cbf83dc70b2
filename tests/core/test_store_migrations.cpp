// Schema versions: databases made by every earlier Fabula open with their
// data intact, a newer Fabula's database is refused without being touched,
// and a failed upgrade leaves the last complete version.
#include "check.h"
#include "store_test_support.h"
#include "core/store/schema.h"
#include "core/store/store.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace fabula;
namespace fs = std::filesystem;
using namespace store_test;

namespace {


// Rows as the Fabula of that version wrote them, in that version's SQL.
void fill_v1(sqlite::Database& db) {
    db.exec(R"sql(
INSERT INTO drafts (id, title, body, word_count, created_at, updated_at, trashed_at) VALUES
  (1, 'Old draft', 'three words here', 3, 1000, 2000, NULL),
  (2, 'Trashed', 'x', 1, 1000, 1500, 1600);
INSERT INTO revisions (id, draft_id, kind, text, created_at) VALUES
  (1, 1, 'manual', 'two words', 1500),
  (2, 1, 'autosave', 'a b c d', 1800);
INSERT INTO models (id, name, path, weights_sha256, added_at) VALUES (1, 'gpt2', '/m/gpt2', '', 900);
INSERT INTO continuations (id, draft_id, model_id, context_ids, context_text, continuation_ids,
  continuation_text, settings_json, prompt_tokens, new_tokens, ms_to_first_token, tokens_per_second,
  status, created_at, decided_at) VALUES
  (1, 1, 1, x'01000000FEFFFFFF', 'three words', x'03000000', ' here', '{"t":1}', 2, 1, 5.5, 40.0,
   'accepted', 1900, 1950),
  (2, 1, 1, x'', '', x'', '', '{}', 0, 0, NULL, NULL, 'cancelled', 1990, 1991);
INSERT INTO ratings (continuation_id, thumbs, stars, rated_at) VALUES (1, 1, 4, 1960);
)sql");
}

// Version 2 wrote the same rows (the migration tests check them); its
// models had a checksum with no record of the file it was computed for.
void fill_v2(sqlite::Database& db) {
    fill_v1(db);
    db.exec("UPDATE revisions SET word_count = CASE id WHEN 1 THEN 2 ELSE 4 END");
    db.exec("UPDATE models SET weights_sha256 = '" + std::string(64, 'a') + "' WHERE id = 1");
    db.exec(R"sql(
INSERT INTO training_runs (id, model_id, out_dir, status, started_at, finished_at, metrics_json) VALUES
  (1, 1, '/runs/old', 'finished', 3000, 4000, '{"loss":2.5}'),
  (2, NULL, '/runs/live', 'running', 3500, NULL, '{}');
)sql");
}

// Version 3 wrote the same rows: its runs were still version 2's, and a
// checksum carried over from version 2 has no stamp (check_v1_rows).
void fill_v3(sqlite::Database& db) { fill_v2(db); }

// Version 4 wrote the same continuations, and its runs in the new table.
// Three more continuations for the rounds of version 5: two that asked for
// the same context in draft 1 (a Regenerate), one with that context in
// draft 2, which is another request.
void fill_v4(sqlite::Database& db) {
    fill_v3(db);
    db.exec(R"sql(
INSERT INTO continuations (id, draft_id, model_id, context_ids, context_text, continuation_ids,
  continuation_text, settings_json, prompt_tokens, new_tokens, status, created_at, decided_at) VALUES
  (3, 1, 1, x'0700000008000000', 'seven eight', x'09000000', ' nine', '{}', 2, 1, 'rejected', 2100, 2110),
  (4, 1, 1, x'0700000008000000', 'seven eight', x'0A000000', ' ten', '{}', 2, 1, 'accepted', 2120, 2130),
  (5, 2, 1, x'0700000008000000', 'seven eight', x'0B000000', ' eleven', '{}', 2, 1, 'rejected', 2140, 2150);
)sql");
}

// Version 5 wrote version 4's rows with the rounds its upgrade gives them
// (check_v4_rounds), and kept draft 2 out of training.
void fill_v5(sqlite::Database& db) {
    fill_v4(db);
    db.exec(R"sql(
INSERT INTO rounds (id, created_at) VALUES (1, 1900), (2, 1990), (3, 2100), (5, 2140);
UPDATE continuations SET round_id = CASE id WHEN 4 THEN 3 ELSE id END;
INSERT INTO feedback_left_out_drafts (draft_id, left_out_at) VALUES (2, 2200);
)sql");
}

// One filler per version an older Fabula may have left behind; a new
// migration needs the filler of the version before it.
const std::map<int, void (*)(sqlite::Database&)> kFillers = {
    {1, &fill_v1}, {2, &fill_v2}, {3, &fill_v3}, {4, &fill_v4}, {5, &fill_v5}};

// Version 6 on older rows: no draft is in a series, every draft has the
// default story settings, and series, settings and lore work on the old
// drafts. Runs last: it purges draft 2.
void check_v6_story(Store& store, int from_version) {
    CHECK(store.series().empty());
    CHECK_EQ(store.draft_series(2), 0);
    CHECK(store.draft_story(2) == StorySettings{});
    const StoryContext none = store.story_context_for(2);
    CHECK_EQ(none.memory, std::string());
    CHECK(none.lore.empty());
    CHECK_EQ(none.authors_note_depth, StoryContext{}.authors_note_depth);
    CHECK_EQ(store.database().query_int("SELECT count(*) FROM story_settings"), 0);
    if (from_version >= 5) CHECK(store.left_out_drafts() == std::vector<std::int64_t>({2}));

    const auto saga = store.create_series("Saga");
    store.set_draft_series(2, saga);
    StorySettings s;
    s.memory = "Mia is a lighthouse keeper.";
    s.lore = {LoreEntry{.name = "Mia", .keys = {"Mia"}, .content = "Mia is 30."}};
    store.set_draft_story(2, s);
    CHECK(store.draft_story(2) == s);
    CHECK_EQ(store.draft_series(2), saga);
    // The rebuilt drafts table kept its columns and its place in the list.
    CHECK(must(store.get_draft(2)).trashed_at == 1600);
    CHECK_EQ(must(store.get_draft(2)).body, std::string("x"));
    store.delete_series(saga);
    CHECK_EQ(store.draft_series(2), 0);
    store.purge_draft(2);
    CHECK_EQ(store.database().query_int("SELECT count(*) FROM story_settings"), 0);
    CHECK_EQ(store.database().query_int("SELECT count(*) FROM lore_entries"), 0);
    CHECK(store.left_out_drafts().empty());
}

// Version 5's rounds on the rows of version 4: continuations of one draft
// with the same context share a round (numbered by the first of them), any
// other continuation has one of its own; new rows and what version 5 added
// work on the old ones.
void check_v4_rounds(Store& store) {
    const auto r1 = must(store.get_continuation(1)).round_id;
    const auto r3 = must(store.get_continuation(3)).round_id;
    CHECK(r1.has_value() && r3.has_value());
    CHECK(r1 == std::optional<std::int64_t>(1));
    CHECK(r3 == std::optional<std::int64_t>(3));
    CHECK(must(store.get_continuation(2)).round_id == std::optional<std::int64_t>(2));
    CHECK(must(store.get_continuation(4)).round_id == r3);
    CHECK(must(store.get_continuation(5)).round_id == std::optional<std::int64_t>(5));
    CHECK_EQ(store.database().query_int("SELECT count(*) FROM continuations WHERE round_id IS NULL"), 0);
    // The Regenerate of version 4 is a pair now: accepted 4 over rejected 3.
    auto items = store.feedback_items();
    int round_pairs = 0;
    for (const auto& p : items.pairs)
        if (p.source == PairSource::Round) {
            ++round_pairs;
            CHECK_EQ(p.key.continuation_id, 4);
            CHECK_EQ(p.key.other_id, 3);
            CHECK(p.prompt_ids == std::vector<std::int32_t>({7, 8}));
        }
    CHECK_EQ(round_pairs, 1);
    NewContinuation c;
    c.draft_id = 1;
    c.context_ids = {7, 8};
    c.context_text = "seven eight";
    c.continuation_text = " twelve";
    c.round_id = r3;
    auto id = store.record_continuation(c);
    CHECK(must(store.get_continuation(id)).round_id == r3);
    c.round_id.reset();
    auto own = store.record_continuation(c);
    CHECK(must(store.get_continuation(own)).round_id > r3);
    auto pick = store.record_ab_pick({.draft_id = 1, .a_id = 3, .b_id = 4, .choice = AbChoice::B});
    CHECK_EQ(store.list_ab_picks().size(), std::size_t(1));
    CHECK_EQ(store.list_ab_picks()[0].id, pick);
}

void check_v1_rows(Store& store) {
    auto d = store.get_draft(1);
    CHECK(d.has_value());
    CHECK_EQ(d->title, std::string("Old draft"));
    CHECK_EQ(d->body, std::string("three words here"));
    CHECK_EQ(d->word_count, 3);
    CHECK_EQ(d->created_at, 1000);
    CHECK_EQ(d->updated_at, 2000);
    CHECK(!d->trashed_at);
    CHECK(store.get_draft(2)->trashed_at == 1600);
    CHECK_EQ(store.list_drafts().size(), std::size_t(1));

    // Version 2 backfilled the revision word counts.
    auto revs = store.list_revisions(1);
    CHECK_EQ(revs.size(), std::size_t(2));
    CHECK_EQ(revs[0].id, 2);
    CHECK_EQ(revs[0].word_count, 4);
    CHECK(revs[0].kind == RevisionKind::Autosave);
    CHECK_EQ(revs[1].word_count, 2);
    CHECK_EQ(must(store.get_revision(1)).text, std::string("two words"));

    CHECK_EQ(store.list_models().size(), std::size_t(1));
    // Version 3: a checksum without a stamp is computed again, for any file.
    CHECK(!must(store.get_model(1)).weights_stamp);
    CHECK_EQ(must(store.get_model(1)).weights_sha256_for(FileStamp{1, 2}), std::string());
    auto c = store.get_continuation(1);
    CHECK(c.has_value());
    CHECK(c->context_ids == std::vector<std::int32_t>({1, -2}));
    CHECK(c->continuation_ids == std::vector<std::int32_t>({3}));
    CHECK_EQ(c->settings_json, std::string(R"({"t":1})"));
    CHECK(c->status == ContinuationStatus::Accepted);
    CHECK(c->decided_at == 1950);
    CHECK_NEAR(*c->ms_to_first_token, 5.5, 0);
    CHECK(!c->edited_text && !c->edited_at);
    CHECK(c->rating && c->rating->thumbs == 1 && c->rating->stars == 4 && c->rating->rated_at == 1960);
    CHECK(!store.get_continuation(2)->ms_to_first_token);
    CHECK_EQ(store.list_rated_continuations(1).size(), std::size_t(1));

    // What version 2 added works on the old rows.
    store.record_edit(1, " there");
    CHECK(store.get_continuation(1)->edited_text == std::string(" there"));
    auto run = store.add_training_run(1, "/runs/after-upgrade");
    CHECK(store.get_training_run(run)->model_id == 1);
    // Foreign keys are enforced on the upgraded file: purge cascades.
    store.trash_draft(1);
    store.purge_draft(1);
    CHECK(!store.get_continuation(1).has_value());
    CHECK_EQ(store.database().query_int("SELECT count(*) FROM ratings"), 0);
}

// The runs version 2 and 3 recorded, as version 4 reads them: unnamed, no
// settings, parent or result, and their statuses as they were.
void check_v2_runs(Store& store) {
    auto runs = store.list_training_runs();
    CHECK(runs.size() >= 2);
    auto old = must(store.get_training_run(1));
    CHECK_EQ(old.out_dir, std::string("/runs/old"));
    CHECK(old.status == TrainingStatus::Finished);
    CHECK(old.model_id == 1);
    CHECK_EQ(old.started_at, 3000);
    CHECK(old.finished_at == 4000);
    CHECK_EQ(old.metrics_json, std::string(R"({"loss":2.5})"));
    CHECK_EQ(old.name, std::string());
    CHECK_EQ(old.settings_json, std::string("{}"));
    CHECK(!old.parent_run_id && !old.result_model_id);
    auto live = must(store.get_training_run(2));
    CHECK(live.status == TrainingStatus::Running);
    CHECK(!live.model_id && !live.finished_at);
    // What version 4 added works on the old rows.
    store.set_training_run_status(2, TrainingStatus::Paused);
    CHECK(must(store.get_training_run(2)).status == TrainingStatus::Paused);
    NewTrainingRun more;
    more.name = "more";
    more.out_dir = "/runs/more";
    more.parent_run_id = 1;
    auto child = store.add_training_run(more);
    CHECK(must(store.get_training_run(child)).parent_run_id == 1);
    store.set_training_run_result(1, 1);
    CHECK(must(store.get_training_run(1)).result_model_id == 1);
}

std::vector<std::string> schema_of(sqlite::Database& db) {
    std::vector<std::string> out;
    auto st = db.prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name");
    while (st.step()) out.push_back(st.text(0));
    return out;
}


} // namespace

TEST_CASE(fresh_database_is_latest) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    CHECK_EQ(store.schema_version(), store_schema::latest_version());
    CHECK(store_schema::latest_version() >= 2);
    auto& db = store.database();
    CHECK_EQ(db.query_int("PRAGMA application_id"), store_schema::kApplicationId);
    CHECK_EQ(db.query_text("PRAGMA journal_mode"), std::string("wal"));
    CHECK_EQ(db.query_int("PRAGMA synchronous"), 2); // FULL
    CHECK_EQ(db.query_int("PRAGMA foreign_keys"), 1);
    CHECK_EQ(db.query_int("SELECT count(*) FROM sqlite_master WHERE name = 'training_runs'"), 1);
    for (int v = 1; v <= store_schema::latest_version(); ++v)
        CHECK(std::string(store_schema::describe(v)) != "unknown");
}

TEST_CASE(upgrades_from_every_earlier_version) {
    TempDir dir;
    std::vector<std::string> fresh_schema;
    {
        Store fresh(dir.file("fresh.db"));
        fresh_schema = schema_of(fresh.database());
    }
    const int latest = store_schema::latest_version();
    for (int v = 0; v < latest; ++v) {
        const std::string path = dir.file("v" + std::to_string(v) + ".db");
        {
            sqlite::Database db(path);
            store_schema::migrate(db, v);
            CHECK_EQ(db.query_int("PRAGMA user_version"), v);
            if (v > 0) {
                CHECK(kFillers.count(v) == 1);
                if (kFillers.count(v)) kFillers.at(v)(db);
            }
        }
        Store store(path);
        CHECK_EQ(store.schema_version(), latest);
        CHECK_EQ(store.integrity_check(), std::string("ok"));
        CHECK(!store.database().prepare("PRAGMA foreign_key_check").step());
        auto schema = schema_of(store.database());
        CHECK_EQ(schema.size(), fresh_schema.size());
        for (std::size_t i = 0; i < std::min(schema.size(), fresh_schema.size()); ++i)
            CHECK_EQ(schema[i], fresh_schema[i]);
        if (v >= 4) check_v4_rounds(store);
        if (v >= 2) check_v2_runs(store);
        if (v >= 1) check_v1_rows(store);
        if (v >= 1) check_v6_story(store, v);
        // Opening an up-to-date file again is a no-op.
        store = Store(path);
        CHECK_EQ(store.schema_version(), latest);
    }
}

TEST_CASE(newer_version_is_refused_untouched) {
    TempDir dir;
    const std::string path = dir.file("fabula.db");
    const int newer = store_schema::latest_version() + 1;
    {
        Store store(path);
        store.create_draft("From the future", "text");
        store.database().exec("PRAGMA user_version = " + std::to_string(newer));
    }
    try {
        Store store(path);
        CHECK(false);
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::NewerVersion);
        CHECK(std::string(e.what()).find(path) == 0);
        CHECK(std::string(e.what()).find("made by a newer Fabula") != std::string::npos);
    }
    CHECK(error_kind([&] { Store s(path, {.read_only = true}); }) == StoreError::Kind::NewerVersion);
    sqlite::Database db(path);
    CHECK_EQ(db.query_int("PRAGMA user_version"), newer);
    CHECK_EQ(db.query_int("SELECT count(*) FROM drafts"), 1);
}

TEST_CASE(read_only_open_cannot_upgrade) {
    TempDir dir;
    const std::string path = dir.file("v1.db");
    {
        sqlite::Database db(path);
        store_schema::migrate(db, 1);
        fill_v1(db);
    }
    CHECK_THROWS_WITH(StoreError, Store(path, {.read_only = true}), "needs upgrading");
    {
        sqlite::Database db(path);
        CHECK_EQ(db.query_int("PRAGMA user_version"), 1);
    }
    Store store(path);
    CHECK_EQ(store.schema_version(), store_schema::latest_version());
    check_v1_rows(store);
}

TEST_CASE(failed_upgrade_keeps_the_last_complete_version) {
    TempDir dir;
    const std::string path = dir.file("v1.db");
    {
        sqlite::Database db(path);
        store_schema::migrate(db, 1);
        fill_v1(db);
        // Something in the way of version 2's new table.
        db.exec("CREATE TABLE training_runs (x)");
    }
    CHECK_THROWS_WITH(StoreError, Store(path), "training_runs already exists");
    {
        sqlite::Database db(path);
        CHECK_EQ(db.query_int("PRAGMA user_version"), 1);
        // The ALTER TABLEs of the failed step were rolled back with it.
        CHECK_EQ(db.query_int("SELECT count(*) FROM pragma_table_info('continuations') WHERE name = 'edited_text'"), 0);
        CHECK_EQ(db.query_int("SELECT count(*) FROM pragma_table_info('revisions') WHERE name = 'word_count'"), 0);
        db.exec("DROP TABLE training_runs");
    }
    Store store(path);
    CHECK_EQ(store.schema_version(), store_schema::latest_version());
    check_v1_rows(store);
}

TEST_CASE(migrate_refuses_unknown_targets) {
    TempDir dir;
    sqlite::Database db(dir.file("x.db"));
    CHECK(error_kind([&] { store_schema::migrate(db, store_schema::latest_version() + 1); }) ==
          StoreError::Kind::Invalid);
    CHECK_EQ(db.query_int("PRAGMA user_version"), 0);
}

FABULA_TEST_MAIN
