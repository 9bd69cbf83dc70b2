#include "training/export_job.h"

#include "core/atomic_file.h"
#include "core/atomic_folder.h"
#include "core/error.h"
#include "core/json_file.h"
#include "core/lora.h"
#include "core/model_folder.h"
#include "training/dataset.h"
#include "training/preference_data.h"
#include "training/token_cache.h"
#include "training/train_contract.h"

#include <nlohmann/json.hpp>

#include <string>

namespace fabula::training {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kJobKind = "training-job";

fs::path absolute_path(const fs::path& p) {
    if (p.empty()) return p;
    std::error_code ec;
    fs::path a = fs::weakly_canonical(fs::absolute(p), ec);
    return ec ? fs::absolute(p) : a;
}

// A Fabula folder of another kind (a model, an adapter) is never replaced by
// a job, with or without --overwrite: the writer asked for a job folder.
void check_job_destination(const fs::path& dir, bool overwrite) {
    std::string foreign;
    const FolderState state = inspect_destination(dir, &foreign);
    if (state != FolderState::Fabula) {
        check_destination(dir, overwrite); // missing/empty pass; the rest throws its message
        return;
    }
    std::string kind;
    try {
        kind = read_json_file(dir / kFolderMarker).value("kind", "");
    } catch (const std::exception&) {
    }
    if (kind != kJobKind)
        throw UsageError(dir.string() + " holds " + (kind.empty() ? "a folder" : "a " + kind) +
                         " Fabula wrote, not an exported job; choose a new or empty folder for the job");
    if (!overwrite)
        throw UsageError(dir.string() + " already holds an exported job; add --overwrite to replace it (its "
                         "output/ stays), or choose a new folder");
}

void check_recipe(const TrainOptions& o) {
    auto bad = [](const std::string& m) { throw UsageError(m); };
    if (o.resume) bad("--resume continues a run here; an exported job resumes with train.py --resume");
    if (o.lm_mix > 0 || !o.stories.empty())
        bad("--lm-mix has no counterpart in TRL's trainers, so the job could not run the same recipe: export "
            "without --lm-mix and --stories");
    if (o.from_scratch && o.config_file.empty()) bad("--from-scratch needs --config FILE for the new model");
    validate_train_options(o);
}

std::string story_lines(const std::vector<Story>& stories) {
    std::string out;
    for (const Story& s : stories) out += json{{"text", s.text}}.dump() + "\n";
    return out;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

std::string readme(const TrainOptions& o, const json& train, const fs::path& dir, const std::string& summary) {
    const std::string model = train.value("model", std::string());
    const bool lora = train.contains("lora") && !train["lora"].is_null();
    const std::string result = lora ? "output/adapter" : "output/model";
    std::string r;
    r += "A Fabula training job for Hugging Face Accelerate, written by `fabula-cli train --export-job`.\n\n";
    r += summary + "\n\n";
    r += "Files\n"
         "  data.jsonl               the data: " +
         std::string(o.objective == ObjectiveKind::LM ? "the stories as Fabula read them, {\"text\": ...} per line"
                                                      : "the feedback set as given") +
         "\n"
         "  settings.json            the recipe: \"fabula_options\" in fabula-cli's flag names, \"train\" as train.py "
         "reads it\n"
         "  train.py                 runs the recipe with transformers' Trainer" +
         std::string(o.objective == ObjectiveKind::LM ? "" : " (TRL's trainer for " + std::string(to_string(o.objective)) + ")") +
         (lora ? ", PEFT for the LoRA adapter" : "") +
         "\n"
         "  accelerate_ddp.yaml      data parallel: the whole model on every GPU (tested)\n"
         "  accelerate_fsdp.yaml     FSDP2: weights, gradients and optimizer sharded over the GPUs\n"
         "  accelerate_deepspeed.yaml + deepspeed_zero2.json   DeepSpeed ZeRO-2 (pip install deepspeed)\n\n";
    r += "Needs Python with torch, transformers, accelerate" + std::string(lora ? ", peft" : "") +
         std::string(o.objective == ObjectiveKind::LM ? "" : ", trl, datasets") +
         " (the versions Fabula's\nparity tests use: transformers 5.23, trl 1.16, peft 0.21, accelerate 1.15).\n\n";
    r += "Run it in this folder (the configs' paths are relative to it):\n"
         "  cd " + dir.string() + "\n"
         "  # one machine, every GPU (N of them):\n"
         "  accelerate launch --config_file accelerate_ddp.yaml --num_processes N train.py\n"
         "  # several machines: the same on each, with its rank\n"
         "  accelerate launch --config_file accelerate_ddp.yaml --num_machines M --machine_rank R \\\n"
         "      --main_process_ip HOST0 --main_process_port 29500 --num_processes TOTAL train.py\n"
         "  # a model too big to train on one GPU\n"
         "  accelerate launch --config_file accelerate_fsdp.yaml --num_processes N train.py\n"
         "  # on CPUs only, two processes (a check before renting GPUs; accelerate's --cpu would\n"
         "  # start a single process unless MPI is set up)\n"
         "  CUDA_VISIBLE_DEVICES= accelerate launch --config_file accelerate_ddp.yaml --num_processes 2 train.py\n\n";
    r += "The batch size in settings.json is per process: N processes train with global batches of\n"
         "N x that size, the same rows in the same order as `fabula-cli train --batch-size N x that size`\n"
         "(or N ranks of Fabula's own data-parallel training). To keep the recipe on more GPUs, lower\n"
         "gradient_accumulation_steps or the batch size in settings.json.\n\n";
    if (!model.empty())
        r += "The starting model is read from " + model + "; where it lives elsewhere on the cluster,\n"
             "copy the folder there and add --model DIR (the same files: train.py checks that it cuts\n"
             "the data into the rows Fabula counted).\n\n";
    r += "train.py --resume continues from the newest checkpoint in output/checkpoints; --output DIR\n"
         "puts everything elsewhere; --precision fp32|bf16|fp16 overrides the recipe's.\n\n";
    r += "The result, " + result + ", is a folder Fabula loads as it is:\n";
    if (lora)
        r += "  fabula-cli generate --model " + (model.empty() ? std::string("BASE") : model) + " --adapter " +
             (dir / result).string() + " --prompt \"...\"\n";
    else
        r += "  fabula-cli eval --model " + (dir / result).string() + " --data held-out.jsonl\n"
             "  fabula-cli generate --model " + (dir / result).string() + " --prompt \"...\"\n";
    r += "output/metrics.jsonl has the loss of every logged step, like a Fabula run's metrics.jsonl.\n";
    return r;
}

} // namespace

void export_job(const TrainOptions& o, const fs::path& dir, bool overwrite) {
    check_recipe(o);
    check_job_destination(dir, overwrite);

    ModelFolder folder;
    ModelConfig config;
    if (o.from_scratch) {
        config = ModelConfig::from_file(o.config_file);
        folder.dir = o.model_dir.empty() ? o.config_file.parent_path() : o.model_dir;
        folder.config = config;
    } else {
        if (o.model_dir.empty()) throw UsageError("--model DIR is required");
        folder = ModelFolder::inspect(o.model_dir);
        config = folder.config;
    }
    const Tokenizer tokenizer = folder.load_tokenizer();
    const int block_size = o.block_size > 0 ? o.block_size : std::min(512, config.n_positions);
    if (block_size > config.n_positions)
        throw UsageError("block size " + std::to_string(block_size) + " is above the model's context of " +
                         std::to_string(config.n_positions) + " tokens");
    if (block_size < 2) throw UsageError("block size must be at least 2");

    json data = {{"file", "data.jsonl"},
                 {"eot_id", tokenizer.end_of_text_id()},
                 {"bos_id", tokenizer.adds_bos() && tokenizer.bos_id() ? json(*tokenizer.bos_id()) : json(nullptr)},
                 {"block_size", block_size},
                 {"batching", o.batching == Batching::Pack ? "pack" : "pad"},
                 {"val_fraction", o.val_fraction},
                 {"seed", o.seed},
                 {"min_stories_for_story_split", kMinStoriesForStorySplit}};
    std::string data_text, summary;
    if (o.objective == ObjectiveKind::LM) {
        ReadOptions read = o.read;
        read.deduplicate = true; // as train() reads them
        const Collection collection = read_stories(o.data, read);
        TokenizeOptions topt;
        topt.cache_dir = o.cache_dir;
        TokenizedStories ids = tokenize_stories(collection.stories, tokenizer, tokenizer_files_in(folder.dir),
                                                Tokenizer::EndOfText::Special, topt);
        DatasetOptions dopt;
        dopt.block_size = block_size;
        dopt.batching = o.batching;
        dopt.val_fraction = o.val_fraction;
        dopt.seed = o.seed;
        const Dataset dataset(std::move(ids), tokenizer.end_of_text_id(), dopt);
        if (dataset.rows(Split::Train) == 0) throw UsageError("no training text left after the validation split");
        const DatasetStats st = dataset.stats(o.batch_size, o.grad_accum, &collection);
        // train.py rebuilds the rows with its tokenizer; equal counts say it cut the same text into the same rows.
        data["expected"] = {{"train_rows", st.train.rows}, {"val_rows", st.val.rows},
                            {"train_tokens", st.train.tokens}, {"val_tokens", st.val.tokens}};
        data["split"] = st.split == SplitKind::ByStory ? "story" : st.split == SplitKind::ByBlock ? "block" : "none";
        data_text = story_lines(collection.stories);
        summary = std::to_string(collection.stories.size()) + " stories, " + std::to_string(st.train.rows) +
                  " training rows of up to " + std::to_string(block_size) + " tokens, " +
                  std::to_string(st.val.rows) + " held out.";
    } else {
        const PreferenceSet set = read_preference_file(o.data, o.objective, tokenizer, block_size);
        std::vector<size_t> train_ids, val_ids;
        // Over the file's lines; TRL drops the same too-long prompts Fabula does, after the split.
        split_examples(set.lines, o.val_fraction, o.seed, train_ids, val_ids);
        data["val_examples"] = val_ids;
        data["expected"] = {{"examples", set.size()}, {"dropped", set.dropped}, {"truncated", set.truncated}};
        data_text = read_file(o.data);
        summary = std::to_string(set.lines) + " " + to_string(o.objective) + " examples from " + o.data.string() +
                  ", " + std::to_string(val_ids.size()) + " held out.";
    }

    json train = {{"objective", to_string(o.objective)},
                  {"data", data},
                  {"from_scratch", o.from_scratch},
                  {"learning_rate", o.lr},
                  {"lr_scheduler_type", "linear"},
                  {"warmup_steps", o.warmup_steps},
                  {"weight_decay", o.weight_decay},
                  {"max_grad_norm", o.max_grad_norm},
                  // training/optimizer.h's AdamW, the Trainer's defaults.
                  {"adam_beta1", 0.9},
                  {"adam_beta2", 0.999},
                  {"adam_epsilon", 1e-8},
                  {"epochs", o.epochs},
                  {"max_steps", o.max_steps},
                  {"per_device_train_batch_size", o.batch_size},
                  {"gradient_accumulation_steps", o.grad_accum},
                  {"seed", o.seed},
                  {"precision", to_string(o.engine.precision)},
                  {"eval_steps", o.eval_every},
                  {"save_steps", o.save_every},
                  {"save_total_limit", o.keep_checkpoints},
                  {"logging_steps", o.log_every},
                  {"beta", o.beta},
                  {"desirable_weight", o.desirable_weight},
                  {"undesirable_weight", o.undesirable_weight}};
    if (!o.model_dir.empty()) train["model"] = absolute_path(o.model_dir).string();
    if (o.from_scratch) train["config"] = absolute_path(o.config_file).string();
    if (!o.ref_dir.empty()) {
        ModelFolder::inspect(o.ref_dir); // a missing or broken reference is refused now, not on the cluster
        train["ref"] = absolute_path(o.ref_dir).string();
    }
    if (o.lora) {
        LoraSettings ls = o.lora_settings;
        if (ls.targets.empty()) ls.targets = default_lora_targets(config);
        lora_modules(config, ls.targets); // targets that match nothing are refused by name
        json lora = {{"r", ls.r}, {"alpha", ls.alpha}, {"dropout", ls.dropout}, {"targets", ls.targets},
                     {"use_rslora", ls.rslora},
                     // GPT-2's Conv1D stores weights transposed; PEFT must be told.
                     {"fan_in_fan_out", config.family == Family::Gpt2},
                     {"start_adapter", o.start_adapter.empty() ? json(nullptr)
                                                               : json(absolute_path(o.start_adapter).string())},
                     {"voice", o.voice}};
        train["lora"] = lora;
    } else {
        train["lora"] = nullptr;
    }

    TrainOptions recipe = o; // its paths as this machine resolves them
    for (fs::path* p : {&recipe.model_dir, &recipe.config_file, &recipe.data, &recipe.ref_dir, &recipe.start_adapter})
        *p = absolute_path(*p);
    json fabula_options = to_options_json(recipe);
    for (const char* machine_only : {"out", "cache-dir", "resume", "threads"}) fabula_options.erase(machine_only);
    const json settings = {{"written_by", "fabula-cli train --export-job"},
                           {"version", fabula_version()},
                           {"fabula_options", fabula_options},
                           {"train", train}};

    AtomicFolderWriter writer(dir, overwrite);
    const fs::path& tmp = writer.dir();
    write_file_atomically(tmp / "data.jsonl", data_text);
    write_file_atomically(tmp / "settings.json", settings.dump(2) + "\n");
    const std::string processes = std::to_string(std::max(1, o.nproc_per_node));
    for (const JobFile& f : job_template_files())
        write_file_atomically(tmp / f.name, replaced(f.content, "@NUM_PROCESSES@", processes));
    fs::permissions(tmp / "train.py", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
    write_file_atomically(tmp / "README.txt", readme(o, train, absolute_path(dir), summary));
    writer.commit(kJobKind, {{"objective", to_string(o.objective)}, {"lora", o.lora}});
}

} // namespace fabula::training
