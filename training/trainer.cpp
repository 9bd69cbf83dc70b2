#include "training/trainer.h"

#include "core/atomic_folder.h"
#include "core/atomic_file.h"
#include "core/causal_lm.h"
#include "core/device.h"
#include "core/error.h"
#include "core/json_file.h"
#include "core/weight_files.h"
#include "training/checkpoint.h"
#include "training/distributed.h"
#include "training/objective.h"
#include "training/preference_eval.h"
#include "training/optimizer.h"
#include "training/token_cache.h"
#include "training/train_contract.h"
#include "training/train_model.h"
#include "training/trainer_state.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/core/grad_mode.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/impl/VirtualGuardImpl.h>

#include <chrono>
#include <cstring>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <unistd.h>

namespace fabula::training {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Autocast for the duration of a forward pass, as torch.autocast does.
class AutocastScope {
public:
    AutocastScope(const at::Device& device, Precision precision) : type_(device.type()) {
        if (precision != Precision::BF16 && precision != Precision::FP16) return;
        active_ = true;
        at::autocast::set_autocast_enabled(type_, true);
        at::autocast::set_autocast_dtype(type_, precision == Precision::BF16 ? at::kBFloat16 : at::kHalf);
        at::autocast::increment_nesting();
    }
    ~AutocastScope() {
        if (!active_) return;
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
        at::autocast::set_autocast_enabled(type_, false);
    }

private:
    at::DeviceType type_;
    bool active_ = false;
};

std::vector<uint8_t> rng_bytes(const at::Generator& gen) {
    at::Tensor t = gen.get_state();
    const uint8_t* p = t.data_ptr<uint8_t>();
    return {p, p + t.numel()};
}

void set_rng_bytes(at::Generator gen, const std::vector<uint8_t>& bytes, const std::string& file) {
    at::Tensor t = at::empty({int64_t(bytes.size())}, at::kByte);
    std::memcpy(t.data_ptr<uint8_t>(), bytes.data(), bytes.size());
    try {
        gen.set_state(t);
    } catch (const c10::Error&) {
        throw FileError(file, "is not a usable checkpoint state: the random state does not fit this libtorch");
    }
}

} // namespace

// world: the ranks of a data-parallel run, whose global batch is batch_size x world.
void validate_train_options(const TrainOptions& o, int world) {
    auto bad = [](const std::string& m) { throw UsageError(m); };
    if (o.batch_size < 1) bad("batch size must be at least 1");
    if (o.grad_accum < 1) bad("gradient accumulation must be at least 1");
    if (!(o.lr > 0) || !std::isfinite(o.lr) || o.lr > 1) bad("learning rate must be above 0 (and at most 1)");
    if (o.epochs < 1 && o.max_steps <= 0) bad("epochs must be at least 1");
    if (o.warmup_steps < 0) bad("warm-up steps must be 0 or more");
    if (o.weight_decay < 0 || o.weight_decay >= 1) bad("weight decay must be in [0, 1)");
    if (o.block_size < 0) bad("block size must be positive");
    if (!(o.val_fraction >= 0 && o.val_fraction < 1)) bad("validation fraction must be in [0, 1)");
    if (o.keep_checkpoints < 1) bad("keep at least 1 checkpoint");
    if (o.engine.precision == Precision::Int8)
        bad("int8 is for generation and evaluation: train in fp32, bf16 or fp16");
    if (o.save_every < 0 || o.eval_every < 0 || o.log_every < 1) bad("--save-every/--eval-every must be 0 or more");
    if (!(o.beta > 0) || !std::isfinite(o.beta)) bad("--beta must be above 0");
    if (!(o.desirable_weight >= 0) || !(o.undesirable_weight >= 0) || !std::isfinite(o.desirable_weight) ||
        !std::isfinite(o.undesirable_weight))
        bad("--desirable-weight and --undesirable-weight must be 0 or more");
    if (!(o.lm_mix >= 0) || !std::isfinite(o.lm_mix)) bad("--lm-mix must be 0 or more");
    if (o.objective == ObjectiveKind::KTO && o.batch_size * world < 2)
        bad("KTO needs --batch-size 2 or more: its reference point pairs each prompt with another example's "
            "completion in the same batch");
    if (o.dist_timeout < 1) bad("--dist-timeout must be at least 1 second");
    if (o.objective == ObjectiveKind::LM && (o.lm_mix > 0 || !o.stories.empty()))
        bad("--lm-mix and --stories mix language modelling into --objective sft, dpo or kto");
    if (o.lm_mix > 0 && o.stories.empty()) bad("--lm-mix needs --stories PATH: the stories to keep the voice of");
    if (!o.ref_dir.empty() && o.objective != ObjectiveKind::DPO && o.objective != ObjectiveKind::KTO)
        bad("--ref is the frozen reference of --objective dpo or kto");
}

namespace {

struct Loaded {
    ModelFolder folder;   // where the tokenizer (and pretrained weights) come from
    ModelConfig config;   // the model being trained
    std::optional<Tokenizer> tokenizer;
    Collection collection;
    std::optional<Dataset> dataset;          // the stories: lm's data, or sft/dpo/kto's --stories
    std::optional<PreferenceSet> preferences; // sft/dpo/kto's --data
    int block_size = 0;
    bool cache_hit = false;
    std::string data_fingerprint; // the tokenized stories' SHA-256 (lm), or the feedback set's
    std::string stories_fingerprint; // sft/dpo/kto's --stories, tokenized
};

Loaded load_inputs(const TrainOptions& o, bool deduplicate) {
    Loaded l;
    if (o.from_scratch) {
        if (o.config_file.empty()) throw UsageError("--from-scratch needs --config FILE for the new model");
        l.config = ModelConfig::from_file(o.config_file);
        l.folder.dir = o.model_dir.empty() ? o.config_file.parent_path() : o.model_dir;
        l.folder.config = l.config;
    } else {
        l.folder = ModelFolder::inspect(o.model_dir);
        l.config = l.folder.config;
    }
    l.tokenizer.emplace(l.folder.load_tokenizer());
    l.block_size = o.block_size > 0 ? o.block_size : std::min(512, l.config.n_positions);
    if (l.block_size > l.config.n_positions)
        throw UsageError("block size " + std::to_string(l.block_size) + " is above the model's context of " +
                         std::to_string(l.config.n_positions) + " tokens");
    if (l.block_size < 2) throw UsageError("block size must be at least 2");
    const bool lm = o.objective == ObjectiveKind::LM;
    if (!lm) {
        l.preferences.emplace(read_preference_file(o.data, o.objective, *l.tokenizer, l.block_size));
        l.data_fingerprint = l.preferences->fingerprint;
        if (o.stories.empty()) return l;
    }
    ReadOptions read = o.read;
    read.deduplicate = deduplicate;
    l.collection = read_stories(lm ? o.data : o.stories, read);
    TokenizeOptions topt;
    topt.cache_dir = o.cache_dir;
    TokenizedStories ids = tokenize_stories(l.collection.stories, *l.tokenizer, tokenizer_files_in(l.folder.dir),
                                            Tokenizer::EndOfText::Special, topt);
    l.cache_hit = ids.cache_hit();
    (lm ? l.data_fingerprint : l.stories_fingerprint) = ids.fingerprint();
    DatasetOptions dopt;
    dopt.block_size = l.block_size;
    dopt.batching = o.batching;
    dopt.val_fraction = o.val_fraction;
    dopt.seed = o.seed;
    l.dataset.emplace(std::move(ids), l.tokenizer->end_of_text_id(), dopt);
    if (l.dataset->rows(Split::Train) == 0) throw UsageError("no training text left after the validation split");
    return l;
}

at::Tensor to_tensor(const std::vector<int32_t>& v, int rows, int cols, const at::Device& device) {
    return at::from_blob(const_cast<int32_t*>(v.data()), {rows, cols}, at::kInt).to(device, at::kLong);
}

// The objective of a run over what load_inputs read. DPO and KTO get their
// frozen reference here: --ref, else a second copy of the starting model, or
// for LoRA the trained model itself with its adapters off.
// global_batch: KTO pairs each prompt with another completion of the same
// (global) batch, so a data-parallel run pairs as one process would.
std::unique_ptr<Objective> make_objective(const TrainOptions& o, const Loaded& in, TrainModel& model,
                                          const at::Device& device, int global_batch) {
    if (o.objective == ObjectiveKind::LM) return make_lm_objective(*in.dataset);
    ObjectiveSettings s;
    s.kind = o.objective;
    s.max_length = in.block_size;
    s.pad_id = in.tokenizer->end_of_text_id();
    s.beta = o.beta;
    s.desirable_weight = o.desirable_weight;
    s.undesirable_weight = o.undesirable_weight;
    s.batch_size = global_batch;
    s.val_fraction = o.val_fraction;
    s.seed = o.seed;
    std::unique_ptr<Reference> ref;
    if (o.objective == ObjectiveKind::DPO || o.objective == ObjectiveKind::KTO) {
        if (!o.ref_dir.empty()) {
            const ModelFolder folder = ModelFolder::inspect(o.ref_dir);
            if (folder.config.vocab_size != in.config.vocab_size)
                throw UsageError("--ref " + o.ref_dir.string() + " has a vocabulary of " +
                                 std::to_string(folder.config.vocab_size) + " tokens, the model " +
                                 std::to_string(in.config.vocab_size) + ": the reference must share the tokenizer");
            ref = std::make_unique<Reference>(std::make_unique<TrainModel>(TrainModel::from_folder(folder, device)),
                                              nullptr);
        } else if (o.lora) {
            ref = std::make_unique<Reference>(nullptr, &model);
        } else if (o.from_scratch) {
            ref = std::make_unique<Reference>(
                std::make_unique<TrainModel>(TrainModel::from_config(in.config, o.seed, device)), nullptr);
        } else {
            ref = std::make_unique<Reference>(std::make_unique<TrainModel>(TrainModel::from_folder(in.folder, device)),
                                              nullptr);
        }
    }
    return make_preference_objective(*in.preferences, s, std::move(ref));
}

int frozen_bytes(const TrainOptions& o, const ModelFolder& folder, const Placement& p) {
    return o.lora && !o.from_scratch && lora_base_stays_16bit(folder, p.device) ? 2 : 4;
}

// One training run's moving parts, shared by train() and prepare().
struct Run {
    const TrainOptions& o;
    Loaded& in;
    Placement placement;
    at::Device device{at::kCPU};
    std::optional<TrainModel> model;
    std::optional<AdamW> optimizer;
    std::vector<at::Tensor> params;
    LossScaler scaler;
    std::optional<Sampler> sampler;
    std::unique_ptr<Objective> objective;
    // --lm-mix: language modelling on --stories beside the objective; one
    // story batch per micro-batch, its position derived from the objective's.
    std::unique_ptr<Objective> lm_mix;
    std::optional<Sampler> lm_sampler;
    bool lm_sampler_placed = false;
    int64_t step = 0, total_steps = 0;
    size_t steps_per_epoch = 0;
    std::ofstream dump;
    // Data parallelism: the samplers draw global batches of batch_size x
    // world rows, of which this rank takes rows [rank b, (rank + 1) b).
    ProcessGroup* group = nullptr;
    int rank = 0, world = 1;
    int global_batch = 0;
    // The gradients' all-reduce, started bucket by bucket during a step's
    // last backward pass on this rank.
    std::optional<GradientSync> grad_sync;

