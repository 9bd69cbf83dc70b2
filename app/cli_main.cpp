// fabula-cli: the engine without the window, for scripts, tests and benchmarks.
#include "app/cli_commands.h"
#include "core/device.h"
#include "core/error.h"

#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>

namespace {

const char* kUsage = R"(usage: fabula-cli COMMAND [options]

commands:
  tokenize --model DIR [--text TEXT] [--eot-as-text] [--decode]
  generate --model DIR --prompt TEXT [--max-new-tokens N] [--temperature T] [--top-k K]
           [--top-p P] [--repetition-penalty R] [--seed S] [--greedy] [--stop S]...
           [--precision auto|fp32|bf16|fp16] [--device auto|cpu|cuda] [--threads N] [--json]
  prepare  --model DIR --data PATH [--val-fraction F] [--seed S] [--json]
  train    --model DIR --data PATH --out DIR [options]
  eval     --model DIR --data PATH [--json]
  export   --checkpoint DIR --out DIR

exit codes: 0 ok, 1 failed, 2 bad arguments, 3 unusable file
)";

} // namespace

int main(int argc, char** argv) {
    fabula::tune_allocator();
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    using namespace fabula::cli;
    const std::map<std::string, std::function<int(const Argv&)>> commands = {
        {"tokenize", tokenize_command}, {"generate", generate_command}, {"dev-logits", dev_logits_command},
        {"dev-filter", dev_filter_command}, {"prepare", prepare_command}, {"train", train_command},
        {"eval", eval_command}, {"export", export_command},
    };
    auto it = commands.find(argv[1]);
    if (it == commands.end()) {
        std::fprintf(stderr, "fabula-cli: unknown command '%s'\n\n%s", argv[1], kUsage);
        return 2;
    }
    try {
        return it->second(Argv(argv + 2, argv + argc));
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
