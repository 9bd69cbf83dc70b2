#include "app/cli_options.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace fabula::cli {

OptionDef switch_option(std::string name, std::string help) {
    OptionDef d;
    d.name = std::move(name);
    d.kind = ValueKind::Switch;
    d.help = std::move(help);
    return d;
}

OptionDef text_option(std::string name, std::string value_name, std::string help, std::string default_text) {
    OptionDef d;
    d.name = std::move(name);
    d.value_name = std::move(value_name);
    d.help = std::move(help);
    d.default_text = std::move(default_text);
    return d;
}

OptionDef required_option(std::string name, std::string value_name, std::string help) {
    OptionDef d = text_option(std::move(name), std::move(value_name), std::move(help), "");
    d.required = true;
    return d;
}

OptionDef number_option(std::string name, std::string help, std::string default_text) {
    OptionDef d = text_option(std::move(name), "X", std::move(help), std::move(default_text));
    d.kind = ValueKind::Number;
    return d;
}

OptionTable in_group(const std::string& group, OptionTable table) {
    for (auto& d : table) d.group = group;
    return table;
}

OptionTable join(std::initializer_list<OptionTable> tables) {
    OptionTable out;
    for (const auto& t : tables) out.insert(out.end(), t.begin(), t.end());
    return out;
}

std::string wrap(const std::string& text, size_t width) {
    std::string out, line;
    std::istringstream words(text);
    for (std::string w; words >> w;) {
        if (!line.empty() && line.size() + 1 + w.size() > width) {
            out += line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + w;
    }
    return out + line;
}

namespace {

constexpr size_t kNameColumn = 36, kHelpWidth = 100;

// The accepted range as a message states it, leaving out a bound that is only
// the limit of the field's type when the value is on the other side.
std::string range_text(const OptionDef& d, bool too_large) {
    const std::string lo = std::to_string(d.min), hi = std::to_string(d.max);
    if (too_large && d.min_is_type_limit) return "up to " + hi;
    if (!too_large && d.max_is_type_limit) return lo + " or more";
    return "from " + lo + " to " + hi;
}

// The description column of help: meaning, range, default.
std::string describe(const OptionDef& d) {
    std::string s = d.help;
    std::vector<std::string> notes;
    if (d.kind == ValueKind::Int && (!d.min_is_type_limit || !d.max_is_type_limit))
        notes.push_back(d.min_is_type_limit ? "at most " + std::to_string(d.max)
                        : d.max_is_type_limit ? "at least " + std::to_string(d.min)
                                              : std::to_string(d.min) + " to " + std::to_string(d.max));
    if (d.repeatable) notes.push_back("may be given more than once");
    if (!d.default_text.empty()) notes.push_back("default: " + d.default_text);
    for (size_t i = 0; i < notes.size(); ++i) s += (i ? "; " : " (") + notes[i];
    if (!notes.empty()) s += ")";
    return wrap(s, kHelpWidth - kNameColumn);
}

const OptionDef* find_def(const OptionTable& table, const std::string& name) {
    for (const auto& d : table)
        if (d.name == name) return &d;
    return nullptr;
}

// Registers every option of the table; the caller reads the raw results.
std::vector<CLI::Option*> register_options(CLI::App& app, const CommandHelp& command, const OptionTable& table) {
    app.name("fabula-cli " + command.name);
    app.description(wrap(command.summary, kHelpWidth));
    if (!command.examples.empty()) app.footer("examples:\n" + command.examples);
    app.set_help_flag("-h,--help", "show this help and exit");
    // Unknown arguments stay in remaining(), so parse_args can suggest the nearest option.
    app.allow_extras();
    auto fmt = std::make_shared<CLI::Formatter>();
    fmt->column_width(kNameColumn);
    fmt->label("Usage", "usage");
    app.formatter(fmt);
    std::vector<CLI::Option*> registered;
    for (const auto& d : table) {
        CLI::Option* o;
        if (d.kind == ValueKind::Switch) {
            o = app.add_flag("--" + d.name)->description(describe(d));
        } else {
            o = app.add_option("--" + d.name)->description(describe(d));
            o->expected(1);
            // Every occurrence is kept; Args decides between "the last wins" and "all count".
            o->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
            o->option_text(d.value_name + (d.required ? " (required)" : ""));
        }
        o->group(d.group.empty() ? "Options" : d.group);
        registered.push_back(o);
    }
    return registered;
}

// "--name=value" -> "name"; "--" -> "".
std::string option_name_of(const std::string& arg) {
    const size_t start = arg.find_first_not_of('-');
    if (start == std::string::npos) return {};
    std::string name = arg.substr(start);
    if (auto eq = name.find('='); eq != std::string::npos) name.resize(eq);
    return name;
}

[[noreturn]] void unknown_option(const CommandHelp& command, const OptionTable& table, const std::string& arg) {
    std::vector<std::string> names = {"help"};
    for (const auto& d : table) names.push_back(d.name);
    const std::string name = option_name_of(arg);
    const std::string dashes = arg.substr(0, arg.find_first_not_of('-'));
    std::string m = "unknown option " + dashes + name;
    if (auto best = nearest(name, names); !best.empty()) m += "; did you mean --" + best + "?";
    else m += " (fabula-cli " + command.name + " --help lists the options)";
    throw UsageError(m);
}

} // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
    // Edit distance where swapping two neighbouring letters counts as one
    // edit, like a deletion, insertion or substitution ("hepl" is 1 from "help").
    auto distance = [](const std::string& a, const std::string& b) {
        std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
        for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
        for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
        for (size_t i = 1; i <= a.size(); ++i)
            for (size_t j = 1; j <= b.size(); ++j) {
                d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.size()][b.size()];
    };
    std::string best;
    size_t best_distance = SIZE_MAX;
    for (const auto& c : candidates) {
        const size_t d = distance(word, c);
        if (d < best_distance) best_distance = d, best = c;
    }
    // A third of the word may be wrong (at least one letter, at most three):
    // "max-new-token" finds "max-new-tokens"; "bogus" finds nothing.
    const size_t allowed = std::clamp<size_t>(word.size() / 3, 1, 3);
    return best_distance <= allowed ? best : std::string();
}

