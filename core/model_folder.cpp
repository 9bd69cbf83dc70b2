#include "core/model_folder.h"

#include "core/error.h"

#include <nlohmann/json.hpp>

namespace fabula {

namespace fs = std::filesystem;

ModelFolder ModelFolder::inspect(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw FileError(dir.string(), "is not a folder");
    ModelFolder f;
    f.dir = dir;
    const fs::path config = dir / "config.json";
    if (!fs::exists(config)) throw FileError(config.string(), "missing: a GPT-2 model folder needs config.json");
    f.config = ModelConfig::from_file(config);
    f.weights = dir / "model.safetensors";
    if (!fs::exists(f.weights)) {
        if (fs::exists(dir / "pytorch_model.bin"))
            throw FileError(f.weights.string(), "missing: this folder has only pytorch_model.bin; save the model "
                                                "with safe_serialization (model.safetensors)");
        throw FileError(f.weights.string(), "missing: a GPT-2 model folder needs model.safetensors");
    }
    if (fs::exists(dir / "generation_config.json"))
        f.generation = GenerationDefaults::from_file(dir / "generation_config.json");
    return f;
}

Tokenizer ModelFolder::load_tokenizer() const {
    Tokenizer t = Tokenizer::from_dir(dir);
    if (t.vocab_size() > config.vocab_size)
        throw FileError(t.source(), "the tokenizer has " + std::to_string(t.vocab_size()) +
                                        " tokens but the model only " + std::to_string(config.vocab_size) +
                                        " (config.json vocab_size): they do not belong together");
    return t;
}

namespace {

struct Resolver {
    const SafetensorsFile& file;
    const ModelConfig& config;

    const TensorInfo* find(const std::string& name) const {
        if (auto* t = file.find("transformer." + name)) return t;
        return file.find(name);
    }

    const TensorInfo* get(const std::string& name, std::vector<int64_t> shape) const {
        const TensorInfo* t = find(name);
        if (!t) throw FileError(file.path(), "missing tensor '" + name + "'");
        if (t->shape != shape) {
            auto str = [](const std::vector<int64_t>& s) {
                std::string r = "[";
                for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
                return r + "]";
            };
            throw FileError(file.path(), "tensor '" + name + "' has shape " + str(t->shape) + ", config.json needs " +
                                             str(shape));
        }
        return t;
    }
};

} // namespace

Gpt2Tensors resolve_gpt2_tensors(const SafetensorsFile& file, const ModelConfig& c) {
    Resolver r{file, c};
    const int64_t C = c.n_embd, I = c.inner(), V = c.vocab_size, P = c.n_positions;
    Gpt2Tensors t{};
    t.wte = r.get("wte.weight", {V, C});
    t.wpe = r.get("wpe.weight", {P, C});
    t.ln_f_w = r.get("ln_f.weight", {C});
    t.ln_f_b = r.get("ln_f.bias", {C});
    t.lm_head = nullptr;
    if (!c.tie_word_embeddings) {
        t.lm_head = file.find("lm_head.weight");
        if (!t.lm_head) throw FileError(file.path(), "missing tensor 'lm_head.weight' (tie_word_embeddings is false)");
        if (t.lm_head->shape != std::vector<int64_t>{V, C})
            throw FileError(file.path(), "tensor 'lm_head.weight' does not have shape [vocab_size, n_embd]");
    }
    for (int i = 0; i < c.n_layer; ++i) {
        const std::string p = "h." + std::to_string(i) + ".";
        BlockTensors b{};
        b.ln_1_w = r.get(p + "ln_1.weight", {C});
        b.ln_1_b = r.get(p + "ln_1.bias", {C});
        b.c_attn_w = r.get(p + "attn.c_attn.weight", {C, 3 * C});
        b.c_attn_b = r.get(p + "attn.c_attn.bias", {3 * C});
        b.attn_proj_w = r.get(p + "attn.c_proj.weight", {C, C});
        b.attn_proj_b = r.get(p + "attn.c_proj.bias", {C});
        b.ln_2_w = r.get(p + "ln_2.weight", {C});
        b.ln_2_b = r.get(p + "ln_2.bias", {C});
        b.c_fc_w = r.get(p + "mlp.c_fc.weight", {C, I});
        b.c_fc_b = r.get(p + "mlp.c_fc.bias", {I});
        b.mlp_proj_w = r.get(p + "mlp.c_proj.weight", {I, C});
        b.mlp_proj_b = r.get(p + "mlp.c_proj.bias", {C});
        t.blocks.push_back(b);
    }
    return t;
}

} // namespace fabula
