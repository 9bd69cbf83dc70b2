#include "training/dataset.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace fabula::training {

namespace {

// The split and the epoch orders must replay identically on every platform
// (a resumed run continues where it stopped), so neither std::shuffle nor the
// standard distributions, whose algorithms the library chooses, are used.
std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class Rng {
public:
    Rng(std::uint64_t seed, std::uint64_t stream) {
        std::uint64_t a = seed, b = stream ^ 0x6A09E667F3BCC909ull;
        state_ = splitmix64(a) ^ splitmix64(b);
    }
    std::uint64_t next() { return splitmix64(state_); }
    // Uniform in [0, bound), without modulo bias.
    std::uint64_t below(std::uint64_t bound) {
        const std::uint64_t threshold = (0 - bound) % bound;
        while (true) {
            std::uint64_t r = next();
            if (r >= threshold) return r % bound;
        }
    }

private:
    std::uint64_t state_;
};

// Random streams, so the split and the epoch orders stay independent even
// when the trainer seeds the sampler with the dataset's seed.
constexpr std::uint64_t kSplitStream = 1;
constexpr std::uint64_t kEpochStream = 1000;

template <class T>
void shuffle(std::vector<T>& v, Rng& rng) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

// Indices [0, n) split into (kept, held out), both ascending.
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> hold_out(std::size_t n, double fraction,
                                                                       std::uint64_t seed) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    if (fraction <= 0 || n < 2) return {order, {}};
    Rng rng(seed, kSplitStream);
    shuffle(order, rng);
    auto count = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
    count = std::clamp<std::size_t>(count, 1, n - 1);
    std::vector<std::size_t> held(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count));
    std::vector<std::size_t> kept(order.begin() + static_cast<std::ptrdiff_t>(count), order.end());
    std::sort(held.begin(), held.end());
    std::sort(kept.begin(), kept.end());
    return {kept, held};
}

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

std::string thousands(std::int64_t v) {
    std::string digits = std::to_string(v < 0 ? -v : v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return v < 0 ? "-" + out : out;
}

} // namespace

std::int64_t Batch::real_tokens() const {
    std::int64_t sum = 0;
    for (int len : lengths) sum += len;
    return sum;
}

std::int64_t Batch::predicted_tokens() const {
    std::int64_t sum = 0;
    for (int len : lengths) sum += std::max(len - 1, 0);
    return sum;
}

// ---- Sampler ----

Sampler::Sampler(std::size_t rows, int batch_size, std::uint64_t seed, bool shuffle)
    : rows_(rows), batch_size_(batch_size), seed_(seed), shuffle_(shuffle) {
    if (batch_size < 1) throw UsageError("the batch size must be at least 1");
}

std::vector<std::size_t> Sampler::epoch_order(std::uint64_t epoch) const {
    std::vector<std::size_t> order(rows_);
    std::iota(order.begin(), order.end(), 0);
    if (shuffle_) {
        Rng rng(seed_, kEpochStream + epoch);
        shuffle(order, rng);
    }
    return order;
}

std::vector<std::size_t> Sampler::next() {
    if (rows_ == 0) return {};
    if (order_.size() != rows_) order_ = epoch_order(pos_.epoch);
    const std::size_t begin = static_cast<std::size_t>(pos_.index);
    const std::size_t end = std::min(rows_, begin + static_cast<std::size_t>(batch_size_));
    std::vector<std::size_t> out(order_.begin() + static_cast<std::ptrdiff_t>(begin),
                                 order_.begin() + static_cast<std::ptrdiff_t>(end));
    pos_.index = end;
    if (end == rows_) {
        ++pos_.epoch;
        pos_.index = 0;
        order_.clear();
    }
    return out;
}

void Sampler::seek(SamplerPosition pos) {
    if (pos.index > rows_)
        throw UsageError("cannot resume at row " + std::to_string(pos.index) + " of an epoch with only " +
                         std::to_string(rows_) + " rows; the training data changed since the checkpoint");
    if (rows_ > 0 && pos.index == rows_) {
        ++pos.epoch;
        pos.index = 0;
    }
    if (pos.epoch != pos_.epoch) order_.clear();
    pos_ = pos;
}

