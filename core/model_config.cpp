#include "core/model_config.h"

#include "core/error.h"
#include "core/json_file.h"
#include "core/model_tensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace fabula {

namespace {

// Hugging Face names some fields twice (n_ctx / n_positions, ...): the first
// present key wins.
template <typename T>
bool read(const nlohmann::json& j, std::initializer_list<const char*> keys, T& out, const std::string& source,
          const std::string& section = {}) {
    for (const char* key : keys) {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) continue;
        // A key inside an object is named by its path ("rope_parameters.factor"),
        // while the error keeps naming the file.
        const std::string named = section.empty() ? std::string(key) : section + "." + key;
        const char* k = named.c_str();
        // nlohmann also reads true as the number 1.
        if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>)
            if (!it->is_number())
                throw FileError(source, std::string("\"") + k + "\" has the wrong type (" + it->type_name() + ")");
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            // nlohmann converts 4294967297 to an int as 1 without a word: a
            // config with a huge number must say so, not load a tiny model.
            const std::string key = std::string("\"") + k + "\" is " + it->dump();
            if (it->is_number_float()) {
                if (std::abs(it->get<double>()) > double(std::numeric_limits<T>::max()))
                    throw FileError(source, key + ", which is too large");
                throw FileError(source, key + "; it must be a whole number");
            }
            if (it->is_number_integer()) {
                const bool fits = it->is_number_unsigned()
                                      ? it->get<uint64_t>() <= uint64_t(std::numeric_limits<T>::max())
                                      : it->get<int64_t>() >= int64_t(std::numeric_limits<T>::min()) &&
                                            it->get<int64_t>() <= int64_t(std::numeric_limits<T>::max());
                if (!fits) throw FileError(source, key + ", which is too large");
            }
        }
        try {
            out = it->get<T>();
        } catch (const nlohmann::json::exception&) {
            throw FileError(source, std::string("\"") + k + "\" has the wrong type (" + it->type_name() + ")");
        }
        return true;
    }
    return false;
}

void require_range(const std::string& source, const char* key, long long v, long long lo, long long hi) {
    if (v < lo || v > hi)
        throw FileError(source, std::string("\"") + key + "\" is " + std::to_string(v) + ", expected " +
                                    std::to_string(lo) + ".." + std::to_string(hi));
}

} // namespace

std::string family_name(Family f) {
    switch (f) {
    case Family::Gpt2: return "GPT-2";
    case Family::GptNeo: return "GPT-Neo";
    case Family::GptJ: return "GPT-J";
    case Family::Llama: return "Llama";
    }
    return "?";
}

int64_t ModelConfig::parameter_count() const {
    int64_t n = 0;
    for (const TensorSpec& t : tensor_table(*this)) n += t.numel();
    return n;
}

namespace {

// An int or a list of ints (eos_token_id may be either).
std::vector<int> read_ids(const nlohmann::json& j, const char* key, const std::string& source) {
    std::vector<int> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return out;
    auto one = [&](const nlohmann::json& v) {
        if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > (1 << 24))
            throw FileError(source, std::string("\"") + key + "\" must be a token id or a list of them");
        out.push_back(v.get<int>());
    };
    if (it->is_array())
        for (const auto& v : *it) one(v);
    else
        one(*it);
    return out;
}

void read_gpt2(const nlohmann::json& j, const std::string& source, ModelConfig& c) {
    read(j, {"n_layer", "num_hidden_layers"}, c.n_layer, source);
    read(j, {"n_head", "num_attention_heads"}, c.n_head, source);
    read(j, {"n_embd", "hidden_size"}, c.n_embd, source);
    read(j, {"n_inner"}, c.n_inner, source);
    read(j, {"n_positions", "n_ctx", "max_position_embeddings"}, c.n_positions, source);
    read(j, {"layer_norm_epsilon"}, c.layer_norm_epsilon, source);
    read(j, {"activation_function"}, c.activation, source);
    read(j, {"scale_attn_weights"}, c.scale_attn_weights, source);
    read(j, {"scale_attn_by_inverse_layer_idx"}, c.scale_attn_by_inverse_layer_idx, source);
    read(j, {"embd_pdrop"}, c.embd_pdrop, source);
    read(j, {"attn_pdrop"}, c.attn_pdrop, source);
    read(j, {"resid_pdrop"}, c.resid_pdrop, source);
    // reorder_and_upcast_attn: numerically the same attention in fp32, which
    // is what Fabula computes it in.
}

