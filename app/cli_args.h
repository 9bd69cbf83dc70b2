#pragma once
// Command-line options for fabula-cli: "--name value", "--name=value" and
// bare switches. Unknown or malformed options are usage errors (exit 2).
#include "core/error.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fabula::cli {

class Args {
public:
    // switches: options that take no value.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valued, const std::set<std::string>& switches);

    bool has(const std::string& name) const { return values_.count(name) > 0; }
    std::optional<std::string> get(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;
    std::string require(const std::string& name) const;
    std::optional<long long> get_int(const std::string& name) const;
    std::optional<double> get_double(const std::string& name) const;

private:
    std::multimap<std::string, std::string> values_;
};

} // namespace fabula::cli
