"""train-fp32, train-bf16, train-mem-bf16, train-lora-fp32, train-lora-mem-fp32
and pack-vs-pad: GPT-2 124M shape
(random weights, dropout 0.1), block 512, batch 2, same threads, alternating
Fabula and the Hugging Face Trainer."""
import json
import os
import shutil
import statistics
import subprocess
import tempfile

from bench_generate import model_dir
from common import BENCH, CACHE, CLI, PYTHON, SHARED, result

STEPS = int(os.environ.get("FABULA_BENCH_TRAIN_STEPS", "6"))  # optimizer steps per run; the first 2 are warm-up
STORIES = SHARED / "data" / "stories" / "tinystories_subset.jsonl"


def run_measured(cmd):
    p = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[1] if len(cmd) > 1 else cmd[0]} failed: {err[-2000:]}")
    return out


LORA_R = 8  # on c_attn, alpha 2r, no adapter dropout: the same settings on both sides


def fabula_train(d, precision, threads, block=512, batching="pack", steps=STEPS, lora_r=0, cli=None):
    out = tempfile.mkdtemp(prefix="fabula-bench-")
    try:
        cmd = ["/usr/bin/time", "-f", "peak_rss_kb=%M", cli or CLI, "train", "--model", d, "--data", STORIES,
               "--out", out, "--max-steps", steps, "--block-size", block, "--batch-size", 2, "--precision", precision,
               "--threads", threads, "--save-every", 0, "--val-fraction", 0, "--batching", batching,
               "--cache-dir", CACHE / "tokens"]
        if lora_r:
            cmd += ["--lora-r", lora_r, "--lora-alpha", 2 * lora_r, "--lora-dropout", 0, "--lora-targets", "c_attn"]
        p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr[-2000:])
        peak = int(p.stderr.rsplit("peak_rss_kb=", 1)[1].split()[0]) * 1024
        rates = [json.loads(l)["tokens_per_second"] for l in open(os.path.join(out, "metrics.jsonl"))
                 if '"loss"' in l][2:]
        return statistics.median(rates), peak
    finally:
        shutil.rmtree(out, ignore_errors=True)


def hf_train(d, precision, threads, lora_r=0):
    ids_file = CACHE / "train_ids.json"
    if not ids_file.exists():
        ids = []
        for line in open(STORIES):
            text = json.loads(line)["text"]
            ids += json.loads(subprocess.run([str(CLI), "tokenize", "--model", str(SHARED / "data/gpt2"), "--text",
                                              text], capture_output=True, text=True).stdout) + [50256]
            if len(ids) > 2 * 512 * (STEPS + 2):
                break
        ids_file.write_text(json.dumps(ids))
    out = tempfile.mkdtemp(prefix="hf-bench-")
    try:
        stdout = run_measured([PYTHON, BENCH / "hf_train.py", d, ids_file, precision, threads, STEPS, out, lora_r])
        r = json.loads(stdout.strip().splitlines()[-1])
        return r["tokens_per_second"], r["peak_rss"]
    finally:
        shutil.rmtree(out, ignore_errors=True)


