// The token-cache file (training/token_cache.h), read back through
// tokenize_stories as training does. The first byte picks one of four fixed
// story sets and two repairs, the rest is written as that set's cache file
// (in $FABULA_FUZZ_TMP or /dev/shm) before every run. The repairs let the fuzzer past the checks
// a random file cannot pass: one writes the right magic, version, key and
// story count, the other the right SHA-256 of the payload.
//
// Whatever the file holds, the stories come back: a damaged or foreign file
// is a cache miss, so the true ids are tokenized again (and the file
// rewritten, then hit). A file that is taken has this set's key and story
// count, a payload whose SHA-256 is the one in its header, and ids inside
// itself. (Its ids are trusted: the cache guards against damage, not forgery;
// libFuzzer can copy a digest it sees compared straight into the file.)
#include "training/sha256.h"
#include "training/token_cache.h"
#include "fuzz_support.h"
#include "token_cache_fixture.h"

#include <array>
#include <cstring>
#include <fstream>
#include <iterator>

#include <stdlib.h>

using namespace fabula::training;
namespace fs = std::filesystem;

using namespace fabula_fuzz;

namespace {

constexpr size_t kHeader = 96; // see the layout in token_cache.cpp

struct StorySet {
    std::vector<Story> stories;
    fs::path file;
    std::string header; // the first 56 bytes of the file Fabula writes (magic to story count)
};

fs::path cache_dir;
std::array<StorySet, kCacheSets> sets;

void check_true_ids(const TokenizedStories& t, const StorySet& set) {
    FUZZ_CHECK(t.size() == set.stories.size());
    for (size_t i = 0; i < t.size(); ++i) {
        const auto ids = t.story(i);
        FUZZ_CHECK(std::vector<int32_t>(ids.begin(), ids.end()) == cache_encode(set.stories[i].text));
    }
}

// The SHA-256 a cache file keeps of its payload (offsets and ids).
std::array<uint8_t, 32> payload_sha256(std::string_view image) {
    Sha256 h;
    h.update(image.substr(kHeader));
    return h.finish();
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // scripts/fuzz.sh names a folder it removes afterwards, crash or not.
    const char* tmp = std::getenv("FABULA_FUZZ_TMP");
    std::string dir = tmp && *tmp ? std::string(tmp)
                      : fs::is_directory("/dev/shm") ? std::string("/dev/shm")
                                                     : fs::temp_directory_path().string();
    dir += "/fabula-fuzz-cache-XXXXXX";
    FUZZ_CHECK(::mkdtemp(dir.data()) != nullptr);
    cache_dir = dir;
    std::atexit([] {
        std::error_code ec;
        fs::remove_all(cache_dir, ec);
    });
    for (size_t k = 0; k < sets.size(); ++k) {
        sets[k].stories = cache_stories(k);
        const TokenizedStories t = tokenize_cached(sets[k].stories, cache_dir);
        FUZZ_CHECK(!t.cache_hit() && !t.cache_file().empty());
        sets[k].file = t.cache_file();
        sets[k].header = read_all(sets[k].file).substr(0, 56);
        FUZZ_CHECK(sets[k].header.size() == 56);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const StorySet& set = sets[data[0] & 3];
    const bool fix_header = data[0] & 4, fix_checksum = data[0] & 8;
    std::string image(fabula_fuzz::as_text(data + 1, size - 1));
    if (fix_header && image.size() >= set.header.size()) image.replace(0, set.header.size(), set.header);
    if (fix_checksum && image.size() >= kHeader) {
        const auto digest = payload_sha256(image);
        std::memcpy(image.data() + 64, digest.data(), digest.size());
    }
    {
        std::ofstream out(set.file, std::ios::binary | std::ios::trunc);
        out.write(image.data(), std::streamsize(image.size()));
        FUZZ_CHECK(out.good());
    }

    const TokenizedStories t = tokenize_cached(set.stories, cache_dir);
    FUZZ_CHECK(t.size() == set.stories.size());
    if (t.cache_hit()) {
        FUZZ_CHECK(t.cache_file() == set.file);
        const uint64_t n = t.size(), total = t.total_tokens();
        FUZZ_CHECK(total <= image.size() / 4 && image.size() == kHeader + 8 * (n + 1) + 4 * total);
        uint64_t seen = 0;
        unsigned sum = 0;
        for (size_t i = 0; i < n; ++i) {
            const auto ids = t.story(i);
            seen += ids.size();
            FUZZ_CHECK(seen <= total);
            for (int32_t id : ids) sum += unsigned(id);
        }
        FUZZ_CHECK(seen == total);
        fabula_fuzz::keep(sum);
        FUZZ_CHECK(image.compare(0, 12, set.header, 0, 12) == 0);  // magic, version
        FUZZ_CHECK(image.compare(16, 40, set.header, 16, 40) == 0); // key, story count
        FUZZ_CHECK(std::memcmp(image.data() + 64, payload_sha256(image).data(), 32) == 0);
        return 0;
    }
    check_true_ids(t, set);
    FUZZ_CHECK(t.cache_file() == set.file && t.cache_warning().empty());
    const TokenizedStories again = tokenize_cached(set.stories, cache_dir);
    FUZZ_CHECK(again.cache_hit());
    check_true_ids(again, set);
    return 0;
}
