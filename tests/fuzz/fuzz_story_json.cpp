// The story JSON file beside an exported draft (core/store/story_json.h).
// story_settings_from_json either refuses the input with a FileError naming
// the file, or returns settings within the store's limits that write back
// and read back to exactly the same settings and series name.
#include "core/store/story_json.h"
#include "fuzz_support.h"

using namespace fabula;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string source = "fuzz.story.json";
    StorySettings settings;
    std::string series;
    try {
        settings = story_settings_from_json(fabula_fuzz::as_text(data, size), source, &series);
    } catch (const FileError& e) {
        FUZZ_CHECK(e.path() == source);
        return 0;
    }
    FUZZ_CHECK(story_settings_problem(settings).empty());
    const std::string text = story_settings_to_json(settings, series);
    std::string series_again = "unset";
    const StorySettings again = story_settings_from_json(text, source, &series_again);
    FUZZ_CHECK(again == settings);
    FUZZ_CHECK(series_again == series);
    return 0;
}