// attention_types: [[["global", "local"], 12]] means the pair repeated 12 times.
void read_gpt_neo(const nlohmann::json& j, const std::string& source, ModelConfig& c) {
    c.n_layer = 24, c.n_head = 16, c.n_embd = 2048, c.n_positions = 2048;
    c.embd_pdrop = c.attn_pdrop = c.resid_pdrop = 0.0;
    read(j, {"num_layers", "num_hidden_layers"}, c.n_layer, source);
    read(j, {"num_heads", "num_attention_heads"}, c.n_head, source);
    read(j, {"hidden_size"}, c.n_embd, source);
    read(j, {"intermediate_size"}, c.n_inner, source);
    read(j, {"max_position_embeddings"}, c.n_positions, source);
    read(j, {"layer_norm_epsilon"}, c.layer_norm_epsilon, source);
    read(j, {"activation_function"}, c.activation, source);
    read(j, {"embed_dropout"}, c.embd_pdrop, source);
    read(j, {"attention_dropout"}, c.attn_pdrop, source);
    read(j, {"resid_dropout"}, c.resid_pdrop, source);
    int window = 256;
    read(j, {"window_size"}, window, source);
    require_range(source, "window_size", window, 1, 1 << 20);
    std::vector<std::string> kinds;
    const auto types = j.find("attention_types");
    if (types == j.end() || types->is_null()) {
        for (int i = 0; i < 12; ++i) kinds.insert(kinds.end(), {"global", "local"});
    } else {
        const auto bad = [&] {
            return FileError(source, "\"attention_types\" must be a list of [[\"global\"|\"local\", ...], count]");
        };
        if (!types->is_array()) throw bad();
        for (const auto& item : *types) {
            if (!item.is_array() || item.size() != 2 || !item[0].is_array() || !item[1].is_number_integer())
                throw bad();
            const int64_t count = item[1].get<int64_t>();
            if (count < 0 || count > 256) throw bad();
            for (int64_t r = 0; r < count; ++r)
                for (const auto& k : item[0]) {
                    if (!k.is_string() || (k != "global" && k != "local")) throw bad();
                    kinds.push_back(k.get<std::string>());
                }
        }
    }
    if (int(kinds.size()) != c.n_layer)
        throw FileError(source, "\"attention_types\" describes " + std::to_string(kinds.size()) +
                                    " layers but num_layers is " + std::to_string(c.n_layer));
    for (const auto& k : kinds) c.attention_window.push_back(k == "local" ? window : 0);
}

void read_gptj(const nlohmann::json& j, const std::string& source, ModelConfig& c) {
    c.n_layer = 28, c.n_head = 16, c.n_embd = 4096, c.n_positions = 2048, c.vocab_size = 50400;
    c.rotary_dim = 64;
    c.tie_word_embeddings = false;
    c.embd_pdrop = c.attn_pdrop = c.resid_pdrop = 0.0;
    read(j, {"n_layer", "num_hidden_layers"}, c.n_layer, source);
    read(j, {"n_head", "num_attention_heads"}, c.n_head, source);
    read(j, {"n_embd", "hidden_size"}, c.n_embd, source);
    read(j, {"n_inner"}, c.n_inner, source);
    read(j, {"n_positions", "max_position_embeddings"}, c.n_positions, source);
    // transformers 5 refuses a null rotary_dim, and its forward breaks on 0
    // (and on a null one with several heads in transformers 4): a model Fabula
    // ran with either could not be exported.
    if (auto it = j.find("rotary_dim"); it != j.end() && it->is_null())
        throw FileError(source, "\"rotary_dim\" is null; GPT-J needs the number of dimensions of each head that "
                                "rotary positions turn (transformers refuses null too)");
    read(j, {"rotary_dim"}, c.rotary_dim, source);
    if (c.rotary_dim < 2)
        throw FileError(source, "\"rotary_dim\" is " + std::to_string(c.rotary_dim) + ", expected at least 2");
    read(j, {"layer_norm_epsilon"}, c.layer_norm_epsilon, source);
    read(j, {"activation_function"}, c.activation, source);
    read(j, {"embd_pdrop"}, c.embd_pdrop, source);
    read(j, {"attn_pdrop"}, c.attn_pdrop, source);
    read(j, {"resid_pdrop"}, c.resid_pdrop, source);
}