std::size_t Sampler::batches_per_epoch() const { return ceil_div(rows_, static_cast<std::size_t>(batch_size_)); }

// ---- Dataset ----

Dataset::Stream Dataset::make_stream(std::vector<std::uint32_t> stories) const {
    Stream s;
    s.starts.reserve(stories.size() + 1);
    std::uint64_t pos = 0;
    s.starts.push_back(0);
    for (std::uint32_t idx : stories) {
        pos += stories_.story(idx).size() + 1;
        s.starts.push_back(pos);
    }
    s.stories = std::move(stories);
    return s;
}

void Dataset::cut_blocks(std::uint32_t stream, std::vector<Row>& out) const {
    const std::uint64_t total = streams_[stream].starts.back();
    const auto block = static_cast<std::uint64_t>(options_.block_size);
    for (std::uint64_t b = 0; b < total; b += block)
        out.push_back(Row{stream, static_cast<std::uint32_t>(std::min(block, total - b)), b});
}

Dataset::Dataset(TokenizedStories stories, std::int32_t eot_id, const DatasetOptions& options)
    : stories_(std::move(stories)), eot_(eot_id), options_(options) {
    if (options_.block_size < 2)
        throw UsageError("the block size must be at least 2 tokens (it is " + std::to_string(options_.block_size) + ")");
    if (!(options_.val_fraction >= 0 && options_.val_fraction < 1))
        throw UsageError("the validation fraction must be at least 0 and below 1");
    if (eot_ < 0) throw UsageError("the end-of-text id must not be negative");
    const std::size_t n = stories_.size();
    if (n > 0xFFFFFFFFu) throw UsageError("too many stories");
    const double fraction = options_.val_fraction;

    std::vector<std::uint32_t> all(n);
    std::iota(all.begin(), all.end(), 0u);

    if (options_.batching == Batching::Pad) {
        streams_.push_back(make_stream(all));
        const auto& starts = streams_[0].starts;
        std::vector<Row> rows;
        rows.reserve(n);
        const auto block = static_cast<std::uint64_t>(options_.block_size);
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t len = starts[i + 1] - starts[i];
            if (len > block) {
                ++truncated_stories_;
                truncated_tokens_ += static_cast<std::int64_t>(len - block);
            }
            rows.push_back(Row{0, static_cast<std::uint32_t>(std::min(len, block)), starts[i]});
        }
        auto [kept, held] = hold_out(n, fraction, options_.seed);
        for (std::size_t i : kept) train_.push_back(rows[i]);
        for (std::size_t i : held) val_.push_back(rows[i]);
        split_kind_ = held.empty() ? SplitKind::None : SplitKind::ByStory;
        return;
    }

    if (fraction > 0 && n >= static_cast<std::size_t>(kMinStoriesForStorySplit)) {
        auto [kept, held] = hold_out(n, fraction, options_.seed);
        streams_.push_back(make_stream(std::vector<std::uint32_t>(kept.begin(), kept.end())));
        streams_.push_back(make_stream(std::vector<std::uint32_t>(held.begin(), held.end())));
        cut_blocks(0, train_);
        cut_blocks(1, val_);
        split_kind_ = SplitKind::ByStory;
        return;
    }

    // Too few stories to hold whole ones out (three novels): hold out blocks,
    // so the writer still sees a validation loss.
    streams_.push_back(make_stream(all));
    std::vector<Row> rows;
    cut_blocks(0, rows);
    auto [kept, held] = hold_out(rows.size(), fraction, options_.seed);
    for (std::size_t i : kept) train_.push_back(rows[i]);
    for (std::size_t i : held) val_.push_back(rows[i]);
    split_kind_ = held.empty() ? SplitKind::None : SplitKind::ByBlock;
}

