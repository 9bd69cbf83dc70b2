#include "training/trainer.h"

#include "core/atomic_folder.h"
#include "core/atomic_file.h"
#include "core/device.h"
#include "core/error.h"
#include "core/json_file.h"
#include "training/checkpoint.h"
#include "training/optimizer.h"
#include "training/token_cache.h"
#include "training/train_contract.h"
#include "training/train_model.h"
#include "training/trainer_state.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/core/grad_mode.h>
#include <c10/core/InferenceMode.h>

#include <chrono>
#include <cstring>
#include <cmath>
#include <fstream>
#include <sstream>

namespace fabula::training {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Autocast for the duration of a forward pass, as torch.autocast does.
class AutocastScope {
public:
    AutocastScope(const at::Device& device, Precision precision) : type_(device.type()) {
        if (precision == Precision::FP32) return;
        active_ = true;
        at::autocast::set_autocast_enabled(type_, true);
        at::autocast::set_autocast_dtype(type_, precision == Precision::BF16 ? at::kBFloat16 : at::kHalf);
        at::autocast::increment_nesting();
    }
    ~AutocastScope() {
        if (!active_) return;
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
        at::autocast::set_autocast_enabled(type_, false);
    }

private:
    at::DeviceType type_;
    bool active_ = false;
};

std::vector<uint8_t> rng_bytes(const at::Generator& gen) {
    at::Tensor t = gen.get_state();
    const uint8_t* p = t.data_ptr<uint8_t>();
    return {p, p + t.numel()};
}

void set_rng_bytes(at::Generator gen, const std::vector<uint8_t>& bytes, const std::string& file) {
    at::Tensor t = at::empty({int64_t(bytes.size())}, at::kByte);
    std::memcpy(t.data_ptr<uint8_t>(), bytes.data(), bytes.size());
    try {
        gen.set_state(t);
    } catch (const c10::Error&) {
        throw FileError(file, "is not a usable checkpoint state: the random state does not fit this libtorch");
    }
}

void validate(const TrainOptions& o) {
    auto bad = [](const std::string& m) { throw UsageError(m); };
    if (o.batch_size < 1) bad("batch size must be at least 1");
    if (o.grad_accum < 1) bad("gradient accumulation must be at least 1");
    if (!(o.lr > 0) || !std::isfinite(o.lr) || o.lr > 1) bad("learning rate must be above 0 (and at most 1)");
    if (o.epochs < 1 && o.max_steps <= 0) bad("epochs must be at least 1");
    if (o.warmup_steps < 0) bad("warm-up steps must be 0 or more");
    if (o.weight_decay < 0 || o.weight_decay >= 1) bad("weight decay must be in [0, 1)");
    if (o.block_size < 0) bad("block size must be positive");
    if (!(o.val_fraction >= 0 && o.val_fraction < 1)) bad("validation fraction must be in [0, 1)");
    if (o.keep_checkpoints < 1) bad("keep at least 1 checkpoint");
    if (o.save_every < 0 || o.eval_every < 0 || o.log_every < 1) bad("--save-every/--eval-every must be 0 or more");
}

struct Loaded {
    ModelFolder folder;   // where the tokenizer (and pretrained weights) come from
    ModelConfig config;   // the model being trained
    std::optional<Tokenizer> tokenizer;
    Collection collection;
    std::optional<Dataset> dataset;
    int block_size = 0;
    bool cache_hit = false;
    std::string data_fingerprint; // the tokenized stories' SHA-256
};

Loaded load_inputs(const TrainOptions& o, bool deduplicate) {
    Loaded l;
    if (o.from_scratch) {
        if (o.config_file.empty()) throw UsageError("--from-scratch needs --config FILE for the new model");
        l.config = ModelConfig::from_file(o.config_file);
        l.folder.dir = o.model_dir.empty() ? o.config_file.parent_path() : o.model_dir;
        l.folder.config = l.config;
    } else {
        l.folder = ModelFolder::inspect(o.model_dir);
        l.config = l.folder.config;
    }
    l.tokenizer.emplace(l.folder.load_tokenizer());
    l.block_size = o.block_size > 0 ? o.block_size : std::min(512, l.config.n_positions);
    if (l.block_size > l.config.n_positions)
        throw UsageError("block size " + std::to_string(l.block_size) + " is above the model's context of " +
                         std::to_string(l.config.n_positions) + " tokens");
    if (l.block_size < 2) throw UsageError("block size must be at least 2");
    ReadOptions read = o.read;
    read.deduplicate = deduplicate;
    l.collection = read_stories(o.data, read);
    TokenizeOptions topt;
    topt.cache_dir = o.cache_dir;
    TokenizedStories ids = tokenize_stories(l.collection.stories, *l.tokenizer, tokenizer_files_in(l.folder.dir),
                                            Tokenizer::EndOfText::Special, topt);
    l.cache_hit = ids.cache_hit();
    l.data_fingerprint = ids.fingerprint();
    DatasetOptions dopt;
    dopt.block_size = l.block_size;
    dopt.batching = o.batching;
    dopt.val_fraction = o.val_fraction;
    dopt.seed = o.seed;
    l.dataset.emplace(std::move(ids), l.tokenizer->end_of_text_id(), dopt);
    if (l.dataset->rows(Split::Train) == 0) throw UsageError("no training text left after the validation split");
    return l;
}

at::Tensor to_tensor(const std::vector<int32_t>& v, int rows, int cols, const at::Device& device) {
    return at::from_blob(const_cast<int32_t*>(v.data()), {rows, cols}, at::kInt).to(device, at::kLong);
}

// One training run's moving parts, shared by train() and prepare().
struct Run {
    const TrainOptions& o;
    Loaded& in;
    Placement placement;
    at::Device device{at::kCPU};
    std::optional<TrainModel> model;
    std::optional<AdamW> optimizer;
    std::vector<at::Tensor> params;
    LossScaler scaler;
    std::optional<Sampler> sampler;
    int64_t step = 0, total_steps = 0;
    size_t steps_per_epoch = 0;
    std::ofstream dump;

