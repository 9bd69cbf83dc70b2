"""The Hugging Face peer for the training benchmarks: transformers' Trainer
as a user would run it (batch 2, lr 5e-5, bf16 autocast or fp32, CPU; with
a rank argument, PEFT's LoRA on c_attn), on
the same packed 512-token blocks, timed per optimizer step by a callback.
Prints one JSON object."""
import json
import resource
import sys
import time

import torch
from transformers import GPT2LMHeadModel, Trainer, TrainerCallback, TrainingArguments


class StepTimer(TrainerCallback):
    def __init__(self):
        self.begin, self.times = 0.0, []

    def on_step_begin(self, args, state, control, **kw):
        self.begin = time.perf_counter()

    def on_step_end(self, args, state, control, **kw):
        self.times.append(time.perf_counter() - self.begin)


class Blocks(torch.utils.data.Dataset):
    def __init__(self, ids, block):
        self.rows = [ids[i:i + block] for i in range(0, len(ids) - block + 1, block)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        t = torch.tensor(self.rows[i])
        return {"input_ids": t, "labels": t}


def main():
    model_dir, ids_file, precision, threads, steps, out_dir = sys.argv[1:7]
    lora_r = int(sys.argv[7]) if len(sys.argv) > 7 else 0
    torch.set_num_threads(int(threads))
    ids = json.load(open(ids_file))
    model = GPT2LMHeadModel.from_pretrained(model_dir)  # dropout 0.1 as GPT-2 ships
    if lora_r:
        # PEFT as its documentation shows it: adapters on c_attn, the base frozen.
        from peft import LoraConfig, get_peft_model
        model = get_peft_model(model, LoraConfig(r=lora_r, lora_alpha=2 * lora_r, lora_dropout=0.0,
                                                 target_modules=["c_attn"], fan_in_fan_out=True,
                                                 task_type="CAUSAL_LM"))
    args = TrainingArguments(output_dir=out_dir, per_device_train_batch_size=2, learning_rate=5e-5,
                             max_steps=int(steps), bf16=precision == "bf16", use_cpu=True, logging_steps=1,
                             save_strategy="no", report_to=[], dataloader_num_workers=0, disable_tqdm=True)
    timer = StepTimer()
    Trainer(model=model, args=args, train_dataset=Blocks(ids, 512), callbacks=[timer]).train()
    times = sorted(timer.times[2:])  # the first steps warm up
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"tokens_per_second": 1024 / times[len(times) // 2], "peak_rss": peak}))


if __name__ == "__main__":
    main()
