#include "training/train_model.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/safetensors.h"

#include <ATen/core/grad_mode.h>

#include <nlohmann/json.hpp>

#include <cmath>

namespace fabula::training {

namespace fs = std::filesystem;

namespace {

void make_trainable(gpt2::Weights& w) {
    for (auto& [name, t] : w.named()) t->requires_grad_(true);
}

// Conv1D weights are stored [in, out] in the file and [out, in] here.
bool is_conv1d(const std::string& name) {
    return name.find(".c_attn.weight") != std::string::npos || name.find(".c_proj.weight") != std::string::npos ||
           name.find(".c_fc.weight") != std::string::npos;
}

} // namespace

TrainModel TrainModel::from_folder(const ModelFolder& folder, const at::Device& device) {
    TrainModel m;
    m.config_ = folder.config;
    m.device_ = device;
    m.weights_ = gpt2::load_weights(folder, at::kFloat, at::kFloat, device);
    make_trainable(m.weights_);
    return m;
}

TrainModel TrainModel::from_config(const ModelConfig& c, uint64_t seed, const at::Device& device) {
    at::NoGradGuard no_grad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    auto opts = at::TensorOptions().dtype(at::kFloat);
    const double std = 0.02, proj_std = 0.02 / std::sqrt(2.0 * c.n_layer);
    auto normal = [&](std::vector<int64_t> shape, double s) { return at::normal(0.0, s, shape, gen, opts).to(device); };
    auto zeros = [&](int64_t n) { return at::zeros({n}, opts).to(device); };
    auto ones = [&](int64_t n) { return at::ones({n}, opts).to(device); };
    const int64_t C = c.n_embd, I = c.inner();
    TrainModel m;
    m.config_ = c;
    m.device_ = device;
    gpt2::Weights& w = m.weights_;
    w.wte = normal({c.vocab_size, C}, std);
    w.wpe = normal({c.n_positions, C}, std);
    for (int l = 0; l < c.n_layer; ++l) {
        gpt2::Block b;
        b.ln_1_w = ones(C), b.ln_1_b = zeros(C);
        b.c_attn_w = normal({3 * C, C}, std), b.c_attn_b = zeros(3 * C);
        b.attn_proj_w = normal({C, C}, proj_std), b.attn_proj_b = zeros(C);
        b.ln_2_w = ones(C), b.ln_2_b = zeros(C);
        b.c_fc_w = normal({I, C}, std), b.c_fc_b = zeros(I);
        b.mlp_proj_w = normal({C, I}, proj_std), b.mlp_proj_b = zeros(C);
        w.h.push_back(std::move(b));
    }
    w.ln_f_w = ones(C), w.ln_f_b = zeros(C);
    if (!c.tie_word_embeddings) w.lm_head = normal({c.vocab_size, C}, std);
    make_trainable(w);
    return m;
}

std::pair<at::Tensor, int64_t> TrainModel::loss_sum(const at::Tensor& ids, const at::Tensor& labels, bool train) {
    gpt2::Dropout drop{config_.embd_pdrop, config_.attn_pdrop, config_.resid_pdrop};
    at::Tensor h = gpt2::hidden_states(weights_, config_, ids, nullptr, train ? &drop : nullptr);
    const int64_t V = config_.vocab_size;
    // Only positions with a label after them produce logits: saves one row of
    // the (B, T, V) logits per sequence and matches HF's shift.
    at::Tensor logits = gpt2::logits(weights_, h.narrow(1, 0, h.size(1) - 1)).to(at::kFloat);
    at::Tensor target = labels.narrow(1, 1, labels.size(1) - 1).reshape({-1});
    at::Tensor loss = at::cross_entropy_loss(logits.reshape({-1, V}), target, {}, at::Reduction::Sum, -100);
    const int64_t count = target.ne(-100).sum().item<int64_t>();
    return {loss, count};
}

void TrainModel::save_safetensors(const fs::path& file) const {
    auto& w = const_cast<gpt2::Weights&>(weights_);
    std::vector<at::Tensor> keep;
    std::vector<TensorToWrite> out;
    for (auto& [name, t] : w.named()) {
        at::Tensor c = t->detach().to(at::kCPU, at::kFloat);
        if (is_conv1d(name)) c = c.t();
        c = c.contiguous();
        keep.push_back(c);
        const std::string key = name == "lm_head.weight" ? name : "transformer." + name;
        out.push_back({key, DType::F32, std::vector<int64_t>(c.sizes().begin(), c.sizes().end()), c.data_ptr()});
    }
    write_safetensors(file, out, {{"format", "pt"}});
}

void TrainModel::load_safetensors(const ModelFolder& folder) {
    at::NoGradGuard no_grad;
    gpt2::Weights loaded = gpt2::load_weights(folder, at::kFloat, at::kFloat, device_);
    auto dst = weights_.named();
    auto src = loaded.named();
    if (dst.size() != src.size()) throw FileError(folder.weights.string(), "does not match the model being trained");
    for (size_t i = 0; i < dst.size(); ++i) dst[i].second->copy_(*src[i].second);
}

void write_hf_folder_files(const ModelConfig& config, const fs::path& tokenizer_dir, const fs::path& out_dir) {
    fs::create_directories(out_dir);
    write_file_atomically(out_dir / "config.json", config.to_json().dump(2) + "\n");
    nlohmann::json gen = {{"bos_token_id", config.bos_token_id}, {"eos_token_id", config.eos_token_id}};
    write_file_atomically(out_dir / "generation_config.json", gen.dump(2) + "\n");
    for (const char* name : {"vocab.json", "merges.txt", "tokenizer.json"}) {
        const fs::path src = tokenizer_dir / name;
        if (!fs::exists(src) || fs::equivalent(tokenizer_dir, out_dir)) continue;
        std::error_code ec;
        fs::copy_file(src, out_dir / name, fs::copy_options::overwrite_existing, ec);
        if (ec) throw FileError((out_dir / name).string(), "cannot copy the tokenizer: " + ec.message());
    }
}

} // namespace fabula::training
