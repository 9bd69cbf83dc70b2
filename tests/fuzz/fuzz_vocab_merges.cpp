// vocab.json + merges.txt (core/tokenizer.h), given as one input split at its
// first NUL byte. A tokenizer built from them has a token for every byte and
// <|endoftext|>, and gives back any text it encodes: the files' own text and
// the raw input are encoded and decoded.
#include "tokenizer_checks.h"

using namespace fabula;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string vocab_name = "vocab.json", merges_name = "merges.txt";
    const auto input = fabula_fuzz::as_text(data, size);
    const auto parts = fabula_fuzz::split_at_nul(input);
    const std::string_view vocab = parts.first, merges = parts.second;
    const auto tok = fabula_fuzz::accepted(
        [&] { return Tokenizer::from_texts(vocab, merges, vocab_name, merges_name); }, vocab_name, merges_name);
    if (!tok) return 0;
    fabula_fuzz::check_tokenizer(*tok);
    fabula_fuzz::check_round_trip(*tok, merges);
    fabula_fuzz::check_round_trip(*tok, input);
    return 0;
}
