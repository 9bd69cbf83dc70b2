#pragma once
// Reading whole files with errors a person can act on.
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fabula {

// The file's bytes. Throws FileError naming the file and the problem:
// missing, a folder, or unreadable.
std::string read_file(const std::filesystem::path& path);

// The file parsed as JSON. Throws FileError as read_file does, or for text
// that is not valid JSON (with the byte offset of the error).
nlohmann::json read_json_file(const std::filesystem::path& path);

// text parsed as JSON; `name` (the file it came from) is only used in the
// FileError for text that is not valid JSON. read_json_file is this on the
// file's bytes.
nlohmann::json parse_json_text(std::string_view text, const std::string& name);

} // namespace fabula
