// A JSON Lines story file (training/story_reader.h). The first byte picks the
// options (deduplicate, the text field, .jsonl or .ndjson), the rest is the
// file. Beyond the shared checks, the stories written again one object a line
// read back as the same stories.
#include "story_checks.h"

#include <nlohmann/json.hpp>

using namespace fabula_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    ReadOptions o;
    o.deduplicate = data[0] & 1;
    o.text_field = data[0] & 2 ? "story" : "text";
    const std::string name = data[0] & 8 ? "stories.ndjson" : "stories.jsonl";
    const std::string bytes(as_text(data + 1, size - 1));

    const auto c = read_stories(bytes, name, o);
    check_strict(bytes, name, o, c);
    if (!c) return 0;
    check_collection(*c, name, o);
    std::string written;
    for (const auto& s : c->stories) written += nlohmann::json{{o.text_field, s.text}}.dump() + "\n";
    check_rewritten(*c, written, name, o);
    return 0;
}