// rope_parameters as transformers 5 writes it, or rope_theta + rope_scaling
// (with rope_type or the older type) as published hub configs have it. As in
// transformers, rope_scaling wins over rope_parameters, and a rope_theta
// inside the object over the top-level one.
RopeConfig read_rope(const nlohmann::json& j, const std::string& source) {
    RopeConfig r;
    nlohmann::json p = nlohmann::json::object();
    for (const char* key : {"rope_scaling", "rope_parameters"})
        if (auto it = j.find(key); it != j.end() && !it->is_null()) {
            if (!it->is_object()) throw FileError(source, std::string("\"") + key + "\" must be an object");
            p = *it;
            break;
        }
    for (const char* layer_type : {"full_attention", "sliding_attention"})
        if (p.contains(layer_type))
            throw FileError(source, "rope parameters per layer type are not supported");
    read(j, {"rope_theta"}, r.theta, source);
    read(j, {"partial_rotary_factor"}, r.partial_rotary_factor, source);
    std::string where;
    for (const char* key : {"rope_scaling", "rope_parameters"})
        if (auto it = j.find(key); it != j.end() && !it->is_null()) {
            where = key;
            break;
        }
    read(p, {"rope_type", "type"}, r.type, source, where);
    read(p, {"rope_theta"}, r.theta, source, where);
    read(p, {"partial_rotary_factor"}, r.partial_rotary_factor, source, where);
    if (r.type != "default" && r.type != "linear" && r.type != "llama3")
        throw FileError(source, "rope type \"" + r.type +
                                    "\" is not supported (Fabula runs \"default\", \"linear\" and \"llama3\")");
    // The keys transformers requires for the type (it raises a KeyError
    // without them); original_max_position_embeddings defaults to
    // max_position_embeddings there too.
    auto required = [&](const char* key, auto& out) {
        if (!read(p, {key}, out, source, where))
            throw FileError(source, "rope type \"" + r.type + "\" needs \"" + key + "\" in its rope parameters");
    };
    if (r.type == "linear" || r.type == "llama3") required("factor", r.factor);
    if (r.type == "llama3") {
        required("low_freq_factor", r.low_freq_factor);
        required("high_freq_factor", r.high_freq_factor);
        read(p, {"original_max_position_embeddings"}, r.original_max_positions, source, where);
    }
    if (!(r.theta > 0 && r.theta < 1e12)) throw FileError(source, "rope_theta must be a positive number");
    if (!(r.factor >= 1 && r.factor < 1e6)) throw FileError(source, "the rope factor must be at least 1");
    if (!(r.partial_rotary_factor > 0 && r.partial_rotary_factor <= 1))
        throw FileError(source, "partial_rotary_factor must be in (0, 1]");
    if (r.type == "llama3" && !(r.high_freq_factor > r.low_freq_factor && r.low_freq_factor > 0))
        throw FileError(source, "llama3 rope needs high_freq_factor > low_freq_factor > 0");
    if (r.type == "llama3") require_range(source, "original_max_position_embeddings", r.original_max_positions, 0, 1 << 24);
    return r;
}