    Run(const TrainOptions& options, Loaded& loaded) : o(options), in(loaded) {
        placement = resolve_placement(o.engine.device, o.engine.precision, o.engine.threads);
        device = placement.device == DeviceKind::CUDA ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
        at::manual_seed(o.seed);
        model.emplace(o.from_scratch ? TrainModel::from_config(in.config, o.seed, device)
                                     : TrainModel::from_folder(in.folder, device));
        // The HF Trainer decays every weight except biases and norms: the tensor table says which.
        const std::vector<bool> decay = model->decay_flags();
        for (auto& [name, t] : model->parameters()) params.push_back(*t);
        AdamWSettings s;
        s.weight_decay = o.weight_decay;
        optimizer.emplace(params, decay, s);
        sampler.emplace(in.dataset->rows(Split::Train), o.batch_size, o.seed, true);
        const size_t batches = sampler->batches_per_epoch();
        steps_per_epoch = std::max<size_t>(1, (batches + o.grad_accum - 1) / o.grad_accum);
        total_steps = o.max_steps > 0 ? o.max_steps : int64_t(steps_per_epoch) * o.epochs;
        if (!o.dump_batches.empty()) dump.open(o.dump_batches, std::ios::app);
    }

    double epoch_progress() const {
        const size_t batches = sampler->batches_per_epoch();
        const auto pos = sampler->position();
        const double in_epoch = batches ? double((pos.index + o.batch_size - 1) / o.batch_size) / double(batches) : 0;
        return double(pos.epoch) + in_epoch;
    }

    struct StepStats {
        double loss = 0, grad_norm = 0, lr = 0;
        int64_t tokens = 0;
        bool skipped = false;
    };

