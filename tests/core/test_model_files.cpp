// The model-file parsers on hostile input: built twice, once plain and once
// with AddressSanitizer + UBSan, so an out-of-bounds read fails the suite.
#include "check.h"
#include "core/error.h"
#include "core/model_config.h"
#include "core/safetensors.h"
#include "core/weight_files.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include <cstring>
#include <random>
#include <unistd.h>

using namespace fabula;

namespace {

std::vector<std::byte> make_file(const std::string& header, const std::vector<std::byte>& data, uint64_t len) {
    std::vector<std::byte> f(8);
    for (int i = 0; i < 8; ++i) f[i] = std::byte(len >> (8 * i));
    for (char c : header) f.push_back(std::byte(c));
    f.insert(f.end(), data.begin(), data.end());
    return f;
}

std::vector<std::byte> make_file(const std::string& header, size_t data_bytes) {
    return make_file(header, std::vector<std::byte>(data_bytes, std::byte{0}), header.size());
}

void parse(const std::vector<std::byte>& f) { parse_safetensors(f, "x.safetensors"); }

} // namespace

TEST_CASE(valid_header_parses) {
    auto f = make_file(R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
                       R"("b":{"dtype":"BF16","shape":[4],"data_offsets":[24,32]},"__metadata__":{"format":"pt"}})",
                       32);
    uint64_t off = 0;
    auto t = parse_safetensors(f, "x", &off);
    CHECK_EQ(t.size(), size_t(2));
    CHECK_EQ(off, f.size() - 32);
}

TEST_CASE(hostile_headers_are_rejected_with_reasons) {
    CHECK_THROWS_WITH(FileError, parse({}), "shorter than");
    CHECK_THROWS_WITH(FileError, parse(make_file("{}", {}, 1000)), "runs past the end");
    CHECK_THROWS_WITH(FileError, parse(make_file("[1,2]", 0)), "not a valid JSON object");
    CHECK_THROWS_WITH(FileError, parse(make_file(R"({"a":{"dtype":"I8","shape":[1],"data_offsets":[0,1]}})", 1)),
                      "unsupported dtype I8");
    CHECK_THROWS_WITH(FileError, parse(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", 4)),
                      "need");
    CHECK_THROWS_WITH(FileError, parse(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", 4)),
                      "end before");
    CHECK_THROWS_WITH(FileError,
                      parse(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                      R"("b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})",
                                      8)),
                      "overlap");
    CHECK_THROWS_WITH(FileError,
                      parse(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", 4)),
                      "past the end");
    CHECK_THROWS_WITH(FileError,
                      parse(make_file(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4)),
                      "non-negative");
    CHECK_THROWS_WITH(FileError,
                      parse(make_file(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],)"
                                      R"("data_offsets":[0,4]}})",
                                      4)),
                      "absurd");
    CHECK_THROWS_WITH(FileError, parse(make_file(R"({"a":7})", 0)), "lacks");
}

// Random bytes and random mutations of a valid file must only ever throw FileError.
TEST_CASE(fuzzed_headers_never_crash) {
    const std::string good = R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
                             R"("b":{"dtype":"F16","shape":[4],"data_offsets":[24,32]}})";
    std::mt19937 rng(42);
    int rejected = 0;
    for (int i = 0; i < 3000; ++i) {
        auto f = make_file(good, 32);
        const int edits = 1 + int(rng() % 4);
        for (int e = 0; e < edits; ++e) f[rng() % f.size()] = std::byte(rng() & 0xff);
        if (rng() % 5 == 0) f.resize(rng() % f.size());
        try {
            parse(f);
        } catch (const FileError&) {
            ++rejected;
        }
    }
    CHECK(rejected > 0);
}

TEST_CASE(config_values_are_checked) {
    auto cfg = [](const char* s) { return ModelConfig::from_json(nlohmann::json::parse(s), "config.json"); };
    ModelConfig c = cfg(R"({"n_layer":2,"n_head":3,"n_embd":48,"n_positions":64,"vocab_size":100})");
    CHECK_EQ(c.head_dim(), 16);
    CHECK_EQ(c.inner(), 192);
    CHECK_THROWS_WITH(FileError, cfg(R"({"n_head":5,"n_embd":48})"), "multiple of n_head");
    CHECK_THROWS_WITH(FileError, cfg(R"({"n_layer":"two"})"), "wrong type");
    CHECK_THROWS_WITH(FileError, cfg(R"({"n_layer":0})"), "n_layer");
    CHECK_THROWS_WITH(FileError, cfg(R"({"model_type":"falcon"})"), "model_type is \"falcon\"");
    CHECK_THROWS_WITH(FileError, cfg(R"({"activation_function":"mish"})"), "not supported");
    CHECK_THROWS_WITH(FileError, cfg("[]"), "not a JSON object");
    // Numbers past int's range were truncated silently (2^32 + 2 became 2).
    CHECK_THROWS_WITH(FileError, cfg(R"({"n_layer":4294967298})"), "too large");
    CHECK_THROWS_WITH(FileError, cfg(R"({"n_positions":99999999999999999999})"), "too large");
    CHECK_THROWS_WITH(FileError, cfg(R"({"n_head":2.5})"), "whole number");
    CHECK_THROWS_WITH(FileError, cfg(R"({"vocab_size":-4294967296})"), "too large");
}

