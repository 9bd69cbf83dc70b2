// prepare, train, eval and export: fine-tuning from the command line.
#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "app/cli_launch.h"
#include "core/lora.h"
#include "training/export_job.h"
#include "training/train_contract.h"
#include "training/trainer.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <unistd.h>

namespace fabula::cli {

namespace fs = std::filesystem;
using namespace fabula::training;

const CommandHelp& prepare_help() {
    static const CommandHelp h{
        "prepare", "check stories before training: counts, problems, the split, memory and time per epoch",
        "  # Fine-tune on your stories: check them first, then train, evaluate and export\n"
        "  fabula-cli prepare --model ~/models/gpt2 --data ~/stories/\n"};
    return h;
}

const CommandHelp& train_help() {
    static const CommandHelp h{
        "train", "fine-tune a GPT-2 model on stories into a run folder (checkpoints, metrics.jsonl, model/); "
                 "Ctrl+C stops with a checkpoint (exit 130), --resume continues",
        "  fabula-cli train   --model ~/models/gpt2 --data ~/stories/ --out ~/runs/mine\n"
        "  fabula-cli train   --options settings.json --events ~/runs/mine/events.jsonl\n"
        "  # Learn from the writer's feedback (fabula-cli feedback export), keeping the voice\n"
        "  fabula-cli train   --model ~/runs/mine/model --objective dpo --data ~/feedback/pairs.jsonl \\\n"
        "                     --lm-mix 0.1 --stories ~/stories/ --out ~/runs/dpo\n"
        "  # A voice: a LoRA adapter (PEFT's format, a few MB) on a frozen base\n"
        "  fabula-cli train    --model ~/models/gpt2-xl --data ~/stories/ --out ~/runs/noir --lora-r 8 --voice Noir\n"
        "  # The same recipe as a job for a cluster's Hugging Face stack (accelerate launch train.py)\n"
        "  fabula-cli train   --model ~/models/gpt2-xl --data ~/stories/ --batch-size 4 --export-job ~/jobs/mine\n"};
    return h;
}

const CommandHelp& eval_help() {
    static const CommandHelp h{
        "eval", "loss and perplexity of a model on stories (each followed by end-of-text, in windows of the context)",
        "  fabula-cli eval    --model ~/runs/mine/model --data ~/stories/held-out.jsonl\n"};
    return h;
}

const CommandHelp& export_help() {
    static const CommandHelp h{
        "export", "write a checkpoint as a Hugging Face model folder (a LoRA run's as an adapter folder), or a "
                  "base with adapters merged in",
        "  fabula-cli export  --checkpoint ~/runs/mine/checkpoints/step-500 --out ~/models/mine\n"
        "  fabula-cli export   --model ~/models/gpt2-xl --adapter ~/runs/noir/adapter --merge --out ~/models/noir-xl\n"};
    return h;
}

namespace {

std::atomic<bool> g_stop{false};

// The first signal asks the trainer to stop at the next step (it saves a
// checkpoint there); the second quits at once. Checkpoints are moved into
// place by rename, so quitting mid-save leaves the last finished one intact.
// Only async-signal-safe calls here: write(2) and _exit(2).
extern "C" void on_stop_signal(int) {
    if (g_stop.exchange(true)) _exit(130);
    static const char note[] =
        "\nstopping after this step\u2026 (Ctrl+C again to quit now; the last checkpoint stays intact)\n";
    const ssize_t ignored = write(STDERR_FILENO, note, sizeof note - 1);
    (void)ignored;
}

// Under torchrun the agent sends SIGTERM to every rank when one has died:
// the others could only wait for it, so the rank ends at once without
// starting a checkpoint (the last complete one stays intact).
extern "C" void on_rank_terminated(int) {
    static const char note[] = "\nended by SIGTERM; the last complete checkpoint stays intact\n";
    const ssize_t ignored = write(STDERR_FILENO, note, sizeof note - 1);
    (void)ignored;
    _exit(128 + SIGTERM);
}

// torchrun (or --nproc-per-node) started this process as one rank of several.
bool is_rank() { return std::getenv("RANK") && std::getenv("WORLD_SIZE"); }

// Rank 0 writes the run folder, its lock and --events, and prints progress.
bool is_first_rank() {
    const char* rank = std::getenv("RANK");
    return !is_rank() || std::string(rank) == "0";
}

void catch_stop_signals() {
    struct sigaction sa = {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; // reading and tokenizing the stories go on until the trainer looks at the flag
    sigaction(SIGINT, &sa, nullptr);
    if (is_rank()) sa.sa_handler = on_rank_terminated;
    sigaction(SIGTERM, &sa, nullptr);
}

fs::path default_cache_dir() {
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "fabula" / "tokens";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "fabula" / "tokens";
    return {};
}

// How stories are read: --separator, --text-field, --csv-column, --strict.
OptionTable read_option_table() {
    const ReadOptions r;
    return in_group("Stories", {
        required_option("data", "PATH", "the stories: a folder of .txt/.md, or a .txt, .md, .jsonl or .csv file "
                                        "(with --objective sft, dpo or kto: the feedback set's .jsonl)"),
        text_option("separator", "LINE", "in a single .txt/.md file, a line equal to this ends a story",
                    r.separator),
        text_option("text-field", "NAME", "the field that holds a story in .jsonl", r.text_field),
        text_option("csv-column", "NAME", "the column that holds a story in .csv (named in the header row)",
                    r.csv_column),
        switch_option("strict", "stop at the first unreadable story instead of skipping it"),
    });
}

ReadOptions read_options(const Args& a) {
    ReadOptions r;
    if (auto v = a.get("separator")) r.separator = *v;
    if (auto v = a.get("text-field")) r.text_field = *v;
    if (auto v = a.get("csv-column")) r.csv_column = *v;
    r.strict = a.has("strict");
    return r;
}

enum class TrainCommand { Prepare, Train };

// The options of prepare and train; the defaults shown are TrainOptions'.
OptionTable train_option_table(TrainCommand command) {
    const TrainOptions t;
    OptionTable data = read_option_table();
    data.push_back(text_option("cache-dir", "DIR", "where tokenized stories are kept for the next run",
                               "$XDG_CACHE_HOME/fabula/tokens, else ~/.cache/fabula/tokens"));
    data.back().group = "Stories";
    OptionTable run = {
        command == TrainCommand::Train
            ? required_option("out", "DIR", "the run folder: checkpoints/, metrics.jsonl and, at the end, model/")
            : text_option("out", "DIR", "the run folder the estimate is for", "none"),
        switch_option("from-scratch", "start from random weights (needs --config) instead of --model's"),
        text_option("config", "FILE", "with --from-scratch: the new model's config.json", "none"),
    };
    if (command == TrainCommand::Train) {
        run.push_back(switch_option("resume", "continue the run in --out from its newest checkpoint"));
        run.push_back(switch_option("quiet", "no progress bar (the step lines and checkpoints are still printed)"));
        run.push_back(text_option("options", "FILE",
                                  "the settings as one JSON object keyed by these flags' names without the dashes "
                                  "({\"batch-size\": 2}); flags given here win", "none"));
        run.push_back(text_option("events", "FILE",
                                  "append the progress as one JSON object per line to FILE (- for stdout)", "none"));
        run.push_back(text_option("export-job", "DIR",
                                  "instead of training, write DIR: the data as JSONL, settings.json, and a train.py "
                                  "with accelerate configs (DDP, FSDP, DeepSpeed) that run this recipe with Hugging "
                                  "Face's Trainer on a cluster (--out is not needed)", "none"));
        run.push_back(switch_option("overwrite", "with --export-job: replace DIR if it holds a job Fabula exported"));
        run.push_back(int_option<int>("nproc-per-node", "train on this many processes on this machine (one per GPU), "
                                      "as torchrun --standalone --nproc-per-node N would; --batch-size is per process",
                                      shown(t.nproc_per_node), 1, 1024));
        run.push_back(int_option<int>("dist-timeout", "with several processes (torchrun): seconds a process waits for "
                                      "the others before it gives up (\"rank N stopped responding\", exit 1)",
                                      shown(t.dist_timeout), 1, 86400));
    } else {
        run.push_back(switch_option("json", "print the report as one JSON object"));
        run.push_back(switch_option("no-timing", "skip the few timed steps (no model is loaded)"));
    }
    OptionTable recipe = {
        int_option<int>("epochs", "passes over the training stories", shown(t.epochs)),
        number_option("lr", "peak learning rate (AdamW, linear decay)", shown(t.lr)),
        int_option<int>("batch-size", "blocks per micro-batch", shown(t.batch_size)),
        int_option<int>("grad-accum", "micro-batches per optimizer step", shown(t.grad_accum)),
        int_option<int64_t>("max-steps", "stop after this many steps (above 0, instead of --epochs)",
                            shown(t.max_steps) + ": --epochs decides"),
        int_option<int64_t>("warmup-steps", "steps of linear warm-up of the learning rate", shown(t.warmup_steps)),
        number_option("weight-decay", "AdamW's weight decay", shown(t.weight_decay)),
        int_option<int>("block-size", "tokens per training row", "the model's context, at most 512", 2,
                        std::nullopt),
        text_option("batching", "pack|pad", "pack stories into full blocks, or pad each story like the reference",
                    t.batching == Batching::Pack ? "pack" : "pad"),
        number_option("val-fraction", "share of the stories held out for evaluation", shown(t.val_fraction)),
        int_option<uint64_t>("seed", "the random seed of shuffling, the split and dropout", shown(t.seed), 0,
                             std::numeric_limits<int64_t>::max()),
    };
    OptionTable objective = {
        text_option("objective", "lm|sft|dpo|kto",
                    "what to learn: lm, language modelling on --data's stories; on a set `fabula-cli feedback "
                    "export` wrote (--data FILE.jsonl): sft, the accepted continuations (sft.jsonl); dpo, the "
                    "chosen over the rejected (pairs.jsonl); kto, the good and the bad ones (kto.jsonl)",
                    to_string(t.objective)),
        text_option("ref", "DIR", "dpo/kto: the frozen reference model", "the starting model (with LoRA: the "
                    "base without adapters)"),
        number_option("beta", "dpo/kto: how far the model may move from the reference (higher: less)",
                      shown(t.beta)),
        number_option("desirable-weight", "kto: weight of the good examples' loss", shown(t.desirable_weight)),
        number_option("undesirable-weight", "kto: weight of the bad examples' loss", shown(t.undesirable_weight)),
        number_option("lm-mix", "sft/dpo/kto: add this times the language-modelling loss on --stories, so the "
                      "voice is not forgotten", shown(t.lm_mix)),
        text_option("stories", "PATH", "with --lm-mix: the writer's stories (read like --data of lm)", "none"),
    };
    OptionTable lora = {
        int_option<int>("lora-r", "train a LoRA adapter of this rank on the frozen model instead of every weight "
                        "(less memory, faster on a CPU; writes RUN/adapter/)", "none: full fine-tuning", 1, 4096),
        number_option("lora-alpha", "LoRA's alpha: the update is scaled by alpha / r", shown(t.lora_settings.alpha)),
        number_option("lora-dropout", "dropout on the adapters' input while training", shown(t.lora_settings.dropout)),
        text_option("lora-targets", "NAMES", "comma-separated projections that get adapters, matched as PEFT's "
                    "target_modules (a module named NAME or ending in .NAME; all-linear: every one but the output)",
                    "PEFT's for the family: c_attn for GPT-2, q_proj,v_proj for the others"),
        switch_option("use-rslora", "scale by alpha / sqrt(r) (rank-stabilised LoRA) instead of alpha / r"),
        text_option("adapter", "DIR", "continue training this adapter (its rank, alpha and targets)", "none"),
        text_option("voice", "NAME", "the adapter's name in the app", "the run folder's name"),
    };
    OptionTable logging = {
        int_option<int64_t>("eval-every", "evaluate every N steps", shown(t.eval_every) + ": at epoch ends"),
        int_option<int64_t>("save-every", "save a checkpoint every N steps (0: at epoch ends)", shown(t.save_every)),
        int_option<int>("keep-checkpoints", "how many checkpoints to keep", shown(t.keep_checkpoints)),
        int_option<int64_t>("log-every", "log the loss every N steps", shown(t.log_every)),
        text_option("dump-batches", "FILE", "for the parity tests: each micro-batch as a JSON line (rank N > 0 of several: FILE.rankN)", "none"),
    };
    return join({
        engine_option_table("the pretrained model to fine-tune (its tokenizer is used with --from-scratch too)",
                            "none; needed unless --from-scratch"),
        data,
        in_group("Run", run),
        in_group("Training recipe", recipe),
        in_group("Objective", objective),
        in_group("LoRA adapters", lora),
        in_group("Evaluation, checkpoints and logging", logging),
    });
}

TrainOptions train_options(const Args& a) {
    TrainOptions o;
    if (auto m = a.get("model")) o.model_dir = *m;
    o.from_scratch = a.has("from-scratch");
    if (auto c = a.get("config")) o.config_file = *c;
    if (!o.from_scratch && o.model_dir.empty()) throw UsageError("--model DIR is required");
    o.data = a.require("data");
    o.read = read_options(a);
    o.cache_dir = a.has("cache-dir") ? fs::path(*a.get("cache-dir")) : default_cache_dir();
    // The table's range fits each field, so the casts are exact.
    auto i = [&](const char* n, auto& out) {
        if (auto v = a.get_int(n)) out = static_cast<std::remove_reference_t<decltype(out)>>(*v);
    };
    auto d = [&](const char* n, double& out) {
        if (auto v = a.get_double(n)) out = *v;
    };
    i("epochs", o.epochs);
    d("lr", o.lr);
    i("batch-size", o.batch_size);
    i("grad-accum", o.grad_accum);
    i("max-steps", o.max_steps);
    i("warmup-steps", o.warmup_steps);
    d("weight-decay", o.weight_decay);
    i("block-size", o.block_size);
    d("val-fraction", o.val_fraction);
    i("eval-every", o.eval_every);
    i("save-every", o.save_every);
    i("keep-checkpoints", o.keep_checkpoints);
    i("log-every", o.log_every);
    i("seed", o.seed);
    if (auto b = a.get("batching")) {
        if (*b == "pack") o.batching = Batching::Pack;
        else if (*b == "pad") o.batching = Batching::Pad;
        else throw UsageError("--batching must be pack or pad");
    }
    if (auto v = a.get("objective")) {
        const auto k = parse_objective(*v);
        if (!k) throw UsageError("--objective must be lm, sft, dpo or kto");
        o.objective = *k;
    }
    if (auto v = a.get("ref")) o.ref_dir = *v;
    d("beta", o.beta);
    d("desirable-weight", o.desirable_weight);
    d("undesirable-weight", o.undesirable_weight);
    d("lm-mix", o.lm_mix);
    if (auto v = a.get("stories")) o.stories = *v;
    if (auto v = a.get("adapter")) o.start_adapter = *v;
    o.lora = a.has("lora-r") || !o.start_adapter.empty();
    if (!o.start_adapter.empty()) {
        for (const char* n : {"lora-r", "lora-alpha", "lora-dropout", "lora-targets", "use-rslora"})
            if (a.has(n))
                throw UsageError(std::string("--") + n + " cannot be changed when continuing --adapter " +
                                 o.start_adapter.string() + " (it has its own)");
        o.lora_settings = AdapterFolder::inspect(o.start_adapter).settings;
    }
    i("lora-r", o.lora_settings.r);
    d("lora-alpha", o.lora_settings.alpha);
    d("lora-dropout", o.lora_settings.dropout);
    if (!(o.lora_settings.dropout >= 0 && o.lora_settings.dropout < 1))
        throw UsageError("--lora-dropout must be from 0 to below 1");
    if (!(o.lora_settings.alpha > 0)) throw UsageError("--lora-alpha must be above 0");
    if (auto v = a.get("lora-targets")) {
        o.lora_settings.targets.clear();
        std::string item;
        for (char ch : *v + ",") {
            if (ch != ',') { item += ch; continue; }
            while (!item.empty() && item.back() == ' ') item.pop_back();
            while (!item.empty() && item.front() == ' ') item.erase(item.begin());
            if (!item.empty()) o.lora_settings.targets.push_back(item);
            item.clear();
        }
        if (o.lora_settings.targets.empty()) throw UsageError("--lora-targets names no module");
    }
    if (a.has("use-rslora")) o.lora_settings.rslora = true;
    if (auto v = a.get("voice")) o.voice = *v;
    if (o.lora && o.from_scratch) throw UsageError("--lora-r trains adapters on a pretrained --model, not --from-scratch");
    if (auto v = a.get("dump-batches")) o.dump_batches = *v;
    if (auto out = a.get("out")) o.out = *out;
    for (const OptionDef& def : a.table()) { // train's only
        if (def.name == "nproc-per-node") i("nproc-per-node", o.nproc_per_node);
        if (def.name == "dist-timeout") i("dist-timeout", o.dist_timeout);
    }
    o.engine = engine_options(a);
    if (o.engine.precision == Precision::Int8)
        throw UsageError("int8 is for generation and evaluation: train in fp32, bf16 or fp16");
    return o;
}

std::string duration(double s) {
    char buf[32];
    const long t = static_cast<long>(s + 0.5);
    if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
    return buf;
}

} // namespace

int prepare_command(const Argv& argv) {
    Args a = parse_args(prepare_help(), train_option_table(TrainCommand::Prepare), argv);
    TrainOptions o = train_options(a);
    PrepareReport r = prepare(o, a.has("no-timing") ? 0 : 3);
    if (a.has("json")) {
        const DatasetStats& s = r.stats;
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : r.problems) problems.push_back(p.to_string());
        nlohmann::json out = {
            {"stories", s.stories},
            {"tokens", s.tokens},
            {"story_tokens", {{"p50", s.story_tokens.p50}, {"p90", s.story_tokens.p90}, {"p99", s.story_tokens.p99},
                              {"max", s.story_tokens.max}}},
            {"story_lengths", s.story_lengths},
            {"problems", problems},
            {"empty", s.empty},
            {"duplicates", s.duplicates},
            {"split", s.split == SplitKind::ByStory ? "story" : s.split == SplitKind::ByBlock ? "block" : "none"},
            {"train", {{"stories", s.train.stories}, {"rows", s.train.rows}, {"tokens", s.train.tokens}}},
            {"validation", {{"stories", s.val.stories}, {"rows", s.val.rows}, {"tokens", s.val.tokens}}},
            {"truncated_stories", s.truncated_stories},
            {"steps_per_epoch", s.steps_per_epoch},
            {"useful_token_fraction", s.useful_token_fraction},
            {"seconds_per_step", r.seconds_per_step},
            {"seconds_per_epoch", r.seconds_per_epoch},
            {"memory_bytes", r.memory.total()},
            {"memory", {{"parameters", r.memory.parameters}, {"trainable_parameters", r.memory.trainable},
                        {"weights", r.memory.weights}, {"gradients", r.memory.gradients},
                        {"optimizer", r.memory.optimizer}, {"activations", r.memory.activations},
                        {"runtime", r.memory.runtime}}},
            {"placement", r.placement},
            {"cache_hit", r.cache_hit},
        };
        std::puts(dump(out).c_str());
        return 0;
    }
    std::printf("%s\n", r.stats.describe().c_str());
    for (const auto& p : r.problems) std::printf("  problem: %s\n", p.to_string().c_str());
    std::printf("memory for training: %.1f GiB\n", double(r.memory.total()) / (1 << 30));
    if (r.seconds_per_step > 0)
        std::printf("on this machine (%s): %.2f s per step, about %s per epoch\n", r.placement.c_str(),
                    r.seconds_per_step, duration(r.seconds_per_epoch).c_str());
    return 0;
}

namespace {

// The settings of an --options file, applied as if they had been given as
// flags, so they are checked by the same table; a flag given on the command
// line wins.
void apply_options_file(Args& a, const fs::path& file) {
    const nlohmann::json j = read_options_file(file);
    for (const auto& [key, value] : j.items()) {
        if (a.has(key)) continue;
        if (value.is_boolean()) {
            if (value.get<bool>()) a.add(key, "");
        } else if (value.is_string()) {
            a.add(key, value.get<std::string>());
        } else {
            a.add(key, value.dump()); // numbers: nlohmann writes the shortest text that reads back the same
        }
    }
    // Numbers from the file are checked now, as the parser checks flags.
    for (const auto& d : a.table()) {
        if (d.kind == ValueKind::Int) a.get_int(d.name);
        if (d.kind == ValueKind::Number) a.get_double(d.name);
    }
}

// --events: one JSON object per line, flushed at once, so a follower (the
// app) sees each event as it happens and never half a line but the last.
class EventLog {
public:
    explicit EventLog(const std::string& target) {
        if (target == "-") {
            file_ = stdout;
            return;
        }
        path_ = target;
        std::error_code ec;
        if (path_.has_parent_path()) fs::create_directories(path_.parent_path(), ec);
        file_ = std::fopen(path_.c_str(), "a");
        if (!file_) throw FileError(target, std::string("cannot be opened for writing the events: ") +
                                                std::strerror(errno));
    }
    ~EventLog() {
        if (file_ && file_ != stdout) std::fclose(file_);
    }
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    void write(const RunEvent& e) {
        const std::string line = dump(to_json(e)) + "\n";
        std::fwrite(line.data(), 1, line.size(), file_);
        std::fflush(file_);
    }
    // Whether the events go into the run folder `run` (the app's RUN/events.jsonl).
    bool inside(const fs::path& run) const {
        if (path_.empty()) return false;
        std::error_code ec;
        return fs::weakly_canonical(fs::absolute(path_).parent_path(), ec) == fs::weakly_canonical(run, ec);
    }

private:
    fs::path path_;
    FILE* file_ = nullptr;
};

// RUN/train.lock for as long as this process trains in RUN.
class TrainLock {
public:
    explicit TrainLock(fs::path run) : run_(std::move(run)) { write_train_lock(run_); }
    ~TrainLock() { remove_train_lock(run_); }
    TrainLock(const TrainLock&) = delete;
    TrainLock& operator=(const TrainLock&) = delete;

private:
    fs::path run_;
};

} // namespace

int train_command(const Argv& argv) {
    Args a = parse_args(train_help(), train_option_table(TrainCommand::Train), argv);
    if (!is_rank() && !a.has("export-job")) { // --nproc-per-node N: this process is the ranks' launcher
        int n = 1;
        try {
            Args settings = a;
            if (auto f = settings.get("options")) apply_options_file(settings, *f);
            n = train_options(settings).nproc_per_node;
        } catch (const std::exception&) {
            // Bad settings are reported below, as an error event too.
        }
        if (n > 1) return launch_local_ranks(n, "train", argv);
    }
    const bool first_rank = is_first_rank();
    std::optional<EventLog> events;
    if (auto e = a.get("events"); e && first_rank) events.emplace(*e);
    // Declared before the try, so the last event is written before the lock
    // goes: a follower that sees the lock gone has every event.
    std::optional<TrainLock> lock;
    bool error_event = true;
    try {
        if (auto f = a.get("options")) apply_options_file(a, *f);
        TrainOptions o = train_options(a);
        o.resume = a.has("resume");
        if (auto job = a.get("export-job")) {
            export_job(o, *job, a.has("overwrite"));
            std::printf("wrote the job to %s; run it there with: accelerate launch --config_file "
                        "accelerate_ddp.yaml train.py (README.txt has the rest)\n", job->c_str());
            return 0;
        }
        if (a.has("overwrite")) throw UsageError("--overwrite goes with --export-job (a run resumes with --resume)");
        if (o.out.empty()) throw UsageError("--out DIR is required");
        if (!first_rank) { // the other ranks only train: rank 0 prints, locks and writes
            catch_stop_signals();
            return train(o, {}, &g_stop).stopped ? 130 : 0;
        }
        if (auto pid = lock_holder(o.out); pid && *pid != getpid()) {
            // That run's events file is its own: an error there would read as the running one failing.
            error_event = !(events && events->inside(o.out));
            refuse_on_every_rank(o, o.out.string() + " is already training (pid " + std::to_string(*pid) + ")");
        }
        lock.emplace(o.out);
        if ((o.engine.precision == Precision::BF16 || o.engine.precision == Precision::FP16) &&
            o.engine.device != DeviceKind::CUDA && !cuda_available() && !cpu_has_fast_bf16())
            std::fprintf(stderr, "warning: this CPU has no native bf16/fp16 arithmetic, so %s training is emulated "
                                 "and many times slower than fp32 (--precision auto picks fp32 here)\n",
                         to_string(o.engine.precision).c_str());
        catch_stop_signals();
        // For the tests of Ctrl+C: a pause after each logged step, so a signal
        // lands between steps deterministically.
        const char* delay_env = std::getenv("FABULA_TEST_STEP_DELAY_MS");
        const int step_delay_ms = delay_env ? std::atoi(delay_env) : 0;
        const bool tty = isatty(STDERR_FILENO) && !a.has("quiet");
        TrainSummary s = train(o, [&](const TrainEvent& e) {
            if (events) events->write(to_run_event(e));
            switch (e.kind) {
            case TrainEvent::Kind::Step:
                // Every step is an event; people see every log_every-th (and the last).
                if (e.step % o.log_every == 0 || e.step == e.total_steps) {
                    if (tty) {
                        const int width = 30;
                        const int filled = int(width * double(e.step) / double(std::max<int64_t>(1, e.total_steps)));
                        std::fprintf(stderr, "\r[%s%s] step %lld/%lld epoch %.2f loss %.4f %.0f tok/s ETA %s  ",
                                     std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                                     (long long)e.step, (long long)e.total_steps, e.epoch, e.loss,
                                     e.tokens_per_second, duration(e.eta_s).c_str());
                    } else {
                        std::fprintf(stderr, "step %lld/%lld epoch %.3f loss %.4f lr %.3g grad_norm %.3f %.0f tok/s\n",
                                     (long long)e.step, (long long)e.total_steps, e.epoch, e.loss, e.lr, e.grad_norm,
                                     e.tokens_per_second);
                    }
                    std::fflush(stderr);
                    if (step_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(step_delay_ms));
                }
                break;
            case TrainEvent::Kind::Eval:
                std::fprintf(stderr, "%seval at step %lld: loss %.4f perplexity %.2f\n", tty ? "\n" : "",
                             (long long)e.step, e.eval_loss, e.eval_perplexity);
                break;
            case TrainEvent::Kind::Checkpoint:
                std::fprintf(stderr, "%scheckpoint %s\n", tty ? "\n" : "", e.path.string().c_str());
                break;
            case TrainEvent::Kind::Warning: std::fprintf(stderr, "warning: %s\n", e.message.c_str()); break;
            default: break;
            }
            std::fflush(stderr);
        }, &g_stop);
        if (s.stopped && s.steps == 0 && !o.resume) {
            std::fprintf(stderr, "stopped before the first step; nothing was trained yet\n");
            return 130;
        }
        if (s.stopped) {
            std::fprintf(stderr, "stopped at step %lld; continue with --resume\n", (long long)s.steps);
            return 130;
        }
        std::fprintf(stderr, "done: %lld steps on %s; the model is in %s\n", (long long)s.steps,
                     s.placement.c_str(), s.model_dir.string().c_str());
        return 0;
    } catch (const std::exception& e) {
        if (events && error_event) {
            RunEvent err;
            err.kind = RunEvent::Kind::Error;
            err.message = e.what();
            events->write(err);
        }
        throw;
    }
}

int eval_command(const Argv& argv) {
    const OptionTable table = join({
        engine_option_table("the model to evaluate"),
        adapter_option_table(),
        read_option_table(),
        {switch_option("json", "print the result as one JSON object")},
    });
    Args a = parse_args(eval_help(), table, argv);
    EvalResult r = evaluate(a.require("model"), a.require("data"), read_options(a), engine_options(a),
                            adapter_choices(a));
    if (a.has("json")) {
        std::puts(dump({{"loss", r.loss}, {"perplexity", r.perplexity}, {"tokens", r.tokens}, {"stories", r.stories}})
                      .c_str());
    } else {
        std::printf("loss %.4f, perplexity %.2f over %lld tokens of %zu stories\n", r.loss, r.perplexity,
                    (long long)r.tokens, r.stories);
    }
    return 0;
}

int export_command(const Argv& argv) {
    OptionDef adapter = text_option("adapter", "DIR", "with --model and --merge: an adapter to merge into it "
                                    "(repeat to merge several)", "none");
    adapter.repeatable = true;
    OptionDef weight = number_option("adapter-weight", "how strongly each --adapter is merged, in the same order", "1");
    weight.repeatable = true;
    const OptionTable table = {
        text_option("checkpoint", "DIR", "a checkpoint folder of a run (RUN/checkpoints/step-N)", "none"),
        text_option("model", "DIR", "with --adapter and --merge: the base model", "none"),
        adapter,
        weight,
        switch_option("merge", "write a full model with the adapter added into the base's weights (a LoRA "
                      "checkpoint, or --model with --adapter); without it a LoRA checkpoint exports as an adapter"),
        required_option("out", "DIR", "the new folder; an existing one that is not empty is refused"),
        switch_option("overwrite", "replace --out if it is a folder Fabula wrote"),
    };
    Args a = parse_args(export_help(), table, argv);
    if (a.has("checkpoint") == a.has("model"))
        throw UsageError("give either --checkpoint DIR, or --model BASE with --adapter DIR and --merge");
    if (a.has("model")) {
        if (!a.has("merge")) throw UsageError("--model with --adapter exports a merged model: add --merge");
        export_merged(a.require("model"), adapter_choices(a), a.require("out"), a.has("overwrite"));
    } else {
        if (a.has("adapter")) throw UsageError("--adapter goes with --model (a checkpoint has its own adapter)");
        export_checkpoint(a.require("checkpoint"), a.require("out"), a.has("overwrite"), a.has("merge"));
    }
    std::printf("exported %s\n", a.require("out").c_str());
    return 0;
}

} // namespace fabula::cli
