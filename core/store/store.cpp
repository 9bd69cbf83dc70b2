#include "core/store/store.h"

#include "core/store/feedback_rules.h"
#include "core/store/schema.h"
#include "core/unicode_tables.h"
#include "core/utf8.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace fabula {

using sqlite::Statement;
using sqlite::Transaction;
using Kind = StoreError::Kind;

const char* to_string(RevisionKind kind) {
    switch (kind) {
    case RevisionKind::Autosave:
        return "autosave";
    case RevisionKind::Manual:
        return "manual";
    case RevisionKind::BeforeRestore:
        return "before-restore";
    }
    return "autosave";
}

const char* to_string(ContinuationStatus status) {
    switch (status) {
    case ContinuationStatus::Suggested:
        return "suggested";
    case ContinuationStatus::Accepted:
        return "accepted";
    case ContinuationStatus::Rejected:
        return "rejected";
    case ContinuationStatus::Cancelled:
        return "cancelled";
    }
    return "suggested";
}

const char* to_string(TrainingStatus status) {
    switch (status) {
    case TrainingStatus::Queued:
        return "queued";
    case TrainingStatus::Running:
        return "running";
    case TrainingStatus::Paused:
        return "paused";
    case TrainingStatus::Stopped:
        return "stopped";
    case TrainingStatus::Interrupted:
        return "interrupted";
    case TrainingStatus::Finished:
        return "finished";
    case TrainingStatus::Failed:
        return "failed";
    case TrainingStatus::Cancelled:
        return "cancelled";
    }
    return "queued";
}

const char* to_string(AbChoice choice) {
    switch (choice) {
    case AbChoice::A:
        return "a";
    case AbChoice::B:
        return "b";
    case AbChoice::Neither:
        return "neither";
    }
    return "neither";
}

const char* to_string(FeedbackSet set) {
    switch (set) {
    case FeedbackSet::Sft:
        return "sft";
    case FeedbackSet::Pairs:
        return "pairs";
    case FeedbackSet::Kto:
        return "kto";
    }
    return "sft";
}

const char* to_string(PairSource source) {
    switch (source) {
    case PairSource::Round:
        return "round";
    case PairSource::Edit:
        return "edit";
    case PairSource::Ab:
        return "ab";
    }
    return "round";
}

bool is_terminal(TrainingStatus s) {
    return s == TrainingStatus::Finished || s == TrainingStatus::Failed || s == TrainingStatus::Cancelled;
}

namespace {

template <class E, std::size_t N>
E parse_enum(const std::string& path, const std::string& text, const E (&all)[N]) {
    for (E e : all)
        if (text == to_string(e)) return e;
    // The schema's CHECK constraints make this a damaged file, not a bug.
    throw StoreError(Kind::Corrupt, 0, path, "unknown value '" + text + "' in the database");
}

constexpr RevisionKind kRevisionKinds[] = {RevisionKind::Autosave, RevisionKind::Manual,
                                           RevisionKind::BeforeRestore};
constexpr ContinuationStatus kContinuationStatuses[] = {ContinuationStatus::Suggested, ContinuationStatus::Accepted,
                                                        ContinuationStatus::Rejected, ContinuationStatus::Cancelled};
constexpr TrainingStatus kTrainingStatuses[] = {TrainingStatus::Queued,      TrainingStatus::Running,
                                                TrainingStatus::Paused,      TrainingStatus::Stopped,
                                                TrainingStatus::Interrupted, TrainingStatus::Finished,
                                                TrainingStatus::Failed,      TrainingStatus::Cancelled};
constexpr AbChoice kAbChoices[] = {AbChoice::A, AbChoice::B, AbChoice::Neither};

// Token ids are stored little-endian whatever the machine, so a database
// copied between machines still feeds the trainer the same ids.
std::string encode_ids(const std::vector<std::int32_t>& ids) {
    std::string out(ids.size() * 4, '\0');
    for (std::size_t i = 0; i < ids.size(); ++i) {
        auto u = static_cast<std::uint32_t>(ids[i]);
        for (int b = 0; b < 4; ++b) out[i * 4 + b] = static_cast<char>((u >> (8 * b)) & 0xFF);
    }
    return out;
}

std::vector<std::int32_t> decode_ids(const std::string& path, const std::vector<unsigned char>& bytes) {
    if (bytes.size() % 4 != 0)
        throw StoreError(Kind::Corrupt, 0, path,
                         "a token id list of " + std::to_string(bytes.size()) + " bytes is not a multiple of 4");
    std::vector<std::int32_t> ids(bytes.size() / 4);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        std::uint32_t u = 0;
        for (int b = 0; b < 4; ++b) u |= static_cast<std::uint32_t>(bytes[i * 4 + b]) << (8 * b);
        ids[i] = static_cast<std::int32_t>(u);
    }
    return ids;
}

sqlite::Blob blob_of(const std::string& bytes) { return {bytes.data(), bytes.size()}; }

