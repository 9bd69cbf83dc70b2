// A prompt's time to first token in one process, many times over: the
// whole engine (GEMMs, attention, norms, activations) on one prompt, without
// each run's start-up and load, for A/B comparisons of engine changes on a
// noisy machine (bench/run.py decode is the side-by-side record).
//
//   fabula-prompt-bench MODEL_DIR PROMPT_FILE [precision: fp32|bf16|fp16|int8] [runs] [threads] [prompt chunk]
#include "core/causal_lm.h"
#include "core/generator.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace fabula;
    if (argc < 3) {
        std::fprintf(stderr, "usage: fabula-prompt-bench MODEL_DIR PROMPT_FILE [precision] [runs] [threads] [prompt chunk]\n");
        return 2;
    }
    std::ifstream in(argv[2]);
    std::stringstream text;
    text << in.rdbuf();
    const std::string precision = argc > 3 ? argv[3] : "fp32";
    const int runs = argc > 4 ? std::atoi(argv[4]) : 10;
    EngineOptions options;
    options.precision = parse_precision(precision);
    options.device = DeviceKind::CPU;
    options.threads = argc > 5 ? std::atoi(argv[5]) : 2;
    const ModelFolder folder = ModelFolder::inspect(argv[1]);
    auto model = CausalLM::load(folder, options);
    const Tokenizer tokenizer = folder.load_tokenizer();
    Generator generator(*model, tokenizer);
    if (argc > 6) generator.prompt_chunk = std::atoi(argv[6]); // 0: the default for the model
    const std::vector<int32_t> ids = tokenizer.encode(text.str());
    SamplingSettings settings;
    settings.greedy = true;
    settings.max_new_tokens = 1;
    std::vector<double> ms;
    for (int r = 0; r <= runs; ++r) {
        model->reset();
        const GenerationResult g = generator.generate(ids, settings);
        if (r > 0) ms.push_back(g.ms_to_first_token); // the first pays libtorch's set-up
        if (std::getenv("FABULA_BENCH_VERBOSE")) std::fprintf(stderr, "%.1f ms\n", g.ms_to_first_token);
    }
    std::sort(ms.begin(), ms.end());
    std::printf("prompt %zu tokens, %s: best %.0f tok/s, median %.0f tok/s (%d runs)\n", ids.size(), precision.c_str(),
                double(ids.size()) * 1000.0 / ms.front(), double(ids.size()) * 1000.0 / ms[ms.size() / 2], runs);
    return 0;
}