    // One optimizer step over grad_accum micro-batches. The loss of the step
    // is the token-weighted mean over its micro-batches (HF's
    // num_items_in_batch), so accumulation equals one larger batch.
    StepStats train_step() {
        StepStats st;
        std::vector<Batch> micro;
        int64_t predicted = 0;
        for (int i = 0; i < o.grad_accum; ++i) {
            const uint64_t epoch_before = sampler->position().epoch;
            auto rows = sampler->next();
            micro.push_back(in.dataset->batch(Split::Train, rows));
            if (dump.is_open())
                dump << nlohmann::json{{"step", step + 1}, {"rows", micro.back().rows}, {"cols", micro.back().cols},
                                       {"input_ids", micro.back().input_ids}, {"labels", micro.back().labels}}
                            .dump()
                     << "\n";
            predicted += micro.back().predicted_tokens();
            st.tokens += micro.back().real_tokens();
            // An epoch's last step may have fewer micro-batches (like HF).
            if (sampler->position().epoch != epoch_before) break;
        }
        double loss_sum = 0;
        for (const Batch& b : micro) {
            at::Tensor ids = to_tensor(b.input_ids, b.rows, b.cols, device);
            at::Tensor labels = to_tensor(b.labels, b.rows, b.cols, device);
            at::Tensor loss;
            {
                AutocastScope autocast(device, placement.precision);
                loss = model->loss_sum(ids, labels, true).first;
            }
            loss_sum += loss.item<double>();
            at::Tensor scaled = loss / double(std::max<int64_t>(1, predicted));
            if (placement.precision == Precision::FP16) scaled = scaled * scaler.scale;
            scaled.backward();
        }
        st.loss = loss_sum / double(std::max<int64_t>(1, predicted));
        st.lr = o.lr * linear_schedule(step, o.warmup_steps, total_steps);
        if (placement.precision == Precision::FP16 && !scaler.unscale(params)) {
            st.skipped = true;
        } else {
            st.grad_norm = clip_grad_norm(params, o.max_grad_norm);
            optimizer->step(st.lr);
        }
        optimizer->zero_grad();
        ++step;
        return st;
    }

    // Mean token loss over the validation split.
    std::optional<double> evaluate() {
        const size_t rows = in.dataset->rows(Split::Val);
        if (rows == 0) return std::nullopt;
        at::NoGradGuard no_grad;
        Sampler val(rows, o.batch_size, 0, false);
        double sum = 0;
        int64_t count = 0;
        for (size_t b = 0; b < val.batches_per_epoch(); ++b) {
            Batch batch = in.dataset->batch(Split::Val, val.next());
            AutocastScope autocast(device, placement.precision);
            auto [loss, n] = model->loss_sum(to_tensor(batch.input_ids, batch.rows, batch.cols, device),
                                             to_tensor(batch.labels, batch.rows, batch.cols, device), false);
            sum += loss.item<double>();
            count += n;
        }
        return count ? std::optional<double>(sum / double(count)) : std::nullopt;
    }

    TrainerState state(double elapsed, const nlohmann::json& settings) const {
        TrainerState s;
        s.step = step;
        s.total_steps = total_steps;
        s.epoch = epoch_progress();
        s.sampler_epoch = sampler->position().epoch;
        s.sampler_index = sampler->position().index;
        s.rng_cpu = rng_bytes(at::globalContext().defaultGenerator(at::kCPU));
        if (device.is_cuda()) s.rng_cuda = rng_bytes(at::globalContext().defaultGenerator(device));
        s.loss_scale = scaler.scale;
        s.loss_scale_good_steps = scaler.good_steps;
        s.elapsed_s = elapsed;
        s.settings = settings;
        return s;
    }

