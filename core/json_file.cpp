#include "core/json_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "core/error.h"

namespace fabula {

std::string read_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) throw FileError(name, "file not found");
    if (std::filesystem::is_directory(status)) throw FileError(name, "is a folder, not a file");

    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileError(name, std::string("cannot be opened: ") + std::strerror(errno));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw FileError(name, std::string("cannot be read: ") + std::strerror(errno));
    return text;
}

nlohmann::json read_json_file(const std::filesystem::path& path) {
    return parse_json_text(read_file(path), path.string());
}

namespace {

// what() starts with "[json.exception.parse_error.101] "; the rest is the
// useful part ("parse error at line 3, column 7: ...").
std::string json_error_detail(const nlohmann::json::exception& e) {
    std::string detail = e.what();
    const auto close = detail.find("] ");
    if (detail.rfind("[json.exception.", 0) == 0 && close != std::string::npos) detail.erase(0, close + 2);
    return detail;
}

} // namespace

nlohmann::json parse_json_text(std::string_view text, const std::string& name) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw FileError(name, "not valid JSON at byte " + std::to_string(e.byte) + ": " + json_error_detail(e));
    } catch (const nlohmann::json::out_of_range& e) {
        // A number too large for a double (1e400) is not a parse_error.
        throw FileError(name, "not valid JSON: " + json_error_detail(e));
    }
}

} // namespace fabula
