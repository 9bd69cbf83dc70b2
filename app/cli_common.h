#pragma once
// Helpers shared by the fabula-cli subcommands.
#include "app/cli_args.h"
#include "core/gpt2_model.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <iterator>
#include <string>

namespace fabula::cli {

inline std::string read_all_stdin() {
    std::ios::sync_with_stdio(false);
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// --precision, --device, --threads (default: FABULA_THREADS, else every core).
inline EngineOptions engine_options(const Args& a) {
    EngineOptions o;
    o.precision = parse_precision(a.get("precision").value_or("auto"));
    o.device = parse_device(a.get("device").value_or("auto"));
    if (auto t = a.get_int("threads")) {
        if (*t < 1 || *t > 1024) throw UsageError("--threads must be between 1 and 1024");
        o.threads = static_cast<int>(*t);
    } else if (const char* env = std::getenv("FABULA_THREADS")) {
        o.threads = std::max(0, std::atoi(env));
    }
    return o;
}

inline const std::set<std::string> kEngineOptions = {"model", "precision", "device", "threads"};

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