// transformers' LlamaConfig, MistralConfig and Qwen2Config, with their own
// defaults for what a config.json leaves out.
void read_llama(const nlohmann::json& j, const std::string& source, ModelConfig& c) {
    const bool mistral = c.model_type == "mistral", qwen2 = c.model_type == "qwen2";
    c.n_layer = 32, c.n_head = 32, c.n_embd = 4096, c.n_inner = 11008, c.n_positions = 2048, c.vocab_size = 32000;
    if (mistral) c.n_inner = 14336, c.n_kv_head = 8, c.n_positions = 4096 * 32;
    if (qwen2) c.n_inner = 22016, c.n_kv_head = 32, c.n_positions = 32768, c.vocab_size = 151936;
    c.layer_norm_epsilon = 1e-6;
    c.activation = "silu";
    c.tie_word_embeddings = false;
    c.bos_token_id = 1, c.eos_token_id = 2;
    if (qwen2) c.bos_token_id = c.eos_token_id = -1; // None: the tokenizer's end-of-text stops generation
    c.embd_pdrop = c.attn_pdrop = c.resid_pdrop = 0.0;
    // An explicit null means "as many as the query heads", as in the config classes.
    if (auto it = j.find("num_key_value_heads"); it != j.end() && it->is_null()) c.n_kv_head = 0;
    read(j, {"num_hidden_layers"}, c.n_layer, source);
    read(j, {"num_attention_heads"}, c.n_head, source);
    read(j, {"num_key_value_heads"}, c.n_kv_head, source);
    read(j, {"hidden_size"}, c.n_embd, source);
    read(j, {"intermediate_size"}, c.n_inner, source);
    read(j, {"head_dim"}, c.head_dim_override, source);
    read(j, {"max_position_embeddings"}, c.n_positions, source);
    read(j, {"rms_norm_eps"}, c.layer_norm_epsilon, source);
    read(j, {"hidden_act"}, c.activation, source);
    read(j, {"attention_dropout"}, c.attn_pdrop, source);
    // Qwen2: biases on q/k/v only; Mistral: none; Llama: attention_bias on
    // all four attention projections, mlp_bias on the three of the MLP.
    if (qwen2) {
        c.qkv_bias = true;
    } else if (c.model_type == "llama") {
        bool bias = false;
        read(j, {"attention_bias"}, bias, source);
        c.qkv_bias = c.o_bias = bias;
        read(j, {"mlp_bias"}, c.mlp_bias, source);
    }
    c.rope = read_rope(j, source);
    // The default rope of the three modeling files rotates the whole head
    // whatever partial_rotary_factor says; the scaled types would rotate a
    // part and fail on the shapes in transformers.
    if (c.rope.type == "default") c.rope.partial_rotary_factor = 1.0;
    if (c.rope.partial_rotary_factor != 1.0)
        throw FileError(source, "partial_rotary_factor " + nlohmann::json(c.rope.partial_rotary_factor).dump() +
                                    " with rope type \"" + c.rope.type + "\" is not supported for " + c.model_type);

    // Sliding windows (a query sees the last sliding_window positions, itself
    // included): Mistral's applies to every layer; Qwen2's, when
    // use_sliding_window, to the layers layer_types marks sliding_attention
    // (by default those from max_window_layers on). Llama has none.
    auto read_window = [&] {
        int w = 4096;
        if (auto it = j.find("sliding_window"); it != j.end() && it->is_null()) w = 0;
        read(j, {"sliding_window"}, w, source);
        require_range(source, "sliding_window", w, 0, 1 << 24);
        return w;
    };
    if (mistral) {
        // layer_types is ignored by MistralModel.
        if (const int w = read_window(); w > 0) c.attention_window.assign(size_t(std::max(c.n_layer, 0)), w);
    } else if (qwen2) {
        bool use = false;
        read(j, {"use_sliding_window"}, use, source);
        const int sliding = use ? read_window() : 0;
        int from = 28;
        read(j, {"max_window_layers"}, from, source);
        if (auto it = j.find("layer_types"); it != j.end() && !it->is_null()) {
            if (!it->is_array() || int(it->size()) != c.n_layer)
                throw FileError(source, "\"layer_types\" must list one entry per layer");
            for (const auto& t : *it) {
                if (t == "full_attention") {
                    c.attention_window.push_back(0);
                } else if (t == "sliding_attention") {
                    if (sliding == 0)
                        throw FileError(source, "\"layer_types\" has sliding_attention layers but no sliding window "
                                                "(use_sliding_window is false or sliding_window is null)");
                    c.attention_window.push_back(sliding);
                } else {
                    throw FileError(source, "layer type " + t.dump() + " is not supported");
                }
            }
        } else if (sliding > 0) {
            for (int l = 0; l < c.n_layer; ++l) c.attention_window.push_back(l >= from ? sliding : 0);
        }
    }
}

} // namespace

