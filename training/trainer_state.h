#pragma once
// The state file of a checkpoint (trainer_state.json): where the run stood,
// its random state and the settings it was started with. Kept apart from
// the libtorch code so that the parser builds alone and can be fuzzed: the
// file comes from disk and may be truncated or edited by hand.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fabula::training {

struct TrainerState {
    int64_t step = 0, total_steps = 0, optimizer_steps = 0;
    double epoch = 0, elapsed_s = 0;
    uint64_t sampler_epoch = 0, sampler_index = 0;
    std::vector<uint8_t> rng_cpu;   // torch's CPU generator state
    std::vector<uint8_t> rng_cuda;  // the CUDA generator's, empty on CPU runs
    double loss_scale = 65536.0;
    int loss_scale_good_steps = 0;
    // The effective settings the run was started with, by their flag names
    // ("lr", "batch-size", ...) plus "data" (the token cache's SHA-256).
    nlohmann::json settings = nlohmann::json::object();
};

std::string serialize(const TrainerState& state);
// Throws FileError naming `path` for anything that is not a state this
// version wrote: bad JSON, missing or mistyped fields, negative steps, a
// step past the total, non-hex random state.
TrainerState parse_trainer_state(std::string_view text, const std::string& path);
TrainerState read_trainer_state(const std::filesystem::path& file);

// Settings that must be equal for --resume to continue the same run; the
// others (threads, logging, saving, cache, device) may change.
const std::vector<std::string>& resume_invariant_settings();

// One line per differing invariant setting: "--lr: 5e-05 then, 0.001 now".
std::vector<std::string> resume_conflicts(const nlohmann::json& before, const nlohmann::json& now);

} // namespace fabula::training
