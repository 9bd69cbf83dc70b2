// Developer commands that expose engine internals to the parity tests and
// the benchmarks: raw logits and the sampler's filtered logits, as float32
// files, and the time to first token with and without a cached prefix.
#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "app/cli_story.h"
#include "core/error.h"
#include "core/generator.h"
#include "core/sampler.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>

namespace fabula::cli {

namespace {

void write_floats(const std::string& path, const std::vector<float>& v) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
    if (!f) throw FileError(path, "cannot write");
}

std::vector<float> read_floats(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw FileError(path, "cannot open");
    std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (bytes.size() % 4) throw FileError(path, "not a float32 array");
    std::vector<float> v(bytes.size() / 4);
    std::memcpy(v.data(), bytes.data(), bytes.size());
    return v;
}

} // namespace

const CommandHelp& dev_logits_help() {
    static const CommandHelp h{
        "dev-logits", "developer: the raw logits of every position of --ids, as float32 rows in --out",
        "  fabula-cli dev-logits --model ~/models/gpt2 --ids '[7454, 2402, 257, 640]' --split 2 --out logits.f32\n"};
    return h;
}

const CommandHelp& dev_filter_help() {
    static const CommandHelp h{
        "dev-filter", "developer: the sampler's filtered logits of each float32 row of --logits, into --out",
        "  fabula-cli dev-filter --logits logits.f32 --vocab 50257 --top-k 40 --out filtered.f32\n"};
    return h;
}

// --ids JSON: logits of every position; the first --split tokens go in one
// pass, the rest in chunks of --chunk tokens through the KV cache.
int dev_logits_command(const Argv& argv) {
    const OptionTable table = join({
        engine_option_table(),
        adapter_option_table(),
        context_option_table(),
        {
            required_option("ids", "JSON", "the token ids, a JSON array"),
            int_option<int64_t>("split", "how many ids go in the first forward pass", "all of them", 0, std::nullopt),
            int_option<int>("chunk", "ids per pass after the first, through the KV cache", "1", 1, std::nullopt),
            required_option("out", "FILE", "where the float32 logits go, one row per position"),
        },
    });
    Args a = parse_args(dev_logits_help(), table, argv);
    const ModelFolder folder = ModelFolder::inspect(a.require("model"));
    auto model = CausalLM::load(folder, engine_options(a));
    if (auto adapters = adapter_choices(a); !adapters.empty()) model->set_adapters(adapters);
    const auto ids = parse_ids(a.require("ids"), "--ids");
    const size_t split = std::min(ids.size(), static_cast<size_t>(a.get_int("split").value_or(ids.size())));
    const size_t chunk = static_cast<size_t>(a.get_int("chunk").value_or(1));
    std::vector<float> all;
    std::span<const int32_t> s(ids);
    if (split > 0) all = model->forward_all(s.first(split));
    for (size_t pos = split; pos < ids.size(); pos += chunk) {
        auto part = model->forward_all(s.subspan(pos, std::min(chunk, ids.size() - pos)));
        all.insert(all.end(), part.begin(), part.end());
    }
    write_floats(a.require("out"), all);
    return 0;
}

