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
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fabula::training {

class TrainModel {
public:
    // keep_bf16: the matrices stay bf16 (a LoRA run's frozen base, see
    // lora_base_stays_16bit); norms and biases are fp32 either way.
    static TrainModel from_folder(const ModelFolder& folder, const at::Device& device, bool keep_bf16 = false);
    // A new model initialised the way transformers initialises the family.
    static TrainModel from_config(const ModelConfig& config, uint64_t seed, const at::Device& device);

    const ModelConfig& config() const { return config_; }
    // Every trained parameter with its name: the model's tensors in
    // tensor-table order, or with LoRA only the adapters' A and B under
    // PEFT's names (module by module, A before B).
    std::vector<std::pair<std::string, at::Tensor*>> parameters();

    // LoRA: freezes the base and adds new adapters on the targeted modules,
    // initialised as PEFT does (A Kaiming-uniform with a = sqrt(5), B zero,
    // so the model starts equal to the base), drawn from the global generator.
    void add_lora(const LoraSettings& settings);
    // The same from an adapter folder (continuing a voice); checks it fits.
    // `weight` scales its update (for mixing voices).
    void load_lora(const AdapterFolder& adapter, double weight = 1.0);
    bool is_lora() const { return lora_.has_value(); }
    const LoraSettings& lora_settings() const { return *lora_; }
    const std::vector<std::string>& lora_modules() const { return lora_modules_; }
    // adapter_config.json and adapter_model.safetensors as PEFT writes them.
    void save_adapter(const std::filesystem::path& dir, const std::string& base_model_name_or_path) const;
    // Reads adapter weights saved by save_adapter into this model's adapters.
    void load_adapter_weights(const std::filesystem::path& dir);
    // Adds every adapter into its base weight (PEFT's merge_and_unload) and
    // drops the adapters: the model is then a plain one.
    void merge_lora();
    // Whether AdamW decays each parameter (the HF Trainer's rule), same order.
    std::vector<bool> decay_flags() const;

    // ids, labels: (B, T) int64. Like *ForCausalLM(labels=...): logits at
    // t predict labels at t + 1; labels of -100 are ignored. Returns the sum
    // of the token losses and the number of predicted tokens (so micro-batches
    // can be weighted by tokens).
    std::pair<at::Tensor, int64_t> loss_sum(const at::Tensor& ids, const at::Tensor& labels, bool train);

    // Per row, the summed log-probability of the labelled tokens: logits at t
    // score labels at t + 1, labels of -100 are skipped. (B,) fp32 with grad
    // when grad mode is on: the preference objectives' log π(y|x).
    at::Tensor sequence_logprobs(const at::Tensor& ids, const at::Tensor& labels, bool train);

    // Writes model.safetensors in transformers' layout (its names, GPT-2's
    // Conv1D weights [in, out], no lm_head when tied).
    void save_safetensors(const std::filesystem::path& file) const;
    // Reads weights written by save_safetensors (or any checkpoint of the family) into this model.
    void load_safetensors(const ModelFolder& folder);

private:
    void bind();

    void attach_lora(const LoraSettings& settings, std::vector<std::string> modules);

    ModelConfig config_;
    ModelFolder folder_;
    nn::Weights weights_;
    std::optional<LoraSettings> lora_;
    std::vector<std::string> lora_modules_;
    std::vector<std::pair<std::string, at::Tensor>> lora_params_; // PEFT name -> A or B
    std::shared_ptr<nn::Network> network_;
    at::Device device_{at::kCPU};
};

// The files a Hugging Face folder needs beside model.safetensors: config.json,
// generation_config.json and the tokenizer files copied from tokenizer_dir.
void write_hf_folder_files(const ModelConfig& config, const std::filesystem::path& tokenizer_dir,
                           const std::filesystem::path& out_dir);

} // namespace fabula::training
