#include "training/story_reader.h"

#include "core/error.h"
#include "core/text_file.h"
#include "core/utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_map>

namespace fabula::training {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t npos = std::string::npos;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string extension_of(const fs::path& p) { return lower(p.extension().string()); }

bool is_text_extension(const std::string& ext) {
    return ext == ".txt" || ext == ".md" || ext == ".markdown" || ext == ".text";
}

bool is_document_extension(const std::string& ext) {
    static const char* const kinds[] = {".doc", ".docx", ".odt", ".rtf", ".pdf", ".pages", ".epub", ".wpd"};
    return std::find(std::begin(kinds), std::end(kinds), ext) != std::end(kinds);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return is_space(c); });
}

std::string_view rtrim(std::string_view s) {
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string_view trim(std::string_view s) {
    s = rtrim(s);
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    return s;
}

// Leading blank lines and trailing whitespace of a text file are layout, not
// story; indentation of the first line is kept because some writers indent
// their paragraphs.
std::string strip_layout(std::string_view s) {
    s = rtrim(s);
    std::size_t start = 0;
    while (true) {
        std::size_t nl = s.find('\n', start);
        if (nl == npos || !is_blank(s.substr(start, nl - start))) break;
        start = nl + 1;
    }
    return std::string(s.substr(start));
}

struct Decoded {
    std::string text;     // UTF-8
    std::size_t base = 0; // bytes before text in the file (the BOM)
};

class Reader {
public:
    explicit Reader(const ReadOptions& options) : opt_(options) {}

    Collection take() { return std::move(out_); }
    const Collection& collection() const { return out_; }

    // counted: an empty or duplicate story, which Collection already counts.
    void problem(const fs::path& path, std::int64_t where, bool is_line, std::string message, bool counted = false) {
        Problem p{path.string(), where, is_line, std::move(message)};
        if (opt_.strict) throw FileError(p.path, p.message);
        if (!counted) uncounted_.push_back(out_.problems.size());
        out_.problems.push_back(std::move(p));
    }

    // Problems other than empty and duplicate stories, for the error message.
    const std::vector<std::size_t>& uncounted() const { return uncounted_; }

    void add_story(std::string text, std::string source, const fs::path& path, std::int64_t line) {
        const bool by_line = line > 0;
        const std::string where = by_line ? "line " + std::to_string(line) + ": " : "";
        if (is_blank(text)) {
            ++out_.empty;
            problem(path, by_line ? line : -1, by_line, where + "the story is empty", true);
            return;
        }
        if (opt_.deduplicate) {
            const std::size_t h = std::hash<std::string_view>{}(text);
            auto& same_hash = seen_[h];
            for (std::size_t idx : same_hash) {
                if (out_.stories[idx].text == text) {
                    ++out_.duplicates;
                    problem(path, by_line ? line : -1, by_line,
                            where + "the same story as " + out_.stories[idx].source + " (left out)", true);
                    return;
                }
            }
            same_hash.push_back(out_.stories.size());
        }
        out_.stories.push_back(Story{std::move(text), std::move(source)});
    }

    std::string read_bytes(const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw FileError(path.string(), "cannot be opened for reading");
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.bad()) throw FileError(path.string(), "could not be read completely");
        return bytes;
    }

    // Removes a BOM and converts UTF-16 to UTF-8. With check_utf8 the result is
    // validated; JSONL does that per line instead so one bad line costs one story.
    std::optional<Decoded> decode(const fs::path& path, std::string bytes, bool check_utf8) {
        auto starts = [&](std::string_view prefix) { return std::string_view(bytes).substr(0, prefix.size()) == prefix; };
        if (starts("\xFF\xFE") || starts("\xFE\xFF")) return decode_utf16(path, bytes, starts("\xFE\xFF"));
        Decoded d;
        d.base = utf8_bom_length(bytes);
        // A NUL byte anywhere makes even a JSONL file binary.
        if (const auto fault = find_text_fault(bytes);
            fault && (check_utf8 || fault->kind == TextFault::Kind::Binary)) {
            problem(path, static_cast<std::int64_t>(fault->offset), false, fault->message());
            return std::nullopt;
        }
        if (d.base == 0)
            d.text = std::move(bytes);
        else
            d.text = bytes.substr(d.base);
        return d;
    }

    std::optional<Decoded> decode_utf16(const fs::path& path, const std::string& bytes, bool big_endian) {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
        const std::size_t n = bytes.size();
        auto unit = [&](std::size_t i) -> char16_t {
            return big_endian ? static_cast<char16_t>(p[i] << 8 | p[i + 1]) : static_cast<char16_t>(p[i + 1] << 8 | p[i]);
        };
        auto bad = [&](std::size_t at, const std::string& what) {
            problem(path, static_cast<std::int64_t>(at), false,
                    "not valid UTF-16 text at byte offset " + std::to_string(at) + " (" + what +
                        "); save the file with the UTF-8 encoding");
            return std::nullopt;
        };
        Decoded d;
        d.base = 2;
        d.text.reserve(n);
        std::size_t i = 2;
        for (; i + 1 < n; i += 2) {
            char32_t cp = unit(i);
            if (cp >= 0xDC00 && cp <= 0xDFFF) return bad(i, "a low surrogate without a high one");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (i + 3 >= n) return bad(i, "a high surrogate at the end");
                char32_t lo = unit(i + 2);
                if (lo < 0xDC00 || lo > 0xDFFF) return bad(i, "a high surrogate without a low one");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
            if (cp == 0) {
                problem(path, static_cast<std::int64_t>(i), false,
                        "looks like a binary file, not text (a NUL character at byte offset " + std::to_string(i) + ")");
                return std::nullopt;
            }
            utf8::append(d.text, cp);
        }
        if (i < n) return bad(i, "an odd number of bytes");
        return d;
    }

    void read_text_file(const fs::path& path, std::string bytes, bool split) {
        auto decoded = decode(path, std::move(bytes), true);
        if (!decoded) return;
        std::string text = to_lf(decoded->text);
        const std::string separator(rtrim(opt_.separator));
        if (!split || separator.empty()) {
            add_story(strip_layout(text), path.string(), path, 0);
            return;
        }
        struct Piece {
            std::size_t begin, end;
            std::int64_t first_line;
        };
        std::vector<Piece> pieces;
        std::size_t begin = 0;
        std::int64_t line = 1, first_line = 1;
        for (std::size_t pos = 0; pos <= text.size();) {
            std::size_t nl = text.find('\n', pos);
            std::size_t end = nl == npos ? text.size() : nl;
            if (rtrim(std::string_view(text).substr(pos, end - pos)) == separator) {
                pieces.push_back({begin, pos, first_line});
                begin = nl == npos ? text.size() : nl + 1;
                first_line = line + 1;
            }
            if (nl == npos) break;
            pos = nl + 1;
            ++line;
        }
        if (pieces.empty()) {
            add_story(strip_layout(text), path.string(), path, 0);
            return;
        }
        pieces.push_back({begin, text.size(), first_line});
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            std::string_view raw = std::string_view(text).substr(pieces[k].begin, pieces[k].end - pieces[k].begin);
            // A separator before the first story or after the last one is a
            // common layout, not an empty story.
            if ((k == 0 || k + 1 == pieces.size()) && is_blank(raw)) continue;
            std::int64_t story_line = pieces[k].first_line;
            for (std::size_t i = 0; i < raw.size() && is_space(raw[i]); ++i)
                if (raw[i] == '\n') ++story_line;
            if (is_blank(raw)) story_line = pieces[k].first_line;
            add_story(strip_layout(raw), path.string() + ":" + std::to_string(story_line), path, story_line);
        }
    }

    void read_jsonl(const fs::path& path, std::string bytes) {
        auto decoded = decode(path, std::move(bytes), false);
        if (!decoded) return;
        const std::string& text = decoded->text;
        const std::string& field = opt_.text_field;
        std::int64_t line_no = 0;
        for (std::size_t pos = 0; pos < text.size();) {
            std::size_t nl = text.find('\n', pos);
            std::size_t end = nl == npos ? text.size() : nl;
            std::string_view line = std::string_view(text).substr(pos, end - pos);
            const std::size_t line_offset = decoded->base + pos;
            pos = nl == npos ? text.size() : nl + 1;
            ++line_no;
            const std::string where = "line " + std::to_string(line_no) + ": ";
            if (std::size_t bad = first_invalid_utf8(line); bad != npos) {
                problem(path, line_no, true,
                        where + "not valid UTF-8 text at byte offset " + std::to_string(line_offset + bad) +
                            "; save the file with the UTF-8 encoding");
                continue;
            }
            if (is_blank(line)) continue;
            nlohmann::json obj;
            try {
                obj = nlohmann::json::parse(line);
            } catch (const nlohmann::json::parse_error& e) {
                problem(path, line_no, true,
                        where + "not valid JSON (at character " + std::to_string(e.byte) +
                            "); each line must be one object such as {\"" + field + "\": \"...\"}");
                continue;
            } catch (const nlohmann::json::out_of_range&) {
                problem(path, line_no, true,
                        where + "not valid JSON (a number too large to read); each line must be one object "
                                "such as {\"" + field + "\": \"...\"}");
                continue;
            }
            if (!obj.is_object()) {
                problem(path, line_no, true,
                        where + "not a JSON object; each line must look like {\"" + field + "\": \"...\"}");
                continue;
            }
            auto it = obj.find(field);
            if (it == obj.end()) {
                std::string fields;
                for (const auto& [key, value] : obj.items()) fields += (fields.empty() ? "" : ", ") + key;
                problem(path, line_no, true,
                        where + "no \"" + field + "\" field (it has: " + (fields.empty() ? "nothing" : fields) + ")");
                continue;
            }
            if (!it->is_string()) {
                problem(path, line_no, true,
                        where + "\"" + field + "\" is " + std::string(it->type_name()) + ", not a string");
                continue;
            }
            add_story(to_lf(it->get_ref<const std::string&>()),
                      path.string() + ":" + std::to_string(line_no), path, line_no);
        }
    }

    void read_csv(const fs::path& path, std::string bytes) {
        auto decoded = decode(path, std::move(bytes), true);
        if (!decoded) return;
        const std::string text = to_lf(decoded->text);

        struct Record {
            std::vector<std::string> fields;
            std::int64_t line;
        };
        std::vector<Record> records;
        std::int64_t line = 1;
        std::size_t i = 0;
        const std::size_t n = text.size();
        while (i < n) {
            Record rec{{}, line};
            while (true) { // one field per iteration
                std::string field;
                if (i < n && text[i] == '"') {
                    const std::int64_t quote_line = line;
                    ++i;
                    while (true) {
                        if (i >= n) {
                            problem(path, quote_line, true,
                                    "line " + std::to_string(quote_line) +
                                        ": a quoted field is never closed (a missing \" ?)");
                            return;
                        }
                        char c = text[i++];
                        if (c == '"') {
                            if (i < n && text[i] == '"') {
                                field += '"';
                                ++i;
                            } else {
                                break;
                            }
                        } else {
                            if (c == '\n') ++line;
                            field += c;
                        }
                    }
                    if (i < n && text[i] != ',' && text[i] != '\n') {
                        problem(path, line, true,
                                "line " + std::to_string(line) +
                                    ": text after the closing quote of a field; a quote inside a quoted field "
                                    "must be written twice (\"\")");
                        return;
                    }
                } else {
                    // RFC 4180 forbids quotes in unquoted fields; hand-written
                    // files have them (5" tall), so they are kept as text.
                    std::size_t stop = text.find_first_of(",\n", i);
                    if (stop == npos) stop = n;
                    field.assign(text, i, stop - i);
                    i = stop;
                }
                rec.fields.push_back(std::move(field));
                if (i < n && text[i] == ',') {
                    ++i;
                    continue;
                }
                if (i < n) { // '\n'
                    ++i;
                    ++line;
                }
                break;
            }
            records.push_back(std::move(rec));
        }
        if (records.empty()) {
            problem(path, -1, false, "the CSV file is empty; its first row must name the columns");
            return;
        }
        const auto& header = records.front().fields;
        std::size_t column = npos;
        for (std::size_t k = 0; k < header.size() && column == npos; ++k)
            if (trim(header[k]) == opt_.csv_column) column = k;
        for (std::size_t k = 0; k < header.size() && column == npos; ++k)
            if (lower(std::string(trim(header[k]))) == lower(opt_.csv_column)) column = k;
        if (column == npos) {
            std::string names;
            for (const auto& h : header) names += (names.empty() ? "\"" : ", \"") + std::string(trim(h)) + "\"";
            problem(path, 1, true,
                    "line 1: no column named \"" + opt_.csv_column + "\" in the header row (the columns are " +
                        names + "); choose the column that holds the stories");
            return;
        }
        for (std::size_t r = 1; r < records.size(); ++r) {
            const Record& rec = records[r];
            if (rec.fields.size() == 1 && rec.fields[0].empty()) continue; // blank line
            if (column >= rec.fields.size()) {
                problem(path, rec.line, true,
                        "line " + std::to_string(rec.line) + ": only " + std::to_string(rec.fields.size()) +
                            " columns, so no \"" + opt_.csv_column + "\" (column " + std::to_string(column + 1) + ")");
                continue;
            }
            add_story(rec.fields[column], path.string() + ":" + std::to_string(rec.line), path, rec.line);
        }
    }

    // contents: the file's bytes when they are already in memory, else
    // nullptr to read them from path (only for the formats that are read).
    void read_file(const fs::path& path, bool in_folder, std::string* contents = nullptr) {
        auto bytes = [&] { return contents ? std::move(*contents) : read_bytes(path); };
        const std::string ext = extension_of(path);
        if (is_document_extension(ext)) {
            problem(path, -1, false,
                    "this " + ext +
                        " document cannot be read; export it as plain text (.txt) from your word processor");
        } else if (ext == ".jsonl" || ext == ".ndjson") {
            read_jsonl(path, bytes());
        } else if (ext == ".csv") {
            read_csv(path, bytes());
        } else if (ext == ".json") {
            problem(path, -1, false,
                    "a .json file cannot be read; use JSON Lines (.jsonl): one {\"" + opt_.text_field +
                        "\": \"...\"} object per line");
        } else {
            read_text_file(path, bytes(), !in_folder);
        }
    }

    // Returns a note for the "no stories found" message when nothing could be tried.
    std::string read_folder(const fs::path& dir) {
        std::vector<fs::path> files;
        std::vector<std::string> ignored;
        std::error_code ec;
        fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
        if (ec) throw FileError(dir.string(), "cannot list the folder: " + ec.message());
        for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) throw FileError(dir.string(), "cannot list the folder: " + ec.message());
            const fs::path& p = it->path();
            // Hidden entries are version-control or editor state, never stories.
            if (p.filename().string().starts_with(".")) {
                if (it->is_directory(ec)) it.disable_recursion_pending();
                continue;
            }
            if (!it->is_regular_file(ec)) continue;
            const std::string ext = extension_of(p);
            if (is_text_extension(ext) || is_document_extension(ext))
                files.push_back(p);
            else
                ignored.push_back(p.filename().string());
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            // One unreadable file should not cost the writer the whole folder.
            try {
                read_file(f, true);
            } catch (const FileError& e) {
                if (opt_.strict) throw;
                problem(f, -1, false, std::string(e.what()).substr(std::min(e.path().size() + 2, std::strlen(e.what()))));
            }
        }
        if (!files.empty()) return "";
        std::string note = "the folder has no .txt or .md files";
        if (!ignored.empty()) {
            note += " (it has " + std::to_string(ignored.size()) + " other file" + (ignored.size() > 1 ? "s" : "") +
                    ", e.g. " + ignored.front() + ")";
        }
        return note;
    }

