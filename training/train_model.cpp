#include "training/train_model.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/safetensors.h"

#include <ATen/core/grad_mode.h>

#include <nlohmann/json.hpp>

#include <cmath>

namespace fabula::training {

namespace fs = std::filesystem;

void TrainModel::bind() {
    for (at::Tensor& t : weights_.tensors) t.requires_grad_(true);
    network_ = nn::make_network(config_, weights_);
}

TrainModel TrainModel::from_folder(const ModelFolder& folder, const at::Device& device) {
    TrainModel m;
    m.config_ = folder.config;
    m.device_ = device;
    m.weights_ = nn::load_weights(folder, at::kFloat, at::kFloat, device);
    m.bind();
    return m;
}

TrainModel TrainModel::from_config(const ModelConfig& c, uint64_t seed, const at::Device& device) {
    TrainModel m;
    m.config_ = c;
    m.device_ = device;
    m.weights_ = nn::init_weights(c, seed, device);
    m.bind();
    return m;
}

std::vector<std::pair<std::string, at::Tensor*>> TrainModel::parameters() {
    std::vector<std::pair<std::string, at::Tensor*>> out;
    for (size_t i = 0; i < weights_.specs.size(); ++i) out.emplace_back(weights_.specs[i].name, &weights_.tensors[i]);
    return out;
}

std::vector<bool> TrainModel::decay_flags() const {
    std::vector<bool> out;
    for (const TensorSpec& s : weights_.specs) out.push_back(s.decay);
    return out;
}

std::pair<at::Tensor, int64_t> TrainModel::loss_sum(const at::Tensor& ids, const at::Tensor& labels, bool train) {
    nn::Dropout drop{config_.embd_pdrop, config_.attn_pdrop, config_.resid_pdrop};
    at::Tensor h = network_->hidden_states(ids, nullptr, train ? &drop : nullptr);
    // Only positions with a label after them produce logits: saves one row of
    // the (B, T, V) logits per sequence and matches HF's shift.
    at::Tensor logits = network_->logits(h.narrow(1, 0, h.size(1) - 1)).to(at::kFloat);
    const int64_t V = logits.size(-1);
    at::Tensor target = labels.narrow(1, 1, labels.size(1) - 1).reshape({-1});
    at::Tensor loss = at::cross_entropy_loss(logits.reshape({-1, V}), target, {}, at::Reduction::Sum, -100);
    const int64_t count = target.ne(-100).sum().item<int64_t>();
    return {loss, count};
}

void TrainModel::save_safetensors(const fs::path& file) const {
    std::vector<at::Tensor> keep;
    std::vector<TensorToWrite> out;
    for (size_t i = 0; i < weights_.specs.size(); ++i) {
        const TensorSpec& spec = weights_.specs[i];
        at::Tensor c = weights_.tensors[i].detach().to(at::kCPU, at::kFloat);
        if (spec.file_transposed) c = c.t();
        c = c.contiguous();
        keep.push_back(c);
        out.push_back({spec.name, DType::F32, spec.file_shape(), c.data_ptr()});
    }
    write_safetensors(file, out, {{"format", "pt"}});
}

void TrainModel::load_safetensors(const ModelFolder& folder) {
    at::NoGradGuard no_grad;
    ModelFolder same = folder;
    same.config = config_; // the run's table, checked against the file's shapes
    nn::Weights loaded = nn::load_weights(same, at::kFloat, at::kFloat, device_);
    for (size_t i = 0; i < weights_.tensors.size(); ++i) weights_.tensors[i].copy_(loaded.tensors[i]);
}

void write_hf_folder_files(const ModelConfig& config, const fs::path& tokenizer_dir, const fs::path& out_dir) {
    fs::create_directories(out_dir);
    write_file_atomically(out_dir / "config.json", config.to_json().dump(2) + "\n");
    nlohmann::json gen = nlohmann::json::object();
    if (config.bos_token_id >= 0) gen["bos_token_id"] = config.bos_token_id; // Qwen2 has none
    if (config.eos_token_ids.size() == 1) gen["eos_token_id"] = config.eos_token_ids.front();
    if (config.eos_token_ids.size() > 1) gen["eos_token_id"] = config.eos_token_ids;
    write_file_atomically(out_dir / "generation_config.json", gen.dump(2) + "\n");
    for (const char* name : {"vocab.json", "merges.txt", "tokenizer.json", "tokenizer.model", "tokenizer_config.json",
                             "special_tokens_map.json"}) {
        const fs::path src = tokenizer_dir / name;
        if (!fs::exists(src) || fs::equivalent(tokenizer_dir, out_dir)) continue;
        std::error_code ec;
        fs::copy_file(src, out_dir / name, fs::copy_options::overwrite_existing, ec);
        if (ec) throw FileError((out_dir / name).string(), "cannot copy the tokenizer: " + ec.message());
    }
}

} // namespace fabula::training
