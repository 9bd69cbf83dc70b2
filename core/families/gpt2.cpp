// GPT-2 (Radford et al. 2019): learned positions, pre-LayerNorm blocks,
// fused q/k/v, tanh-GELU MLP, output layer tied to the token embedding.
#include "core/nn.h"

#include <cmath>

namespace fabula::nn {

namespace {

struct Block {
    at::Tensor ln_1_w, ln_1_b, ln_2_w, ln_2_b;
    Linear c_attn, attn_proj, c_fc, mlp_proj;
};

class Gpt2 final : public Network {
public:
    Gpt2(const ModelConfig& c, const Weights& w) : c_(c) {
        wte_ = w["transformer.wte.weight"];
        wpe_ = w["transformer.wpe.weight"];
        for (int i = 0; i < c.n_layer; ++i) {
            const std::string p = "transformer.h." + std::to_string(i) + ".";
            h_.push_back({w[p + "ln_1.weight"], w[p + "ln_1.bias"], w[p + "ln_2.weight"], w[p + "ln_2.bias"],
                          w.linear(p + "attn.c_attn"), w.linear(p + "attn.c_proj"), w.linear(p + "mlp.c_fc"),
                          w.linear(p + "mlp.c_proj")});
        }
        ln_f_w_ = w["transformer.ln_f.weight"];
        ln_f_b_ = w["transformer.ln_f.bias"];
        lm_head_ = c.tie_word_embeddings ? w.tied_head(tied_embedding_name(c)) : w.linear("lm_head");
    }

    at::Tensor hidden_states(const at::Tensor& ids, KVCache* cache, const Dropout* drop) const override {
        const int64_t T = ids.size(1), past = cache ? cache->length : 0;
        const auto act = ln_f_w_.scalar_type();
        at::Tensor pos = at::arange(past, past + T, ids.options());
        at::Tensor x = at::embedding(wte_, ids).to(act) + at::embedding(wpe_, pos).to(act); // (B, T, C)
        if (drop) x = dropout(x, drop->embd);
        const double eps = c_.layer_norm_epsilon;
        for (int l = 0; l < c_.n_layer; ++l) {
            const Block& b = h_[size_t(l)];
            at::Tensor a = attention_block(b, l, layer_norm(x, b.ln_1_w, b.ln_1_b, eps), cache, drop);
            x = x + (drop ? dropout(a, drop->resid) : a);
            at::Tensor m = b.mlp_proj(activation(b.c_fc(layer_norm(x, b.ln_2_w, b.ln_2_b, eps)), c_.activation));
            x = x + (drop ? dropout(m, drop->resid) : m);
        }
        if (cache) cache->length = past + T;
        return layer_norm(x, ln_f_w_, ln_f_b_, eps);
    }

    at::Tensor logits(const at::Tensor& hidden) const override { return lm_head_(hidden); }

private:
    // Causal self-attention. x: (B, T, C) -> (B, T, C).
    at::Tensor attention_block(const Block& b, int layer, const at::Tensor& x, KVCache* cache,
                               const Dropout* drop) const {
        const int64_t B = x.size(0), T = x.size(1), C = x.size(2), H = c_.n_head, D = C / H;
        auto qkv = b.c_attn(x).split(C, -1); // 3 x (B, T, C)
        auto heads = [&](const at::Tensor& t) { return t.view({B, T, H, D}).transpose(1, 2); }; // (B, H, T, D)
        double scale = c_.scale_attn_weights ? 1.0 / std::sqrt(double(D)) : 1.0;
        if (c_.scale_attn_by_inverse_layer_idx) scale /= double(layer + 1);
        at::Tensor y = attention(heads(qkv[0]), heads(qkv[1]), heads(qkv[2]), cache, layer, 0, scale,
                                 drop ? drop->attn : 0.0);
        return b.attn_proj(y);
    }

    ModelConfig c_;
    at::Tensor wte_, wpe_, ln_f_w_, ln_f_b_;
    Linear lm_head_;
    std::vector<Block> h_;
};

} // namespace

std::unique_ptr<Network> make_gpt2(const ModelConfig& c, const Weights& w) { return std::make_unique<Gpt2>(c, w); }

} // namespace fabula::nn
