#pragma once
// The tokenizers of Hugging Face folders, token for token equal to what
// transformers 5's AutoTokenizer makes of the folder:
//  - tokenizer.json (it takes precedence, as in transformers): a BPE model with
//    the normalizers, pre-tokenizers, post-processors, decoders and added
//    tokens of core/tokenizer_pipeline.h; any other component is refused;
//  - vocab.json + merges.txt: GPT-2's byte-level BPE (GPT2TokenizerFast);
//  - tokenizer.model alone: SentencePiece as transformers converts it for the
//    Llama family (core/sentencepiece_model.h), with tokenizer_config.json's
//    legacy, add_bos_token, add_eos_token and added_tokens_decoder.
// GPT-2's byte-level pipeline keeps a hand-written fast path.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fabula {

class Tokenizer {
public:
    // How the literal text "<|endoftext|>" is read: as the special token
    // (Hugging Face's default) or as plain text (OpenAI's original encoder).
    enum class EndOfText { Special, AsText };

    // dir holds tokenizer.json, vocab.json + merges.txt, or tokenizer.model
    // (each beside an optional tokenizer_config.json). Throws FileError.
    static Tokenizer from_dir(const std::filesystem::path& dir);
    static Tokenizer from_files(const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt);
    static Tokenizer from_tokenizer_json(const std::filesystem::path& tokenizer_json);
    // The same from the files' contents; the names are only used in messages.
    static Tokenizer from_texts(std::string_view vocab_json, std::string_view merges_txt,
                                const std::string& vocab_name, const std::string& merges_name);
    static Tokenizer from_tokenizer_json_text(std::string_view tokenizer_json, const std::string& name);
    // tokenizer_config_json may be empty (no such file).
    static Tokenizer from_tokenizer_json_text(std::string_view tokenizer_json, const std::string& name,
                                              std::string_view tokenizer_config_json, const std::string& config_name);
    static Tokenizer from_sentencepiece(const std::filesystem::path& tokenizer_model,
                                        const std::filesystem::path& tokenizer_config); // config may not exist

    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;
    ~Tokenizer();

    // The tokens of the text without BOS/EOS or any post-processing, like
    // Hugging Face's add_special_tokens=False. EndOfText::AsText reads every
    // special token's text as plain text (split_special_tokens=True).
    // Thread-safe.
    std::vector<int32_t> encode(std::string_view utf8, EndOfText eot = EndOfText::Special) const;
    // Hugging Face's tokenizer(text)["input_ids"]: encode() with the
    // post-processor's template (or add_bos_token/add_eos_token) applied.
    std::vector<int32_t> encode_with_specials(std::string_view utf8, EndOfText eot = EndOfText::Special) const;
    // Concatenated token_bytes of the ids; may end inside a UTF-8 sequence
    // when the ids do. Throws std::out_of_range for an id outside the
    // vocabulary. Unlike Hugging Face's decode, the leading space of the first
    // token is kept (Metaspace with prepend_scheme first, Llama's Strip
    // decoder): Fabula decodes continuations, whose first space is real.
    std::string decode(std::span<const int32_t> ids) const;
    // The bytes a token stands for in running text: byte-level tokens as
    // their bytes, U+2581 as a space, <0xNN> byte-fallback tokens as that
    // byte, added tokens as their content.
    const std::string& token_bytes(int32_t id) const;

    int32_t vocab_size() const;     // number of ids, added tokens included (max id + 1)
    int32_t end_of_text_id() const; // 50256 for GPT-2; eos_ids().front(), or -1 when it knows none
    std::optional<int32_t> bos_id() const; // the beginning-of-sequence token, when there is one
    bool adds_bos() const;                 // encode_with_specials puts bos_id() first
    std::vector<int32_t> eos_ids() const;  // the end-of-sequence tokens it knows, most likely first
    std::string source() const;            // the file(s) it was read from, for messages

private:
    struct Impl;
    explicit Tokenizer(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> impl_;
};

// Turns a stream of token ids into text without ever emitting a broken UTF-8
// sequence: bytes of an unfinished character are held back until it completes.
// Bytes that can never form a valid character are replaced with U+FFFD.
class StreamingDecoder {
public:
    explicit StreamingDecoder(const Tokenizer& tokenizer) : tokenizer_(&tokenizer) {}
    std::string push(int32_t id); // the text that became complete with this token
    std::string flush();          // what is left at the end (incomplete bytes -> U+FFFD)

private:
    const Tokenizer* tokenizer_;
    std::string pending_;
};

} // namespace fabula
