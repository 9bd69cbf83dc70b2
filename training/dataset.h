#pragma once
// Turns tokenized stories into training rows, a validation split and batches,
// in the form Hugging Face's causal-LM training uses, without libtorch: the
// trainer converts a Batch into tensors.
#include "training/story_reader.h"
#include "training/token_cache.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace fabula::training {

enum class Batching {
    // Every story followed by an end-of-text id, all concatenated and cut into
    // rows of block_size ids. Nothing is dropped: long stories span rows and
    // the last row is shorter (padded in its batch, with mask 0).
    Pack,
    // One story (+ end-of-text) per row, truncated to block_size.
    Pad,
};

enum class Split { Train, Val };

enum class SplitKind {
    None,    // val_fraction is 0, or too little text for a validation set
    ByStory, // whole stories are held out (≥ 20 stories, or Pad batching)
    ByBlock, // rows of the packed stream are held out (few, long stories)
};

struct DatasetOptions {
    int block_size = 1024;
    Batching batching = Batching::Pack;
    double val_fraction = 0.05;
    std::uint64_t seed = 42; // chooses the validation stories / blocks
};

constexpr int kMinStoriesForStorySplit = 20;
constexpr std::int32_t kIgnoreLabel = -100; // Hugging Face's ignore_index

// rows × cols ids, row-major. cols is the longest row in the batch, at most
// block_size. Padding (right side only) holds the end-of-text id.
struct Batch {
    int rows = 0;
    int cols = 0;
    std::vector<std::int32_t> input_ids;
    // input_ids with kIgnoreLabel on padding. Not shifted: like HF's
    // GPT2LMHeadModel, the loss compares logits[:, :-1] with labels[:, 1:]. In
    // Pad batching the story's own end-of-text stays a label, so the model
    // learns where stories end.
    std::vector<std::int32_t> labels;
    // 1 on real ids, 0 on padding: the attention mask and the loss mask. With
    // right padding and causal attention no real position sees a padded one.
    std::vector<std::uint8_t> attention_mask;
    std::vector<int> lengths; // real ids per row

    std::int64_t real_tokens() const;
    // Labels that count after the shift (sum of length - 1): what the mean
    // loss divides by, for weighting micro-batches under grad accumulation.
    std::int64_t predicted_tokens() const;
};

// Where a Sampler is: epoch, and rows of that epoch already handed out.
// Rows rather than batches, so a run resumed with another batch size still
// continues at the same row.
struct SamplerPosition {
    std::uint64_t epoch = 0;
    std::uint64_t index = 0;
    bool operator==(const SamplerPosition&) const = default;
};

// Deterministic order over rows: epoch e is a permutation that depends only on
// (seed, e), so seeking to a saved position replays exactly the same batches.
// The last batch of an epoch is smaller when rows % batch_size != 0.
class Sampler {
public:
    // shuffle = false serves rows in order (validation).
    Sampler(std::size_t rows, int batch_size, std::uint64_t seed, bool shuffle = true);

    // The next batch's row indices; moves on to the next epoch after the last
    // one, so position() is then (epoch + 1, 0). Empty only when rows == 0.
    std::vector<std::size_t> next();
    SamplerPosition position() const { return pos_; }
    // Throws UsageError when index > rows.
    void seek(SamplerPosition pos);
    std::size_t batches_per_epoch() const;
    std::vector<std::size_t> epoch_order(std::uint64_t epoch) const;

private:
    std::size_t rows_;
    int batch_size_;
    std::uint64_t seed_;
    bool shuffle_;
    SamplerPosition pos_;
    std::vector<std::size_t> order_; // of pos_.epoch
};

struct LengthPercentiles {
    std::int64_t p50 = 0, p90 = 0, p99 = 0, max = 0; // nearest rank
};

struct SplitStats {
    std::size_t stories = 0; // stories with at least one id in the split
    std::size_t rows = 0;    // blocks (Pack) or stories (Pad)
    std::int64_t tokens = 0; // ids in the rows, end-of-text ids included, after truncation
};

struct DatasetStats {
    std::size_t stories = 0;
    std::int64_t tokens = 0; // story ids without end-of-text ids, before truncation
    LengthPercentiles story_tokens;
    std::vector<std::int64_t> story_lengths; // each story's ids, in collection order (for a histogram)
    SplitKind split = SplitKind::None;
    SplitStats train, val;
    std::size_t truncated_stories = 0; // Pad only
    std::int64_t truncated_tokens = 0; // ids cut off by truncation
    int batch_size = 0, grad_accum = 0;
    std::size_t batches_per_epoch = 0; // train micro-batches, drop_last = false
    // Optimizer steps; a last incomplete accumulation still makes a step.
    std::size_t steps_per_epoch = 0;
    // Real ids / batch area over one epoch of train batches (epoch 0's order).
    double useful_token_fraction = 0;
    // From the Collection, when given.
    std::size_t problems = 0;
    int empty = 0, duplicates = 0;

    // Several lines for `fabula-cli prepare`.
    std::string describe() const;
};

class Dataset {
public:
    // Throws UsageError for block_size < 2, val_fraction outside [0, 1) or an
    // eot_id < 0.
    Dataset(TokenizedStories stories, std::int32_t eot_id, const DatasetOptions& options = {});

    std::size_t rows(Split split) const { return rows_of(split).size(); }
    // The real ids of one row (no padding).
    std::vector<std::int32_t> row(Split split, std::size_t i) const;
    Batch batch(Split split, std::span<const std::size_t> row_indices) const;

    SplitKind split_kind() const { return split_kind_; }
    const DatasetOptions& options() const { return options_; }
    std::int32_t eot_id() const { return eot_; }
    std::size_t truncated_stories() const { return truncated_stories_; }

    // batch_size, grad_accum ≥ 1 (UsageError otherwise).
    DatasetStats stats(int batch_size, int grad_accum, const Collection* collection = nullptr) const;

private:
    // Stories laid end to end, each followed by the end-of-text id.
    struct Stream {
        std::vector<std::uint32_t> stories;
        std::vector<std::uint64_t> starts; // stories.size() + 1 positions
    };
    struct Row {
        std::uint32_t stream;
        std::uint32_t length;
        std::uint64_t begin;
    };

    Stream make_stream(std::vector<std::uint32_t> stories) const;
    void cut_blocks(std::uint32_t stream, std::vector<Row>& out) const;
    void copy_row(const Row& row, std::int32_t* out) const;
    const std::vector<Row>& rows_of(Split split) const { return split == Split::Train ? train_ : val_; }
    void count_stories(const std::vector<Row>& rows, SplitStats& out) const;

    TokenizedStories stories_;
    std::int32_t eot_;
    DatasetOptions options_;
    SplitKind split_kind_ = SplitKind::None;
    std::vector<Stream> streams_;
    std::vector<Row> train_, val_;
    std::size_t truncated_stories_ = 0;
    std::int64_t truncated_tokens_ = 0;
};

} // namespace fabula::training
