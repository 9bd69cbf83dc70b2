// GPT-J (Wang & Komatsuzaki 2021, EleutherAI): no learned positions but a
// rotary embedding (Su et al. 2021) on the first rotary_dim dimensions of
// each head, rotating interleaved pairs (x0, x1), (x2, x3), ...; attention
// and MLP computed in parallel from one LayerNorm, x + attn(ln(x)) + mlp(ln(x));
// an untied output layer with a bias.
#include "core/nn.h"

#include <cmath>

namespace fabula::nn {

namespace {

struct Block {
    at::Tensor ln_1_w, ln_1_b;
    Linear q_proj, k_proj, v_proj, out_proj, fc_in, fc_out;
};

// x: (..., R) -> (-x1, x0, -x3, x2, ...): each pair turned by 90 degrees.
at::Tensor rotate_every_two(const at::Tensor& x) {
    at::Tensor even = x.slice(-1, 0, c10::nullopt, 2), odd = x.slice(-1, 1, c10::nullopt, 2);
    return at::stack({-odd, even}, -1).flatten(-2);
}

class GptJ final : public Network {
public:
    GptJ(const ModelConfig& c, const Weights& w) : c_(c) {
        wte_ = w["transformer.wte.weight"];
        for (int i = 0; i < c.n_layer; ++i) {
            const std::string p = "transformer.h." + std::to_string(i) + ".";
            h_.push_back({w[p + "ln_1.weight"], w[p + "ln_1.bias"], w.linear(p + "attn.q_proj"),
                          w.linear(p + "attn.k_proj"), w.linear(p + "attn.v_proj"), w.linear(p + "attn.out_proj"),
                          w.linear(p + "mlp.fc_in"), w.linear(p + "mlp.fc_out")});
        }
        ln_f_w_ = w["transformer.ln_f.weight"];
        ln_f_b_ = w["transformer.ln_f.bias"];
        lm_head_ = c.tie_word_embeddings ? w.tied_head(tied_embedding_name(c), w["lm_head.bias"]) : w.linear("lm_head");

        // The angles of every position, computed in fp32 as transformers'
        // create_sinusoidal_positions does: position p turns pair i by
        // p / 10000^(2i / rotary_dim).
        rotary_dim_ = c.rotary_dim > 0 ? c.rotary_dim : c.head_dim();
        auto f32 = at::TensorOptions().dtype(at::kFloat);
        at::Tensor inv_freq = 1.0 / at::pow(10000.0, at::arange(0, rotary_dim_, 2, f32) / double(rotary_dim_));
        at::Tensor angles = at::arange(c.n_positions, f32).unsqueeze(1) * inv_freq.unsqueeze(0); // (P, R/2)
        sin_ = at::sin(angles).to(wte_.device());
        cos_ = at::cos(angles).to(wte_.device());
    }

    at::Tensor hidden_states(const at::Tensor& ids, KVCache* cache, const Dropout* drop) const override {
        const int64_t T = ids.size(1), past = cache ? cache->length : 0;
        const auto act = ln_f_w_.scalar_type();
        at::Tensor x = at::embedding(wte_, ids).to(act); // (B, T, C)
        if (drop) x = dropout(x, drop->embd);
        // Positions are absolute: the cached tokens come first.
        const auto [sin, cos] = rotary(past, T, act);
        const double eps = c_.layer_norm_epsilon;
        for (int l = 0; l < c_.n_layer; ++l) {
            const Block& b = h_[size_t(l)];
            at::Tensor n = layer_norm(x, b.ln_1_w, b.ln_1_b, eps);
            at::Tensor a = attention_block(b, l, n, sin, cos, cache, drop);
            at::Tensor m = b.fc_out(activation(b.fc_in(n), c_.activation));
            if (drop) a = dropout(a, drop->resid), m = dropout(m, drop->resid);
            x = x + a + m;
        }
        if (cache) cache->length = past + T;
        return layer_norm(x, ln_f_w_, ln_f_b_, eps);
    }

    at::Tensor logits(const at::Tensor& hidden) const override { return lm_head_(hidden); }

private:
    // sin and cos of positions [past, past + T), each angle repeated for
    // both members of its pair: (T, rotary_dim).
    std::pair<at::Tensor, at::Tensor> rotary(int64_t past, int64_t T, at::ScalarType type) const {
        auto pick = [&](const at::Tensor& t) { return t.narrow(0, past, T).repeat_interleave(2, -1).to(type); };
        return {pick(sin_), pick(cos_)};
    }

    // q, k: (B, H, T, D); only the first rotary_dim dimensions turn.
    at::Tensor rotate(const at::Tensor& t, const at::Tensor& sin, const at::Tensor& cos) const {
        at::Tensor rot = t.narrow(-1, 0, rotary_dim_);
        rot = rot * cos + rotate_every_two(rot) * sin;
        if (rotary_dim_ == t.size(-1)) return rot;
        return at::cat({rot, t.narrow(-1, rotary_dim_, t.size(-1) - rotary_dim_)}, -1);
    }

    // Causal self-attention with rotary positions. x: (B, T, C) -> (B, T, C).
    at::Tensor attention_block(const Block& b, int layer, const at::Tensor& x, const at::Tensor& sin,
                               const at::Tensor& cos, KVCache* cache, const Dropout* drop) const {
        const int64_t B = x.size(0), T = x.size(1), H = c_.n_head, D = c_.head_dim();
        auto heads = [&](const at::Tensor& t) { return t.view({B, T, H, D}).transpose(1, 2); }; // (B, H, T, D)
        at::Tensor q = rotate(heads(b.q_proj(x)), sin, cos), k = rotate(heads(b.k_proj(x)), sin, cos);
        at::Tensor y = attention(q, k, heads(b.v_proj(x)), cache, layer, 0, 1.0 / std::sqrt(double(D)),
                                 drop ? drop->attn : 0.0);
        return b.out_proj(y);
    }

    ModelConfig c_;
    at::Tensor wte_, ln_f_w_, ln_f_b_, sin_, cos_;
    Linear lm_head_;
    std::vector<Block> h_;
    int64_t rotary_dim_ = 0;
};

} // namespace

std::unique_ptr<Network> make_gptj(const ModelConfig& c, const Weights& w) { return std::make_unique<GptJ>(c, w); }

} // namespace fabula::nn
