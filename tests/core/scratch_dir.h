#pragma once
// A folder of the test's own under the system's temp folder, removed with
// everything in it when the test case ends (write permission given back
// first, for cases that take it away).
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace fabula_test {

struct ScratchDir {
    std::filesystem::path path;
    explicit ScratchDir(const std::string& prefix = "fabula-test") {
        std::string t = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (!mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed");
        path = t;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::permissions(path, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ec);
        std::filesystem::remove_all(path, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
};

} // namespace fabula_test
