#pragma once
// The story sets, tokenizer and cache key of fuzz_token_cache, shared with the
// seed maker so that its seeds are the very files the target reads.
#include "training/token_cache.h"

#include <array>
#include <string_view>

namespace fabula_fuzz {

inline constexpr std::string_view kCacheIdentity = "fuzz: one id per byte";

inline std::vector<int32_t> cache_encode(std::string_view text) {
    std::vector<int32_t> ids;
    for (char c : text) ids.push_back(static_cast<unsigned char>(c) * 3 + 1);
    return ids;
}

// Set k holds the first k of these.
inline std::vector<fabula::training::Story> cache_stories(size_t k) {
    static const std::array<const char*, 3> texts = {"Once upon a time.", "", "\xE2\x80\x94 and then?\n"};
    std::vector<fabula::training::Story> out;
    for (size_t i = 0; i < k && i < texts.size(); ++i) out.push_back({texts[i], "story " + std::to_string(i)});
    return out;
}

inline constexpr size_t kCacheSets = 4; // 0 to 3 stories

inline fabula::training::TokenizedStories tokenize_cached(const std::vector<fabula::training::Story>& stories,
                                                          const std::filesystem::path& cache_dir) {
    fabula::training::TokenizeOptions o;
    o.cache_dir = cache_dir;
    o.workers = 1;
    return fabula::training::tokenize_stories(stories, cache_encode, kCacheIdentity, o);
}

} // namespace fabula_fuzz
