#pragma once
// The Fabula store: drafts and their history, their series and story
// settings (memory, author's note, lorebook), the models, and every
// continuation with what the writer did with it, in one SQLite file. The
// ratings and edits are the feedback the trainer learns from.
//
// Every write is one transaction, committed durably before the call returns.
// A write that cannot happen throws StoreError, whose kind() tells the UI
// which sentence to show ("Could not save: the disk is full") while it keeps
// the text in the editor; nothing committed earlier is affected.
//
// A Store is one connection and is used from one thread at a time.
#include "core/prompt_builder.h"
#include "core/store/sqlite.h"
#include "core/store/story_settings.h"
#include "core/store/text.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fabula {

// Unix time in milliseconds.
using TimeMs = std::int64_t;

inline constexpr TimeMs kMinuteMs = 60 * 1000;
inline constexpr TimeMs kHourMs = 60 * kMinuteMs;
inline constexpr TimeMs kDayMs = 24 * kHourMs;

// A series of drafts (the books of a saga) that share a memory and a
// lorebook. Names are unique, ignoring case.
struct Series {
    std::int64_t id = 0;
    std::string name;
    TimeMs created_at = 0;
    friend bool operator==(const Series&, const Series&) = default;
};

struct DraftSummary {
    std::int64_t id = 0;
    std::string title;
    TimeMs updated_at = 0;
    std::int64_t word_count = 0;
    std::optional<TimeMs> trashed_at;
};

struct Draft {
    std::int64_t id = 0;
    std::string title;
    std::string body;
    TimeMs created_at = 0;
    TimeMs updated_at = 0;
    std::int64_t word_count = 0;
    std::optional<TimeMs> trashed_at;
};

enum class DraftList { Active, Trashed };

enum class RevisionKind { Autosave, Manual, BeforeRestore };

// A revision without its text, for history lists.
struct RevisionInfo {
    std::int64_t id = 0;
    std::int64_t draft_id = 0;
    RevisionKind kind = RevisionKind::Autosave;
    TimeMs created_at = 0;
    std::int64_t word_count = 0;
};

struct Revision : RevisionInfo {
    std::string text;
};

// Which autosaves thin_revisions keeps. An autosave's age picks its tier,
// the tier a bucket length, and the autosave goes when a newer revision (of
// any kind) lies in the same bucket: each bucket keeps its newest. Buckets
// are aligned to the epoch, not to now, and each tier's length divides the
// next one's, so an autosave thinned away early would also be thinned away
// later: thinning as time passes keeps exactly what one thinning at the end
// would. Manual and before-restore revisions are never thinned; only the
// hard cap removes them, and only once no autosave is left to remove. The
// newest revision is always kept.
struct RevisionPolicy {
    struct Tier {
        TimeMs younger_than; // age limit of this tier
        TimeMs bucket;       // one autosave kept per bucket of this length
    };
    std::vector<Tier> tiers = {
        {kHourMs, 5 * kMinuteMs}, // the last hour: one per 5 minutes
        {kDayMs, kHourMs},        // the last day: one per hour
        {30 * kDayMs, kDayMs},    // the last month: one per day
    };
    TimeMs older_bucket = 7 * kDayMs; // beyond the last tier: one per week
    std::size_t max_revisions = 200;  // per draft
};

// A file as it is on disk, to tell whether it changed since it was read.
struct FileStamp {
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0; // modification time, nanoseconds since the epoch
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// The file's stamp, or nothing when it cannot be read.
std::optional<FileStamp> stamp_of_file(const std::string& path);

struct ModelRecord {
    std::int64_t id = 0;
    std::string name;
    std::string path;
    std::string weights_sha256; // lower-case hex, or empty when not known
    TimeMs added_at = 0;
    // The weights file as it was when weights_sha256 was computed; empty
    // when that is not known (a checksum from before version 3, or one
    // given without a stamp).
    std::optional<FileStamp> weights_stamp;

