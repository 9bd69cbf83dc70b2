#include "app/cli_commands.h"
#include "app/cli_common.h"
#include "core/tokenizer.h"

#include <cstdio>

namespace fabula::cli {

const CommandHelp& tokenize_help() {
    static const CommandHelp h{
        "tokenize", "token ids of a text (a JSON array on stdout), or with --decode the text of ids",
        "  # GPT-2 tokens of a text, and back\n"
        "  fabula-cli tokenize --model ../shared/data/gpt2 --text \"Once upon a time\"\n"
        "  echo '[7454, 2402, 257, 640]' | fabula-cli tokenize --model ../shared/data/gpt2 --decode\n"};
    return h;
}

int tokenize_command(const Argv& argv) {
    const OptionTable table = {
        required_option("model", "DIR",
                        "the folder with the tokenizer (tokenizer.json, vocab.json + merges.txt, or tokenizer.model)"),
        text_option("text", "TEXT", "the text (with --decode: a JSON array of ids)", "all of stdin"),
        switch_option("eot-as-text", "read special tokens in the text (<|endoftext|>, <s>) as plain text"),
        switch_option("decode", "turn a JSON array of ids back into text"),
        switch_option("specials", "add what the tokenizer adds around a text (BOS, EOS), as Hugging Face does"),
    };
    Args a = parse_args(tokenize_help(), table, argv);
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
    const auto eot = a.has("eot-as-text") ? Tokenizer::EndOfText::AsText : Tokenizer::EndOfText::Special;
    const auto ids = a.has("specials") ? tok.encode_with_specials(input, eot) : tok.encode(input, eot);
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
