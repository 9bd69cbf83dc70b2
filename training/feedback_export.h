#pragma once
// The writer's feedback as training data: the store's three sets
// (Store::feedback_items decides what goes where) written as sft.jsonl,
// pairs.jsonl and kto.jsonl in Hugging Face TRL's text formats, each row with
// the exact token ids beside the text (see docs of the row keys below).
// Qt-free and without libtorch, so the app can call it too.
//
// Rows (one JSON object per line, UTF-8):
//   sft:   prompt, completion, prompt_ids, completion_ids, draft_id, round_id, generation_id
//   pairs: prompt, chosen, rejected, prompt_ids, chosen_ids, rejected_ids, draft_id, round_id,
//          source ("round" | "edit" | "ab"), chosen_generation_id, rejected_generation_id
//   kto:   prompt, completion, label, prompt_ids, completion_ids, draft_id, round_id, generation_id
// prompt_ids are the context tokens the model saw, as the store recorded
// them; the model's own text keeps the tokens it generated; the writer's
// edits are tokenized the way TRL does, tok(prompt + text)[len(tok(prompt)):]
// (see completion_tokens for a boundary where tokens merge), with the
// tokenizer of the model that wrote the continuation (or the one given). No end-of-text token is appended: the objectives add it. A row
// whose ids cannot be known (no tokenizer for an edit; an A/B pick between
// models whose tokens differ) carries the text only, as TRL reads it.
#include "core/store/store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fabula {

class Tokenizer;

struct FeedbackExportOptions {
    FeedbackFilter filter;
    // Tokenizes the writer's edits instead of each model's own folder.
    std::optional<std::filesystem::path> tokenizer_dir;
};

struct FeedbackExportCounts {
    std::int64_t sft = 0, pairs = 0, kto = 0;
    std::int64_t pairs_round = 0, pairs_edit = 0, pairs_ab = 0;
    std::int64_t kto_good = 0, kto_bad = 0;
    std::int64_t text_only = 0; // rows without ids
    std::vector<std::string> notes; // why rows are text only, once per cause
};

// The JSON of one item (its set from item.key.set). `tokenizer` tokenizes a
// completion the writer typed; without one such a row is text only.
nlohmann::json feedback_row(const FeedbackItem& item, const Tokenizer* tokenizer);

// TRL's completion tokens: tok(prompt + completion)[len(tok(prompt)):], with
// the tokenizer's special tokens as tokenizer(text) adds them, and no
// end-of-text at the end. Where tokens merge across the boundary (tok(prompt)
// is no prefix of tok(prompt + completion)), tok(completion) alone, so that
// the exact context ids followed by these still read prompt + completion.
std::vector<std::int32_t> completion_tokens(const Tokenizer& tokenizer, const std::string& prompt,
                                            const std::string& completion);

// Builds the sets and writes out_dir/{sft,pairs,kto}.jsonl in one atomic
// folder write (core/atomic_folder.h). out_dir may be missing, empty, or an
// earlier feedback export, which is replaced; anything else is refused
// (UsageError) and left untouched.
FeedbackExportCounts export_feedback(const Store& store, const std::filesystem::path& out_dir,
                                     const FeedbackExportOptions& options = {});

} // namespace fabula
