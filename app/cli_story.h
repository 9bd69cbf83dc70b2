#pragma once
// The story a request continues, for the commands that build a prompt
// (generate, dev-ttft): the text before the cursor from --prompt or
// --prompt-file, and what the draft pins into every prompt (--memory,
// --authors-note, --lore), turned into a BuiltPrompt by build_prompt.
#include "app/cli_common.h"
#include "core/json_file.h"
#include "core/lorebook.h"
#include "core/prompt_builder.h"
#include "core/text_file.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fabula::cli {

inline OptionTable story_option_table() {
    return in_group("Prompt and output", {
        text_option("prompt", "TEXT", "the text to continue (the story before the cursor); this or --prompt-file",
                    "none"),
        text_option("prompt-file", "FILE", "read the text to continue from a UTF-8 text file; this or --prompt",
                    "none"),
        text_option("memory", "TEXT", "text that always goes first in the prompt (the premise, the characters, "
                                      "the style)", "none"),
        text_option("authors-note", "TEXT", "a short note inserted --authors-note-depth paragraphs before the end "
                                            "of the story, as [Author's note: TEXT]", "none"),
        int_option<int>("authors-note-depth", "how many paragraphs before the end of the story the note goes",
                        shown(StoryContext{}.authors_note_depth), 0, 1 << 20),
        text_option("lore", "FILE", "a lorebook: JSONL lines {\"keys\": [...], \"content\": \"...\"} (optional "
                                    "secondary_keys, always, case_sensitive, enabled), or a NovelAI, KoboldAI or "
                                    "SillyTavern export; an entry joins the prompt when a key appears in the recent "
                                    "story", "none"),
        int_option<int>("lore-scan", "a lore key must appear in this many last tokens of the story",
                        shown(StoryContext{}.lore_scan_tokens), 0, 1 << 24),
        switch_option("eot-as-text", "read <|endoftext|> in the prompt as plain text, not the special token"),
    });
}

// A text file as the story before the cursor: UTF-8 (a BOM is dropped),
// line endings as LF, so paragraph boundaries are found as in the app.
inline std::string read_prompt_file(const std::string& path) { return read_text_file(path); }

// Exactly one of --prompt and --prompt-file.
inline std::string story_text(const Args& a) {
    const bool inline_text = a.has("prompt"), file = a.has("prompt-file");
    if (inline_text == file)
        throw UsageError(inline_text ? "give --prompt or --prompt-file, not both"
                                     : "give the text to continue with --prompt TEXT or --prompt-file FILE");
    return inline_text ? a.require("prompt") : read_prompt_file(a.require("prompt-file"));
}

inline StoryContext story_context(const Args& a) {
    StoryContext c;
    c.memory = a.get("memory").value_or("");
    c.authors_note = a.get("authors-note").value_or("");
    if (auto v = a.get_int("authors-note-depth")) c.authors_note_depth = static_cast<int>(*v);
    if (auto v = a.get_int("lore-scan")) c.lore_scan_tokens = static_cast<int>(*v);
    if (auto f = a.get("lore")) c.lore = read_lorebook_file(*f);
    return c;
}

// --eot-as-text: the builder reads "<|endoftext|>" (any special token's
// text) as the special token, as the app does; here each part that holds one
// is encoded again with the text read as text. A part's text is exactly the
// draft's text it came from, so the result is what the builder would have
// made reading it as text, unless the longer part no longer fits.
inline void read_special_tokens_as_text(const Tokenizer& tokenizer, BuiltPrompt& built) {
    const auto bos = tokenizer.adds_bos() ? tokenizer.bos_id() : std::nullopt;
    bool changed = false;
    for (PromptPart& part : built.parts) {
        const bool leading_bos = bos && !part.ids.empty() && part.ids.front() == *bos && &part == &built.parts.front();
        std::vector<int32_t> ids;
        if (leading_bos) ids.push_back(*bos);
        const std::string text = tokenizer.decode(std::span<const int32_t>(part.ids).subspan(leading_bos ? 1 : 0));
        const auto as_text = tokenizer.encode(text, Tokenizer::EndOfText::AsText);
        ids.insert(ids.end(), as_text.begin(), as_text.end());
        if (ids != part.ids) {
            part.ids = std::move(ids);
            changed = true;
        }
    }
    if (!changed) return;
    built.ids.clear();
    for (const PromptPart& part : built.parts) built.ids.insert(built.ids.end(), part.ids.begin(), part.ids.end());
    if (static_cast<int>(built.ids.size()) > built.budget)
        throw UsageError("with --eot-as-text the prompt has " + std::to_string(built.ids.size()) +
                         " tokens, more than the " + std::to_string(built.budget) +
                         " this model has for a prompt; shorten the text or leave out --eot-as-text");
}

// The prompt for a request, as the app builds it. Throws UsageError when
// memory and the author's note alone do not fit (the message names which).
inline BuiltPrompt build_story_prompt(const Args& a, const Tokenizer& tokenizer, std::string_view story,
                                      const StoryContext& context, int context_length, int max_new_tokens) {
    PromptRequest request;
    request.story = story;
    request.context = &context;
    request.context_length = context_length;
    request.max_new_tokens = max_new_tokens;
    BuiltPrompt built = build_prompt(tokenizer, request);
    if (a.has("eot-as-text")) read_special_tokens_as_text(tokenizer, built);
    return built;
}

// "context" in --json: the parts in prompt order; their ids concatenate to prompt_ids.
inline nlohmann::json context_json(const BuiltPrompt& built) {
    nlohmann::json parts = nlohmann::json::array();
    for (const PromptPart& p : built.parts) {
        nlohmann::json j = {{"part", to_string(p.kind)}, {"tokens", p.ids.size()}, {"ids", p.ids}, {"text", p.text}};
        if (p.kind == PromptPartKind::Lore) j["key"] = p.key;
        parts.push_back(std::move(j));
    }
    return parts;
}

} // namespace fabula::cli