private:
    const ReadOptions& opt_;
    Collection out_;
    std::unordered_map<std::size_t, std::vector<std::size_t>> seen_;
    std::vector<std::size_t> uncounted_;
};

std::string no_stories_reasons(const Collection& c, const std::vector<std::size_t>& uncounted,
                               const std::string& note) {
    std::vector<std::string> reasons;
    if (!note.empty()) reasons.push_back(note);
    if (c.empty > 0) reasons.push_back(std::to_string(c.empty) + " empty stor" + (c.empty > 1 ? "ies" : "y"));
    if (c.duplicates > 0)
        reasons.push_back(std::to_string(c.duplicates) + " duplicate" + (c.duplicates > 1 ? "s" : ""));
    std::size_t shown = 0, other = 0;
    for (std::size_t idx : uncounted) {
        if (shown < 3) {
            reasons.push_back(c.problems[idx].to_string());
            ++shown;
        } else {
            ++other;
        }
    }
    if (other > 0) reasons.push_back("and " + std::to_string(other) + " more problem" + (other > 1 ? "s" : ""));
    if (reasons.empty()) reasons.push_back("the file is empty");
    std::string out;
    for (const auto& r : reasons) out += (out.empty() ? "" : "; ") + r;
    return out;
}

Collection finish(Reader& reader, const fs::path& path, const std::string& note) {
    if (reader.collection().stories.empty())
        throw FileError(path.string(),
                        "no stories found in " + path.string() + " (" + no_stories_reasons(reader.collection(), reader.uncounted(), note) + ")");
    return reader.take();
}

} // namespace

Collection read_stories(const fs::path& path, const ReadOptions& options) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status)) throw FileError(path.string(), "does not exist");
    Reader reader(options);
    std::string note;
    if (fs::is_directory(status))
        note = reader.read_folder(path);
    else
        reader.read_file(path, false);
    return finish(reader, path, note);
}

Collection read_stories_from_bytes(std::string bytes, const fs::path& name, const ReadOptions& options) {
    Reader reader(options);
    reader.read_file(name, false, &bytes);
    return finish(reader, name, "");
}

} // namespace fabula::training