void Dataset::copy_row(const Row& row, std::int32_t* out) const {
    const Stream& s = streams_[row.stream];
    std::size_t k = static_cast<std::size_t>(std::upper_bound(s.starts.begin(), s.starts.end(), row.begin) -
                                             s.starts.begin()) - 1;
    std::uint64_t pos = row.begin;
    std::uint64_t remaining = row.length;
    while (remaining > 0) {
        const auto ids = stories_.story(s.stories[k]);
        const std::uint64_t off = pos - s.starts[k];
        const std::uint64_t take = std::min<std::uint64_t>(remaining, ids.size() + 1 - off);
        const std::uint64_t from_ids = off < ids.size() ? std::min<std::uint64_t>(take, ids.size() - off) : 0;
        std::copy_n(ids.data() + off, from_ids, out);
        out += from_ids;
        if (take > from_ids) *out++ = eot_; // the story's end-of-text
        pos += take;
        remaining -= take;
        ++k;
    }
}

std::vector<std::int32_t> Dataset::row(Split split, std::size_t i) const {
    const Row& r = rows_of(split).at(i);
    std::vector<std::int32_t> out(r.length);
    copy_row(r, out.data());
    return out;
}

Batch Dataset::batch(Split split, std::span<const std::size_t> row_indices) const {
    const auto& rows = rows_of(split);
    Batch b;
    b.rows = static_cast<int>(row_indices.size());
    for (std::size_t i : row_indices) {
        if (i >= rows.size())
            throw UsageError("row " + std::to_string(i) + " is past the " + std::to_string(rows.size()) + " rows");
        b.cols = std::max(b.cols, static_cast<int>(rows[i].length));
    }
    const std::size_t area = static_cast<std::size_t>(b.rows) * static_cast<std::size_t>(b.cols);
    b.input_ids.assign(area, eot_);
    b.labels.assign(area, kIgnoreLabel);
    b.attention_mask.assign(area, 0);
    b.lengths.reserve(row_indices.size());
    for (std::size_t r = 0; r < row_indices.size(); ++r) {
        const Row& row = rows[row_indices[r]];
        const std::size_t at = r * static_cast<std::size_t>(b.cols);
        copy_row(row, b.input_ids.data() + at);
        std::copy_n(b.input_ids.data() + at, row.length, b.labels.data() + at);
        std::fill_n(b.attention_mask.data() + at, row.length, std::uint8_t{1});
        b.lengths.push_back(static_cast<int>(row.length));
    }
    return b;
}

void Dataset::count_stories(const std::vector<Row>& rows, SplitStats& out) const {
    std::vector<bool> seen(stories_.size(), false);
    for (const Row& r : rows) {
        out.tokens += r.length;
        if (r.length == 0) continue;
        const Stream& s = streams_[r.stream];
        auto story_at = [&](std::uint64_t pos) {
            return static_cast<std::size_t>(std::upper_bound(s.starts.begin(), s.starts.end(), pos) -
                                            s.starts.begin()) - 1;
        };
        for (std::size_t k = story_at(r.begin), last = story_at(r.begin + r.length - 1); k <= last; ++k)
            seen[s.stories[k]] = true;
    }
    out.rows = rows.size();
    out.stories = static_cast<std::size_t>(std::count(seen.begin(), seen.end(), true));
}

