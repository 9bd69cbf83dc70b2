#pragma once
// Reading whole files with errors a person can act on.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace fabula {

// The file's bytes. Throws FileError naming the file and the problem:
// missing, a folder, or unreadable.
std::string read_file(const std::filesystem::path& path);

// The file parsed as JSON. Throws FileError as read_file does, or for text
// that is not valid JSON (with the byte offset of the error).
nlohmann::json read_json_file(const std::filesystem::path& path);

} // namespace fabula
