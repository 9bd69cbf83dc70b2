#pragma once
// The contract between `fabula-cli train` and whoever starts it (the app's
// wizard, a script): the settings as one JSON object keyed by the long flag
// names (`--options FILE`), and the progress as one JSON object per line
// (`--events FILE`). Defined once here, so ui/ never spells a flag name and
// the CLI and the app cannot drift apart. No libtorch or Qt here.
#include "training/trainer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace fabula::training {

// Every setting of TrainOptions by its flag name without dashes ("model",
// "data", "out", "batch-size", "lr", "from-scratch", "resume", ...). Switches
// are booleans, paths strings; fields left at their defaults may be omitted
// (to_options_json writes only what differs from TrainOptions{} plus the
// required model/data/out). dump_batches is test-only and never written.
nlohmann::json to_options_json(const TrainOptions& options);

// The reverse: every key must be a known flag name of `train` and have the
// right JSON type; an unknown or mistyped key throws UsageError naming it and
// `source` (the options file). Range checks are the CLI's, which applies the
// values through the same table as its flags (flags given on the command
// line win over the file).
nlohmann::json read_options_file(const std::filesystem::path& file);

// One line of --events: {"event": "...", ...} exactly as issue 8 defines:
//   start      total_steps, steps_per_epoch, device ("cpu"/"cuda"), precision
//              ("fp32"/"bf16"/"fp16"), threads, train_tokens, run (the run folder)
//   step       step, total_steps, epoch, loss, lr, grad_norm, tokens_per_second, eta_seconds, and
//              the objective's figures when it has any (DPO: "rewards/chosen",
//              "rewards/rejected", "rewards/accuracies", "rewards/margins")
//   eval       step, loss, perplexity
//   checkpoint step, path
//   done       steps, model
//   stopped    step, checkpoint (the newest checkpoint, "" when none)
//   error      message
//   warning    message
struct RunEvent {
    enum class Kind { Start, Step, Eval, Checkpoint, Done, Stopped, Error, Warning };
    Kind kind = Kind::Step;
    int64_t step = 0, total_steps = 0, steps_per_epoch = 0, train_tokens = 0;
    int threads = 0;
    double epoch = 0, loss = 0, lr = 0, grad_norm = 0, tokens_per_second = 0, eta_seconds = 0, perplexity = 0;
    std::string device, precision, message;
    std::filesystem::path path; // run (start), checkpoint (checkpoint, stopped), model (done)
    std::map<std::string, double> metrics; // step: TrainEvent::metrics, by their names
};

nlohmann::json to_json(const RunEvent& event);
// Throws UsageError for a line that is not an event of this contract (the
// app skips such a line and says so; a torn last line is retried later).
RunEvent run_event_from_json(const nlohmann::json& j);

// The trainer's callback events (TrainEvent) as contract events.
RunEvent to_run_event(const TrainEvent& event);

// The files of the contract in a run folder: the lock, and the events file
// the app passes to --events. The trainer accepts a new run folder that holds
// only these (they are written before it looks at the folder).
inline constexpr const char* kTrainLockFile = "train.lock";
inline constexpr const char* kRunEventsFile = "events.jsonl";

// RUN/train.lock: the pid of the process training in RUN, written when it
// starts and removed when it ends. lock_holder() returns the pid when that
// process is still alive (a stale lock from a killed run returns nullopt).
void write_train_lock(const std::filesystem::path& run_dir);
void remove_train_lock(const std::filesystem::path& run_dir);
std::optional<int64_t> lock_holder(const std::filesystem::path& run_dir);

} // namespace fabula::training
