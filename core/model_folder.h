#pragma once
// A Hugging Face model folder: config.json, model.safetensors (or shards and
// model.safetensors.index.json), the tokenizer files and, optionally,
// generation_config.json. Inspecting it checks that all parts are there and
// agree, before any weight is loaded.
#include "core/model_config.h"
#include "core/tokenizer.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fabula {

struct ModelFolder {
    std::filesystem::path dir;
    ModelConfig config;
    GenerationDefaults generation; // empty when there is no generation_config.json
    std::filesystem::path weights; // model.safetensors, or model.safetensors.index.json for shards

    // Throws FileError naming the file and the problem.
    static ModelFolder inspect(const std::filesystem::path& dir);
    // Loads the tokenizer and checks it fits the model (every id < vocab_size).
    Tokenizer load_tokenizer() const;
};

} // namespace fabula
