#include "training/token_cache.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "training/sha256.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <exception>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fabula::training {

namespace fs = std::filesystem;

static_assert(std::endian::native == std::endian::little, "the cache file stores ids little-endian");

// Layout of a cache file (little-endian), chosen so that the offsets and ids
// are naturally aligned in the mapping:
//   0  char[8]   magic "FABTOKEN"
//   8  u32       version
//  12  u32       0 (reserved)
//  16  u8[32]    key: SHA-256 of the format, tokenizer identity and story texts
//  48  u64       story count n
//  56  u64       token count t
//  64  u8[32]    SHA-256 of the offsets and ids, to catch a damaged file
//  96  u64[n+1]  offsets into the ids; offsets[0] = 0, offsets[n] = t
//      i32[t]    token ids
struct TokenCacheAccess {
    static constexpr char kMagic[8] = {'F', 'A', 'B', 'T', 'O', 'K', 'E', 'N'};
    static constexpr std::uint32_t kVersion = 1;
    static constexpr std::size_t kHeader = 96;

    using Digest = std::array<std::uint8_t, 32>;

    struct Owned {
        std::vector<std::uint64_t> offsets;
        std::vector<std::int32_t> ids;
    };

    struct Mapping {
        void* addr = nullptr;
        std::size_t size = 0;
        ~Mapping() {
            if (addr) ::munmap(addr, size);
        }
    };

    static TokenizedStories from_owned(std::shared_ptr<Owned> owned) {
        TokenizedStories t;
        t.count_ = owned->offsets.size() - 1;
        t.offsets_ = owned->offsets.data();
        t.ids_ = owned->ids.data();
        t.owner_ = std::move(owned);
        return t;
    }

    static void set_cache_file(TokenizedStories& t, fs::path file) { t.cache_file_ = std::move(file); }
    static void set_cache_warning(TokenizedStories& t, std::string w) { t.cache_warning_ = std::move(w); }
    static void set_fingerprint(TokenizedStories& t, std::string f) { t.fingerprint_ = std::move(f); }

    static Digest payload_digest(const std::uint64_t* offsets, std::size_t n, const std::int32_t* ids, std::uint64_t t) {
        Sha256 h;
        h.update(offsets, (n + 1) * sizeof(std::uint64_t));
        h.update(ids, t * sizeof(std::int32_t));
        return h.finish();
    }

    // Any mismatch or damage means "not cached": the caller rebuilds the file.
    static bool load(const fs::path& file, const Digest& key, std::size_t expected_stories, TokenizedStories& out) {
        int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return false;
        struct stat st{};
        if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < kHeader) {
            ::close(fd);
            return false;
        }
        auto map = std::make_shared<Mapping>();
        map->size = static_cast<std::size_t>(st.st_size);
        void* addr = ::mmap(nullptr, map->size, PROT_READ, MAP_PRIVATE, fd, 0);
        ::close(fd);
        if (addr == MAP_FAILED) return false;
        map->addr = addr;
        const auto* base = static_cast<const std::uint8_t*>(addr);

        std::uint32_t version;
        std::uint64_t n, t;
        std::memcpy(&version, base + 8, 4);
        std::memcpy(&n, base + 48, 8);
        std::memcpy(&t, base + 56, 8);
        if (std::memcmp(base, kMagic, 8) != 0 || version != kVersion || std::memcmp(base + 16, key.data(), 32) != 0 ||
            n != expected_stories)
            return false;
        // Sizes are checked before they are multiplied, so a damaged count
        // cannot overflow into a size that happens to match.
        const std::uint64_t size = map->size;
        if (n > size / 8 || t > size / 4 || kHeader + 8 * (n + 1) + 4 * t != size) return false;
        const auto* offsets = reinterpret_cast<const std::uint64_t*>(base + kHeader);
        const auto* ids = reinterpret_cast<const std::int32_t*>(base + kHeader + 8 * (n + 1));
        if (offsets[0] != 0 || offsets[n] != t) return false;
        for (std::uint64_t i = 0; i < n; ++i)
            if (offsets[i] > offsets[i + 1]) return false;
        if (payload_digest(offsets, n, ids, t) != *reinterpret_cast<const Digest*>(base + 64)) return false;

        out = TokenizedStories();
        out.count_ = n;
        out.offsets_ = offsets;
        out.ids_ = ids;
        out.owner_ = std::move(map);
        out.cache_hit_ = true;
        out.cache_file_ = file;
        return true;
    }

    static void save(const fs::path& file, const Digest& key, const Owned& owned) {
        const std::uint64_t n = owned.offsets.size() - 1, t = owned.ids.size();
        std::uint8_t header[kHeader] = {};
        std::memcpy(header, kMagic, 8);
        std::memcpy(header + 8, &kVersion, 4);
        std::memcpy(header + 16, key.data(), 32);
        std::memcpy(header + 48, &n, 8);
        std::memcpy(header + 56, &t, 8);
        const Digest payload = payload_digest(owned.offsets.data(), n, owned.ids.data(), t);
        std::memcpy(header + 64, payload.data(), 32);
        AtomicFileWriter w(file);
        w.write(header, kHeader);
        w.write(owned.offsets.data(), owned.offsets.size() * sizeof(std::uint64_t));
        w.write(owned.ids.data(), owned.ids.size() * sizeof(std::int32_t));
        w.commit();
    }

    static std::shared_ptr<Owned> tokenize(const std::vector<Story>& stories, const EncodeFn& encode, int workers) {
        const std::size_t n = stories.size();
        std::vector<std::vector<std::int32_t>> per_story(n);
        std::atomic<std::size_t> next{0};
        std::exception_ptr error;
        std::mutex error_mutex;
        auto work = [&] {
            // Small chunks balance a novel against many short stories.
            constexpr std::size_t chunk = 8;
            while (true) {
                const std::size_t start = next.fetch_add(chunk);
                if (start >= n) return;
                try {
                    for (std::size_t i = start; i < std::min(n, start + chunk); ++i)
                        per_story[i] = encode(stories[i].text);
                } catch (...) {
                    std::lock_guard<std::mutex> lock(error_mutex);
                    if (!error) error = std::current_exception();
                    next.store(n);
                    return;
                }
            }
        };
        const std::size_t threads = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(workers, 1)), 1,
                                                            std::max<std::size_t>(n, 1));
        std::vector<std::thread> pool;
        for (std::size_t k = 1; k < threads; ++k) pool.emplace_back(work);
        work();
        for (auto& th : pool) th.join();
        if (error) std::rethrow_exception(error);

        auto owned = std::make_shared<Owned>();
        owned->offsets.reserve(n + 1);
        owned->offsets.push_back(0);
        std::size_t total = 0;
        for (const auto& ids : per_story) total += ids.size();
        owned->ids.reserve(total);
        for (auto& ids : per_story) {
            owned->ids.insert(owned->ids.end(), ids.begin(), ids.end());
            owned->offsets.push_back(owned->ids.size());
            std::vector<std::int32_t>().swap(ids);
        }
        return owned;
    }
};

