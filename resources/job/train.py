#!/usr/bin/env python3
"""Fabula's training recipe, run by Hugging Face's Trainer (TRL's for sft, dpo
and kto; PEFT for LoRA) under `accelerate launch`.

Written by `fabula-cli train --export-job`: settings.json beside this file
holds the recipe, data.jsonl the data. The data pipeline is Fabula's: the same
tokenizer, each story followed by one end-of-text, packed into blocks (or one
padded story per row), the same seeded train/validation split and the same
shuffled order of rows, drawn as global batches of per-device batch x
processes (rank r takes the r-th share). The loss of a step is the mean over
every predicted token of the global batch and its accumulated micro-batches,
so N processes with batch b train as Fabula does with batch N x b.

    accelerate launch --config_file accelerate_ddp.yaml train.py [--model DIR] [--output DIR]

The result is OUTPUT/model (or OUTPUT/adapter with LoRA), a folder Fabula
loads as it is; OUTPUT/metrics.jsonl has one line per logged step.
"""
import argparse
import json
import math
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The tokenizer files a model folder may hold; copied beside the trained weights.
TOKENIZER_FILES = ("tokenizer.json", "vocab.json", "merges.txt", "tokenizer.model", "tokenizer_config.json",
                   "special_tokens_map.json", "added_tokens.json")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--settings", type=Path, default=HERE / "settings.json", help="the recipe (default: beside train.py)")
    p.add_argument("--model", type=Path, help="the starting model folder, when it lives elsewhere on this machine")
    p.add_argument("--adapter", type=Path, help="the adapter to continue, when it lives elsewhere on this machine")
    p.add_argument("--ref", type=Path, help="dpo/kto: the reference model, when it lives elsewhere on this machine")
    p.add_argument("--output", type=Path, default=HERE / "output", help="where checkpoints/, model/ (or adapter/) "
                   "and metrics.jsonl go (default: JOB/output)")
    p.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in OUTPUT/checkpoints")
    p.add_argument("--precision", choices=("auto", "fp32", "bf16", "fp16"),
                   help="override the recipe's precision (auto: bf16 on GPUs that have it, else fp16; fp32 on CPUs)")
    p.add_argument("--skip-data-check", action="store_true",
                   help="train even when the rows differ from the ones Fabula counted (another tokenizer)")
    p.add_argument("--dump-batches", type=Path, help=argparse.SUPPRESS)  # tests: each rank's micro-batches
    return p.parse_args(argv)


# ---- Fabula's seeded choices (training/dataset.cpp), bit for bit -------------

M64 = (1 << 64) - 1
SPLIT_STREAM, EPOCH_STREAM = 1, 1000


def _splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


class Rng:
    def __init__(self, seed, stream):
        self.state = _splitmix64(seed & M64)[1] ^ _splitmix64((stream ^ 0x6A09E667F3BCC909) & M64)[1]

    def below(self, bound):
        threshold = ((1 << 64) - bound) % bound
        while True:
            self.state, r = _splitmix64(self.state)
            if r >= threshold:
                return r % bound


def shuffled(n, rng):
    v = list(range(n))
    for i in range(n, 1, -1):
        j = rng.below(i)
        v[i - 1], v[j] = v[j], v[i - 1]
    return v


def hold_out(n, fraction, seed):
    """(kept, held out) indices of range(n), both ascending."""
    if fraction <= 0 or n < 2:
        return list(range(n)), []
    order = shuffled(n, Rng(seed, SPLIT_STREAM))
    x = fraction * n
    count = math.floor(x) + (1 if x - math.floor(x) >= 0.5 else 0)  # llround
    count = min(max(count, 1), n - 1)
    return sorted(order[count:]), sorted(order[:count])


def epoch_order(rows, seed, epoch):
    return shuffled(rows, Rng(seed, EPOCH_STREAM + epoch))


# ---- data --------------------------------------------------------------------

def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def tokenize_stories(tok, texts, bos_id):
    ids = tok(texts, add_special_tokens=False)["input_ids"] if texts else []
    return [([bos_id] + x if bos_id is not None else x) for x in ids]


