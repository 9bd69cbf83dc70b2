#pragma once
// The hyper-parameters of a Hugging Face config.json for every family Fabula
// runs, and the sampling defaults of its generation_config.json.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fabula {

// What differs between families is the forward code (core/families/*) and
// the tensor table (core/model_tensors); the configuration is one struct.
enum class Family { Gpt2, GptNeo, GptJ, Llama };
std::string family_name(Family);  // "GPT-2", "GPT-Neo", "GPT-J", "Llama"

// Rotary position embedding, as transformers 5 standardises it
// (rope_parameters, or the older rope_theta + rope_scaling).
struct RopeConfig {
    std::string type = "default"; // default, linear, llama3
    double theta = 10000.0;
    double factor = 1.0;          // linear and llama3
    double low_freq_factor = 1.0, high_freq_factor = 4.0; // llama3
    int original_max_positions = 0; // llama3; 0: n_positions
    double partial_rotary_factor = 1.0;
};

struct ModelConfig {
    Family family = Family::Gpt2;
    std::string model_type = "gpt2"; // as written: gpt2, gpt_neo, gptj, llama, mistral, qwen2
    int n_layer = 12;
    int n_head = 12;
    int n_kv_head = 0;  // grouped-query attention; 0: n_head
    int n_embd = 768;
    int n_inner = 0;    // 0: 4 * n_embd
    int head_dim_override = 0; // Llama's head_dim; 0: n_embd / n_head
    int n_positions = 1024;
    int vocab_size = 50257;
    double layer_norm_epsilon = 1e-5; // LayerNorm eps, or RMSNorm eps for Llama
    std::string activation = "gelu_new";
    bool tie_word_embeddings = true;
    // GPT-2
    bool scale_attn_weights = true;
    bool scale_attn_by_inverse_layer_idx = false;
    // GPT-J: rotary on the first rotary_dim dimensions of each head (0: all).
    int rotary_dim = 0;
    RopeConfig rope;
    // Llama family: q/k/v biases (Qwen2), o_proj bias, MLP biases.
    bool qkv_bias = false, o_bias = false, mlp_bias = false;
    // Per layer: 0 sees every earlier position, w > 0 only the last w
    // (GPT-Neo's local layers, Mistral/Qwen2 sliding windows). Empty: all full.
    std::vector<int> attention_window;
    int bos_token_id = 50256;
    int eos_token_id = 50256;          // the first of eos_token_ids
    std::vector<int> eos_token_ids;    // generation stops at any of them
    // Used by training only; inference ignores dropout.
    double embd_pdrop = 0.1, attn_pdrop = 0.1, resid_pdrop = 0.1;
    double initializer_range = 0.02;
    // The file's own precision ("float32", "bfloat16", ...), when it says.
    std::string torch_dtype;
    // config.json as read: written back on export with only what Fabula changed.
    nlohmann::json source;

    int inner() const { return n_inner > 0 ? n_inner : 4 * n_embd; }
    int head_dim() const { return head_dim_override > 0 ? head_dim_override : n_embd / n_head; }
    int kv_heads() const { return n_kv_head > 0 ? n_kv_head : n_head; }
    int window(int layer) const {
        return layer < int(attention_window.size()) ? attention_window[size_t(layer)] : 0;
    }
    bool uses_rope() const { return family == Family::GptJ || family == Family::Llama; }
    int64_t parameter_count() const; // from the tensor table

    // Throws FileError naming `source` for missing, mistyped or absurd values,
    // and for a model_type or rope type Fabula does not run.
    static ModelConfig from_json(const nlohmann::json& j, const std::string& source);
    static ModelConfig from_file(const std::filesystem::path& config_json);
    nlohmann::json to_json() const; // what transformers writes for this model, in float32
};

// Sampling defaults a checkpoint may ship; unset fields keep Hugging Face's.
struct GenerationDefaults {
    std::optional<bool> do_sample;
    std::optional<double> temperature, top_p, repetition_penalty;
    std::optional<int> top_k, max_new_tokens, max_length;
    std::optional<int> eos_token_id;
    std::vector<int> eos_token_ids; // all of them when the file lists several

    // Throws FileError naming `source` for a mistyped value.
    static GenerationDefaults from_json(const nlohmann::json& j, const std::string& source);
    static GenerationDefaults from_file(const std::filesystem::path& generation_config_json);
};

} // namespace fabula
