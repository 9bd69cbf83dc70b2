#pragma once
// The GPT-2 forward pass as equations, shared by inference (KV cache, no
// grad) and training (autograd, dropout). Internal: includes ATen, so only
// the engine's and trainer's .cpp files include it.
#include "core/model_config.h"
#include "core/model_folder.h"

#include <ATen/ATen.h>

#include <functional>
#include <vector>

namespace fabula::gpt2 {

// Linear weights are stored [out, in] (nn.Linear's layout); the files' Conv1D
// layout [in, out] is transposed once at load and back at export.
struct Block {
    at::Tensor ln_1_w, ln_1_b;
    at::Tensor c_attn_w, c_attn_b;   // [3C, C], [3C]
    at::Tensor attn_proj_w, attn_proj_b; // [C, C], [C]
    at::Tensor ln_2_w, ln_2_b;
    at::Tensor c_fc_w, c_fc_b;       // [4C, C], [4C]
    at::Tensor mlp_proj_w, mlp_proj_b; // [C, 4C], [C]
};

struct Weights {
    at::Tensor wte; // [V, C], also the lm_head when tied
    at::Tensor wpe; // [P, C]
    std::vector<Block> h;
    at::Tensor ln_f_w, ln_f_b;
    at::Tensor lm_head; // undefined when tied to wte

    const at::Tensor& output_embedding() const { return lm_head.defined() ? lm_head : wte; }
    // Every parameter with its Hugging Face name (without "transformer.").
    std::vector<std::pair<std::string, at::Tensor*>> named();
};

// Keys and values of every layer for positions [0, length): [B, H, T_max, D].
struct KVCache {
    std::vector<at::Tensor> k, v;
    int64_t length = 0;
};

struct Dropout {
    double embd = 0, attn = 0, resid = 0;
};

// ids: (B, T) int64. With a cache, the T tokens follow its `length` tokens and
// are appended to it. Returns the final hidden states (B, T, C) after ln_f.
at::Tensor hidden_states(const Weights& w, const ModelConfig& c, const at::Tensor& ids, KVCache* cache,
                         const Dropout* dropout);

// Logits (B, T, V) from hidden states.
at::Tensor logits(const Weights& w, const at::Tensor& hidden);

// Reads every tensor of a checked folder. Matrices (linear weights and
// embeddings) become `matrix_type`, norms and biases `vector_type`.
Weights load_weights(const ModelFolder& folder, at::ScalarType matrix_type, at::ScalarType vector_type,
                     const at::Device& device, const std::function<void(double)>& progress = {});

} // namespace fabula::gpt2
