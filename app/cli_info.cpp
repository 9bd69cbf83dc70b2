#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "core/causal_lm.h"
#include "core/weight_files.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace fabula::cli {

const CommandHelp& info_help() {
    static const CommandHelp h{
        "info", "what a model folder holds and what running it takes here: family, size, precision, memory, context",
        "  fabula-cli info --model ~/models/TinyLlama-1.1B --json\n"};
    return h;
}

namespace {

std::string dtype_text(DType d) {
    switch (d) {
    case DType::F32: return "fp32";
    case DType::F16: return "fp16";
    case DType::BF16: return "bf16";
    }
    return "?";
}

} // namespace

// Reads only config.json and the weight files' headers: nothing is loaded.
int info_command(const Argv& argv) {
    const OptionTable table = join({
        engine_option_table("the model folder"),
        context_option_table(),
        {switch_option("json", "print one JSON object")},
    });
    Args a = parse_args(info_help(), table, argv);
    const ModelFolder folder = ModelFolder::inspect(a.require("model"));
    const ModelConfig& c = folder.config;
    const WeightFiles files(folder.weights);
    const MemoryNeed need = CausalLM::memory_need(folder, engine_options(a));
    const nlohmann::json out = {
        {"family", family_name(c.family)},
        {"model_type", c.model_type},
        {"parameters", c.parameter_count()},
        {"file_precision", dtype_text(files.main_dtype())},
        {"file_bytes", files.data_bytes()},
        {"run_precision", to_string(need.precision)},
        {"weight_bytes", need.weight_bytes},
        {"model_context", c.n_positions},
        {"context", need.context},
        {"cache_bytes", need.cache_bytes},
        {"available_bytes", need.available_bytes},
    };
    if (a.has("json")) {
        std::printf("%s\n", dump(out).c_str());
        return 0;
    }
    std::printf("%s (%s), %.2fB parameters, stored in %s\n", family_name(c.family).c_str(), c.model_type.c_str(),
                double(c.parameter_count()) / 1e9, dtype_text(files.main_dtype()).c_str());
    std::printf("runs in %s: %.2f GB of weights + %.2f GB of KV cache for %d of %d tokens of context\n",
                to_string(need.precision).c_str(), double(need.weight_bytes) / 1e9, double(need.cache_bytes) / 1e9,
                need.context, c.n_positions);
    return 0;
}

} // namespace fabula::cli
