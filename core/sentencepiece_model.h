#pragma once
// A SentencePiece tokenizer.model run through Debian's libsentencepiece, set
// up the way transformers 5 converts such a model for Llama-family folders:
// the model's own normalizer is switched off (no NFKC, no dummy prefix, no
// collapsing of spaces), because the caller has already turned spaces into
// U+2581 and prepended one where Hugging Face's Metaspace does.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fabula {

class SentencePieceModel {
public:
    // The piece types of sentencepiece_model.proto.
    enum class Type : int { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };
    struct Piece {
        std::string text;
        Type type;
    };

    // Throws FileError naming the file.
    static std::unique_ptr<SentencePieceModel> load(const std::filesystem::path& file);
    static std::unique_ptr<SentencePieceModel> from_bytes(std::string_view bytes, const std::string& name);
    ~SentencePieceModel();

    const std::vector<Piece>& pieces() const { return pieces_; }
    int32_t unk_id() const { return unk_id_; } // -1 when the model has none
    int32_t bos_id() const { return bos_id_; }
    int32_t eos_id() const { return eos_id_; }

    // Appends the ids of text, whose spaces are already U+2581. Thread-safe.
    void encode(std::string_view text, std::vector<int32_t>& out) const;

private:
    SentencePieceModel();
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::vector<Piece> pieces_;
    int32_t unk_id_ = -1, bos_id_ = -1, eos_id_ = -1;
};

} // namespace fabula