TokenizedStories TokenizedStories::from_vectors(std::vector<std::vector<std::int32_t>> stories) {
    auto owned = std::make_shared<TokenCacheAccess::Owned>();
    owned->offsets.push_back(0);
    for (const auto& s : stories) {
        owned->ids.insert(owned->ids.end(), s.begin(), s.end());
        owned->offsets.push_back(owned->ids.size());
    }
    return TokenCacheAccess::from_owned(std::move(owned));
}

TokenizedStories tokenize_stories(const std::vector<Story>& stories, const EncodeFn& encode,
                                  std::string_view tokenizer_identity, const TokenizeOptions& options) {
    // The key names the ids exactly (same tokenizer, same texts: same ids), so
    // it is also the data's fingerprint that a resumed run is checked against.
    Sha256 h;
    h.update_field("fabula token cache");
    h.update_field(std::to_string(TokenCacheAccess::kVersion));
    h.update_field(tokenizer_identity);
    h.update_field(std::to_string(stories.size()));
    for (const auto& s : stories) h.update_field(s.text);
    const auto key = h.finish();
    const std::string fingerprint = Sha256::hex(key);
    if (options.cache_dir.empty()) {
        TokenizedStories out = TokenCacheAccess::from_owned(TokenCacheAccess::tokenize(stories, encode, options.workers));
        TokenCacheAccess::set_fingerprint(out, fingerprint);
        return out;
    }
    const fs::path file = options.cache_dir / (fingerprint.substr(0, 32) + ".tokens");

    TokenizedStories cached;
    if (TokenCacheAccess::load(file, key, stories.size(), cached)) {
        TokenCacheAccess::set_fingerprint(cached, fingerprint);
        return cached;
    }

    auto owned = TokenCacheAccess::tokenize(stories, encode, options.workers);
    std::string warning;
    try {
        std::error_code ec;
        fs::create_directories(options.cache_dir, ec);
        if (ec) throw FileError(options.cache_dir.string(), "cannot create the cache folder: " + ec.message());
        TokenCacheAccess::save(file, key, *owned);
    } catch (const FileError& e) {
        // The ids are complete; only the next run loses the shortcut.
        warning = std::string("the token cache was not saved: ") + e.what();
    }
    TokenizedStories out = TokenCacheAccess::from_owned(std::move(owned));
    if (warning.empty())
        TokenCacheAccess::set_cache_file(out, file);
    else
        TokenCacheAccess::set_cache_warning(out, std::move(warning));
    TokenCacheAccess::set_fingerprint(out, fingerprint);
    return out;
}

TokenizedStories tokenize_stories(const std::vector<Story>& stories, const Tokenizer& tokenizer,
                                  const std::vector<fs::path>& tokenizer_files, Tokenizer::EndOfText eot,
                                  const TokenizeOptions& options) {
    Sha256 id;
    id.update_field(eot == Tokenizer::EndOfText::Special ? "eot:special" : "eot:text");
    id.update_field(std::to_string(tokenizer.vocab_size()) + "/" + std::to_string(tokenizer.end_of_text_id()));
    for (const auto& f : tokenizer_files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) throw FileError(f.string(), "cannot be opened for reading");
        std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.bad()) throw FileError(f.string(), "could not be read completely");
        id.update_field(f.filename().string());
        id.update_field(content);
    }
    const std::string identity = Sha256::hex(id.finish());
    // Each story starts with BOS when the tokenizer puts one first (Llama),
    // as Hugging Face's tokenizer(text) does for the reference recipe.
    EncodeFn encode = [&tokenizer, eot](std::string_view text) {
        std::vector<int32_t> ids = tokenizer.encode(text, eot);
        if (tokenizer.adds_bos() && tokenizer.bos_id()) ids.insert(ids.begin(), *tokenizer.bos_id());
        return ids;
    };
    return tokenize_stories(stories, encode, identity, options);
}

std::vector<fs::path> tokenizer_files_in(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const char* name : {"tokenizer.json", "vocab.json", "merges.txt", "tokenizer.model", "tokenizer_config.json"}) {
        std::error_code ec;
        if (fs::is_regular_file(dir / name, ec)) files.push_back(dir / name);
    }
    return files;
}

} // namespace fabula::training