ModelConfig ModelConfig::from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object()) throw FileError(source, "not a JSON object");
    ModelConfig c;
    read(j, {"model_type"}, c.model_type, source);
    if (c.model_type == "gpt2") {
        c.family = Family::Gpt2;
        read_gpt2(j, source, c);
    } else if (c.model_type == "gpt_neo") {
        c.family = Family::GptNeo;
        read_gpt_neo(j, source, c);
    } else if (c.model_type == "gptj") {
        c.family = Family::GptJ;
        read_gptj(j, source, c);
    } else if (c.model_type == "llama" || c.model_type == "mistral" || c.model_type == "qwen2") {
        c.family = Family::Llama;
        read_llama(j, source, c);
    } else {
        throw FileError(source, "model_type is \"" + c.model_type +
                                    "\"; Fabula runs \"gpt2\", \"gpt_neo\", \"gptj\", \"llama\", \"mistral\" and "
                                    "\"qwen2\" models");
    }
    read(j, {"vocab_size"}, c.vocab_size, source);
    read(j, {"tie_word_embeddings"}, c.tie_word_embeddings, source);
    read(j, {"initializer_range"}, c.initializer_range, source);
    read(j, {"torch_dtype", "dtype"}, c.torch_dtype, source);
    if (auto ids = read_ids(j, "bos_token_id", source); !ids.empty()) c.bos_token_id = ids.front();
    c.eos_token_ids = read_ids(j, "eos_token_id", source);
    if (c.eos_token_ids.empty() && !j.contains("eos_token_id") && c.eos_token_id >= 0)
        c.eos_token_ids = {c.eos_token_id};
    // No end id in the config (Qwen2's default): the tokenizer's end-of-text stops generation.
    c.eos_token_id = c.eos_token_ids.empty() ? -1 : c.eos_token_ids.front();
    c.source = j;

    require_range(source, "n_layer", c.n_layer, 1, 256);
    require_range(source, "n_head", c.n_head, 1, 1024);
    require_range(source, "num_key_value_heads", c.n_kv_head, 0, 1024);
    require_range(source, "n_embd", c.n_embd, 1, 65536);
    require_range(source, "n_inner", c.n_inner, 0, 1 << 20);
    require_range(source, "head_dim", c.head_dim_override, 0, 4096);
    require_range(source, "rotary_dim", c.rotary_dim, 0, 4096);
    require_range(source, "n_positions", c.n_positions, 1, 1 << 20);
    require_range(source, "vocab_size", c.vocab_size, 1, 1 << 24);
    if (c.head_dim_override == 0 && c.n_embd % c.n_head != 0)
        throw FileError(source, "n_embd (" + std::to_string(c.n_embd) + ") is not a multiple of n_head (" +
                                    std::to_string(c.n_head) + ")");
    if (c.n_head % c.kv_heads() != 0)
        throw FileError(source, "num_attention_heads (" + std::to_string(c.n_head) +
                                    ") is not a multiple of num_key_value_heads (" + std::to_string(c.kv_heads()) + ")");
    if (c.rotary_dim > c.head_dim() || c.rotary_dim % 2 != 0)
        throw FileError(source, "rotary_dim (" + std::to_string(c.rotary_dim) + ") must be even and at most the head size (" +
                                    std::to_string(c.head_dim()) + ")");
    if (c.uses_rope() && c.head_dim() % 2 != 0) throw FileError(source, "the head size must be even for rotary positions");
    if (!(c.layer_norm_epsilon > 0 && c.layer_norm_epsilon < 1))
        throw FileError(source, "layer_norm_epsilon must be between 0 and 1");
    // Training would fail on these deep inside torch, long after loading.
    for (const auto& [key, p] : {std::pair{"embd_pdrop", c.embd_pdrop}, std::pair{"attn_pdrop", c.attn_pdrop},
                                 std::pair{"resid_pdrop", c.resid_pdrop}})
        if (!(p >= 0 && p <= 1))
            throw FileError(source, std::string("\"") + key + "\" is " + nlohmann::json(p).dump() +
                                        ", expected a dropout probability 0..1");
    if (!(c.initializer_range >= 0 && c.initializer_range < 1))
        throw FileError(source, "initializer_range must be between 0 and 1");
    static const char* const activations[] = {"gelu_new", "gelu", "gelu_pytorch_tanh", "relu", "gelu_fast",
                                              "quick_gelu", "silu", "swish"};
    if (std::find(std::begin(activations), std::end(activations), c.activation) == std::end(activations))
        throw FileError(source, "activation_function \"" + c.activation + "\" is not supported");
    return c;
}

