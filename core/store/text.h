#pragma once
// Text measures the store keeps beside drafts and revisions. They work on
// UTF-8 and never throw: a draft with a stray invalid byte must still save.
#include <cstdint>
#include <string>
#include <string_view>

namespace fabula {

// Whitespace-separated words. Every Unicode White_Space character separates
// (so no-break and ideographic spaces, line and paragraph separators count),
// and punctuation does not: "well-known" and "don't" are one word each.
std::int64_t count_words(std::string_view utf8);

// Simple case folding for search, so "élise" finds "Élise" (SQLite's LIKE
// only folds ASCII): capitals of Latin (with Latin-1, Extended-A and the
// Vietnamese block), Greek and Cyrillic become lower case, final sigma and
// long s fold to sigma and s. Everything else, invalid bytes included, is
// copied unchanged.
std::string fold_case(std::string_view utf8);

} // namespace fabula
