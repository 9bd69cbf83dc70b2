// fabula-cli feedback export: the writer's feedback in the store as the
// SFT, preference-pair and KTO sets the trainer (and TRL) reads.
#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "core/error.h"
#include "core/store/library_path.h"
#include "core/store/store.h"
#include "training/feedback_export.h"

#include <cstdio>
#include <filesystem>

namespace fabula::cli {

const CommandHelp& feedback_help() {
    static const CommandHelp h{
        "feedback",
        "export: the writer's choices, ratings and edits in the library as sft.jsonl, pairs.jsonl and kto.jsonl "
        "(TRL's formats, with the exact token ids)",
        "  fabula-cli feedback export --out ~/feedback\n"
        "  fabula-cli feedback export --database fabula.sqlite --out fb --exclude-draft 3\n"};
    return h;
}

namespace {

OptionTable feedback_option_table() {
    auto repeated_id = [](std::string name, std::string help) {
        OptionDef d = int_option<std::int64_t>(std::move(name), std::move(help), "none", 1);
        d.value_name = "ID";
        d.repeatable = true;
        return d;
    };
    return {
        text_option("database", "FILE", "the library (the app's SQLite file)",
                    "$FABULA_DATABASE, else fabula.sqlite in the user's data folder (as the app)"),
        required_option("out", "DIR", "the folder to write the three files into (new, empty, or an earlier export)"),
        repeated_id("draft", "keep only this draft's feedback"),
        repeated_id("exclude-draft", "leave this draft's feedback out"),
        text_option("tokenizer", "DIR", "tokenize the writer's edits with this folder's tokenizer",
                    "that of the model that wrote each continuation"),
        switch_option("json", "print the counts as one JSON object"),
    };
}

// Every value of a repeatable whole-number option (Args checks only the last).
std::vector<std::int64_t> ids_of(const Args& a, const std::string& name) {
    std::vector<std::int64_t> out;
    for (const auto& v : a.all(name)) {
        std::size_t used = 0;
        long long id = 0;
        try {
            id = std::stoll(v, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != v.size() || id < 1) throw UsageError("--" + name + " needs a draft id (a whole number from 1), not '" + v + "'");
        out.push_back(id);
    }
    return out;
}

// The library is only read: a missing one is named rather than created, and
// one that needs upgrading is upgraded as the app would.
Store open_library(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw FileError(path, "there is no Fabula library here; give --database FILE or set $FABULA_DATABASE");
    try {
        try {
            return Store(path, {.read_only = true});
        } catch (const StoreError& e) {
            if (e.kind() != StoreError::Kind::ReadOnly) throw;
            return Store(path);
        }
    } catch (const StoreError& e) {
        throw FileError("", e.what()); // the message already names the file
    }
}

} // namespace

int feedback_command(const Argv& argv) {
    const OptionTable table = feedback_option_table();
    if (argv.empty() || argv[0] != "export") {
        if (!argv.empty() && (argv[0] == "--help" || argv[0] == "-h")) {
            std::printf("fabula-cli feedback export [options]\n%s", command_help_text(feedback_help(), table).c_str());
            throw HelpShown{};
        }
        throw UsageError(argv.empty() ? "say what to do: fabula-cli feedback export --out DIR"
                                      : "unknown action '" + argv[0] + "'; the action is export");
    }
    Args a = parse_args(feedback_help(), table, Argv(argv.begin() + 1, argv.end()));
    const std::string database = a.get("database").value_or(default_library_path());
    const std::filesystem::path out = a.require("out");
    FeedbackExportOptions options;
    options.filter.only_drafts = ids_of(a, "draft");
    options.filter.exclude_drafts = ids_of(a, "exclude-draft");
    if (auto t = a.get("tokenizer")) options.tokenizer_dir = *t;

    const Store store = open_library(database);
    for (auto id : options.filter.only_drafts)
        if (!store.get_draft(id)) throw UsageError("--draft " + std::to_string(id) + ": " + database + " has no such draft");
    const auto left_out = store.left_out_drafts();
    for (auto id : options.filter.only_drafts)
        if (std::find(left_out.begin(), left_out.end(), id) != left_out.end())
            std::fprintf(stderr, "fabula-cli feedback: draft %lld is left out of training in the app; its feedback is not written\n",
                         static_cast<long long>(id));

    const FeedbackExportCounts c = export_feedback(store, out, options);
    for (const auto& note : c.notes) std::fprintf(stderr, "fabula-cli feedback: %s\n", note.c_str());
    if (a.has("json")) {
        const nlohmann::json j = {{"sft", c.sft},
                                  {"pairs", c.pairs},
                                  {"kto", c.kto},
                                  {"pairs_round", c.pairs_round},
                                  {"pairs_edit", c.pairs_edit},
                                  {"pairs_ab", c.pairs_ab},
                                  {"kto_good", c.kto_good},
                                  {"kto_bad", c.kto_bad},
                                  {"text_only", c.text_only},
                                  {"out", out.string()}};
        std::printf("%s\n", dump(j).c_str());
        return 0;
    }
    std::printf("sft.jsonl    %lld examples\n", static_cast<long long>(c.sft));
    std::printf("pairs.jsonl  %lld pairs (%lld within rounds, %lld edits, %lld blind A/B)\n",
                static_cast<long long>(c.pairs), static_cast<long long>(c.pairs_round),
                static_cast<long long>(c.pairs_edit), static_cast<long long>(c.pairs_ab));
    std::printf("kto.jsonl    %lld examples (%lld good, %lld bad)\n", static_cast<long long>(c.kto),
                static_cast<long long>(c.kto_good), static_cast<long long>(c.kto_bad));
    std::printf("written to %s\n", out.string().c_str());
    return 0;
}

} // namespace fabula::cli