DatasetStats Dataset::stats(int batch_size, int grad_accum, const Collection* collection) const {
    if (batch_size < 1) throw UsageError("the batch size must be at least 1");
    if (grad_accum < 1) throw UsageError("gradient accumulation must be at least 1");
    DatasetStats st;
    st.stories = stories_.size();
    st.tokens = static_cast<std::int64_t>(stories_.total_tokens());
    std::vector<std::int64_t> lengths(stories_.size());
    for (std::size_t i = 0; i < stories_.size(); ++i) lengths[i] = static_cast<std::int64_t>(stories_.story(i).size());
    st.story_lengths = lengths;
    std::sort(lengths.begin(), lengths.end());
    if (!lengths.empty()) {
        auto rank = [&](double p) {
            auto r = static_cast<std::size_t>(std::ceil(p * static_cast<double>(lengths.size())));
            return lengths[std::clamp<std::size_t>(r, 1, lengths.size()) - 1];
        };
        st.story_tokens = {rank(0.50), rank(0.90), rank(0.99), lengths.back()};
    }
    st.split = split_kind_;
    count_stories(train_, st.train);
    count_stories(val_, st.val);
    st.truncated_stories = truncated_stories_;
    st.truncated_tokens = truncated_tokens_;
    st.batch_size = batch_size;
    st.grad_accum = grad_accum;

    Sampler sampler(train_.size(), batch_size, options_.seed);
    st.batches_per_epoch = sampler.batches_per_epoch();
    st.steps_per_epoch = ceil_div(st.batches_per_epoch, static_cast<std::size_t>(grad_accum));
    std::int64_t real = 0, area = 0;
    const auto order = sampler.epoch_order(0);
    for (std::size_t b = 0; b < order.size(); b += static_cast<std::size_t>(batch_size)) {
        const std::size_t e = std::min(order.size(), b + static_cast<std::size_t>(batch_size));
        std::int64_t widest = 0;
        for (std::size_t k = b; k < e; ++k) {
            real += train_[order[k]].length;
            widest = std::max<std::int64_t>(widest, train_[order[k]].length);
        }
        area += widest * static_cast<std::int64_t>(e - b);
    }
    st.useful_token_fraction = area > 0 ? static_cast<double>(real) / static_cast<double>(area) : 0.0;

    if (collection) {
        st.problems = collection->problems.size();
        st.empty = collection->empty;
        st.duplicates = collection->duplicates;
    }
    return st;
}

std::string DatasetStats::describe() const {
    std::string s;
    s += "Stories: " + thousands(static_cast<std::int64_t>(stories));
    if (problems > 0) {
        s += " (" + thousands(static_cast<std::int64_t>(problems)) + " problem" + (problems > 1 ? "s" : "") +
             " skipped";
        if (empty > 0) s += ", " + thousands(empty) + " empty";
        if (duplicates > 0) s += ", " + thousands(duplicates) + " duplicate" + (duplicates > 1 ? "s" : "");
        s += ")";
    }
    s += "\nTokens: " + thousands(tokens) + " (per story: median " + thousands(story_tokens.p50) + ", 90% up to " +
         thousands(story_tokens.p90) + ", 99% up to " + thousands(story_tokens.p99) + ", longest " +
         thousands(story_tokens.max) + ")";
    auto part = [](const SplitStats& p) {
        return thousands(static_cast<std::int64_t>(p.stories)) + " stories, " +
               thousands(static_cast<std::int64_t>(p.rows)) + " rows, " + thousands(p.tokens) + " tokens";
    };
    s += "\nTraining: " + part(train);
    if (split == SplitKind::None)
        s += "\nValidation: none";
    else
        s += "\nValidation (" + std::string(split == SplitKind::ByStory ? "whole stories" : "blocks of the text") +
             "): " + part(val);
    if (truncated_stories > 0)
        s += "\nTruncated: " + thousands(static_cast<std::int64_t>(truncated_stories)) + " stories longer than a row lost " +
             thousands(truncated_tokens) + " tokens";
    s += "\nSteps per epoch: " + thousands(static_cast<std::int64_t>(steps_per_epoch)) + " (" +
         thousands(static_cast<std::int64_t>(batches_per_epoch)) + " batches of " + std::to_string(batch_size) +
         (grad_accum > 1 ? ", accumulating " + std::to_string(grad_accum) : std::string()) + ")";
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f%%", 100.0 * useful_token_fraction);
    s += "\nUseful tokens: " + std::string(pct) + " of each batch (the rest is padding)\n";
    return s;
}

} // namespace fabula::training
