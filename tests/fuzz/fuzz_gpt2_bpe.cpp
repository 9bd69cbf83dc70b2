// GPT-2's own byte-level BPE (core/tokenizer.h, core/pretokenizer.h) on any
// text: decode(encode(x)) == x for every input (the pre-tokenizer promises it
// even for ill-formed UTF-8), streaming decode gives back valid UTF-8 exactly,
// and a second encode (from the piece cache) agrees with the first. The real
// vocab.json and merges.txt are loaded once, from $FABULA_GPT2_DIR or the
// shared data folder the build was configured with.
#include "core/pretokenizer.h"
#include "tokenizer_checks.h"

#include <cstdlib>
#include <memory>

using namespace fabula;

namespace {

std::unique_ptr<Tokenizer> gpt2;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* env = std::getenv("FABULA_GPT2_DIR");
    const std::filesystem::path dir = env && *env ? env : FABULA_FUZZ_GPT2_DIR;
    gpt2 = std::make_unique<Tokenizer>(Tokenizer::from_files(dir / "vocab.json", dir / "merges.txt"));
    FUZZ_CHECK(gpt2->vocab_size() == 50257 && gpt2->end_of_text_id() == 50256);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto text = fabula_fuzz::as_text(data, size);
    // The pre-tokens cover the text exactly, in order.
    std::string joined;
    for (std::string_view piece : pretokenize(text)) {
        FUZZ_CHECK(!piece.empty());
        joined += piece;
    }
    FUZZ_CHECK(joined == text);
    fabula_fuzz::check_round_trip(*gpt2, text);
    return 0;
}
