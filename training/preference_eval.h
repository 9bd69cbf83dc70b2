#pragma once
// `fabula-cli prefs-eval`: how well a model prefers the chosen continuations
// of a pairs.jsonl, in DPO's terms. No libtorch or Qt here.
#include "core/causal_lm.h"

#include <cstddef>
#include <filesystem>

namespace fabula::training {

// Over the pairs (truncated to the model's context keeping their start, as
// TRL's keep_start; a pair whose prompt fills the context is left out):
// r_c = β (log π(y_w|x) − log π_ref(y_w|x)), r_r likewise for y_l, both
// summed over the completion tokens (end-of-text included);
// loss = mean −log σ(r_c − r_r), accuracy = share of pairs with r_c > r_r,
// margin = mean (r_c − r_r). Without a reference, log π_ref = 0.
struct PreferenceEval {
    std::size_t pairs = 0, truncated = 0, dropped = 0;
    double loss = 0, rewards_chosen = 0, rewards_rejected = 0, accuracy = 0, margin = 0;
};

// ref_dir may be empty. fp32 unless engine.precision asks for 16 bits.
PreferenceEval evaluate_preferences(const std::filesystem::path& model_dir, const std::filesystem::path& ref_dir,
                                    const std::filesystem::path& pairs_file, double beta,
                                    const EngineOptions& engine);

} // namespace fabula::training
