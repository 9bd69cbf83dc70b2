// The model-file parsers on hostile input: built twice, once plain and once
// with AddressSanitizer + UBSan, so an out-of-bounds read fails the suite.
#include "check.h"
#include "core/error.h"
#include "core/model_config.h"
#include "core/safetensors.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <random>

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
    CHECK_THROWS_WITH(FileError, cfg(R"({"model_type":"llama"})"), "GPT-2");
    CHECK_THROWS_WITH(FileError, cfg(R"({"activation_function":"swish"})"), "not supported");
    CHECK_THROWS_WITH(FileError, cfg("[]"), "not a JSON object");
}

FABULA_TEST_MAIN