FABULA_TEST_MAIN

// ---- the hub's metadata (GET /api/models/REPO) ------------------------------
#include "core/hub_metadata.h"

#include <cctype>

namespace {

constexpr HubWantedFile kHubWanted[] = {
    {"config.json", true}, {"generation_config.json", false}, {"vocab.json", true}, {"model.safetensors", true}};

const std::string kBlob40 = "0123456789abcdef0123456789abcdef01234567";
const std::string kSha64 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

std::string hub_sibling(const std::string& name, const std::string& rest) {
    return R"({"rfilename":")" + name + "\"" + (rest.empty() ? "" : "," + rest) + "}";
}
std::string hub_small(const std::string& name, int64_t size) {
    return hub_sibling(name, "\"size\":" + std::to_string(size) + R"(,"blobId":")" + kBlob40 + "\"");
}
std::string hub_lfs(const std::string& name, int64_t size, const std::string& sha = kSha64) {
    return hub_sibling(name, R"("blobId":")" + kBlob40 + R"(","lfs":{"size":)" + std::to_string(size) +
                                 R"(,"sha256":")" + sha + "\"}");
}
std::string hub_body(const std::vector<std::string>& siblings) {
    std::string s = R"({"id":"gpt2","siblings":[)";
    for (size_t i = 0; i < siblings.size(); ++i) s += (i ? "," : "") + siblings[i];
    return s + "]}";
}
HubMetadata hub_parse(const std::string& body) { return parse_hub_metadata(body, kHubWanted); }

} // namespace

// Shards are files beside the index: a name that leaves the folder, a shard
// that is missing, or a tensor the index puts in a shard that lacks it is
// refused naming the file.
TEST_CASE(shard_index_is_checked) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("fabula-shards-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto write = [&](const std::string& name, const std::string& text) { std::ofstream(dir / name) << text; };
    float one = 1.0f;
    write_safetensors(dir / "a.safetensors", {{"x", DType::F32, {1}, &one}});
    const fs::path index = dir / "model.safetensors.index.json";
    write("model.safetensors.index.json", R"({"weight_map":{"x":"a.safetensors"}})");
    CHECK(WeightFiles(index).find("x").info != nullptr);
    CHECK(WeightFiles(index).find("y").info == nullptr);
    write("model.safetensors.index.json", R"({"weight_map":{"x":"../a.safetensors"}})");
    CHECK_THROWS_WITH(FileError, WeightFiles{index}, "is not a file in this folder");
    write("model.safetensors.index.json", R"({"weight_map":{"x":"a.safetensors","y":"b.safetensors"}})");
    CHECK_THROWS_WITH(FileError, WeightFiles{index}, "b.safetensors: missing");
    write("model.safetensors.index.json", R"({"weight_map":{"x":"a.safetensors","z":"a.safetensors"}})");
    CHECK_THROWS_WITH(FileError, WeightFiles{index}, "lacks tensor 'z'");
    write("model.safetensors.index.json", R"({"metadata":{}})");
    CHECK_THROWS_WITH(FileError, WeightFiles{index}, "weight_map");
    fs::remove_all(dir);
}

TEST_CASE(hub_metadata_lists_wanted_files_in_order) {
    std::string upper = kSha64;
    for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
    const HubMetadata m = hub_parse(hub_body({hub_lfs("model.safetensors", 1000, upper), hub_small("README.md", 5),
                                              hub_small("vocab.json", 30), hub_small("config.json", 7)}));
    CHECK(m.problem == HubMetadata::Problem::None);
    CHECK_EQ(m.files.size(), size_t(3)); // generation_config.json is optional and not listed
    CHECK_EQ(m.files[0].name, std::string("config.json"));
    CHECK_EQ(m.files[1].name, std::string("vocab.json"));
    CHECK_EQ(m.files[2].name, std::string("model.safetensors"));
    CHECK(!m.files[0].lfs());
    CHECK_EQ(m.files[0].blob_id, kBlob40);
    CHECK_EQ(m.files[0].size, int64_t(7));
    CHECK(m.files[2].lfs());
    CHECK_EQ(m.files[2].sha256, kSha64); // lowercased
    CHECK(m.files[2].blob_id.empty());   // an LFS file is checked by its sha256 only
    CHECK_EQ(m.files[2].size, int64_t(1000));
    CHECK_EQ(m.total_bytes, int64_t(1037));
}

