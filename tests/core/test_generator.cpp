// The generation API the app uses: streaming, cancelling from another
// thread, prompt chunks, prefix reuse and timings, on a tiny random GPT-2
// made by transformers at test time.
#include "check.h"
#include "core/error.h"
#include "core/generator.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

using namespace fabula;
namespace fs = std::filesystem;

namespace {

const fs::path& tiny_model() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("fabula-generator-test-" + std::to_string(::getpid()));
        const std::string cmd = std::string(FABULA_PYTHON) + " -c \"import sys; sys.path.insert(0, '" +
                                FABULA_SOURCE + "/tests/python'); from model_fixtures import make_model; make_model('" +
                                d.string() + "', n_layer=2, n_head=2, n_embd=32, n_positions=256, init=0.05)\" > /dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("could not make the test model: " + cmd);
        return d;
    }();
    return dir;
}

struct Engine {
    ModelFolder folder = ModelFolder::inspect(tiny_model());
    Tokenizer tokenizer = folder.load_tokenizer();
    std::unique_ptr<CausalLM> model = CausalLM::load(folder, {Precision::FP32, DeviceKind::CPU, 1});
    Generator generator{*model, tokenizer};
};

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        unsigned char c = s[i];
        int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (int k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
        i += n;
    }
    return true;
}

} // namespace

TEST_CASE(streamed_pieces_are_valid_utf8_and_make_the_text) {
    Engine e;
    SamplingSettings s;
    s.seed = 11;
    s.top_k = 0;
    s.max_new_tokens = 60;
    s.min_new_tokens = 60;
    std::string streamed;
    int pieces = 0;
    auto ids = e.tokenizer.encode("Über den Wolken 🌤 war es still.");
    GenerationResult r = e.generator.generate(ids, s, [&](std::string_view p) {
        CHECK(valid_utf8(p));
        streamed += p;
        ++pieces;
    });
    CHECK_EQ(r.generated_ids.size(), size_t(60));
    CHECK_EQ(streamed, r.text);
    CHECK(pieces > 1);
    CHECK(r.ms_to_first_token > 0);
    CHECK(r.tokens_per_second > 0);
}

TEST_CASE(cancel_from_another_thread_stops_at_the_next_token) {
    Engine e;
    e.generator.test_token_delay_ms = 20;
    SamplingSettings s;
    s.greedy = true;
    s.max_new_tokens = 200;
    s.min_new_tokens = 200;
    std::atomic<bool> cancel{false};
    std::atomic<int> seen{0};
    int at_cancel = -1;
    std::thread canceller([&] {
        while (seen.load() < 5) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        at_cancel = seen.load();
        cancel.store(true);
    });
    GenerationResult r = e.generator.generate(e.tokenizer.encode("Once upon a time"), s,
                                              [&](std::string_view) { seen.fetch_add(1); }, &cancel);
    canceller.join();
    CHECK(r.reason == StopReason::Cancelled);
    CHECK(r.generated_ids.size() >= size_t(at_cancel));
    CHECK(r.generated_ids.size() <= size_t(at_cancel) + 2);
}

TEST_CASE(cancel_during_a_long_prompt_stops_between_chunks) {
    Engine e;
    e.generator.prompt_chunk = 8;
    std::vector<int32_t> prompt(100, 464);
    std::atomic<bool> cancel{false};
    std::vector<size_t> chunks;
    // Cancelled by the hook after the first chunk: exactly one chunk ran.
    e.generator.on_prompt_chunk = [&](size_t done) {
        chunks.push_back(done);
        cancel.store(true);
    };
    SamplingSettings s;
    GenerationResult r = e.generator.generate(prompt, s, {}, &cancel);
    CHECK(r.reason == StopReason::Cancelled);
    CHECK(r.generated_ids.empty());
    CHECK(chunks.size() == 1);
    CHECK(!chunks.empty() && chunks[0] == 8);
    // Without a cancel every chunk runs, in steps of 8.
    cancel.store(false);
    chunks.clear();
    e.generator.on_prompt_chunk = [&](size_t done) { chunks.push_back(done); };
    s.max_new_tokens = 1;
    std::vector<int32_t> other(40, 318);
    r = e.generator.generate(other, s, {}, &cancel);
    CHECK(r.generated_ids.size() == 1);
    CHECK(chunks.size() == 5);
    CHECK(!chunks.empty() && chunks.back() == 40);
}

TEST_CASE(chunked_prompt_and_reused_prefix_give_the_same_tokens) {
    Engine e;
    SamplingSettings s;
    s.greedy = true;
    s.max_new_tokens = 20;
    auto prompt = e.tokenizer.encode("The harbour was quiet that night, and the boats rocked gently as the tide came in.");
    e.generator.prompt_chunk = 1000;
    auto a = e.generator.generate(prompt, s);
    e.generator.prompt_chunk = 3;
    e.model->reset();
    auto b = e.generator.generate(prompt, s);
    auto c = e.generator.generate(prompt, s); // regenerate: the cached prefix is reused
    CHECK(a.generated_ids == b.generated_ids);
    CHECK(a.generated_ids == c.generated_ids);
    auto longer = prompt;
    longer.push_back(a.generated_ids[0]);
    auto d = e.generator.generate(longer, s); // extends the cache
    CHECK(std::vector<int32_t>(a.generated_ids.begin() + 1, a.generated_ids.end()) ==
          std::vector<int32_t>(d.generated_ids.begin(), d.generated_ids.end() - 1));
}

TEST_CASE(fit_to_context_keeps_the_last_tokens) {
    Engine e;
    std::vector<int32_t> ids(300);
    for (int i = 0; i < 300; ++i) ids[i] = i;
    auto fitted = e.generator.fit_to_context(ids, 56);
    CHECK_EQ(fitted.size(), size_t(200));
    CHECK_EQ(fitted.front(), 100);
    CHECK_EQ(fitted.back(), 299);
}

TEST_CASE(bad_requests_are_usage_errors) {
    Engine e;
    SamplingSettings s;
    CHECK_THROWS_WITH(UsageError, e.generator.generate({}, s), "empty");
    std::vector<int32_t> too_long(256, 464);
    CHECK_THROWS_WITH(UsageError, e.generator.generate(too_long, s), "context");
    s.top_p = 0;
    CHECK_THROWS_WITH(UsageError, e.generator.generate(e.tokenizer.encode("Hi"), s), "top-p");
}

FABULA_TEST_MAIN
