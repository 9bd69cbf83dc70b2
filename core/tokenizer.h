#pragma once
// GPT-2 byte-level BPE, token for token equal to Hugging Face's GPT2TokenizerFast.
#include <cstdint>
#include <filesystem>
#include <memory>
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

    // dir holds vocab.json + merges.txt, or tokenizer.json. Throws FileError.
    static Tokenizer from_dir(const std::filesystem::path& dir);
    static Tokenizer from_files(const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt);
    static Tokenizer from_tokenizer_json(const std::filesystem::path& tokenizer_json);
    // The same from the files' contents; the names are only used in messages.
    static Tokenizer from_texts(std::string_view vocab_json, std::string_view merges_txt,
                                const std::string& vocab_name, const std::string& merges_name);
    static Tokenizer from_tokenizer_json_text(std::string_view tokenizer_json, const std::string& name);

    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;
    ~Tokenizer();

    // Thread-safe.
    std::vector<int32_t> encode(std::string_view utf8, EndOfText eot = EndOfText::Special) const;
    // Concatenated bytes of the tokens; may end inside a UTF-8 sequence when the
    // ids do. Throws std::out_of_range for an id outside the vocabulary.
    std::string decode(std::span<const int32_t> ids) const;
    const std::string& token_bytes(int32_t id) const;

    int32_t vocab_size() const;     // number of ids (max id + 1)
    int32_t end_of_text_id() const; // 50256 for GPT-2
    std::string source() const;     // the file(s) it was read from, for messages

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