    Run(const TrainOptions& options, Loaded& loaded, ProcessGroup* process_group = nullptr, int local_rank = 0)
        : o(options), in(loaded), group(process_group) {
        if (group) {
            rank = group->rank();
            world = group->world_size();
        }
        global_batch = o.batch_size * world;
        placement = resolve_placement(o.engine.device, o.engine.precision, o.engine.threads);
        // One GPU per rank on its machine, as torchrun's LOCAL_RANK says.
        device = placement.device == DeviceKind::CUDA ? at::Device(at::kCUDA, c10::DeviceIndex(group ? local_rank : 0))
                                                      : at::Device(at::kCPU);
        if (device.is_cuda() && group) c10::impl::VirtualGuardImpl(at::kCUDA).setDevice(device);
        at::manual_seed(o.seed);
        model.emplace(o.from_scratch ? TrainModel::from_config(in.config, o.seed, device)
                                     : TrainModel::from_folder(in.folder, device,
                                                               frozen_bytes(o, in.folder, placement) == 2));
        if (!o.start_adapter.empty()) model->load_lora(AdapterFolder::inspect(o.start_adapter));
        else if (o.lora) model->add_lora(o.lora_settings);
        // The HF Trainer decays every weight except biases and norms: the tensor table says which.
        const std::vector<bool> decay = model->decay_flags();
        for (auto& [name, t] : model->parameters()) params.push_back(*t);
        if (group) grad_sync.emplace(*group, params);
        AdamWSettings s;
        s.weight_decay = o.weight_decay;
        optimizer.emplace(params, decay, s);
        objective = make_objective(o, in, *model, device, global_batch);
        if (group)
            objective->set_sum_over_ranks([this](std::vector<double>& v) { group->all_reduce_sum(v); });
        if (o.lm_mix > 0) {
            lm_mix = make_lm_objective(*in.dataset);
            lm_sampler.emplace(in.dataset->rows(Split::Train), global_batch, o.seed, true);
        }
        sampler.emplace(objective->rows(Split::Train), global_batch, o.seed, true);
        const size_t batches = sampler->batches_per_epoch();
        steps_per_epoch = std::max<size_t>(1, (batches + o.grad_accum - 1) / o.grad_accum);
        total_steps = o.max_steps > 0 ? o.max_steps : int64_t(steps_per_epoch) * o.epochs;
        // One file per rank (rank N > 0 writes FILE.rankN), so the ranks' lines never interleave.
        if (!o.dump_batches.empty())
            dump.open(rank == 0 ? o.dump_batches : fs::path(o.dump_batches.string() + ".rank" + std::to_string(rank)),
                      std::ios::app);
    }

    double epoch_progress() const {
        const size_t batches = sampler->batches_per_epoch();
        const auto pos = sampler->position();
        const double in_epoch = batches ? double((pos.index + global_batch - 1) / global_batch) / double(batches) : 0;
        return double(pos.epoch) + in_epoch;
    }

    struct StepStats {
        double loss = 0, grad_norm = 0, lr = 0;
        int64_t tokens = 0;
        bool skipped = false;
        std::map<std::string, double> metrics;
    };

    void dump_batch(const ObjectiveBatch& b, bool lm_mix_batch = false) {
        if (!dump.is_open()) return;
        nlohmann::json j{{"step", step + 1}, {"rows", b.rows}, {"cols", b.cols}, {"input_ids", b.input_ids},
                         {"labels", b.labels}};
        if (lm_mix_batch) j["lm_mix"] = true;
        if (world > 1) j["rank"] = rank;
        if (b.kl_cols > 0) {
            j["kl_cols"] = b.kl_cols;
            j["kl_input_ids"] = b.kl_input_ids;
            j["kl_labels"] = b.kl_labels;
        }
        dump << j.dump() << "\n";
    }

    // The story batches of --lm-mix follow the objective's micro-batches one
    // for one, so a resumed run finds its place from the objective's sampler.
    void place_lm_sampler() {
        if (lm_sampler_placed || !lm_sampler) return;
        lm_sampler_placed = true;
        const SamplerPosition p = sampler->position();
        const uint64_t drawn = p.epoch * sampler->batches_per_epoch() + (p.index + global_batch - 1) / global_batch;
        const uint64_t per_epoch = std::max<uint64_t>(1, lm_sampler->batches_per_epoch());
        SamplerPosition lp;
        lp.epoch = drawn / per_epoch;
        lp.index = (drawn % per_epoch) * uint64_t(global_batch);
        lm_sampler->seek(lp);
    }

    // One optimizer step over grad_accum micro-batches. The loss of the step
    // is the weighted mean over its micro-batches (LM and SFT by predicted
    // tokens, HF's num_items_in_batch, so accumulation equals one larger
    // batch; DPO and KTO by micro-batch, as TRL).
    // This rank's share of a global batch.
    std::vector<size_t> share(std::vector<size_t> rows) const {
        if (world == 1) return rows;
        const size_t b = size_t(o.batch_size), begin = std::min(rows.size(), size_t(rank) * b);
        return {rows.begin() + begin, rows.begin() + std::min(rows.size(), begin + b)};
    }

