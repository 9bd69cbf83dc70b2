#pragma once
// The fabula-cli subcommands. Each returns the process exit code and lets
// fabula::UsageError (exit 2) and fabula::FileError (exit 3) escape to main.
#include <string>
#include <vector>

namespace fabula::cli {

using Argv = std::vector<std::string>;

int tokenize_command(const Argv& args);
int generate_command(const Argv& args);
int dev_logits_command(const Argv& args);
int dev_filter_command(const Argv& args);
int prepare_command(const Argv& args);
int train_command(const Argv& args);
int eval_command(const Argv& args);
int export_command(const Argv& args);

} // namespace fabula::cli
