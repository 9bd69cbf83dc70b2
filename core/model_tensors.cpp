#include "core/model_tensors.h"

#include <cmath>

namespace fabula {

int64_t TensorSpec::numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

std::vector<int64_t> TensorSpec::file_shape() const {
    if (!file_transposed || shape.size() != 2) return shape;
    return {shape[1], shape[0]};
}

std::vector<std::string> tensor_name_aliases(const std::string& name) {
    const std::string prefix = "transformer.";
    if (name.rfind(prefix, 0) == 0) return {name.substr(prefix.size())};
    return {};
}

namespace {

using Kind = TensorSpec::Kind;
using Init = TensorSpec::Init;

// Builds one family's table with the HF Trainer's decay rule and
// transformers' _init_weights for each kind.
struct Table {
    double std;
    std::vector<TensorSpec> t;

    void embedding(std::string name, int64_t rows, int64_t cols) {
        t.push_back({std::move(name), {rows, cols}, Kind::Embedding, false, true, Init::Normal, std});
    }
    void linear(const std::string& name, int64_t out, int64_t in, bool bias, double init_std = 0,
                bool conv1d = false) {
        t.push_back({name + ".weight", {out, in}, Kind::Linear, conv1d, true, Init::Normal, init_std > 0 ? init_std : std});
        if (bias) t.push_back({name + ".bias", {out}, Kind::Vector, false, false, Init::Zeros, 0});
    }
    void layer_norm(const std::string& name, int64_t n) {
        t.push_back({name + ".weight", {n}, Kind::Vector, false, false, Init::Ones, 0});
        t.push_back({name + ".bias", {n}, Kind::Vector, false, false, Init::Zeros, 0});
    }
    void rms_norm(const std::string& name, int64_t n) {
        t.push_back({name + ".weight", {n}, Kind::Vector, false, false, Init::Ones, 0});
    }
    void lm_head(const ModelConfig& c, bool bias = false) {
        if (!c.tie_word_embeddings) linear("lm_head", c.vocab_size, c.n_embd, bias);
    }
};

// GPT-2: Conv1D projections, stored [in, out]; the residual projections
// start smaller (1/sqrt(2 * n_layer)) as in the GPT-2 paper.
std::vector<TensorSpec> gpt2_table(const ModelConfig& c) {
    const int64_t C = c.n_embd, I = c.inner();
    const double proj_std = c.initializer_range / std::sqrt(2.0 * c.n_layer);
    Table b{c.initializer_range, {}};
    b.embedding("transformer.wte.weight", c.vocab_size, C);
    b.embedding("transformer.wpe.weight", c.n_positions, C);
    for (int i = 0; i < c.n_layer; ++i) {
        const std::string p = "transformer.h." + std::to_string(i) + ".";
        b.layer_norm(p + "ln_1", C);
        b.linear(p + "attn.c_attn", 3 * C, C, true, 0, true);
        b.linear(p + "attn.c_proj", C, C, true, proj_std, true);
        b.layer_norm(p + "ln_2", C);
        b.linear(p + "mlp.c_fc", I, C, true, 0, true);
        b.linear(p + "mlp.c_proj", C, I, true, proj_std, true);
    }
    b.layer_norm("transformer.ln_f", C);
    b.lm_head(c);
    return b.t;
}

// GPT-Neo: nn.Linear q/k/v without bias, out_proj with one.
std::vector<TensorSpec> gpt_neo_table(const ModelConfig& c) {
    const int64_t C = c.n_embd, I = c.inner();
    Table b{c.initializer_range, {}};
    b.embedding("transformer.wte.weight", c.vocab_size, C);
    b.embedding("transformer.wpe.weight", c.n_positions, C);
    for (int i = 0; i < c.n_layer; ++i) {
        const std::string p = "transformer.h." + std::to_string(i) + ".";
        b.layer_norm(p + "ln_1", C);
        b.linear(p + "attn.attention.k_proj", C, C, false);
        b.linear(p + "attn.attention.v_proj", C, C, false);
        b.linear(p + "attn.attention.q_proj", C, C, false);
        b.linear(p + "attn.attention.out_proj", C, C, true);
        b.layer_norm(p + "ln_2", C);
        b.linear(p + "mlp.c_fc", I, C, true);
        b.linear(p + "mlp.c_proj", C, I, true);
    }
    b.layer_norm("transformer.ln_f", C);
    b.lm_head(c);
    return b.t;
}

// GPT-J: one LayerNorm per block feeding attention and MLP in parallel,
// bias-free attention projections, an untied output layer with a bias.
std::vector<TensorSpec> gptj_table(const ModelConfig& c) {
    const int64_t C = c.n_embd, I = c.inner();
    Table b{c.initializer_range, {}};
    b.embedding("transformer.wte.weight", c.vocab_size, C);
    for (int i = 0; i < c.n_layer; ++i) {
        const std::string p = "transformer.h." + std::to_string(i) + ".";
        b.layer_norm(p + "ln_1", C);
        b.linear(p + "attn.k_proj", C, C, false);
        b.linear(p + "attn.v_proj", C, C, false);
        b.linear(p + "attn.q_proj", C, C, false);
        b.linear(p + "attn.out_proj", C, C, false);
        b.linear(p + "mlp.fc_in", I, C, true);
        b.linear(p + "mlp.fc_out", C, I, true);
    }
    b.layer_norm("transformer.ln_f", C);
    // Tied, the output layer shares the embedding but keeps its own bias.
    if (c.tie_word_embeddings)
        b.t.push_back({"lm_head.bias", {c.vocab_size}, Kind::Vector, false, false, Init::Zeros, 0});
    else
        b.lm_head(c, /*bias=*/true);
    return b.t;
}

// Llama, Mistral, Qwen2: RMSNorm, grouped-query attention, SwiGLU.
std::vector<TensorSpec> llama_table(const ModelConfig& c) {
    const int64_t C = c.n_embd, I = c.inner(), D = c.head_dim(), H = c.n_head, KV = c.kv_heads();
    Table b{c.initializer_range, {}};
    b.embedding("model.embed_tokens.weight", c.vocab_size, C);
    for (int i = 0; i < c.n_layer; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        b.rms_norm(p + "input_layernorm", C);
        b.linear(p + "self_attn.q_proj", H * D, C, c.qkv_bias);
        b.linear(p + "self_attn.k_proj", KV * D, C, c.qkv_bias);
        b.linear(p + "self_attn.v_proj", KV * D, C, c.qkv_bias);
        b.linear(p + "self_attn.o_proj", C, H * D, c.o_bias);
        b.rms_norm(p + "post_attention_layernorm", C);
        b.linear(p + "mlp.gate_proj", I, C, c.mlp_bias);
        b.linear(p + "mlp.up_proj", I, C, c.mlp_bias);
        b.linear(p + "mlp.down_proj", C, I, c.mlp_bias);
    }
    b.rms_norm("model.norm", C);
    b.lm_head(c);
    return b.t;
}

} // namespace

std::vector<TensorSpec> tensor_table(const ModelConfig& c) {
    switch (c.family) {
    case Family::Gpt2: return gpt2_table(c);
    case Family::GptNeo: return gpt_neo_table(c);
    case Family::GptJ: return gptj_table(c);
    case Family::Llama: return llama_table(c);
    }
    return {};
}

} // namespace fabula
