// The feedback sets from a real store file made with the Store API, the way
// the app records a writing session: a round with Regenerate then Accept,
// an Alternatives pick, an accepted-then-edited continuation, thumbs and
// stars without partners, a blind A/B pick; each lands in the right set
// with the exact prompt ids. Then the real fabula-cli writes the same files.
#include "check.h"
#include "store_test_support.h"
#include "core/error.h"
#include "core/store/feedback_rules.h"
#include "core/store/library_path.h"
#include "core/store/store.h"
#include "core/tokenizer.h"
#include "training/feedback_export.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace fabula;
namespace fs = std::filesystem;
using namespace store_test;
using Ids = std::vector<std::int32_t>;
using nlohmann::json;

namespace {

fs::path gpt2_dir() {
    const char* dir = std::getenv("FABULA_SHARED_DIR");
    if (!dir || !*dir) throw std::runtime_error("FABULA_SHARED_DIR is not set (ctest sets it)");
    return fs::path(dir) / "data" / "gpt2";
}

const Tokenizer& gpt2() {
    static const Tokenizer tok = Tokenizer::from_dir(gpt2_dir());
    return tok;
}

// TRL's completion tokens, written out here from its definition.
Ids trl_completion_ids(const std::string& prompt, const std::string& completion) {
    Ids joint = gpt2().encode(prompt + completion);
    Ids alone = gpt2().encode(prompt);
    return Ids(joint.begin() + static_cast<std::ptrdiff_t>(alone.size()), joint.end());
}

// A context as the engine hands it over: the tail of the text's tokens
// (here cut two tokens in, mid-sentence) and those tokens decoded.
struct Context {
    Ids ids;
    std::string text;
};
Context context_of(const std::string& story) {
    Ids all = gpt2().encode(story);
    Context c;
    c.ids.assign(all.begin() + 2, all.end());
    c.text = gpt2().decode(c.ids);
    return c;
}

std::vector<json> read_jsonl(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::vector<json> rows;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) rows.push_back(json::parse(line));
    return rows;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The writing session of the tests, with every id it made.
struct Session {
    TempDir dir;
    std::string db_path;
    fs::path model_dir;
    std::int64_t d1 = 0, d2 = 0, model = 0;
    std::int64_t r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    std::int64_t c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0, c8 = 0, c9 = 0, c10 = 0, c11 = 0,
                 c12 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0, c18 = 0;
    Context a, b, c, d, f, g;
    const std::string edit = " The old man smiled and rowed home.";