const OptionDef& Args::def(const std::string& name) const {
    if (const OptionDef* d = find_def(table_, name)) return *d;
    throw std::logic_error("fabula-cli reads --" + name + ", which its command does not define");
}

bool Args::has(const std::string& name) const {
    def(name);
    auto it = values_.find(name);
    return it != values_.end() && !it->second.empty();
}

std::optional<std::string> Args::get(const std::string& name) const {
    if (!has(name)) return std::nullopt;
    return values_.at(name).back();
}

std::vector<std::string> Args::all(const std::string& name) const {
    def(name);
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::require(const std::string& name) const {
    auto v = get(name);
    if (!v) throw UsageError("--" + name + " is required");
    return *v;
}

void Args::add(const std::string& name, std::string value) {
    def(name);
    values_[name].push_back(std::move(value));
}

std::optional<int64_t> Args::get_int(const std::string& name) const {
    const OptionDef& d = def(name);
    auto v = get(name);
    if (!v) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long long x = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || end == v->c_str() || *end != '\0') throw UsageError("--" + name + " needs a whole number, not '" + *v + "'");
    // strtoll saturates on overflow, so ERANGE is one more case of "too large" or "too small".
    if (x > d.max || (errno == ERANGE && x > 0))
        throw UsageError("--" + name + ": " + *v + " is too large; it takes a whole number " + range_text(d, true));
    if (x < d.min || (errno == ERANGE && x < 0))
        throw UsageError("--" + name + ": " + *v + " is too small; it takes a whole number " + range_text(d, false));
    return x;
}

std::optional<double> Args::get_double(const std::string& name) const {
    def(name);
    auto v = get(name);
    if (!v) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const double x = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0') throw UsageError("--" + name + " needs a number, not '" + *v + "'");
    if (errno == ERANGE && std::abs(x) > 1)
        throw UsageError("--" + name + ": " + *v + (x > 0 ? " is too large" : " is too far below 0") +
                         "; it takes a finite number");
    if (errno == ERANGE)
        throw UsageError("--" + name + ": " + *v + " is too close to 0 to be told from it; give 0 or a larger number");
    if (!std::isfinite(x)) throw UsageError("--" + name + " needs a finite number, not '" + *v + "'");
    return x;
}

Args parse_args(const CommandHelp& command, const OptionTable& table, const Argv& argv) {
    CLI::App app;
    const auto registered = register_options(app, command, table);

    // Two spellings CLI11 reads differently from what fabula-cli has always
    // meant: "--name=" is an empty value (CLI11 would take the next argument),
    // and a switch never takes a value (CLI11 would read "--json=no" as off).
    std::vector<std::string> args;
    for (const auto& a : argv) {
        const OptionDef* d = a.rfind("--", 0) == 0 ? find_def(table, option_name_of(a)) : nullptr;
        const bool inline_value = a.find('=') != std::string::npos;
        if (d && d->kind == ValueKind::Switch && inline_value) throw UsageError("--" + d->name + " takes no value");
        if (d && inline_value && a.back() == '=' && a.size() == d->name.size() + 3) {
            args.push_back("--" + d->name);
            args.push_back("");
        } else {
            args.push_back(a);
        }
    }
    std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes them last first
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        throw HelpShown{};
    } catch (const CLI::ArgumentMismatch& e) {
        // The one way a single-valued option mismatches: it was last, with nothing after it.
        if (!args.empty()) {
            if (const OptionDef* d = find_def(table, option_name_of(args.back())); d && args.back() == "--" + d->name)
                throw UsageError("--" + d->name + " needs a value");
        }
        throw UsageError(e.what());
    } catch (const CLI::ParseError& e) {
        throw UsageError(e.what());
    }
    for (const auto& extra : app.remaining()) {
        const std::string name = option_name_of(extra);
        if (extra[0] == '-' && !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])))
            unknown_option(command, table, extra);
        throw UsageError("unexpected argument '" + extra + "'");
    }

    Args out;
    out.table_ = table;
    for (size_t i = 0; i < table.size(); ++i) {
        const OptionDef& d = table[i];
        if (d.kind == ValueKind::Switch) {
            for (size_t n = 0; n < registered[i]->count(); ++n) out.add(d.name, "");
        } else {
            for (const auto& v : registered[i]->results()) out.add(d.name, v);
        }
    }
    // Numbers are checked now, so a bad one is reported before any file is read.
    for (const auto& d : table) {
        if (d.kind == ValueKind::Int) out.get_int(d.name);
        if (d.kind == ValueKind::Number) out.get_double(d.name);
    }
    return out;
}

std::string command_help_text(const CommandHelp& command, const OptionTable& table) {
    CLI::App app;
    register_options(app, command, table);
    return app.help();
}

} // namespace fabula::cli
