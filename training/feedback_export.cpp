#include "training/feedback_export.h"

#include "core/atomic_folder.h"
#include "core/error.h"
#include "core/tokenizer.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>

namespace fabula {

namespace fs = std::filesystem;

std::vector<std::int32_t> completion_tokens(const Tokenizer& tokenizer, const std::string& prompt,
                                            const std::string& completion) {
    auto p = tokenizer.encode_with_specials(prompt);
    auto pc = tokenizer.encode_with_specials(prompt + completion);
    // A template that appends an end-of-sequence token puts it on both; the
    // objectives add their own.
    const auto eos = tokenizer.eos_ids();
    auto is_eos = [&](std::int32_t id) { return std::find(eos.begin(), eos.end(), id) != eos.end(); };
    if (!p.empty() && !pc.empty() && is_eos(p.back()) && pc.back() == p.back()) {
        p.pop_back();
        pc.pop_back();
    }
    if (pc.size() >= p.size() && std::equal(p.begin(), p.end(), pc.begin()))
        return {pc.begin() + static_cast<std::ptrdiff_t>(p.size()), pc.end()};
    // Tokens merge across the boundary (a prompt ending in a blank line
    // followed by a word). TRL would move the prompt's last token into the
    // completion, but the row's prompt ids are the exact context, which ends
    // in that token: the completion's own tokens keep prompt ids plus
    // completion ids exactly the text.
    return tokenizer.encode(completion);
}

nlohmann::json feedback_row(const FeedbackItem& item, const Tokenizer* tokenizer) {
    using nlohmann::json;
    auto ids_of = [&](const std::string& text, const std::optional<std::vector<std::int32_t>>& ids)
        -> std::optional<std::vector<std::int32_t>> {
        if (ids) return ids;
        if (!tokenizer) return std::nullopt;
        return completion_tokens(*tokenizer, item.prompt, text);
    };
    json row;
    row["prompt"] = item.prompt;
    std::optional<std::vector<std::int32_t>> first = ids_of(item.completion, item.completion_ids), second;
    bool with_ids = !item.text_only && first.has_value();
    switch (item.key.set) {
    case FeedbackSet::Sft:
        row["completion"] = item.completion;
        if (with_ids) {
            row["prompt_ids"] = item.prompt_ids;
            row["completion_ids"] = *first;
        }
        row["draft_id"] = item.draft_id;
        row["round_id"] = item.round_id;
        row["generation_id"] = item.key.continuation_id;
        row["edited"] = !item.completion_ids.has_value();
        break;
    case FeedbackSet::Pairs:
        row["chosen"] = item.completion;
        row["rejected"] = item.rejected;
        second = ids_of(item.rejected, item.rejected_ids);
        with_ids = with_ids && second.has_value();
        if (with_ids) {
            row["prompt_ids"] = item.prompt_ids;
            row["chosen_ids"] = *first;
            row["rejected_ids"] = *second;
        }
        row["draft_id"] = item.draft_id;
        row["round_id"] = item.round_id;
        row["source"] = to_string(item.source);
        row["chosen_generation_id"] = item.key.continuation_id;
        row["rejected_generation_id"] = item.key.other_id;
        if (item.ab_pick_id) row["ab_pick_id"] = *item.ab_pick_id;
        break;
    case FeedbackSet::Kto:
        row["completion"] = item.completion;
        row["label"] = item.label;
        if (with_ids) {
            row["prompt_ids"] = item.prompt_ids;
            row["completion_ids"] = *first;
        }
        row["draft_id"] = item.draft_id;
        row["round_id"] = item.round_id;
        row["generation_id"] = item.key.continuation_id;
        break;
    }
    return row;
}

namespace {

// A destination that holds anything but an earlier feedback export is the
// writer's (or another Fabula folder, a model): never replaced.
void check_feedback_destination(const fs::path& dir) {
    std::string foreign;
    const FolderState state = inspect_destination(dir, &foreign);
    if (state == FolderState::Missing || state == FolderState::Empty) return;
    if (state == FolderState::NotAFolder) throw UsageError(dir.string() + " exists and is not a folder; choose another place");
    std::string kind;
    try {
        std::ifstream in(dir / kFolderMarker);
        if (in) kind = nlohmann::json::parse(in).value("kind", "");
    } catch (const std::exception&) {
    }
    if (kind != "feedback")
        throw UsageError(dir.string() + " is not empty and is not an earlier feedback export" +
                         (foreign.empty() ? std::string() : " (it holds " + foreign + ")") +
                         "; Fabula does not replace it: choose a new or empty folder");
}

} // namespace

FeedbackExportCounts export_feedback(const Store& store, const fs::path& out_dir, const FeedbackExportOptions& options) {
    check_feedback_destination(out_dir);
    const FeedbackItems items = store.feedback_items(options.filter);
    FeedbackExportCounts counts;

    // One tokenizer per model folder, for the writer's edits.
    std::unique_ptr<Tokenizer> given;
    if (options.tokenizer_dir) given = std::make_unique<Tokenizer>(Tokenizer::from_dir(*options.tokenizer_dir));
    std::map<std::int64_t, std::unique_ptr<Tokenizer>> by_model;
    std::set<std::string> noted;
    auto tokenizer_for = [&](const FeedbackItem& it) -> const Tokenizer* {
        if (given) return given.get();
        if (!it.model_id) return nullptr;
        auto found = by_model.find(*it.model_id);
        if (found != by_model.end()) return found->second.get();
        std::unique_ptr<Tokenizer> t;
        std::string why;
        if (auto m = store.get_model(*it.model_id)) {
            try {
                t = std::make_unique<Tokenizer>(Tokenizer::from_dir(m->path));
            } catch (const std::exception& e) {
                why = e.what();
            }
        }
        if (!t && why.empty()) why = "model " + std::to_string(*it.model_id) + " is no longer in the library";
        if (!t && noted.insert(why).second)
            counts.notes.push_back("edits are written as text only (no ids): " + why + "; give --tokenizer DIR");
        return by_model.emplace(*it.model_id, std::move(t)).first->second.get();
    };

    AtomicFolderWriter writer(out_dir, /*overwrite=*/true);
    auto write_set = [&](const char* name, const std::vector<FeedbackItem>& set) {
        std::string text;
        for (const auto& it : set) {
            const bool needs_tokenizer = !it.completion_ids || (it.key.set == FeedbackSet::Pairs && !it.rejected_ids);
            const auto row = feedback_row(it, needs_tokenizer ? tokenizer_for(it) : nullptr);
            if (!row.contains("prompt_ids")) ++counts.text_only;
            text += row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            text += '\n';
        }
        std::ofstream out(writer.dir() / name, std::ios::binary);
        out << text;
        out.close();
        if (!out) throw FileError((writer.dir() / name).string(), "cannot write the file");
    };
    write_set("sft.jsonl", items.sft);
    write_set("pairs.jsonl", items.pairs);
    write_set("kto.jsonl", items.kto);
    if (std::count_if(items.pairs.begin(), items.pairs.end(), [](const FeedbackItem& it) { return it.text_only; }) > 0)
        counts.notes.push_back("A/B pairs between models that read the prompt as different tokens are text only");

    counts.sft = static_cast<std::int64_t>(items.sft.size());
    counts.pairs = static_cast<std::int64_t>(items.pairs.size());
    counts.kto = static_cast<std::int64_t>(items.kto.size());
    for (const auto& p : items.pairs)
        ++(p.source == PairSource::Round ? counts.pairs_round : p.source == PairSource::Edit ? counts.pairs_edit
                                                                                             : counts.pairs_ab);
    for (const auto& k : items.kto) ++(k.label ? counts.kto_good : counts.kto_bad);
    writer.commit("feedback", {{"database", store.path()},
                               {"sft", counts.sft},
                               {"pairs", counts.pairs},
                               {"kto", counts.kto}});
    return counts;
}

} // namespace fabula
