#pragma once
// Fine-tuning GPT-2 on a writer's stories, as the reference recipe does and
// matching the Hugging Face Trainer step for step. No libtorch or Qt here.
#include "core/causal_lm.h"
#include "training/dataset.h"
#include "training/story_reader.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace fabula::training {

struct TrainOptions {
    std::filesystem::path model_dir;   // a pretrained Hugging Face folder (tokenizer too)
    bool from_scratch = false;
    std::filesystem::path config_file; // with from_scratch: the new model's config.json
    std::filesystem::path data;
    std::filesystem::path out;         // the run folder
    std::filesystem::path cache_dir;   // tokenized stories; empty: no cache
    ReadOptions read;

    int epochs = 3;
    double lr = 5e-5;
    int batch_size = 2;
    int grad_accum = 1;
    int64_t max_steps = -1;            // > 0 overrides epochs
    int64_t warmup_steps = 0;
    double weight_decay = 0.0;
    double max_grad_norm = 1.0;
    int block_size = 0;                // 0: min(512, n_positions)
    Batching batching = Batching::Pack;
    double val_fraction = 0.05;
    int64_t eval_every = 0;            // 0: at epoch ends only
    int64_t save_every = 500;          // 0: at epoch ends only
    int keep_checkpoints = 2;
    int64_t log_every = 1;
    bool resume = false;
    uint64_t seed = 42;
    EngineOptions engine;
    // For the parity tests: every micro-batch's ids and labels, one JSON line each.
    std::filesystem::path dump_batches;
};

// Start comes first at every start and resume, once the model is placed;
// Step comes after every optimizer step (metrics.jsonl keeps every
// log_every-th); Stopped carries the newest checkpoint (empty when none).
struct TrainEvent {
    enum class Kind { Start, Step, Eval, Checkpoint, Finished, Stopped, Warning };
    Kind kind = Kind::Step;
    int64_t step = 0, total_steps = 0;
    double epoch = 0;
    double loss = 0, lr = 0, grad_norm = 0, tokens_per_second = 0, elapsed_s = 0, eta_s = 0;
    double eval_loss = 0, eval_perplexity = 0;
    // Start: how the run is laid out and placed.
    int64_t steps_per_epoch = 0, train_tokens = 0; // train_tokens: the train split's
    int threads = 0;
    std::string device, precision;                 // "cpu"/"cuda", "fp32"/"bf16"/"fp16"
    std::filesystem::path path; // run folder (Start), checkpoint (Checkpoint, Stopped) or final model folder
    std::string message;        // Warning: what the writer should know
};

struct TrainSummary {
    int64_t steps = 0;
    bool stopped = false;               // interrupted; resume with resume = true
    std::filesystem::path model_dir;    // out/model when finished
    std::optional<double> final_eval_loss;
    std::string placement;
};

using TrainCallback = std::function<void(const TrainEvent&)>;

// Checks settings and memory before any work (UsageError with a clear
// message), then trains. `stop` (e.g. set by SIGINT or a Cancel button) makes
// it save a checkpoint at the next step and return with stopped = true.
// The run folder must be new or empty unless `resume`; a resumed run must
// have the settings and data it was started with (the differences are named).
TrainSummary train(const TrainOptions& options, const TrainCallback& on_event = {},
                   const std::atomic<bool>* stop = nullptr);

// Bytes needed for full fine-tuning: weights, gradients, AdamW moments and
// activations of one micro-batch.
struct MemoryEstimate {
    int64_t parameters = 0, weights = 0, gradients = 0, optimizer = 0, activations = 0;
    int64_t total() const { return weights + gradients + optimizer + activations; }
};
MemoryEstimate estimate_training_memory(const ModelConfig& config, int batch_size, int block_size, bool half);

// What `prepare` reports: the dataset statistics and a time estimate.
struct PrepareReport {
    DatasetStats stats;
    std::vector<Problem> problems;
    double seconds_per_step = 0;   // measured with a few real steps
    double seconds_per_epoch = 0;
    MemoryEstimate memory;
    std::string placement;
    bool cache_hit = false;
};
PrepareReport prepare(const TrainOptions& options, int timed_steps = 3);

// Evaluation as `fabula-cli eval` defines it: each story with one end-of-text
// after it, cut into windows of n_positions with no overlap; every token
// after a window's first is predicted.
struct EvalResult {
    double loss = 0, perplexity = 0;
    int64_t tokens = 0;
    size_t stories = 0;
};
EvalResult evaluate(const std::filesystem::path& model_dir, const std::filesystem::path& data,
                    const ReadOptions& read, const EngineOptions& engine);

// Writes the Hugging Face folder of a checkpoint (what out/model holds).
// Refuses (UsageError) a destination that exists and is not empty unless
// overwrite is set and it is a folder Fabula wrote (see core/atomic_folder.h).
void export_checkpoint(const std::filesystem::path& checkpoint, const std::filesystem::path& out,
                       bool overwrite = false);

} // namespace fabula::training