    // The checksum when it was computed for the weights file as it is now
    // (same size and modification time); empty when it must be computed
    // again. A path alone says nothing: the file may have been replaced.
    std::string weights_sha256_for(const std::optional<FileStamp>& now) const {
        return now && weights_stamp && *now == *weights_stamp ? weights_sha256 : std::string();
    }
};

enum class ContinuationStatus { Suggested, Accepted, Rejected, Cancelled };

struct Rating {
    int thumbs = 0;           // -1, 0 or +1
    std::optional<int> stars; // 1..5
    TimeMs rated_at = 0;
};

// What the engine produced, as recorded when it is shown.
struct NewContinuation {
    std::optional<std::int64_t> draft_id;
    std::optional<std::int64_t> model_id; // empty once the model is removed
    std::vector<std::int32_t> context_ids; // the token tail the model saw
    std::string context_text;
    std::vector<std::int32_t> continuation_ids;
    std::string continuation_text;
    std::string settings_json = "{}"; // the sampling settings
    std::int64_t prompt_tokens = 0;
    std::int64_t new_tokens = 0;
    std::optional<double> ms_to_first_token;
    std::optional<double> tokens_per_second;
    // The round it belongs to (Store::begin_round): the continuations of one
    // request compete for the same context. Empty: a round of its own.
    std::optional<std::int64_t> round_id;
};

// How a generation ended for the writer. It decides how its text is
// recorded: see Store::record_generation.
enum class GenerationEnd {
    Shown,     // finished and shown as a suggestion (or among alternatives)
    Stopped,   // the writer pressed Stop; what arrived is shown
    Abandoned, // the writer moved on: typed, rejected it, or started a new round
};

struct ContinuationRecord : NewContinuation {
    std::int64_t id = 0; // round_id is always set on a recorded one
    ContinuationStatus status = ContinuationStatus::Suggested;
    TimeMs created_at = 0;
    std::optional<TimeMs> decided_at;
    std::optional<std::string> edited_text; // the accepted span as it reads now
    std::optional<TimeMs> edited_at;
    std::optional<Rating> rating;
};

// A blind A/B pick: a_id was shown as A, b_id as B.
enum class AbChoice { A, B, Neither };

struct NewAbPick {
    std::optional<std::int64_t> draft_id;
    std::int64_t a_id = 0, b_id = 0; // continuations
    std::string a_label, b_label;     // the arms (model or settings), for the comparison view
    AbChoice choice = AbChoice::Neither;
};

struct AbPick : NewAbPick {
    std::int64_t id = 0;
    TimeMs picked_at = 0;
};

// The three training sets built from the feedback (training/feedback_export
// writes them as sft.jsonl, pairs.jsonl, kto.jsonl).
enum class FeedbackSet { Sft, Pairs, Kto };
enum class PairSource { Round, Edit, Ab };

// Names one item of a set, so the writer can delete it from training: sft
// and kto items name their continuation as both ids; a pair names chosen
// then rejected (an edit pair: the edited continuation twice).
struct FeedbackItemKey {
    FeedbackSet set = FeedbackSet::Sft;
    std::int64_t continuation_id = 0;
    std::int64_t other_id = 0;
    friend bool operator==(const FeedbackItemKey&, const FeedbackItemKey&) = default;
    friend auto operator<=>(const FeedbackItemKey&, const FeedbackItemKey&) = default;
};

// One row of a set, as the rules in Store::feedback_items chose it. Token
// ids are the model's own where it has them: the context it saw and the
// tokens it wrote. A completion the writer typed (an edit) has none; the
// exporter tokenizes it against the prompt.
struct FeedbackItem {
    FeedbackItemKey key;
    PairSource source = PairSource::Round; // pairs only
    std::int64_t draft_id = 0;             // 0: a continuation recorded without a draft
    std::int64_t round_id = 0;
    std::optional<std::int64_t> model_id;  // the model that wrote it (pairs: the chosen one)
    std::optional<std::int64_t> ab_pick_id;
    std::string prompt;
    std::vector<std::int32_t> prompt_ids;
    // sft, kto: the completion; pairs: the chosen one.
    std::string completion;
    std::optional<std::vector<std::int32_t>> completion_ids;
    // pairs: the rejected one.
    std::string rejected;
    std::optional<std::vector<std::int32_t>> rejected_ids;
    bool label = false; // kto: good (true) or bad
    // pairs between continuations that saw different tokens for the same
    // text (an A/B pick between models with different tokenizers): the
    // prompt ids fit only one side, so the row is text only.
    bool text_only = false;
};

struct FeedbackItems {
    std::vector<FeedbackItem> sft, pairs, kto;
};

// Which drafts the sets are built from. Drafts in the trash and drafts the
// writer left out (Store::set_draft_left_out) never count.
struct FeedbackFilter {
    std::vector<std::int64_t> only_drafts;    // empty: every draft (and continuations without one)
    std::vector<std::int64_t> exclude_drafts; // for this build only
};

// What would be used, per draft and per set, for the feedback view.
struct DraftFeedback {
    std::int64_t draft_id = 0; // 0: continuations recorded without a draft
    std::string title;
    bool left_out = false; // the counts are then what it would give
    std::int64_t sft = 0, pairs = 0, kto = 0;
    std::int64_t deleted = 0; // items of it the writer deleted
};

// Paused (the writer asked), Stopped (the process ended without finishing:
// killed, cancelled) and Interrupted (found dead at start: a crash, a
// reboot) runs keep their checkpoints and can be resumed.
enum class TrainingStatus { Queued, Running, Paused, Stopped, Interrupted, Finished, Failed, Cancelled };

// Finished, failed or cancelled: the run has a finishing time and is never resumed.
bool is_terminal(TrainingStatus status);

// What a new run is recorded with.
struct NewTrainingRun {
    std::string name;                          // the writer's ("Mia's voice")
    std::string out_dir;                       // the run folder
    std::optional<std::int64_t> model_id;      // the model it starts from
    std::optional<std::int64_t> parent_run_id; // the run it continues ("Train more")
    std::string settings_json = "{}";          // the training options
    std::string data_fingerprint;              // of the stories it trains on
    TrainingStatus status = TrainingStatus::Running;
};

struct TrainingRun {
    std::int64_t id = 0;
    std::optional<std::int64_t> model_id; // the model it starts from
    std::string out_dir;
    TrainingStatus status = TrainingStatus::Queued;
    TimeMs started_at = 0;
    std::optional<TimeMs> finished_at; // set by a finished, failed or cancelled status
    std::string metrics_json = "{}";
    std::string name;
    std::string settings_json = "{}";
    std::string data_fingerprint;
    std::optional<std::int64_t> parent_run_id;
    std::optional<std::int64_t> result_model_id; // the model registered from its output
};

// The words stored in the database ("autosave", "accepted", ...).
const char* to_string(RevisionKind kind);
const char* to_string(ContinuationStatus status);
const char* to_string(TrainingStatus status);
const char* to_string(AbChoice choice);
const char* to_string(FeedbackSet set);   // "sft", "pairs", "kto"
const char* to_string(PairSource source); // "round", "edit", "ab"

struct StoreOptions {
    // Open without write access; every write then throws kind ReadOnly. A
    // database that needs upgrading cannot be opened this way.
    bool read_only = false;
    // How long a write waits for another connection's lock before giving up
    // with kind Busy.
    int busy_timeout_ms = 2000;
    // The time stamps of writes; the system clock when empty. Tests inject one.
    std::function<TimeMs()> clock;
};

class Store {
public:
    // Opens (creating when missing, unless read-only) and upgrades the
    // database at path. Throws StoreError: NewerVersion for a file made by a
    // newer Fabula, Corrupt for a damaged or foreign file, CannotOpen when
    // the file or its folder cannot be reached.
    explicit Store(const std::string& path, StoreOptions options = {});

