#pragma once
// GPT-2 with autograd for fine-tuning: the engine's forward (core/gpt2_forward)
// with fp32 master weights, dropout, and Hugging Face's causal-LM loss.
// Internal to training/ (includes ATen).
#include "core/gpt2_forward.h"
#include "core/model_folder.h"

#include <ATen/ATen.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace fabula::training {

class TrainModel {
public:
    static TrainModel from_folder(const ModelFolder& folder, const at::Device& device);
    // A new model initialised the way transformers initialises GPT-2.
    static TrainModel from_config(const ModelConfig& config, uint64_t seed, const at::Device& device);

    const ModelConfig& config() const { return config_; }
    gpt2::Weights& weights() { return weights_; }
    std::vector<std::pair<std::string, at::Tensor*>> parameters() { return weights_.named(); }

    // ids, labels: (B, T) int64. Like GPT2LMHeadModel(labels=...): logits at
    // t predict labels at t + 1; labels of -100 are ignored. Returns the sum
    // of the token losses and the number of predicted tokens (so micro-batches
    // can be weighted by tokens).
    std::pair<at::Tensor, int64_t> loss_sum(const at::Tensor& ids, const at::Tensor& labels, bool train);

    // Writes model.safetensors in transformers' layout ("transformer." names,
    // Conv1D weights [in, out], no lm_head when tied).
    void save_safetensors(const std::filesystem::path& file) const;
    // Reads weights written by save_safetensors (or any GPT-2 checkpoint) into this model.
    void load_safetensors(const ModelFolder& folder);

private:
    ModelConfig config_;
    gpt2::Weights weights_;
    at::Device device_{at::kCPU};
};

// The files a Hugging Face folder needs beside model.safetensors: config.json,
// generation_config.json and the tokenizer files copied from tokenizer_dir.
void write_hf_folder_files(const ModelConfig& config, const std::filesystem::path& tokenizer_dir,
                           const std::filesystem::path& out_dir);

} // namespace fabula::training