    Session() {
        db_path = dir.file("fabula.sqlite");
        // A model folder with GPT-2's tokenizer: the exporter tokenizes the
        // writer's edits with the tokenizer of the model that wrote the text.
        model_dir = dir.path / "gpt2-model";
        fs::create_directories(model_dir);
        fs::copy_file(gpt2_dir() / "vocab.json", model_dir / "vocab.json");
        fs::copy_file(gpt2_dir() / "merges.txt", model_dir / "merges.txt");

        a = context_of("Once upon a time, in a village by the sea, there lived an old fisherman.");
        b = context_of("The storm came at night. Nobody in the harbour slept");
        c = context_of("He pulled the net in slowly, and something shone inside it.\n\n");
        d = context_of("Morning came grey and cold over the water.");
        f = context_of("In the forest, the trees whispered to each other.");
        g = context_of("The fox looked at the crow and said");

        Store s(db_path);
        d1 = s.create_draft("The sea", a.text);
        d2 = s.create_draft("The forest", f.text);
        model = s.model_for_folder("gpt2", model_dir.string()).id;

        auto gen = [&](std::int64_t draft, const Context& ctx, const std::string& text, std::optional<std::int64_t> round,
                       GenerationEnd end = GenerationEnd::Shown) {
            NewContinuation n;
            n.draft_id = draft;
            n.model_id = model;
            n.context_ids = ctx.ids;
            n.context_text = ctx.text;
            n.continuation_ids = gpt2().encode(text);
            n.continuation_text = text;
            n.prompt_tokens = static_cast<std::int64_t>(ctx.ids.size());
            n.new_tokens = static_cast<std::int64_t>(n.continuation_ids.size());
            n.round_id = round;
            return must(s.record_generation(n, end));
        };
        // Continue, then Regenerate (the first is rejected), then Accept.
        r1 = s.begin_round();
        c1 = gen(d1, a, " He went fishing every day.", r1);
        s.set_continuation_status(c1, ContinuationStatus::Rejected);
        s.rate(c1, -1);
        c2 = gen(d1, a, " His name was Tomas, and he had a cat.", r1);
        s.set_continuation_status(c2, ContinuationStatus::Accepted);
        s.rate(c2, 1); // in a pair already: no KTO row
        // Alternatives: the second is picked (accepted), the others rejected.
        r2 = s.begin_round();
        c3 = gen(d1, b, ", for the wind howled.", r2);
        c4 = gen(d1, b, ". Only the lighthouse keeper watched the waves.", r2);
        c5 = gen(d1, b, " a wink.", r2);
        s.set_continuation_status(c4, ContinuationStatus::Accepted);
        s.set_continuation_status(c3, ContinuationStatus::Rejected);
        s.set_continuation_status(c5, ContinuationStatus::Rejected);
        // Accepted, then edited in the text.
        r3 = s.begin_round();
        c6 = gen(d1, c, "It was a bottle with a letter.", r3);
        s.set_continuation_status(c6, ContinuationStatus::Accepted);
        s.record_edit(c6, edit);
        // Thumbs and stars without partners, each in a round of its own.
        c7 = gen(d1, d, " Gulls cried.", std::nullopt, GenerationEnd::Stopped); // stopped, thumbs up
        s.rate(c7, 1);
        c8 = gen(d1, d, " Blah blah blah.", std::nullopt); // rejected, thumbs down
        s.set_continuation_status(c8, ContinuationStatus::Rejected);
        s.rate(c8, -1);
        c9 = gen(d1, d, " The boats waited.", std::nullopt);
        s.rate(c9, 0, 5);
        c10 = gen(d1, d, " and and and", std::nullopt);
        s.rate(c10, 0, 2);
        c11 = gen(d1, d, " Somewhere, a bell.", std::nullopt);
        s.rate(c11, 0, 3); // neither good nor bad
        c12 = gen(d1, d, " It rained.", std::nullopt);
        s.rate(c12, 1, 1); // thumbs and stars disagree
        // The second draft: an accepted continuation and blind A/B picks.
        r4 = s.begin_round();
        c14 = gen(d2, f, " The wind answered.", r4);
        s.set_continuation_status(c14, ContinuationStatus::Accepted);
        r5 = s.begin_round();
        c15 = gen(d2, g, ": \"What a fine voice you have.\"", r5);
        c16 = gen(d2, g, ": \"Sing for me, friend.\"", r5);
        s.record_ab_pick({.draft_id = d2, .a_id = c15, .b_id = c16, .a_label = "gpt2", .b_label = "voice",
                          .choice = AbChoice::B});
        c17 = gen(d2, g, " nothing.", s.begin_round());
        c18 = gen(d2, g, " hello.", must(s.get_continuation(c17)).round_id);
        s.record_ab_pick({.draft_id = d2, .a_id = c17, .b_id = c18, .choice = AbChoice::Neither});
    }
};

std::vector<std::pair<std::int64_t, std::int64_t>> keys(const std::vector<FeedbackItem>& items) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (const auto& it : items) out.emplace_back(it.key.continuation_id, it.key.other_id);
    return out;
}

using KeyList = std::vector<std::pair<std::int64_t, std::int64_t>>;

const FeedbackItem* find_item(const std::vector<FeedbackItem>& items, std::int64_t id, std::int64_t other) {
    for (const auto& it : items)
        if (it.key.continuation_id == id && it.key.other_id == other) return &it;
    return nullptr;
}

const json* find_row(const std::vector<json>& rows, const char* key, std::int64_t id, const char* key2 = nullptr,
                     std::int64_t id2 = 0) {
    for (const auto& r : rows)
        if (r.at(key) == id && (!key2 || r.at(key2) == id2)) return &r;
    return nullptr;
}

