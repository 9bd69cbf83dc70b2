// fabula-tokenize-tool: the tokenizer over whole JSONL files, so that the
// Python tests and the benchmark pay one process start per file instead of one
// per text.
//
//   fabula-tokenize-tool encode      --tokenizer DIR [--as-text] [--specials] --out OUT IN.jsonl
//   fabula-tokenize-tool decode      --tokenizer DIR --out OUT IN.jsonl
//   fabula-tokenize-tool pretokenize --out OUT IN.jsonl
//   fabula-tokenize-tool bench       --tokenizer DIR IN.jsonl...
//
// Input lines are {"text": ...} for encode/pretokenize/bench and {"ids": [...]}
// for decode. Output is one line per input line: the ids as a JSON array
// (encode; with --specials as encode_with_specials makes them, BOS and all),
// {"text": ...} (decode, invalid UTF-8 as U+FFFD), or the byte
// lengths of the pre-tokens as a JSON array (pretokenize).
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/pretokenizer.h"
#include "core/tokenizer.h"

namespace {

struct Args {
    std::string mode;
    std::string tokenizer_dir;
    std::string out;
    bool as_text = false;
    bool specials = false;
    std::vector<std::string> inputs;
};

[[noreturn]] void usage(const std::string& problem) {
    std::fprintf(stderr,
                 "fabula-tokenize-tool: %s\n"
                 "usage: fabula-tokenize-tool encode|decode|pretokenize|bench [--tokenizer DIR] [--as-text] [--specials] "
                 "[--out FILE] INPUT.jsonl...\n",
                 problem.c_str());
    std::exit(2);
}

Args parse_args(int argc, char** argv) {
    if (argc < 2) usage("no mode given");
    Args a;
    a.mode = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--tokenizer")
            a.tokenizer_dir = value();
        else if (arg == "--out")
            a.out = value();
        else if (arg == "--as-text")
            a.as_text = true;
        else if (arg == "--specials")
            a.specials = true;
        else if (arg.rfind("--", 0) == 0)
            usage("unknown option " + arg);
        else
            a.inputs.push_back(arg);
    }
    if (a.inputs.empty()) usage("no input file");
    if (a.mode != "pretokenize" && a.tokenizer_dir.empty()) usage("--tokenizer DIR is required");
    if (a.mode != "bench" && (a.out.empty() || a.inputs.size() != 1)) usage("needs --out FILE and one input");
    return a;
}

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw fabula::FileError(path, "cannot be opened");
    std::vector<nlohmann::json> rows;
    std::string line;
    for (size_t n = 1; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        try {
            rows.push_back(nlohmann::json::parse(line));
        } catch (const nlohmann::json::parse_error& e) {
            throw fabula::FileError(path, "line " + std::to_string(n) + ": " + e.what());
        }
    }
    return rows;
}

std::vector<std::string> read_texts(const std::string& path) {
    std::vector<std::string> texts;
    for (auto& row : read_jsonl(path)) texts.push_back(row.at("text").get<std::string>());
    return texts;
}

template <class T>
void append_array(std::string& out, const std::vector<T>& values) {
    out += '[';
    char buf[24];
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        out.append(buf, std::to_chars(buf, buf + sizeof buf, values[i]).ptr);
    }
    out += "]\n";
}

void write_file(const std::string& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary);
    out << data;
    if (!out) throw fabula::FileError(path, "cannot be written");
}

int run(const Args& a) {
    if (a.mode == "pretokenize") {
        std::string out;
        for (const std::string& text : read_texts(a.inputs[0])) {
            std::vector<size_t> lengths;
            for (std::string_view piece : fabula::pretokenize(text)) lengths.push_back(piece.size());
            append_array(out, lengths);
        }
        write_file(a.out, out);
        return 0;
    }

    const fabula::Tokenizer tok = fabula::Tokenizer::from_dir(a.tokenizer_dir);
    const auto eot = a.as_text ? fabula::Tokenizer::EndOfText::AsText : fabula::Tokenizer::EndOfText::Special;
    if (a.mode == "encode") {
        std::string out;
        for (const std::string& text : read_texts(a.inputs[0]))
            append_array(out, a.specials ? tok.encode_with_specials(text, eot) : tok.encode(text, eot));
        write_file(a.out, out);
    } else if (a.mode == "decode") {
        std::string out;
        for (auto& row : read_jsonl(a.inputs[0])) {
            const auto ids = row.at("ids").get<std::vector<int32_t>>();
            out += nlohmann::json{{"text", tok.decode(ids)}}.dump(-1, ' ', false,
                                                                  nlohmann::json::error_handler_t::replace);
            out += '\n';
        }
        write_file(a.out, out);
    } else if (a.mode == "bench") {
        std::vector<std::string> texts;
        size_t bytes = 0;
        for (const std::string& path : a.inputs)
            for (std::string& t : read_texts(path)) {
                bytes += t.size();
                texts.push_back(std::move(t));
            }
        // Only the encode calls are timed: one text at a time, one thread,
        // starting from an empty cache.
        size_t tokens = 0;
        const auto t0 = std::chrono::steady_clock::now();
        for (const std::string& t : texts) tokens += tok.encode(t, eot).size();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("encoded %zu texts, %zu bytes, %zu tokens in %.4f s\n", texts.size(), bytes, tokens, s);
        std::printf("mb_per_s=%.3f\n", bytes / s / 1e6);
    } else {
        usage("unknown mode " + a.mode);
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const Args args = parse_args(argc, argv);
    try {
        return run(args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fabula-tokenize-tool: %s\n", e.what());
        return 1;
    }
}
