#include "training/objective.h"

#include "core/error.h"
#include "core/nn.h"

#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace fabula::training {

namespace {

at::Tensor to_tensor(const std::vector<int32_t>& v, int rows, int cols) {
    return at::from_blob(const_cast<int32_t*>(v.data()), {rows, cols}, at::kInt).to(at::kLong);
}

class LmObjective final : public Objective {
public:
    explicit LmObjective(const Dataset& stories) : stories_(stories) {}
    ObjectiveKind kind() const override { return ObjectiveKind::LM; }
    std::size_t rows(Split split) const override { return stories_.rows(split); }
    ObjectiveBatch batch(Split split, std::span<const std::size_t> rows) const override {
        Batch b = stories_.batch(split, rows);
        ObjectiveBatch o;
        o.split = split;
        o.rows = b.rows;
        o.cols = b.cols;
        o.input_ids = std::move(b.input_ids);
        o.labels = std::move(b.labels);
        o.real_tokens = b.real_tokens();
        o.examples.assign(rows.begin(), rows.end());
        return o;
    }
    int64_t weight(const ObjectiveBatch& b) const override { return predicted_labels(b); }
    StepLoss loss(TrainModel& model, const ObjectiveBatch& b, bool train) override {
        const at::Device device = model.parameters().front().second->device();
        StepLoss s;
        s.loss = model.loss_sum(to_tensor(b.input_ids, b.rows, b.cols).to(device),
                                to_tensor(b.labels, b.rows, b.cols).to(device), train)
                     .first;
        return s;
    }

    // Labels after the shift: what HF's mean loss divides by.
    static int64_t predicted_labels(const ObjectiveBatch& b) {
        int64_t n = 0;
        for (int r = 0; r < b.rows; ++r)
            for (int c = 1; c < b.cols; ++c) n += b.labels[size_t(r) * b.cols + c] != kIgnoreLabel;
        return n;
    }

private:
    const Dataset& stories_;
};

// Appends one right-padded row of ids with its labels (-100 on the prompt and on padding).
void put_row(const TruncatedSequence& s, int cols, int32_t pad, std::vector<int32_t>& ids, std::vector<int32_t>& labels) {
    for (int c = 0; c < cols; ++c) {
        const bool real = size_t(c) < s.ids.size();
        ids.push_back(real ? s.ids[c] : pad);
        labels.push_back(real && size_t(c) >= s.prompt ? s.ids[c] : kIgnoreLabel);
    }
}

int widest(const std::vector<TruncatedSequence>& seqs) {
    size_t w = 1;
    for (const auto& s : seqs) w = std::max(w, s.ids.size());
    return int(w);
}

class PreferenceObjective : public Objective {
public:
    PreferenceObjective(const PreferenceSet& set, const ObjectiveSettings& s, std::unique_ptr<Reference> ref)
        : set_(set), s_(s), ref_(std::move(ref)) {
        split_examples(set.size(), s.val_fraction, s.seed, train_, val_);
    }
    ObjectiveKind kind() const override { return s_.kind; }
    std::size_t rows(Split split) const override { return ids_of(split).size(); }

protected:
    const std::vector<std::size_t>& ids_of(Split split) const { return split == Split::Train ? train_ : val_; }
    std::size_t example(Split split, std::size_t row) const {
        const auto& ids = ids_of(split);
        if (row >= ids.size())
            throw UsageError("row " + std::to_string(row) + " is past the " + std::to_string(ids.size()) + " rows");
        return ids[row];
    }
    static at::Device device_of(TrainModel& m) { return m.parameters().front().second->device(); }

