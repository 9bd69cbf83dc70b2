#pragma once
// The feedback sets (sft.jsonl, pairs.jsonl, kto.jsonl) as the objectives
// train on them: token ids per example, tokenized and with the end-of-text
// appended the way TRL 1.16 does, so a file trains the same here as with TRL.
// No libtorch or Qt here.
#include "core/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fabula::training {

// What a run optimises: language modelling on stories (today's), or one of
// the feedback objectives on a JSONL set.
enum class ObjectiveKind { LM, SFT, DPO, KTO };
const char* to_string(ObjectiveKind kind);
std::optional<ObjectiveKind> parse_objective(std::string_view name); // "lm", "sft", "dpo", "kto"

// One prompt with one completion (sft.jsonl, kto.jsonl). The completion ends
// with the end-of-text id. Not yet truncated.
struct CompletionExample {
    std::vector<int32_t> prompt, completion;
    bool desirable = true; // kto.jsonl's "label"
};

// One prompt with the chosen and the rejected completion (pairs.jsonl), both
// ending with the end-of-text id. Not yet truncated.
struct PairExample {
    std::vector<int32_t> prompt, chosen, rejected;
};

struct PreferenceSet {
    ObjectiveKind kind = ObjectiveKind::SFT;
    std::vector<CompletionExample> completions; // SFT, KTO
    std::vector<PairExample> pairs;             // DPO
    std::size_t lines = 0;      // examples in the file
    std::size_t dropped = 0;    // left out: the prompt alone fills max_length (TRL drops these too)
    std::size_t truncated = 0;  // kept, but a sequence is longer than max_length and is cut keeping its start
    std::string fingerprint;    // SHA-256 of the examples' ids

    std::size_t size() const { return kind == ObjectiveKind::DPO ? pairs.size() : completions.size(); }
};

// Reads one JSONL set (the formats of `fabula-cli feedback export`). A row
// with "prompt_ids" and "completion_ids" ("chosen_ids", "rejected_ids") is
// taken as those ids plus the end-of-text id; a row with text only is
// tokenized as TRL does: prompt = tok(prompt), full = tok(prompt + completion
// + eos_token), the completion starting where the two first differ (so a
// prompt ending in a blank line loses its merged last token to the
// completion). Blank lines are skipped; extra keys are ignored. A malformed
// line throws FileError naming the file and the line; a file without
// examples throws FileError. max_length: the longest training sequence.
PreferenceSet read_preference_file(const std::filesystem::path& file, ObjectiveKind kind,
                                   const Tokenizer& tokenizer, int max_length);

// Which examples (indices below n) are held out for evaluation: a seeded
// choice, so a resumed run (and an exported job) holds out the same ones.
// Both lists ascending.
void split_examples(std::size_t n, double val_fraction, uint64_t seed, std::vector<std::size_t>& train,
                    std::vector<std::size_t>& val);

// prompt + completion cut to max_length keeping the start, and the number of
// prompt ids left in it.
struct TruncatedSequence {
    std::vector<int32_t> ids;
    std::size_t prompt = 0;
};
TruncatedSequence join_truncated(const std::vector<int32_t>& prompt, const std::vector<int32_t>& completion,
                                 int max_length);

} // namespace fabula::training
