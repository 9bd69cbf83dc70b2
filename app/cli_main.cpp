// fabula-cli: the engine without the window, for scripts, tests and benchmarks.
#include "app/cli_commands.h"
#include "core/atomic_folder.h"
#include "core/device.h"
#include "core/error.h"

#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace fabula::cli;

struct Command {
    const CommandHelp& help;
    int (*run)(const Argv&);
};

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {tokenize_help(), tokenize_command}, {generate_help(), generate_command}, {info_help(), info_command},
        {prepare_help(), prepare_command},   {train_help(), train_command},
        {eval_help(), eval_command},         {export_help(), export_command},
        {feedback_help(), feedback_command},
        {prefs_eval_help(), prefs_eval_command},
        {dev_logits_help(), dev_logits_command}, {dev_filter_help(), dev_filter_command},
        {dev_ttft_help(), dev_ttft_command},
    };
    return all;
}

const char* kExitCodes = "exit codes: 0 done, 1 failed, 2 bad arguments, 3 an unusable file (the message names it),\n"
                         "            130 interrupted (train: continue with --resume)\n";

std::string usage() {
    std::string s = "usage: fabula-cli COMMAND [options]\n       fabula-cli COMMAND --help\n"
                    "       fabula-cli --version\n\ncommands:\n";
    for (const auto& c : commands()) {
        // The summary in a column of its own, wrapped at 100 characters.
        std::string summary = wrap(c.help.summary, 86), indent(14, ' ');
        for (size_t at = summary.find('\n'); at != std::string::npos; at = summary.find('\n', at + 1))
            summary.insert(at + 1, indent);
        char name[32];
        std::snprintf(name, sizeof name, "  %-12s", c.help.name.c_str());
        s += name + summary + "\n";
    }
    return s;
}

std::string full_help() {
    std::string s = "fabula-cli: the Fabula engine without the window.\n\n" + usage() + "\nexamples:\n";
    for (const auto& c : commands())
        if (c.help.name.rfind("dev-", 0) != 0) s += c.help.examples;
    return s + "\n" + kExitCodes;
}

} // namespace

int main(int argc, char** argv) {
    fabula::tune_allocator();
    const std::string first = argc >= 2 ? argv[1] : "";
    if (argc < 2) {
        std::fputs(usage().c_str(), stderr);
        return 2;
    }
    if (first == "--help" || first == "-h") {
        std::fputs(full_help().c_str(), stdout);
        return 0;
    }
    if (first == "--version") {
        std::printf("fabula-cli %s\n", fabula::fabula_version().c_str());
        return 0;
    }
    const Command* command = nullptr;
    std::vector<std::string> names;
    for (const auto& c : commands()) {
        if (c.help.name == first) command = &c;
        names.push_back(c.help.name);
    }
    if (!command) {
        const bool option = first.rfind('-', 0) == 0;
        if (option) names = {"--help", "--version"};
        std::string m = "fabula-cli: unknown " + std::string(option ? "option" : "command") + " '" + first + "'";
        if (auto best = nearest(first, names); !best.empty()) m += "; did you mean " + best + "?";
        std::fprintf(stderr, "%s\n\n%s", m.c_str(), usage().c_str());
        return 2;
    }
    try {
        return command->run(Argv(argv + 2, argv + argc));
    } catch (const HelpShown&) {
        return 0;
    } catch (const fabula::UsageError& e) {
        std::fprintf(stderr, "fabula-cli %s: %s\n", argv[1], e.what());
        return 2;
    } catch (const fabula::FileError& e) {
        std::fprintf(stderr, "fabula-cli %s: %s\n", argv[1], e.what());
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fabula-cli %s: %s\n", argv[1], e.what());
        return 1;
    }
}
