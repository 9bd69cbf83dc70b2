#pragma once
// Helpers shared by the fabula-cli subcommands.
#include "app/cli_options.h"
#include "core/causal_lm.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>

namespace fabula::cli {

inline std::string read_all_stdin() {
    std::ios::sync_with_stdio(false);
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// --model and how the engine runs it. model_default: what applies without
// --model, where a command can do without it (empty: --model is required).
inline OptionTable engine_option_table(const std::string& model_help = "the model folder (Hugging Face: GPT-2, GPT-Neo, "
                                                                      "GPT-J, Llama, Mistral, Qwen2)",
                                       const std::string& model_default = "") {
    OptionDef model = required_option("model", "DIR", model_help);
    if (!model_default.empty()) {
        model.required = false;
        model.default_text = model_default;
    }
    return in_group("Model and engine", {
        model,
        text_option("precision", "auto|fp32|bf16|fp16|int8", "number format of the weights and arithmetic (int8: "
                    "the projections' weights in 8 bits, on the CPU, for generation and evaluation; auto picks it "
                    "for models over 1 B parameters or too large otherwise)", "auto"),
        text_option("device", "auto|cpu|cuda", "where the model runs", "auto"),
        int_option<int>("threads", "CPU threads", "$FABULA_THREADS, else every core", 1, 1024),
    });
}

// For the commands that run the model (not train): how much context the KV cache may take.
inline OptionTable context_option_table() {
    return in_group("Model and engine", {
        int_option<int>("max-context", "tokens the KV cache holds",
                        "the model's context, capped at a quarter of the free memory", 1, 1 << 20),
    });
}

// LoRA adapters (voices) on --model, for the commands that run it.
inline OptionTable adapter_option_table() {
    OptionDef adapter = text_option("adapter", "DIR", "a LoRA adapter (a voice, Fabula's or PEFT's) on --model; "
                                    "repeat it to mix voices", "none");
    adapter.repeatable = true;
    OptionDef weight = number_option("adapter-weight", "how strongly each --adapter speaks, in the same order", "1");
    weight.repeatable = true;
    return in_group("Model and engine", {adapter, weight});
}

inline std::vector<AdapterChoice> adapter_choices(const Args& a) {
    std::vector<AdapterChoice> out;
    for (const std::string& dir : a.all("adapter")) out.push_back({dir, 1.0});
    const std::vector<std::string> weights = a.all("adapter-weight");
    if (weights.size() > out.size())
        throw UsageError("--adapter-weight is given " + std::to_string(weights.size()) + " times for " +
                         std::to_string(out.size()) + " --adapter");
    for (size_t i = 0; i < weights.size(); ++i) {
        size_t used = 0;
        double w = 0;
        try {
            w = std::stod(weights[i], &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != weights[i].size() || !std::isfinite(w) || std::fabs(w) > 100)
            throw UsageError("--adapter-weight " + weights[i] + " is not a number from -100 to 100");
        out[i].weight = w;
    }
    return out;
}

inline EngineOptions engine_options(const Args& a) {
    EngineOptions o;
    o.precision = parse_precision(a.get("precision").value_or("auto"));
    o.device = parse_device(a.get("device").value_or("auto"));
    if (auto t = a.get_int("threads")) {
        o.threads = static_cast<int>(*t);
    } else if (const char* env = std::getenv("FABULA_THREADS")) {
        o.threads = std::max(0, std::atoi(env));
    }
    for (const OptionDef& d : a.table())
        if (d.name == "max-context")
            if (auto c = a.get_int("max-context")) o.max_context = static_cast<int>(*c);
    return o;
}

// Text in JSON output: always valid UTF-8 (invalid bytes become U+FFFD).
inline std::string dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline std::vector<int32_t> parse_ids(const std::string& text, const std::string& what) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array()) throw UsageError(what + " must be a JSON array of token ids");
    std::vector<int32_t> ids;
    for (const auto& v : j) {
        if (!v.is_number_integer()) throw UsageError(what + " must hold only whole numbers");
        long long x = v.get<long long>();
        if (x < 0 || x > INT32_MAX) throw UsageError("token id " + std::to_string(x) + " is out of range");
        ids.push_back(static_cast<int32_t>(x));
    }
    return ids;
}

} // namespace fabula::cli
