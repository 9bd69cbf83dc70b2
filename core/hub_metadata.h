#pragma once
// The hub's answer about a model repository (GET /api/models/REPO): which of
// the files Fabula wants it lists, with their sizes and checksums. Qt-free so
// that it can be fuzzed: the bytes come from the network.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fabula {

struct HubWantedFile {
    const char* name;
    bool required;
};

struct HubFile {
    std::string name;
    int64_t size = -1;
    std::string sha256;  // 64 lowercase hex digits for LFS files, else empty
    std::string blob_id; // 40 lowercase hex digits (git blob id) for small files, else empty
    bool lfs() const { return !sha256.empty(); }
};

struct HubMetadata {
    enum class Problem {
        None,
        NotAFileList,    // not JSON, or no "siblings" array
        NoSafetensors,   // neither model.safetensors nor model.safetensors.index.json is listed
        MissingRequired, // a required file is not listed (problem_file names it)
        NoChecksum,      // a listed file has no usable size or checksum (problem_file names it)
    };
    Problem problem = Problem::None;
    std::string problem_file;
    std::vector<HubFile> files; // the wanted files that are listed, in `wanted` order
    int64_t total_bytes = 0;
};

// Never throws on any input; every accepted file has size >= 0 and exactly
// one well-formed checksum, and total_bytes is their sum (no overflow).
HubMetadata parse_hub_metadata(std::string_view body, std::span<const HubWantedFile> wanted);

} // namespace fabula
