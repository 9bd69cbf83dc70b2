#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "app/cli_story.h"
#include "core/lora.h"
#include "core/generator.h"

#include <chrono>
#include <cstdio>

namespace fabula::cli {

const CommandHelp& generate_help() {
    static const CommandHelp h{
        "generate", "continue a story (streams the continuation; --json prints ids, the prompt's parts and timings); "
                    "memory, an author's note and lore entries go into the prompt, and a long story is cut to fit",
        "  # Continue a story (streams the continuation; --json prints ids and timings)\n"
        "  fabula-cli generate --model ~/models/gpt2 --prompt \"The lighthouse keeper\" \\\n"
        "      --max-new-tokens 80 --temperature 0.8 --top-k 40 --top-p 0.95 --repetition-penalty 1.1\n"
        "  # In a voice (a LoRA adapter), or two voices mixed\n"
        "  fabula-cli generate --model ~/models/gpt2-xl --adapter ~/runs/noir/adapter --prompt \"Rain again.\"\n"
        "  fabula-cli generate --model ~/models/gpt2-xl --adapter ~/runs/noir/adapter --adapter-weight 0.6 \\\n"
        "      --adapter ~/runs/fairy/adapter --adapter-weight 0.4 --prompt \"Rain again.\"\n"
        "  # A long draft: memory, an author's note and a lorebook pinned into the prompt (--json lists each part)\n"
        "  fabula-cli generate --model ~/models/gpt2 --prompt-file chapter-12.txt \\\n"
        "      --memory \"Mara, a lighthouse keeper, writes to her lost brother.\" \\\n"
        "      --authors-note \"Melancholy, short sentences.\" --lore world.jsonl --json\n"
        "  # int8 weights: about a quarter of fp32's bytes per token (generation and evaluation only)\n"
        "  fabula-cli generate --model ~/models/gpt2-xl --precision int8 --prompt \"Rain again.\"\n"};
    return h;
}

namespace {

// Hugging Face's defaults, then the model's generation_config.json, then the flags.
std::string from_model(const std::string& hf_default) {
    return "the model's generation_config.json, else " + hf_default;
}

OptionTable sampling_option_table() {
    const SamplingSettings hf;
    return in_group("Sampling", {
        int_option<int>("max-new-tokens", "how many tokens to add at most; more than half the model's context is "
                                          "lowered to half", from_model(shown(hf.max_new_tokens)), 1, 1 << 20),
        int_option<int>("min-new-tokens", "no end-of-text before this many new tokens", shown(hf.min_new_tokens), 0,
                        1 << 20),
        number_option("temperature", "sharpens (< 1) or flattens (> 1) the choice; 0 is greedy",
                      from_model(shown(hf.temperature))),
        int_option<int>("top-k", "choose among the K likeliest tokens; 0 is off", from_model(shown(hf.top_k))),
        number_option("top-p", "choose among the likeliest tokens that make up P of the probability; 1 is off",
                      from_model(shown(hf.top_p))),
        number_option("repetition-penalty", "makes tokens already seen less likely; 1 is off",
                      from_model(shown(hf.repetition_penalty))),
        int_option<uint64_t>("seed", "the random seed of the sampler", shown(hf.seed), 0,
                             std::numeric_limits<int64_t>::max()),
        switch_option("greedy", "always take the likeliest token (no sampling)"),
        [] {
            OptionDef d = text_option("stop", "S", "stop when the continuation contains S", "none");
            d.repeatable = true;
            return d;
        }(),
    });
}

OptionTable generate_option_table() {
    return join({
        engine_option_table(),
        adapter_option_table(),
        context_option_table(),
        story_option_table(),
        in_group("Prompt and output", {
            switch_option("json", "print one JSON object: ids, text, timings, stop reason, the prompt's parts "
                                  "(\"context\") and the prompt tokens run and reused"),
        }),
        sampling_option_table(),
    });
}

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
    if (auto v = a.get_int("max-new-tokens")) s.max_new_tokens = static_cast<int>(*v);
    if (auto v = a.get_int("min-new-tokens")) s.min_new_tokens = static_cast<int>(*v);
    if (auto v = a.get_int("seed")) s.seed = static_cast<uint64_t>(*v);
    if (a.has("greedy")) s.greedy = true;
    s.stop_strings = a.all("stop");
    return s;
}

} // namespace

int generate_command(const Argv& argv) {
    Args a = parse_args(generate_help(), generate_option_table(), argv);
    const std::string story = story_text(a);
    const StoryContext story_context_flags = story_context(a);
    const ModelFolder folder = ModelFolder::inspect(a.require("model"));
    SamplingSettings settings = sampling_settings(a, folder.generation);
    const EngineOptions options = engine_options(a);
    // The context the KV cache will hold: the model's, unless memory caps it.
    const int context = CausalLM::memory_need(folder, options).context;
    if (const int clamped = Generator::clamp_max_new_tokens(settings.max_new_tokens, context);
        clamped != settings.max_new_tokens) {
        const std::string source = a.has("max-new-tokens")        ? "--max-new-tokens"
                                   : folder.generation.max_new_tokens ? "max_new_tokens in generation_config.json"
                                                                      : "the default max new tokens";
        std::string note = source + " " + std::to_string(settings.max_new_tokens) +
                           " is more than half the model's context of " + std::to_string(context) +
                           " tokens, so it is lowered to " + std::to_string(clamped);
        if (settings.min_new_tokens > clamped) note += " (and --min-new-tokens with it)";
        std::fprintf(stderr, "fabula-cli generate: %s\n", note.c_str());
        settings.max_new_tokens = clamped;
        settings.min_new_tokens = std::min(settings.min_new_tokens, clamped);
    }
    settings.validate();
    Tokenizer tokenizer = folder.load_tokenizer();
    // Refuses (UsageError, exit 2) when memory and the note alone do not fit.
    const BuiltPrompt built =
        build_story_prompt(a, tokenizer, story, story_context_flags, context, settings.max_new_tokens);
    if (built.ids.empty()) throw UsageError("the prompt is empty: give the model some text to continue");

    const auto load_start = std::chrono::steady_clock::now();
    const std::vector<AdapterChoice> adapters = adapter_choices(a);
    for (const AdapterChoice& c : adapters) AdapterFolder::inspect(c.dir).check_fits(folder); // before the load
    auto model = CausalLM::load(folder, options);
    if (!adapters.empty()) model->set_adapters(adapters);
    const double ms_to_load =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start).count();
    Generator generator(*model, tokenizer);
    const bool json = a.has("json");
    GenerationResult r = generator.generate(built.ids, settings, [&](std::string_view piece) {
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
            {"max_new_tokens", settings.max_new_tokens},
            {"context", context_json(built)},
            {"prompt_budget", built.budget},
            {"prompt_tokens_processed", r.prompt_tokens_processed},
            {"prompt_tokens_reused", r.prompt_tokens_reused},
        };
        std::puts(dump(out).c_str());
    } else {
        std::fputc('\n', stdout);
    }
    return 0;
}

} // namespace fabula::cli
