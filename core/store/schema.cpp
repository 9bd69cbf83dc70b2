#include "core/store/schema.h"

#include "core/store/text.h"

#include <map>
#include <string>
#include <vector>

namespace fabula::store_schema {

namespace {

// Version 1: the first release. Times are unix milliseconds. Token ids are
// BLOBs of little-endian int32, the GPT-2 ids of the text beside them.
void v1(sqlite::Database& db) {
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec(R"sql(
-- Long texts go last in every table: SQLite reaches a column by walking
-- the overflow pages of the columns before it, so the draft list would
-- otherwise read every body.
CREATE TABLE drafts (
  id          INTEGER PRIMARY KEY,
  title       TEXT    NOT NULL,
  word_count  INTEGER NOT NULL DEFAULT 0 CHECK (word_count >= 0),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  -- Set while the draft is in the trash; deleting is undoable until purge.
  trashed_at  INTEGER,
  body        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX drafts_by_updated ON drafts(updated_at);
CREATE INDEX drafts_by_trashed ON drafts(trashed_at) WHERE trashed_at IS NOT NULL;

CREATE TABLE revisions (
  id          INTEGER PRIMARY KEY,
  draft_id    INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
  kind        TEXT    NOT NULL CHECK (kind IN ('autosave', 'manual', 'before-restore')),
  text        TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX revisions_by_draft ON revisions(draft_id, created_at);

CREATE TABLE models (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL,
  path            TEXT    NOT NULL UNIQUE,
  weights_sha256  TEXT    NOT NULL DEFAULT '',
  added_at        INTEGER NOT NULL
);

-- Purging a draft takes its continuations (which quote it) along; removing
-- a model keeps what it wrote and the ratings, which train the next one.
CREATE TABLE continuations (
  id                 INTEGER PRIMARY KEY,
  draft_id           INTEGER REFERENCES drafts(id) ON DELETE CASCADE,
  model_id           INTEGER REFERENCES models(id) ON DELETE SET NULL,
  context_ids        BLOB    NOT NULL,
  context_text       TEXT    NOT NULL,
  continuation_ids   BLOB    NOT NULL,
  continuation_text  TEXT    NOT NULL,
  settings_json      TEXT    NOT NULL DEFAULT '{}',
  prompt_tokens      INTEGER NOT NULL DEFAULT 0,
  new_tokens         INTEGER NOT NULL DEFAULT 0,
  ms_to_first_token  REAL,
  tokens_per_second  REAL,
  status             TEXT    NOT NULL DEFAULT 'suggested'
                     CHECK (status IN ('suggested', 'accepted', 'rejected', 'cancelled')),
  created_at         INTEGER NOT NULL,
  decided_at         INTEGER
);
CREATE INDEX continuations_by_draft ON continuations(draft_id);
CREATE INDEX continuations_by_model ON continuations(model_id);

CREATE TABLE ratings (
  continuation_id  INTEGER PRIMARY KEY REFERENCES continuations(id) ON DELETE CASCADE,
  thumbs           INTEGER NOT NULL CHECK (thumbs IN (-1, 0, 1)),
  stars            INTEGER CHECK (stars IS NULL OR stars BETWEEN 1 AND 5),
  rated_at         INTEGER NOT NULL
);
CREATE INDEX ratings_by_thumbs ON ratings(thumbs);
)sql");
}

// Version 2: what happens to accepted text afterwards (the strongest
// feedback signal), room for training runs, and revision word counts so the
// history list can show sizes without loading every revision's text. The
// revisions table is rebuilt rather than altered because ALTER TABLE would
// put word_count after the text, where listing it would read every text
// (see v1). That rebuild is why migrate() runs with foreign keys off.
void v2(sqlite::Database& db) {
    db.exec(R"sql(
ALTER TABLE continuations ADD COLUMN edited_text TEXT;
ALTER TABLE continuations ADD COLUMN edited_at INTEGER;

CREATE TABLE training_runs (
  id            INTEGER PRIMARY KEY,
  model_id      INTEGER REFERENCES models(id) ON DELETE SET NULL,
  out_dir       TEXT    NOT NULL,
  status        TEXT    NOT NULL
                CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  metrics_json  TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX training_runs_by_model ON training_runs(model_id);

CREATE TABLE revisions_v2 (
  id          INTEGER PRIMARY KEY,
  draft_id    INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
  kind        TEXT    NOT NULL CHECK (kind IN ('autosave', 'manual', 'before-restore')),
  created_at  INTEGER NOT NULL,
  word_count  INTEGER NOT NULL DEFAULT 0,
  text        TEXT    NOT NULL
);
INSERT INTO revisions_v2 (id, draft_id, kind, created_at, text)
  SELECT id, draft_id, kind, created_at, text FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_v2 RENAME TO revisions;
CREATE INDEX revisions_by_draft ON revisions(draft_id, created_at);
)sql");
    // The word count lives in C++ (it must match what the editor shows), so
    // the backfill is a loop rather than an UPDATE.
    std::vector<std::pair<std::int64_t, std::int64_t>> counts;
    {
        auto st = db.prepare("SELECT id, text FROM revisions");
        while (st.step()) counts.emplace_back(st.int64(0), count_words(st.text(1)));
    }
    auto upd = db.prepare("UPDATE revisions SET word_count = ?1 WHERE id = ?2");
    for (auto [id, words] : counts) {
        upd.bind_all(words, id).run();
        upd.reset();
    }
}

// Version 3: the weights file's size and modification time when its
// checksum was computed, so that a file changed since is fingerprinted again
// instead of being trusted by its path. Older checksums have no stamp and are
// computed once more.
void v3(sqlite::Database& db) {
    db.exec(R"sql(
ALTER TABLE models ADD COLUMN weights_size INTEGER;
ALTER TABLE models ADD COLUMN weights_mtime_ns INTEGER;
)sql");
}

// Version 4: a training run is the writer's: its name, the settings and a
// fingerprint of the stories it trains on, the run it continues ("Train
// more") and the model it produced; and it can be paused, stopped (the
// process ended without finishing) or interrupted (found dead at start), all
// resumable. The CHECK on status cannot be altered in place, so the table is
// rebuilt; model_id keeps meaning the model the run starts from.
void v4(sqlite::Database& db) {
    db.exec(R"sql(
CREATE TABLE training_runs_v4 (
  id                INTEGER PRIMARY KEY,
  model_id          INTEGER REFERENCES models(id) ON DELETE SET NULL,
  parent_run_id     INTEGER REFERENCES training_runs(id) ON DELETE SET NULL,
  result_model_id   INTEGER REFERENCES models(id) ON DELETE SET NULL,
  name              TEXT    NOT NULL DEFAULT '',
  out_dir           TEXT    NOT NULL,
  status            TEXT    NOT NULL
                    CHECK (status IN ('queued', 'running', 'paused', 'stopped', 'interrupted',
                                      'finished', 'failed', 'cancelled')),
  started_at        INTEGER NOT NULL,
  finished_at       INTEGER,
  data_fingerprint  TEXT    NOT NULL DEFAULT '',
  metrics_json      TEXT    NOT NULL DEFAULT '{}',
  settings_json     TEXT    NOT NULL DEFAULT '{}'
);
INSERT INTO training_runs_v4 (id, model_id, out_dir, status, started_at, finished_at, metrics_json)
  SELECT id, model_id, out_dir, status, started_at, finished_at, metrics_json FROM training_runs;
DROP TABLE training_runs;
ALTER TABLE training_runs_v4 RENAME TO training_runs;
CREATE INDEX training_runs_by_model ON training_runs(model_id);
CREATE INDEX training_runs_by_parent ON training_runs(parent_run_id);
CREATE INDEX training_runs_by_result ON training_runs(result_model_id);
CREATE INDEX training_runs_by_dir ON training_runs(out_dir);
)sql");
}

// Version 5: the feedback loop. A round is one request of the writer's
// (Continue, Regenerate after it, the Alternatives): its continuations
// competed for the same context, which is what a preference pair needs.
// Earlier versions kept no rounds, so an old continuation joins the round of
// every other one of its draft with exactly the same context tokens and
// text: a Regenerate and the Alternatives asked for that context again.
// Blind A/B picks keep "neither" too (shown apart from the win rates). What
// the writer leaves out of training (a draft, or one item of a set) is kept
// as such, never by deleting the feedback itself.
void v5(sqlite::Database& db) {
    db.exec(R"sql(
CREATE TABLE rounds (
  id          INTEGER PRIMARY KEY,
  created_at  INTEGER NOT NULL
);
ALTER TABLE continuations ADD COLUMN round_id INTEGER REFERENCES rounds(id) ON DELETE SET NULL;
CREATE INDEX continuations_by_round ON continuations(round_id);

-- a_id was shown as A, b_id as B; the labels name the two arms (models or
-- settings) only for the comparison view, never while the writer picks.
CREATE TABLE ab_picks (
  id          INTEGER PRIMARY KEY,
  draft_id    INTEGER REFERENCES drafts(id) ON DELETE CASCADE,
  a_id        INTEGER NOT NULL REFERENCES continuations(id) ON DELETE CASCADE,
  b_id        INTEGER NOT NULL REFERENCES continuations(id) ON DELETE CASCADE,
  a_label     TEXT    NOT NULL DEFAULT '',
  b_label     TEXT    NOT NULL DEFAULT '',
  choice      TEXT    NOT NULL CHECK (choice IN ('a', 'b', 'neither')),
  picked_at   INTEGER NOT NULL,
  CHECK (a_id <> b_id)
);
CREATE INDEX ab_picks_by_a ON ab_picks(a_id);
CREATE INDEX ab_picks_by_b ON ab_picks(b_id);
CREATE INDEX ab_picks_by_draft ON ab_picks(draft_id);

CREATE TABLE feedback_left_out_drafts (
  draft_id     INTEGER PRIMARY KEY REFERENCES drafts(id) ON DELETE CASCADE,
  left_out_at  INTEGER NOT NULL
);

-- One item of a set: sft and kto name their continuation twice; a pair
-- names chosen then rejected (an edit pair: the same continuation twice).
CREATE TABLE feedback_deleted_items (
  item_set         TEXT    NOT NULL CHECK (item_set IN ('sft', 'pairs', 'kto')),
  continuation_id  INTEGER NOT NULL REFERENCES continuations(id) ON DELETE CASCADE,
  other_id         INTEGER NOT NULL REFERENCES continuations(id) ON DELETE CASCADE,
  deleted_at       INTEGER NOT NULL,
  PRIMARY KEY (item_set, continuation_id, other_id)
);
CREATE INDEX feedback_deleted_by_other ON feedback_deleted_items(other_id);
)sql");
    // The grouping compares token blobs and texts, which a map does in one
    // pass where a correlated UPDATE would compare every pair of rows.
    struct Row {
        std::int64_t id, created_at;
        std::string key;
    };
    std::vector<Row> rows;
    {
        auto st = db.prepare(
            "SELECT id, created_at, coalesce(draft_id, 0), context_ids, context_text FROM continuations ORDER BY id");
        while (st.step()) {
            const auto ids = st.blob(3);
            std::string key = std::to_string(st.int64(2)) + '\0' + std::to_string(ids.size()) + '\0';
            key.append(ids.begin(), ids.end());
            key += st.text(4);
            rows.push_back({st.int64(0), st.int64(1), std::move(key)});
        }
    }
    std::map<std::string, std::int64_t> round_of;
    auto add_round = db.prepare("INSERT INTO rounds (id, created_at) VALUES (?1, ?2)");
    auto set_round = db.prepare("UPDATE continuations SET round_id = ?1 WHERE id = ?2");
    for (const auto& r : rows) {
        auto [it, fresh] = round_of.emplace(r.key, r.id); // the round is numbered by its first continuation
        if (fresh) {
            add_round.bind_all(r.id, r.created_at).run();
            add_round.reset();
        }
        set_round.bind_all(it->second, r.id).run();
        set_round.reset();
    }
}

// Version 6: long stories. A series groups drafts that share a memory and
// a lorebook; a draft or a series pins its memory, author's note and
// lorebook into every prompt (story_settings, lore_entries, owned by
// owner_kind + owner_id, one owner per row). drafts is rebuilt so that
// series_id sits before the body (see v1) and deleting a series detaches its
// drafts (ON DELETE SET NULL). Settings and lore have no foreign key (their
// owner is one of two tables), so triggers delete them with their owner: a
// purged draft or a deleted series, whichever statement purges it.
void v6(sqlite::Database& db) {
    db.exec(R"sql(
CREATE TABLE series (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE CHECK (name <> ''),
  created_at  INTEGER NOT NULL
);

CREATE TABLE drafts_v6 (
  id          INTEGER PRIMARY KEY,
  title       TEXT    NOT NULL,
  word_count  INTEGER NOT NULL DEFAULT 0 CHECK (word_count >= 0),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  trashed_at  INTEGER,
  series_id   INTEGER REFERENCES series(id) ON DELETE SET NULL,
  body        TEXT    NOT NULL DEFAULT ''
);
INSERT INTO drafts_v6 (id, title, word_count, created_at, updated_at, trashed_at, body)
  SELECT id, title, word_count, created_at, updated_at, trashed_at, body FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_v6 RENAME TO drafts;
CREATE INDEX drafts_by_updated ON drafts(updated_at);
CREATE INDEX drafts_by_trashed ON drafts(trashed_at) WHERE trashed_at IS NOT NULL;
CREATE INDEX drafts_by_series ON drafts(series_id) WHERE series_id IS NOT NULL;

CREATE TABLE story_settings (
  owner_kind          TEXT    NOT NULL CHECK (owner_kind IN ('draft', 'series')),
  owner_id            INTEGER NOT NULL,
  authors_note_depth  INTEGER NOT NULL DEFAULT 3 CHECK (authors_note_depth BETWEEN 0 AND 1000),
  lore_scan_tokens    INTEGER NOT NULL DEFAULT 1000 CHECK (lore_scan_tokens >= 0),
  lore_recursive      INTEGER NOT NULL DEFAULT 1 CHECK (lore_recursive IN (0, 1)),
  updated_at          INTEGER NOT NULL,
  authors_note        TEXT    NOT NULL DEFAULT '',
  memory              TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (owner_kind, owner_id)
);

-- position: the entry's place in its book; ord: the entry's "order" field
-- (its rank when the lore budget cannot hold every entry). keys and
-- secondary_keys are JSON arrays of strings.
CREATE TABLE lore_entries (
  id              INTEGER PRIMARY KEY,
  owner_kind      TEXT    NOT NULL CHECK (owner_kind IN ('draft', 'series')),
  owner_id        INTEGER NOT NULL,
  position        INTEGER NOT NULL,
  always          INTEGER NOT NULL DEFAULT 0 CHECK (always IN (0, 1)),
  case_sensitive  INTEGER NOT NULL DEFAULT 0 CHECK (case_sensitive IN (0, 1)),
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  ord             INTEGER NOT NULL DEFAULT 0,
  name            TEXT    NOT NULL DEFAULT '',
  keys            TEXT    NOT NULL DEFAULT '[]',
  secondary_keys  TEXT    NOT NULL DEFAULT '[]',
  content         TEXT    NOT NULL DEFAULT '',
  UNIQUE (owner_kind, owner_id, position)
);

CREATE TRIGGER drafts_delete_story AFTER DELETE ON drafts BEGIN
  DELETE FROM story_settings WHERE owner_kind = 'draft' AND owner_id = OLD.id;
  DELETE FROM lore_entries WHERE owner_kind = 'draft' AND owner_id = OLD.id;
END;
CREATE TRIGGER series_delete_story AFTER DELETE ON series BEGIN
  DELETE FROM story_settings WHERE owner_kind = 'series' AND owner_id = OLD.id;
  DELETE FROM lore_entries WHERE owner_kind = 'series' AND owner_id = OLD.id;
END;
)sql");
}

struct Migration {
    int version;
    const char* what;
    void (*apply)(sqlite::Database&);
};

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> list = {
        {1, "drafts, revisions, models, continuations, ratings", &v1},
        {2, "continuation edits, training runs, revision word counts", &v2},
        {3, "the weights file's size and time beside its checksum", &v3},
        {4, "named training runs with settings, data, parent, result; paused, stopped, interrupted", &v4},
        {5, "rounds of continuations, blind A/B picks, what is left out of training", &v5},
        {6, "series; memory, author's note and lorebook per draft and per series", &v6},
    };
    return list;
}

// Restores the connection's foreign_keys setting however migrate() leaves.
class ForeignKeysOff {
public:
    explicit ForeignKeysOff(sqlite::Database& db) : db_(db), was_on_(db.query_int("PRAGMA foreign_keys") != 0) {
        db_.exec("PRAGMA foreign_keys = OFF");
    }
    ~ForeignKeysOff() {
        try {
            if (was_on_) db_.exec("PRAGMA foreign_keys = ON");
        } catch (...) {
        }
    }

private:
    sqlite::Database& db_;
    bool was_on_;
};

} // namespace

int latest_version() { return migrations().back().version; }

const char* describe(int version) {
    for (const auto& m : migrations())
        if (m.version == version) return m.what;
    return "unknown";
}

void migrate(sqlite::Database& db, int target) {
    if (target > latest_version())
        throw StoreError(StoreError::Kind::Invalid, 0, db.path(),
                         "cannot migrate to schema version " + std::to_string(target) +
                             "; this Fabula knows up to " + std::to_string(latest_version()));
    ForeignKeysOff fk_off(db);
    for (const auto& m : migrations()) {
        if (m.version > target) break;
        sqlite::Transaction tx(db);
        // Read inside the write lock: another Fabula may have upgraded the
        // file between our first look and now.
        auto current = db.query_int("PRAGMA user_version");
        if (current >= m.version) continue;
        m.apply(db);
        {
            auto check = db.prepare("PRAGMA foreign_key_check");
            if (check.step())
                throw StoreError(StoreError::Kind::Corrupt, 0, db.path(),
                                 "upgrading to schema version " + std::to_string(m.version) + " found rows in " +
                                     check.text(0) + " pointing at rows that do not exist");
        }
        db.exec("PRAGMA user_version = " + std::to_string(m.version));
        tx.commit();
    }
}

} // namespace fabula::store_schema
