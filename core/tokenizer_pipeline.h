#pragma once
// The steps of a Hugging Face tokenizer.json around its BPE model, as the
// `tokenizers` library runs them: added tokens are split out of the text
// first, then each remaining segment is normalized and pre-tokenized into the
// pieces that the model encodes one by one. core/tokenizer.cpp parses the file
// into these and owns the model; only the component types below are
// supported, every other one is refused when the file is read.
//
// Text may be ill-formed UTF-8 (Hugging Face cannot be given such text at
// all). Ill-formed bytes pass every step unchanged: the regular expressions
// and NFC see only the well-formed runs between them (so such bytes never
// match a pattern), and a byte-level or byte-fallback model gives them back,
// so that decode(encode(x)) == x still holds there.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fabula::tokpipe {

// A compiled Oniguruma expression with the options Hugging Face tokenizers
// uses (UTF-8, the default syntax, no options).
class Regex {
public:
    // Throws FileError(file, ...) when Oniguruma cannot compile it.
    Regex(const std::string& pattern, const std::string& file, const std::string& where);
    ~Regex();
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    // The matches in s, left to right, as the onig crate's find_iter gives
    // them: an empty match right where the previous one ended is skipped.
    // s must be well-formed UTF-8.
    void find_all(std::string_view s, std::vector<std::pair<size_t, size_t>>& out) const;

private:
    void* re_; // OnigRegex
};

// tokenizer.json's {"String": ...} or {"Regex": ...}.
struct Pattern {
    std::string literal;          // when regex is null
    std::shared_ptr<Regex> regex;
    // Non-overlapping matches over a whole text, left to right; ill-formed
    // bytes never match and are never inside a match.
    void find_all(std::string_view s, std::vector<std::pair<size_t, size_t>>& out) const;
};

struct Normalizer {
    enum class Kind { NFC, Prepend, Replace } kind;
    std::string text; // Prepend: what is prepended; Replace: the content
    Pattern pattern;  // Replace
};

// The normalizers applied in order.
std::string normalize(const std::vector<Normalizer>& steps, std::string_view text);

enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };
enum class PrependScheme { Always, First, Never };

struct PreTokenizer {
    enum class Kind { Split, ByteLevel, Digits, Metaspace } kind;
    // Split
    Pattern pattern;
    Behavior behavior = Behavior::Isolated;
    bool invert = false;
    // ByteLevel
    bool add_prefix_space = false;
    bool use_regex = true;
    // Digits
    bool individual_digits = false;
    // Metaspace
    std::string replacement = "\xE2\x96\x81"; // U+2581
    PrependScheme prepend = PrependScheme::Always;
    bool split = true;
};

// The pieces of one segment after the pre-tokenizers, in order. first: the
// segment starts the text (Metaspace's prepend_scheme "first").
void pre_tokenize(const std::vector<PreTokenizer>& steps, std::string segment, bool first,
                  std::vector<std::string>& pieces);

// An added or special token of tokenizer.json (or of a SentencePiece folder).
struct AddedToken {
    std::string content;
    int32_t id = -1;
    bool special = false;
    bool lstrip = false;
    bool rstrip = false;
    bool single_word = false;
    bool normalized = false;
};

// A stretch of text: an added token (token >= 0) or text for the model.
struct Segment {
    size_t begin, end; // byte offsets into the text that was split
    int32_t token;     // the added token's index in the list given, or -1
};

// Splits text at the added tokens listed in `which` (indices into tokens),
// leftmost-longest like Hugging Face's AddedVocabulary, honouring lstrip,
// rstrip and single_word. With skip_special the special ones are not split
// out (Hugging Face's split_special_tokens).
std::vector<Segment> split_added(std::string_view text, const std::vector<AddedToken>& tokens,
                                 const std::vector<size_t>& which, bool skip_special);

} // namespace fabula::tokpipe