    // DPO and KTO: the loss of a micro-batch is its mean, and the step
    // averages those means (weight 1 each); the rest weight by tokens.
    bool mean_per_batch() const {
        return objective->kind() == ObjectiveKind::DPO || objective->kind() == ObjectiveKind::KTO;
    }

    StepStats train_step() {
        StepStats st;
        place_lm_sampler();
        std::vector<ObjectiveBatch> micro, lm_micro;
        // Per micro-batch, this rank's part of the global micro-batch (its
        // rows over all rows): a DPO/KTO mean over a share of the rows
        // counts for that share of the global mean.
        std::vector<double> part;
        int64_t weight = 0, lm_weight = 0;
        for (int i = 0; i < o.grad_accum; ++i) {
            const uint64_t epoch_before = sampler->position().epoch;
            const std::vector<size_t> all = sampler->next();
            const std::vector<size_t> rows = share(all);
            micro.push_back(rows.empty() ? ObjectiveBatch{} : objective->batch(Split::Train, rows));
            part.push_back(all.empty() ? 0.0 : double(rows.size()) / double(all.size()));
            if (!rows.empty()) {
                dump_batch(micro.back());
                weight += objective->weight(micro.back());
                st.tokens += micro.back().real_tokens;
            }
            if (lm_mix) {
                const std::vector<size_t> lm_rows = share(lm_sampler->next());
                lm_micro.push_back(lm_rows.empty() ? ObjectiveBatch{} : lm_mix->batch(Split::Train, lm_rows));
                if (!lm_rows.empty()) {
                    dump_batch(lm_micro.back(), true);
                    lm_weight += lm_mix->weight(lm_micro.back());
                    st.tokens += lm_micro.back().real_tokens;
                }
            }
            // An epoch's last step may have fewer micro-batches (like HF).
            if (sampler->position().epoch != epoch_before) break;
        }
        // The step's weight over every rank, before any backward pass, so
        // each rank's loss is divided by the global weight and the summed
        // gradients are those of one process with the whole batch.
        if (group) {
            weight = mean_per_batch() ? int64_t(micro.size()) : group->all_reduce_sum(weight);
            if (lm_mix) lm_weight = group->all_reduce_sum(lm_weight);
        }
        double loss_sum = 0, lm_sum = 0;
        std::map<std::string, double> reported; // a figure may be missing from a micro-batch (KTO without bad examples)
        // This rank's last backward pass of the step, where the gradients'
        // all-reduce starts as they become final.
        size_t last_backward = micro.size();
        for (size_t i = 0; i < micro.size(); ++i)
            if (micro[i].rows > 0 || (lm_mix && lm_micro[i].rows > 0)) last_backward = i;
        for (size_t i = 0; i < micro.size(); ++i) {
            at::Tensor scaled;
            if (micro[i].rows == 0) {
                objective->loss_without_rows();
            } else {
                StepLoss l;
                {
                    AutocastScope autocast(device, placement.precision);
                    l = objective->loss(*model, micro[i], true);
                }
                const double f = mean_per_batch() && world > 1 ? part[i] : 1.0;
                loss_sum += l.loss.item<double>() * f;
                for (const auto& [name, value] : l.metrics) {
                    st.metrics[name] += value * part[i];
                    reported[name] += part[i];
                }
                scaled = l.loss / double(std::max<int64_t>(1, weight));
                if (f != 1.0) scaled = scaled * f;
            }
            if (lm_mix && lm_micro[i].rows > 0) {
                at::Tensor lm;
                {
                    AutocastScope autocast(device, placement.precision);
                    lm = lm_mix->loss(*model, lm_micro[i], true).loss;
                }
                lm_sum += lm.item<double>();
                at::Tensor term = lm * (o.lm_mix / double(std::max<int64_t>(1, lm_weight)));
                scaled = scaled.defined() ? scaled + term : term;
            }
            if (!scaled.defined()) continue; // nothing of this micro-batch on this rank
            if (placement.precision == Precision::FP16) scaled = scaled * scaler.scale;
            if (grad_sync && i == last_backward) grad_sync->arm();
            scaled.backward();
        }
        if (group) reduce_step(st, loss_sum, lm_sum, reported);
        for (auto& [name, value] : st.metrics) value /= reported[name];
        st.loss = loss_sum / double(std::max<int64_t>(1, weight));
        if (lm_mix) {
            st.metrics["lm_loss"] = lm_sum / double(std::max<int64_t>(1, lm_weight));
            st.metrics[std::string(to_string(o.objective)) + "_loss"] = st.loss;
            st.loss += o.lm_mix * st.metrics["lm_loss"];
        }
        st.lr = o.lr * linear_schedule(step, o.warmup_steps, total_steps);
        if (placement.precision == Precision::FP16 && !scaler.unscale(params)) {
            st.skipped = true;
        } else {
            st.grad_norm = clip_grad_norm(params, o.max_grad_norm);
            optimizer->step(st.lr);
        }
        optimizer->zero_grad();
        ++step;
        return st;
    }

    // Sums the gradients over the ranks (every rank then clips and steps
    // alike), and the logged figures: the loss, the tokens and the
    // objective's metrics, by a fixed list of names every rank sends.
    void reduce_step(StepStats& st, double& loss_sum, double& lm_sum, std::map<std::string, double>& reported) {
        // A rank with no rows in this step has no gradients: its share is zero.
        grad_sync->finish();
        static const char* const names[] = {"rewards/chosen", "rewards/rejected", "rewards/accuracies",
                                            "rewards/margins", "kl"};
        std::vector<double> v = {loss_sum, lm_sum, double(st.tokens)};
        for (const char* n : names) {
            v.push_back(st.metrics.count(n) ? st.metrics[n] : 0.0);
            v.push_back(reported.count(n) ? reported[n] : 0.0);
        }
        group->all_reduce_sum(v);
        const double* r = v.data();
        loss_sum = r[0];
        lm_sum = r[1];
        st.tokens = int64_t(std::llround(r[2]));
        st.metrics.clear();
        reported.clear();
        for (size_t k = 0; k < std::size(names); ++k)
            if (r[4 + 2 * k] > 0) {
                st.metrics[names[k]] = r[3 + 2 * k];
                reported[names[k]] = r[4 + 2 * k];
            }
    }

    // The objective's loss over the validation split (LM and SFT: the mean
    // token loss; DPO and KTO: the mean over batches). With several ranks,
    // batch k is rank k mod world's, and the sums are summed over the ranks.
    std::optional<double> evaluate() {
        const size_t rows = objective->rows(Split::Val);
        if (rows == 0) return std::nullopt;
        at::NoGradGuard no_grad;
        Sampler val(rows, o.batch_size, 0, false);
        double sum = 0;
        int64_t count = 0;
        for (size_t b = 0; b < val.batches_per_epoch(); ++b) {
            const std::vector<size_t> batch_rows = val.next();
            if (int(b % size_t(world)) != rank) continue;
            ObjectiveBatch batch = objective->batch(Split::Val, batch_rows);
            AutocastScope autocast(device, placement.precision);
            StepLoss l = objective->loss(*model, batch, false);
            sum += l.loss.item<double>();
            count += objective->weight(batch);
        }
        if (group) {
            sum = group->all_reduce_sum(sum);
            count = group->all_reduce_sum(count);
        }
        return count ? std::optional<double>(sum / double(count)) : std::nullopt;
    }

    TrainerState state(double elapsed, const nlohmann::json& settings) const {
        TrainerState s;
        s.step = step;
        s.total_steps = total_steps;
        s.epoch = epoch_progress();
        s.sampler_epoch = sampler->position().epoch;
        s.sampler_index = sampler->position().index;
        s.rng_cpu = rng_bytes(at::globalContext().defaultGenerator(at::kCPU));
        if (device.is_cuda()) s.rng_cuda = rng_bytes(at::globalContext().defaultGenerator(device));
        s.loss_scale = scaler.scale;
        s.loss_scale_good_steps = scaler.good_steps;
        s.elapsed_s = elapsed;
        s.settings = settings;
        return s;
    }

