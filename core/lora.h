#pragma once
// Low-rank adapters (Hu et al. 2021) in Hugging Face PEFT's format, so a
// writer's voice moves freely between Fabula and PEFT: adapter_config.json
// and adapter_model.safetensors with PEFT's key names. This header is the
// files and the rules (which modules an adapter targets, its scale, whether
// it fits a base); the tensors are bound in core/nn. No libtorch here.
#include "core/model_config.h"
#include "core/model_folder.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fabula {

struct LoraSettings {
    int r = 8;
    double alpha = 8;
    double dropout = 0;
    std::vector<std::string> targets; // PEFT's target_modules; empty: the family's default
    bool rslora = false;
    // alpha / r, or alpha / sqrt(r) with rsLoRA (Kalajdzievski 2023).
    double scale() const;
};

// PEFT's default target_modules per model_type (c_attn for GPT-2, q_proj and
// v_proj for GPT-Neo, GPT-J and the Llama family).
std::vector<std::string> default_lora_targets(const ModelConfig& config);

// PEFT's rule for a list of target_modules: the module's full name equals a
// target, or ends in "." + target.
bool lora_targets_module(const std::vector<std::string>& targets, const std::string& module);

// The modules (tensor names without ".weight", e.g. "transformer.h.0.attn.c_attn")
// that get an adapter: every Linear of the tensor table that the targets
// match, except an output layer tied to the embedding. Throws UsageError when
// none matches, naming the targets and a few module names that exist.
std::vector<std::string> lora_modules(const ModelConfig& config, const std::vector<std::string>& targets);

// PEFT's tensor names for one module's adapter.
std::string lora_a_name(const std::string& module); // base_model.model.<module>.lora_A.weight
std::string lora_b_name(const std::string& module); // base_model.model.<module>.lora_B.weight

inline constexpr const char* kAdapterConfigFile = "adapter_config.json";
inline constexpr const char* kAdapterWeightsFile = "adapter_model.safetensors";

// An adapter folder, inspected and checked (not loaded).
struct AdapterFolder {
    std::filesystem::path dir;
    LoraSettings settings;
    std::string base_model;        // base_model_name_or_path, may be empty
    std::vector<std::string> modules; // the modules its weights adapt, in tensor-table order
    std::string name;              // the voice's name: fabula.json's card "voice", else the folder's name
    nlohmann::json source;         // adapter_config.json as read

    // Reads adapter_config.json (PEFT's LoRA, CAUSAL_LM; DoRA, bias other
    // than "none", rank/alpha patterns and other PEFT methods are refused by
    // name) and the safetensors header. Throws FileError naming the file.
    static AdapterFolder inspect(const std::filesystem::path& dir);
    // Whether a folder looks like an adapter (has adapter_config.json).
    static bool is_adapter(const std::filesystem::path& dir);

    // Throws FileError (exit 3) when the adapter was made for another base:
    // a module the base lacks or a shape that differs. The message names
    // the adapter, its base_model_name_or_path and the base folder.
    void check_fits(const ModelFolder& base) const;
};

// adapter_config.json exactly as PEFT 0.21 writes it for these settings.
nlohmann::json peft_adapter_config(const LoraSettings& settings, const std::vector<std::string>& targets,
                                   const std::string& base_model_name_or_path, bool fan_in_fan_out);

} // namespace fabula