def packed(stories, eot, block):
    stream = []
    for ids in stories:
        stream += ids
        stream.append(eot)
    return [stream[i:i + block] for i in range(0, len(stream), block)]


def lm_rows(stories, d):
    """(train rows, validation rows, split kind) exactly as Fabula's Dataset."""
    eot, block, fraction, seed = d["eot_id"], d["block_size"], d["val_fraction"], d["seed"]
    if d["batching"] == "pad":
        rows = [(ids + [eot])[:block] for ids in stories]
        kept, held = hold_out(len(rows), fraction, seed)
        return [rows[i] for i in kept], [rows[i] for i in held], "story" if held else "none"
    if fraction > 0 and len(stories) >= d["min_stories_for_story_split"]:
        kept, held = hold_out(len(stories), fraction, seed)
        return (packed([stories[i] for i in kept], eot, block), packed([stories[i] for i in held], eot, block),
                "story")
    rows = packed(stories, eot, block)
    kept, held = hold_out(len(rows), fraction, seed)
    return [rows[i] for i in kept], [rows[i] for i in held], "block" if held else "none"


class Rows:
    """A list of rows as a map-style dataset."""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return {"input_ids": self.rows[i]}


def make_collate(pad_id):
    import torch

    def collate(items):
        width = max(len(x["input_ids"]) for x in items)
        ids = torch.full((len(items), width), pad_id, dtype=torch.long)
        labels = torch.full((len(items), width), -100, dtype=torch.long)
        mask = torch.zeros((len(items), width), dtype=torch.long)
        for r, x in enumerate(items):
            n = len(x["input_ids"])
            ids[r, :n] = labels[r, :n] = torch.tensor(x["input_ids"], dtype=torch.long)
            mask[r, :n] = 1
        batch = {"input_ids": ids, "labels": labels}
        if not bool(mask.all()):  # without padding Fabula attends causally without a mask, and so does this
            batch["attention_mask"] = mask
        return batch

    return collate


def fabula_order_sampler(rows, seed):
    """Fabula's epoch orders. accelerate cuts the stream into per-device batches
    and deals them round robin, so each global batch is the next per-device x
    processes rows of this order and rank r gets the r-th share."""
    import torch

    class FabulaOrder(torch.utils.data.Sampler):
        def __init__(self):
            self.epoch = 0

        def set_epoch(self, epoch):
            self.epoch = epoch

        def __len__(self):
            return rows

        def __iter__(self):
            return iter(epoch_order(rows, seed, self.epoch))

    return FabulaOrder()


def fabula_trainer(base, seed, dump=None):
    """base (Trainer or a TRL trainer) drawing rows in Fabula's order and
    averaging each step over its predicted tokens."""

    class FabulaTrainer(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # transformers 5 counts a step's tokens before the causal shift for
            # models without a loss_type (GPT-2): one token per row too many.
            # The loss averages over predicted tokens, and so does Fabula.
            if base.__name__ == "Trainer":
                self._loss_shifts_labels = True

        def _get_train_sampler(self, train_dataset=None):
            ds = train_dataset if train_dataset is not None else self.train_dataset
            return fabula_order_sampler(len(ds), seed)

        def training_step(self, model, inputs, *args, **kwargs):
            if dump is not None:
                with open(dump, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"step": self.state.global_step + 1, "rank": self.args.process_index,
                                        "input_ids": inputs["input_ids"].tolist()}) + "\n")
            return super().training_step(model, inputs, *args, **kwargs)

    return FabulaTrainer


# ---- the run -----------------------------------------------------------------

def resolve(path, job_dir):
    p = Path(path)
    return p if p.is_absolute() else job_dir / p


def precision_flags(name):
    import torch
    cuda = torch.cuda.is_available() and os.environ.get("ACCELERATE_USE_CPU", "").lower() not in ("1", "true")
    if name == "auto":
        name = ("bf16" if torch.cuda.is_bf16_supported() else "fp16") if cuda else "fp32"
    return {"bf16": name == "bf16", "fp16": name == "fp16", "use_cpu": not cuda}


