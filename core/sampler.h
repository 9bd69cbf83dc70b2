#pragma once
// Choosing the next token from the model's logits, with Hugging Face's
// semantics and order: repetition penalty, minimum length, then (when sampling)
// temperature, top-k and top-p.
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace fabula {

struct SamplingSettings {
    bool greedy = false;             // also implied by temperature == 0
    double temperature = 1.0;        // Hugging Face's defaults throughout
    int top_k = 50;                  // 0: off
    double top_p = 1.0;              // 1: off
    double repetition_penalty = 1.0; // 1: off
    int max_new_tokens = 100;
    int min_new_tokens = 0;
    uint64_t seed = 0;
    bool stop_at_end_of_text = true;
    std::vector<std::string> stop_strings;

    bool is_greedy() const { return greedy || temperature == 0.0; }
    // Throws UsageError with a message naming the bad setting.
    void validate() const;
};

class Sampler {
public:
    // usable_vocab: ids at or above it (a padded vocabulary) are never chosen.
    // end_ids: the ids that end a text (min_new_tokens holds them back).
    Sampler(SamplingSettings settings, int usable_vocab, std::vector<int32_t> end_ids);

    // Applies the processors in place: removed tokens become -inf. history is
    // every id the model has seen (prompt and generated).
    void process(std::span<float> logits, std::span<const int32_t> history, int new_tokens) const;
    // process() then choose: argmax when greedy, else draw from the softmax.
    int32_t next(std::span<float> logits, std::span<const int32_t> history, int new_tokens);

    const SamplingSettings& settings() const { return s_; }

private:
    SamplingSettings s_;
    int usable_vocab_;
    std::vector<int32_t> end_ids_;
    std::mt19937_64 rng_;
    mutable std::vector<uint8_t> seen_;
    mutable std::vector<std::pair<float, int32_t>> scratch_;
};

} // namespace fabula
