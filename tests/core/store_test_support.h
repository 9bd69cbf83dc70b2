#pragma once
// Helpers shared by the store tests.
#include "check.h"
#include "core/store/store.h"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace store_test {

using fabula::StoreError;

// CHECK_EQ binds its arguments by reference, so a member reached through a
// temporary optional's -> would dangle; must() hands back the value itself.
template <class T>
T must(std::optional<T> v) {
    if (!v) ::fabula_test::fail(__FILE__, __LINE__, "expected a value, got none");
    return std::move(*v);
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string templ = (std::filesystem::temp_directory_path() / "fabula-store-XXXXXX").string();
        if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
        path = templ;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

template <class F>
StoreError::Kind error_kind(F&& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e.kind();
    }
    throw std::runtime_error("expected a StoreError");
}

} // namespace store_test