// fabula-cli as a child process, its output in files; env entries without
// a value are unset in the child.
struct CliRun {
    int rc = -1;
    std::string out, err;
};
CliRun run_cli(const std::vector<std::string>& args,
               const std::vector<std::pair<std::string, std::optional<std::string>>>& env, const fs::path& scratch) {
    const char* cli = std::getenv("FABULA_CLI");
    if (!cli || !*cli) throw std::runtime_error("FABULA_CLI is not set (ctest sets it)");
    const fs::path out = scratch / "cli.out", err = scratch / "cli.err";
    pid_t pid = ::fork();
    if (pid == 0) {
        for (const auto& [k, v] : env) {
            if (v) ::setenv(k.c_str(), v->c_str(), 1);
            else ::unsetenv(k.c_str());
        }
        int fo = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fo, 1);
        ::dup2(fe, 2);
        std::vector<char*> argv{const_cast<char*>(cli)};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(cli, argv.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    CliRun r;
    r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

} // namespace

TEST_CASE(verdicts_of_ratings_and_decisions) {
    using feedback_rules::Verdict;
    ContinuationRecord c;
    c.status = ContinuationStatus::Accepted;
    CHECK(feedback_rules::verdict(c) == Verdict::Good);
    c.status = ContinuationStatus::Rejected;
    CHECK(feedback_rules::verdict(c) == Verdict::Bad);
    c.status = ContinuationStatus::Cancelled;
    CHECK(feedback_rules::verdict(c) == Verdict::None);
    c.rating = Rating{0, 4, 1};
    CHECK(feedback_rules::verdict(c) == Verdict::Good);
    c.rating = Rating{0, 3, 1};
    CHECK(feedback_rules::verdict(c) == Verdict::None);
    c.rating = Rating{0, 2, 1};
    CHECK(feedback_rules::verdict(c) == Verdict::Bad);
    c.rating = Rating{1, 2, 1};
    CHECK(feedback_rules::verdict(c) == Verdict::None);
    // A rating given on purpose overrides the decision.
    c.status = ContinuationStatus::Accepted;
    c.rating = Rating{-1, std::nullopt, 1};
    CHECK(feedback_rules::verdict(c) == Verdict::Bad);
}

TEST_CASE(edit_tokens_after_the_exact_context) {
    // Usually TRL's slice, which reads back as the text.
    const std::string prompt = "The lamp was lit", edit = " and the sea was calm.";
    CHECK(completion_tokens(gpt2(), prompt, edit) == trl_completion_ids(prompt, edit));
    // A prompt ending in a blank line followed by a word: GPT-2 reads "\n\n"
    // alone as one token, but "\n" "\n" before the word. TRL's slice would
    // repeat a newline after the prompt's own "\n\n" token; the completion's
    // own tokens read back exactly.
    const std::string blank = "He smiled.\n\n", word = "She waved.";
    const Ids p = gpt2().encode(blank);
    const Ids joint = gpt2().encode(blank + word);
    CHECK(!std::equal(p.begin(), p.end(), joint.begin()));
    const Ids sliced = trl_completion_ids(blank, word);
    Ids with_slice = p;
    with_slice.insert(with_slice.end(), sliced.begin(), sliced.end());
    CHECK(gpt2().decode(with_slice) != blank + word);
    const Ids ours = completion_tokens(gpt2(), blank, word);
    CHECK(ours == gpt2().encode(word));
    Ids read_back = p;
    read_back.insert(read_back.end(), ours.begin(), ours.end());
    CHECK_EQ(gpt2().decode(read_back), blank + word);
}

TEST_CASE(each_kind_of_feedback_lands_in_its_set) {
    Session s;
    Store store(s.db_path);
    const FeedbackItems items = store.feedback_items();

    // Accepted continuations; the edited one with the writer's text.
    CHECK(keys(items.sft) == KeyList({{s.c2, s.c2}, {s.c4, s.c4}, {s.c6, s.c6}, {s.c14, s.c14}}));
    // Regenerate then Accept; the Alternatives pick against both others; the
    // edit against the model's text; the blind pick (B over A). "Neither"
    // makes no pair.
    CHECK(keys(items.pairs) ==
          KeyList({{s.c2, s.c1}, {s.c4, s.c3}, {s.c4, s.c5}, {s.c6, s.c6}, {s.c16, s.c15}}));
    // Rated without a partner: thumbs up (stopped), thumbs down (rejected
    // alone), 5 stars, 2 stars. Not 3 stars, not thumbs that disagree with
    // the stars, not c1/c2 (rated, but paired).
    CHECK(keys(items.kto) == KeyList({{s.c7, s.c7}, {s.c8, s.c8}, {s.c9, s.c9}, {s.c10, s.c10}}));
    CHECK(items.kto[0].label && !items.kto[1].label && items.kto[2].label && !items.kto[3].label);

    const auto* regen = find_item(items.pairs, s.c2, s.c1);
    CHECK(regen && regen->source == PairSource::Round && regen->round_id == s.r1 && regen->draft_id == s.d1);
    CHECK(regen && regen->prompt_ids == s.a.ids && regen->prompt == s.a.text);
    CHECK(regen && regen->completion_ids == std::optional<Ids>(gpt2().encode(" His name was Tomas, and he had a cat.")));
    CHECK(regen && regen->rejected == " He went fishing every day.");
    const auto* pick = find_item(items.pairs, s.c4, s.c5);
    CHECK(pick && pick->source == PairSource::Round && pick->round_id == s.r2 && pick->prompt_ids == s.b.ids);
    const auto* edit = find_item(items.pairs, s.c6, s.c6);
    CHECK(edit && edit->source == PairSource::Edit && edit->completion == s.edit && !edit->completion_ids);
    CHECK(edit && edit->rejected == "It was a bottle with a letter." && edit->prompt_ids == s.c.ids);
    const auto* ab = find_item(items.pairs, s.c16, s.c15);
    CHECK(ab && ab->source == PairSource::Ab && ab->ab_pick_id.has_value() && !ab->text_only);
    CHECK(ab && ab->completion == ": \"Sing for me, friend.\"" && ab->draft_id == s.d2);
    const auto* edited = find_item(items.sft, s.c6, s.c6);
    CHECK(edited && edited->completion == s.edit && !edited->completion_ids && edited->round_id == s.r3);
}

TEST_CASE(drafts_filters_left_out_and_deleted_items) {
    Session s;
    Store store(s.db_path);
    auto only = store.feedback_items({.only_drafts = {s.d1}});
    CHECK_EQ(only.sft.size(), std::size_t(3));
    CHECK_EQ(only.pairs.size(), std::size_t(4));
    CHECK_EQ(only.kto.size(), std::size_t(4));
    auto without = store.feedback_items({.exclude_drafts = {s.d1}});
    CHECK(keys(without.sft) == KeyList({{s.c14, s.c14}}));
    CHECK(keys(without.pairs) == KeyList({{s.c16, s.c15}}));
    CHECK(without.kto.empty());

    // A deleted pair stays out, and its rated sides do not turn into KTO rows.
    store.delete_feedback_item({FeedbackSet::Pairs, s.c2, s.c1});
    auto after = store.feedback_items();
    CHECK(!find_item(after.pairs, s.c2, s.c1));
    CHECK_EQ(after.pairs.size(), std::size_t(4));
    CHECK_EQ(after.kto.size(), std::size_t(4));
    CHECK(find_item(after.sft, s.c2, s.c2) != nullptr);
    CHECK_EQ(store.deleted_feedback_items().size(), std::size_t(1));
    // The feedback itself is kept.
    CHECK(must(store.get_continuation(s.c1)).rating.has_value());

    // Left out in the app: none of the draft is used; the summary still
    // shows what it would give.
    store.set_draft_left_out(s.d2, true);
    auto left = store.feedback_items();
    CHECK(keys(left.sft) == KeyList({{s.c2, s.c2}, {s.c4, s.c4}, {s.c6, s.c6}}));
    auto summary = store.feedback_summary();
    CHECK_EQ(summary.size(), std::size_t(2));
    std::map<std::int64_t, DraftFeedback> per;
    for (const auto& d : summary) per[d.draft_id] = d;
    CHECK(per[s.d2].left_out && per[s.d2].sft == 1 && per[s.d2].pairs == 1 && per[s.d2].kto == 0);
    CHECK(!per[s.d1].left_out && per[s.d1].sft == 3 && per[s.d1].pairs == 3 && per[s.d1].kto == 4);
    CHECK_EQ(per[s.d1].deleted, 1);
    CHECK_EQ(per[s.d1].title, std::string("The sea"));

    store.restore_feedback_item({FeedbackSet::Pairs, s.c2, s.c1});
    store.set_draft_left_out(s.d2, false);
    CHECK_EQ(store.feedback_items().pairs.size(), std::size_t(5));
    // A draft in the trash gives nothing.
    store.trash_draft(s.d2);
    CHECK_EQ(store.feedback_items().pairs.size(), std::size_t(4));
    CHECK_EQ(store.feedback_summary().size(), std::size_t(1));
    CHECK(error_kind([&] { store.delete_feedback_item({FeedbackSet::Sft, 999, 999}); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.record_ab_pick({.a_id = s.c1, .b_id = s.c1}); }) == StoreError::Kind::Invalid);
}

TEST_CASE(export_writes_the_three_files_with_exact_ids) {
    Session s;
    const fs::path out = s.dir.path / "feedback";
    FeedbackExportCounts counts;
    {
        Store store(s.db_path, {.read_only = true});
        counts = export_feedback(store, out);
    }
    CHECK_EQ(counts.sft, 4);
    CHECK_EQ(counts.pairs, 5);
    CHECK_EQ(counts.kto, 4);
    CHECK_EQ(counts.pairs_round, 3);
    CHECK_EQ(counts.pairs_edit, 1);
    CHECK_EQ(counts.pairs_ab, 1);
    CHECK_EQ(counts.kto_good, 2);
    CHECK_EQ(counts.kto_bad, 2);
    CHECK_EQ(counts.text_only, 0);
    const auto sft = read_jsonl(out / "sft.jsonl"), pairs = read_jsonl(out / "pairs.jsonl"),
               kto = read_jsonl(out / "kto.jsonl");
    CHECK_EQ(sft.size(), std::size_t(4));
    CHECK_EQ(pairs.size(), std::size_t(5));
    CHECK_EQ(kto.size(), std::size_t(4));

    // Regenerate then Accept: the exact context the model saw (not the
    // tokens of its decoded text), the tokens it wrote.
    const json* regen = find_row(pairs, "chosen_generation_id", s.c2, "rejected_generation_id", s.c1);
    CHECK(regen != nullptr);
    if (regen) {
        CHECK_EQ((*regen)["source"].get<std::string>(), std::string("round"));
        CHECK((*regen)["prompt_ids"].get<Ids>() == s.a.ids);
        CHECK_EQ((*regen)["prompt"].get<std::string>(), s.a.text);
        CHECK((*regen)["chosen_ids"].get<Ids>() == gpt2().encode(" His name was Tomas, and he had a cat."));
        CHECK((*regen)["rejected_ids"].get<Ids>() == gpt2().encode(" He went fishing every day."));
        CHECK_EQ((*regen)["round_id"].get<std::int64_t>(), s.r1);
        CHECK_EQ((*regen)["draft_id"].get<std::int64_t>(), s.d1);
    }
    // The edit, tokenized the way TRL does against a prompt that ends in a
    // blank line.
    const Ids edit_ids = trl_completion_ids(s.c.text, s.edit);
    const json* sft_edit = find_row(sft, "generation_id", s.c6);
    CHECK(sft_edit != nullptr);
    if (sft_edit) {
        CHECK_EQ((*sft_edit)["completion"].get<std::string>(), s.edit);
        CHECK((*sft_edit)["completion_ids"].get<Ids>() == edit_ids);
        CHECK((*sft_edit)["prompt_ids"].get<Ids>() == s.c.ids);
        CHECK_EQ((*sft_edit)["round_id"].get<std::int64_t>(), s.r3);
    }
    const json* edit_pair = find_row(pairs, "chosen_generation_id", s.c6, "rejected_generation_id", s.c6);
    CHECK(edit_pair != nullptr);
    if (edit_pair) {
        CHECK_EQ((*edit_pair)["source"].get<std::string>(), std::string("edit"));
        CHECK((*edit_pair)["chosen_ids"].get<Ids>() == edit_ids);
        CHECK((*edit_pair)["rejected_ids"].get<Ids>() == gpt2().encode("It was a bottle with a letter."));
        CHECK_EQ((*edit_pair)["rejected"].get<std::string>(), std::string("It was a bottle with a letter."));
    }
    const json* ab = find_row(pairs, "chosen_generation_id", s.c16);
    CHECK(ab && (*ab)["source"] == "ab" && (*ab)["rejected_generation_id"] == s.c15 && (*ab)["prompt_ids"].get<Ids>() == s.g.ids);
    const json* up = find_row(kto, "generation_id", s.c7);
    CHECK(up && (*up)["label"] == true && (*up)["completion"] == " Gulls cried." &&
          (*up)["completion_ids"].get<Ids>() == gpt2().encode(" Gulls cried.") && (*up)["prompt_ids"].get<Ids>() == s.d.ids);
    const json* two_stars = find_row(kto, "generation_id", s.c10);
    CHECK(two_stars && (*two_stars)["label"] == false);
    // Every row has TRL's text keys and the ids beside them.
    for (const auto& r : sft) CHECK(r.contains("prompt") && r.contains("completion") && r.contains("completion_ids"));
    for (const auto& r : pairs) CHECK(r.contains("chosen") && r.contains("rejected") && r.contains("rejected_ids"));
    for (const auto& r : kto) CHECK(r.contains("label") && r["label"].is_boolean());

    // A later export replaces the earlier one; a folder Fabula did not
    // write is refused and left as it was.
    {
        Store store(s.db_path);
        store.set_draft_left_out(s.d2, true);
        auto again = export_feedback(store, out);
        CHECK_EQ(again.sft, 3);
    }
    CHECK_EQ(read_jsonl(out / "sft.jsonl").size(), std::size_t(3));
    // The earlier files went with the old folder: nothing of it is left beside.
    for (const auto& e : fs::directory_iterator(s.dir.path))
        CHECK(e.path().filename().string().find("fabula-tmp") == std::string::npos);
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(out)) names.insert(e.path().filename().string());
    CHECK(names == std::set<std::string>({"fabula.json", "kto.jsonl", "pairs.jsonl", "sft.jsonl"}));
    const fs::path mine = s.dir.path / "mine";
    fs::create_directories(mine);
    { std::ofstream(mine / "sft.jsonl") << "the writer's own\n"; }
    Store store(s.db_path);
    CHECK_THROWS_WITH(fabula::UsageError, export_feedback(store, mine), "not an earlier feedback export");
    CHECK_EQ(read_text(mine / "sft.jsonl"), std::string("the writer's own\n"));
    // A model folder is Fabula's, but no feedback export: refused as well.
    CHECK_THROWS_WITH(fabula::UsageError, export_feedback(store, s.model_dir), "not an earlier feedback export");
    CHECK(fs::exists(s.model_dir / "vocab.json"));
}

