#pragma once
// What the trainer's step minimises: one interface, four implementations
// (language modelling on stories, SFT, DPO and KTO on feedback sets). The
// step asks an objective for batches and their weight, then for the loss of
// each micro-batch; everything specific to an objective lives behind it.
// Internal to training/ (includes ATen through train_model.h).
#include "training/dataset.h"
#include "training/preference_data.h"
#include "training/train_model.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fabula::training {

// Padded (rows, cols) ids and labels (-100 on prompts and padding), as
// TrainModel takes them. DPO: the chosen rows, then the rejected rows. KTO:
// also each row's mismatched (prompt, other completion) sequence for the KL
// reference point.
struct ObjectiveBatch {
    Split split = Split::Train;
    int rows = 0, cols = 0;
    std::vector<int32_t> input_ids, labels;
    int kl_cols = 0;
    std::vector<int32_t> kl_input_ids, kl_labels;
    std::vector<uint8_t> desirable;  // KTO, per row
    std::vector<size_t> examples;    // the example behind each pair / row (reference cache)
    int64_t real_tokens = 0;         // ids that are not padding
};

struct StepLoss {
    at::Tensor loss;        // a sum, divided by the step's total weight (with grad in training)
    std::map<std::string, double> metrics; // averaged over the step's micro-batches
};

// The frozen reference of DPO and KTO: a second model (--ref, or a copy of
// the starting one), or, for LoRA, the trained model with its adapters off.
class Reference {
public:
    // model: a frozen TrainModel; nullptr with adapters_off: use `policy`
    // with the adapters switched off.
    Reference(std::unique_ptr<TrainModel> model, TrainModel* policy);
    // Summed log-probabilities of the labelled tokens, no grad, no dropout.
    at::Tensor sequence_logprobs(const at::Tensor& ids, const at::Tensor& labels);

private:
    std::unique_ptr<TrainModel> frozen_;
    TrainModel* policy_;
};

class Objective {
public:
    virtual ~Objective() = default;
    virtual ObjectiveKind kind() const = 0;
    virtual std::size_t rows(Split split) const = 0;
    virtual ObjectiveBatch batch(Split split, std::span<const std::size_t> rows) const = 0;
    // What the step's loss is divided by, known before the forward pass:
    // LM and SFT weight micro-batches by predicted tokens (HF's
    // num_items_in_batch); DPO and KTO average micro-batch means (1 each), as
    // TRL's trainers do.
    virtual int64_t weight(const ObjectiveBatch& batch) const = 0;
    // train: the training forward (dropout for LM/SFT; DPO and KTO never
    // use dropout, as TRL's disable_dropout).
    virtual StepLoss loss(TrainModel& model, const ObjectiveBatch& batch, bool train) = 0;

    // Data parallelism: each rank holds a share of every training batch, and
    // a figure of the whole batch (KTO's KL reference point, the mean over
    // the batch) is summed over the ranks with this. Unset in one process.
    void set_sum_over_ranks(std::function<void(std::vector<double>&)> sum) { sum_over_ranks_ = std::move(sum); }
    // A rank whose share of a training micro-batch is empty still joins what
    // loss() sums over the ranks.
    virtual void loss_without_rows() {}

protected:
    std::function<void(std::vector<double>&)> sum_over_ranks_;
};

struct ObjectiveSettings {
    ObjectiveKind kind = ObjectiveKind::LM;
    int max_length = 0;     // the training sequence: longer ones are cut keeping their start
    int32_t pad_id = 0;     // what padding holds (never a label)
    double beta = 0.1;
    double desirable_weight = 1.0, undesirable_weight = 1.0;
    int batch_size = 2;     // KTO pairs each prompt with the previous completion of its batch of this size
    double val_fraction = 0;
    uint64_t seed = 42;
};

// LM over the stories' Dataset (the rows and batches it always had).
std::unique_ptr<Objective> make_lm_objective(const Dataset& stories);
// SFT, DPO or KTO over a feedback set. reference: needed by DPO and KTO.
std::unique_ptr<Objective> make_preference_objective(const PreferenceSet& set, const ObjectiveSettings& settings,
                                                     std::unique_ptr<Reference> reference);

} // namespace fabula::training