def bench_train(case, runs=5, threads=2):
    d = model_dir()
    results = []
    if case in ("train", "train-fp32", "train-bf16"):
        precisions = ("fp32", "bf16") if case == "train" else (case.split("-")[1],)
        for precision in precisions:
            f_rate, h_rate, f_mem, h_mem = [], [], [], []
            for i in range(runs):
                r, m = fabula_train(d, precision, threads)
                f_rate.append(r)
                f_mem.append(m / 2 ** 30)
                r, m = hf_train(d, precision, threads)
                h_rate.append(r)
                h_mem.append(m / 2 ** 30)
                print(f"  run {i + 1}: {precision} fabula {f_rate[-1]:.0f} tok/s {f_mem[-1]:.2f} GiB | "
                      f"hf {h_rate[-1]:.0f} tok/s {h_mem[-1]:.2f} GiB", flush=True)
            print(f"train-{precision}:")
            results.append(result(f"train-{precision}", f_rate, h_rate, "tok/s", higher_is_better=True))
            print(f"train-mem-{precision}:")
            results.append(result(f"train-mem-{precision}", f_mem, h_mem, "GiB", higher_is_better=False,
                                  note="peak resident memory"))
    if case in ("train-lora", "train-lora-fp32"):
        # Fabula LoRA, PEFT LoRA with the Trainer, Fabula full fine-tuning, in turn.
        l_rate, p_rate, f_rate, l_mem, p_mem, f_mem = [], [], [], [], [], []
        for i in range(runs):
            r, m = fabula_train(d, "fp32", threads, lora_r=LORA_R)
            l_rate.append(r)
            l_mem.append(m / 2 ** 30)
            r, m = hf_train(d, "fp32", threads, lora_r=LORA_R)
            p_rate.append(r)
            p_mem.append(m / 2 ** 30)
            r, m = fabula_train(d, "fp32", threads)
            f_rate.append(r)
            f_mem.append(m / 2 ** 30)
            print(f"  run {i + 1}: fabula lora {l_rate[-1]:.0f} tok/s {l_mem[-1]:.2f} GiB | peft {p_rate[-1]:.0f} "
                  f"tok/s {p_mem[-1]:.2f} GiB | fabula full {f_rate[-1]:.0f} tok/s {f_mem[-1]:.2f} GiB", flush=True)
        print("train-lora-fp32:")
        results.append(result("train-lora-fp32", l_rate, p_rate, "tok/s", higher_is_better=True,
                              note=f"hf = PEFT r {LORA_R} on c_attn + Trainer"))
        print("train-lora-mem-fp32:")
        results.append(result("train-lora-mem-fp32", l_mem, p_mem, "GiB", higher_is_better=False,
                              note="peak resident memory, hf = PEFT + Trainer"))
        print("train-lora-vs-full-fp32:")
        results.append(result("train-lora-vs-full-fp32", l_rate, f_rate, "tok/s", higher_is_better=True,
                              note="hf = Fabula full fine-tuning"))
        print("train-lora-vs-full-mem-fp32:")
        results.append(result("train-lora-vs-full-mem-fp32", l_mem, f_mem, "GiB", higher_is_better=False,
                              note="peak resident memory, hf = Fabula full fine-tuning"))
    if case in ("train", "pack-vs-pad"):
        # Useful (non-padding) tokens per second over all of shared/data/stories:
        # packing fills every position; the reference pads each story to 1024.
        # A step costs the same whatever its content, so padded throughput is
        # the measured throughput at block 1024 times the useful fraction.
        fractions = []
        for f in sorted((SHARED / "data" / "stories").glob("*.jsonl")):
            r = json.loads(subprocess.run([str(CLI), "prepare", "--model", str(d), "--data", str(f), "--json",
                                           "--batching", "pad", "--block-size", "1024", "--val-fraction", "0",
                                           "--cache-dir", str(CACHE / "tokens"), "--threads", str(threads)],
                                          capture_output=True, text=True, check=True).stdout)
            fractions.append((r["train"]["tokens"], r["train"]["rows"]))
        useful_pad = sum(t for t, _ in fractions) / (1024 * sum(n for _, n in fractions))
        pack, pad = [], []
        for i in range(max(1, runs // 2)):
            rate, _ = fabula_train(d, "fp32", threads, block=1024, steps=5)
            pack.append(rate)
            pad.append(rate * useful_pad)
            print(f"  run {i + 1}: pack {rate:.0f} useful tok/s, pad-to-1024 {rate * useful_pad:.0f}", flush=True)
        print("pack-vs-pad:")
        results.append(result("pack-vs-pad", pack, pad, "useful tok/s", higher_is_better=True,
                              note=f"hf = padding to 1024 (useful fraction {useful_pad:.3f})"))
    return results
