// tokenizer.json (core/tokenizer.h). Whatever pipeline the file describes,
// every id is in the vocabulary, encoding is deterministic (the second time
// from the piece cache) and streaming gives what a one-shot decode gives.
// A byte-level tokenizer with GPT-2's pipeline and every byte also gives back
// any text it encodes, and one with <|endoftext|> reads it as that token: the
// file's own text is encoded and decoded.
#include "tokenizer_checks.h"

#include <nlohmann/json.hpp>

using namespace fabula;

namespace {

bool gpt2_pipeline(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || (j.contains("normalizer") && !j["normalizer"].is_null())) return false;
    const auto pre = j.find("pre_tokenizer");
    return pre != j.end() && pre->is_object() && pre->value("type", nlohmann::json()) == "ByteLevel" &&
           pre->value("add_prefix_space", nlohmann::json(false)) == false &&
           pre->value("use_regex", nlohmann::json(true)) == true;
}

// As in Hugging Face, "<|endoftext|>" is read as one token only when the
// file lists it among its special added tokens; a vocabulary entry alone is
// split like any text.
// `special`: whether the file lists it as a special (true) or a plain (false) added token.
bool end_of_text_added(std::string_view text, bool special) {
    const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("added_tokens") || !j["added_tokens"].is_array()) return false;
    for (const auto& a : j["added_tokens"])
        if (a.is_object() && a.value("content", nlohmann::json()) == "<|endoftext|>" &&
            (a.value("special", nlohmann::json(false)) == true) == special)
            return true;
    return false;
}

bool has_every_byte(const Tokenizer& tok) {
    for (int b = 0; b < 256; ++b) {
        const std::string byte(1, static_cast<char>(b));
        const std::vector<int32_t> ids = tok.encode(byte, Tokenizer::EndOfText::AsText);
        if (ids.size() != 1 || tok.token_bytes(ids[0]) != byte) return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string name = "tokenizer.json";
    const auto text = fabula_fuzz::as_text(data, size);
    const auto tok = fabula_fuzz::accepted([&] { return Tokenizer::from_tokenizer_json_text(text, name); }, name);
    if (!tok) return 0;
    fabula_fuzz::check_consistent(*tok, text);
    if (gpt2_pipeline(text) && has_every_byte(*tok)) {
        if (tok->end_of_text_id() >= 0 && tok->token_bytes(tok->end_of_text_id()) == "<|endoftext|>" &&
            end_of_text_added(text, true))
            fabula_fuzz::check_tokenizer(*tok);
        fabula_fuzz::check_round_trip(*tok, text, !end_of_text_added(text, false));
    }
    return 0;
}