def total_steps(s, train_rows, world):
    """Fabula's count: optimizer steps over global batches of batch x processes."""
    if s["max_steps"] > 0:
        return s["max_steps"]
    batches = math.ceil(train_rows / (s["per_device_train_batch_size"] * world))
    return max(1, math.ceil(batches / s["gradient_accumulation_steps"])) * s["epochs"]


def metrics_callback(path):
    """OUTPUT/metrics.jsonl, like a Fabula run's: one object per logged step."""
    from transformers import TrainerCallback

    class MetricsFile(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if state.is_world_process_zero and logs:
                with open(path, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"step": state.global_step, **logs}) + "\n")

    return MetricsFile()


def main(argv=None):
    a = parse_args(argv)
    settings = json.loads(a.settings.read_text(encoding="utf-8"))
    s = settings["train"]
    job = a.settings.resolve().parent
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, TrainingArguments, set_seed

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    set_seed(s["seed"])
    model_dir = a.model or (Path(s["model"]) if s.get("model") else None)
    tok_dir = model_dir or Path(s["config"]).parent
    tok = AutoTokenizer.from_pretrained(tok_dir)
    data = s["data"]
    if tok.eos_token_id is None:
        tok.eos_token = tok.convert_ids_to_tokens(data["eot_id"])
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    if tok.eos_token_id != data["eot_id"]:
        sys.exit(f"train.py: the tokenizer in {tok_dir} ends text with id {tok.eos_token_id}, Fabula's with "
                 f"{data['eot_id']}: give --model the folder the job was exported from")

    if s.get("from_scratch"):
        config = AutoConfig.from_pretrained(resolve(s["config"], job))
        model = AutoModelForCausalLM.from_config(config)
    else:
        model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    lora = s.get("lora")
    if lora:
        from peft import LoraConfig, PeftModel, get_peft_model
        start = a.adapter or (Path(lora["start_adapter"]) if lora.get("start_adapter") else None)
        if start:
            model = PeftModel.from_pretrained(model, start, is_trainable=True)
        else:
            model = get_peft_model(model, LoraConfig(task_type="CAUSAL_LM", r=lora["r"], lora_alpha=lora["alpha"],
                                                     lora_dropout=lora["dropout"], target_modules=lora["targets"],
                                                     use_rslora=lora["use_rslora"],
                                                     fan_in_fan_out=lora["fan_in_fan_out"]))

    out = a.output.resolve()
    out.mkdir(parents=True, exist_ok=True)
    objective = s["objective"]
    train_ds = eval_ds = None
    if objective == "lm":
        texts = [row["text"] for row in read_jsonl(resolve(data["file"], job))]
        stories = tokenize_stories(tok, texts, data.get("bos_id"))
        train_rows, val_rows, split = lm_rows(stories, data)
        expected = data["expected"]
        got = {"train_rows": len(train_rows), "val_rows": len(val_rows),
               "train_tokens": sum(map(len, train_rows)), "val_tokens": sum(map(len, val_rows))}
        if got != expected and not a.skip_data_check:
            sys.exit(f"train.py: these rows ({got}) are not the ones Fabula made ({expected}): the tokenizer in "
                     f"{tok_dir} is not the one the job was exported with (or add --skip-data-check)")
        train_ds, eval_ds = Rows(train_rows), (Rows(val_rows) if val_rows else None)
        n_train = len(train_rows)
    else:
        from datasets import Dataset
        examples = read_jsonl(resolve(data["file"], job))
        val = set(data["val_examples"])
        keys = {"sft": ("prompt", "completion"), "dpo": ("prompt", "chosen", "rejected"),
                "kto": ("prompt", "completion", "label")}[objective]
        rows = [{k: e[k] for k in keys} for e in examples]
        train_ds = Dataset.from_list([r for i, r in enumerate(rows) if i not in val])
        eval_ds = Dataset.from_list([r for i, r in enumerate(rows) if i in val]) if val else None
        n_train = len(train_ds)

    steps = total_steps(s, n_train, world)
    if rank == 0:
        print(f"train.py: {world} process(es), global batch {s['per_device_train_batch_size'] * world} x "
              f"{s['gradient_accumulation_steps']} accumulated, {steps} steps over {n_train} training rows",
              flush=True)
    common = dict(
        output_dir=str(out / "checkpoints"),
        learning_rate=s["learning_rate"], lr_scheduler_type=s["lr_scheduler_type"], warmup_steps=s["warmup_steps"],
        weight_decay=s["weight_decay"], max_grad_norm=s["max_grad_norm"], adam_beta1=s["adam_beta1"],
        adam_beta2=s["adam_beta2"], adam_epsilon=s["adam_epsilon"], optim="adamw_torch",
        max_steps=steps, per_device_train_batch_size=s["per_device_train_batch_size"],
        per_device_eval_batch_size=s["per_device_train_batch_size"],
        gradient_accumulation_steps=s["gradient_accumulation_steps"], seed=s["seed"],
        logging_steps=s["logging_steps"], logging_first_step=True,
        eval_strategy=("steps" if s["eval_steps"] > 0 else "epoch") if eval_ds is not None else "no",
        save_strategy="steps" if s["save_steps"] > 0 else "epoch", save_total_limit=s["save_total_limit"],
        report_to=[], dataloader_num_workers=0, dataloader_drop_last=False,
        **precision_flags(a.precision or s["precision"]))
    if s["eval_steps"] > 0 and eval_ds is not None:
        common["eval_steps"] = s["eval_steps"]
    if s["save_steps"] > 0:
        common["save_steps"] = s["save_steps"]
    callbacks = [metrics_callback(out / "metrics.jsonl")]
    if rank == 0 and not a.resume and (out / "metrics.jsonl").exists():
        (out / "metrics.jsonl").unlink()

    if objective == "lm":
        from transformers import Trainer
        cls = fabula_trainer(Trainer, s["seed"], a.dump_batches)
        trainer = cls(model=model, args=TrainingArguments(**common, remove_unused_columns=False),
                      train_dataset=train_ds, eval_dataset=eval_ds, data_collator=make_collate(data["eot_id"]),
                      callbacks=callbacks)
    else:
        import trl
        ref = None
        ref_dir = a.ref or (Path(s["ref"]) if s.get("ref") else None)
        if ref_dir and objective in ("dpo", "kto"):
            ref = AutoModelForCausalLM.from_pretrained(ref_dir, dtype=torch.float32)
        extra = dict(max_length=data["block_size"])
        if objective == "sft":
            config = trl.SFTConfig(**common, **extra, completion_only_loss=True, packing=False)
            base = trl.SFTTrainer
        elif objective == "dpo":
            config = trl.DPOConfig(**common, **extra, beta=s["beta"], loss_type=["sigmoid"])
            base = trl.DPOTrainer
        else:
            config = trl.KTOConfig(**common, **extra, beta=s["beta"], desirable_weight=s["desirable_weight"],
                                   undesirable_weight=s["undesirable_weight"])
            base = trl.KTOTrainer
        kwargs = dict(model=model, args=config, train_dataset=train_ds, eval_dataset=eval_ds, processing_class=tok,
                      callbacks=callbacks)
        if objective != "sft":
            kwargs["ref_model"] = ref
        trainer = fabula_trainer(base, s["seed"])(**kwargs)

    trainer.train(resume_from_checkpoint=True if a.resume else None)
    evaluated = any("eval_loss" in h and h.get("step") == trainer.state.global_step
                    for h in trainer.state.log_history)
    if eval_ds is not None and not evaluated:
        trainer.evaluate()  # at the end, as Fabula does
    final = out / ("adapter" if lora else "model")
    trainer.save_model(str(final))
    if trainer.is_world_process_zero():
        (final / "training_args.bin").unlink(missing_ok=True)  # the Trainer's pickle: not part of a model
        if not lora:
            # The starting model's own tokenizer files: what Fabula read, byte for byte.
            for name in TOKENIZER_FILES:
                if (tok_dir / name).is_file():
                    shutil.copy(tok_dir / name, final / name)
    if trainer.is_world_process_zero():
        print(f"train.py: done after {trainer.state.global_step} steps; Fabula loads {final} as it is", flush=True)


if __name__ == "__main__":
    main()
