#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "core/generator.h"

#include <chrono>
#include <cstdio>

namespace fabula::cli {

namespace {

// Hugging Face's defaults, then the checkpoint's generation_config.json, then flags.
SamplingSettings sampling_settings(const Args& a, const GenerationDefaults& g) {
    SamplingSettings s;
    if (g.do_sample && !*g.do_sample) s.greedy = true;
    if (g.temperature) s.temperature = *g.temperature;
    if (g.top_k) s.top_k = *g.top_k;
    if (g.top_p) s.top_p = *g.top_p;
    if (g.repetition_penalty) s.repetition_penalty = *g.repetition_penalty;
    if (g.max_new_tokens) s.max_new_tokens = *g.max_new_tokens;
    if (auto v = a.get_double("temperature")) {
        s.temperature = *v;
        s.greedy = false;
    }
    if (auto v = a.get_int("top-k")) s.top_k = static_cast<int>(*v);
    if (auto v = a.get_double("top-p")) s.top_p = *v;
    if (auto v = a.get_double("repetition-penalty")) s.repetition_penalty = *v;
    if (auto v = a.get_int("max-new-tokens")) {
        if (*v < 1 || *v > 1 << 20) throw UsageError("--max-new-tokens must be at least 1");
        s.max_new_tokens = static_cast<int>(*v);
    }
    if (auto v = a.get_int("min-new-tokens")) {
        if (*v < 0 || *v > 1 << 20) throw UsageError("--min-new-tokens must be 0 or more");
        s.min_new_tokens = static_cast<int>(*v);
    }
    if (auto v = a.get_int("seed")) s.seed = static_cast<uint64_t>(*v);
    if (a.has("greedy")) s.greedy = true;
    s.stop_strings = a.all("stop");
    s.validate();
    return s;
}

} // namespace

int generate_command(const Argv& argv) {
    std::set<std::string> valued = kEngineOptions;
    valued.insert({"prompt", "max-new-tokens", "min-new-tokens", "temperature", "top-k", "top-p",
                   "repetition-penalty", "seed", "stop"});
    Args a(argv, valued, {"greedy", "json", "eot-as-text"});
    const std::string prompt = a.require("prompt");
    const ModelFolder folder = ModelFolder::inspect(a.require("model"));
    const SamplingSettings settings = sampling_settings(a, folder.generation);
    const EngineOptions options = engine_options(a);
    Tokenizer tokenizer = folder.load_tokenizer();
    const auto ids = tokenizer.encode(prompt, a.has("eot-as-text") ? Tokenizer::EndOfText::AsText
                                                                   : Tokenizer::EndOfText::Special);
    if (ids.empty()) throw UsageError("the prompt is empty: give the model some text to continue");
    if (static_cast<long long>(ids.size()) + settings.max_new_tokens > folder.config.n_positions)
        throw UsageError("the prompt (" + std::to_string(ids.size()) + " tokens) plus --max-new-tokens (" +
                         std::to_string(settings.max_new_tokens) + ") is beyond the model's context of " +
                         std::to_string(folder.config.n_positions) + " tokens");

    const auto load_start = std::chrono::steady_clock::now();
    auto model = Gpt2Model::load(folder, options);
    const double ms_to_load =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start).count();
    Generator generator(*model, tokenizer);
    const bool json = a.has("json");
    GenerationResult r = generator.generate(ids, settings, [&](std::string_view piece) {
        if (json) return;
        std::fwrite(piece.data(), 1, piece.size(), stdout);
        std::fflush(stdout);
    });
    if (json) {
        nlohmann::json out = {
            {"prompt_ids", r.prompt_ids},
            {"generated_ids", r.generated_ids},
            {"text", r.text},
            {"ms_to_first_token", r.ms_to_first_token},
            {"tokens_per_second", r.tokens_per_second},
            {"stop_reason", to_string(r.reason)},
            {"placement", model->placement().describe()},
            {"ms_to_load", ms_to_load},
        };
        std::puts(dump(out).c_str());
    } else {
        std::fputc('\n', stdout);
    }
    return 0;
}

} // namespace fabula::cli
