#pragma once
// GPT-2 inference with a preallocated KV cache: the prompt in one pass (or in
// chunks), then one token at a time. No libtorch in this header.
#include "core/device.h"
#include "core/model_folder.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace fabula {

struct EngineOptions {
    Precision precision = Precision::Auto;
    DeviceKind device = DeviceKind::Auto;
    int threads = 0; // 0: every core
};

class Gpt2Model {
public:
    // Reads and checks every tensor; progress gets 0..1. Throws FileError / UsageError.
    static std::unique_ptr<Gpt2Model> load(const ModelFolder& folder, const EngineOptions& options,
                                           const std::function<void(double)>& progress = {});
    ~Gpt2Model();

    const ModelConfig& config() const;
    const Placement& placement() const;
    int context_length() const { return config().n_positions; }

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
    explicit Gpt2Model(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> impl_;
};

} // namespace fabula
