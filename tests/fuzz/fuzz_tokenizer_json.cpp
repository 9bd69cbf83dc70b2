// tokenizer.json (core/tokenizer.h). A tokenizer built from it has a token for
// every byte and <|endoftext|>, and gives back any text it encodes: the file's
// own text is encoded and decoded.
#include "tokenizer_checks.h"

using namespace fabula;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string name = "tokenizer.json";
    const auto text = fabula_fuzz::as_text(data, size);
    const auto tok = fabula_fuzz::accepted([&] { return Tokenizer::from_tokenizer_json_text(text, name); }, name);
    if (!tok) return 0;
    fabula_fuzz::check_tokenizer(*tok);
    fabula_fuzz::check_round_trip(*tok, text);
    return 0;
}
