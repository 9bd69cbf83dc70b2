#pragma once
// Reads a writer's story collection from whatever they have on disk: a folder
// of .txt/.md files, one text file with separator lines, JSON Lines or CSV.
// Anything unusable is reported as a Problem the writer can act on, rather
// than silently dropped or fatal (unless ReadOptions::strict).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fabula::training {

struct Story {
    // UTF-8, LF line endings. From .txt/.md files the leading blank lines and
    // trailing whitespace are removed (they are file layout, not story); JSONL
    // and CSV texts are kept as they are apart from the line endings.
    std::string text;
    std::string source; // "file" or "file:line" (line where the story starts)
};

struct Problem {
    std::string path;
    // A 1-based line number when is_line, else a 0-based byte offset into the
    // file as stored (BOM included); -1 when the problem concerns the whole file.
    std::int64_t offset_or_line = -1;
    bool is_line = false;
    // Complete on its own: it repeats the line or byte offset in words, e.g.
    // "line 4: not valid JSON (at character 9)".
    std::string message;

    std::string to_string() const { return path + ": " + message; }
};

struct Collection {
    std::vector<Story> stories;
    std::vector<Problem> problems; // includes the empty and duplicate stories
    int empty = 0;
    int duplicates = 0;
};

struct ReadOptions {
    // In a single .txt/.md file, a line equal to this (after trimming trailing
    // whitespace) ends one story and starts the next.
    std::string separator = "<|endoftext|>";
    std::string text_field = "text"; // .jsonl
    std::string csv_column = "text"; // .csv, named in the header row
    // Drop exact repeats of an earlier story (prepare/train set this so a
    // story pasted twice is not learnt twice; eval keeps everything).
    bool deduplicate = false;
    // Throw FileError at the first problem instead of skipping it.
    bool strict = false;
};

// path is a folder (every .txt/.md file below it, sorted, one story per file,
// hidden entries skipped), a .txt/.md file (stories split by the separator),
// a .jsonl or a .csv file. Any other file is read as plain text.
// Throws FileError when the path is missing or unreadable, when strict and
// there is a problem, or when no usable story remains ("no stories found").
Collection read_stories(const std::filesystem::path& path, const ReadOptions& options = {});

// read_stories on a file named `name` that holds `bytes`, without the disk:
// the name's extension picks the format, and it is the path in sources and
// messages.
Collection read_stories_from_bytes(std::string bytes, const std::filesystem::path& name,
                                   const ReadOptions& options = {});

} // namespace fabula::training
