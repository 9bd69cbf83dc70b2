// Llama (Touvron et al. 2023), and Mistral and Qwen2, which differ from it
// only by configuration: pre-RMSNorm blocks, rotary positions (Su et al.
// 2021) on queries and keys in the half-split layout, grouped-query attention
// (optionally within a sliding window), a SwiGLU MLP (Shazeer 2020).
// Exact to transformers' modeling_llama.py / modeling_mistral.py /
// modeling_qwen2.py and the rope init functions of modeling_rope_utils.py.
#include "core/nn.h"

#include <cmath>

namespace fabula::nn {

namespace {

struct Block {
    at::Tensor input_layernorm, post_attention_layernorm;
    Linear q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj;
};

// θ_i = base^(-2i/d), then the rope type's rescaling. The tensor operations
// are the ones transformers runs (a Python `s / t` is t.reciprocal() * s),
// so the frequencies agree to the bit.
at::Tensor inverse_frequencies(const RopeConfig& r, int dim, int max_positions) {
    const auto f32 = at::TensorOptions().dtype(at::kFloat);
    at::Tensor inv_freq = at::pow(r.theta, at::arange(0, dim, 2, f32) / double(dim)).reciprocal();
    if (r.type == "linear") return inv_freq / r.factor;
    if (r.type != "llama3") return inv_freq;
    // Llama 3.1: wavelengths beyond the original context are stretched by
    // `factor`, short ones kept, the band between interpolated smoothly.
    const double old_context = r.original_max_positions > 0 ? r.original_max_positions : max_positions;
    const double low_freq_wavelen = old_context / r.low_freq_factor;
    const double high_freq_wavelen = old_context / r.high_freq_factor;
    const at::Tensor wavelen = inv_freq.reciprocal() * (2 * M_PI);
    at::Tensor scaled = at::where(wavelen > low_freq_wavelen, inv_freq / r.factor, inv_freq);
    const at::Tensor smooth =
        (wavelen.reciprocal() * old_context - r.low_freq_factor) / (r.high_freq_factor - r.low_freq_factor);
    const at::Tensor smoothed = (1 - smooth) * scaled / r.factor + smooth * scaled;
    const at::Tensor medium = (wavelen < high_freq_wavelen).logical_not() & (wavelen > low_freq_wavelen).logical_not();
    return at::where(medium, smoothed, scaled);
}

// x (B, H, T, D) -> (-x2, x1): the second half of each head, negated, first.
at::Tensor rotate_half(const at::Tensor& x) {
    const int64_t half = x.size(-1) / 2;
    return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

at::Tensor apply_rotary(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
    return x * cos + rotate_half(x) * sin;
}

class Llama final : public Network {
public:
    Llama(const ModelConfig& c, const Weights& w) : c_(c) {
        embed_tokens_ = w["model.embed_tokens.weight"];
        for (int i = 0; i < c.n_layer; ++i) {
            const std::string p = "model.layers." + std::to_string(i) + ".";
            layers_.push_back({w[p + "input_layernorm.weight"], w[p + "post_attention_layernorm.weight"],
                               w.linear(p + "self_attn.q_proj"), w.linear(p + "self_attn.k_proj"),
                               w.linear(p + "self_attn.v_proj"), w.linear(p + "self_attn.o_proj"),
                               w.linear(p + "mlp.gate_proj"), w.linear(p + "mlp.up_proj"),
                               w.linear(p + "mlp.down_proj")});
        }
        norm_ = w["model.norm.weight"];
        lm_head_ = c.tie_word_embeddings ? w.tied_head(tied_embedding_name(c)) : w.linear("lm_head");
        // Every head dimension rotates: the three modeling files' default
        // rope ignores partial_rotary_factor (the config reader refuses it
        // for the scaled types, which transformers cannot run).
        inv_freq_ = inverse_frequencies(c.rope, c.head_dim(), c.n_positions).to(embed_tokens_.device());
        // nn.Embedding(padding_idx=pad_token_id): that row gets no gradient
        // from the lookup.
        if (auto it = c.source.find("pad_token_id"); it != c.source.end() && it->is_number_integer())
            if (int64_t id = it->get<int64_t>(); id >= 0 && id < c.vocab_size) padding_idx_ = id;
    }

    at::Tensor hidden_states(const at::Tensor& ids, KVCache* cache, const Dropout* drop) const override {
        const int64_t T = ids.size(1), past = cache ? cache->length : 0;
        const auto act = norm_.scalar_type();
        at::Tensor x = at::embedding(embed_tokens_, ids, padding_idx_).to(act); // (B, T, C)
        // cos and sin of every new position, once for all layers, in fp32.
        const at::Tensor freqs = at::arange(past, past + T, ids.options()).to(at::kFloat).unsqueeze(1) * inv_freq_;
        const at::Tensor angles = at::cat({freqs, freqs}, -1); // (T, D)
        const at::Tensor cos = angles.cos().to(act), sin = angles.sin().to(act);
        const double eps = c_.layer_norm_epsilon;
        for (int l = 0; l < c_.n_layer; ++l) {
            const Block& b = layers_[size_t(l)];
            x = x + self_attention(b, l, rms_norm(x, b.input_layernorm, eps), cos, sin, cache, drop);
            x = x + mlp(b, rms_norm(x, b.post_attention_layernorm, eps));
        }
        if (cache) cache->length = past + T;
        return rms_norm(x, norm_, eps);
    }

    at::Tensor logits(const at::Tensor& hidden) const override { return lm_head_(hidden); }

private:
    // Grouped-query attention with rotary positions. x: (B, T, C) -> (B, T, C).
    at::Tensor self_attention(const Block& b, int layer, const at::Tensor& x, const at::Tensor& cos,
                              const at::Tensor& sin, KVCache* cache, const Dropout* drop) const {
        const int64_t B = x.size(0), T = x.size(1), D = c_.head_dim();
        auto heads = [&](const at::Tensor& t) { return t.view({B, T, -1, D}).transpose(1, 2); }; // (B, H, T, D)
        const at::Tensor q = apply_rotary(heads(b.q_proj(x)), cos, sin);
        const at::Tensor k = apply_rotary(heads(b.k_proj(x)), cos, sin);
        const at::Tensor y = attention(q, k, heads(b.v_proj(x)), cache, layer, c_.window(layer),
                                       std::pow(double(D), -0.5), drop ? drop->attn : 0.0);
        return b.o_proj(y);
    }

    // SwiGLU: down(silu(gate(x)) * up(x)).
    at::Tensor mlp(const Block& b, const at::Tensor& x) const {
        return b.down_proj(activation(b.gate_proj(x), c_.activation) * b.up_proj(x));
    }

    ModelConfig c_;
    at::Tensor embed_tokens_, norm_, inv_freq_;
    Linear lm_head_;
    int64_t padding_idx_ = -1;
    std::vector<Block> layers_;
};

} // namespace

std::unique_ptr<Network> make_llama(const ModelConfig& c, const Weights& w) { return std::make_unique<Llama>(c, w); }

} // namespace fabula::nn
