#include "training/train_contract.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/json_file.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <limits>
#include <signal.h>
#include <unistd.h>

namespace fabula::training {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

enum class KeyType { Switch, Text, Int, Number };

struct OptionKey {
    const char* name;
    KeyType type;
};

// The settings `train` takes, by flag name. The CLI's option table must hold
// each of these (it applies them through that table); CLI-only flags such as
// --quiet, --options and --events are not settings and are refused in a file.
constexpr OptionKey kOptionKeys[] = {
    {"model", KeyType::Text},          {"from-scratch", KeyType::Switch}, {"config", KeyType::Text},
    {"data", KeyType::Text},           {"out", KeyType::Text},            {"cache-dir", KeyType::Text},
    {"separator", KeyType::Text},      {"text-field", KeyType::Text},     {"csv-column", KeyType::Text},
    {"strict", KeyType::Switch},       {"epochs", KeyType::Int},          {"lr", KeyType::Number},
    {"batch-size", KeyType::Int},      {"grad-accum", KeyType::Int},      {"max-steps", KeyType::Int},
    {"warmup-steps", KeyType::Int},    {"weight-decay", KeyType::Number}, {"block-size", KeyType::Int},
    {"batching", KeyType::Text},       {"val-fraction", KeyType::Number}, {"seed", KeyType::Int},
    {"eval-every", KeyType::Int},      {"save-every", KeyType::Int},      {"keep-checkpoints", KeyType::Int},
    {"log-every", KeyType::Int},       {"resume", KeyType::Switch},       {"precision", KeyType::Text},
    {"device", KeyType::Text},         {"threads", KeyType::Int},
    {"objective", KeyType::Text},      {"ref", KeyType::Text},            {"beta", KeyType::Number},
    {"desirable-weight", KeyType::Number}, {"undesirable-weight", KeyType::Number},
    {"lm-mix", KeyType::Number},       {"stories", KeyType::Text},
    {"lora-r", KeyType::Int},          {"lora-alpha", KeyType::Number},   {"lora-dropout", KeyType::Number},
    {"lora-targets", KeyType::Text},   {"use-rslora", KeyType::Switch},   {"adapter", KeyType::Text},
    {"voice", KeyType::Text},
    {"dist-timeout", KeyType::Int},    {"nproc-per-node", KeyType::Int},
};

const OptionKey* find_key(const std::string& name) {
    for (const auto& k : kOptionKeys)
        if (name == k.name) return &k;
    return nullptr;
}

// The names parse_precision/parse_device read. Their own to_string lives in
// the engine library, which this Qt- and libtorch-free library cannot link.
const char* precision_name(Precision p) {
    switch (p) {
    case Precision::FP32: return "fp32";
    case Precision::BF16: return "bf16";
    case Precision::FP16: return "fp16";
    case Precision::Int8: return "int8";
    default: return "auto";
    }
}

const char* device_name(DeviceKind d) {
    switch (d) {
    case DeviceKind::CPU: return "cpu";
    case DeviceKind::CUDA: return "cuda";
    default: return "auto";
    }
}

struct EventName {
    RunEvent::Kind kind;
    const char* name;
};
constexpr EventName kEventNames[] = {
    {RunEvent::Kind::Start, "start"},     {RunEvent::Kind::Step, "step"},
    {RunEvent::Kind::Eval, "eval"},       {RunEvent::Kind::Checkpoint, "checkpoint"},
    {RunEvent::Kind::Done, "done"},       {RunEvent::Kind::Stopped, "stopped"},
    {RunEvent::Kind::Error, "error"},     {RunEvent::Kind::Warning, "warning"},
};

const char* event_name(RunEvent::Kind kind) {
    for (const auto& e : kEventNames)
        if (e.kind == kind) return e.name;
    return "?";
}

// JSON has no NaN or infinity (nlohmann writes null): a diverged loss stays
// readable as NaN instead of making the line unreadable.
json number(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

fs::path lock_file(const fs::path& run_dir) { return run_dir / kTrainLockFile; }

// A zombie (exited, not yet reaped by its parent) still answers kill(pid, 0).
bool is_zombie(int64_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const size_t paren = line.rfind(')');
    return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

std::optional<int64_t> read_lock_pid(const fs::path& run_dir) {
    std::ifstream in(lock_file(run_dir));
    long long pid = 0;
    if (!(in >> pid) || pid <= 0) return std::nullopt;
    return pid;
}

} // namespace

json to_options_json(const TrainOptions& o) {
    const TrainOptions d;
    json j = json::object();
    if (!o.model_dir.empty()) j["model"] = o.model_dir.string();
    j["data"] = o.data.string();
    j["out"] = o.out.string();
    if (o.from_scratch) j["from-scratch"] = true;
    if (!o.config_file.empty()) j["config"] = o.config_file.string();
    if (!o.cache_dir.empty()) j["cache-dir"] = o.cache_dir.string();
    if (o.read.separator != d.read.separator) j["separator"] = o.read.separator;
    if (o.read.text_field != d.read.text_field) j["text-field"] = o.read.text_field;
    if (o.read.csv_column != d.read.csv_column) j["csv-column"] = o.read.csv_column;
    if (o.read.strict) j["strict"] = true;
    if (o.epochs != d.epochs) j["epochs"] = o.epochs;
    if (o.lr != d.lr) j["lr"] = o.lr;
    if (o.batch_size != d.batch_size) j["batch-size"] = o.batch_size;
    if (o.grad_accum != d.grad_accum) j["grad-accum"] = o.grad_accum;
    if (o.max_steps != d.max_steps) j["max-steps"] = o.max_steps;
    if (o.warmup_steps != d.warmup_steps) j["warmup-steps"] = o.warmup_steps;
    if (o.weight_decay != d.weight_decay) j["weight-decay"] = o.weight_decay;
    if (o.block_size != d.block_size) j["block-size"] = o.block_size;
    if (o.batching != d.batching) j["batching"] = o.batching == Batching::Pack ? "pack" : "pad";
    if (o.val_fraction != d.val_fraction) j["val-fraction"] = o.val_fraction;
    if (o.seed != d.seed) j["seed"] = o.seed;
    if (o.eval_every != d.eval_every) j["eval-every"] = o.eval_every;
    if (o.save_every != d.save_every) j["save-every"] = o.save_every;
    if (o.keep_checkpoints != d.keep_checkpoints) j["keep-checkpoints"] = o.keep_checkpoints;
    if (o.log_every != d.log_every) j["log-every"] = o.log_every;
    if (o.resume) j["resume"] = true;
    if (o.engine.precision != d.engine.precision) j["precision"] = precision_name(o.engine.precision);
    if (o.engine.device != d.engine.device) j["device"] = device_name(o.engine.device);
    if (o.engine.threads != d.engine.threads) j["threads"] = o.engine.threads;
    if (o.objective != d.objective) j["objective"] = to_string(o.objective);
    if (!o.ref_dir.empty()) j["ref"] = o.ref_dir.string();
    if (o.beta != d.beta) j["beta"] = o.beta;
    if (o.desirable_weight != d.desirable_weight) j["desirable-weight"] = o.desirable_weight;
    if (o.undesirable_weight != d.undesirable_weight) j["undesirable-weight"] = o.undesirable_weight;
    if (o.lm_mix != d.lm_mix) j["lm-mix"] = o.lm_mix;
    if (!o.stories.empty()) j["stories"] = o.stories.string();
    // max_grad_norm has no flag (the recipe's 1.0), and dump_batches is for tests only.
    if (!o.start_adapter.empty()) {
        j["adapter"] = o.start_adapter.string();
    } else if (o.lora) {
        j["lora-r"] = o.lora_settings.r;
        if (o.lora_settings.alpha != d.lora_settings.alpha) j["lora-alpha"] = o.lora_settings.alpha;
        if (o.lora_settings.dropout != d.lora_settings.dropout) j["lora-dropout"] = o.lora_settings.dropout;
        if (!o.lora_settings.targets.empty()) {
            std::string t;
            for (const auto& name : o.lora_settings.targets) t += (t.empty() ? "" : ",") + name;
            j["lora-targets"] = t;
        }
        if (o.lora_settings.rslora) j["use-rslora"] = true;
    }
    if (!o.voice.empty()) j["voice"] = o.voice;
    if (o.dist_timeout != d.dist_timeout) j["dist-timeout"] = o.dist_timeout;
    if (o.nproc_per_node != d.nproc_per_node) j["nproc-per-node"] = o.nproc_per_node;
    return j;
}

json read_options_file(const fs::path& file) {
    const std::string source = file.string();
    json j = read_json_file(file);
    if (!j.is_object())
        throw UsageError(source + ": the options must be one JSON object of settings ({\"batch-size\": 2, ...})");
    for (const auto& [key, value] : j.items()) {
        const OptionKey* k = find_key(key);
        if (!k) throw UsageError(source + ": \"" + key + "\" is not a setting of fabula-cli train");
        bool ok = false;
        const char* wanted = "";
        switch (k->type) {
        case KeyType::Switch: ok = value.is_boolean(), wanted = "true or false"; break;
        case KeyType::Text: ok = value.is_string(), wanted = "a string"; break;
        case KeyType::Int: ok = value.is_number_integer(), wanted = "a whole number"; break;
        case KeyType::Number: ok = value.is_number(), wanted = "a number"; break;
        }
        if (!ok)
            throw UsageError(source + ": \"" + key + "\" must be " + wanted + ", not " +
                             value.dump(-1, ' ', false, json::error_handler_t::replace));
    }
    return j;
}

json to_json(const RunEvent& e) {
    json j = {{"event", event_name(e.kind)}};
    switch (e.kind) {
    case RunEvent::Kind::Start:
        j["total_steps"] = e.total_steps;
        j["steps_per_epoch"] = e.steps_per_epoch;
        j["device"] = e.device;
        j["precision"] = e.precision;
        j["threads"] = e.threads;
        j["train_tokens"] = e.train_tokens;
        j["run"] = e.path.string();
        break;
    case RunEvent::Kind::Step:
        j["step"] = e.step;
        j["total_steps"] = e.total_steps;
        j["epoch"] = number(e.epoch);
        j["loss"] = number(e.loss);
        j["lr"] = number(e.lr);
        j["grad_norm"] = number(e.grad_norm);
        j["tokens_per_second"] = number(e.tokens_per_second);
        j["eta_seconds"] = number(e.eta_seconds);
        for (const auto& [name, value] : e.metrics) j[name] = number(value);
        break;
    case RunEvent::Kind::Eval:
        j["step"] = e.step;
        j["loss"] = number(e.loss);
        j["perplexity"] = number(e.perplexity);
        break;
    case RunEvent::Kind::Checkpoint:
        j["step"] = e.step;
        j["path"] = e.path.string();
        break;
    case RunEvent::Kind::Done:
        j["steps"] = e.step;
        j["model"] = e.path.string();
        break;
    case RunEvent::Kind::Stopped:
        j["step"] = e.step;
        j["checkpoint"] = e.path.string();
        break;
    case RunEvent::Kind::Error:
    case RunEvent::Kind::Warning: j["message"] = e.message; break;
    }
    return j;
}

RunEvent run_event_from_json(const json& j) {
    auto bad = [&](const std::string& why) -> UsageError {
        return UsageError("not a training event (" + why + "): " +
                          j.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 200));
    };
    if (!j.is_object()) throw bad("not a JSON object");
    auto it = j.find("event");
    if (it == j.end() || !it->is_string()) throw bad("no \"event\" name");
    RunEvent e;
    bool known = false;
    for (const auto& n : kEventNames)
        if (*it == n.name) e.kind = n.kind, known = true;
    if (!known) throw bad("unknown event \"" + it->get<std::string>() + "\"");

    auto field = [&](const char* name) -> const json& {
        auto f = j.find(name);
        if (f == j.end()) throw bad(std::string("no \"") + name + "\"");
        return *f;
    };
    auto integer = [&](const char* name) {
        const json& v = field(name);
        if (!v.is_number_integer()) throw bad(std::string("\"") + name + "\" is not a whole number");
        return v.get<int64_t>();
    };
    auto real = [&](const char* name) {
        const json& v = field(name);
        if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
        if (!v.is_number()) throw bad(std::string("\"") + name + "\" is not a number");
        return v.get<double>();
    };
    auto text = [&](const char* name) {
        const json& v = field(name);
        if (!v.is_string()) throw bad(std::string("\"") + name + "\" is not a string");
        return v.get<std::string>();
    };
    switch (e.kind) {
    case RunEvent::Kind::Start: {
        e.total_steps = integer("total_steps");
        e.steps_per_epoch = integer("steps_per_epoch");
        e.device = text("device");
        e.precision = text("precision");
        const int64_t threads = integer("threads");
        if (threads < 0 || threads > std::numeric_limits<int>::max()) throw bad("\"threads\" is out of range");
        e.threads = static_cast<int>(threads);
        e.train_tokens = integer("train_tokens");
        e.path = text("run");
        break;
    }
    case RunEvent::Kind::Step:
        e.step = integer("step");
        e.total_steps = integer("total_steps");
        e.epoch = real("epoch");
        e.loss = real("loss");
        e.lr = real("lr");
        e.grad_norm = real("grad_norm");
        e.tokens_per_second = real("tokens_per_second");
        e.eta_seconds = real("eta_seconds");
        // Every other number is one of the objective's figures.
        for (const auto& [key, value] : j.items()) {
            static const char* const known[] = {"event", "step", "total_steps", "epoch", "loss", "lr", "grad_norm",
                                                "tokens_per_second", "eta_seconds"};
            if (std::find(std::begin(known), std::end(known), key) != std::end(known)) continue;
            if (value.is_number()) e.metrics[key] = value.get<double>();
            else if (value.is_null()) e.metrics[key] = std::numeric_limits<double>::quiet_NaN();
        }
        break;
    case RunEvent::Kind::Eval:
        e.step = integer("step");
        e.loss = real("loss");
        e.perplexity = real("perplexity");
        break;
    case RunEvent::Kind::Checkpoint:
        e.step = integer("step");
        e.path = text("path");
        break;
    case RunEvent::Kind::Done:
        e.step = integer("steps");
        e.path = text("model");
        break;
    case RunEvent::Kind::Stopped:
        e.step = integer("step");
        e.path = text("checkpoint");
        break;
    case RunEvent::Kind::Error:
    case RunEvent::Kind::Warning: e.message = text("message"); break;
    }
    return e;
}

RunEvent to_run_event(const TrainEvent& t) {
    RunEvent e;
    e.step = t.step;
    e.total_steps = t.total_steps;
    e.epoch = t.epoch;
    e.path = t.path;
    e.message = t.message;
    switch (t.kind) {
    case TrainEvent::Kind::Start:
        e.kind = RunEvent::Kind::Start;
        e.steps_per_epoch = t.steps_per_epoch;
        e.train_tokens = t.train_tokens;
        e.threads = t.threads;
        e.device = t.device;
        e.precision = t.precision;
        break;
    case TrainEvent::Kind::Step:
        e.kind = RunEvent::Kind::Step;
        e.loss = t.loss;
        e.lr = t.lr;
        e.grad_norm = t.grad_norm;
        e.tokens_per_second = t.tokens_per_second;
        e.eta_seconds = t.eta_s;
        e.metrics = t.metrics;
        break;
    case TrainEvent::Kind::Eval:
        e.kind = RunEvent::Kind::Eval;
        e.loss = t.eval_loss;
        e.perplexity = t.eval_perplexity;
        break;
    case TrainEvent::Kind::Checkpoint: e.kind = RunEvent::Kind::Checkpoint; break;
    case TrainEvent::Kind::Finished: e.kind = RunEvent::Kind::Done; break;
    case TrainEvent::Kind::Stopped: e.kind = RunEvent::Kind::Stopped; break;
    case TrainEvent::Kind::Warning: e.kind = RunEvent::Kind::Warning; break;
    }
    return e;
}

void write_train_lock(const fs::path& run_dir) {
    fs::create_directories(run_dir);
    write_file_atomically(lock_file(run_dir), std::to_string(getpid()) + "\n");
}

void remove_train_lock(const fs::path& run_dir) {
    // Only this process's own lock: a lock another run wrote after taking
    // over a stale one is theirs.
    if (read_lock_pid(run_dir) != std::optional<int64_t>(getpid())) return;
    std::error_code ec;
    fs::remove(lock_file(run_dir), ec);
}

std::optional<int64_t> lock_holder(const fs::path& run_dir) {
    const auto pid = read_lock_pid(run_dir);
    if (!pid || *pid > std::numeric_limits<pid_t>::max()) return std::nullopt;
    const bool alive = kill(static_cast<pid_t>(*pid), 0) == 0 || errno == EPERM;
    if (!alive || is_zombie(*pid)) return std::nullopt;
    return pid;
}

} // namespace fabula::training