    double restore(const fs::path& checkpoint) {
        const TrainerState s = load_checkpoint(checkpoint, *model, *optimizer);
        const std::string file = (checkpoint / "trainer_state.json").string();
        step = s.step;
        SamplerPosition pos;
        pos.epoch = s.sampler_epoch;
        pos.index = s.sampler_index;
        sampler->seek(pos);
        set_rng_bytes(at::globalContext().defaultGenerator(at::kCPU), s.rng_cpu, file);
        if (device.is_cuda() && !s.rng_cuda.empty())
            set_rng_bytes(at::globalContext().defaultGenerator(device), s.rng_cuda, file);
        scaler.scale = s.loss_scale;
        scaler.good_steps = s.loss_scale_good_steps;
        return s.elapsed_s;
    }
};

// metrics.jsonl: one object per logged step or evaluation. On resume, lines
// past the checkpoint (from the interrupted run) are dropped.
class MetricsLog {
public:
    MetricsLog(const fs::path& path, std::optional<int64_t> keep_up_to) : path_(path) {
        if (keep_up_to) {
            std::ifstream in(path);
            std::string line, kept;
            while (std::getline(in, line)) {
                auto j = nlohmann::json::parse(line, nullptr, false);
                if (!j.is_discarded() && j.value("step", int64_t(0)) <= *keep_up_to) kept += line + "\n";
            }
            in.close();
            std::ofstream(path, std::ios::trunc) << kept;
        } else {
            std::ofstream(path, std::ios::trunc);
        }
        out_.open(path, std::ios::app);
        if (!out_) throw FileError(path.string(), "cannot write the metrics log");
    }
    void write(const nlohmann::json& j) {
        out_ << j.dump() << "\n";
        out_.flush();
    }

private:
    fs::path path_;
    std::ofstream out_;
};

void check_memory(const ModelConfig& c, const TrainOptions& o, int block_size, const Placement& p) {
    if (p.device != DeviceKind::CPU) return; // the GPU's limit shows as a caught out-of-memory error
    const MemoryEstimate m = estimate_training_memory(c, o.batch_size, block_size, p.precision != Precision::FP32);
    const int64_t avail = available_memory_bytes();
    if (avail > 0 && m.total() > avail) {
        std::ostringstream s;
        s.precision(2);
        s << std::fixed << "fine-tuning this model needs about " << double(m.total()) / (1 << 30) << " GiB (weights "
          << double(m.weights) / (1 << 30) << ", gradients " << double(m.gradients) / (1 << 30) << ", AdamW "
          << double(m.optimizer) / (1 << 30) << ", activations " << double(m.activations) / (1 << 30)
          << ") but only " << double(avail) / (1 << 30)
          << " GiB is free: use a smaller batch size or block size, or a smaller model";
        throw UsageError(s.str());
    }
}

// A run folder holds one run: starting afresh into a used folder would mix
// the old run's checkpoints with the new one's (and --resume would pick the
// wrong one later).
void check_run_folder(const TrainOptions& o) {
    std::string foreign;
    const FolderState st = inspect_destination(o.out, &foreign);
    if (st == FolderState::NotAFolder) throw UsageError(o.out.string() + " exists and is not a folder");
    if (o.resume) return;
    if (st == FolderState::Missing || st == FolderState::Empty) return;
    // The process that trains writes its lock (and its events, for the app)
    // before the trainer looks at the folder.
    auto contract_file = [](const std::string& name) { return name == kTrainLockFile || name == kRunEventsFile; };
    bool only_contract_files = true;
    for (const auto& e : fs::directory_iterator(o.out))
        only_contract_files &= contract_file(e.path().filename().string());
    if (only_contract_files) return;
    // A run of Fabula's that stopped before its first checkpoint has nothing
    // to continue: starting it again loses nothing.
    const bool ours = fs::exists(o.out / kFolderMarker);
    if (ours && !latest_checkpoint(o.out / "checkpoints") && !fs::exists(o.out / "model")) {
        bool only_run_files = true;
        for (const auto& e : fs::directory_iterator(o.out)) {
            const std::string name = e.path().filename().string();
            only_run_files &= name == kFolderMarker || name == "metrics.jsonl" || name == "checkpoints" ||
                              contract_file(name) || is_temporary_folder_name(name);
        }
        if (only_run_files) return;
    }
    const bool run = fs::exists(o.out / "checkpoints") || fs::exists(o.out / "metrics.jsonl");
    throw UsageError(o.out.string() + (run ? " already holds a training run: add --resume to continue it, or "
                                             "give a new folder to --out"
                                           : " is not empty: give a new or empty folder to --out"));
}

std::string path_key(const fs::path& p) {
    if (p.empty()) return "";
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    return (ec ? fs::absolute(p) : c).lexically_normal().string();
}

// Every setting by its flag name: what --resume compares, and what the run
// folder records so a writer can see how a model was made.
nlohmann::json effective_settings(const TrainOptions& o, const Loaded& in, const Placement& p) {
    return {{"model", path_key(o.model_dir)},
            {"from-scratch", o.from_scratch},
            {"config", path_key(o.config_file)},
            {"data", in.data_fingerprint},
            {"data-path", path_key(o.data)},
            {"block-size", in.block_size},
            {"batching", o.batching == Batching::Pack ? "pack" : "pad"},
            {"batch-size", o.batch_size},
            {"grad-accum", o.grad_accum},
            {"lr", o.lr},
            {"warmup-steps", o.warmup_steps},
            {"weight-decay", o.weight_decay},
            {"epochs", o.epochs},
            {"max-steps", o.max_steps},
            {"val-fraction", o.val_fraction},
            {"precision", to_string(p.precision)},
            {"seed", o.seed},
            {"dropout", {in.config.embd_pdrop, in.config.attn_pdrop, in.config.resid_pdrop}},
            {"device", p.device == DeviceKind::CUDA ? "cuda" : "cpu"}};
}

// What fabula.json says about a model, so that exports can be told apart.
nlohmann::json model_card(const TrainOptions& o, const Loaded& in, const nlohmann::json& settings) {
    return {{"base_model", o.from_scratch ? "from scratch (" + path_key(o.config_file) + ")" : path_key(o.model_dir)},
            {"data", path_key(o.data)},
            {"data_fingerprint", in.data_fingerprint},
            {"stories", in.collection.stories.size()},
            {"settings", settings}};
}

} // namespace