TEST_CASE(hub_metadata_names_each_problem) {
    const std::string config = hub_small("config.json", 7), vocab = hub_small("vocab.json", 30);
    const std::string model = hub_lfs("model.safetensors", 1000);
    for (const char* body : {"", "not json", "[]", R"({"siblings":{}})", R"({"siblings":"x"})", R"({"id":"gpt2"})"})
        CHECK(hub_parse(body).problem == HubMetadata::Problem::NotAFileList);
    CHECK(hub_parse(hub_body({config, vocab})).problem == HubMetadata::Problem::NoSafetensors);

    HubMetadata m = hub_parse(hub_body({config, model}));
    CHECK(m.problem == HubMetadata::Problem::MissingRequired);
    CHECK_EQ(m.problem_file, std::string("vocab.json"));
    CHECK(m.files.empty());

    auto no_checksum_for = [&](const std::string& broken_vocab) {
        const HubMetadata r = hub_parse(hub_body({config, broken_vocab, model}));
        return r.problem == HubMetadata::Problem::NoChecksum && r.problem_file == "vocab.json";
    };
    CHECK(no_checksum_for(hub_sibling("vocab.json", R"("size":30)")));                          // no blobId
    CHECK(no_checksum_for(hub_sibling("vocab.json", R"("blobId":")" + kBlob40 + "\"")));        // no size
    CHECK(no_checksum_for(hub_sibling("vocab.json", R"("size":"30","blobId":")" + kBlob40 + "\"")));
    CHECK(no_checksum_for(hub_sibling("vocab.json", R"("size":30.5,"blobId":")" + kBlob40 + "\"")));
    CHECK(no_checksum_for(hub_sibling("vocab.json", R"("size":1e30,"blobId":")" + kBlob40 + "\"")));
    CHECK(no_checksum_for(hub_small("vocab.json", -1)));
    CHECK(no_checksum_for(hub_sibling("vocab.json", R"("size":30,"blobId":")" + kBlob40.substr(1) + "\"")));
    CHECK(no_checksum_for(hub_sibling("vocab.json", R"("size":30,"blobId":")" + kBlob40 + "\\n\"")));
    CHECK(no_checksum_for(hub_lfs("vocab.json", 30, kSha64.substr(0, 63) + "g")));
    // An LFS entry is checked by its sha256 even when a blobId is there too.
    CHECK(no_checksum_for(hub_sibling("vocab.json", R"("size":30,"blobId":")" + kBlob40 + R"(","lfs":{"size":30})")));
}

TEST_CASE(hub_metadata_edge_cases) {
    const std::string config = hub_small("config.json", 7), vocab = hub_small("vocab.json", 30);
    // The last entry of a name counts, as it did with Qt's JSON.
    HubMetadata m = hub_parse(hub_body({config, hub_small("vocab.json", 1), vocab, hub_lfs("model.safetensors", 9)}));
    CHECK(m.problem == HubMetadata::Problem::None);
    CHECK_EQ(m.files[1].size, int64_t(30));
    // A whole number written as a fraction is a size; an empty "lfs" object means a plain file.
    m = hub_parse(hub_body({hub_sibling("config.json", R"("size":7.0,"lfs":{},"blobId":")" + kBlob40 + "\""), vocab,
                            hub_lfs("model.safetensors", 9)}));
    CHECK(m.problem == HubMetadata::Problem::None);
    CHECK_EQ(m.files[0].size, int64_t(7));
    CHECK(!m.files[0].lfs());
    // Entries that are not objects are ignored.
    m = hub_parse(R"({"siblings":[1,null,"model.safetensors",[],)" + config + "," + vocab + "," +
                  hub_lfs("model.safetensors", 9) + "]}");
    CHECK(m.problem == HubMetadata::Problem::None);
    CHECK_EQ(m.total_bytes, int64_t(46));
    // Sizes whose sum does not fit in 64 bits are refused, not wrapped.
    const int64_t big = int64_t(1) << 62;
    m = hub_parse(hub_body({hub_small("config.json", 7), hub_small("vocab.json", big),
                            hub_lfs("model.safetensors", big)}));
    CHECK(m.problem == HubMetadata::Problem::NoChecksum);
    CHECK_EQ(m.problem_file, std::string("model.safetensors"));
}

// Mutations of a valid answer never throw, and what is accepted keeps the
// header's promises.
TEST_CASE(hub_metadata_mutations_keep_invariants) {
    const std::string good = hub_body({hub_small("config.json", 7), hub_small("vocab.json", 30),
                                       hub_lfs("model.safetensors", 1000)});
    std::mt19937 rng(7);
    int accepted = 0, refused = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string body = good;
        const int edits = 1 + int(rng() % 3);
        for (int e = 0; e < edits; ++e) body[rng() % body.size()] = char(rng() & 0xff);
        const HubMetadata m = hub_parse(body);
        if (m.problem != HubMetadata::Problem::None) {
            ++refused;
            CHECK(m.files.empty());
            continue;
        }
        ++accepted;
        int64_t sum = 0;
        for (const HubFile& f : m.files) {
            CHECK(f.size >= 0);
            CHECK(f.sha256.empty() != f.blob_id.empty());
            CHECK(f.lfs() ? f.sha256.size() == 64 : f.blob_id.size() == 40);
            sum += f.size;
        }
        CHECK_EQ(sum, m.total_bytes);
    }
    CHECK(accepted > 0);
    CHECK(refused > 0);
}
