// fabula-store-writer DB PREFIX [COUNT]
// Commits drafts to DB as fast as it can, printing "committed N ID" after
// each commit returns, until COUNT (forever when absent). The durability
// test kills it with SIGKILL mid-stream and then looks for every draft it
// was told about. Draft N is created with body_text(PREFIX, N, 0) and then
// saved with body_text(PREFIX, N, 1), both commits before the line.
#include "core/store/store.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace {

// Mirrored in test_store_durability.cpp. Big enough (16 kB, several pages)
// that the kill often lands in the middle of writing one.
std::string body_text(const std::string& prefix, long n, int version) {
    std::string line = "version " + std::to_string(version) + " of " + prefix + " #" + std::to_string(n) + ".\n";
    std::string s;
    while (s.size() < 16000) s += line;
    return s;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s DB PREFIX [COUNT]\n", argv[0]);
        return 2;
    }
    const std::string prefix = argv[2];
    const long count = argc > 3 ? std::atol(argv[3]) : 0;
    try {
        fabula::Store store(argv[1]);
        for (long n = 1; count == 0 || n <= count; ++n) {
            auto id = store.create_draft(prefix + " #" + std::to_string(n), body_text(prefix, n, 0));
            store.update_draft_body(id, body_text(prefix, n, 1));
            std::printf("committed %ld %lld\n", n, static_cast<long long>(id));
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fabula-store-writer: %s\n", e.what());
        return 1;
    }
    return 0;
}