    double restore(const fs::path& checkpoint) {
        const TrainerState s = load_checkpoint(checkpoint, *model, *optimizer);
        const std::string file = (checkpoint / "trainer_state.json").string();
        step = s.step;
        SamplerPosition pos;
        pos.epoch = s.sampler_epoch;
        pos.index = s.sampler_index;
        sampler->seek(pos);
        set_rng_bytes(at::globalContext().defaultGenerator(at::kCPU), s.rng_cpu, file);
        if (device.is_cuda() && !s.rng_cuda.empty())
            set_rng_bytes(at::globalContext().defaultGenerator(device), s.rng_cuda, file);
        scaler.scale = s.loss_scale;
        scaler.good_steps = s.loss_scale_good_steps;
        return s.elapsed_s;
    }
};

// metrics.jsonl: one object per logged step or evaluation. On resume, lines
// past the checkpoint (from the interrupted run) are dropped.
class MetricsLog {
public:
    MetricsLog(const fs::path& path, std::optional<int64_t> keep_up_to) : path_(path) {
        if (keep_up_to) {
            std::ifstream in(path);
            std::string line, kept;
            while (std::getline(in, line)) {
                auto j = nlohmann::json::parse(line, nullptr, false);
                if (!j.is_discarded() && j.value("step", int64_t(0)) <= *keep_up_to) kept += line + "\n";
            }
            in.close();
            std::ofstream(path, std::ios::trunc) << kept;
        } else {
            std::ofstream(path, std::ios::trunc);
        }
        out_.open(path, std::ios::app);
        if (!out_) throw FileError(path.string(), "cannot write the metrics log");
    }
    void write(const nlohmann::json& j) {
        out_ << j.dump() << "\n";
        out_.flush();
    }

private:
    fs::path path_;
    std::ofstream out_;
};

void check_memory(const ModelConfig& c, const TrainOptions& o, int block_size, const Placement& p,
                  int frozen) {
    if (p.device != DeviceKind::CPU) return; // the GPU's limit shows as a caught out-of-memory error
    const MemoryEstimate m = estimate_training_memory(c, o.batch_size, block_size, p.precision != Precision::FP32,
                                                      o.lora ? &o.lora_settings : nullptr, frozen);
    const int64_t avail = available_memory_bytes();
    if (avail > 0 && m.total() > avail) {
        std::ostringstream s;
        s.precision(2);
        s << std::fixed << "fine-tuning this model needs about " << double(m.total()) / (1 << 30) << " GiB (weights "
          << double(m.weights) / (1 << 30) << ", gradients " << double(m.gradients) / (1 << 30) << ", AdamW "
          << double(m.optimizer) / (1 << 30) << ", activations " << double(m.activations) / (1 << 30)
          << ") but only " << double(avail) / (1 << 30)
          << " GiB is free: use a smaller batch size or block size, or a smaller model";
        throw UsageError(s.str());
    }
}

// A run folder holds one run: starting afresh into a used folder would mix
// the old run's checkpoints with the new one's (and --resume would pick the
// wrong one later).
void check_run_folder(const TrainOptions& o) {
    std::string foreign;
    const FolderState st = inspect_destination(o.out, &foreign);
    if (st == FolderState::NotAFolder) throw UsageError(o.out.string() + " exists and is not a folder");
    if (o.resume) return;
    if (st == FolderState::Missing || st == FolderState::Empty) return;
    // The process that trains writes its lock (and its events, for the app)
    // before the trainer looks at the folder.
    auto contract_file = [](const std::string& name) { return name == kTrainLockFile || name == kRunEventsFile; };
    bool only_contract_files = true;
    for (const auto& e : fs::directory_iterator(o.out))
        only_contract_files &= contract_file(e.path().filename().string());
    if (only_contract_files) return;
    // A run of Fabula's that stopped before its first checkpoint has nothing
    // to continue: starting it again loses nothing.
    const bool ours = fs::exists(o.out / kFolderMarker);
    if (ours && !latest_checkpoint(o.out / "checkpoints") && !fs::exists(o.out / "model")) {
        bool only_run_files = true;
        for (const auto& e : fs::directory_iterator(o.out)) {
            const std::string name = e.path().filename().string();
            only_run_files &= name == kFolderMarker || name == "metrics.jsonl" || name == "checkpoints" ||
                              contract_file(name) || is_temporary_folder_name(name);
        }
        if (only_run_files) return;
    }
    const bool run = fs::exists(o.out / "checkpoints") || fs::exists(o.out / "metrics.jsonl");
    throw UsageError(o.out.string() + (run ? " already holds a training run: add --resume to continue it, or "
                                             "give a new folder to --out"
                                           : " is not empty: give a new or empty folder to --out"));
}

std::string path_key(const fs::path& p) {
    if (p.empty()) return "";
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    return (ec ? fs::absolute(p) : c).lexically_normal().string();
}

// The train split's ids, as the Start event reports them: the stories', or
// the feedback set's sequences after truncation.
int64_t train_tokens(const TrainOptions& o, const Loaded& in) {
    if (!in.preferences) return in.dataset->stats(o.batch_size, o.grad_accum).train.tokens;
    int64_t n = 0;
    const size_t L = size_t(in.block_size);
    for (const auto& c : in.preferences->completions) n += int64_t(std::min(L, c.prompt.size() + c.completion.size()));
    for (const auto& p : in.preferences->pairs)
        n += int64_t(std::min(L, p.prompt.size() + p.chosen.size()) + std::min(L, p.prompt.size() + p.rejected.size()));
    return n;
}

// Every setting by its flag name: what --resume compares, and what the run
// folder records so a writer can see how a model was made. With several
// ranks "batch-size" is the global batch (what the run's steps depend on),
// so a run resumes on another number of ranks with the same global batch.
nlohmann::json effective_settings(const TrainOptions& o, const Loaded& in, const Placement& p, int world = 1) {
    nlohmann::json j = {{"model", path_key(o.model_dir)},
            {"from-scratch", o.from_scratch},
            {"config", path_key(o.config_file)},
            {"data", in.data_fingerprint},
            {"data-path", path_key(o.data)},
            {"block-size", in.block_size},
            {"batching", o.batching == Batching::Pack ? "pack" : "pad"},
            {"batch-size", o.batch_size * world},
            {"grad-accum", o.grad_accum},
            {"lr", o.lr},
            {"warmup-steps", o.warmup_steps},
            {"weight-decay", o.weight_decay},
            {"epochs", o.epochs},
            {"max-steps", o.max_steps},
            {"val-fraction", o.val_fraction},
            {"precision", to_string(p.precision)},
            {"seed", o.seed},
            {"dropout", {in.config.embd_pdrop, in.config.attn_pdrop, in.config.resid_pdrop}},
            {"device", p.device == DeviceKind::CUDA ? "cuda" : "cpu"}};
    if (world > 1) j["ranks"] = world;
    // Only for the feedback objectives, so that the settings of language
    // modelling runs stay what runs made before them recorded.
    if (o.objective != ObjectiveKind::LM) {
        j["objective"] = to_string(o.objective);
        j["ref"] = path_key(o.ref_dir);
        j["beta"] = o.beta;
        j["desirable-weight"] = o.desirable_weight;
        j["undesirable-weight"] = o.undesirable_weight;
        j["lm-mix"] = o.lm_mix;
        j["stories"] = in.stories_fingerprint;
        j["stories-path"] = path_key(o.stories);
    }
    if (o.lora || !o.start_adapter.empty()) {
        const LoraSettings& l = o.lora_settings;
        j["lora-r"] = l.r;
        j["lora-alpha"] = l.alpha;
        j["lora-dropout"] = l.dropout;
        j["lora-targets"] = l.targets;
        j["use-rslora"] = l.rslora;
        j["adapter"] = path_key(o.start_adapter);
    }
    return j;
}

// What fabula.json says about a model, so that exports can be told apart.
nlohmann::json model_card(const TrainOptions& o, const Loaded& in, const nlohmann::json& settings) {
    nlohmann::json card = {
        {"base_model", o.from_scratch ? "from scratch (" + path_key(o.config_file) + ")" : path_key(o.model_dir)},
        {"data", path_key(o.data)},
        {"data_fingerprint", in.data_fingerprint},
        {"stories", in.collection.stories.size()},
        {"settings", settings}};
    // A voice is named by the writer, else after its run folder.
    if (o.lora || !o.start_adapter.empty())
        card["voice"] = !o.voice.empty() ? o.voice : fs::absolute(o.out).lexically_normal().filename().string();
    return card;
}

} // namespace

