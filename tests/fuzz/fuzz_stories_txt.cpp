// A .txt/.md story file with separator lines (training/story_reader.h). The
// first byte picks the options (deduplicate, the separator, .txt or .md), the
// rest is the file. Beyond the shared checks, the stories joined again with
// the separator read back as the same stories.
#include "story_checks.h"

using namespace fabula_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static const char* const separators[] = {"<|endoftext|>", "---", "* * *", ""};
    ReadOptions o;
    o.deduplicate = data[0] & 1;
    o.separator = separators[(data[0] >> 1) & 3];
    const std::string name = data[0] & 8 ? "stories.md" : "stories.txt";
    const std::string bytes(as_text(data + 1, size - 1));

    const auto c = read_stories(bytes, name, o);
    check_strict(bytes, name, o, c);
    if (!c) return 0;
    check_collection(*c, name, o);
    if (o.separator.empty()) {
        FUZZ_CHECK(c->stories.size() == 1 && c->stories[0].source == name);
        return 0;
    }
    // With a BOM, so that a U+FEFF starting the first story (after the BOM of
    // a UTF-16 file, say) is read back as text rather than taken for one.
    std::string written = "\xEF\xBB\xBF";
    for (size_t i = 0; i < c->stories.size(); ++i) written += (i ? "\n" + o.separator + "\n" : "") + c->stories[i].text;
    check_rewritten(*c, written, name, o);
    return 0;
}
