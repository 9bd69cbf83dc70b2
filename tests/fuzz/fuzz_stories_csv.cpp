// A CSV story file (training/story_reader.h). The first byte picks the options
// (deduplicate, the column name), the rest is the file. Beyond the shared
// checks, the stories written again as quoted fields of a one-column CSV read
// back as the same stories.
#include "story_checks.h"

using namespace fabula_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    ReadOptions o;
    o.deduplicate = data[0] & 1;
    o.csv_column = data[0] & 2 ? "Story" : "text";
    const std::string name = "stories.csv";
    const std::string bytes(as_text(data + 1, size - 1));

    const auto c = read_stories(bytes, name, o);
    check_strict(bytes, name, o, c);
    if (!c) return 0;
    check_collection(*c, name, o);
    std::string written = o.csv_column + "\n";
    for (const auto& s : c->stories) {
        written += '"';
        for (char ch : s.text) written += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        written += "\"\n";
    }
    check_rewritten(*c, written, name, o);
    return 0;
}