static int64_t lora_parameter_count(const ModelConfig& c, const LoraSettings& lora) {
    const std::vector<std::string> modules =
        lora_modules(c, lora.targets.empty() ? default_lora_targets(c) : lora.targets);
    int64_t n = 0;
    for (const TensorSpec& s : tensor_table(c))
        for (const std::string& m : modules)
            if (s.name == m + ".weight") n += int64_t(lora.r) * (s.shape[0] + s.shape[1]);
    return n;
}

bool lora_base_stays_16bit(const ModelFolder& folder, DeviceKind device) {
    if (device != DeviceKind::CUDA && !cpu_has_fast_bf16()) return false;
    return WeightFiles(folder.weights).main_dtype() == DType::BF16;
}

MemoryEstimate estimate_training_memory(const ModelConfig& c, int batch_size, int block_size, bool half,
                                        const LoraSettings* lora, int frozen_bytes) {
    MemoryEstimate m;
    m.parameters = c.parameter_count();
    m.trainable = lora ? lora_parameter_count(c, *lora) : m.parameters;
    // fp32 master weights + autocast copies; with LoRA the frozen base as
    // loaded and the fp32 adapters.
    m.weights = lora ? frozen_bytes * m.parameters + 4 * m.trainable + (half && frozen_bytes == 4 ? 2 * m.parameters : 0)
                     : 4 * m.parameters + (half ? 2 * m.parameters : 0);
    m.gradients = 4 * m.trainable;
    m.optimizer = 8 * m.trainable;
    const int64_t B = batch_size, T = block_size, C = c.n_embd, H = c.n_head, V = c.vocab_size;
    const int64_t act_bytes = half ? 2 : 4;
    // Per layer about (34 + 5 H T / C) values per token and channel kept for
    // the backward pass (Korthikanti et al. 2022), plus the logits in fp32.
    const int64_t per_layer = B * T * C * (34 + 5 * H * T / std::max<int64_t>(1, C)) * act_bytes / 2;
    // The logits in fp32: held once and their gradient once when the fused
    // head takes them (above 64 MiB, see train_model.cpp), else three copies.
    const int64_t logits = B * T * V * 4;
    m.activations = c.n_layer * per_layer + (logits > (int64_t(64) << 20) ? 2 : 3) * logits;
    return m;
}

