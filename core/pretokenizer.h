#pragma once
// GPT-2's pre-tokenizer: the split that Hugging Face's ByteLevel pre-tokenizer
// makes with the regex
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// written out as a scanner over UTF-8, which is several times faster than a
// regex engine and has no backtracking to blow up on long runs.
//
// Ill-formed UTF-8 (which Hugging Face cannot be given at all) is defined
// here: each ill-formed maximal subpart counts as one character that is
// neither letter, number nor space, like punctuation. So broken bytes join a
// neighbouring punctuation run, never a word, and every byte still ends up in
// exactly one pre-token, which keeps decode(encode(x)) == x for any bytes.
#include <cstddef>
#include <string_view>
#include <vector>

namespace fabula {

// The end of the pre-token that starts at text[pos]; pos < text.size().
size_t pretoken_end(std::string_view text, size_t pos);

// All pre-tokens of text, in order; they concatenate to text.
std::vector<std::string_view> pretokenize(std::string_view text);

} // namespace fabula
