#pragma once
// Tokenizing a novel-sized collection takes long enough that training twice on
// the same stories should not pay for it twice: the ids are kept in a cache
// file keyed by everything they depend on, and memory-mapped when reused.
#include "core/tokenizer.h"
#include "training/story_reader.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fabula::training {

// The ids of every story, in collection order, without end-of-text ids
// (Dataset adds those). Copies are cheap and share the ids.
class TokenizedStories {
public:
    TokenizedStories() = default;
    static TokenizedStories from_vectors(std::vector<std::vector<std::int32_t>> stories);

    std::size_t size() const { return count_; }
    std::span<const std::int32_t> story(std::size_t i) const {
        return {ids_ + offsets_[i], static_cast<std::size_t>(offsets_[i + 1] - offsets_[i])};
    }
    std::uint64_t total_tokens() const { return count_ == 0 ? 0 : offsets_[count_]; }

    // True when the ids came from an existing cache file, without tokenizing.
    bool cache_hit() const { return cache_hit_; }
    // The cache file read or written; empty when there was none.
    const std::filesystem::path& cache_file() const { return cache_file_; }
    // Why the cache could not be written (the ids are still complete), e.g. a
    // full disk; empty otherwise.
    const std::string& cache_warning() const { return cache_warning_; }
    // SHA-256 (hex) of the tokenizer identity and every story's text: equal
    // fingerprints mean equal ids. Empty for from_vectors().
    const std::string& fingerprint() const { return fingerprint_; }

private:
    friend struct TokenCacheAccess;
    std::shared_ptr<const void> owner_;
    const std::uint64_t* offsets_ = nullptr; // count_ + 1 entries
    const std::int32_t* ids_ = nullptr;
    std::size_t count_ = 0;
    bool cache_hit_ = false;
    std::filesystem::path cache_file_;
    std::string cache_warning_;
    std::string fingerprint_;
};

using EncodeFn = std::function<std::vector<std::int32_t>(std::string_view)>;

struct TokenizeOptions {
    // Where cache files go (created if missing); empty: tokenize without a cache.
    std::filesystem::path cache_dir;
    // Threads that tokenize at once; encode must be thread-safe when > 1.
    int workers = 2;
};

// tokenizer_identity: bytes that change whenever encode would give other ids
// (a digest of the tokenizer files and settings); it is part of the cache key
// together with every story's text.
TokenizedStories tokenize_stories(const std::vector<Story>& stories, const EncodeFn& encode,
                                  std::string_view tokenizer_identity, const TokenizeOptions& options);

// tokenizer_files: the files the tokenizer was read from (see
// tokenizer_files_in); their content and eot are part of the cache key.
// Throws FileError when a tokenizer file cannot be read.
TokenizedStories tokenize_stories(const std::vector<Story>& stories, const Tokenizer& tokenizer,
                                  const std::vector<std::filesystem::path>& tokenizer_files,
                                  Tokenizer::EndOfText eot, const TokenizeOptions& options);

// The tokenizer files present in a model or tokenizer folder (vocab.json,
// merges.txt, tokenizer.json), to key the cache with.
std::vector<std::filesystem::path> tokenizer_files_in(const std::filesystem::path& dir);

} // namespace fabula::training
