#pragma once
// The GPT-2 hyper-parameters of a Hugging Face config.json, and the sampling
// defaults of its generation_config.json.
#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace fabula {

struct ModelConfig {
    int n_layer = 12;
    int n_head = 12;
    int n_embd = 768;
    int n_inner = 0; // 0: 4 * n_embd
    int n_positions = 1024;
    int vocab_size = 50257;
    double layer_norm_epsilon = 1e-5;
    std::string activation = "gelu_new";
    bool tie_word_embeddings = true;
    bool scale_attn_weights = true;
    bool scale_attn_by_inverse_layer_idx = false;
    int bos_token_id = 50256;
    int eos_token_id = 50256;
    // Used by training only; inference ignores dropout.
    double embd_pdrop = 0.1, attn_pdrop = 0.1, resid_pdrop = 0.1;

    int inner() const { return n_inner > 0 ? n_inner : 4 * n_embd; }
    int head_dim() const { return n_embd / n_head; }
    int64_t parameter_count() const;

    // Throws FileError naming `source` for missing, mistyped or absurd values.
    static ModelConfig from_json(const nlohmann::json& j, const std::string& source);
    static ModelConfig from_file(const std::filesystem::path& config_json);
    nlohmann::json to_json() const; // what transformers' GPT2Config writes
};

// Sampling defaults a checkpoint may ship; unset fields keep Hugging Face's.
struct GenerationDefaults {
    std::optional<bool> do_sample;
    std::optional<double> temperature, top_p, repetition_penalty;
    std::optional<int> top_k, max_new_tokens, max_length;
    std::optional<int> eos_token_id;

    // Throws FileError naming `source` for a mistyped value.
    static GenerationDefaults from_json(const nlohmann::json& j, const std::string& source);
    static GenerationDefaults from_file(const std::filesystem::path& generation_config_json);
};

} // namespace fabula
