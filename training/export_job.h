#pragma once
// A training run written out as a job for a cluster's own stack instead of
// being run: the data as JSON Lines, the exact recipe (settings.json), and a
// train.py with accelerate configs that run the same recipe with Hugging
// Face's Trainer (TRL for sft/dpo/kto, PEFT for LoRA) under `accelerate
// launch`. Its output is a model or adapter folder Fabula loads as it is.
// No libtorch or Qt here: the recipe is checked and the data read, not trained.
#include "training/trainer.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fabula::training {

// The files of a job folder besides the data: name and content (the
// train.py template and the accelerate configs of resources/job/, built in).
struct JobFile {
    const char* name;
    const char* content;
};
const std::vector<JobFile>& job_template_files();

// Writes the job into `dir` through the atomic folder writer: refused when
// `dir` is not empty and was not written by Fabula, or holds a job and
// `overwrite` is not set (UsageError naming it). The data is read, checked
// and tokenized as train() would (a bad recipe or unreadable stories are
// refused the same way), so what the job trains on is what Fabula would.
// Files: data.jsonl (the stories as read, {"text": ...} per line; with
// sft/dpo/kto the feedback set as given), stories.jsonl (--stories of
// --lm-mix), settings.json, train.py, accelerate_{ddp,fsdp,deepspeed}.yaml,
// README.txt.
void export_job(const TrainOptions& options, const std::filesystem::path& dir, bool overwrite);

} // namespace fabula::training
