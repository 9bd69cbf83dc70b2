#pragma once
// The fabula-cli subcommands. Each returns the process exit code and lets
// fabula::UsageError (exit 2) and fabula::FileError (exit 3) escape to main.
#include "app/cli_options.h"

#include <string>
#include <vector>

namespace fabula::cli {

int tokenize_command(const Argv& args);
int generate_command(const Argv& args);
int dev_logits_command(const Argv& args);
int dev_filter_command(const Argv& args);
int dev_ttft_command(const Argv& args);
int prepare_command(const Argv& args);
int train_command(const Argv& args);
int eval_command(const Argv& args);
int export_command(const Argv& args);
int info_command(const Argv& args);
int feedback_command(const Argv& args);
int prefs_eval_command(const Argv& args);

// What each command does and the README's examples of it; the command's
// --help and the list in fabula-cli --help both come from here.
const CommandHelp& tokenize_help();
const CommandHelp& generate_help();
const CommandHelp& dev_logits_help();
const CommandHelp& dev_filter_help();
const CommandHelp& dev_ttft_help();
const CommandHelp& prepare_help();
const CommandHelp& train_help();
const CommandHelp& eval_help();
const CommandHelp& export_help();
const CommandHelp& info_help();
const CommandHelp& feedback_help();
const CommandHelp& prefs_eval_help();

} // namespace fabula::cli
