#pragma once
// What every tokenizer Fabula loads must do, whichever files it came from:
// byte-level BPE gives back any bytes it was given, token for token.
#include "core/tokenizer.h"
#include "core/utf8.h"
#include "fuzz_support.h"

#include <stdexcept>

namespace fabula_fuzz {

using fabula::StreamingDecoder;
using fabula::Tokenizer;

// eot_splits_as_text: the literal "<|endoftext|>" is only special, never a
// plain added token (which Hugging Face matches even with split_special_tokens).
inline void check_round_trip(const Tokenizer& tok, std::string_view text, bool eot_splits_as_text = true) {
    for (const auto eot : {Tokenizer::EndOfText::Special, Tokenizer::EndOfText::AsText}) {
        const std::vector<int32_t> ids = tok.encode(text, eot);
        for (int32_t id : ids) {
            FUZZ_CHECK(id >= 0 && id < tok.vocab_size());
            // The pre-tokenizer never lets the literal text become the special token.
            if (eot == Tokenizer::EndOfText::AsText && eot_splits_as_text) FUZZ_CHECK(id != tok.end_of_text_id());
        }
        FUZZ_CHECK(tok.decode(ids) == text);
        FUZZ_CHECK(tok.encode(text, eot) == ids); // now from the piece cache

        // Streamed token by token, the text comes out whole, with ill-formed
        // bytes replaced exactly as a one-shot decode replaces them.
        StreamingDecoder stream(tok);
        std::string streamed;
        for (int32_t id : ids) streamed += stream.push(id);
        streamed += stream.flush();
        std::string sanitized;
        fabula::utf8::append_sanitized(text, sanitized, /*final=*/true);
        FUZZ_CHECK(streamed == sanitized);
        if (is_valid_utf8(text)) FUZZ_CHECK(streamed == text);
    }
}

// What holds for any tokenizer, whatever its pipeline.
inline void check_consistent(const Tokenizer& tok, std::string_view text) {
    for (const auto eot : {Tokenizer::EndOfText::Special, Tokenizer::EndOfText::AsText}) {
        const std::vector<int32_t> ids = tok.encode(text, eot);
        for (int32_t id : ids) FUZZ_CHECK(id >= 0 && id < tok.vocab_size());
        FUZZ_CHECK(tok.encode(text, eot) == ids);
        const std::vector<int32_t> with = tok.encode_with_specials(text, eot);
        FUZZ_CHECK(with.size() >= ids.size());
        for (int32_t id : with) FUZZ_CHECK(id >= 0 && id < tok.vocab_size());
        StreamingDecoder stream(tok);
        std::string streamed;
        for (int32_t id : ids) streamed += stream.push(id);
        streamed += stream.flush();
        std::string sanitized;
        fabula::utf8::append_sanitized(tok.decode(ids), sanitized, /*final=*/true);
        FUZZ_CHECK(streamed == sanitized);
    }
}

inline void check_tokenizer(const Tokenizer& tok) {
    FUZZ_CHECK(tok.vocab_size() >= 257); // the 256 bytes and <|endoftext|>
    const int32_t eot = tok.end_of_text_id();
    FUZZ_CHECK(eot >= 0 && eot < tok.vocab_size());
    FUZZ_CHECK(tok.token_bytes(eot) == "<|endoftext|>");
    FUZZ_CHECK(tok.encode("<|endoftext|>") == std::vector<int32_t>{eot});
    for (int b = 0; b < 256; ++b) {
        const std::string byte(1, static_cast<char>(b));
        const std::vector<int32_t> ids = tok.encode(byte, Tokenizer::EndOfText::AsText);
        FUZZ_CHECK(ids.size() == 1 && tok.token_bytes(ids[0]) == byte);
    }
    for (const int32_t bad : {-1, tok.vocab_size()}) {
        bool refused = false;
        try {
            (void)tok.token_bytes(bad);
        } catch (const std::out_of_range&) {
            refused = true;
        }
        FUZZ_CHECK(refused);
    }
}

} // namespace fabula_fuzz