ModelConfig ModelConfig::from_file(const std::filesystem::path& config_json) {
    return from_json(read_json_file(config_json), config_json.string());
}

nlohmann::json ModelConfig::to_json() const {
    if (family != Family::Gpt2) {
        // The folder's own config.json, so every field transformers reads
        // (and Fabula does not) survives a fine-tune; the weights are fp32.
        nlohmann::json j = source;
        if (j.contains("torch_dtype")) j["torch_dtype"] = "float32";
        j["dtype"] = "float32";
        return j;
    }
    nlohmann::json j = {
        {"architectures", {"GPT2LMHeadModel"}},
        {"model_type", "gpt2"},
        {"n_layer", n_layer},
        {"n_head", n_head},
        {"n_embd", n_embd},
        {"n_inner", n_inner > 0 ? nlohmann::json(n_inner) : nlohmann::json(nullptr)},
        {"n_positions", n_positions},
        {"n_ctx", n_positions},
        {"vocab_size", vocab_size},
        {"layer_norm_epsilon", layer_norm_epsilon},
        {"activation_function", activation},
        {"tie_word_embeddings", tie_word_embeddings},
        {"scale_attn_weights", scale_attn_weights},
        {"scale_attn_by_inverse_layer_idx", scale_attn_by_inverse_layer_idx},
        {"reorder_and_upcast_attn", false},
        {"bos_token_id", bos_token_id},
        // None in the file stays None: -1 is only Fabula's "no end id".
        {"eos_token_id", eos_token_ids.size() > 1    ? nlohmann::json(eos_token_ids)
                         : eos_token_ids.empty() ? nlohmann::json(nullptr)
                                                 : nlohmann::json(eos_token_id)},
        {"embd_pdrop", embd_pdrop},
        {"attn_pdrop", attn_pdrop},
        {"resid_pdrop", resid_pdrop},
        {"initializer_range", initializer_range},
        {"summary_type", "cls_index"},
        {"summary_use_proj", true},
        {"summary_proj_to_labels", true},
        {"summary_first_dropout", 0.1},
        {"use_cache", true},
        {"torch_dtype", "float32"},
    };
    return j;
}

GenerationDefaults GenerationDefaults::from_file(const std::filesystem::path& path) {
    return from_json(read_json_file(path), path.string());
}

GenerationDefaults GenerationDefaults::from_json(const nlohmann::json& j, const std::string& source) {
    GenerationDefaults g;
    if (!j.is_object()) throw FileError(source, "not a JSON object");
    auto opt = [&](const char* key, auto& out) {
        using T = typename std::remove_reference_t<decltype(out)>::value_type;
        T v{};
        if (read(j, {key}, v, source)) out = v;
    };
    opt("do_sample", g.do_sample);
    opt("temperature", g.temperature);
    opt("top_p", g.top_p);
    opt("repetition_penalty", g.repetition_penalty);
    opt("top_k", g.top_k);
    opt("max_new_tokens", g.max_new_tokens);
    opt("max_length", g.max_length);
    if (j.contains("eos_token_id") && j["eos_token_id"].is_number_integer()) {
        int eos = 0;
        read(j, {"eos_token_id"}, eos, source);
        g.eos_token_id = eos;
        g.eos_token_ids = {eos};
    } else if (j.contains("eos_token_id") && j["eos_token_id"].is_array()) {
        // Llama 3 and Qwen list several end ids; generation stops at any.
        g.eos_token_ids = read_ids(j, "eos_token_id", source);
    }
    return g;
}

} // namespace fabula