    const PreferenceSet& set_;
    ObjectiveSettings s_;
    std::unique_ptr<Reference> ref_;
    std::vector<std::size_t> train_, val_;
};

class SftObjective final : public PreferenceObjective {
public:
    using PreferenceObjective::PreferenceObjective;
    ObjectiveBatch batch(Split split, std::span<const std::size_t> rows) const override {
        ObjectiveBatch b;
        b.split = split;
        std::vector<TruncatedSequence> seqs;
        for (std::size_t r : rows) {
            const std::size_t e = example(split, r);
            const CompletionExample& c = set_.completions[e];
            seqs.push_back(join_truncated(c.prompt, c.completion, s_.max_length));
            b.examples.push_back(e);
            b.real_tokens += int64_t(seqs.back().ids.size());
        }
        b.rows = int(rows.size());
        b.cols = widest(seqs);
        for (const auto& q : seqs) put_row(q, b.cols, s_.pad_id, b.input_ids, b.labels);
        return b;
    }
    int64_t weight(const ObjectiveBatch& b) const override { return LmObjective::predicted_labels(b); }
    StepLoss loss(TrainModel& model, const ObjectiveBatch& b, bool train) override {
        const at::Device d = device_of(model);
        StepLoss s;
        s.loss = model.loss_sum(to_tensor(b.input_ids, b.rows, b.cols).to(d), to_tensor(b.labels, b.rows, b.cols).to(d),
                                train)
                     .first;
        return s;
    }
};

// Cached reference log-probabilities, per example: the reference is frozen,
// so they are the same at every epoch.
class RefCache {
public:
    // rows: how many sequences per example (2 for DPO: chosen, rejected).
    bool lookup(Split split, const std::vector<std::size_t>& examples, int per_example, std::vector<double>& out) const {
        out.clear();
        for (int k = 0; k < per_example; ++k)
            for (std::size_t e : examples) {
                auto it = map_.find(key(split, e, k));
                if (it == map_.end()) return false;
                out.push_back(it->second);
            }
        return true;
    }
    void store(Split split, const std::vector<std::size_t>& examples, int per_example, const at::Tensor& values) {
        at::Tensor v = values.detach().to(at::kCPU, at::kDouble).contiguous();
        const double* p = v.data_ptr<double>();
        size_t i = 0;
        for (int k = 0; k < per_example; ++k)
            for (std::size_t e : examples) map_[key(split, e, k)] = p[i++];
    }

private:
    static uint64_t key(Split split, std::size_t e, int k) {
        return (uint64_t(e) << 3) | (uint64_t(k) << 1) | (split == Split::Val ? 1u : 0u);
    }
    std::unordered_map<uint64_t, double> map_;
};

at::Tensor cached_reference(RefCache& cache, Reference& ref, Split split, const std::vector<std::size_t>& examples,
                            int per_example, const at::Tensor& ids, const at::Tensor& labels) {
    std::vector<double> v;
    if (!cache.lookup(split, examples, per_example, v)) {
        at::Tensor fresh = ref.sequence_logprobs(ids, labels);
        cache.store(split, examples, per_example, fresh);
        cache.lookup(split, examples, per_example, v);
    }
    return at::tensor(v, at::kDouble).to(at::kFloat).to(ids.device());
}

class DpoObjective final : public PreferenceObjective {
public:
    using PreferenceObjective::PreferenceObjective;
    ObjectiveBatch batch(Split split, std::span<const std::size_t> rows) const override {
        ObjectiveBatch b;
        b.split = split;
        std::vector<TruncatedSequence> chosen, rejected;
        for (std::size_t r : rows) {
            const std::size_t e = example(split, r);
            const PairExample& p = set_.pairs[e];
            chosen.push_back(join_truncated(p.prompt, p.chosen, s_.max_length));
            rejected.push_back(join_truncated(p.prompt, p.rejected, s_.max_length));
            b.examples.push_back(e);
            b.real_tokens += int64_t(chosen.back().ids.size() + rejected.back().ids.size());
        }
        b.rows = int(2 * rows.size());
        b.cols = std::max(widest(chosen), widest(rejected));
        for (const auto& q : chosen) put_row(q, b.cols, s_.pad_id, b.input_ids, b.labels);
        for (const auto& q : rejected) put_row(q, b.cols, s_.pad_id, b.input_ids, b.labels);
        return b;
    }
    int64_t weight(const ObjectiveBatch&) const override { return 1; }
    StepLoss loss(TrainModel& model, const ObjectiveBatch& b, bool) override {
        const at::Device d = device_of(model);
        at::Tensor ids = to_tensor(b.input_ids, b.rows, b.cols).to(d);
        at::Tensor labels = to_tensor(b.labels, b.rows, b.cols).to(d);
        const int64_t n = b.rows / 2;
        at::Tensor logps = model.sequence_logprobs(ids, labels, false);
        at::Tensor ref = cached_reference(cache_, *ref_, b.split, b.examples, 2, ids, labels);
        at::Tensor chosen_ratio = logps.narrow(0, 0, n) - ref.narrow(0, 0, n);
        at::Tensor rejected_ratio = logps.narrow(0, n, n) - ref.narrow(0, n, n);
        StepLoss s;
        s.loss = -at::log_sigmoid(s_.beta * (chosen_ratio - rejected_ratio)).mean();
        at::Tensor rc = (s_.beta * chosen_ratio).detach(), rr = (s_.beta * rejected_ratio).detach();
        s.metrics["rewards/chosen"] = rc.mean().item<double>();
        s.metrics["rewards/rejected"] = rr.mean().item<double>();
        s.metrics["rewards/accuracies"] = rc.gt(rr).to(at::kFloat).mean().item<double>();
        s.metrics["rewards/margins"] = (rc - rr).mean().item<double>();
        return s;
    }

private:
    RefCache cache_;
};

class KtoObjective final : public PreferenceObjective {
public:
    KtoObjective(const PreferenceSet& set, const ObjectiveSettings& s, std::unique_ptr<Reference> ref)
        : PreferenceObjective(set, s, std::move(ref)) {
        // TRL's add_kl_completion_ids: within consecutive chunks of
        // batch_size examples (in file order), each prompt gets the previous
        // example's completion (the first gets the chunk's last).
        auto assign = [&](const std::vector<std::size_t>& ids) {
            const std::size_t B = std::max(1, s_.batch_size);
            for (std::size_t start = 0; start < ids.size(); start += B) {
                const std::size_t n = std::min(B, ids.size() - start);
                for (std::size_t i = 0; i < n; ++i) kl_of_[ids[start + i]] = ids[start + (i + n - 1) % n];
            }
        };
        kl_of_.resize(set.size());
        assign(train_);
        assign(val_);
    }
    ObjectiveBatch batch(Split split, std::span<const std::size_t> rows) const override {
        ObjectiveBatch b;
        b.split = split;
        std::vector<TruncatedSequence> seqs, kl;
        for (std::size_t r : rows) {
            const std::size_t e = example(split, r);
            const CompletionExample& c = set_.completions[e];
            seqs.push_back(join_truncated(c.prompt, c.completion, s_.max_length));
            kl.push_back(join_truncated(c.prompt, set_.completions[kl_of_[e]].completion, s_.max_length));
            b.examples.push_back(e);
            b.desirable.push_back(c.desirable);
            b.real_tokens += int64_t(seqs.back().ids.size());
        }
        b.rows = int(rows.size());
        b.cols = widest(seqs);
        b.kl_cols = widest(kl);
        for (const auto& q : seqs) put_row(q, b.cols, s_.pad_id, b.input_ids, b.labels);
        for (const auto& q : kl) put_row(q, b.kl_cols, s_.pad_id, b.kl_input_ids, b.kl_labels);
        return b;
    }
    int64_t weight(const ObjectiveBatch&) const override { return 1; }
    void loss_without_rows() override {
        if (!sum_over_ranks_) return;
        std::vector<double> v = {0, 0};
        sum_over_ranks_(v);
    }
    StepLoss loss(TrainModel& model, const ObjectiveBatch& b, bool train) override {
        const at::Device d = device_of(model);
        at::Tensor ids = to_tensor(b.input_ids, b.rows, b.cols).to(d);
        at::Tensor labels = to_tensor(b.labels, b.rows, b.cols).to(d);
        at::Tensor kl_ids = to_tensor(b.kl_input_ids, b.rows, b.kl_cols).to(d);
        at::Tensor kl_labels = to_tensor(b.kl_labels, b.rows, b.kl_cols).to(d);
        at::Tensor kl_logps;
        {
            at::NoGradGuard no_grad; // TRL's _compute_kl_logps
            kl_logps = model.sequence_logprobs(kl_ids, kl_labels, false);
        }
        at::Tensor logps = model.sequence_logprobs(ids, labels, false);
        at::Tensor ref = cached_reference(cache_, *ref_, b.split, b.examples, 1, ids, labels);
        at::Tensor ref_kl = cached_reference(kl_cache_, *ref_, b.split, b.examples, 1, kl_ids, kl_labels);
        at::Tensor kl = (kl_logps - ref_kl).mean().detach().clamp_min(0);
        if (train && sum_over_ranks_) { // the whole global batch's mean, as one process with it has
            std::vector<double> v = {(kl_logps - ref_kl).sum().item<double>(), double(b.rows)};
            sum_over_ranks_(v);
            kl = at::full({}, v[0] / v[1], kl_logps.options()).clamp_min(0);
        }

        std::vector<int64_t> good, bad;
        for (int r = 0; r < b.rows; ++r) (b.desirable[r] ? good : bad).push_back(r);
        at::Tensor ratio = logps - ref;
        std::vector<at::Tensor> losses;
        StepLoss s;
        if (!good.empty()) {
            at::Tensor g = ratio.index_select(0, at::tensor(good, at::kLong).to(d));
            losses.push_back(s_.desirable_weight * (1 - at::sigmoid(s_.beta * (g - kl))));
            s.metrics["rewards/chosen"] = (s_.beta * g.detach()).sum().item<double>() / double(good.size());
        }
        if (!bad.empty()) {
            at::Tensor u = ratio.index_select(0, at::tensor(bad, at::kLong).to(d));
            losses.push_back(s_.undesirable_weight * (1 - at::sigmoid(s_.beta * (kl - u))));
            s.metrics["rewards/rejected"] = (s_.beta * u.detach()).sum().item<double>() / double(bad.size());
        }
        if (!good.empty() && !bad.empty())
            s.metrics["rewards/margins"] = s.metrics["rewards/chosen"] - s.metrics["rewards/rejected"];
        s.metrics["kl"] = kl.item<double>();
        s.loss = at::cat(losses, 0).mean();
        return s;
    }

private:
    std::vector<std::size_t> kl_of_;
    RefCache cache_, kl_cache_;
};

} // namespace

