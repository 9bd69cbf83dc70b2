#include "training/train_model.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/safetensors.h"
#include "training/fused_loss.h"

#include <ATen/core/grad_mode.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>

namespace fabula::training {

namespace fs = std::filesystem;

namespace {

size_t index_of(const nn::Weights& w, const std::string& name) {
    for (size_t i = 0; i < w.specs.size(); ++i)
        if (w.specs[i].name == name) return i;
    throw std::logic_error("the tensor table has no '" + name + "'");
}

} // namespace

void TrainModel::bind() {
    for (at::Tensor& t : weights_.tensors) t.requires_grad_(true);
    network_ = nn::make_network(config_, weights_);
}

TrainModel TrainModel::from_folder(const ModelFolder& folder, const at::Device& device, bool keep_bf16) {
    TrainModel m;
    m.config_ = folder.config;
    m.folder_ = folder;
    m.device_ = device;
    m.weights_ = nn::load_weights(folder, keep_bf16 ? at::kBFloat16 : at::kFloat, at::kFloat, device);
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
    if (lora_) {
        for (auto& [name, t] : lora_params_) out.emplace_back(name, &t);
        return out;
    }
    for (size_t i = 0; i < weights_.specs.size(); ++i) out.emplace_back(weights_.specs[i].name, &weights_.tensors[i]);
    return out;
}

std::vector<bool> TrainModel::decay_flags() const {
    // The HF Trainer decays every weight but biases and norms: LoRA's A and B are weights.
    if (lora_) return std::vector<bool>(lora_params_.size(), true);
    std::vector<bool> out;
    for (const TensorSpec& s : weights_.specs) out.push_back(s.decay);
    return out;
}

void TrainModel::attach_lora(const LoraSettings& settings, std::vector<std::string> modules) {
    at::NoGradGuard no_grad;
    for (at::Tensor& t : weights_.tensors) t.requires_grad_(false);
    lora_ = settings;
    lora_modules_ = std::move(modules);
    lora_params_.clear();
    weights_.adapters.clear();
    for (const std::string& module : lora_modules_) {
        const at::Tensor& w = weights_[module + ".weight"];
        const int64_t out = w.size(0), in = w.size(1);
        auto opts = at::TensorOptions().dtype(at::kFloat).device(device_);
        // kaiming_uniform_(a=sqrt(5)) on an (r, in) matrix: bound = gain * sqrt(3 / in), gain = sqrt(2 / 6).
        const double bound = 1.0 / std::sqrt(double(in));
        nn::LoraAdapter a;
        a.a = at::empty({settings.r, in}, opts).uniform_(-bound, bound);
        a.b = at::zeros({out, settings.r}, opts);
        a.scale = settings.scale();
        a.dropout = settings.dropout;
        a.a.requires_grad_(true);
        a.b.requires_grad_(true);
        weights_.adapters[module] = {a};
        lora_params_.emplace_back(lora_a_name(module), a.a);
        lora_params_.emplace_back(lora_b_name(module), a.b);
    }
    network_ = nn::make_network(config_, weights_);
}

void TrainModel::add_lora(const LoraSettings& settings) {
    std::vector<std::string> targets = settings.targets.empty() ? default_lora_targets(config_) : settings.targets;
    LoraSettings s = settings;
    s.targets = targets;
    attach_lora(s, fabula::lora_modules(config_, targets));
}

void TrainModel::load_lora(const AdapterFolder& adapter, double weight) {
    adapter.check_fits(folder_);
    LoraSettings s = adapter.settings;
    attach_lora(s, adapter.modules);
    load_adapter_weights(adapter.dir);
    at::NoGradGuard no_grad;
    for (auto& [module, list] : weights_.adapters) {
        nn::LoraAdapter& trained = list.front();
        trained.scale *= weight;
        // The starting voice, frozen, for AdapterMode's reference mode.
        nn::LoraAdapter start = trained;
        start.a = trained.a.detach().clone();
        start.b = trained.b.detach().clone();
        start.reference = true;
        list.push_back(start);
    }
    network_ = nn::make_network(config_, weights_);
}

void TrainModel::load_adapter_weights(const fs::path& dir) {
    at::NoGradGuard no_grad;
    const AdapterFolder adapter = AdapterFolder::inspect(dir);
    std::map<std::string, nn::LoraAdapter> loaded = nn::load_adapter(adapter, weights_, 1.0, at::kFloat, device_);
    for (const std::string& module : lora_modules_) {
        auto it = loaded.find(module);
        if (it == loaded.end()) throw FileError(dir.string(), "has no adapter for " + module);
        nn::LoraAdapter& mine = weights_.adapters.at(module).front();
        mine.a.copy_(it->second.a);
        mine.b.copy_(it->second.b);
    }
}

void TrainModel::save_adapter(const fs::path& dir, const std::string& base_model_name_or_path) const {
    bool conv1d = false;
    for (const TensorSpec& spec : weights_.specs)
        for (const std::string& m : lora_modules_)
            if (spec.name == m + ".weight" && spec.file_transposed) conv1d = true;
    write_file_atomically(dir / kAdapterConfigFile,
                          peft_adapter_config(*lora_, lora_->targets, base_model_name_or_path, conv1d).dump(2) + "\n");
    std::vector<at::Tensor> keep;
    std::vector<TensorToWrite> out;
    for (const auto& [name, t] : lora_params_) {
        at::Tensor c = t.detach().to(at::kCPU, at::kFloat).contiguous();
        keep.push_back(c);
        out.push_back({name, DType::F32, std::vector<int64_t>(c.sizes().begin(), c.sizes().end()), c.data_ptr()});
    }
    write_safetensors(dir / kAdapterWeightsFile, out, {{"format", "pt"}});
}

void TrainModel::merge_lora() {
    if (!lora_) return;
    at::NoGradGuard no_grad;
    for (auto& [module, list] : weights_.adapters) {
        at::Tensor& w = weights_.tensors[index_of(weights_, module + ".weight")];
        at::Tensor merged = w.to(at::kFloat).clone();
        for (const nn::LoraAdapter& a : list)
            if (!a.reference) merged.add_(at::matmul(a.b, a.a), a.scale);
        w = merged.to(w.scalar_type());
    }
    weights_.adapters.clear();
    lora_.reset();
    lora_modules_.clear();
    lora_params_.clear();
    network_ = nn::make_network(config_, weights_);
}

namespace {

// The fused head saves copies of the (B, T, V) logits; below 64 MiB of them
// the plain formula costs as little, and gives torch's rounding exactly
// (which Adam's first step near eps magnifies in the parity tests).
bool fused_pays(const at::Tensor& hidden, int64_t vocab) {
    return hidden.size(0) * hidden.size(1) * vocab * 4 > (int64_t(64) << 20);
}

} // namespace

std::pair<at::Tensor, int64_t> TrainModel::loss_sum(const at::Tensor& ids, const at::Tensor& labels, bool train) {
    nn::AdapterMode adapter_mode(train, nn::AdapterMode::current()); // LoRA dropout only in training
    nn::Dropout drop{config_.embd_pdrop, config_.attn_pdrop, config_.resid_pdrop};
    at::Tensor h = network_->hidden_states(ids, nullptr, train ? &drop : nullptr);
    // Only positions with a label after them produce logits: saves one row of
    // the (B, T, V) logits per sequence and matches HF's shift.
    at::Tensor hs = h.narrow(1, 0, h.size(1) - 1);
    at::Tensor target = labels.narrow(1, 1, labels.size(1) - 1);
    const int64_t count = target.ne(-100).sum().item<int64_t>();
    if (fused_pays(hs, config_.vocab_size))
        if (auto head = output_head(weights_, *network_, h[0][0])) return {fused_head_nll_sum(hs, *head, target), count};
    at::Tensor logits = network_->logits(hs).to(at::kFloat);
    const int64_t V = logits.size(-1);
    at::Tensor loss =
        at::cross_entropy_loss(logits.reshape({-1, V}), target.reshape({-1}), {}, at::Reduction::Sum, -100);
    return {loss, count};
}

at::Tensor TrainModel::sequence_logprobs(const at::Tensor& ids, const at::Tensor& labels, bool train) {
    nn::AdapterMode adapter_mode(train, nn::AdapterMode::current()); // LoRA dropout only in training
    nn::Dropout drop{config_.embd_pdrop, config_.attn_pdrop, config_.resid_pdrop};
    at::Tensor h = network_->hidden_states(ids, nullptr, train ? &drop : nullptr);
    at::Tensor hs = h.narrow(1, 0, h.size(1) - 1);
    at::Tensor target = labels.narrow(1, 1, labels.size(1) - 1);
    if (fused_pays(hs, config_.vocab_size))
        if (auto head = output_head(weights_, *network_, h[0][0])) return fused_head_sequence_logprobs(hs, *head, target);
    at::Tensor logits = network_->logits(hs).to(at::kFloat);
    at::Tensor mask = target.ne(-100);
    at::Tensor picked = at::log_softmax(logits, -1).gather(-1, target.masked_fill(mask.logical_not(), 0).unsqueeze(-1));
    return (picked.squeeze(-1) * mask).sum(1);
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
