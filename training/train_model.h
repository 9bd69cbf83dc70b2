#pragma once
// A causal LM of any family with autograd for fine-tuning: the engine's
// forward (core/nn and core/families) over fp32 master weights, with
// dropout and Hugging Face's causal-LM loss. The tensor table decides
// names, layouts, initialisation and weight decay. Internal to training/
// (includes ATen).
#include "core/model_folder.h"
#include "core/nn.h"

#include <ATen/ATen.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fabula::training {

class TrainModel {
public:
    static TrainModel from_folder(const ModelFolder& folder, const at::Device& device);
    // A new model initialised the way transformers initialises the family.
    static TrainModel from_config(const ModelConfig& config, uint64_t seed, const at::Device& device);

    const ModelConfig& config() const { return config_; }
    // Every parameter with its Hugging Face name, in tensor-table order.
    std::vector<std::pair<std::string, at::Tensor*>> parameters();
    // Whether AdamW decays each parameter (the HF Trainer's rule), same order.
    std::vector<bool> decay_flags() const;

    // ids, labels: (B, T) int64. Like *ForCausalLM(labels=...): logits at
    // t predict labels at t + 1; labels of -100 are ignored. Returns the sum
    // of the token losses and the number of predicted tokens (so micro-batches
    // can be weighted by tokens).
    std::pair<at::Tensor, int64_t> loss_sum(const at::Tensor& ids, const at::Tensor& labels, bool train);

    // Writes model.safetensors in transformers' layout (its names, GPT-2's
    // Conv1D weights [in, out], no lm_head when tied).
    void save_safetensors(const std::filesystem::path& file) const;
    // Reads weights written by save_safetensors (or any checkpoint of the family) into this model.
    void load_safetensors(const ModelFolder& folder);

private:
    void bind();

    ModelConfig config_;
    nn::Weights weights_;
    std::shared_ptr<nn::Network> network_;
    at::Device device_{at::kCPU};
};

// The files a Hugging Face folder needs beside model.safetensors: config.json,
// generation_config.json and the tokenizer files copied from tokenizer_dir.
void write_hf_folder_files(const ModelConfig& config, const std::filesystem::path& tokenizer_dir,
                           const std::filesystem::path& out_dir);

} // namespace fabula::training
