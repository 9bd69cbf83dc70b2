#pragma once
// A Hugging Face GPT-2 folder: config.json, model.safetensors, the tokenizer
// files and, optionally, generation_config.json. Inspecting it checks that all
// parts are there and agree, before any weight is loaded.
#include "core/model_config.h"
#include "core/safetensors.h"
#include "core/tokenizer.h"

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace fabula {

struct ModelFolder {
    std::filesystem::path dir;
    ModelConfig config;
    GenerationDefaults generation; // empty when there is no generation_config.json
    std::filesystem::path weights; // model.safetensors

    // Throws FileError naming the file and the problem.
    static ModelFolder inspect(const std::filesystem::path& dir);
    // Loads the tokenizer and checks it fits the model (every id < vocab_size).
    Tokenizer load_tokenizer() const;
};

// The tensors of one transformer block, in the layout of the file (Conv1D:
// weights are [in, out]).
struct BlockTensors {
    const TensorInfo *ln_1_w, *ln_1_b, *c_attn_w, *c_attn_b, *attn_proj_w, *attn_proj_b;
    const TensorInfo *ln_2_w, *ln_2_b, *c_fc_w, *c_fc_b, *mlp_proj_w, *mlp_proj_b;
};

struct Gpt2Tensors {
    const TensorInfo *wte, *wpe, *ln_f_w, *ln_f_b;
    const TensorInfo* lm_head; // nullptr when tied to wte
    std::vector<BlockTensors> blocks;
};

// Finds every GPT-2 tensor under either key layout (transformers'
// "transformer." prefix, or the published checkpoints' bare names) and checks
// its shape against the config. Throws FileError for a missing or misshaped tensor.
Gpt2Tensors resolve_gpt2_tensors(const SafetensorsFile& file, const ModelConfig& config);

} // namespace fabula