TEST_CASE(edits_without_a_tokenizer_are_text_only) {
    Session s;
    fs::remove(s.model_dir / "vocab.json"); // the model folder no longer has its tokenizer
    Store store(s.db_path);
    const fs::path out = s.dir.path / "fb";
    auto counts = export_feedback(store, out);
    CHECK_EQ(counts.text_only, 2); // the edited sft row and the edit pair
    CHECK(!counts.notes.empty());
    auto rows = read_jsonl(out / "sft.jsonl");
    const json* row = find_row(rows, "generation_id", s.c6);
    CHECK(row && !row->contains("prompt_ids") && !row->contains("completion_ids") && (*row)["completion"] == s.edit);
    // Another tokenizer given for them.
    auto given = export_feedback(store, out, {.tokenizer_dir = gpt2_dir()});
    CHECK_EQ(given.text_only, 0);
    rows = read_jsonl(out / "sft.jsonl");
    row = find_row(rows, "generation_id", s.c6);
    CHECK(row && (*row)["completion_ids"].get<Ids>() == trl_completion_ids(s.c.text, s.edit));
}

TEST_CASE(default_library_path_follows_the_app) {
    const char* saved_db = std::getenv("FABULA_DATABASE");
    const char* saved_xdg = std::getenv("XDG_DATA_HOME");
    const char* saved_home = std::getenv("HOME");
    ::setenv("FABULA_DATABASE", "/x/lib.sqlite", 1);
    CHECK_EQ(default_library_path(), std::string("/x/lib.sqlite"));
    ::unsetenv("FABULA_DATABASE");
    ::setenv("XDG_DATA_HOME", "/data", 1);
    CHECK_EQ(default_library_path(), std::string("/data/Fabula/Fabula/fabula.sqlite"));
    ::unsetenv("XDG_DATA_HOME");
    ::setenv("HOME", "/home/w", 1);
    CHECK_EQ(default_library_path(), std::string("/home/w/.local/share/Fabula/Fabula/fabula.sqlite"));
    auto restore = [](const char* name, const char* v) {
        if (v) ::setenv(name, v, 1);
        else ::unsetenv(name);
    };
    restore("FABULA_DATABASE", saved_db);
    restore("XDG_DATA_HOME", saved_xdg);
    restore("HOME", saved_home);
}