Reference::Reference(std::unique_ptr<TrainModel> model, TrainModel* policy)
    : frozen_(std::move(model)), policy_(policy) {
    if (frozen_)
        for (auto& [name, t] : frozen_->parameters()) t->requires_grad_(false);
}

at::Tensor Reference::sequence_logprobs(const at::Tensor& ids, const at::Tensor& labels) {
    at::NoGradGuard no_grad;
    if (frozen_) return frozen_->sequence_logprobs(ids, labels, false);
    // A LoRA run's starting model: the base with the adapter switched off
    // (PEFT's disable_adapter()), or the voice it continues, frozen (as TRL
    // keeps a "ref" copy of a pretrained adapter).
    nn::AdapterMode start(false, nn::AdapterMode::Use::Reference);
    return policy_->sequence_logprobs(ids, labels, false);
}

std::unique_ptr<Objective> make_lm_objective(const Dataset& stories) { return std::make_unique<LmObjective>(stories); }

std::unique_ptr<Objective> make_preference_objective(const PreferenceSet& set, const ObjectiveSettings& s,
                                                     std::unique_ptr<Reference> reference) {
    switch (s.kind) {
    case ObjectiveKind::SFT: return std::make_unique<SftObjective>(set, s, nullptr);
    case ObjectiveKind::DPO:
        if (!reference) throw UsageError("DPO needs a reference model");
        return std::make_unique<DpoObjective>(set, s, std::move(reference));
    case ObjectiveKind::KTO:
        if (!reference) throw UsageError("KTO needs a reference model");
        if (set.size() >= 2 && s.batch_size < 2)
            throw UsageError("KTO needs --batch-size 2 or more: its reference point pairs each prompt with another "
                             "example's completion in the same batch");
        return std::make_unique<KtoObjective>(set, s, std::move(reference));
    case ObjectiveKind::LM: break;
    }
    throw UsageError("the lm objective trains on stories, not on a feedback set");
}

} // namespace fabula::training
