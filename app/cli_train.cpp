// prepare, train, eval and export: fine-tuning from the command line.
#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "training/trainer.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace fabula::cli {

namespace fs = std::filesystem;
using namespace fabula::training;

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_sigint(int) { g_stop.store(true); }

fs::path default_cache_dir() {
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "fabula" / "tokens";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "fabula" / "tokens";
    return {};
}

const std::set<std::string> kDataOptions = {"data", "separator", "text-field", "csv-column", "cache-dir"};

// How stories are read: --separator, --text-field, --csv-column, --strict.
ReadOptions read_options(const Args& a) {
    ReadOptions r;
    if (auto v = a.get("separator")) r.separator = *v;
    if (auto v = a.get("text-field")) r.text_field = *v;
    if (auto v = a.get("csv-column")) r.csv_column = *v;
    r.strict = a.has("strict");
    return r;
}

// Options shared by prepare and train.
TrainOptions train_options(const Args& a) {
    TrainOptions o;
    if (auto m = a.get("model")) o.model_dir = *m;
    o.from_scratch = a.has("from-scratch");
    if (auto c = a.get("config")) o.config_file = *c;
    if (!o.from_scratch && o.model_dir.empty()) throw UsageError("--model DIR is required");
    o.data = a.require("data");
    o.read = read_options(a);
    o.cache_dir = a.has("cache-dir") ? fs::path(*a.get("cache-dir")) : default_cache_dir();
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
    if (a.has("block-size") && o.block_size < 2) throw UsageError("--block-size must be at least 2");
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
    o.resume = a.has("resume");
    if (auto v = a.get("dump-batches")) o.dump_batches = *v;
    if (auto out = a.get("out")) o.out = *out;
    o.engine = engine_options(a);
    return o;
}

std::set<std::string> train_valued() {
    std::set<std::string> v = kEngineOptions;
    v.insert(kDataOptions.begin(), kDataOptions.end());
    v.insert({"config", "out", "epochs", "lr", "batch-size", "grad-accum", "max-steps", "warmup-steps", "weight-decay",
              "block-size", "batching", "val-fraction", "eval-every", "save-every", "keep-checkpoints", "log-every",
              "seed", "dump-batches"});
    return v;
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
    auto valued = train_valued();
    Args a(argv, valued, {"json", "strict", "from-scratch"});
    TrainOptions o = train_options(a);
    PrepareReport r = prepare(o, 3);
    if (a.has("json")) {
        const DatasetStats& s = r.stats;
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : r.problems) problems.push_back(p.to_string());
        nlohmann::json out = {
            {"stories", s.stories},
            {"tokens", s.tokens},
            {"story_tokens", {{"p50", s.story_tokens.p50}, {"p90", s.story_tokens.p90}, {"p99", s.story_tokens.p99},
                              {"max", s.story_tokens.max}}},
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

int train_command(const Argv& argv) {
    auto valued = train_valued();
    Args a(argv, valued, {"strict", "from-scratch", "resume", "quiet"});
    TrainOptions o = train_options(a);
    if (o.out.empty()) throw UsageError("--out DIR is required");
    if ((o.engine.precision == Precision::BF16 || o.engine.precision == Precision::FP16) &&
        o.engine.device != DeviceKind::CUDA && !cuda_available() && !cpu_has_fast_bf16())
        std::fprintf(stderr, "warning: this CPU has no native bf16/fp16 arithmetic, so %s training is emulated and "
                             "many times slower than fp32 (--precision auto picks fp32 here)\n",
                     to_string(o.engine.precision).c_str());
    std::signal(SIGINT, on_sigint);
    std::signal(SIGTERM, on_sigint);
    const bool tty = isatty(STDERR_FILENO) && !a.has("quiet");
    TrainSummary s = train(o, [&](const TrainEvent& e) {
        switch (e.kind) {
        case TrainEvent::Kind::Step:
            if (tty) {
                const int width = 30;
                const int filled = int(width * double(e.step) / double(std::max<int64_t>(1, e.total_steps)));
                std::fprintf(stderr, "\r[%s%s] step %lld/%lld epoch %.2f loss %.4f %.0f tok/s ETA %s  ",
                             std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                             (long long)e.step, (long long)e.total_steps, e.epoch, e.loss, e.tokens_per_second,
                             duration(e.eta_s).c_str());
            } else {
                std::fprintf(stderr, "step %lld/%lld epoch %.3f loss %.4f lr %.3g grad_norm %.3f %.0f tok/s\n",
                             (long long)e.step, (long long)e.total_steps, e.epoch, e.loss, e.lr, e.grad_norm,
                             e.tokens_per_second);
            }
            break;
        case TrainEvent::Kind::Eval:
            std::fprintf(stderr, "%seval at step %lld: loss %.4f perplexity %.2f\n", tty ? "\n" : "",
                         (long long)e.step, e.eval_loss, e.eval_perplexity);
            break;
        case TrainEvent::Kind::Checkpoint:
            std::fprintf(stderr, "%scheckpoint %s\n", tty ? "\n" : "", e.path.string().c_str());
            break;
        default: break;
        }
        std::fflush(stderr);
    }, &g_stop);
    if (s.stopped) {
        std::fprintf(stderr, "stopped at step %lld; continue with --resume\n", (long long)s.steps);
        return 130;
    }
    std::fprintf(stderr, "done: %lld steps on %s; the model is in %s\n", (long long)s.steps, s.placement.c_str(),
                 s.model_dir.string().c_str());
    return 0;
}

int eval_command(const Argv& argv) {
    std::set<std::string> valued = kEngineOptions;
    valued.insert({"data", "separator", "text-field", "csv-column"});
    Args a(argv, valued, {"json", "strict"});
    EvalResult r = evaluate(a.require("model"), a.require("data"), read_options(a), engine_options(a));
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
    Args a(argv, {"checkpoint", "out"}, {});
    export_checkpoint(a.require("checkpoint"), a.require("out"));
    std::printf("exported %s\n", a.require("out").c_str());
    return 0;
}

} // namespace fabula::cli