    Store(Store&&) noexcept = default;
    Store& operator=(Store&&) noexcept = default;

    const std::string& path() const { return db_.path(); }
    bool read_only() const { return db_.read_only(); }
    int schema_version() const;
    TimeMs now() const;

    // Drafts. Mutations of an id that does not exist throw kind NotFound.
    std::int64_t create_draft(std::string_view title, std::string_view body = {});
    void rename_draft(std::int64_t id, std::string_view title);
    // False (and updated_at untouched) when the body is already this text,
    // so autosave can call it freely without reordering the draft list.
    bool update_draft_body(std::int64_t id, std::string_view body);
    // The copy starts without history, in the same series and with the same
    // story settings (a copy of them). The title is the caller's so the UI
    // can translate "(copy)".
    std::int64_t duplicate_draft(std::int64_t id, std::string_view new_title);
    void trash_draft(std::int64_t id);
    void restore_draft(std::int64_t id);
    // Deletes a draft that is in the trash, with its revisions,
    // continuations, ratings and story settings; a draft not in the trash
    // is refused (kind Invalid) so no single call loses work for good.
    void purge_draft(std::int64_t id);
    // Purges everything trashed before the given time; returns how many.
    int purge_trash(TimeMs trashed_before);
    // Newest first (by updated_at; the trash by trashed_at). A non-empty
    // search keeps drafts whose title or body contains it, case-insensitive
    // (see fold_case), taken literally: % and _ are not wildcards.
    std::vector<DraftSummary> list_drafts(std::string_view search = {}, DraftList which = DraftList::Active) const;
    std::optional<Draft> get_draft(std::int64_t id) const;

