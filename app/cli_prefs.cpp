// prefs-eval: how well a model prefers the chosen continuations of a pairs set.
#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "training/preference_eval.h"

#include <cstdio>

namespace fabula::cli {

const CommandHelp& prefs_eval_help() {
    static const CommandHelp h{
        "prefs-eval", "preference accuracy, DPO loss and rewards of a model on pairs.jsonl (chosen against rejected), "
                      "against a reference model or on log-probabilities alone",
        "  fabula-cli prefs-eval --model ~/runs/dpo/model --ref ~/models/gpt2 --data held-out/pairs.jsonl --json\n"};
    return h;
}

int prefs_eval_command(const Argv& argv) {
    OptionTable engine_table = engine_option_table("the model to evaluate");
    for (OptionDef& d : engine_table)
        if (d.name == "precision") d.default_text = "fp32 (auto is fp32 here: 16-bit rounding moves the figures)";
    const OptionTable table = join({
        engine_table,
        in_group("Preferences", {
            required_option("data", "FILE", "pairs.jsonl as `fabula-cli feedback export` writes it (or TRL's "
                                            "prompt/chosen/rejected rows)"),
            text_option("ref", "DIR", "the reference model the rewards are measured against",
                        "none: rewards are beta times the log-probabilities"),
            number_option("beta", "DPO's beta: the scale of the rewards", "0.1"),
            switch_option("json", "print one JSON object"),
        }),
    });
    Args a = parse_args(prefs_eval_help(), table, argv);
    EngineOptions engine = engine_options(a);
    const double beta = a.get_double("beta").value_or(0.1);
    const training::PreferenceEval r = training::evaluate_preferences(
        a.require("model"), a.get("ref").value_or(""), a.require("data"), beta, engine);
    if (r.dropped > 0)
        std::fprintf(stderr, "note: %zu pair(s) left out: the prompt alone fills the model's context\n", r.dropped);
    if (a.has("json")) {
        std::puts(dump({{"pairs", r.pairs},
                        {"truncated", r.truncated},
                        {"loss", r.loss},
                        {"rewards_chosen", r.rewards_chosen},
                        {"rewards_rejected", r.rewards_rejected},
                        {"accuracy", r.accuracy},
                        {"margin", r.margin}})
                      .c_str());
    } else {
        std::printf("%zu pairs (%zu truncated): accuracy %.3f, loss %.4f, margin %.4f (rewards: chosen %.4f, "
                    "rejected %.4f)\n",
                    r.pairs, r.truncated, r.accuracy, r.loss, r.margin, r.rewards_chosen, r.rewards_rejected);
    }
    return 0;
}

} // namespace fabula::cli
