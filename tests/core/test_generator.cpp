// The generation API the app uses: streaming, cancelling from another
// thread, prompt chunks, prefix reuse (with prompts from build_prompt: what
// runs and what is reused, counted, and logits equal to a full pass) and
// timings, on a tiny random GPT-2 made by transformers at test time.
#include "check.h"
#include "core/error.h"
#include "core/generator.h"
#include "core/prompt_builder.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <thread>

using namespace fabula;
namespace fs = std::filesystem;

namespace {

fs::path make_tiny_model(int n_positions) {
    fs::path d = fs::temp_directory_path() /
                 ("fabula-generator-test-" + std::to_string(::getpid()) + "-" + std::to_string(n_positions));
    const std::string cmd = std::string(FABULA_PYTHON) + " -c \"import sys; sys.path.insert(0, '" + FABULA_SOURCE +
                            "/tests/python'); from model_fixtures import make_model; make_model('" + d.string() +
                            "', n_layer=2, n_head=2, n_embd=32, n_positions=" + std::to_string(n_positions) +
                            ", init=0.05)\" > /dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("could not make the test model: " + cmd);
    return d;
}

const fs::path& tiny_model() {
    static const fs::path dir = make_tiny_model(256);
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

TEST_CASE(the_default_prompt_chunk_follows_the_model_size_and_precision) {
    ModelConfig small; // GPT-2 124M's shapes: a 512-token pass is ~64 G multiply-adds
    CHECK(Generator::default_prompt_chunk(small, Precision::Int8) == 512);
    CHECK(Generator::default_prompt_chunk(small, Precision::FP32) == 256);
    CHECK(Generator::default_prompt_chunk(small, Precision::BF16) == 256);
    ModelConfig xl = small; // GPT-2 XL: the same pass would be ~800 G
    xl.n_embd = 1600, xl.n_layer = 48, xl.n_head = 25;
    CHECK(Generator::default_prompt_chunk(xl, Precision::Int8) == 256);
    // Unset, the generator runs a prompt in passes of the default: a tiny
    // model with room for 515 tokens, under int8 and fp32.
    const fs::path dir = make_tiny_model(600);
    const ModelFolder folder = ModelFolder::inspect(dir);
    const Tokenizer tokenizer = folder.load_tokenizer();
    for (const auto& [precision, want] : {std::pair{Precision::Int8, std::vector<size_t>{512, 515}},
                                          std::pair{Precision::FP32, std::vector<size_t>{256, 512, 515}}}) {
        auto model = CausalLM::load(folder, {precision, DeviceKind::CPU, 1});
        Generator generator(*model, tokenizer);
        std::vector<size_t> chunks;
        generator.on_prompt_chunk = [&](size_t done) { chunks.push_back(done); };
        SamplingSettings s;
        s.max_new_tokens = 1;
        (void)generator.generate(std::vector<int32_t>(515, 318), s);
        CHECK(chunks == want);
    }
    fs::remove_all(dir);
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

namespace {

// A draft of plain numbered paragraphs: GPT-2's tokens of a paragraph do not
// depend on what follows it, so appending a sentence keeps the earlier ids.
std::string draft_paragraphs(int n) {
    static const char* places[] = {"harbour", "lighthouse", "market", "chapel", "orchard", "quay", "mill"};
    static const char* deeds[] = {"counted the boats", "mended a net", "lit the lamp", "wrote a letter",
                                  "watched the tide", "fed the gulls", "swept the stairs"};
    std::string out;
    for (int i = 0; i < n; ++i) {
        if (i) out += "\n\n";
        out += "On day " + std::to_string(i + 1) + " Mara went to the " + places[i % 7] + " and " + deeds[(i * 3) % 7] +
               ". Tobias did not come back. The wind was cold.";
    }
    return out;
}

StoryContext story_context() {
    StoryContext c;
    c.memory = "Mara keeps the lighthouse on Gull Island. She writes to her lost brother.";
    c.authors_note = "Keep it quiet and sad.";
    c.authors_note_depth = 2;
    LoreEntry tobias;
    tobias.name = "Tobias";
    tobias.keys = {"Tobias"};
    tobias.content = "Tobias is Mara's younger brother, lost at sea in the autumn storm.";
    c.lore = {tobias};
    return c;
}

BuiltPrompt build(const Engine& e, const std::string& story, const StoryContext& c, int max_new) {
    PromptRequest q;
    q.story = story;
    q.context = &c;
    q.context_length = e.model->context_length();
    q.max_new_tokens = max_new;
    return build_prompt(e.tokenizer, q);
}

size_t common_prefix(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
}

// What the KV cache holds after a request: the prompt and every new token
// but the last, which was sampled and never run.
std::vector<int32_t> cache_after(const GenerationResult& r) {
    std::vector<int32_t> held = r.prompt_ids;
    if (!r.generated_ids.empty()) held.insert(held.end(), r.generated_ids.begin(), r.generated_ids.end() - 1);
    return held;
}

// Generates with reuse and checks the prompt's last logits against a full
// pass of a second copy of the model (no cache to reuse).
struct ReuseRun {
    Engine e;
    Engine fresh;
    SamplingSettings s;
    ReuseRun() {
        s.greedy = true;
        s.max_new_tokens = 12;
        s.min_new_tokens = 12;
        e.generator.prompt_chunk = 64;
    }
    GenerationResult generate(const std::vector<int32_t>& ids) {
        std::vector<float> reused;
        e.generator.on_prompt_logits = [&](std::span<const float> l) { reused.assign(l.begin(), l.end()); };
        GenerationResult r = e.generator.generate(ids, s);
        fresh.model->reset();
        const std::vector<float> full = fresh.model->forward(ids);
        CHECK_EQ(reused.size(), full.size());
        float worst = 0;
        for (size_t i = 0; i < full.size() && i < reused.size(); ++i) worst = std::max(worst, std::fabs(full[i] - reused[i]));
        CHECK(worst < 1e-4f);
        CHECK_EQ(r.prompt_tokens_processed + r.prompt_tokens_reused, int(ids.size()));
        return r;
    }
};

} // namespace

TEST_CASE(appending_a_sentence_runs_only_the_new_tokens) {
    ReuseRun run;
    const StoryContext c = story_context();
    std::string draft = draft_paragraphs(3);
    const BuiltPrompt p1 = build(run.e, draft, c, run.s.max_new_tokens);
    CHECK(!p1.lore_fired.empty()); // memory, lore and the note are all in the shared prefix
    GenerationResult r1 = run.generate(p1.ids);
    CHECK_EQ(r1.prompt_tokens_reused, 0);
    CHECK_EQ(r1.prompt_tokens_processed, int(p1.ids.size()));

    draft += " She closed the door and sat down to write.";
    const BuiltPrompt p2 = build(run.e, draft, c, run.s.max_new_tokens);
    CHECK_EQ(common_prefix(p1.ids, p2.ids), p1.ids.size()); // the builder kept the earlier prompt as it was
    const std::vector<int32_t> held = cache_after(r1);
    const size_t shared = common_prefix(held, p2.ids);
    CHECK(shared >= p1.ids.size());
    GenerationResult r2 = run.generate(p2.ids);
    CHECK_EQ(r2.prompt_tokens_reused, int(shared));
    CHECK_EQ(r2.prompt_tokens_processed, int(p2.ids.size() - shared));
    // Only the sentence's tokens run (unless the model happened to write its first word).
    if (r1.generated_ids[0] != p2.ids[p1.ids.size()])
        CHECK_EQ(r2.prompt_tokens_processed, int(p2.ids.size() - p1.ids.size()));
}

TEST_CASE(a_draft_longer_than_the_budget_reuses_all_but_the_new_text_until_the_cut_moves) {
    ReuseRun run;
    const StoryContext c = story_context();
    std::string draft = draft_paragraphs(40);
    BuiltPrompt prev = build(run.e, draft, c, run.s.max_new_tokens);
    CHECK(prev.story_cut > 0); // the draft is longer than the budget
    GenerationResult last = run.generate(prev.ids);
    int kept = 0, moved = 0;
    for (int i = 0; i < 14; ++i) {
        draft += " Sentence " + std::to_string(i + 1) + " of the evening was written.";
        const BuiltPrompt next = build(run.e, draft, c, run.s.max_new_tokens);
        CHECK(int(next.ids.size()) <= next.budget);
        const std::vector<int32_t> held = cache_after(last);
        const size_t shared = common_prefix(held, next.ids);
        GenerationResult r = run.generate(next.ids);
        CHECK_EQ(r.prompt_tokens_reused, int(shared));
        CHECK_EQ(r.prompt_tokens_processed, int(next.ids.size() - shared));
        if (next.story_cut == prev.story_cut) {
            ++kept;
            CHECK_EQ(common_prefix(prev.ids, next.ids), prev.ids.size());
            CHECK(size_t(r.prompt_tokens_reused) >= prev.ids.size());
        } else {
            ++moved;
            CHECK(next.story_cut > prev.story_cut);
            // Memory and lore still come from the cache.
            size_t pinned = 0;
            for (const PromptPart& part : next.parts) {
                if (part.kind != PromptPartKind::Memory && part.kind != PromptPartKind::Lore) break;
                pinned += part.ids.size();
            }
            CHECK(pinned > 0);
            CHECK(size_t(r.prompt_tokens_reused) >= pinned);
        }
        prev = next;
        last = r;
    }
    CHECK(kept >= 1);
    CHECK(moved >= 1);
}

TEST_CASE(an_edit_in_the_middle_recomputes_from_the_edit) {
    ReuseRun run;
    const StoryContext c = story_context();
    const std::string draft = draft_paragraphs(4);
    const BuiltPrompt p1 = build(run.e, draft, c, run.s.max_new_tokens);
    run.generate(p1.ids);
    std::string edited = draft;
    const size_t at = edited.find("market");
    CHECK(at != std::string::npos);
    edited.replace(at, 6, "valley");
    const BuiltPrompt p2 = build(run.e, edited, c, run.s.max_new_tokens);
    const size_t first_difference = common_prefix(p1.ids, p2.ids);
    CHECK(first_difference > 0 && first_difference < p1.ids.size() - 10);
    GenerationResult r = run.generate(p2.ids);
    CHECK_EQ(r.prompt_tokens_reused, int(first_difference));
    CHECK_EQ(r.prompt_tokens_processed, int(p2.ids.size() - first_difference));
    // And back: the cache now holds the edited text, so the original recomputes from the same token.
    GenerationResult back = run.generate(p1.ids);
    CHECK_EQ(back.prompt_tokens_reused, int(first_difference));
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