    // Series. A name must be non-empty and not taken, ignoring case (kind
    // Invalid, naming the series that has it); leading and trailing white
    // space is removed first.
    std::vector<Series> series() const; // by name
    std::optional<Series> get_series(std::int64_t id) const;
    std::int64_t create_series(const std::string& name);
    void rename_series(std::int64_t id, const std::string& name);
    // Its drafts stay, outside any series, with their own settings; the
    // series' memory and lorebook go with it.
    void delete_series(std::int64_t id);
    // series_id 0: outside any series. The draft and the series must exist
    // (kind NotFound).
    void set_draft_series(std::int64_t draft_id, std::int64_t series_id);
    std::int64_t draft_series(std::int64_t draft_id) const; // 0: none
    std::vector<std::int64_t> series_drafts(std::int64_t series_id) const; // ids, oldest first, trash included

    // Story settings (memory, author's note, lorebook) of a draft or a
    // series: the defaults until set. A set replaces all of them, the
    // lorebook included, in one transaction; settings beyond the limits of
    // story_settings.h are refused (kind Invalid, saying what to shorten)
    // and the stored ones stay as they were. A draft in the trash keeps its
    // settings; purging it deletes them. The owner must exist (kind NotFound).
    StorySettings draft_story(std::int64_t draft_id) const;
    void set_draft_story(std::int64_t draft_id, const StorySettings& settings);
    StorySettings series_story(std::int64_t series_id) const;
    void set_series_story(std::int64_t series_id, const StorySettings& settings);
    // What the prompt of a draft uses. Outside a series it is the draft's
    // settings. In a series the two are combined:
    //  - memory: the series' then the draft's, joined by a blank line (an
    //    empty one is skipped);
    //  - lore: the series' entries then the draft's (the builder's order
    //    field still ranks them when the lore budget is short);
    //  - the author's note: the draft's when it is not empty, else the
    //    series'; its depth comes with it (the depth set beside that note);
    //  - the lore scan window and recursion: the draft's when the draft has
    //    stored settings of its own, else the series'.
    // lore_budget and the note template are StoryContext's defaults. Kind
    // NotFound for an unknown draft.
    StoryContext story_context_for(std::int64_t draft_id) const;

