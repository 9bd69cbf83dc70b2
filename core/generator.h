#pragma once
// Text generation for the app and the CLI: prompt in chunks, then token by
// token, each decoded piece streamed through a callback, cancellable from
// another thread at the next token boundary.
#include "core/causal_lm.h"
#include "core/sampler.h"
#include "core/tokenizer.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fabula {

enum class StopReason { EndOfText, MaxTokens, StopString, ContextFull, Cancelled };
std::string to_string(StopReason);

struct GenerationResult {
    std::vector<int32_t> prompt_ids;
    std::vector<int32_t> generated_ids; // new tokens only, end-of-text included when generated
    std::string text;                   // the continuation only, cut after a stop string
    StopReason reason = StopReason::MaxTokens;
    double ms_to_first_token = 0;       // from the start of generate() to the first new token
    double tokens_per_second = 0;       // new tokens after the first, over the time after the first
    int prompt_tokens_processed = 0;    // prompt tokens run through the model for this request
    int prompt_tokens_reused = 0;       // prompt tokens whose keys and values the KV cache already held
};

class Generator {
public:
    Generator(CausalLM& model, const Tokenizer& tokenizer);

    using PieceCallback = std::function<void(std::string_view piece)>;
    // Thread-compatible: one generate() at a time per model. The callback runs
    // on the calling thread and never sees a broken UTF-8 sequence.
    GenerationResult generate(std::span<const int32_t> prompt_ids, const SamplingSettings& settings,
                              const PieceCallback& on_piece = {}, const std::atomic<bool>* cancel = nullptr);

    // A prompt as the model saw text in training: BOS first when the
    // tokenizer adds one (Llama), as Hugging Face's tokenizer(text) does.
    static std::vector<int32_t> with_bos(const Tokenizer& tokenizer, std::span<const int32_t> ids);

    // A long "max new tokens" would squeeze the story out of the prompt: at
    // most half the context goes to new tokens. The app and the CLI clamp
    // with this and tell the writer when it changed the setting.
    static int clamp_max_new_tokens(int requested, int context_length) {
        return std::max(1, std::min(requested, context_length / 2));
    }

    // Generation ends at any of these (the model's eos ids and the tokenizer's end of text).
    std::vector<int32_t> end_ids;
    // Prompt tokens per forward pass between cancellation checks; 0: by the
    // model's size and precision (default_prompt_chunk).
    int prompt_chunk = 0;
    static int default_prompt_chunk(const ModelConfig& config, Precision precision);
    // For tests of cancellation: sleep this long after each generated token.
    int test_token_delay_ms = 0;
    // Called after each prompt chunk with the prompt tokens processed so far
    // (tests set the cancel flag from here, deterministically).
    std::function<void(size_t done)> on_prompt_chunk;
    // Called with the logits at the prompt's last position, before sampling
    // (tests compare a reused prefix with a full recomputation).
    std::function<void(std::span<const float> logits)> on_prompt_logits;

private:
    CausalLM& model_;
    const Tokenizer& tokenizer_;
    std::vector<int32_t> cached_ids_; // what the model's KV cache holds, to reuse a shared prefix
};

} // namespace fabula
