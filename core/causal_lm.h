#pragma once
// A causal language model of any family Fabula runs, for inference: the
// prompt in one pass (or in chunks) into a preallocated KV cache, then one
// token at a time. The generator, the app's worker and the CLI depend on
// this, never on a family. No libtorch in this header.
#include "core/device.h"
#include "core/model_folder.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace fabula {

struct EngineOptions {
    Precision precision = Precision::Auto;
    DeviceKind device = DeviceKind::Auto;
    int threads = 0;     // 0: every core
    int max_context = 0; // tokens the KV cache holds; 0: the model's context, capped by memory
};

// What running a model takes, before loading it (for messages and the app).
struct MemoryNeed {
    Precision precision = Precision::FP32; // what auto resolves to for these weights
    int64_t weight_bytes = 0;              // in that precision
    int context = 0;                       // tokens the KV cache will hold
    int64_t cache_bytes = 0;               // for that context
    int64_t available_bytes = -1;          // MemAvailable now
    int64_t total() const { return weight_bytes + cache_bytes; }
};

// A voice on top of a base model: a LoRA adapter folder and how strongly it
// speaks (several are mixed by adding their scaled updates).
struct AdapterChoice {
    std::filesystem::path dir;
    double weight = 1.0;
};

class CausalLM {
public:
    // How much memory the model needs with these options. Throws FileError.
    static MemoryNeed memory_need(const ModelFolder& folder, const EngineOptions& options);
    // Reads and checks every tensor; progress gets 0..1. Throws FileError /
    // UsageError (before any work when the model cannot fit, with the figures).
    static std::unique_ptr<CausalLM> load(const ModelFolder& folder, const EngineOptions& options,
                                          const std::function<void(double)>& progress = {});
    ~CausalLM();

    const ModelConfig& config() const;
    const Placement& placement() const;
    // Tokens the KV cache holds: the model's context, or less when memory caps it.
    int context_length() const;

    // Puts these adapters on the loaded base (none: the base alone) without
    // reloading it, and clears the KV cache. Throws FileError for an adapter
    // that does not fit this base (naming both); the previous voice stays.
    void set_adapters(const std::vector<AdapterChoice>& adapters);
    const std::vector<AdapterChoice>& adapters() const;

    // Tokens held in the KV cache.
    int position() const;
    void reset();
    // Keeps the first `position` cached tokens (to regenerate from the same prompt).
    void rewind(int position);

    // Runs ids after the cached tokens and caches them. Returns the logits of
    // the last position (vocab_size floats). Throws UsageError past the context.
    std::vector<float> forward(std::span<const int32_t> ids);
    // Same, with the logits of every position (ids.size() x vocab_size), for tests.
    std::vector<float> forward_all(std::span<const int32_t> ids);

private:
    struct Impl;
    explicit CausalLM(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> impl_;
};

} // namespace fabula