    // Revisions. add_revision stores unconditionally; maybe_snapshot is the
    // autosave path: it stores text only if the newest revision is at least
    // min_interval old and differs, then thins. Returns the new id, if any.
    std::int64_t add_revision(std::int64_t draft_id, std::string_view text, RevisionKind kind);
    std::optional<std::int64_t> maybe_snapshot(std::int64_t draft_id, std::string_view text, TimeMs now,
                                               TimeMs min_interval = 5 * kMinuteMs);
    // Deletes the autosaves the policy does not keep; returns how many.
    int thin_revisions(std::int64_t draft_id, TimeMs now, const RevisionPolicy& policy = {});
    // Newest first.
    std::vector<RevisionInfo> list_revisions(std::int64_t draft_id) const;
    std::optional<Revision> get_revision(std::int64_t id) const;
    // Makes the revision's text the draft's body, first saving the current
    // body as a before-restore revision so the restore can be undone.
    void restore_revision(std::int64_t revision_id);

    // Models, keyed by path: adding a path again updates name and checksum
    // (and the stamp of the file the checksum was computed for).
    std::int64_t add_or_update_model(std::string_view name, std::string_view path,
                                     std::string_view weights_sha256 = {},
                                     std::optional<FileStamp> weights_stamp = std::nullopt);
    // The model loaded from path, which every continuation it writes is
    // recorded against: its row, added under name when the library does not
    // hold it. That includes a model the writer removed from the library
    // while it was loaded: it comes back, because it is still writing. A
    // known name and checksum are kept. *added (when given) tells whether
    // the row was added.
    ModelRecord model_for_folder(std::string_view name, std::string_view path, bool* added = nullptr);
    // Records the checksum of the weights of the model at path, computed for
    // the file as stamped. False (and nothing changed) when no model has that
    // path any more: one removed while its checksum was computed stays removed.
    bool set_model_weights(std::string_view path, std::string_view weights_sha256, FileStamp stamp);
    std::vector<ModelRecord> list_models() const; // by name
    std::optional<ModelRecord> get_model(std::int64_t id) const;
    void remove_model(std::int64_t id);

    // Continuations and feedback.
    std::int64_t record_continuation(const NewContinuation& c,
                                     ContinuationStatus status = ContinuationStatus::Suggested);
    // A generation as it ended for the writer: shown, it is a suggestion
    // awaiting a decision; stopped or abandoned, it is recorded as cancelled
    // (an abandoned one is never shown again, a stopped one may still be
    // accepted or rejected). One without text teaches nothing and is not
    // recorded: nullopt.
    std::optional<std::int64_t> record_generation(const NewContinuation& c, GenerationEnd end);
    // Stamps decided_at (cleared again by Suggested).
    void set_continuation_status(std::int64_t id, ContinuationStatus status);
    // Only an accepted continuation can have been edited (kind Invalid).
    void record_edit(std::int64_t id, std::string_view edited_text);
    // thumbs -1/0/+1, stars 1..5 (kind Invalid otherwise). Rating again
    // replaces the earlier rating.
    void rate(std::int64_t id, int thumbs, std::optional<int> stars = std::nullopt);
    std::optional<ContinuationRecord> get_continuation(std::int64_t id) const;
    std::vector<ContinuationRecord> list_continuations(std::int64_t draft_id) const; // oldest first
    // Every rated continuation with thumbs >= min_thumbs, whatever its
    // status, with its context: the feedback training set. Oldest first.
    std::vector<ContinuationRecord> list_rated_continuations(int min_thumbs) const;

    // Rounds: call once per request (Continue, Regenerate after it, the
    // Alternatives together) and record its continuations with the id.
    std::int64_t begin_round();
    // Blind A/B: both continuations must exist and differ (kind NotFound,
    // Invalid). "Neither" is kept and makes no pair.
    std::int64_t record_ab_pick(const NewAbPick& pick);
    std::vector<AbPick> list_ab_picks() const; // oldest first

