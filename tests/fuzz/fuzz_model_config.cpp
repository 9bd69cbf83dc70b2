// config.json (core/model_config.h). An accepted config has every value in
// the range ModelConfig::from_json promises, holds exactly the numbers the
// file wrote (nothing truncated or wrapped into range), and reads back the
// same from what to_json() writes.
#include "core/json_file.h"
#include "core/model_config.h"
#include "fuzz_support.h"

#include <initializer_list>

using namespace fabula;
using nlohmann::json;

namespace {

// The value the file gives for the first present alias, as from_json reads them.
const json* given(const json& j, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        if (auto it = j.find(k); it != j.end() && !it->is_null()) return &*it;
    return nullptr;
}

void same_number(const json& j, std::initializer_list<const char*> keys, double value) {
    if (const json* v = given(j, keys)) FUZZ_CHECK(v->is_number() && v->get<double>() == value);
}

void same_bool(const json& j, const char* key, bool value) {
    if (const json* v = given(j, {key})) FUZZ_CHECK(v->is_boolean() && v->get<bool>() == value);
}

bool in(double v, double lo, double hi) { return v >= lo && v <= hi; }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string name = "config.json";
    const auto text = fabula_fuzz::as_text(data, size);
    std::optional<json> j;
    const auto c = fabula_fuzz::accepted(
        [&] {
            j = parse_json_text(text, name);
            return ModelConfig::from_json(*j, name);
        },
        name);
    if (!c) return 0;

    FUZZ_CHECK(in(c->n_layer, 1, 256) && in(c->n_head, 1, 1024) && in(c->n_embd, 1, 65536));
    FUZZ_CHECK(in(c->n_inner, 0, 1 << 20) && in(c->n_positions, 1, 1 << 20) && in(c->vocab_size, 1, 1 << 24));
    if (c->head_dim_override == 0) FUZZ_CHECK(c->n_embd % c->n_head == 0 && c->head_dim() * c->n_head == c->n_embd);
    FUZZ_CHECK(c->head_dim() > 0 && c->kv_heads() > 0 && c->n_head % c->kv_heads() == 0);
    FUZZ_CHECK(c->rotary_dim >= 0 && c->rotary_dim <= c->head_dim() && c->rotary_dim % 2 == 0);
    FUZZ_CHECK(c->attention_window.empty() || int(c->attention_window.size()) == c->n_layer);
    for (int w : c->attention_window) FUZZ_CHECK(w >= 0);
    FUZZ_CHECK(c->inner() > 0);
    FUZZ_CHECK(c->layer_norm_epsilon > 0 && c->layer_norm_epsilon < 1);
    for (double p : {c->embd_pdrop, c->attn_pdrop, c->resid_pdrop}) FUZZ_CHECK(in(p, 0, 1));
    FUZZ_CHECK(c->parameter_count() > 0);
    FUZZ_CHECK(c->eos_token_ids.empty() ? c->eos_token_id == -1 : c->eos_token_id == c->eos_token_ids.front());
    for (int id : c->eos_token_ids) FUZZ_CHECK(id >= 0);
    if (c->uses_rope()) FUZZ_CHECK(c->rope.theta > 0 && c->rope.factor >= 1);

    same_number(*j, {"vocab_size"}, c->vocab_size);
    if (j->contains("eos_token_id") && j->at("eos_token_id").is_number()) same_number(*j, {"eos_token_id"}, c->eos_token_id);
    same_bool(*j, "tie_word_embeddings", c->tie_word_embeddings);
    if (c->family == Family::Gpt2) {
        same_number(*j, {"n_layer", "num_hidden_layers"}, c->n_layer);
        same_number(*j, {"n_head", "num_attention_heads"}, c->n_head);
        same_number(*j, {"n_embd", "hidden_size"}, c->n_embd);
        same_number(*j, {"n_inner"}, c->n_inner);
        same_number(*j, {"n_positions", "n_ctx", "max_position_embeddings"}, c->n_positions);
        same_number(*j, {"layer_norm_epsilon"}, c->layer_norm_epsilon);
        same_number(*j, {"bos_token_id"}, c->bos_token_id);
        same_number(*j, {"embd_pdrop"}, c->embd_pdrop);
        same_number(*j, {"attn_pdrop"}, c->attn_pdrop);
        same_number(*j, {"resid_pdrop"}, c->resid_pdrop);
        same_bool(*j, "scale_attn_weights", c->scale_attn_weights);
        same_bool(*j, "scale_attn_by_inverse_layer_idx", c->scale_attn_by_inverse_layer_idx);
    } else if (c->family == Family::Llama) {
        same_number(*j, {"num_hidden_layers"}, c->n_layer);
        same_number(*j, {"num_attention_heads"}, c->n_head);
        same_number(*j, {"hidden_size"}, c->n_embd);
        same_number(*j, {"rms_norm_eps"}, c->layer_norm_epsilon);
    }

    // What Fabula writes into a run's model folder reads back as the same model.
    const ModelConfig back = ModelConfig::from_json(c->to_json(), "written config.json");
    FUZZ_CHECK(back.to_json() == c->to_json());
    FUZZ_CHECK(back.parameter_count() == c->parameter_count());
    return 0;
}
