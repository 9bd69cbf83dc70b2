#pragma once
// Resumable checkpoints of a training run: out/checkpoints/step-N/ holds a
// Hugging Face folder of the weights plus the optimizer moments and the
// trainer's state. Written through the atomic folder writer, so a crash
// leaves either the whole checkpoint or none. Internal (includes ATen).
#include "training/optimizer.h"
#include "training/train_model.h"
#include "training/trainer_state.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>

namespace fabula::training {

// Writes step-<step> under checkpoints_dir and keeps the newest `keep`;
// `card` goes into the checkpoint's fabula.json.
std::filesystem::path save_checkpoint(const std::filesystem::path& checkpoints_dir, int64_t step,
                                      TrainModel& model, AdamW& optimizer, TrainerState state,
                                      const std::filesystem::path& tokenizer_dir, int keep,
                                      const nlohmann::json& card);

// The newest complete checkpoint, if any.
std::optional<std::filesystem::path> latest_checkpoint(const std::filesystem::path& checkpoints_dir);

// Restores weights and optimizer moments; returns the trainer state.
TrainerState load_checkpoint(const std::filesystem::path& dir, TrainModel& model, AdamW& optimizer);

} // namespace fabula::training