    // Feedback for training. The rules (which continuation lands in which
    // set) live here so the exporter and the app's feedback view agree:
    //  - sft: accepted continuations not rated bad; the completion is the
    //    writer's edit when they edited it (an edit that removed all of it
    //    is no example);
    //  - pairs, source round: within a round and for the same context
    //    tokens, every good continuation (accepted, picked, thumbs-up,
    //    4-5 stars; edited: the edit) against every bad one (rejected,
    //    thumbs-down, 1-2 stars); a rating overrides the status, a rating
    //    whose thumbs and stars disagree says nothing;
    //  - pairs, source edit: an accepted continuation's edit (chosen)
    //    against the model's text (rejected);
    //  - pairs, source ab: a blind pick, the picked text against the other
    //    (the same two are not paired again from their round);
    //  - kto: rated continuations (thumbs, or stars 4-5 good, 1-2 bad) in no
    //    pair, with the model's text.
    // Deleted items are left out after the sets are built, so deleting a
    // pair does not turn its two sides into KTO examples.
    FeedbackItems feedback_items(const FeedbackFilter& filter = {}) const;
    // Per draft (newest first, those without feedback left out; left-out
    // drafts included with left_out set) and per set.
    std::vector<DraftFeedback> feedback_summary() const;
    // Left out: none of the draft's feedback is used until it is back in.
    void set_draft_left_out(std::int64_t draft_id, bool left_out);
    std::vector<std::int64_t> left_out_drafts() const;
    // Deleting an item keeps the feedback (the ratings, the decisions) and
    // only keeps the item out of its set; restore_feedback_item undoes it.
    // The continuations must exist (kind NotFound).
    void delete_feedback_item(const FeedbackItemKey& key);
    void restore_feedback_item(const FeedbackItemKey& key);
    std::vector<FeedbackItemKey> deleted_feedback_items() const;

    // Training runs. The model and parent run must exist (kind NotFound).
    std::int64_t add_training_run(std::optional<std::int64_t> model_id, std::string_view out_dir,
                                  TrainingStatus status = TrainingStatus::Running);
    std::int64_t add_training_run(const NewTrainingRun& run);
    void update_training_run(std::int64_t id, TrainingStatus status, std::string_view metrics_json);
    // The status alone, metrics untouched.
    void set_training_run_status(std::int64_t id, TrainingStatus status);
    // The model registered from the run's output (kind NotFound for an unknown run or model).
    void set_training_run_result(std::int64_t id, std::int64_t model_id);
    // Forgets the run (its folder is the caller's); runs continuing it lose their parent.
    void remove_training_run(std::int64_t id);
    std::vector<TrainingRun> list_training_runs() const; // newest first
    std::optional<TrainingRun> get_training_run(std::int64_t id) const;
    // The newest run recorded for a run folder.
    std::optional<TrainingRun> find_training_run(std::string_view out_dir) const;
    // At start: every Running or Queued run for which `keep` says no becomes
    // Interrupted, in one transaction; returns those (newest first). What
    // is kept is the caller's to know (a process still training it, or one
    // that reported its end while the app was closed), so the store stays
    // free of process and file knowledge.
    std::vector<TrainingRun> mark_interrupted_runs(const std::function<bool(const TrainingRun&)>& keep);

    // Copies the whole database into path with SQLite's online backup, via
    // path + ".tmp" and a rename, so path is either the old file or a
    // complete copy, never half of one. The copy is a single file (rollback
    // journal mode) ready to open with Store.
    void backup_to(const std::string& path) const;
    // "ok", or SQLite's list of problems one per line.
    std::string integrity_check() const;

    // The connection, for tests and maintenance tools.
    sqlite::Database& database() { return db_; }

private:
    template <class F>
    auto guarded(std::string_view action, F&& f) const -> decltype(f());

    void require_draft(std::int64_t id) const;
    void require_series(std::int64_t id) const;
    std::optional<StorySettings> read_story(const char* owner_kind, std::int64_t owner_id) const;
    void write_story(const char* owner_kind, std::int64_t owner_id, const StorySettings& settings);
    std::int64_t insert_revision(std::int64_t draft_id, std::string_view text, RevisionKind kind, TimeMs at);
    ContinuationRecord read_continuation(const sqlite::Statement& st) const;
    // The continuations of drafts not in the trash (and those without a
    // draft), oldest first, each with its round: what feedback_items reads.
    std::vector<ContinuationRecord> feedback_candidates() const;

    mutable sqlite::Database db_; // reads prepare statements, hence mutable
    StoreOptions options_;
};

} // namespace fabula
