#include "core/store/schema.h"

#include "core/store/text.h"

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