namespace {

// The ranks of a data-parallel run (none: one process).
struct Ranks {
    ProcessGroup* group = nullptr;
    int rank = 0, world = 1, local_rank = 0;
    bool writer() const { return rank == 0; } // only rank 0 touches the run folder
};

// What failed while a rank prepared, so that every rank can fail alike: the
// kind decides the exit code (UsageError 2, FileError 3, anything else 1).
nlohmann::json failure_of(const std::function<void()>& work) {
    try {
        work();
        return nullptr;
    } catch (const UsageError& e) {
        return {{"kind", "usage"}, {"message", e.what()}};
    } catch (const FileError& e) {
        return {{"kind", "file"}, {"message", e.what()}};
    } catch (const PeerLost&) {
        throw;
    } catch (const std::exception& e) {
        return {{"kind", "other"}, {"message", e.what()}};
    }
}

[[noreturn]] void rethrow(const nlohmann::json& failure, const std::string& prefix = "") {
    const std::string kind = failure.value("kind", ""), message = prefix + failure.value("message", "");
    if (kind == "usage") throw UsageError(message);
    if (kind == "file") throw FileError("", message);
    throw std::runtime_error(message);
}

// The first differences between two ranks' settings and data, one line each.
std::vector<std::string> differences(const nlohmann::json& a, const nlohmann::json& b, int rank) {
    std::vector<std::string> out;
    auto shown = [](const nlohmann::json& j, const std::string& key) {
        if (!j.contains(key)) return std::string("(none)");
        return j.at(key).is_string() ? j.at(key).get<std::string>() : j.at(key).dump();
    };
    std::set<std::string> keys;
    for (const auto& [k, v] : a.items()) keys.insert(k);
    for (const auto& [k, v] : b.items()) keys.insert(k);
    for (const std::string& k : keys) {
        if (a.contains(k) && b.contains(k) && a.at(k) == b.at(k)) continue;
        const std::string what = k == "data" ? "the data (tokenized)" : k == "train-tokens" ? "the training tokens"
                                                                                           : "--" + k;
        out.push_back(what + ": " + shown(a, k) + " on rank 0, " + shown(b, k) + " on rank " + std::to_string(rank));
    }
    return out;
}

// Under torchrun: --threads defaults to OMP_NUM_THREADS (torchrun sets it),
// else this machine's cores shared among its ranks.
int threads_per_rank(const DistEnv& env) {
    if (const char* omp = std::getenv("OMP_NUM_THREADS"); omp && std::atoi(omp) > 0) return std::atoi(omp);
    return std::max(1, available_cores() / std::max(1, env.local_world_size));
}

TrainSummary train_ranks(const TrainOptions& o, const TrainCallback& on_event, const std::atomic<bool>* stop,
                         const Ranks& ranks) {
    ProcessGroup* group = ranks.group;
    const fs::path checkpoints = o.out / "checkpoints";
    // Rank 0 alone speaks: the CLI prints and writes --events on it.
    auto tell = [&](const TrainEvent& e) {
        if (on_event && ranks.writer()) on_event(e);
    };
    std::vector<std::string> warnings;
    auto warn = [&](const std::string& message) {
        TrainEvent e;
        e.kind = TrainEvent::Kind::Warning;
        e.message = message;
        tell(e);
    };
    Loaded in;
    Placement placement;
    nlohmann::json settings;
    std::optional<fs::path> resume_from;
    int64_t resume_step = 0;

    // Everything that may refuse the run, before anything is written.
    auto check = [&] {
        validate_train_options(o, ranks.world);
        if (o.out.empty()) throw UsageError("--out DIR is required");
        if (ranks.writer()) check_run_folder(o);
        in = load_inputs(o, true);
        placement = resolve_placement(o.engine.device, o.engine.precision, o.engine.threads);
        check_memory(in.config, o, in.block_size, placement, frozen_bytes(o, in.folder, placement));
        settings = effective_settings(o, in, placement, ranks.world);
        if (!o.resume || !ranks.writer()) return;
        resume_from = latest_checkpoint(checkpoints);
        if (!resume_from) throw UsageError("--resume: no checkpoint in " + checkpoints.string());
        const TrainerState before = read_trainer_state(*resume_from / "trainer_state.json");
        resume_step = before.step;
        auto conflicts = resume_conflicts(before.settings, settings);
        const int then_ranks = before.settings.value("ranks", 1);
        for (std::string& c : conflicts)
            if (c.rfind("--batch-size:", 0) == 0 && (then_ranks > 1 || ranks.world > 1))
                c = "--batch-size: a global batch of " + before.settings.value("batch-size", nlohmann::json()).dump() +
                    " rows then (" + std::to_string(then_ranks) + (then_ranks == 1 ? " rank" : " ranks") + "), " +
                    std::to_string(o.batch_size * ranks.world) + " now (--batch-size " +
                    std::to_string(o.batch_size) + " x " + std::to_string(ranks.world) +
                    (ranks.world == 1 ? " rank" : " ranks") + "): --batch-size x ranks must stay the same";
        if (!conflicts.empty()) {
            std::string m = "--resume: " + o.out.string() + " was started with other settings, so it cannot continue "
                            "with these (start a new run folder, or give the old values):";
            for (const auto& c : conflicts) m += "\n  " + c;
            throw UsageError(m);
        }
        if (before.settings.value("device", "") != settings.value("device", ""))
            warnings.push_back("resuming on " + settings.value("device", std::string()) + " a run started on " +
                               before.settings.value("device", std::string()) + ": the result will differ slightly "
                               "from an uninterrupted run");
    };
    // Rank 0 creates the folder (or finds where the run stands).
    auto create = [&] {
        if (!o.resume) {
            fs::create_directories(o.out);
            nlohmann::json marker = {{"written_by", "Fabula"}, {"version", fabula_version()}, {"kind", "run"},
                                     {"settings", settings}};
            write_file_atomically(o.out / kFolderMarker, marker.dump(2) + "\n");
        }
        // What a killed writer left behind (never a finished step-N folder).
        remove_stale_temporaries(checkpoints);
        remove_stale_temporaries(o.out);
    };
    if (!group) {
        check();
        create();
    } else {
        // Every rank checks; rank 0's refusal (the run folder, --resume)
        // and any rank's failure reach every rank, and so do differing
        // settings or data, compared through the store.
        const nlohmann::json failure = failure_of(check);
        nlohmann::json mine = {{"failure", failure}};
        if (failure.is_null()) {
            mine["settings"] = settings;
            mine["settings"]["train-tokens"] = train_tokens(o, in);
        }
        std::vector<nlohmann::json> all;
        for (const std::string& text : group->all_gather_text(mine.dump())) all.push_back(nlohmann::json::parse(text));
        if (!all[0]["failure"].is_null()) rethrow(all[0]["failure"]);
        for (size_t r = 1; r < all.size(); ++r)
            if (!all[r]["failure"].is_null()) rethrow(all[r]["failure"], "rank " + std::to_string(r) + ": ");
        for (size_t r = 1; r < all.size(); ++r) {
            const auto diff = differences(all[0]["settings"], all[r]["settings"], int(r));
            if (diff.empty()) continue;
            std::string m = "rank " + std::to_string(r) + " was started with other settings or data than rank 0, "
                            "so they cannot train together:";
            for (const auto& d : diff) m += "\n  " + d;
            throw UsageError(m);
        }
        // The group's first barrier: rank 0 has written the folder, and
        // tells the others which checkpoint to resume from.
        nlohmann::json made;
        if (ranks.writer()) {
            made["failure"] = failure_of(create);
            made["resume_from"] = resume_from ? resume_from->string() : "";
            made["resume_step"] = resume_step;
        }
        made = nlohmann::json::parse(group->broadcast_text(made.dump(), 0));
        if (!made["failure"].is_null()) rethrow(made["failure"]);
        const std::string from = made.value("resume_from", "");
        if (!from.empty()) resume_from = fs::path(from);
        resume_step = made.value("resume_step", int64_t(0));
    }
    for (const auto& w : warnings) warn(w);
    // A stop asked on any rank stops every rank at the same step.
    auto stop_asked = [&] {
        const bool mine = stop && stop->load();
        return group ? group->all_reduce_sum(int64_t(mine)) > 0 : mine;
    };
    if (stop_asked()) { // stopped while the stories were read and tokenized: nothing to save yet
        TrainSummary stopped;
        stopped.stopped = true;
        stopped.steps = resume_step;
        TrainEvent e;
        e.kind = TrainEvent::Kind::Stopped;
        e.step = resume_step;
        e.path = resume_from.value_or(fs::path());
        tell(e);
        return stopped;
    }

    Run run(o, in, group, ranks.local_rank);
    TrainSummary summary;
    summary.placement = run.placement.describe();
    double elapsed_before = 0;
    if (resume_from) elapsed_before = run.restore(*resume_from); // every rank reads it; only rank 0 writes
    if (group) {
        // Every rank starts from rank 0's weights, as DDP does.
        at::NoGradGuard no_grad;
        group->broadcast(run.params, 0);
        // Dropout differs between ranks (rank 0 keeps the checkpoint's state).
        if (ranks.rank > 0) at::manual_seed(o.seed + uint64_t(ranks.rank) * 1000003u + uint64_t(run.step));
    }
    const nlohmann::json card = model_card(o, in, settings);
    std::optional<MetricsLog> metrics;
    if (ranks.writer())
        metrics.emplace(o.out / "metrics.jsonl", resume_from ? std::optional<int64_t>(run.step) : std::nullopt);
    std::optional<fs::path> newest_checkpoint = resume_from;

    const auto start = Clock::now();
    const int64_t first_step = run.step;
    auto elapsed = [&] { return elapsed_before + seconds_since(start); };
    auto emit = [&](TrainEvent e) {
        e.step = run.step;
        e.total_steps = run.total_steps;
        e.epoch = run.epoch_progress();
        e.elapsed_s = elapsed();
        tell(e);
    };
    auto checkpoint = [&] {
        if (!ranks.writer()) return;
        nlohmann::json c = card;
        c["steps"] = run.step;
        fs::path p = save_checkpoint(checkpoints, run.step, *run.model, *run.optimizer, run.state(elapsed(), settings),
                                     in.folder.dir, o.keep_checkpoints, c);
        newest_checkpoint = p;
        TrainEvent e;
        e.kind = TrainEvent::Kind::Checkpoint;
        e.path = p;
        emit(e);
    };
    auto evaluate = [&] {
        auto loss = run.evaluate();
        if (!loss) return;
        summary.final_eval_loss = loss;
        if (metrics)
            metrics->write({{"step", run.step}, {"epoch", run.epoch_progress()}, {"eval_loss", *loss},
                            {"eval_perplexity", std::exp(*loss)}, {"elapsed_s", elapsed()}});
        TrainEvent e;
        e.kind = TrainEvent::Kind::Eval;
        e.eval_loss = *loss;
        e.eval_perplexity = std::exp(*loss);
        emit(e);
    };

    {
        TrainEvent e;
        e.kind = TrainEvent::Kind::Start;
        e.steps_per_epoch = int64_t(run.steps_per_epoch);
        e.train_tokens = train_tokens(o, in);
        e.threads = run.placement.threads;
        e.device = run.placement.device == DeviceKind::CUDA ? "cuda" : "cpu";
        e.precision = to_string(run.placement.precision);
        e.path = o.out;
        emit(e);
    }

    try {
        while (run.step < run.total_steps) {
            if (stop_asked()) {
                if (run.step > first_step) checkpoint(); // else the last checkpoint (or nothing) is where it stands
                summary.stopped = true;
                summary.steps = run.step;
                TrainEvent e;
                e.kind = TrainEvent::Kind::Stopped;
                e.path = newest_checkpoint.value_or(fs::path());
                emit(e);
                return summary;
            }
            const uint64_t epoch_before = run.sampler->position().epoch;
            const auto t0 = Clock::now();
            Run::StepStats st = run.train_step();
            const double dt = seconds_since(t0);
            const bool epoch_end = run.sampler->position().epoch != epoch_before;
            {
                TrainEvent e;
                e.kind = TrainEvent::Kind::Step;
                e.loss = st.loss;
                e.lr = st.lr;
                e.grad_norm = st.grad_norm;
                e.tokens_per_second = double(st.tokens) / dt;
                const double per_step = seconds_since(start) / double(run.step - first_step);
                e.eta_s = per_step * double(run.total_steps - run.step);
                e.metrics = st.metrics;
                if (metrics && (run.step % o.log_every == 0 || run.step == run.total_steps)) {
                    nlohmann::json line = {{"step", run.step}, {"epoch", run.epoch_progress()}, {"loss", st.loss},
                                           {"lr", st.lr}, {"grad_norm", st.grad_norm},
                                           {"tokens_per_second", e.tokens_per_second}, {"elapsed_s", elapsed()},
                                           {"skipped", st.skipped}};
                    for (const auto& [name, value] : st.metrics) line[name] = value;
                    metrics->write(line);
                }
                emit(e);
            }
            const bool last = run.step == run.total_steps;
            if (epoch_end || last || (o.eval_every > 0 && run.step % o.eval_every == 0)) evaluate();
            if (epoch_end || last || (o.save_every > 0 && run.step % o.save_every == 0)) checkpoint();
        }
    } catch (const c10::Error& e) {
        const std::string what = e.what_without_backtrace();
        if (what.find("out of memory") != std::string::npos)
            throw UsageError("the GPU ran out of memory: use a smaller --batch-size or --block-size (with "
                             "--grad-accum to keep the effective batch), or a smaller model");
        throw;
    }

    // A LoRA run's result is the voice alone: PEFT's adapter folder, a few megabytes.
    summary.model_dir = o.out / (run.model->is_lora() ? "adapter" : "model");
    summary.steps = run.step;
    if (!ranks.writer()) return summary;
    {
        AtomicFolderWriter writer(summary.model_dir, true);
        nlohmann::json c = card;
        c["steps"] = run.step;
        if (run.model->is_lora()) {
            run.model->save_adapter(writer.dir(), path_key(o.model_dir));
            writer.commit("adapter", c);
        } else {
            run.model->save_safetensors(writer.dir() / "model.safetensors");
            write_hf_folder_files(in.config, in.folder.dir, writer.dir());
            writer.commit("model", c);
        }
    }
    TrainEvent e;
    e.kind = TrainEvent::Kind::Finished;
    e.path = summary.model_dir;
    emit(e);
    return summary;
}

} // namespace

