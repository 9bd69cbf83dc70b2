#include "core/generator.h"

#include "core/error.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace fabula {

std::string to_string(StopReason r) {
    switch (r) {
    case StopReason::EndOfText: return "end_of_text";
    case StopReason::MaxTokens: return "max_tokens";
    case StopReason::StopString: return "stop_string";
    case StopReason::ContextFull: return "context_full";
    case StopReason::Cancelled: return "cancelled";
    }
    return "?";
}

Generator::Generator(CausalLM& model, const Tokenizer& tokenizer) : model_(model), tokenizer_(tokenizer) {
    // The model's end ids (Llama 3 lists several) and the tokenizer's.
    for (int id : model.config().eos_token_ids)
        if (id >= 0) end_ids.push_back(id);
    const int32_t eot = tokenizer.end_of_text_id();
    if (eot >= 0 && std::find(end_ids.begin(), end_ids.end(), eot) == end_ids.end()) end_ids.push_back(eot);
}

// Stop waits for the pass under way, so passes are short; but int8's GEMM
// repacks every weight panel per pass, and for a small model under int8 a
// 512-token pass measured 4-15 % faster than two of 256 (GPT-2 124M, Zen 4;
// fp32 and bf16 were as fast or faster in 256). 512 there, while a pass
// stays under 80 G multiply-adds (a quarter second on two cores); 256 else.
int Generator::default_prompt_chunk(const ModelConfig& config, Precision precision) {
    const bool small = 512 * config.parameter_count() <= int64_t(80'000'000'000);
    return precision == Precision::Int8 && small ? 512 : 256;
}

std::vector<int32_t> Generator::with_bos(const Tokenizer& tokenizer, std::span<const int32_t> ids) {
    std::vector<int32_t> out;
    const auto bos = tokenizer.bos_id();
    if (tokenizer.adds_bos() && bos && (ids.empty() || ids.front() != *bos)) out.push_back(*bos);
    out.insert(out.end(), ids.begin(), ids.end());
    return out;
}

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

// Length of the longest suffix of text that could still grow into a stop string.
size_t pending_stop_prefix(const std::string& text, const std::vector<std::string>& stops) {
    size_t keep = 0;
    for (const auto& s : stops)
        for (size_t n = std::min(s.size() - 1, text.size()); n > keep; --n)
            if (text.compare(text.size() - n, n, s, 0, n) == 0) {
                keep = n;
                break;
            }
    return keep;
}

} // namespace

GenerationResult Generator::generate(std::span<const int32_t> prompt_ids, const SamplingSettings& settings,
                                     const PieceCallback& on_piece, const std::atomic<bool>* cancel) {
    settings.validate();
    const auto start = Clock::now();
    GenerationResult r;
    r.prompt_ids.assign(prompt_ids.begin(), prompt_ids.end());
    if (prompt_ids.empty()) throw UsageError("the prompt is empty: give the model some text to continue");
    if (static_cast<int>(prompt_ids.size()) >= model_.context_length())
        throw UsageError("the prompt has " + std::to_string(prompt_ids.size()) + " tokens; the model's context holds " +
                         std::to_string(model_.context_length()));
    auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };

    // Reuse the cached prefix shared with the last call (regenerating from the
    // same text costs no prompt pass), but always run at least one token.
    size_t common = 0;
    const size_t limit = std::min({cached_ids_.size(), prompt_ids.size() - 1, size_t(model_.position())});
    while (common < limit && cached_ids_[common] == prompt_ids[common]) ++common;
    // An edit in the middle leaves only the tokens before it reusable: the
    // positions are absolute, so everything after the first difference is
    // recomputed.
    model_.rewind(static_cast<int>(common));
    cached_ids_.assign(prompt_ids.begin(), prompt_ids.begin() + common);
    r.prompt_tokens_reused = static_cast<int>(common);

    std::vector<float> logits;
    const int chunk = prompt_chunk > 0 ? prompt_chunk : default_prompt_chunk(model_.config(), model_.placement().precision);
    for (size_t pos = common; pos < prompt_ids.size();) {
        if (cancelled()) {
            r.reason = StopReason::Cancelled;
            return r;
        }
        const size_t n = std::min(prompt_ids.size() - pos, static_cast<size_t>(chunk));
        logits = model_.forward(prompt_ids.subspan(pos, n));
        cached_ids_.insert(cached_ids_.end(), prompt_ids.begin() + pos, prompt_ids.begin() + pos + n);
        pos += n;
        r.prompt_tokens_processed += static_cast<int>(n);
        if (on_prompt_chunk) on_prompt_chunk(pos);
    }

    if (on_prompt_logits) on_prompt_logits(logits);
    Sampler sampler(settings, tokenizer_.vocab_size(), end_ids);
    StreamingDecoder decoder(tokenizer_);
    std::vector<int32_t> history(prompt_ids.begin(), prompt_ids.end());
    size_t emitted = 0;
    Clock::time_point first{}, last{};
    auto emit_up_to = [&](size_t end) {
        if (end > emitted && on_piece) on_piece(std::string_view(r.text).substr(emitted, end - emitted));
        emitted = std::max(emitted, end);
    };

    r.reason = StopReason::MaxTokens;
    for (int i = 0; i < settings.max_new_tokens; ++i) {
        if (cancelled()) {
            r.reason = StopReason::Cancelled;
            break;
        }
        const int32_t id = sampler.next(logits, history, i);
        last = Clock::now();
        if (i == 0) {
            first = last;
            r.ms_to_first_token = ms_between(start, first);
        }
        r.generated_ids.push_back(id);
        history.push_back(id);
        if (settings.stop_at_end_of_text && std::find(end_ids.begin(), end_ids.end(), id) != end_ids.end()) {
            r.reason = StopReason::EndOfText;
            break;
        }
        r.text += decoder.push(id);
        bool stop_hit = false;
        for (const auto& s : settings.stop_strings) {
            size_t at = r.text.find(s, emitted > s.size() ? emitted - s.size() : 0);
            if (at != std::string::npos) {
                r.text.resize(at + s.size());
                stop_hit = true;
            }
        }
        if (stop_hit) {
            r.reason = StopReason::StopString;
            break;
        }
        emit_up_to(r.text.size() - pending_stop_prefix(r.text, settings.stop_strings));
        if (test_token_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(test_token_delay_ms));
        if (i + 1 == settings.max_new_tokens) break;
        if (model_.position() >= model_.context_length()) {
            r.reason = StopReason::ContextFull;
            break;
        }
        const int32_t one[1] = {id};
        logits = model_.forward(one);
        cached_ids_.push_back(id);
    }
    if (r.reason != StopReason::StopString) r.text += decoder.flush();
    emit_up_to(r.text.size());
    if (r.generated_ids.size() > 1) r.tokens_per_second = double(r.generated_ids.size() - 1) / (ms_between(first, last) / 1000.0);
    return r;
}

} // namespace fabula