MemoryEstimate estimate_training_memory(const ModelConfig& c, int batch_size, int block_size, bool half) {
    MemoryEstimate m;
    m.parameters = c.parameter_count();
    m.weights = 4 * m.parameters + (half ? 2 * m.parameters : 0); // fp32 master + autocast copies
    m.gradients = 4 * m.parameters;
    m.optimizer = 8 * m.parameters;
    const int64_t B = batch_size, T = block_size, C = c.n_embd, H = c.n_head, V = c.vocab_size;
    const int64_t act_bytes = half ? 2 : 4;
    // Per layer about (34 + 5 H T / C) values per token and channel kept for
    // the backward pass (Korthikanti et al. 2022), plus the logits in fp32.
    const int64_t per_layer = B * T * C * (34 + 5 * H * T / std::max<int64_t>(1, C)) * act_bytes / 2;
    m.activations = c.n_layer * per_layer + 3 * B * T * V * 4;
    return m;
}

TrainSummary train(const TrainOptions& o, const TrainCallback& on_event, const std::atomic<bool>* stop) {
    validate(o);
    if (o.out.empty()) throw UsageError("--out DIR is required");
    const fs::path checkpoints = o.out / "checkpoints";
    check_run_folder(o);
    auto warn = [&](const std::string& message) {
        TrainEvent e;
        e.kind = TrainEvent::Kind::Warning;
        e.message = message;
        if (on_event) on_event(e);
    };
    Loaded in = load_inputs(o, true);
    const Placement placement = resolve_placement(o.engine.device, o.engine.precision, o.engine.threads);
    check_memory(in.config, o, in.block_size, placement);
    const nlohmann::json settings = effective_settings(o, in, placement);

    std::optional<fs::path> resume_from;
    int64_t resume_step = 0;
    if (o.resume) {
        resume_from = latest_checkpoint(checkpoints);
        if (!resume_from) throw UsageError("--resume: no checkpoint in " + checkpoints.string());
        const TrainerState before = read_trainer_state(*resume_from / "trainer_state.json");
        resume_step = before.step;
        const auto conflicts = resume_conflicts(before.settings, settings);
        if (!conflicts.empty()) {
            std::string m = "--resume: " + o.out.string() + " was started with other settings, so it cannot continue "
                            "with these (start a new run folder, or give the old values):";
            for (const auto& c : conflicts) m += "\n  " + c;
            throw UsageError(m);
        }
        if (before.settings.value("device", "") != settings.value("device", ""))
            warn("resuming on " + settings.value("device", std::string()) + " a run started on " +
                 before.settings.value("device", std::string()) + ": the result will differ slightly from an "
                 "uninterrupted run");
    } else {
        fs::create_directories(o.out);
        nlohmann::json marker = {{"written_by", "Fabula"}, {"version", fabula_version()}, {"kind", "run"},
                                 {"settings", settings}};
        write_file_atomically(o.out / kFolderMarker, marker.dump(2) + "\n");
    }
    // What a killed writer left behind (never a finished step-N folder).
    remove_stale_temporaries(checkpoints);
    remove_stale_temporaries(o.out);
    if (stop && stop->load()) { // stopped while the stories were read and tokenized: nothing to save yet
        TrainSummary stopped;
        stopped.stopped = true;
        stopped.steps = resume_step;
        TrainEvent e;
        e.kind = TrainEvent::Kind::Stopped;
        e.step = resume_step;
        e.path = resume_from.value_or(fs::path());
        if (on_event) on_event(e);
        return stopped;
    }

    Run run(o, in);
    TrainSummary summary;
    summary.placement = run.placement.describe();
    double elapsed_before = 0;
    if (resume_from) elapsed_before = run.restore(*resume_from);
    const nlohmann::json card = model_card(o, in, settings);
    MetricsLog metrics(o.out / "metrics.jsonl", resume_from ? std::optional<int64_t>(run.step) : std::nullopt);
    std::optional<fs::path> newest_checkpoint = resume_from;

    const auto start = Clock::now();
    const int64_t first_step = run.step;
    auto elapsed = [&] { return elapsed_before + seconds_since(start); };
    auto emit = [&](TrainEvent e) {
        e.step = run.step;
        e.total_steps = run.total_steps;
        e.epoch = run.epoch_progress();
        e.elapsed_s = elapsed();
        if (on_event) on_event(e);
    };
    auto checkpoint = [&] {
        nlohmann::json c = card;
        c["steps"] = run.step;
        fs::path p = save_checkpoint(checkpoints, run.step, *run.model, *run.optimizer, run.state(elapsed(), settings),
                                     in.folder.dir, o.keep_checkpoints, c);
        newest_checkpoint = p;
        TrainEvent e;
        e.kind = TrainEvent::Kind::Checkpoint;
        e.path = p;
        emit(e);
    };
    auto evaluate = [&] {
        auto loss = run.evaluate();
        if (!loss) return;
        summary.final_eval_loss = loss;
        metrics.write({{"step", run.step}, {"epoch", run.epoch_progress()}, {"eval_loss", *loss},
                       {"eval_perplexity", std::exp(*loss)}, {"elapsed_s", elapsed()}});
        TrainEvent e;
        e.kind = TrainEvent::Kind::Eval;
        e.eval_loss = *loss;
        e.eval_perplexity = std::exp(*loss);
        emit(e);
    };

    {
        TrainEvent e;
        e.kind = TrainEvent::Kind::Start;
        e.steps_per_epoch = int64_t(run.steps_per_epoch);
        e.train_tokens = in.dataset->stats(o.batch_size, o.grad_accum).train.tokens;
        e.threads = run.placement.threads;
        e.device = run.placement.device == DeviceKind::CUDA ? "cuda" : "cpu";
        e.precision = to_string(run.placement.precision);
        e.path = o.out;
        emit(e);
    }

    try {
        while (run.step < run.total_steps) {
            if (stop && stop->load()) {
                if (run.step > first_step) checkpoint(); // else the last checkpoint (or nothing) is where it stands
                summary.stopped = true;
                summary.steps = run.step;
                TrainEvent e;
                e.kind = TrainEvent::Kind::Stopped;
                e.path = newest_checkpoint.value_or(fs::path());
                emit(e);
                return summary;
            }
            const uint64_t epoch_before = run.sampler->position().epoch;
            const auto t0 = Clock::now();
            Run::StepStats st = run.train_step();
            const double dt = seconds_since(t0);
            const bool epoch_end = run.sampler->position().epoch != epoch_before;
            {
                TrainEvent e;
                e.kind = TrainEvent::Kind::Step;
                e.loss = st.loss;
                e.lr = st.lr;
                e.grad_norm = st.grad_norm;
                e.tokens_per_second = double(st.tokens) / dt;
                const double per_step = seconds_since(start) / double(run.step - first_step);
                e.eta_s = per_step * double(run.total_steps - run.step);
                if (run.step % o.log_every == 0 || run.step == run.total_steps)
                    metrics.write({{"step", run.step}, {"epoch", run.epoch_progress()}, {"loss", st.loss},
                                   {"lr", st.lr}, {"grad_norm", st.grad_norm},
                                   {"tokens_per_second", e.tokens_per_second}, {"elapsed_s", elapsed()},
                                   {"skipped", st.skipped}});
                emit(e);
            }
            const bool last = run.step == run.total_steps;
            if (epoch_end || last || (o.eval_every > 0 && run.step % o.eval_every == 0)) evaluate();
            if (epoch_end || last || (o.save_every > 0 && run.step % o.save_every == 0)) checkpoint();
        }
    } catch (const c10::Error& e) {
        const std::string what = e.what_without_backtrace();
        if (what.find("out of memory") != std::string::npos)
            throw UsageError("the GPU ran out of memory: use a smaller --batch-size or --block-size (with "
                             "--grad-accum to keep the effective batch), or a smaller model");
        throw;
    }

    summary.model_dir = o.out / "model";
    {
        AtomicFolderWriter writer(summary.model_dir, true);
        run.model->save_safetensors(writer.dir() / "model.safetensors");
        write_hf_folder_files(in.config, in.folder.dir, writer.dir());
        nlohmann::json c = card;
        c["steps"] = run.step;
        writer.commit("model", c);
    }
    summary.steps = run.step;
    TrainEvent e;
    e.kind = TrainEvent::Kind::Finished;
    e.path = summary.model_dir;
    emit(e);
    return summary;
}

