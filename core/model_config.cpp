#include "core/model_config.h"

#include "core/error.h"
#include "core/json_file.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <type_traits>

namespace fabula {

namespace {

// Hugging Face names some fields twice (n_ctx / n_positions, ...): the first
// present key wins.
template <typename T>
bool read(const nlohmann::json& j, std::initializer_list<const char*> keys, T& out, const std::string& source) {
    for (const char* k : keys) {
        auto it = j.find(k);
        if (it == j.end() || it->is_null()) continue;
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

int64_t ModelConfig::parameter_count() const {
    int64_t C = n_embd, I = inner();
    int64_t per_layer = 2 * 2 * C + (C * 3 * C + 3 * C) + (C * C + C) + (C * I + I) + (I * C + C);
    int64_t n = int64_t(vocab_size) * C + int64_t(n_positions) * C + n_layer * per_layer + 2 * C;
    if (!tie_word_embeddings) n += int64_t(vocab_size) * C;
    return n;
}

ModelConfig ModelConfig::from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object()) throw FileError(source, "not a JSON object");
    ModelConfig c;
    std::string model_type;
    if (read(j, {"model_type"}, model_type, source) && model_type != "gpt2")
        throw FileError(source, "model_type is \"" + model_type + "\"; Fabula runs GPT-2 models (\"gpt2\")");
    read(j, {"n_layer", "num_hidden_layers"}, c.n_layer, source);
    read(j, {"n_head", "num_attention_heads"}, c.n_head, source);
    read(j, {"n_embd", "hidden_size"}, c.n_embd, source);
    read(j, {"n_inner"}, c.n_inner, source);
    read(j, {"n_positions", "n_ctx", "max_position_embeddings"}, c.n_positions, source);
    read(j, {"vocab_size"}, c.vocab_size, source);
    read(j, {"layer_norm_epsilon"}, c.layer_norm_epsilon, source);
    read(j, {"activation_function"}, c.activation, source);
    read(j, {"tie_word_embeddings"}, c.tie_word_embeddings, source);
    read(j, {"scale_attn_weights"}, c.scale_attn_weights, source);
    read(j, {"scale_attn_by_inverse_layer_idx"}, c.scale_attn_by_inverse_layer_idx, source);
    read(j, {"bos_token_id"}, c.bos_token_id, source);
    read(j, {"eos_token_id"}, c.eos_token_id, source);
    read(j, {"embd_pdrop"}, c.embd_pdrop, source);
    read(j, {"attn_pdrop"}, c.attn_pdrop, source);
    read(j, {"resid_pdrop"}, c.resid_pdrop, source);
    bool reorder = false;
    if (read(j, {"reorder_and_upcast_attn"}, reorder, source) && reorder) {
        // Numerically the same attention in fp32, which is what Fabula computes it in.
    }

    require_range(source, "n_layer", c.n_layer, 1, 256);
    require_range(source, "n_head", c.n_head, 1, 1024);
    require_range(source, "n_embd", c.n_embd, 1, 65536);
    require_range(source, "n_inner", c.n_inner, 0, 1 << 20);
    require_range(source, "n_positions", c.n_positions, 1, 1 << 20);
    require_range(source, "vocab_size", c.vocab_size, 1, 1 << 24);
    if (c.n_embd % c.n_head != 0)
        throw FileError(source, "n_embd (" + std::to_string(c.n_embd) + ") is not a multiple of n_head (" +
                                    std::to_string(c.n_head) + ")");
    if (!(c.layer_norm_epsilon > 0 && c.layer_norm_epsilon < 1))
        throw FileError(source, "layer_norm_epsilon must be between 0 and 1");
    // Training would fail on these deep inside torch, long after loading.
    for (const auto& [key, p] : {std::pair{"embd_pdrop", c.embd_pdrop}, std::pair{"attn_pdrop", c.attn_pdrop},
                                 std::pair{"resid_pdrop", c.resid_pdrop}})
        if (!(p >= 0 && p <= 1))
            throw FileError(source, std::string("\"") + key + "\" is " + nlohmann::json(p).dump() +
                                        ", expected a dropout probability 0..1");
    if (c.activation != "gelu_new" && c.activation != "gelu" && c.activation != "gelu_pytorch_tanh" &&
        c.activation != "relu" && c.activation != "gelu_fast" && c.activation != "quick_gelu")
        throw FileError(source, "activation_function \"" + c.activation + "\" is not supported");
    return c;
}

ModelConfig ModelConfig::from_file(const std::filesystem::path& config_json) {
    return from_json(read_json_file(config_json), config_json.string());
}

nlohmann::json ModelConfig::to_json() const {
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
        {"eos_token_id", eos_token_id},
        {"embd_pdrop", embd_pdrop},
        {"attn_pdrop", attn_pdrop},
        {"resid_pdrop", resid_pdrop},
        {"initializer_range", 0.02},
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
    }
    return g;
}

} // namespace fabula
