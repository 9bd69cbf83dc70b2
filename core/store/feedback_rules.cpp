#include "core/store/feedback_rules.h"

#include <algorithm>
#include <map>
#include <utility>

namespace fabula::feedback_rules {

Verdict rating_verdict(const ContinuationRecord& c) {
    if (!c.rating) return Verdict::None;
    Verdict by_thumbs = c.rating->thumbs > 0 ? Verdict::Good : c.rating->thumbs < 0 ? Verdict::Bad : Verdict::None;
    Verdict by_stars = Verdict::None;
    if (c.rating->stars) by_stars = *c.rating->stars >= 4 ? Verdict::Good : *c.rating->stars <= 2 ? Verdict::Bad : Verdict::None;
    if (by_thumbs == Verdict::None) return by_stars;
    if (by_stars == Verdict::None || by_stars == by_thumbs) return by_thumbs;
    return Verdict::None;
}

Verdict verdict(const ContinuationRecord& c) {
    // A rating is given on purpose, after reading; the decision may only
    // mean the writer wanted something else there.
    if (c.rating) return rating_verdict(c);
    if (c.status == ContinuationStatus::Accepted) return Verdict::Good;
    if (c.status == ContinuationStatus::Rejected) return Verdict::Bad;
    return Verdict::None;
}

std::optional<std::string> edit_of(const ContinuationRecord& c) {
    if (c.status != ContinuationStatus::Accepted || !c.edited_text || *c.edited_text == c.continuation_text)
        return std::nullopt;
    return c.edited_text;
}

namespace {

struct Side {
    std::string text;
    std::optional<std::vector<std::int32_t>> ids; // none for the writer's own text
};

Side model_side(const ContinuationRecord& c) { return {c.continuation_text, c.continuation_ids}; }

// What the writer kept of it: the edit when there is one.
Side kept_side(const ContinuationRecord& c) {
    if (auto e = edit_of(c)) return {*e, std::nullopt};
    return model_side(c);
}

FeedbackItem base_item(const ContinuationRecord& c, FeedbackItemKey key) {
    FeedbackItem it;
    it.key = key;
    it.draft_id = c.draft_id.value_or(0);
    it.round_id = c.round_id.value_or(0);
    it.model_id = c.model_id;
    it.prompt = c.context_text;
    it.prompt_ids = c.context_ids;
    return it;
}

FeedbackItem pair_item(const ContinuationRecord& chosen, const Side& good, const ContinuationRecord& rejected,
                       const Side& bad, PairSource source) {
    FeedbackItem it = base_item(chosen, {FeedbackSet::Pairs, chosen.id, rejected.id});
    it.source = source;
    it.completion = good.text;
    it.completion_ids = good.ids;
    it.rejected = bad.text;
    it.rejected_ids = bad.ids;
    return it;
}

} // namespace

FeedbackItems build(const Inputs& in, const FeedbackFilter& filter, std::int64_t* deleted_count) {
    auto listed = [](const std::vector<std::int64_t>& v, std::int64_t id) {
        return std::find(v.begin(), v.end(), id) != v.end();
    };
    auto keep_draft = [&](std::int64_t draft) {
        if (draft == 0) return filter.only_drafts.empty();
        if (in.left_out_drafts.count(draft) || listed(filter.exclude_drafts, draft)) return false;
        return filter.only_drafts.empty() || listed(filter.only_drafts, draft);
    };
    std::vector<const ContinuationRecord*> kept;
    std::map<std::int64_t, const ContinuationRecord*> by_id;
    for (const auto& c : in.continuations) {
        if (!keep_draft(c.draft_id.value_or(0))) continue;
        kept.push_back(&c);
        by_id[c.id] = &c;
    }

    FeedbackItems out;
    std::set<std::pair<std::int64_t, std::int64_t>> paired;
    std::set<std::int64_t> partnered;
    auto add_pair = [&](FeedbackItem it) {
        if (it.completion.empty() || it.rejected.empty()) return;
        if (!paired.insert({it.key.continuation_id, it.key.other_id}).second) return;
        partnered.insert(it.key.continuation_id);
        partnered.insert(it.key.other_id);
        out.pairs.push_back(std::move(it));
    };

    // Blind picks first: when the picked one was also accepted in its round,
    // the pair is the pick's.
    for (const auto& p : in.picks) {
        if (p.choice == AbChoice::Neither) continue;
        auto a = by_id.find(p.a_id), b = by_id.find(p.b_id);
        if (a == by_id.end() || b == by_id.end()) continue;
        const ContinuationRecord& chosen = *(p.choice == AbChoice::A ? a : b)->second;
        const ContinuationRecord& other = *(p.choice == AbChoice::A ? b : a)->second;
        if (chosen.context_text != other.context_text) continue; // not the same prompt: no comparison
        FeedbackItem it = pair_item(chosen, model_side(chosen), other, model_side(other), PairSource::Ab);
        it.ab_pick_id = p.id;
        it.text_only = chosen.context_ids != other.context_ids;
        add_pair(std::move(it));
    }

    // Within a round, only continuations that saw the very same tokens
    // competed (a round's requests all read the same text before the cursor).
    std::map<std::pair<std::int64_t, std::vector<std::int32_t>>, std::vector<const ContinuationRecord*>> rounds;
    for (const auto* c : kept) rounds[{c->round_id.value_or(-c->id), c->context_ids}].push_back(c);
    for (const auto& [key, members] : rounds) {
        for (const auto* g : members) {
            if (verdict(*g) != Verdict::Good) continue;
            for (const auto* b : members)
                if (b != g && verdict(*b) == Verdict::Bad)
                    add_pair(pair_item(*g, kept_side(*g), *b, model_side(*b), PairSource::Round));
        }
    }
    for (const auto* c : kept) {
        auto e = edit_of(*c);
        if (e && !e->empty()) add_pair(pair_item(*c, {*e, std::nullopt}, *c, model_side(*c), PairSource::Edit));
    }
    // Pairs in the order they were written, whatever their source.
    std::stable_sort(out.pairs.begin(), out.pairs.end(), [](const FeedbackItem& x, const FeedbackItem& y) {
        return std::max(x.key.continuation_id, x.key.other_id) < std::max(y.key.continuation_id, y.key.other_id);
    });

    for (const auto* c : kept) {
        if (c->status == ContinuationStatus::Accepted && verdict(*c) != Verdict::Bad) {
            Side s = kept_side(*c);
            if (!s.text.empty()) {
                FeedbackItem it = base_item(*c, {FeedbackSet::Sft, c->id, c->id});
                it.completion = std::move(s.text);
                it.completion_ids = std::move(s.ids);
                out.sft.push_back(std::move(it));
            }
        }
    }
    for (const auto* c : kept) {
        const Verdict v = rating_verdict(*c);
        if (v == Verdict::None || partnered.count(c->id) || c->continuation_text.empty()) continue;
        FeedbackItem it = base_item(*c, {FeedbackSet::Kto, c->id, c->id});
        it.completion = c->continuation_text;
        it.completion_ids = c->continuation_ids;
        it.label = v == Verdict::Good;
        out.kto.push_back(std::move(it));
    }

    std::int64_t removed = 0;
    for (auto* set : {&out.sft, &out.pairs, &out.kto}) {
        auto gone = std::remove_if(set->begin(), set->end(),
                                   [&](const FeedbackItem& it) { return in.deleted.count(it.key) > 0; });
        removed += set->end() - gone;
        set->erase(gone, set->end());
    }
    if (deleted_count) *deleted_count = removed;
    return out;
}

} // namespace fabula::feedback_rules