TrainSummary train(const TrainOptions& options, const TrainCallback& on_event, const std::atomic<bool>* stop) {
    const std::optional<DistEnv> env = dist_env_from_environment();
    if (!env || env->world_size <= 1) return train_ranks(options, on_event, stop, Ranks{});
    TrainOptions o = options;
    if (o.engine.threads <= 0) o.engine.threads = threads_per_rank(*env);
    if (o.dist_timeout < 1) throw UsageError("--dist-timeout must be at least 1 second");
    // The group's backend follows the device: NCCL for CUDA, Gloo for the CPU.
    const Placement placement = resolve_placement(o.engine.device, o.engine.precision, o.engine.threads);
    ProcessGroup group(*env, placement.device, std::chrono::seconds(o.dist_timeout));
    Ranks ranks;
    ranks.group = &group;
    ranks.rank = group.rank();
    ranks.world = group.world_size();
    ranks.local_rank = env->local_rank;
    return train_ranks(o, on_event, stop, ranks);
}

void refuse_on_every_rank(const TrainOptions& o, const std::string& message) {
    const std::optional<DistEnv> env = dist_env_from_environment();
    if (env && env->world_size > 1) {
        // The other ranks meet this where train_ranks() gathers every
        // rank's checks: the first collective of a run.
        const Placement placement = resolve_placement(o.engine.device, o.engine.precision, 1);
        ProcessGroup group(*env, placement.device, std::chrono::seconds(std::max(1, o.dist_timeout)));
        const nlohmann::json mine = {{"failure", {{"kind", "usage"}, {"message", message}}}};
        group.all_gather_text(mine.dump());
    }
    throw UsageError(message);
}

// This process's resident bytes (/proc/self/statm); 0 when unknown.
static int64_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    int64_t size = 0, resident = 0;
    if (!(statm >> size >> resident)) return 0;
    return resident * int64_t(sysconf(_SC_PAGESIZE));
}

PrepareReport prepare(const TrainOptions& o, int timed_steps) {
    validate_train_options(o);
    Loaded in = load_inputs(o, true);
    PrepareReport r;
    if (in.dataset) r.stats = in.dataset->stats(o.batch_size, o.grad_accum, &in.collection);
    r.problems = in.collection.problems;
    r.cache_hit = in.cache_hit;
    const Placement placement = resolve_placement(o.engine.device, o.engine.precision, o.engine.threads);
    r.placement = placement.describe();
    r.memory = estimate_training_memory(in.config, o.batch_size, in.block_size, placement.precision != Precision::FP32,
                                        o.lora ? &o.lora_settings : nullptr, frozen_bytes(o, in.folder, placement));
    // What is resident before the model: libtorch (about 0.1 GiB on the CPU,
    // 0.5 GiB with CUDA's libraries), the tokenized stories, the process.
    r.memory.runtime = resident_bytes();
    if (timed_steps > 0 && r.memory.total() < available_memory_bytes()) {
        Run run(o, in);
        run.train_step(); // warms up allocations and kernels; not timed
        const auto t0 = Clock::now();
        for (int i = 0; i < timed_steps; ++i) run.train_step();
        r.seconds_per_step = seconds_since(t0) / timed_steps;
        r.seconds_per_epoch = r.seconds_per_step * double(run.steps_per_epoch);
    }
    return r;
}

namespace {

// The windows as evaluate() cuts them, each scored by the inference engine
// from an empty cache: int8 weights have no autograd, and the adapters then
// apply on top of them in fp32, as when generating.
EvalResult evaluate_in_engine(const ModelFolder& folder, const Tokenizer& tokenizer, const Collection& collection,
                              const EngineOptions& engine, const std::vector<AdapterChoice>& adapters) {
    EngineOptions options = engine;
    options.max_context = folder.config.n_positions;
    const std::unique_ptr<CausalLM> model = CausalLM::load(folder, options);
    if (!adapters.empty()) model->set_adapters(adapters);
    const int W = folder.config.n_positions;
    const size_t V = size_t(folder.config.vocab_size);
    const size_t chunk = 256; // positions per forward: bounds the logits held at once
    EvalResult r;
    double sum = 0;
    for (const Story& s : collection.stories) {
        std::vector<int32_t> ids = tokenizer.encode(s.text);
        ids.push_back(tokenizer.end_of_text_id());
        for (size_t begin = 0; begin + 1 < ids.size(); begin += W) {
            const size_t n = std::min<size_t>(W, ids.size() - begin);
            model->reset();
            for (size_t at = 0; at + 1 < n; at += chunk) {
                const size_t m = std::min(chunk, n - 1 - at);
                const std::vector<float> logits = model->forward_all({ids.data() + begin + at, m});
                for (size_t j = 0; j < m; ++j) {
                    const float* row = logits.data() + j * V;
                    const float top = *std::max_element(row, row + V);
                    double z = 0;
                    for (size_t v = 0; v < V; ++v) z += std::exp(double(row[v]) - top);
                    sum += std::log(z) + top - double(row[ids[begin + at + j + 1]]);
                }
                r.tokens += int64_t(m);
            }
        }
        ++r.stories;
    }
    if (r.tokens == 0) throw UsageError("nothing to evaluate: every story is empty");
    r.loss = sum / double(r.tokens);
    r.perplexity = std::exp(r.loss);
    return r;
}

} // namespace

EvalResult evaluate(const fs::path& model_dir, const fs::path& data, const ReadOptions& read_options,
                    const EngineOptions& engine, const std::vector<AdapterChoice>& adapters) {
    const ModelFolder folder = ModelFolder::inspect(model_dir);
    Tokenizer tokenizer = folder.load_tokenizer();
    ReadOptions read = read_options;
    read.deduplicate = false;
    Collection collection = read_stories(data, read);
    if (engine.precision == Precision::Int8) return evaluate_in_engine(folder, tokenizer, collection, engine, adapters);
    const Placement placement = resolve_placement(engine.device, engine.precision, engine.threads);
    const at::Device device = placement.device == DeviceKind::CUDA ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    TrainModel model = TrainModel::from_folder(folder, device);
    for (const AdapterChoice& a : adapters) { // merged: the same function, one pass per token
        model.load_lora(AdapterFolder::inspect(a.dir), a.weight);
        model.merge_lora();
    }
    at::NoGradGuard no_grad;
    const int W = folder.config.n_positions;
    EvalResult r;
    double sum = 0;
    for (const Story& s : collection.stories) {
        std::vector<int32_t> ids = tokenizer.encode(s.text);
        ids.push_back(tokenizer.end_of_text_id());
        for (size_t begin = 0; begin + 1 < ids.size(); begin += W) {
            const size_t n = std::min<size_t>(W, ids.size() - begin);
            std::vector<int32_t> window(ids.begin() + begin, ids.begin() + begin + n);
            at::Tensor t = to_tensor(window, 1, int(n), device);
            AutocastScope autocast(device, placement.precision);
            auto [loss, count] = model.loss_sum(t, t, false);
            sum += loss.item<double>();
            r.tokens += count;
        }
        ++r.stories;
    }
    if (r.tokens == 0) throw UsageError("nothing to evaluate: every story is empty");
    r.loss = sum / double(r.tokens);
    r.perplexity = std::exp(r.loss);
    return r;
}

