#pragma once
// Every family's tensors, listed once: name, shape from the config, what
// kind of tensor it is, whether the file stores it transposed, whether AdamW
// decays it and how a new model initialises it. Loading, checking, saving,
// initialising and the optimizer's groups are all driven by this table.
// No libtorch here, so the folder checks and the fuzzers use it too.
#include "core/model_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fabula {

struct TensorSpec {
    enum class Kind {
        Embedding, // [rows, C] looked up by id (and the tied output layer)
        Linear,    // [out, in], a projection
        Vector,    // norms and biases: kept in fp32 on the CPU
    };
    enum class Init { Normal, Zeros, Ones };

    std::string name;           // as transformers saves it
    std::vector<int64_t> shape; // in Fabula's layout: linear weights [out, in]
    Kind kind = Kind::Vector;
    bool file_transposed = false; // GPT-2's Conv1D: [in, out] in the file
    bool decay = false;           // the HF Trainer decays all but biases and norms
    Init init = Init::Zeros;
    double init_std = 0.0;        // for Init::Normal

    int64_t numel() const;
    std::vector<int64_t> file_shape() const; // the shape in a checkpoint
    bool is_matrix() const { return kind != Kind::Vector; }
};

// The table for a configuration, in the order the tensors are saved.
std::vector<TensorSpec> tensor_table(const ModelConfig& config);

// The names a checkpoint may use for `name` besides itself: the published
// GPT-2 files have no "transformer." prefix.
std::vector<std::string> tensor_name_aliases(const std::string& name);

} // namespace fabula
