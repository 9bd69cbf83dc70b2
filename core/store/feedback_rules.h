#pragma once
// Which continuation lands in which training set (see Store::feedback_items
// for the rules in words). Pure functions of what the store holds, so the
// exporter, the app's feedback view and the tests all see the same sets.
#include "core/store/store.h"

#include <cstdint>
#include <set>
#include <vector>

namespace fabula::feedback_rules {

// What a continuation's feedback says as a verdict.
enum class Verdict { None, Good, Bad };

// The rating alone: thumbs decide, else stars (4-5 good, 1-2 bad); thumbs
// and stars that disagree say nothing.
Verdict rating_verdict(const ContinuationRecord& c);
// The rating, else the decision (accepted good, rejected bad).
Verdict verdict(const ContinuationRecord& c);

// The writer's text where an accepted continuation was edited to something
// else (empty optional otherwise; an empty string when all of it was removed).
std::optional<std::string> edit_of(const ContinuationRecord& c);

struct Inputs {
    std::vector<ContinuationRecord> continuations; // oldest first, drafts not in the trash
    std::vector<AbPick> picks;
    std::set<std::int64_t> left_out_drafts;
    std::set<FeedbackItemKey> deleted;
};

// All three sets for the drafts the filter keeps, deleted items removed.
// `deleted_count` (when given) receives how many items deletions removed.
FeedbackItems build(const Inputs& in, const FeedbackFilter& filter, std::int64_t* deleted_count = nullptr);

} // namespace fabula::feedback_rules
