#pragma once
// fabula-cli's options, one definition each: the same OptionDef registers the
// option with the parser (CLI11) and writes its line in --help, so the help
// cannot drift from what is parsed. Values are kept as the text given and
// converted (and range-checked) when a command reads them, so another source
// of values, such as an options file, can go through the same table.
#include "core/error.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fabula::cli {

using Argv = std::vector<std::string>;

enum class ValueKind { Switch, Text, Int, Number };

struct OptionDef {
    std::string name;         // the long name, without "--"
    ValueKind kind = ValueKind::Text;
    std::string value_name;   // shown after the name: DIR, N, auto|cpu|cuda
    std::string help;         // what it means
    std::string default_text; // what applies when it is not given
    // Int: the accepted range. A bound that is only the limit of the field's
    // type is left out of messages and help; the command checks the meaning.
    int64_t min = std::numeric_limits<int64_t>::min();
    int64_t max = std::numeric_limits<int64_t>::max();
    bool min_is_type_limit = true, max_is_type_limit = true;
    bool required = false;    // shown in help; the command calls Args::require
    bool repeatable = false;  // every value counts (--stop); otherwise the last one wins
    std::string group;        // the heading it is listed under in help
};
using OptionTable = std::vector<OptionDef>;

// Factories, so a table reads as one line per option.
OptionDef switch_option(std::string name, std::string help);
OptionDef text_option(std::string name, std::string value_name, std::string help, std::string default_text);
OptionDef required_option(std::string name, std::string value_name, std::string help);
OptionDef number_option(std::string name, std::string help, std::string default_text);
// A whole number read into a T: the range is T's unless given.
template <typename T>
OptionDef int_option(std::string name, std::string help, std::string default_text,
                     std::optional<int64_t> min = std::nullopt, std::optional<int64_t> max = std::nullopt) {
    OptionDef d;
    d.name = std::move(name);
    d.kind = ValueKind::Int;
    d.value_name = "N";
    d.help = std::move(help);
    d.default_text = std::move(default_text);
    d.min = min.value_or(static_cast<int64_t>(std::numeric_limits<T>::min()));
    d.max = max.value_or(static_cast<int64_t>(std::min<uint64_t>(std::numeric_limits<T>::max(), INT64_MAX)));
    d.min_is_type_limit = !min;
    d.max_is_type_limit = !max;
    return d;
}
// Sets the help heading of every option in the table.
OptionTable in_group(const std::string& group, OptionTable table);
OptionTable join(std::initializer_list<OptionTable> tables);

// How a default is shown: 5e-05, 0.05, 42.
template <typename T> std::string shown(T value) {
    std::ostringstream s;
    s << value;
    return s.str();
}

// A command's name, one line on what it does, and examples (from the README).
struct CommandHelp {
    std::string name, summary, examples;
};

class Args {
public:
    bool has(const std::string& name) const;
    std::optional<std::string> get(const std::string& name) const; // the last one given
    std::vector<std::string> all(const std::string& name) const;
    std::string require(const std::string& name) const;
    // Checked against the option's range; an overflow is reported as such.
    std::optional<int64_t> get_int(const std::string& name) const;
    // Finite numbers only.
    std::optional<double> get_double(const std::string& name) const;

    const OptionTable& table() const { return table_; }
    // Appends a value as if it had been given on the command line.
    void add(const std::string& name, std::string value);

private:
    friend Args parse_args(const CommandHelp&, const OptionTable&, const Argv&);
    const OptionDef& def(const std::string& name) const;
    OptionTable table_;
    std::map<std::string, std::vector<std::string>> values_;
};

// Thrown after --help was printed: the command is done, with exit code 0.
struct HelpShown {};

// Parses argv (without the program and command names) against the table.
// Usage errors throw UsageError; an unknown option names the nearest known one.
Args parse_args(const CommandHelp& command, const OptionTable& table, const Argv& argv);

// The help text of a command, as --help prints it.
std::string command_help_text(const CommandHelp& command, const OptionTable& table);

// Breaks text into lines of at most width characters, between words.
std::string wrap(const std::string& text, size_t width);

// The candidate closest to word by edit distance, if it is close enough to
// be what was meant; empty otherwise.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

} // namespace fabula::cli
