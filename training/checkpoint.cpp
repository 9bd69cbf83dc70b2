#include "training/checkpoint.h"

#include "core/atomic_file.h"
#include "core/atomic_folder.h"
#include "core/error.h"
#include "core/json_file.h"
#include "core/safetensors.h"

#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <cstring>
#include <regex>

namespace fabula::training {

namespace fs = std::filesystem;

namespace {

int64_t step_of(const fs::path& p) {
    static const std::regex re("step-([0-9]+)");
    std::smatch m;
    const std::string name = p.filename().string();
    return std::regex_match(name, m, re) ? std::stoll(m[1]) : -1;
}

std::vector<std::pair<int64_t, fs::path>> checkpoints(const fs::path& dir) {
    std::vector<std::pair<int64_t, fs::path>> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const int64_t s = step_of(e.path());
        if (s >= 0 && fs::exists(e.path() / "trainer_state.json")) out.emplace_back(s, e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

fs::path save_checkpoint(const fs::path& checkpoints_dir, int64_t step, TrainModel& model, AdamW& optimizer,
                         TrainerState state, const fs::path& tokenizer_dir, int keep, const nlohmann::json& card) {
    const fs::path final_dir = checkpoints_dir / ("step-" + std::to_string(step));
    std::error_code ec;
    fs::create_directories(checkpoints_dir, ec);
    if (ec) throw FileError(checkpoints_dir.string(), "cannot create the folder: " + ec.message());
    try {
        AtomicFolderWriter writer(final_dir, true);
        const fs::path& tmp = writer.dir();
        // A LoRA checkpoint holds the adapter (an adapter folder PEFT reads), never the frozen base.
        if (model.is_lora()) {
            model.save_adapter(tmp, card.value("base_model", std::string()));
        } else {
            model.save_safetensors(tmp / "model.safetensors");
            write_hf_folder_files(model.config(), tokenizer_dir, tmp);
        }

        at::NoGradGuard no_grad;
        std::vector<at::Tensor> keep_alive;
        std::vector<TensorToWrite> moments;
        auto params = model.parameters();
        for (size_t i = 0; i < params.size(); ++i) {
            for (auto [prefix, t] : {std::pair{"exp_avg.", &optimizer.exp_avg()[i]},
                                     std::pair{"exp_avg_sq.", &optimizer.exp_avg_sq()[i]}}) {
                at::Tensor c = t->to(at::kCPU, at::kFloat).contiguous();
                keep_alive.push_back(c);
                moments.push_back({prefix + params[i].first, DType::F32,
                                   std::vector<int64_t>(c.sizes().begin(), c.sizes().end()), c.data_ptr()});
            }
        }
        write_safetensors(tmp / "optimizer.safetensors", moments);
        state.optimizer_steps = optimizer.steps();
        write_file_atomically(tmp / "trainer_state.json", serialize(state));
        writer.commit("checkpoint", card);
    } catch (const fs::filesystem_error& e) {
        throw FileError(final_dir.string(), std::string("cannot write the checkpoint: ") + e.code().message());
    }
    // Older checkpoints go only once the new one is complete, and only as
    // the files Fabula wrote into them.
    auto all = checkpoints(checkpoints_dir);
    for (size_t i = 0; keep > 0 && i + static_cast<size_t>(keep) < all.size(); ++i) remove_fabula_folder(all[i].second);
    return final_dir;
}

std::optional<fs::path> latest_checkpoint(const fs::path& checkpoints_dir) {
    auto all = checkpoints(checkpoints_dir);
    if (all.empty()) return std::nullopt;
    return all.back().second;
}

TrainerState load_checkpoint(const fs::path& dir, TrainModel& model, AdamW& optimizer) {
    TrainerState state = read_trainer_state(dir / "trainer_state.json");
    if (model.is_lora()) model.load_adapter_weights(dir);
    else model.load_safetensors(ModelFolder::inspect(dir));
    SafetensorsFile moments(dir / "optimizer.safetensors");
    at::NoGradGuard no_grad;
    auto params = model.parameters();
    for (size_t i = 0; i < params.size(); ++i) {
        for (auto [prefix, t] : {std::pair{"exp_avg.", &optimizer.exp_avg()[i]},
                                 std::pair{"exp_avg_sq.", &optimizer.exp_avg_sq()[i]}}) {
            std::string name = prefix + params[i].first;
            const TensorInfo* info = moments.find(name);
            // Checkpoints of Fabula 0.1 named GPT-2's moments without "transformer.".
            for (const std::string& alias : tensor_name_aliases(params[i].first))
                if (!info && (info = moments.find(prefix + alias))) name = prefix + alias;
            if (!info || info->dtype != DType::F32 || info->numel() != t->numel())
                throw FileError(moments.path(), "missing or misshaped optimizer state '" + name + "'");
            at::Tensor c = at::empty(t->sizes(), at::kFloat);
            std::memcpy(c.data_ptr(), moments.data(*info), info->end - info->begin);
            t->copy_(c);
        }
    }
    optimizer.set_steps(state.optimizer_steps);
    return state;
}

} // namespace fabula::training