PrepareReport prepare(const TrainOptions& o, int timed_steps) {
    validate(o);
    Loaded in = load_inputs(o, true);
    PrepareReport r;
    r.stats = in.dataset->stats(o.batch_size, o.grad_accum, &in.collection);
    r.problems = in.collection.problems;
    r.cache_hit = in.cache_hit;
    const Placement placement = resolve_placement(o.engine.device, o.engine.precision, o.engine.threads);
    r.placement = placement.describe();
    r.memory = estimate_training_memory(in.config, o.batch_size, in.block_size, placement.precision != Precision::FP32);
    if (timed_steps > 0 && r.memory.total() < available_memory_bytes()) {
        Run run(o, in);
        run.train_step(); // warms up allocations and kernels; not timed
        const auto t0 = Clock::now();
        for (int i = 0; i < timed_steps; ++i) run.train_step();
        r.seconds_per_step = seconds_since(t0) / timed_steps;
        r.seconds_per_epoch = r.seconds_per_step * double(run.steps_per_epoch);
    }
    return r;
}

EvalResult evaluate(const fs::path& model_dir, const fs::path& data, const ReadOptions& read_options,
                    const EngineOptions& engine) {
    const ModelFolder folder = ModelFolder::inspect(model_dir);
    Tokenizer tokenizer = folder.load_tokenizer();
    ReadOptions read = read_options;
    read.deduplicate = false;
    Collection collection = read_stories(data, read);
    const Placement placement = resolve_placement(engine.device, engine.precision, engine.threads);
    const at::Device device = placement.device == DeviceKind::CUDA ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    TrainModel model = TrainModel::from_folder(folder, device);
    at::NoGradGuard no_grad;
    const int W = folder.config.n_positions;
    EvalResult r;
    double sum = 0;
    for (const Story& s : collection.stories) {
        std::vector<int32_t> ids = tokenizer.encode(s.text);
        ids.push_back(tokenizer.end_of_text_id());
        for (size_t begin = 0; begin + 1 < ids.size(); begin += W) {
            const size_t n = std::min<size_t>(W, ids.size() - begin);
            std::vector<int32_t> window(ids.begin() + begin, ids.begin() + begin + n);
            at::Tensor t = to_tensor(window, 1, int(n), device);
            AutocastScope autocast(device, placement.precision);
            auto [loss, count] = model.loss_sum(t, t, false);
            sum += loss.item<double>();
            r.tokens += count;
        }
        ++r.stories;
    }
    if (r.tokens == 0) throw UsageError("nothing to evaluate: every story is empty");
    r.loss = sum / double(r.tokens);
    r.perplexity = std::exp(r.loss);
    return r;
}

