#include "core/hub_metadata.h"

#include <cmath>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

namespace fabula {

namespace {

using nlohmann::json;

const json* member(const json& object, const char* key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string string_member(const json& object, const char* key)
{
    const json* value = member(object, key);
    return value && value->is_string() ? value->get<std::string>() : std::string();
}

// A whole number that fits in int64, as the hub writes sizes; anything else
// (a string, a fraction, 1e30) is no size at all.
int64_t size_of(const json* value)
{
    if (!value)
        return -1;
    if (value->is_number_integer()) {
        if (value->is_number_unsigned()) {
            const auto u = value->get<uint64_t>();
            return u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ? static_cast<int64_t>(u) : -1;
        }
        return value->get<int64_t>();
    }
    if (value->is_number_float()) {
        const double d = value->get<double>();
        // 2^63 is exactly representable; everything below it converts exactly.
        if (std::isfinite(d) && d == std::floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
            return static_cast<int64_t>(d);
    }
    return -1;
}

// Lowercased when it is exactly `digits` hex digits, else empty.
std::string hex_digest(std::string text, size_t digits)
{
    if (text.size() != digits)
        return {};
    for (char& c : text) {
        if (c >= 'A' && c <= 'F')
            c = static_cast<char>(c - 'A' + 'a');
        else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return {};
    }
    return text;
}

HubMetadata problem(HubMetadata::Problem p, std::string file = {})
{
    HubMetadata result;
    result.problem = p;
    result.problem_file = std::move(file);
    return result;
}

} // namespace

HubMetadata parse_hub_metadata(std::string_view body, std::span<const HubWantedFile> wanted)
{
    const json doc = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    const json* siblings = member(doc, "siblings");
    if (!siblings || !siblings->is_array())
        return problem(HubMetadata::Problem::NotAFileList);

    // A name listed twice counts by its last entry; entries that are not
    // objects, or have no string name, are listed under the empty name and
    // never match a wanted file.
    std::map<std::string, const json*, std::less<>> listed;
    for (const json& sibling : *siblings)
        listed[string_member(sibling, "rfilename")] = &sibling;

    // Shards are named by the index; which of them to fetch is the caller's `wanted`.
    if (!listed.contains(std::string_view("model.safetensors")) &&
        !listed.contains(std::string_view("model.safetensors.index.json")))
        return problem(HubMetadata::Problem::NoSafetensors);

    HubMetadata result;
    for (const HubWantedFile& want : wanted) {
        const std::string name = want.name ? want.name : "";
        const auto it = listed.find(name);
        if (it == listed.end()) {
            if (want.required)
                return problem(HubMetadata::Problem::MissingRequired, name);
            continue;
        }
        const json& entry = *it->second;
        HubFile file;
        file.name = name;
        // An LFS file is described by its "lfs" object; an empty one (or a
        // non-object) means a plain git file.
        const json* lfs = member(entry, "lfs");
        const bool is_lfs = lfs && lfs->is_object() && !lfs->empty();
        const json* size = is_lfs && member(*lfs, "size") ? member(*lfs, "size") : member(entry, "size");
        file.size = size_of(size);
        if (is_lfs)
            file.sha256 = hex_digest(string_member(*lfs, "sha256"), 64);
        else
            file.blob_id = hex_digest(string_member(entry, "blobId"), 40);
        const bool checksum = is_lfs ? !file.sha256.empty() : !file.blob_id.empty();
        if (file.size < 0 || !checksum || file.size > std::numeric_limits<int64_t>::max() - result.total_bytes)
            return problem(HubMetadata::Problem::NoChecksum, name);
        result.total_bytes += file.size;
        result.files.push_back(std::move(file));
    }
    return result;
}

} // namespace fabula