namespace {

nlohmann::json card_of(const fs::path& folder) {
    if (fs::exists(folder / kFolderMarker)) {
        nlohmann::json marker = nlohmann::json::parse(read_file(folder / kFolderMarker), nullptr, false);
        if (marker.is_object() && marker.contains("card") && marker["card"].is_object()) return marker["card"];
    }
    return nlohmann::json::object();
}

// The base with every adapter added into its weights, one after another.
TrainModel merged_model(const ModelFolder& base, const std::vector<AdapterChoice>& adapters) {
    TrainModel model = TrainModel::from_folder(base, at::Device(at::kCPU));
    for (const AdapterChoice& a : adapters) {
        model.load_lora(AdapterFolder::inspect(a.dir), a.weight);
        model.merge_lora();
    }
    return model;
}

void write_merged(const ModelFolder& base, const std::vector<AdapterChoice>& adapters, AtomicFolderWriter& writer,
                  nlohmann::json card) {
    TrainModel model = merged_model(base, adapters);
    model.save_safetensors(writer.dir() / "model.safetensors");
    write_hf_folder_files(base.config, base.dir, writer.dir());
    nlohmann::json merged = nlohmann::json::array();
    for (const AdapterChoice& a : adapters)
        merged.push_back({{"adapter", fs::absolute(a.dir).lexically_normal().string()}, {"weight", a.weight}});
    card["merged_adapters"] = merged;
    if (!card.contains("base_model")) card["base_model"] = fs::absolute(base.dir).lexically_normal().string();
    writer.commit("model", card);
}

} // namespace

void export_checkpoint(const fs::path& checkpoint, const fs::path& out, bool overwrite, bool merge) {
    if (!fs::exists(checkpoint / "trainer_state.json"))
        throw FileError(checkpoint.string(), "is not a complete Fabula checkpoint (no trainer_state.json)");
    std::error_code ec;
    if (fs::exists(out, ec) && fs::equivalent(checkpoint, out, ec))
        throw UsageError("--out is the checkpoint itself; export into another folder");
    const bool lora = AdapterFolder::is_adapter(checkpoint);
    if (merge && !lora) throw UsageError("--merge: " + checkpoint.string() + " is a full model, with no adapter to merge");
    AtomicFolderWriter writer(out, overwrite); // refuses a folder it may not replace before any work
    const TrainerState state = read_trainer_state(checkpoint / "trainer_state.json");
    nlohmann::json card = card_of(checkpoint);
    card["steps"] = state.step;
    card["exported_from"] = fs::absolute(checkpoint).lexically_normal().string();
    if (lora) {
        const std::string base = card.value("base_model", std::string());
        if (merge) {
            if (base.empty() || !fs::is_directory(base))
                throw UsageError("--merge: the base model this adapter was trained on (" +
                                 (base.empty() ? std::string("not recorded") : base) +
                                 ") is not there; use export --model BASE --adapter " + checkpoint.string() + " --merge");
            write_merged(ModelFolder::inspect(base), {{checkpoint, 1.0}}, writer, card);
            return;
        }
        const AdapterFolder adapter = AdapterFolder::inspect(checkpoint);
        for (const char* name : {kAdapterConfigFile, kAdapterWeightsFile}) {
            fs::copy_file(checkpoint / name, writer.dir() / name, fs::copy_options::overwrite_existing, ec);
            if (ec) throw FileError((writer.dir() / name).string(), "cannot write the adapter: " + ec.message());
        }
        writer.commit("adapter", card);
        return;
    }
    const ModelFolder folder = ModelFolder::inspect(checkpoint);
    TrainModel model = TrainModel::from_folder(folder, at::Device(at::kCPU));
    model.save_safetensors(writer.dir() / "model.safetensors");
    write_hf_folder_files(folder.config, checkpoint, writer.dir());
    writer.commit("model", card);
}

void export_merged(const fs::path& base_dir, const std::vector<AdapterChoice>& adapters, const fs::path& out,
                   bool overwrite) {
    if (adapters.empty()) throw UsageError("--merge needs at least one --adapter");
    const ModelFolder base = ModelFolder::inspect(base_dir);
    for (const AdapterChoice& a : adapters) AdapterFolder::inspect(a.dir).check_fits(base); // before any work
    AtomicFolderWriter writer(out, overwrite);
    nlohmann::json card = nlohmann::json::object();
    card["base_model"] = fs::absolute(base_dir).lexically_normal().string();
    write_merged(base, adapters, writer, card);
}

PreferenceEval evaluate_preferences(const fs::path& model_dir, const fs::path& ref_dir, const fs::path& pairs_file,
                                    double beta, const EngineOptions& engine) {
    if (!(beta > 0) || !std::isfinite(beta)) throw UsageError("--beta must be above 0");
    const ModelFolder folder = ModelFolder::inspect(model_dir);
    const Tokenizer tokenizer = folder.load_tokenizer();
    const int context = folder.config.n_positions;
    const PreferenceSet set = read_preference_file(pairs_file, ObjectiveKind::DPO, tokenizer, context);
    // fp32 unless asked: the figures compare models, and 16-bit rounding moves them.
    if (engine.precision == Precision::Int8)
        throw UsageError("prefs-eval runs in fp32, bf16 or fp16: its log-probabilities are training's (int8 is for "
                         "generation and eval)");
    const Precision wanted = engine.precision == Precision::Auto ? Precision::FP32 : engine.precision;
    const Placement placement = resolve_placement(engine.device, wanted, engine.threads);
    const at::Device device = placement.device == DeviceKind::CUDA ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    TrainModel model = TrainModel::from_folder(folder, device);
    std::unique_ptr<Reference> ref;
    if (!ref_dir.empty()) {
        const ModelFolder rf = ModelFolder::inspect(ref_dir);
        if (rf.config.vocab_size != folder.config.vocab_size)
            throw UsageError("--ref " + ref_dir.string() + " does not share the model's vocabulary");
        ref = std::make_unique<Reference>(std::make_unique<TrainModel>(TrainModel::from_folder(rf, device)), nullptr);
    }
    ObjectiveSettings s;
    s.kind = ObjectiveKind::DPO;
    s.max_length = context;
    s.pad_id = tokenizer.end_of_text_id();
    s.beta = beta;
    // Only its batches: the margins here need no reference cache or loss.
    std::unique_ptr<Objective> pairs =
        make_preference_objective(set, s, std::make_unique<Reference>(nullptr, &model));
    at::NoGradGuard no_grad;
    PreferenceEval r;
    r.pairs = set.pairs.size();
    r.truncated = set.truncated;
    r.dropped = set.dropped;
    const int B = 4;
    double loss = 0, chosen = 0, rejected = 0, correct = 0;
    for (size_t begin = 0; begin < r.pairs; begin += B) {
        std::vector<size_t> rows;
        for (size_t i = begin; i < std::min(r.pairs, begin + B); ++i) rows.push_back(i);
        const ObjectiveBatch b = pairs->batch(Split::Train, rows);
        at::Tensor ids = to_tensor(b.input_ids, b.rows, b.cols, device);
        at::Tensor labels = to_tensor(b.labels, b.rows, b.cols, device);
        at::Tensor logps, ref_logps;
        {
            AutocastScope autocast(device, placement.precision);
            logps = model.sequence_logprobs(ids, labels, false).to(at::kDouble);
            ref_logps = ref ? ref->sequence_logprobs(ids, labels).to(at::kDouble) : at::zeros_like(logps);
        }
        const int64_t n = b.rows / 2;
        at::Tensor rc = beta * (logps.narrow(0, 0, n) - ref_logps.narrow(0, 0, n));
        at::Tensor rr = beta * (logps.narrow(0, n, n) - ref_logps.narrow(0, n, n));
        loss += (-at::log_sigmoid(rc - rr)).sum().item<double>();
        chosen += rc.sum().item<double>();
        rejected += rr.sum().item<double>();
        correct += rc.gt(rr).sum().item<double>();
    }
    const double N = double(std::max<size_t>(1, r.pairs));
    r.loss = loss / N;
    r.rewards_chosen = chosen / N;
    r.rewards_rejected = rejected / N;
    r.accuracy = correct / N;
    r.margin = (chosen - rejected) / N;
    return r;
}

} // namespace fabula::training
