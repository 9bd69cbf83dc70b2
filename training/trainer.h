#pragma once
// Fine-tuning GPT-2 on a writer's stories, as the reference recipe does and
// matching the Hugging Face Trainer step for step. No libtorch or Qt here.
#include "core/causal_lm.h"
#include "core/lora.h"
#include "training/dataset.h"
#include "training/preference_data.h"
#include "training/story_reader.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
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
    // LoRA: trains adapters on the frozen base (RUN/adapter/
    // instead of RUN/model/). start_adapter continues a voice already trained
    // (its settings then come from its adapter_config.json).
    bool lora = false;
    LoraSettings lora_settings;
    std::filesystem::path start_adapter;
    std::string voice; // the adapter's name in the app; empty: the run folder's name
    // What the run optimises (training/objective.h). With sft, dpo or kto,
    // `data` is the JSONL set `fabula-cli feedback export` writes.
    ObjectiveKind objective = ObjectiveKind::LM;
    std::filesystem::path ref_dir;     // DPO/KTO's frozen reference; empty: the starting model
    double beta = 0.1;                 // DPO/KTO
    double desirable_weight = 1.0, undesirable_weight = 1.0; // KTO
    // With sft, dpo or kto: adds lm_mix × the language-modelling loss on
    // `stories` (read with `read`), so the writer's voice is not forgotten.
    double lm_mix = 0;
    std::filesystem::path stories;
    // For the parity tests: every micro-batch's ids and labels, one JSON line each.
    std::filesystem::path dump_batches;
    // Data parallelism (training/distributed.h). Under torchrun (RANK and
    // WORLD_SIZE in the environment) train() joins the group: batch_size is
    // per rank, each rank takes its share of every global batch of
    // batch_size x world rows, and only rank 0 writes the run folder.
    int dist_timeout = 300; // seconds a collective waits for a peer
    // > 1: `fabula-cli train` starts this many ranks on this machine itself,
    // as `torchrun --standalone --nproc-per-node N` would (the app's "use
    // every GPU"); each rank then trains with the environment above.
    int nproc_per_node = 1;
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
    // Step: the objective's own figures, by TRL's names (DPO's
    // "rewards/chosen", "rewards/rejected", "rewards/accuracies",
    // "rewards/margins"; KTO's rewards and "kl"); empty for lm and sft.
    std::map<std::string, double> metrics;
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

// A refusal made before train() on rank 0 (another process holds the run
// folder's train.lock) reaching the other ranks under torchrun, which then
// end with UsageError(message) as well instead of at --dist-timeout. Throws
// UsageError(message); in a single process only that.
[[noreturn]] void refuse_on_every_rank(const TrainOptions& options, const std::string& message);

// The settings checks train() and prepare() make first (UsageError naming the
// setting; world: the ranks, whose batches together make the global batch),
// for whoever runs the recipe elsewhere (an exported job).
void validate_train_options(const TrainOptions& options, int world = 1);

// Bytes needed for full fine-tuning: weights, gradients, AdamW moments and
// activations of one micro-batch.
// With LoRA (lora != nullptr) only the adapters get gradients and moments.
struct MemoryEstimate {
    int64_t parameters = 0, trainable = 0, weights = 0, gradients = 0, optimizer = 0, activations = 0;
    int64_t runtime = 0; // libtorch, the tokenized stories and the process itself
    int64_t total() const { return weights + gradients + optimizer + activations + runtime; }
};
// frozen_bytes: bytes per weight of the frozen base with LoRA (2 when a
// bf16 checkpoint stays bf16, see lora_base_stays_16bit).
MemoryEstimate estimate_training_memory(const ModelConfig& config, int batch_size, int block_size, bool half,
                                        const LoraSettings* lora = nullptr, int frozen_bytes = 4);

// Whether a LoRA run keeps this folder's weights in their 16-bit file
// precision: bf16 files, where bf16 arithmetic is native (a GPU, or a CPU
// with AVX512_BF16/AMX); elsewhere widening once is faster than per step.
bool lora_base_stays_16bit(const ModelFolder& folder, DeviceKind device);

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
                    const ReadOptions& read, const EngineOptions& engine,
                    const std::vector<AdapterChoice>& adapters = {});

// Writes the Hugging Face folder of a checkpoint (what out/model holds).
// Refuses (UsageError) a destination that exists and is not empty unless
// overwrite is set and it is a folder Fabula wrote (see core/atomic_folder.h).
// A LoRA run's checkpoint exports as an adapter folder, or with merge as the
// full model with the adapter added into the base's weights.
void export_checkpoint(const std::filesystem::path& checkpoint, const std::filesystem::path& out,
                       bool overwrite = false, bool merge = false);

// A base model with adapters merged in, as a Hugging Face folder
// (PEFT's merge_and_unload()).
void export_merged(const std::filesystem::path& base_dir, const std::vector<AdapterChoice>& adapters,
                   const std::filesystem::path& out, bool overwrite = false);

} // namespace fabula::training