// --logits FILE holds rows of --vocab floats; each row is filtered with the
// same --history and settings and written to --out.
int dev_filter_command(const Argv& argv) {
    const SamplingSettings hf;
    const OptionTable table = {
        required_option("logits", "FILE", "float32 rows of --vocab logits"),
        [] {
            OptionDef d = int_option<int>("vocab", "logits per row", "", 1, std::nullopt);
            d.required = true;
            return d;
        }(),
        text_option("history", "JSON", "the ids seen so far, for the repetition penalty", "[]"),
        int_option<int>("new-tokens", "how many tokens were generated so far, for --min-new-tokens", "0", 0,
                        std::nullopt),
        number_option("temperature", "as in generate", shown(hf.temperature)),
        int_option<int>("top-k", "as in generate", shown(hf.top_k)),
        number_option("top-p", "as in generate", shown(hf.top_p)),
        number_option("repetition-penalty", "as in generate", shown(hf.repetition_penalty)),
        int_option<int>("min-new-tokens", "as in generate", shown(hf.min_new_tokens), 0, std::nullopt),
        int_option<int>("eos", "the end-of-text id", "the last id of the vocabulary", 0, std::nullopt),
        switch_option("greedy", "as in generate"),
        required_option("out", "FILE", "where the filtered rows go"),
    };
    Args a = parse_args(dev_filter_help(), table, argv);
    SamplingSettings s;
    s.greedy = a.has("greedy");
    s.temperature = a.get_double("temperature").value_or(hf.temperature);
    s.top_k = static_cast<int>(a.get_int("top-k").value_or(hf.top_k));
    s.top_p = a.get_double("top-p").value_or(hf.top_p);
    s.repetition_penalty = a.get_double("repetition-penalty").value_or(hf.repetition_penalty);
    s.min_new_tokens = static_cast<int>(a.get_int("min-new-tokens").value_or(hf.min_new_tokens));
    s.validate();
    const int vocab = static_cast<int>(a.get_int("vocab").value_or(0));
    if (vocab < 1) throw UsageError("--vocab is required");
    auto logits = read_floats(a.require("logits"));
    const auto history = parse_ids(a.get("history").value_or("[]"), "--history");
    Sampler sampler(s, vocab, {static_cast<int32_t>(a.get_int("eos").value_or(vocab - 1))});
    const int new_tokens = static_cast<int>(a.get_int("new-tokens").value_or(0));
    for (size_t r = 0; r + vocab <= logits.size(); r += vocab)
        sampler.process(std::span<float>(logits.data() + r, vocab), history, new_tokens);
    write_floats(a.require("out"), logits);
    return 0;
}

const CommandHelp& dev_ttft_help() {
    static const CommandHelp h{
        "dev-ttft", "developer: the time to first token of a story's prompt, then of the same story with --append "
                    "added, on one loaded model (the second reuses the KV cache), as JSON",
        "  fabula-cli dev-ttft --model ~/models/gpt2 --prompt-file novel.txt --memory \"Mara.\" --append \" She "
        "slept.\"\n"};
    return h;
}

// The benchmark of a long draft (bench/bench_long_draft.py): what a writer
// waits for after typing a sentence at the end of a novel, with the prompt
// built as the app builds it.
int dev_ttft_command(const Argv& argv) {
    const OptionTable table = join({
        engine_option_table(),
        context_option_table(),
        story_option_table(),
        {
            required_option("append", "TEXT", "text added to the story for the second request"),
            int_option<int>("max-new-tokens", "the budget's share for new tokens (one token is generated)", "60", 1,
                            1 << 20),
        },
    });
    Args a = parse_args(dev_ttft_help(), table, argv);
    std::string story = story_text(a);
    const StoryContext context = story_context(a);
    const ModelFolder folder = ModelFolder::inspect(a.require("model"));
    const EngineOptions options = engine_options(a);
    auto model = CausalLM::load(folder, options);
    Tokenizer tokenizer = folder.load_tokenizer();
    Generator generator(*model, tokenizer);
    SamplingSettings settings;
    settings.greedy = true;
    settings.max_new_tokens = 1;
    const int max_new = Generator::clamp_max_new_tokens(
        static_cast<int>(a.get_int("max-new-tokens").value_or(60)), model->context_length());
    auto request = [&](const char* name) {
        const auto start = std::chrono::steady_clock::now();
        const BuiltPrompt built = build_story_prompt(a, tokenizer, story, context, model->context_length(), max_new);
        const double ms_to_build =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        const GenerationResult r = generator.generate(built.ids, settings);
        return nlohmann::json{{"request", name},
                              {"ms_to_build", ms_to_build},
                              {"ms_to_first_token", r.ms_to_first_token},
                              {"prompt_tokens", r.prompt_ids.size()},
                              {"prompt_tokens_processed", r.prompt_tokens_processed},
                              {"prompt_tokens_reused", r.prompt_tokens_reused},
                              {"story_bytes", story.size()},
                              {"story_cut", built.story_cut}};
    };
    // A first forward pass pays libtorch's one-time set-up; the requests timed come after it.
    const std::vector<int32_t> warm_up(16, std::max(0, tokenizer.end_of_text_id()));
    SamplingSettings two = settings;
    two.max_new_tokens = 2;
    generator.generate(warm_up, two);
    model->reset();
    nlohmann::json out = nlohmann::json::array();
    out.push_back(request("first"));
    story += a.require("append");
    out.push_back(request("appended"));
    std::puts(dump(out).c_str());
    return 0;
}

} // namespace fabula::cli
