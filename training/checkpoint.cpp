#include "training/checkpoint.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/json_file.h"
#include "core/safetensors.h"

#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <cstring>
#include <random>
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
                         const nlohmann::json& state, const fs::path& tokenizer_dir, int keep) {
    fs::create_directories(checkpoints_dir);
    const fs::path final_dir = checkpoints_dir / ("step-" + std::to_string(step));
    const fs::path tmp = checkpoints_dir / (".step-" + std::to_string(step) + ".tmp-" + std::to_string(std::random_device{}()));
    try {
        fs::create_directories(tmp);
        model.save_safetensors(tmp / "model.safetensors");
        write_hf_folder_files(model.config(), tokenizer_dir, tmp);

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
        nlohmann::json s = state;
        s["optimizer_steps"] = optimizer.steps();
        // Written last: its presence marks the checkpoint complete.
        write_file_atomically(tmp / "trainer_state.json", s.dump(2) + "\n");
        if (fs::exists(final_dir)) fs::remove_all(final_dir);
        fs::rename(tmp, final_dir);
    } catch (const fs::filesystem_error& e) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw FileError(final_dir.string(), std::string("cannot write the checkpoint: ") + e.code().message());
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
    auto all = checkpoints(checkpoints_dir);
    for (size_t i = 0; keep > 0 && i + static_cast<size_t>(keep) < all.size(); ++i) {
        std::error_code ec;
        fs::remove_all(all[i].second, ec);
    }
    return final_dir;
}

std::optional<fs::path> latest_checkpoint(const fs::path& checkpoints_dir) {
    auto all = checkpoints(checkpoints_dir);
    if (all.empty()) return std::nullopt;
    return all.back().second;
}

nlohmann::json load_checkpoint(const fs::path& dir, TrainModel& model, AdamW& optimizer) {
    nlohmann::json state = read_json_file(dir / "trainer_state.json");
    model.load_safetensors(ModelFolder::inspect(dir));
    SafetensorsFile moments(dir / "optimizer.safetensors");
    at::NoGradGuard no_grad;
    auto params = model.parameters();
    for (size_t i = 0; i < params.size(); ++i) {
        for (auto [prefix, t] : {std::pair{"exp_avg.", &optimizer.exp_avg()[i]},
                                 std::pair{"exp_avg_sq.", &optimizer.exp_avg_sq()[i]}}) {
            const std::string name = prefix + params[i].first;
            const TensorInfo* info = moments.find(name);
            if (!info || info->dtype != DType::F32 || info->numel() != t->numel())
                throw FileError(moments.path(), "missing or misshaped optimizer state '" + name + "'");
            at::Tensor c = at::empty(t->sizes(), at::kFloat);
            std::memcpy(c.data_ptr(), moments.data(*info), info->end - info->begin);
            t->copy_(c);
        }
    }
    optimizer.set_steps(state.value("optimizer_steps", int64_t(0)));
    return state;
}

} // namespace fabula::training
