#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "core/tokenizer.h"

#include <cstdio>

namespace fabula::cli {

int tokenize_command(const Argv& argv) {
    Args a(argv, {"model", "text"}, {"eot-as-text", "decode"});
    Tokenizer tok = Tokenizer::from_dir(a.require("model"));
    // Text is taken exactly as given: stdin is read whole and nothing is stripped.
    const std::string input = a.has("text") ? *a.get("text") : read_all_stdin();
    if (a.has("decode")) {
        std::vector<int32_t> ids = parse_ids(input, "the input");
        for (int32_t id : ids)
            if (id >= tok.vocab_size())
                throw UsageError("token id " + std::to_string(id) + " is not in the vocabulary (" +
                                 std::to_string(tok.vocab_size()) + " tokens)");
        const std::string text = tok.decode(ids);
        std::fwrite(text.data(), 1, text.size(), stdout);
        return 0;
    }
    auto ids = tok.encode(input, a.has("eot-as-text") ? Tokenizer::EndOfText::AsText : Tokenizer::EndOfText::Special);
    std::string out = "[";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ",";
        out += std::to_string(ids[i]);
    }
    out += "]\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

} // namespace fabula::cli
