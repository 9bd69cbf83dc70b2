#include "core/store/story_json.h"

#include "core/error.h"
#include "core/json_file.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace fabula {

namespace {

constexpr const char* kFormat = "fabula-story";
constexpr int kVersion = 1;

using nlohmann::json;

nlohmann::json lore_to_json(const LoreEntry& e) {
    return json{{"name", e.name},       {"keys", e.keys},         {"secondary_keys", e.secondary_keys},
                {"content", e.content}, {"always", e.always},     {"case_sensitive", e.case_sensitive},
                {"enabled", e.enabled}, {"order", e.order}};
}

// Reads the fields of one object with errors that say where the bad value is.
class Fields {
public:
    Fields(const json& object, std::string where, const std::string& source)
        : object_(object), where_(std::move(where)), source_(source) {}

    void text(const char* name, std::string* out) const {
        if (const json* v = find(name)) {
            if (!v->is_string()) fail(name, "a string");
            *out = v->get<std::string>();
        }
    }
    void flag(const char* name, bool* out) const {
        if (const json* v = find(name)) {
            if (!v->is_boolean()) fail(name, "true or false");
            *out = v->get<bool>();
        }
    }
    void number(const char* name, int* out) const {
        const json* v = find(name);
        if (!v) return;
        constexpr double lo = std::numeric_limits<int>::min(), hi = std::numeric_limits<int>::max();
        double d = 0;
        if (v->is_number_unsigned())
            d = static_cast<double>(v->get<std::uint64_t>());
        else if (v->is_number_integer())
            d = static_cast<double>(v->get<std::int64_t>());
        else if (v->is_number_float())
            d = v->get<double>(); // 3.0 is accepted (some writers emit only doubles); 3.5 is not
        else
            fail(name, "a whole number");
        if (d != std::floor(d)) fail(name, "a whole number");
        if (d < lo || d > hi) fail(name, "a whole number of a sensible size");
        *out = static_cast<int>(d);
    }
    void texts(const char* name, std::vector<std::string>* out) const {
        if (const json* v = find(name)) {
            if (!v->is_array()) fail(name, "a list of strings");
            out->clear();
            for (const auto& item : *v) {
                if (!item.is_string()) fail(name, "a list of strings");
                out->push_back(item.get<std::string>());
            }
        }
    }
    const json* find(const char* name) const {
        auto it = object_.find(name);
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }
    [[noreturn]] void fail(const char* name, const char* expected) const {
        throw FileError(source_, where_ + "\"" + name + "\" must be " + expected);
    }

private:
    const json& object_;
    std::string where_;
    const std::string& source_;
};

} // namespace

std::string story_settings_to_json(const StorySettings& s, const std::string& series_name) {
    json out = json::object();
    out["format"] = kFormat;
    out["version"] = kVersion;
    if (!series_name.empty()) out["series"] = series_name;
    out["memory"] = s.memory;
    out["authors_note"] = s.authors_note;
    out["authors_note_depth"] = s.authors_note_depth;
    out["lore_scan_tokens"] = s.lore_scan_tokens;
    out["lore_recursive"] = s.lore_recursive;
    json lore = json::array();
    for (const auto& e : s.lore) lore.push_back(lore_to_json(e));
    out["lore"] = std::move(lore);
    // Text from the editor is valid UTF-8; replacing keeps a stray byte from
    // making the whole export fail.
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

StorySettings story_settings_from_json(std::string_view text, const std::string& source, std::string* series_name) {
    const json doc = parse_json_text(text, source);
    if (!doc.is_object()) throw FileError(source, "not a Fabula story file: the top level must be a JSON object");
    auto format = doc.find("format");
    if (format == doc.end() || !format->is_string() || format->get<std::string>() != kFormat)
        throw FileError(source, std::string("not a Fabula story file: \"format\" must be \"") + kFormat + "\"");
    const Fields top(doc, "", source);
    int version = 0;
    if (!top.find("version")) throw FileError(source, "the story file has no \"version\"");
    top.number("version", &version);
    if (version < 1) throw FileError(source, "story file version " + std::to_string(version) + " does not exist");
    if (version > kVersion)
        throw FileError(source, "the story file is version " + std::to_string(version) +
                                    ", made by a newer Fabula; this one reads up to version " +
                                    std::to_string(kVersion));

    StorySettings s;
    std::string series;
    top.text("series", &series);
    top.text("memory", &s.memory);
    top.text("authors_note", &s.authors_note);
    top.number("authors_note_depth", &s.authors_note_depth);
    top.number("lore_scan_tokens", &s.lore_scan_tokens);
    top.flag("lore_recursive", &s.lore_recursive);
    if (const json* lore = top.find("lore")) {
        if (!lore->is_array()) top.fail("lore", "a list of entries");
        // Checked before reading them all, so a huge list is refused cheaply.
        if (lore->size() > kMaxLoreEntries)
            throw FileError(source, "the lorebook has " + std::to_string(lore->size()) + " entries; at most " +
                                        std::to_string(kMaxLoreEntries) + " are allowed");
        for (std::size_t i = 0; i < lore->size(); ++i) {
            const json& item = (*lore)[i];
            const std::string where = "lore entry " + std::to_string(i + 1) + ": ";
            if (!item.is_object()) throw FileError(source, where + "must be a JSON object");
            const Fields f(item, where, source);
            LoreEntry e;
            f.text("name", &e.name);
            f.texts("keys", &e.keys);
            f.texts("secondary_keys", &e.secondary_keys);
            f.text("content", &e.content);
            f.flag("always", &e.always);
            f.flag("case_sensitive", &e.case_sensitive);
            f.flag("enabled", &e.enabled);
            f.number("order", &e.order);
            s.lore.push_back(std::move(e));
        }
    }
    if (auto problem = story_settings_problem(s); !problem.empty()) throw FileError(source, problem);
    if (series_name) *series_name = std::move(series);
    return s;
}

} // namespace fabula
