// The hub's answer about a model repository (core/hub_metadata.h), with the
// files the download dialog asks for. parse_hub_metadata never throws; what
// it accepts lists each wanted file at most once, in order, every required
// one among them, each with a size >= 0 and exactly one well-formed checksum,
// and total_bytes is their sum.
#include "core/hub_metadata.h"
#include "fuzz_support.h"

using namespace fabula;

namespace {

constexpr HubWantedFile kWanted[] = {
    {"config.json", true}, {"generation_config.json", false}, {"vocab.json", true},
    {"merges.txt", true},  {"tokenizer.json", false},         {"model.safetensors", true},
};

bool lowercase_hex(const std::string& s, size_t digits) {
    return s.size() == digits && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const HubMetadata m = parse_hub_metadata(fabula_fuzz::as_text(data, size), kWanted);
    if (m.problem != HubMetadata::Problem::None) {
        FUZZ_CHECK(m.files.empty() && m.total_bytes == 0);
        bool wanted = false, required = false;
        for (const auto& w : kWanted)
            if (m.problem_file == w.name) wanted = true, required = w.required;
        if (m.problem == HubMetadata::Problem::MissingRequired)
            FUZZ_CHECK(required);
        else if (m.problem == HubMetadata::Problem::NoChecksum)
            FUZZ_CHECK(wanted);
        else
            FUZZ_CHECK(m.problem_file.empty());
        return 0;
    }
    FUZZ_CHECK(m.problem_file.empty());
    size_t next = 0; // index into kWanted
    __int128 sum = 0;
    for (const HubFile& f : m.files) {
        while (next < std::size(kWanted) && f.name != kWanted[next].name) {
            FUZZ_CHECK(!kWanted[next].required);
            ++next;
        }
        FUZZ_CHECK(next < std::size(kWanted)); // a wanted file, after the one before it
        ++next;
        FUZZ_CHECK(f.size >= 0);
        FUZZ_CHECK(f.lfs() ? lowercase_hex(f.sha256, 64) && f.blob_id.empty()
                           : lowercase_hex(f.blob_id, 40) && f.sha256.empty());
        sum += f.size;
    }
    for (; next < std::size(kWanted); ++next) FUZZ_CHECK(!kWanted[next].required);
    FUZZ_CHECK(sum == m.total_bytes);
    return 0;
}