TEST_CASE(cli_feedback_export_writes_the_same_files) {
    Session s;
    const fs::path lib_out = s.dir.path / "lib", cli_out = s.dir.path / "cli";
    {
        Store store(s.db_path);
        export_feedback(store, lib_out);
    }
    auto r = run_cli({"feedback", "export", "--database", s.db_path, "--out", cli_out.string(), "--json"}, {}, s.dir.path);
    CHECK_EQ(r.rc, 0);
    if (r.rc != 0) std::fprintf(stderr, "%s\n", r.err.c_str());
    const json counts = json::parse(r.out.empty() ? "{}" : r.out);
    CHECK_EQ(counts.value("sft", -1), 4);
    CHECK_EQ(counts.value("pairs", -1), 5);
    CHECK_EQ(counts.value("kto", -1), 4);
    for (const char* name : {"sft.jsonl", "pairs.jsonl", "kto.jsonl"})
        CHECK_EQ(read_text(cli_out / name), read_text(lib_out / name));

    // --draft keeps only those drafts, --exclude-draft leaves one out.
    const fs::path only = s.dir.path / "only";
    r = run_cli({"feedback", "export", "--database", s.db_path, "--out", only.string(), "--draft", std::to_string(s.d2)},
                {}, s.dir.path);
    CHECK_EQ(r.rc, 0);
    CHECK(r.out.find("sft.jsonl    1 examples") != std::string::npos);
    CHECK_EQ(read_jsonl(only / "pairs.jsonl").size(), std::size_t(1));
    CHECK_EQ(read_jsonl(only / "kto.jsonl").size(), std::size_t(0));
    const fs::path excl = s.dir.path / "excl";
    r = run_cli({"feedback", "export", "--database", s.db_path, "--out", excl.string(), "--exclude-draft",
                 std::to_string(s.d2), "--json"},
                {}, s.dir.path);
    CHECK_EQ(r.rc, 0);
    CHECK_EQ(json::parse(r.out.empty() ? "{}" : r.out).value("sft", -1), 3);
    CHECK(read_jsonl(excl / "sft.jsonl").size() == 3);

    // --database defaults as the app's: $FABULA_DATABASE, else the data folder.
    const fs::path env_out = s.dir.path / "env";
    r = run_cli({"feedback", "export", "--out", env_out.string(), "--json"}, {{"FABULA_DATABASE", s.db_path}},
                s.dir.path);
    CHECK_EQ(r.rc, 0);
    CHECK_EQ(read_text(env_out / "sft.jsonl"), read_text(lib_out / "sft.jsonl"));
    const fs::path xdg = s.dir.path / "xdg";
    fs::create_directories(xdg / "Fabula" / "Fabula");
    fs::copy_file(s.db_path, xdg / "Fabula" / "Fabula" / "fabula.sqlite");
    const fs::path xdg_out = s.dir.path / "xdg-out";
    r = run_cli({"feedback", "export", "--out", xdg_out.string(), "--json"},
                {{"FABULA_DATABASE", std::nullopt}, {"XDG_DATA_HOME", xdg.string()}}, s.dir.path);
    CHECK_EQ(r.rc, 0);
    CHECK_EQ(read_text(xdg_out / "pairs.jsonl"), read_text(lib_out / "pairs.jsonl"));

    // A missing library is named (and not created); a foreign folder is refused untouched.
    const fs::path missing = s.dir.path / "none.sqlite";
    r = run_cli({"feedback", "export", "--database", missing.string(), "--out", (s.dir.path / "x").string()}, {},
                s.dir.path);
    CHECK_EQ(r.rc, 3);
    CHECK(r.err.find(missing.string()) != std::string::npos);
    CHECK(!fs::exists(missing));
    const fs::path mine = s.dir.path / "mine";
    fs::create_directories(mine);
    { std::ofstream(mine / "notes.txt") << "mine\n"; }
    r = run_cli({"feedback", "export", "--database", s.db_path, "--out", mine.string()}, {}, s.dir.path);
    CHECK_EQ(r.rc, 2);
    CHECK_EQ(read_text(mine / "notes.txt"), std::string("mine\n"));
    CHECK(!fs::exists(mine / "sft.jsonl"));
    r = run_cli({"feedback", "export", "--database", s.db_path, "--out", only.string(), "--draft", "x"}, {}, s.dir.path);
    CHECK_EQ(r.rc, 2);
    r = run_cli({"feedback", "import"}, {}, s.dir.path);
    CHECK_EQ(r.rc, 2);
}

FABULA_TEST_MAIN
