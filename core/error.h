#pragma once
// Errors the engine reports to people. Every message names the file (when there
// is one) and the problem, in words a writer can act on.
#include <stdexcept>
#include <string>

namespace fabula {

// A file that cannot be used: missing, truncated, malformed, or not matching
// the model. fabula-cli exits with code 3.
class FileError : public std::runtime_error {
public:
    FileError(const std::string& path, const std::string& problem)
        : std::runtime_error(path.empty() ? problem : path + ": " + problem), path_(path) {}
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Settings or arguments that cannot work. fabula-cli exits with code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace fabula
