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
    if (!fs::exists(config)) throw FileError(config.string(), "missing: a model folder needs config.json");
    f.config = ModelConfig::from_file(config);
    f.weights = dir / "model.safetensors";
    if (!fs::exists(f.weights) && fs::exists(dir / "model.safetensors.index.json"))
        f.weights = dir / "model.safetensors.index.json";
    if (!fs::exists(f.weights)) {
        if (fs::exists(dir / "pytorch_model.bin") || fs::exists(dir / "pytorch_model.bin.index.json"))
            throw FileError(f.weights.string(), "missing: this folder has only pytorch_model.bin; save the model "
                                                "with safe_serialization (model.safetensors)");
        throw FileError(f.weights.string(), "missing: a model folder needs model.safetensors "
                                            "(or model.safetensors.index.json and its shards)");
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

} // namespace fabula