TimeMs floor_div(TimeMs a, TimeMs b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

void fold_sql_function(sqlite3_context* ctx, int, sqlite3_value** argv) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    auto p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    int n = sqlite3_value_bytes(argv[0]);
    std::string folded = fold_case(std::string_view(p ? p : "", static_cast<std::size_t>(n)));
    sqlite3_result_text64(ctx, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

sqlite::Database open_database(const std::string& path, const StoreOptions& options) {
    sqlite::OpenOptions o;
    o.read_only = options.read_only;
    o.create = !options.read_only;
    return sqlite::Database(path, o);
}

// Makes a rename durable: POSIX only promises it survives a crash once the
// directory holding the entry is synced.
void sync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

void remove_sqlite_files(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
}

} // namespace

template <class F>
auto Store::guarded(std::string_view action, F&& f) const -> decltype(f()) {
    try {
        return f();
    } catch (const StoreError& e) {
        throw e.with_action(action);
    }
}

Store::Store(const std::string& path, StoreOptions options)
    : db_(open_database(path, options)), options_(std::move(options)) {
    guarded("could not open the database", [&] {
        db_.set_busy_timeout(options_.busy_timeout_ms);
        int rc = sqlite3_create_function_v2(db_.handle(), "fabula_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                            nullptr, &fold_sql_function, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) db_.fail(rc, "");

        // The first statement that reads the file: a file that is not an
        // SQLite database fails here with kind Corrupt.
        auto version = db_.query_int("PRAGMA user_version");
        auto app_id = db_.query_int("PRAGMA application_id");
        int latest = store_schema::latest_version();
        if (version > latest)
            throw StoreError(Kind::NewerVersion, 0, path,
                             "it was made by a newer Fabula (schema version " + std::to_string(version) +
                                 "; this Fabula knows up to " + std::to_string(latest) +
                                 "). Update Fabula to open it");
        bool foreign = app_id != 0 && app_id != store_schema::kApplicationId;
        if (!foreign && version == 0)
            foreign = db_.query_int("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'") > 0;
        if (foreign)
            throw StoreError(Kind::Corrupt, 0, path,
                             "it is an SQLite database of another program, not a Fabula database");

        if (db_.read_only()) {
            if (version < latest)
                throw StoreError(Kind::ReadOnly, 0, path,
                                 "it needs upgrading to schema version " + std::to_string(latest) +
                                     ", which cannot be done while it is read-only");
        } else {
            // WAL: readers never block the writer, and a commit is one append.
            // synchronous=FULL syncs the WAL at every commit. NORMAL would
            // already keep every commit through a killed process (the data
            // is in the OS cache), but could drop the last commits on power
            // loss or an OS crash; FULL keeps them there too. The store
            // commits on autosave and on decisions, a few times a minute, so
            // one fsync per commit costs nothing a writer notices.
            // A file system without shared memory refuses WAL; the rollback
            // journal with synchronous=FULL is just as durable, so the mode
            // that comes back is accepted.
            db_.query_text("PRAGMA journal_mode = WAL");
            db_.exec("PRAGMA synchronous = FULL");
            if (version < latest) store_schema::migrate(db_, latest);
        }
        db_.exec("PRAGMA foreign_keys = ON");
    });
}

int Store::schema_version() const {
    return guarded("could not read the schema version",
                   [&] { return static_cast<int>(db_.query_int("PRAGMA user_version")); });
}

TimeMs Store::now() const {
    if (options_.clock) return options_.clock();
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void Store::require_draft(std::int64_t id) const {
    auto st = db_.prepare("SELECT 1 FROM drafts WHERE id = ?1");
    st.bind(1, id);
    if (!st.step())
        throw StoreError(Kind::NotFound, 0, path(), "draft " + std::to_string(id) + " does not exist");
}

// ---- drafts ---------------------------------------------------------------

std::int64_t Store::create_draft(std::string_view title, std::string_view body) {
    return guarded("could not create the draft", [&] {
        auto st = db_.prepare(
            "INSERT INTO drafts (title, body, word_count, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)");
        st.bind_all(title, body, count_words(body), now()).run();
        return db_.last_insert_rowid();
    });
}

void Store::rename_draft(std::int64_t id, std::string_view title) {
    guarded("could not rename the draft", [&] {
        auto st = db_.prepare("UPDATE drafts SET title = ?1, updated_at = ?2 WHERE id = ?3");
        st.bind_all(title, now(), id).run();
        if (db_.changes() == 0) require_draft(id);
    });
}

bool Store::update_draft_body(std::int64_t id, std::string_view body) {
    return guarded("could not save the draft", [&] {
        auto st = db_.prepare(
            "UPDATE drafts SET body = ?1, word_count = ?2, updated_at = ?3 WHERE id = ?4 AND body IS NOT ?1");
        st.bind_all(body, count_words(body), now(), id).run();
        if (db_.changes() > 0) return true;
        require_draft(id);
        return false;
    });
}

std::int64_t Store::duplicate_draft(std::int64_t id, std::string_view new_title) {
    return guarded("could not duplicate the draft", [&] {
        Transaction tx(db_);
        auto st = db_.prepare(
            "INSERT INTO drafts (title, body, word_count, created_at, updated_at, series_id) "
            "SELECT ?1, body, word_count, ?2, ?2, series_id FROM drafts WHERE id = ?3");
        st.bind_all(new_title, now(), id).run();
        if (db_.changes() == 0) require_draft(id);
        const auto copy = db_.last_insert_rowid();
        auto settings = db_.prepare(
            "INSERT INTO story_settings (owner_kind, owner_id, memory, authors_note, authors_note_depth, "
            "lore_scan_tokens, lore_recursive, updated_at) SELECT 'draft', ?1, memory, authors_note, "
            "authors_note_depth, lore_scan_tokens, lore_recursive, ?2 FROM story_settings "
            "WHERE owner_kind = 'draft' AND owner_id = ?3");
        settings.bind_all(copy, now(), id).run();
        auto lore = db_.prepare(
            "INSERT INTO lore_entries (owner_kind, owner_id, position, name, keys, secondary_keys, content, "
            "always, case_sensitive, enabled, ord) SELECT 'draft', ?1, position, name, keys, secondary_keys, "
            "content, always, case_sensitive, enabled, ord FROM lore_entries "
            "WHERE owner_kind = 'draft' AND owner_id = ?2");
        lore.bind_all(copy, id).run();
        tx.commit();
        return copy;
    });
}

void Store::trash_draft(std::int64_t id) {
    guarded("could not move the draft to the trash", [&] {
        // Trashing twice keeps the first time, which purge_trash ages from.
        auto st = db_.prepare("UPDATE drafts SET trashed_at = coalesce(trashed_at, ?1) WHERE id = ?2");
        st.bind_all(now(), id).run();
        if (db_.changes() == 0) require_draft(id);
    });
}

void Store::restore_draft(std::int64_t id) {
    guarded("could not restore the draft", [&] {
        auto st = db_.prepare("UPDATE drafts SET trashed_at = NULL WHERE id = ?1");
        st.bind(1, id).run();
        if (db_.changes() == 0) require_draft(id);
    });
}

void Store::purge_draft(std::int64_t id) {
    guarded("could not delete the draft", [&] {
        Transaction tx(db_);
        auto st = db_.prepare("SELECT trashed_at IS NOT NULL FROM drafts WHERE id = ?1");
        st.bind(1, id);
        if (!st.step())
            throw StoreError(Kind::NotFound, 0, path(), "draft " + std::to_string(id) + " does not exist");
        if (st.int64(0) == 0)
            throw StoreError(Kind::Invalid, 0, path(),
                             "draft " + std::to_string(id) + " is not in the trash; trash it first");
        auto del = db_.prepare("DELETE FROM drafts WHERE id = ?1");
        del.bind(1, id).run();
        tx.commit();
    });
}

int Store::purge_trash(TimeMs trashed_before) {
    return guarded("could not empty the trash", [&] {
        auto st = db_.prepare("DELETE FROM drafts WHERE trashed_at IS NOT NULL AND trashed_at < ?1");
        st.bind(1, trashed_before).run();
        return db_.changes();
    });
}

std::vector<DraftSummary> Store::list_drafts(std::string_view search, DraftList which) const {
    return guarded("could not list the drafts", [&] {
        // instr() on folded text rather than LIKE: LIKE folds ASCII only and
        // would need % and _ escaped; instr is a literal substring test.
        static constexpr const char* kMatch =
            " AND (?1 = '' OR instr(fabula_fold(title), ?1) > 0 OR instr(fabula_fold(body), ?1) > 0)";
        std::string sql = "SELECT id, title, updated_at, word_count, trashed_at FROM drafts WHERE ";
        if (which == DraftList::Active)
            sql += std::string("trashed_at IS NULL") + kMatch + " ORDER BY updated_at DESC, id DESC";
        else
            sql += std::string("trashed_at IS NOT NULL") + kMatch + " ORDER BY trashed_at DESC, id DESC";
        auto st = db_.prepare(sql);
        st.bind(1, fold_case(search));
        std::vector<DraftSummary> out;
        while (st.step()) out.push_back({st.int64(0), st.text(1), st.int64(2), st.int64(3), st.opt_int64(4)});
        return out;
    });
}

std::optional<Draft> Store::get_draft(std::int64_t id) const {
    return guarded("could not read the draft", [&]() -> std::optional<Draft> {
        auto st = db_.prepare(
            "SELECT id, title, body, created_at, updated_at, word_count, trashed_at FROM drafts WHERE id = ?1");
        st.bind(1, id);
        if (!st.step()) return std::nullopt;
        return Draft{st.int64(0), st.text(1), st.text(2), st.int64(3), st.int64(4), st.int64(5), st.opt_int64(6)};
    });
}

// ---- revisions ------------------------------------------------------------

std::int64_t Store::insert_revision(std::int64_t draft_id, std::string_view text, RevisionKind kind, TimeMs at) {
    require_draft(draft_id);
    auto st = db_.prepare(
        "INSERT INTO revisions (draft_id, kind, text, word_count, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    st.bind_all(draft_id, to_string(kind), text, count_words(text), at).run();
    return db_.last_insert_rowid();
}

std::int64_t Store::add_revision(std::int64_t draft_id, std::string_view text, RevisionKind kind) {
    return guarded("could not save a revision", [&] {
        Transaction tx(db_);
        auto id = insert_revision(draft_id, text, kind, now());
        tx.commit();
        return id;
    });
}

std::optional<std::int64_t> Store::maybe_snapshot(std::int64_t draft_id, std::string_view text, TimeMs at,
                                                  TimeMs min_interval) {
    return guarded("could not save a revision", [&]() -> std::optional<std::int64_t> {
        Transaction tx(db_);
        require_draft(draft_id);
        auto last = db_.prepare(
            "SELECT created_at, text FROM revisions WHERE draft_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1");
        last.bind(1, draft_id);
        if (last.step() && (at - last.int64(0) < min_interval || last.text(1) == text)) return std::nullopt;
        auto id = insert_revision(draft_id, text, RevisionKind::Autosave, at);
        thin_revisions(draft_id, at);
        tx.commit();
        return id;
    });
}

int Store::thin_revisions(std::int64_t draft_id, TimeMs at, const RevisionPolicy& policy) {
    return guarded("could not thin the revision history", [&] {
        Transaction tx(db_);
        struct Row {
            std::int64_t id;
            bool autosave;
            TimeMs created_at;
            bool keep;
        };
        std::vector<Row> rows; // newest first
        {
            auto st = db_.prepare(
                "SELECT id, kind, created_at FROM revisions WHERE draft_id = ?1 ORDER BY created_at DESC, id DESC");
            st.bind(1, draft_id);
            while (st.step()) rows.push_back({st.int64(0), st.text(1) == "autosave", st.int64(2), true});
        }
        for (std::size_t i = 1; i < rows.size(); ++i) {
            auto& r = rows[i];
            if (!r.autosave) continue;
            TimeMs age = at - r.created_at;
            std::size_t tier = 0;
            while (tier < policy.tiers.size() && age >= policy.tiers[tier].younger_than) ++tier;
            TimeMs bucket = std::max<TimeMs>(
                1, tier < policy.tiers.size() ? policy.tiers[tier].bucket : policy.older_bucket);
            // Rows are newest first and buckets are intervals, so if any newer
            // revision shares this bucket, the next newer one does.
            r.keep = floor_div(rows[i - 1].created_at, bucket) != floor_div(r.created_at, bucket);
        }
        std::size_t kept = std::count_if(rows.begin(), rows.end(), [](const Row& r) { return r.keep; });
        std::size_t cap = std::max<std::size_t>(policy.max_revisions, 1);
        for (bool autosaves_only : {true, false}) {
            for (std::size_t i = rows.size(); i-- > 1 && kept > cap;) {
                if (rows[i].keep && (rows[i].autosave || !autosaves_only)) {
                    rows[i].keep = false;
                    --kept;
                }
            }
        }
        int deleted = 0;
        auto del = db_.prepare("DELETE FROM revisions WHERE id = ?1");
        for (const auto& r : rows) {
            if (r.keep) continue;
            del.bind(1, r.id).run();
            del.reset();
            ++deleted;
        }
        tx.commit();
        return deleted;
    });
}

std::vector<RevisionInfo> Store::list_revisions(std::int64_t draft_id) const {
    return guarded("could not list the revisions", [&] {
        auto st = db_.prepare(
            "SELECT id, draft_id, kind, created_at, word_count FROM revisions WHERE draft_id = ?1 "
            "ORDER BY created_at DESC, id DESC");
        st.bind(1, draft_id);
        std::vector<RevisionInfo> out;
        while (st.step())
            out.push_back({st.int64(0), st.int64(1), parse_enum(path(), st.text(2), kRevisionKinds), st.int64(3),
                           st.int64(4)});
        return out;
    });
}

std::optional<Revision> Store::get_revision(std::int64_t id) const {
    return guarded("could not read the revision", [&]() -> std::optional<Revision> {
        auto st = db_.prepare(
            "SELECT id, draft_id, kind, created_at, word_count, text FROM revisions WHERE id = ?1");
        st.bind(1, id);
        if (!st.step()) return std::nullopt;
        Revision r;
        r.id = st.int64(0);
        r.draft_id = st.int64(1);
        r.kind = parse_enum(path(), st.text(2), kRevisionKinds);
        r.created_at = st.int64(3);
        r.word_count = st.int64(4);
        r.text = st.text(5);
        return r;
    });
}

void Store::restore_revision(std::int64_t revision_id) {
    guarded("could not restore the revision", [&] {
        Transaction tx(db_);
        auto rev = db_.prepare("SELECT draft_id, text FROM revisions WHERE id = ?1");
        rev.bind(1, revision_id);
        if (!rev.step())
            throw StoreError(Kind::NotFound, 0, path(),
                             "revision " + std::to_string(revision_id) + " does not exist");
        auto draft_id = rev.int64(0);
        auto text = rev.text(1);
        auto cur = db_.prepare("SELECT body FROM drafts WHERE id = ?1");
        cur.bind(1, draft_id);
        if (!cur.step()) require_draft(draft_id);
        auto body = cur.text(0);
        if (body == text) return; // nothing would change; tx rolls back a no-op
        auto t = now();
        insert_revision(draft_id, body, RevisionKind::BeforeRestore, t);
        auto upd = db_.prepare("UPDATE drafts SET body = ?1, word_count = ?2, updated_at = ?3 WHERE id = ?4");
        upd.bind_all(text, count_words(text), t, draft_id).run();
        tx.commit();
    });
}

// ---- models ---------------------------------------------------------------

std::optional<FileStamp> stamp_of_file(const std::string& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) return std::nullopt;
    const auto mtime = std::filesystem::last_write_time(file, ec);
    if (ec) return std::nullopt;
    using namespace std::chrono;
    return FileStamp{static_cast<std::int64_t>(size),
                     duration_cast<nanoseconds>(mtime.time_since_epoch()).count()};
}

namespace {

constexpr const char* kModelSelect =
    "SELECT id, name, path, weights_sha256, added_at, weights_size, weights_mtime_ns FROM models ";

ModelRecord read_model(const Statement& st) {
    ModelRecord m{st.int64(0), st.text(1), st.text(2), st.text(3), st.int64(4), std::nullopt};
    if (!st.is_null(5) && !st.is_null(6)) m.weights_stamp = FileStamp{st.int64(5), st.int64(6)};
    return m;
}

std::string checked_sha256(std::string_view given, const std::string& db_path) {
    std::string sha(given);
    for (auto& c : sha) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool hex = std::all_of(sha.begin(), sha.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
    if (!sha.empty() && (sha.size() != 64 || !hex))
        throw StoreError(Kind::Invalid, 0, db_path, "'" + std::string(given) + "' is not a SHA-256 (64 hex digits)");
    return sha;
}

} // namespace

std::int64_t Store::add_or_update_model(std::string_view name, std::string_view model_path,
                                        std::string_view weights_sha256, std::optional<FileStamp> weights_stamp) {
    return guarded("could not add the model", [&] {
        const std::string sha = checked_sha256(weights_sha256, path());
        // A stamp belongs to a checksum; without one it would vouch for nothing.
        if (sha.empty()) weights_stamp.reset();
        std::optional<std::int64_t> size, mtime;
        if (weights_stamp) {
            size = weights_stamp->size;
            mtime = weights_stamp->mtime_ns;
        }
        Transaction tx(db_);
        auto st = db_.prepare(
            "INSERT INTO models (name, path, weights_sha256, added_at, weights_size, weights_mtime_ns) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
            "ON CONFLICT (path) DO UPDATE SET name = excluded.name, weights_sha256 = excluded.weights_sha256, "
            "weights_size = excluded.weights_size, weights_mtime_ns = excluded.weights_mtime_ns");
        st.bind_all(name, model_path, sha, now(), size, mtime).run();
        // last_insert_rowid is stale when the upsert took the update branch.
        auto id_st = db_.prepare("SELECT id FROM models WHERE path = ?1");
        id_st.bind(1, model_path);
        id_st.step();
        auto id = id_st.int64(0);
        tx.commit();
        return id;
    });
}

ModelRecord Store::model_for_folder(std::string_view name, std::string_view model_path, bool* added) {
    return guarded("could not register the model", [&] {
        Transaction tx(db_);
        auto st = db_.prepare(std::string(kModelSelect) + "WHERE path = ?1");
        st.bind(1, model_path);
        if (st.step()) {
            if (added) *added = false;
            return read_model(st);
        }
        auto ins = db_.prepare("INSERT INTO models (name, path, added_at) VALUES (?1, ?2, ?3)");
        ins.bind_all(name, model_path, now()).run();
        const auto id = db_.last_insert_rowid();
        tx.commit();
        if (added) *added = true;
        return *get_model(id);
    });
}

bool Store::set_model_weights(std::string_view model_path, std::string_view weights_sha256, FileStamp stamp) {
    return guarded("could not save the model's checksum", [&] {
        const std::string sha = checked_sha256(weights_sha256, path());
        if (sha.empty()) throw StoreError(Kind::Invalid, 0, path(), "a model's checksum cannot be empty");
        auto st = db_.prepare(
            "UPDATE models SET weights_sha256 = ?1, weights_size = ?2, weights_mtime_ns = ?3 WHERE path = ?4");
        st.bind_all(sha, stamp.size, stamp.mtime_ns, model_path).run();
        return db_.changes() > 0;
    });
}

std::vector<ModelRecord> Store::list_models() const {
    return guarded("could not list the models", [&] {
        auto st = db_.prepare(std::string(kModelSelect) + "ORDER BY name, id");
        std::vector<ModelRecord> out;
        while (st.step()) out.push_back(read_model(st));
        return out;
    });
}

std::optional<ModelRecord> Store::get_model(std::int64_t id) const {
    return guarded("could not read the model", [&]() -> std::optional<ModelRecord> {
        auto st = db_.prepare(std::string(kModelSelect) + "WHERE id = ?1");
        st.bind(1, id);
        if (!st.step()) return std::nullopt;
        return read_model(st);
    });
}

void Store::remove_model(std::int64_t id) {
    guarded("could not remove the model", [&] {
        auto st = db_.prepare("DELETE FROM models WHERE id = ?1");
        st.bind(1, id).run();
        if (db_.changes() == 0)
            throw StoreError(Kind::NotFound, 0, path(), "model " + std::to_string(id) + " does not exist");
    });
}

// ---- continuations --------------------------------------------------------

namespace {

constexpr const char* kContinuationSelect =
    "SELECT c.id, c.draft_id, c.model_id, c.context_ids, c.context_text, c.continuation_ids, "
    "c.continuation_text, c.settings_json, c.prompt_tokens, c.new_tokens, c.ms_to_first_token, "
    "c.tokens_per_second, c.status, c.created_at, c.decided_at, c.edited_text, c.edited_at, "
    "r.thumbs, r.stars, r.rated_at, c.round_id "
    "FROM continuations c LEFT JOIN ratings r ON r.continuation_id = c.id ";

void require_continuation(sqlite::Database& db, std::int64_t id) {
    auto st = db.prepare("SELECT 1 FROM continuations WHERE id = ?1");
    st.bind(1, id);
    if (!st.step())
        throw StoreError(Kind::NotFound, 0, db.path(), "continuation " + std::to_string(id) + " does not exist");
}

} // namespace

ContinuationRecord Store::read_continuation(const Statement& st) const {
    ContinuationRecord c;
    c.id = st.int64(0);
    c.draft_id = st.opt_int64(1);
    c.model_id = st.opt_int64(2);
    c.context_ids = decode_ids(path(), st.blob(3));
    c.context_text = st.text(4);
    c.continuation_ids = decode_ids(path(), st.blob(5));
    c.continuation_text = st.text(6);
    c.settings_json = st.text(7);
    c.prompt_tokens = st.int64(8);
    c.new_tokens = st.int64(9);
    c.ms_to_first_token = st.opt_real(10);
    c.tokens_per_second = st.opt_real(11);
    c.status = parse_enum(path(), st.text(12), kContinuationStatuses);
    c.created_at = st.int64(13);
    c.decided_at = st.opt_int64(14);
    c.edited_text = st.opt_text(15);
    c.edited_at = st.opt_int64(16);
    if (!st.is_null(19)) {
        Rating r;
        r.thumbs = static_cast<int>(st.int64(17));
        if (auto stars = st.opt_int64(18)) r.stars = static_cast<int>(*stars);
        r.rated_at = st.int64(19);
        c.rating = r;
    }
    c.round_id = st.opt_int64(20);
    return c;
}

std::int64_t Store::record_continuation(const NewContinuation& c, ContinuationStatus status) {
    return guarded("could not record the continuation", [&] {
        Transaction tx(db_);
        if (c.draft_id) require_draft(*c.draft_id);
        if (c.model_id && !get_model(*c.model_id))
            throw StoreError(Kind::NotFound, 0, path(), "model " + std::to_string(*c.model_id) + " does not exist");
        auto context_ids = encode_ids(c.context_ids);
        auto continuation_ids = encode_ids(c.continuation_ids);
        auto t = now();
        std::int64_t round = 0;
        if (c.round_id) {
            auto r = db_.prepare("SELECT 1 FROM rounds WHERE id = ?1");
            r.bind(1, *c.round_id);
            if (!r.step())
                throw StoreError(Kind::NotFound, 0, path(), "round " + std::to_string(*c.round_id) + " does not exist");
            round = *c.round_id;
        } else {
            auto r = db_.prepare("INSERT INTO rounds (created_at) VALUES (?1)");
            r.bind(1, t).run();
            round = db_.last_insert_rowid();
        }
        std::optional<TimeMs> decided;
        if (status != ContinuationStatus::Suggested) decided = t;
        auto st = db_.prepare(
            "INSERT INTO continuations (draft_id, model_id, context_ids, context_text, continuation_ids, "
            "continuation_text, settings_json, prompt_tokens, new_tokens, ms_to_first_token, tokens_per_second, "
            "status, created_at, decided_at, round_id) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
        st.bind_all(c.draft_id, c.model_id, blob_of(context_ids), c.context_text, blob_of(continuation_ids),
                    c.continuation_text, c.settings_json, c.prompt_tokens, c.new_tokens, c.ms_to_first_token,
                    c.tokens_per_second, to_string(status), t, decided, round)
            .run();
        auto id = db_.last_insert_rowid();
        tx.commit();
        return id;
    });
}

std::optional<std::int64_t> Store::record_generation(const NewContinuation& c, GenerationEnd end) {
    if (c.continuation_text.empty()) return std::nullopt;
    return record_continuation(c, end == GenerationEnd::Shown ? ContinuationStatus::Suggested
                                                              : ContinuationStatus::Cancelled);
}

void Store::set_continuation_status(std::int64_t id, ContinuationStatus status) {
    guarded("could not save the decision on the continuation", [&] {
        std::optional<TimeMs> decided;
        if (status != ContinuationStatus::Suggested) decided = now();
        auto st = db_.prepare("UPDATE continuations SET status = ?1, decided_at = ?2 WHERE id = ?3");
        st.bind_all(to_string(status), decided, id).run();
        if (db_.changes() == 0) require_continuation(db_, id);
    });
}

void Store::record_edit(std::int64_t id, std::string_view edited_text) {
    guarded("could not record the edit of the continuation", [&] {
        Transaction tx(db_);
        auto st = db_.prepare("SELECT status FROM continuations WHERE id = ?1");
        st.bind(1, id);
        if (!st.step()) require_continuation(db_, id);
        if (st.text(0) != to_string(ContinuationStatus::Accepted))
            throw StoreError(Kind::Invalid, 0, path(),
                             "continuation " + std::to_string(id) + " is " + st.text(0) +
                                 ", and only accepted text can be edited");
        auto upd = db_.prepare("UPDATE continuations SET edited_text = ?1, edited_at = ?2 WHERE id = ?3");
        upd.bind_all(edited_text, now(), id).run();
        tx.commit();
    });
}

void Store::rate(std::int64_t id, int thumbs, std::optional<int> stars) {
    guarded("could not save the rating", [&] {
        if (thumbs < -1 || thumbs > 1)
            throw StoreError(Kind::Invalid, 0, path(),
                             "thumbs must be -1, 0 or +1, not " + std::to_string(thumbs));
        if (stars && (*stars < 1 || *stars > 5))
            throw StoreError(Kind::Invalid, 0, path(), "stars must be 1 to 5, not " + std::to_string(*stars));
        Transaction tx(db_);
        require_continuation(db_, id);
        auto st = db_.prepare(
            "INSERT INTO ratings (continuation_id, thumbs, stars, rated_at) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (continuation_id) DO UPDATE SET thumbs = excluded.thumbs, stars = excluded.stars, "
            "rated_at = excluded.rated_at");
        st.bind_all(id, thumbs, stars, now()).run();
        tx.commit();
    });
}

std::optional<ContinuationRecord> Store::get_continuation(std::int64_t id) const {
    return guarded("could not read the continuation", [&]() -> std::optional<ContinuationRecord> {
        auto st = db_.prepare(std::string(kContinuationSelect) + "WHERE c.id = ?1");
        st.bind(1, id);
        if (!st.step()) return std::nullopt;
        return read_continuation(st);
    });
}

std::vector<ContinuationRecord> Store::list_continuations(std::int64_t draft_id) const {
    return guarded("could not list the continuations", [&] {
        auto st = db_.prepare(std::string(kContinuationSelect) + "WHERE c.draft_id = ?1 ORDER BY c.id");
        st.bind(1, draft_id);
        std::vector<ContinuationRecord> out;
        while (st.step()) out.push_back(read_continuation(st));
        return out;
    });
}

std::vector<ContinuationRecord> Store::list_rated_continuations(int min_thumbs) const {
    return guarded("could not list the rated continuations", [&] {
        auto st = db_.prepare(std::string(kContinuationSelect) +
                              "WHERE r.continuation_id IS NOT NULL AND r.thumbs >= ?1 ORDER BY c.id");
        st.bind(1, min_thumbs);
        std::vector<ContinuationRecord> out;
        while (st.step()) out.push_back(read_continuation(st));
        return out;
    });
}

std::int64_t Store::begin_round() {
    return guarded("could not start a round of continuations", [&] {
        auto st = db_.prepare("INSERT INTO rounds (created_at) VALUES (?1)");
        st.bind(1, now()).run();
        return db_.last_insert_rowid();
    });
}

std::vector<ContinuationRecord> Store::feedback_candidates() const {
    auto st = db_.prepare(std::string(kContinuationSelect) +
                          "LEFT JOIN drafts d ON d.id = c.draft_id "
                          "WHERE c.draft_id IS NULL OR d.trashed_at IS NULL ORDER BY c.id");
    std::vector<ContinuationRecord> out;
    while (st.step()) out.push_back(read_continuation(st));
    return out;
}

std::int64_t Store::record_ab_pick(const NewAbPick& pick) {
    return guarded("could not record the pick", [&] {
        if (pick.a_id == pick.b_id)
            throw StoreError(Kind::Invalid, 0, path(), "an A/B pick needs two different continuations");
        Transaction tx(db_);
        if (pick.draft_id) require_draft(*pick.draft_id);
        require_continuation(db_, pick.a_id);
        require_continuation(db_, pick.b_id);
        auto st = db_.prepare(
            "INSERT INTO ab_picks (draft_id, a_id, b_id, a_label, b_label, choice, picked_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        st.bind_all(pick.draft_id, pick.a_id, pick.b_id, pick.a_label, pick.b_label, to_string(pick.choice), now())
            .run();
        auto id = db_.last_insert_rowid();
        tx.commit();
        return id;
    });
}

std::vector<AbPick> Store::list_ab_picks() const {
    return guarded("could not list the A/B picks", [&] {
        auto st = db_.prepare(
            "SELECT id, draft_id, a_id, b_id, a_label, b_label, choice, picked_at FROM ab_picks ORDER BY id");
        std::vector<AbPick> out;
        while (st.step()) {
            AbPick p;
            p.id = st.int64(0);
            p.draft_id = st.opt_int64(1);
            p.a_id = st.int64(2);
            p.b_id = st.int64(3);
            p.a_label = st.text(4);
            p.b_label = st.text(5);
            p.choice = parse_enum(path(), st.text(6), kAbChoices);
            p.picked_at = st.int64(7);
            out.push_back(std::move(p));
        }
        return out;
    });
}

// ---- feedback for training ------------------------------------------------

namespace {

constexpr FeedbackSet kFeedbackSets[] = {FeedbackSet::Sft, FeedbackSet::Pairs, FeedbackSet::Kto};

// A read transaction (Transaction takes the write lock, which a read-only
// connection cannot and a reader should not): the several queries behind
// one set see one moment of the database.
class ReadSnapshot {
public:
    explicit ReadSnapshot(sqlite::Database& db) : db_(db), own_(!db.in_transaction()) {
        if (own_) db_.exec("BEGIN");
    }
    ~ReadSnapshot() {
        if (own_ && db_.in_transaction()) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    sqlite::Database& db_;
    bool own_;
};

} // namespace

FeedbackItems Store::feedback_items(const FeedbackFilter& filter) const {
    return guarded("could not read the feedback", [&] {
        ReadSnapshot snapshot(db_);
        feedback_rules::Inputs in;
        in.continuations = feedback_candidates();
        in.picks = list_ab_picks();
        for (auto id : left_out_drafts()) in.left_out_drafts.insert(id);
        for (const auto& k : deleted_feedback_items()) in.deleted.insert(k);
        return feedback_rules::build(in, filter);
    });
}

std::vector<DraftFeedback> Store::feedback_summary() const {
    return guarded("could not count the feedback", [&] {
        ReadSnapshot snapshot(db_);
        feedback_rules::Inputs in;
        in.continuations = feedback_candidates();
        in.picks = list_ab_picks();
        for (const auto& k : deleted_feedback_items()) in.deleted.insert(k);
        std::set<std::int64_t> left_out;
        for (auto id : left_out_drafts()) left_out.insert(id);
        // Left-out drafts are counted as if they were in, so the writer sees
        // what putting one back would add.
        std::map<std::int64_t, DraftFeedback> per;
        feedback_rules::Inputs counted = in;
        counted.deleted.clear();
        auto all = feedback_rules::build(in, {});
        auto undeleted = feedback_rules::build(counted, {});
        auto count = [&](const std::vector<FeedbackItem>& items, std::int64_t DraftFeedback::*field, int sign) {
            for (const auto& it : items) {
                auto& d = per[it.draft_id];
                d.draft_id = it.draft_id;
                if (field) d.*field += 1;
                else d.deleted += sign;
            }
        };
        count(all.sft, &DraftFeedback::sft, 0);
        count(all.pairs, &DraftFeedback::pairs, 0);
        count(all.kto, &DraftFeedback::kto, 0);
        for (const auto* set : {&undeleted.sft, &undeleted.pairs, &undeleted.kto}) count(*set, nullptr, 1);
        for (const auto* set : {&all.sft, &all.pairs, &all.kto}) count(*set, nullptr, -1);
        std::vector<DraftFeedback> out;
        auto drafts = db_.prepare("SELECT id, title FROM drafts WHERE trashed_at IS NULL ORDER BY updated_at DESC, id DESC");
        while (drafts.step()) {
            auto it = per.find(drafts.int64(0));
            if (it == per.end()) continue;
            it->second.title = drafts.text(1);
            it->second.left_out = left_out.count(it->first) > 0;
            out.push_back(it->second);
        }
        if (auto none = per.find(0); none != per.end()) out.push_back(none->second);
        return out;
    });
}

void Store::set_draft_left_out(std::int64_t draft_id, bool left_out) {
    guarded(left_out ? "could not leave the draft out of training" : "could not put the draft back into training",
            [&] {
                Transaction tx(db_);
                require_draft(draft_id);
                if (left_out) {
                    auto st = db_.prepare(
                        "INSERT OR IGNORE INTO feedback_left_out_drafts (draft_id, left_out_at) VALUES (?1, ?2)");
                    st.bind_all(draft_id, now()).run();
                } else {
                    auto st = db_.prepare("DELETE FROM feedback_left_out_drafts WHERE draft_id = ?1");
                    st.bind(1, draft_id).run();
                }
                tx.commit();
            });
}

std::vector<std::int64_t> Store::left_out_drafts() const {
    return guarded("could not list the drafts left out of training", [&] {
        auto st = db_.prepare("SELECT draft_id FROM feedback_left_out_drafts ORDER BY draft_id");
        std::vector<std::int64_t> out;
        while (st.step()) out.push_back(st.int64(0));
        return out;
    });
}

void Store::delete_feedback_item(const FeedbackItemKey& key) {
    guarded("could not delete the item from training", [&] {
        Transaction tx(db_);
        require_continuation(db_, key.continuation_id);
        require_continuation(db_, key.other_id);
        auto st = db_.prepare(
            "INSERT OR IGNORE INTO feedback_deleted_items (item_set, continuation_id, other_id, deleted_at) "
            "VALUES (?1, ?2, ?3, ?4)");
        st.bind_all(to_string(key.set), key.continuation_id, key.other_id, now()).run();
        tx.commit();
    });
}

void Store::restore_feedback_item(const FeedbackItemKey& key) {
    guarded("could not restore the item to training", [&] {
        auto st = db_.prepare(
            "DELETE FROM feedback_deleted_items WHERE item_set = ?1 AND continuation_id = ?2 AND other_id = ?3");
        st.bind_all(to_string(key.set), key.continuation_id, key.other_id).run();
    });
}

std::vector<FeedbackItemKey> Store::deleted_feedback_items() const {
    return guarded("could not list the deleted items", [&] {
        auto st = db_.prepare(
            "SELECT item_set, continuation_id, other_id FROM feedback_deleted_items ORDER BY deleted_at, rowid");
        std::vector<FeedbackItemKey> out;
        while (st.step())
            out.push_back({parse_enum(path(), st.text(0), kFeedbackSets), st.int64(1), st.int64(2)});
        return out;
    });
}

// ---- training runs --------------------------------------------------------

std::int64_t Store::add_training_run(std::optional<std::int64_t> model_id, std::string_view out_dir,
                                     TrainingStatus status) {
    NewTrainingRun run;
    run.model_id = model_id;
    run.out_dir = std::string(out_dir);
    run.status = status;
    return add_training_run(run);
}

std::int64_t Store::add_training_run(const NewTrainingRun& run) {
    return guarded("could not record the training run", [&] {
        Transaction tx(db_);
        if (run.model_id && !get_model(*run.model_id))
            throw StoreError(Kind::NotFound, 0, path(), "model " + std::to_string(*run.model_id) + " does not exist");
        if (run.parent_run_id && !get_training_run(*run.parent_run_id))
            throw StoreError(Kind::NotFound, 0, path(),
                             "training run " + std::to_string(*run.parent_run_id) + " does not exist");
        auto t = now();
        std::optional<TimeMs> finished;
        if (is_terminal(run.status)) finished = t;
        auto st = db_.prepare(
            "INSERT INTO training_runs (model_id, parent_run_id, name, out_dir, status, started_at, finished_at, "
            "data_fingerprint, settings_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        st.bind_all(run.model_id, run.parent_run_id, run.name, run.out_dir, to_string(run.status), t, finished,
                    run.data_fingerprint, run.settings_json)
            .run();
        auto id = db_.last_insert_rowid();
        tx.commit();
        return id;
    });
}

void Store::update_training_run(std::int64_t id, TrainingStatus status, std::string_view metrics_json) {
    guarded("could not update the training run", [&] {
        // A finished run keeps the time it first finished when its metrics
        // are updated later.
        auto st = db_.prepare(
            "UPDATE training_runs SET status = ?1, metrics_json = ?2, "
            "finished_at = CASE WHEN ?3 THEN coalesce(finished_at, ?4) ELSE NULL END WHERE id = ?5");
        st.bind_all(to_string(status), metrics_json, is_terminal(status), now(), id).run();
        if (db_.changes() == 0)
            throw StoreError(Kind::NotFound, 0, path(), "training run " + std::to_string(id) + " does not exist");
    });
}

void Store::set_training_run_status(std::int64_t id, TrainingStatus status) {
    guarded("could not update the training run", [&] {
        auto st = db_.prepare(
            "UPDATE training_runs SET status = ?1, "
            "finished_at = CASE WHEN ?2 THEN coalesce(finished_at, ?3) ELSE NULL END WHERE id = ?4");
        st.bind_all(to_string(status), is_terminal(status), now(), id).run();
        if (db_.changes() == 0)
            throw StoreError(Kind::NotFound, 0, path(), "training run " + std::to_string(id) + " does not exist");
    });
}

void Store::set_training_run_result(std::int64_t id, std::int64_t model_id) {
    guarded("could not record the run's model", [&] {
        Transaction tx(db_);
        if (!get_model(model_id))
            throw StoreError(Kind::NotFound, 0, path(), "model " + std::to_string(model_id) + " does not exist");
        auto st = db_.prepare("UPDATE training_runs SET result_model_id = ?1 WHERE id = ?2");
        st.bind_all(model_id, id).run();
        if (db_.changes() == 0)
            throw StoreError(Kind::NotFound, 0, path(), "training run " + std::to_string(id) + " does not exist");
        tx.commit();
    });
}

void Store::remove_training_run(std::int64_t id) {
    guarded("could not remove the training run", [&] {
        auto st = db_.prepare("DELETE FROM training_runs WHERE id = ?1");
        st.bind(1, id).run();
        if (db_.changes() == 0)
            throw StoreError(Kind::NotFound, 0, path(), "training run " + std::to_string(id) + " does not exist");
    });
}

namespace {

constexpr const char* kTrainingSelect =
    "SELECT id, model_id, out_dir, status, started_at, finished_at, metrics_json, name, settings_json, "
    "data_fingerprint, parent_run_id, result_model_id FROM training_runs ";

TrainingRun read_training_run(const std::string& path, const Statement& st) {
    TrainingRun r;
    r.id = st.int64(0);
    r.model_id = st.opt_int64(1);
    r.out_dir = st.text(2);
    r.status = parse_enum(path, st.text(3), kTrainingStatuses);
    r.started_at = st.int64(4);
    r.finished_at = st.opt_int64(5);
    r.metrics_json = st.text(6);
    r.name = st.text(7);
    r.settings_json = st.text(8);
    r.data_fingerprint = st.text(9);
    r.parent_run_id = st.opt_int64(10);
    r.result_model_id = st.opt_int64(11);
    return r;
}

} // namespace

std::vector<TrainingRun> Store::list_training_runs() const {
    return guarded("could not list the training runs", [&] {
        auto st = db_.prepare(std::string(kTrainingSelect) + "ORDER BY started_at DESC, id DESC");
        std::vector<TrainingRun> out;
        while (st.step()) out.push_back(read_training_run(path(), st));
        return out;
    });
}

std::optional<TrainingRun> Store::get_training_run(std::int64_t id) const {
    return guarded("could not read the training run", [&]() -> std::optional<TrainingRun> {
        auto st = db_.prepare(std::string(kTrainingSelect) + "WHERE id = ?1");
        st.bind(1, id);
        if (!st.step()) return std::nullopt;
        return read_training_run(path(), st);
    });
}

std::optional<TrainingRun> Store::find_training_run(std::string_view out_dir) const {
    return guarded("could not read the training run", [&]() -> std::optional<TrainingRun> {
        auto st = db_.prepare(std::string(kTrainingSelect) + "WHERE out_dir = ?1 ORDER BY started_at DESC, id DESC");
        st.bind(1, out_dir);
        if (!st.step()) return std::nullopt;
        return read_training_run(path(), st);
    });
}

std::vector<TrainingRun> Store::mark_interrupted_runs(const std::function<bool(const TrainingRun&)>& keep) {
    return guarded("could not check the training runs", [&] {
        Transaction tx(db_);
        std::vector<TrainingRun> dead;
        {
            auto st = db_.prepare(std::string(kTrainingSelect) +
                                  "WHERE status IN ('running', 'queued') ORDER BY started_at DESC, id DESC");
            while (st.step()) {
                auto r = read_training_run(path(), st);
                if (!keep(r)) dead.push_back(std::move(r));
            }
        }
        auto upd = db_.prepare("UPDATE training_runs SET status = 'interrupted' WHERE id = ?1");
        for (auto& r : dead) {
            upd.bind(1, r.id).run();
            upd.reset();
            r.status = TrainingStatus::Interrupted;
        }
        tx.commit();
        return dead;
    });
}

// ---- series and story settings ---------------------------------------------

namespace {

constexpr const char* kDraftOwner = "draft";
constexpr const char* kSeriesOwner = "series";

std::string keys_to_json(const std::vector<std::string>& keys) {
    // The editor's text is valid UTF-8; a stray byte must not fail the save.
    return nlohmann::json(keys).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> keys_from_json(const std::string& path, const std::string& text) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
        throw StoreError(Kind::Corrupt, 0, path, "a lore entry's keys are not a JSON list");
    }
    if (!doc.is_array()) throw StoreError(Kind::Corrupt, 0, path, "a lore entry's keys are not a JSON list");
    std::vector<std::string> keys;
    for (const auto& k : doc) {
        if (!k.is_string()) throw StoreError(Kind::Corrupt, 0, path, "a lore entry's keys are not strings");
        keys.push_back(k.get<std::string>());
    }
    return keys;
}

// The name without the White_Space around it, so " Saga" and "Saga" are
// the same series.
std::string trimmed_name(const std::string& name) {
    std::size_t begin = 0, end = name.size();
    auto space_at = [&](std::size_t pos, std::size_t* len) {
        auto d = utf8::decode(name, pos);
        *len = d.length;
        return d.kind == utf8::Decoded::Kind::Valid && unicode::is_white_space(d.cp);
    };
    std::size_t len = 0;
    while (begin < end && space_at(begin, &len)) begin += len;
    // Trailing: step back over one character at a time (continuation bytes
    // are 10xxxxxx).
    while (end > begin) {
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(name[start]) & 0xC0) == 0x80) --start;
        if (!space_at(start, &len) || start + len != end) break;
        end = start;
    }
    return name.substr(begin, end - begin);
}

std::string join_memory(const std::string& first, const std::string& second) {
    if (first.empty()) return second;
    if (second.empty()) return first;
    return first + "\n\n" + second;
}

} // namespace

void Store::require_series(std::int64_t id) const {
    auto st = db_.prepare("SELECT 1 FROM series WHERE id = ?1");
    st.bind(1, id);
    if (!st.step())
        throw StoreError(Kind::NotFound, 0, path(), "series " + std::to_string(id) + " does not exist");
}

std::vector<Series> Store::series() const {
    return guarded("could not list the series", [&] {
        auto st = db_.prepare("SELECT id, name, created_at FROM series ORDER BY fabula_fold(name), name, id");
        std::vector<Series> out;
        while (st.step()) out.push_back({st.int64(0), st.text(1), st.int64(2)});
        return out;
    });
}

std::optional<Series> Store::get_series(std::int64_t id) const {
    return guarded("could not read the series", [&]() -> std::optional<Series> {
        auto st = db_.prepare("SELECT id, name, created_at FROM series WHERE id = ?1");
        st.bind(1, id);
        if (!st.step()) return std::nullopt;
        return Series{st.int64(0), st.text(1), st.int64(2)};
    });
}

namespace {

// The name to store, or kind Invalid: empty, or taken by another series
// (compared folded, so "Saga" and "saga" cannot both exist).
std::string checked_series_name(sqlite::Database& db, const std::string& name, std::int64_t except_id) {
    std::string clean = trimmed_name(name);
    if (clean.empty()) throw StoreError(Kind::Invalid, 0, db.path(), "a series needs a name");
    if (clean.size() > kMaxLoreKeyBytes)
        throw StoreError(Kind::Invalid, 0, db.path(),
                         "a series name of " + std::to_string(clean.size()) + " bytes is too long; at most " +
                             std::to_string(kMaxLoreKeyBytes) + " are allowed");
    auto st = db.prepare("SELECT name FROM series WHERE fabula_fold(name) = ?1 AND id <> ?2");
    st.bind_all(fold_case(clean), except_id);
    if (st.step())
        throw StoreError(Kind::Invalid, 0, db.path(), "there is already a series named \"" + st.text(0) + "\"");
    return clean;
}

} // namespace

std::int64_t Store::create_series(const std::string& name) {
    return guarded("could not create the series", [&] {
        Transaction tx(db_);
        const std::string clean = checked_series_name(db_, name, 0);
        auto st = db_.prepare("INSERT INTO series (name, created_at) VALUES (?1, ?2)");
        st.bind_all(clean, now()).run();
        auto id = db_.last_insert_rowid();
        tx.commit();
        return id;
    });
}

void Store::rename_series(std::int64_t id, const std::string& name) {
    guarded("could not rename the series", [&] {
        Transaction tx(db_);
        require_series(id);
        const std::string clean = checked_series_name(db_, name, id);
        auto st = db_.prepare("UPDATE series SET name = ?1 WHERE id = ?2");
        st.bind_all(clean, id).run();
        tx.commit();
    });
}

void Store::delete_series(std::int64_t id) {
    guarded("could not delete the series", [&] {
        // The drafts are detached by ON DELETE SET NULL, the series' settings
        // and lore go by trigger (schema v6).
        auto st = db_.prepare("DELETE FROM series WHERE id = ?1");
        st.bind(1, id).run();
        if (db_.changes() == 0) require_series(id);
    });
}

void Store::set_draft_series(std::int64_t draft_id, std::int64_t series_id) {
    guarded("could not move the draft to the series", [&] {
        Transaction tx(db_);
        require_draft(draft_id);
        if (series_id != 0) require_series(series_id);
        // updated_at stays: joining a series is no edit of the text, and
        // must not reorder the draft list.
        auto st = db_.prepare("UPDATE drafts SET series_id = ?1 WHERE id = ?2");
        st.bind(2, draft_id);
        if (series_id != 0)
            st.bind(1, series_id);
        else
            st.bind(1, std::nullopt);
        st.run();
        tx.commit();
    });
}

std::int64_t Store::draft_series(std::int64_t draft_id) const {
    return guarded("could not read the draft's series", [&] {
        auto st = db_.prepare("SELECT coalesce(series_id, 0) FROM drafts WHERE id = ?1");
        st.bind(1, draft_id);
        if (!st.step())
            throw StoreError(Kind::NotFound, 0, path(), "draft " + std::to_string(draft_id) + " does not exist");
        return st.int64(0);
    });
}

std::vector<std::int64_t> Store::series_drafts(std::int64_t series_id) const {
    return guarded("could not list the series' drafts", [&] {
        auto st = db_.prepare("SELECT id FROM drafts WHERE series_id = ?1 ORDER BY created_at, id");
        st.bind(1, series_id);
        std::vector<std::int64_t> out;
        while (st.step()) out.push_back(st.int64(0));
        return out;
    });
}

std::optional<StorySettings> Store::read_story(const char* owner_kind, std::int64_t owner_id) const {
    auto st = db_.prepare(
        "SELECT memory, authors_note, authors_note_depth, lore_scan_tokens, lore_recursive FROM story_settings "
        "WHERE owner_kind = ?1 AND owner_id = ?2");
    st.bind_all(owner_kind, owner_id);
    if (!st.step()) return std::nullopt;
    StorySettings s;
    s.memory = st.text(0);
    s.authors_note = st.text(1);
    s.authors_note_depth = static_cast<int>(st.int64(2));
    s.lore_scan_tokens = static_cast<int>(st.int64(3));
    s.lore_recursive = st.int64(4) != 0;
    auto lore = db_.prepare(
        "SELECT name, keys, secondary_keys, content, always, case_sensitive, enabled, ord FROM lore_entries "
        "WHERE owner_kind = ?1 AND owner_id = ?2 ORDER BY position");
    lore.bind_all(owner_kind, owner_id);
    while (lore.step()) {
        LoreEntry e;
        e.name = lore.text(0);
        e.keys = keys_from_json(path(), lore.text(1));
        e.secondary_keys = keys_from_json(path(), lore.text(2));
        e.content = lore.text(3);
        e.always = lore.int64(4) != 0;
        e.case_sensitive = lore.int64(5) != 0;
        e.enabled = lore.int64(6) != 0;
        e.order = static_cast<int>(lore.int64(7));
        s.lore.push_back(std::move(e));
    }
    return s;
}

void Store::write_story(const char* owner_kind, std::int64_t owner_id, const StorySettings& s) {
    auto st = db_.prepare(
        "INSERT INTO story_settings (owner_kind, owner_id, memory, authors_note, authors_note_depth, "
        "lore_scan_tokens, lore_recursive, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        "ON CONFLICT (owner_kind, owner_id) DO UPDATE SET memory = excluded.memory, "
        "authors_note = excluded.authors_note, authors_note_depth = excluded.authors_note_depth, "
        "lore_scan_tokens = excluded.lore_scan_tokens, lore_recursive = excluded.lore_recursive, "
        "updated_at = excluded.updated_at");
    st.bind_all(owner_kind, owner_id, s.memory, s.authors_note, s.authors_note_depth, s.lore_scan_tokens,
                s.lore_recursive ? 1 : 0, now())
        .run();
    auto del = db_.prepare("DELETE FROM lore_entries WHERE owner_kind = ?1 AND owner_id = ?2");
    del.bind_all(owner_kind, owner_id).run();
    auto ins = db_.prepare(
        "INSERT INTO lore_entries (owner_kind, owner_id, position, name, keys, secondary_keys, content, always, "
        "case_sensitive, enabled, ord) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    for (std::size_t i = 0; i < s.lore.size(); ++i) {
        const LoreEntry& e = s.lore[i];
        ins.bind_all(owner_kind, owner_id, static_cast<std::int64_t>(i), e.name, keys_to_json(e.keys),
                     keys_to_json(e.secondary_keys), e.content, e.always ? 1 : 0, e.case_sensitive ? 1 : 0,
                     e.enabled ? 1 : 0, e.order)
            .run();
        ins.reset();
    }
}

namespace {

// Refuses settings beyond story_settings.h's limits before anything is written.
void check_story(const std::string& path, const StorySettings& s) {
    if (auto problem = story_settings_problem(s); !problem.empty())
        throw StoreError(Kind::Invalid, 0, path, problem);
}

} // namespace

StorySettings Store::draft_story(std::int64_t draft_id) const {
    return guarded("could not read the draft's story settings", [&] {
        ReadSnapshot snapshot(db_);
        require_draft(draft_id);
        return read_story(kDraftOwner, draft_id).value_or(StorySettings{});
    });
}

void Store::set_draft_story(std::int64_t draft_id, const StorySettings& settings) {
    guarded("could not save the draft's story settings", [&] {
        check_story(path(), settings);
        Transaction tx(db_);
        require_draft(draft_id);
        write_story(kDraftOwner, draft_id, settings);
        tx.commit();
    });
}

StorySettings Store::series_story(std::int64_t series_id) const {
    return guarded("could not read the series' story settings", [&] {
        ReadSnapshot snapshot(db_);
        require_series(series_id);
        return read_story(kSeriesOwner, series_id).value_or(StorySettings{});
    });
}

void Store::set_series_story(std::int64_t series_id, const StorySettings& settings) {
    guarded("could not save the series' story settings", [&] {
        check_story(path(), settings);
        Transaction tx(db_);
        require_series(series_id);
        write_story(kSeriesOwner, series_id, settings);
        tx.commit();
    });
}

StoryContext Store::story_context_for(std::int64_t draft_id) const {
    return guarded("could not read the draft's story settings", [&] {
        ReadSnapshot snapshot(db_);
        auto st = db_.prepare("SELECT coalesce(series_id, 0) FROM drafts WHERE id = ?1");
        st.bind(1, draft_id);
        if (!st.step())
            throw StoreError(Kind::NotFound, 0, path(), "draft " + std::to_string(draft_id) + " does not exist");
        const std::int64_t series_id = st.int64(0);
        const std::optional<StorySettings> own = read_story(kDraftOwner, draft_id);
        const std::optional<StorySettings> shared =
            series_id != 0 ? read_story(kSeriesOwner, series_id) : std::nullopt;
        const StorySettings none;
        const StorySettings& d = own ? *own : none;
        const StorySettings& s = shared ? *shared : none;

        StoryContext c;
        c.memory = join_memory(s.memory, d.memory);
        c.lore = s.lore;
        c.lore.insert(c.lore.end(), d.lore.begin(), d.lore.end());
        const StorySettings& note = !d.authors_note.empty() || s.authors_note.empty() ? d : s;
        c.authors_note = note.authors_note;
        c.authors_note_depth = note.authors_note_depth;
        const StorySettings& lore_settings = own || !shared ? d : s;
        c.lore_scan_tokens = lore_settings.lore_scan_tokens;
        c.lore_recursive = lore_settings.lore_recursive;
        return c;
    });
}

// ---- maintenance ----------------------------------------------------------

void Store::backup_to(const std::string& target) const {
    guarded("could not back up to " + target, [&] {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (fs::equivalent(target, path(), ec))
            throw StoreError(Kind::Invalid, 0, path(), "the backup would overwrite the database itself");
        const std::string tmp = target + ".tmp";
        // Leftovers of a backup that crashed would otherwise be taken for
        // the journal of the new copy.
        remove_sqlite_files(tmp);
        try {
            {
                sqlite::Database dest(tmp);
                // The copy's commit is what makes it complete on disk.
                dest.exec("PRAGMA synchronous = FULL");
                sqlite3_backup* b = sqlite3_backup_init(dest.handle(), "main", db_.handle(), "main");
                if (!b) dest.fail(sqlite3_extended_errcode(dest.handle()), "");
                // One step copies everything under a single read transaction,
                // so the copy is one consistent moment of the database.
                int rc = sqlite3_backup_step(b, -1);
                int finish_rc = sqlite3_backup_finish(b);
                if (rc != SQLITE_DONE) dest.fail(finish_rc != SQLITE_OK ? finish_rc : rc, "");
                // The copy inherits WAL mode; a backup should be one file.
                dest.query_text("PRAGMA journal_mode = DELETE");
            } // closing the copy before the rename, so it is complete on disk
            fs::rename(tmp, target);
        } catch (const fs::filesystem_error& e) {
            remove_sqlite_files(tmp);
            throw StoreError(Kind::Io, 0, path(), e.code().message());
        } catch (...) {
            remove_sqlite_files(tmp);
            throw;
        }
        sync_directory(fs::path(target).parent_path());
    });
}

std::string Store::integrity_check() const {
    return guarded("could not check the database", [&] {
        auto st = db_.prepare("PRAGMA integrity_check");
        std::string out;
        while (st.step()) {
            if (!out.empty()) out += '\n';
            out += st.text(0);
        }
        return out;
    });
}

} // namespace fabula
