// Developer commands that expose engine internals to the parity tests:
// raw logits and the sampler's filtered logits, as float32 files.
#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "core/error.h"
#include "core/sampler.h"

#include <algorithm>
#include <cstring>
#include <fstream>

namespace fabula::cli {

namespace {

void write_floats(const std::string& path, const std::vector<float>& v) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
    if (!f) throw FileError(path, "cannot write");
}

std::vector<float> read_floats(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw FileError(path, "cannot open");
    std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (bytes.size() % 4) throw FileError(path, "not a float32 array");
    std::vector<float> v(bytes.size() / 4);
    std::memcpy(v.data(), bytes.data(), bytes.size());
    return v;
}

} // namespace

// --ids JSON: logits of every position; the first --split tokens go in one
// pass, the rest in chunks of --chunk tokens through the KV cache.
int dev_logits_command(const Argv& argv) {
    std::set<std::string> valued = kEngineOptions;
    valued.insert({"ids", "split", "chunk", "out"});
    Args a(argv, valued, {});
    const ModelFolder folder = ModelFolder::inspect(a.require("model"));
    auto model = Gpt2Model::load(folder, engine_options(a));
    const auto ids = parse_ids(a.require("ids"), "--ids");
    const size_t split = std::min(ids.size(), static_cast<size_t>(a.get_int("split").value_or(ids.size())));
    const size_t chunk = static_cast<size_t>(std::max(1LL, a.get_int("chunk").value_or(1)));
    std::vector<float> all;
    std::span<const int32_t> s(ids);
    if (split > 0) all = model->forward_all(s.first(split));
    for (size_t pos = split; pos < ids.size(); pos += chunk) {
        auto part = model->forward_all(s.subspan(pos, std::min(chunk, ids.size() - pos)));
        all.insert(all.end(), part.begin(), part.end());
    }
    write_floats(a.require("out"), all);
    return 0;
}

// --logits FILE holds rows of --vocab floats; each row is filtered with the
// same --history and settings and written to --out.
int dev_filter_command(const Argv& argv) {
    Args a(argv, {"logits", "vocab", "history", "new-tokens", "temperature", "top-k", "top-p", "repetition-penalty",
                  "min-new-tokens", "eos", "out"},
           {"greedy"});
    SamplingSettings s;
    s.greedy = a.has("greedy");
    s.temperature = a.get_double("temperature").value_or(1.0);
    s.top_k = static_cast<int>(a.get_int("top-k").value_or(50));
    s.top_p = a.get_double("top-p").value_or(1.0);
    s.repetition_penalty = a.get_double("repetition-penalty").value_or(1.0);
    s.min_new_tokens = static_cast<int>(a.get_int("min-new-tokens").value_or(0));
    s.validate();
    const int vocab = static_cast<int>(a.get_int("vocab").value_or(0));
    if (vocab < 1) throw UsageError("--vocab is required");
    auto logits = read_floats(a.require("logits"));
    const auto history = parse_ids(a.get("history").value_or("[]"), "--history");
    Sampler sampler(s, vocab, static_cast<int>(a.get_int("eos").value_or(vocab - 1)));
    const int new_tokens = static_cast<int>(a.get_int("new-tokens").value_or(0));
    for (size_t r = 0; r + vocab <= logits.size(); r += vocab)
        sampler.process(std::span<float>(logits.data() + r, vocab), history, new_tokens);
    write_floats(a.require("out"), logits);
    return 0;
}

} // namespace fabula::cli