void export_checkpoint(const fs::path& checkpoint, const fs::path& out, bool overwrite) {
    if (!fs::exists(checkpoint / "trainer_state.json"))
        throw FileError(checkpoint.string(), "is not a complete Fabula checkpoint (no trainer_state.json)");
    std::error_code ec;
    if (fs::exists(out, ec) && fs::equivalent(checkpoint, out, ec))
        throw UsageError("--out is the checkpoint itself; export into another folder");
    AtomicFolderWriter writer(out, overwrite); // refuses a folder it may not replace before any work
    const TrainerState state = read_trainer_state(checkpoint / "trainer_state.json");
    const ModelFolder folder = ModelFolder::inspect(checkpoint);
    TrainModel model = TrainModel::from_folder(folder, at::Device(at::kCPU));
    model.save_safetensors(writer.dir() / "model.safetensors");
    write_hf_folder_files(folder.config, checkpoint, writer.dir());
    nlohmann::json card = nlohmann::json::object();
    if (fs::exists(checkpoint / kFolderMarker)) {
        nlohmann::json marker = nlohmann::json::parse(read_file(checkpoint / kFolderMarker), nullptr, false);
        if (marker.is_object() && marker.contains("card") && marker["card"].is_object()) card = marker["card"];
    }
    card["steps"] = state.step;
    card["exported_from"] = fs::absolute(checkpoint).lexically_normal().string();
    writer.commit("model", card);
}

} // namespace fabula::training
