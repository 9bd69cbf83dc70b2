#pragma once
// The one place a request's token sequence is built: memory, lore entries,
// the story before the cursor and the author's note, within the model's
// context. Qt-free and libtorch-free (fabula_files); the app, the CLI and the
// tests all build prompts here, for every family.
#include "core/lorebook.h"
#include "core/tokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fabula {

// What a draft pins into every prompt (the story panel, or the CLI's flags).
struct StoryContext {
    std::string memory;       // always first
    std::string authors_note; // inserted `authors_note_depth` paragraphs before the end of the story
    int authors_note_depth = 3;
    std::string authors_note_template = "[Author's note: {}]"; // {} is replaced by the note
    std::vector<LoreEntry> lore;
    int lore_scan_tokens = 1000; // a key must appear in this many last tokens of the story (<= 0: none)
    int lore_budget = 0;         // tokens for lore; 0: a quarter of the prompt budget
    bool lore_recursive = true;  // an entry's text may activate other entries (one level)
};

struct PromptRequest {
    std::string_view story; // the draft's text before the cursor
    const StoryContext* context = nullptr; // nullptr: the story alone
    int context_length = 1024; // the model's (the KV cache's) context
    int max_new_tokens = 60;   // the budget is context_length - min(max_new_tokens, context_length / 2)
};

enum class PromptPartKind { Memory, Lore, Story, AuthorsNote };
std::string to_string(PromptPartKind); // "memory", "lore", "story", "authors_note"

// Every prompt token belongs to exactly one part; a part's separator (the
// newline after memory, a lore entry or the note) belongs to it. The BOS a
// tokenizer puts first (Llama) belongs to the first part.
struct PromptPart {
    PromptPartKind kind;
    std::vector<int32_t> ids;
    std::string text; // what the ids decode to
    std::string key;  // lore: the entry's name
};

struct BuiltPrompt {
    std::vector<int32_t> ids;     // the concatenation of every part's ids, exactly what the engine gets
    std::vector<PromptPart> parts; // in prompt order; the story gives at most two (before and after the note)
    int budget = 0;               // tokens the prompt may use
    size_t story_cut = 0;         // byte offset in the story where the prompt's story begins
    std::vector<std::string> lore_fired;   // names of the entries inserted, in prompt order
    std::vector<std::string> lore_dropped; // names of entries that fired but did not fit the lore budget
    int pinned_tokens = 0; // memory + note
    int lore_tokens = 0;
    int story_tokens = 0;
};

// Builds the prompt. The story keeps its newest text and starts at a
// paragraph boundary (a blank line; a single newline when the draft has no
// blank lines; else a sentence end; never mid-word). The cut point is
// stable: candidate cuts lie on a grid of a quarter of the story's room (the
// budget less memory, note and lore) counted in tokens from the draft's
// start, and the earliest grid point whose text fits is used, so appending
// text keeps the cut (and the KV cache's prefix) until the text after it no
// longer fits, and then it moves forward by about a quarter of that room
// (core/prompt_builder.cpp has the details). Separators: "\n" after the
// memory, each lore entry and the note, unless their text ends with one. An
// empty prompt is GPT-2's end-of-text token (BOS where the tokenizer adds
// one). Throws UsageError when memory and the author's note alone exceed the
// budget, naming the part to shorten and the figures; also for a lore key
// that is an invalid regular expression (lore_key_error) and a context
// length below 1.
BuiltPrompt build_prompt(const Tokenizer& tokenizer, const PromptRequest& request);

} // namespace fabula
