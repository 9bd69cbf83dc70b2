"""Fine-tuning against PyTorch/transformers: the same batches give the same
loss and weights, learning happens, runs resume exactly, and the exported
folder loads in transformers."""
import json
import math
import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file
from transformers import GPT2LMHeadModel, get_linear_schedule_with_warmup

from model_fixtures import CLI, SHARED, hf_tokenizer, make_model, run_cli

STORIES = SHARED / "data" / "stories" / "tinystories_subset.jsonl"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    d = tmp_path_factory.mktemp("base")
    make_model(d / "model", n_layer=2, n_head=2, n_embd=32, n_positions=64, init=0.02)
    lines = STORIES.read_text().splitlines()
    (d / "train.jsonl").write_text("\n".join(lines[:120]) + "\n")
    (d / "val.jsonl").write_text("\n".join(lines[2000:2030]) + "\n")
    return d


def train(base, out, *flags, check=True):
    return run_cli("train", "--model", base / "model", "--data", base / "train.jsonl", "--out", out,
                   "--block-size", 32, "--val-fraction", 0, "--threads", 1, "--precision", "fp32",
                   "--cache-dir", base / "cache", *flags, check=check)


def metrics(out):
    return [json.loads(l) for l in (Path(out) / "metrics.jsonl").read_text().splitlines()]


def reference_run(model_dir, batches, steps, lr=5e-5, warmup=0, weight_decay=0.0):
    """The same optimisation in PyTorch: AdamW with HF's parameter groups, the
    linear schedule, clipping at 1.0, token-weighted gradient accumulation."""
    model = GPT2LMHeadModel.from_pretrained(model_dir).float().train()
    decay = [p for n, p in model.named_parameters() if "bias" not in n and "ln_" not in n]
    no_decay = [p for n, p in model.named_parameters() if "bias" in n or "ln_" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.999), eps=1e-8)
    sched = get_linear_schedule_with_warmup(opt, warmup, steps)
    losses = []
    for step in range(1, steps + 1):
        micro = [b for b in batches if b["step"] == step]
        items = sum(sum(1 for x in b["labels"][r * b["cols"] + 1:(r + 1) * b["cols"]] if x != -100)
                    for b in micro for r in range(b["rows"]))
        total = 0.0
        for b in micro:
            ids = torch.tensor(b["input_ids"]).view(b["rows"], b["cols"])
            labels = torch.tensor(b["labels"]).view(b["rows"], b["cols"])
            logits = model(ids).logits[:, :-1].float()
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)),
                                                     labels[:, 1:].reshape(-1), ignore_index=-100, reduction="sum")
            total += loss.item()
            (loss / items).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        losses.append(total / items)
    return model, losses


def exported_state(model_dir):
    return load_file(Path(model_dir) / "model.safetensors")


def test_one_step_matches_pytorch(base, tmp_path):
    train(base, tmp_path / "run", "--max-steps", 1, "--dump-batches", tmp_path / "b.jsonl")
    batches = [json.loads(l) for l in (tmp_path / "b.jsonl").read_text().splitlines()]
    ref, losses = reference_run(base / "model", batches, 1)
    ours = metrics(tmp_path / "run")[0]
    assert abs(ours["loss"] - losses[0]) < 1e-5, (ours["loss"], losses[0])
    state = exported_state(tmp_path / "run" / "model")
    worst = 0.0
    for name, p in ref.state_dict().items():
        if name == "lm_head.weight" or name.endswith("attn.bias") or name.endswith("masked_bias"):
            continue
        worst = max(worst, (state[name] - p).abs().max().item())
    assert worst < 1e-5, worst


def test_twenty_steps_with_accumulation_match(base, tmp_path):
    train(base, tmp_path / "run", "--max-steps", 20, "--grad-accum", 2, "--warmup-steps", 3,
          "--weight-decay", 0.01, "--lr", 1e-3, "--dump-batches", tmp_path / "b.jsonl")
    batches = [json.loads(l) for l in (tmp_path / "b.jsonl").read_text().splitlines()]
    _, losses = reference_run(base / "model", batches, 20, lr=1e-3, warmup=3, weight_decay=0.01)
    ours = [m["loss"] for m in metrics(tmp_path / "run") if "loss" in m]
    assert len(ours) == 20
    assert np.abs(np.array(ours) - np.array(losses)).max() < 1e-4
    assert ours[-1] < ours[0]


def hf_eval(model_dir, data):
    """fabula-cli eval's definition, computed with transformers."""
    model = GPT2LMHeadModel.from_pretrained(model_dir).float().eval()
    tok = hf_tokenizer()
    n_pos = model.config.n_positions
    total, count = 0.0, 0
    for line in Path(data).read_text().splitlines():
        ids = tok(json.loads(line)["text"])["input_ids"] + [50256]
        for start in range(0, len(ids), n_pos):
            w = ids[start:start + n_pos]
            if len(w) < 2:
                continue
            with torch.no_grad():
                out = model(torch.tensor([w]), labels=torch.tensor([w]))
            total += out.loss.item() * (len(w) - 1)
            count += len(w) - 1
    return total / count, count


def test_eval_matches_transformers(base):
    r = json.loads(run_cli("eval", "--model", base / "model", "--data", base / "val.jsonl", "--json",
                           "--precision", "fp32").stdout)
    loss, count = hf_eval(base / "model", base / "val.jsonl")
    assert r["tokens"] == count and r["stories"] == 30
    assert abs(r["loss"] - loss) / loss < 1e-4
    assert abs(r["perplexity"] - math.exp(loss)) / math.exp(loss) < 1e-4


def test_hundred_steps_lower_validation_perplexity(base, tmp_path):
    before = json.loads(run_cli("eval", "--model", base / "model", "--data", base / "val.jsonl", "--json").stdout)
    train(base, tmp_path / "run", "--max-steps", 100, "--lr", 1e-3, "--save-every", 0)
    after = json.loads(run_cli("eval", "--model", tmp_path / "run" / "model", "--data", base / "val.jsonl",
                               "--json").stdout)
    assert after["perplexity"] < 0.8 * before["perplexity"], (before, after)


def test_export_loads_in_transformers_and_equals_final_model(base, tmp_path):
    train(base, tmp_path / "run", "--max-steps", 4, "--save-every", 2)
    run_cli("export", "--checkpoint", tmp_path / "run" / "checkpoints" / "step-4", "--out", tmp_path / "exp")
    a, b = exported_state(tmp_path / "run" / "model"), exported_state(tmp_path / "exp")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    model = GPT2LMHeadModel.from_pretrained(tmp_path / "exp")
    sd = model.state_dict()
    assert all(torch.equal(sd[k], a[k]) for k in a)
    # and the app's engine runs it
    run_cli("generate", "--model", tmp_path / "exp", "--prompt", "Once upon a time", "--max-new-tokens", 5)
    assert sorted(p.name for p in (tmp_path / "run" / "checkpoints").iterdir()) == ["step-2", "step-4"]


def final_weights(out):
    return exported_state(Path(out) / "model")


def assert_same_weights(a, b, tol=1e-6):
    assert a.keys() == b.keys()
    worst = max((a[k] - b[k]).abs().max().item() for k in a)
    assert worst <= tol, worst


def start_training(base, out, *flags):
    env = dict(os.environ, FABULA_THREADS="1")
    args = [CLI, "train", "--model", base / "model", "--data", base / "train.jsonl", "--out", out,
            "--block-size", 32, "--val-fraction", 0, "--threads", 1, "--precision", "fp32",
            "--cache-dir", base / "cache", *flags]
    return subprocess.Popen([str(a) for a in args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def wait_for_step(out, step, proc, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        f = Path(out) / "metrics.jsonl"
        if f.exists():
            steps = [json.loads(l)["step"] for l in f.read_text().splitlines() if l.strip()]
            if steps and max(steps) >= step:
                return max(steps)
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.05)
    raise AssertionError("training did not reach step %d" % step)


def test_resume_equals_uninterrupted_sigint_and_kill9(base, tmp_path):
    flags = ["--max-steps", 40, "--save-every", 5, "--lr", 1e-3]
    train(base, tmp_path / "full", *flags)
    full = final_weights(tmp_path / "full")

    # SIGINT: a checkpoint at the step it stopped, exit 130, then resume.
    p = start_training(base, tmp_path / "int", *flags)
    wait_for_step(tmp_path / "int", 7, p)
    p.send_signal(signal.SIGINT)
    assert p.wait(60) == 130, p.stderr.read().decode()
    stopped = max(int(c.name.split("-")[1]) for c in (tmp_path / "int" / "checkpoints").iterdir())
    assert stopped >= 7
    train(base, tmp_path / "int", *flags, "--resume")
    assert_same_weights(final_weights(tmp_path / "int"), full)
    steps = [m["step"] for m in metrics(tmp_path / "int") if "loss" in m]
    assert steps == list(range(1, 41))

    # kill -9 after a step past a checkpoint: at most the steps since it are lost.
    p = start_training(base, tmp_path / "kill", *flags)
    reached = wait_for_step(tmp_path / "kill", 12, p)
    p.kill()
    p.wait(60)
    kept = max(int(c.name.split("-")[1]) for c in (tmp_path / "kill" / "checkpoints").iterdir()
               if c.name.startswith("step-"))
    assert kept >= 10 and reached - kept < 5 + 2
    train(base, tmp_path / "kill", *flags, "--resume")
    assert_same_weights(final_weights(tmp_path / "kill"), full)


def test_pad_batching_and_prepare_report(base, tmp_path):
    r = json.loads(run_cli("prepare", "--model", base / "model", "--data", base / "train.jsonl", "--json",
                           "--batching", "pad", "--block-size", 64, "--cache-dir", tmp_path / "c",
                           "--threads", 1).stdout)
    assert r["stories"] == 120 and r["truncated_stories"] > 0 and r["steps_per_epoch"] == 57
    assert r["seconds_per_epoch"] > 0 and not r["cache_hit"]
    again = json.loads(run_cli("prepare", "--model", base / "model", "--data", base / "train.jsonl", "--json",
                               "--cache-dir", tmp_path / "c", "--threads", 1).stdout)
    assert again["cache_hit"] and again["useful_token_fraction"] > r["useful_token_fraction"]
    train(base, tmp_path / "run", "--max-steps", 3, "--batching", "pad")
    assert len([m for m in metrics(tmp_path / "run") if "loss" in m]) == 3


@pytest.mark.parametrize("flags,needle", [
    (["--block-size", 65], "above the model's context"),
    (["--batch-size", 0], "batch size"),
    (["--lr", 0], "learning rate"),
    (["--lr", -1], "learning rate"),
    (["--batching", "zip"], "pack or pad"),
])
def test_settings_that_cannot_work_exit_2(base, tmp_path, flags, needle):
    p = run_cli("train", "--model", base / "model", "--data", base / "train.jsonl", "--out", tmp_path / "o",
                *flags, check=False)
    assert p.returncode == 2 and needle in p.stderr.decode(), p.stderr.decode()
    assert not (tmp_path / "o" / "checkpoints").exists()


def test_memory_estimate_refuses_a_model_that_cannot_fit(base, tmp_path):
    cfg = json.loads((base / "model" / "config.json").read_text())
    cfg.update(n_layer=48, n_embd=6400, n_head=50, n_positions=64)
    (tmp_path / "huge.json").write_text(json.dumps(cfg))
    p = run_cli("train", "--from-scratch", "--config", tmp_path / "huge.json", "--model", base / "model",
                "--data", base / "train.jsonl", "--out", tmp_path / "o", "--block-size", 32, check=False)
    assert p.returncode == 2 and "GiB" in p.stderr.decode() and "free" in p.stderr.decode(), p.stderr.decode()


def test_bad_story_inputs(base, tmp_path):
    (tmp_path / "empty").mkdir()
    p = run_cli("train", "--model", base / "model", "--data", tmp_path / "empty", "--out", tmp_path / "o", check=False)
    assert p.returncode == 3 and "no stories" in p.stderr.decode()
    (tmp_path / "novel.docx").write_bytes(b"PK\x03\x04binary")
    p = run_cli("prepare", "--model", base / "model", "--data", tmp_path / "novel.docx", check=False)
    assert p.returncode == 3 and "plain text" in p.stderr.decode()
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "good.txt").write_text("Once upon a time there was a fox.\n")
    (d / "bad.txt").write_bytes(b"Fine start \xff\xfe then broken")
    r = run_cli("prepare", "--model", base / "model", "--data", d, "--json", "--cache-dir", tmp_path / "c")
    problems = json.loads(r.stdout)["problems"]
    assert any("bad.txt" in p and "offset 11" in p for p in problems), problems
    p = run_cli("prepare", "--model", base / "model", "--data", d, "--strict", check=False)
    assert p.returncode == 3 and "bad.txt" in p.stderr.decode()


def test_from_scratch_with_a_config(base, tmp_path):
    cfg = json.loads((base / "model" / "config.json").read_text())
    cfg.update(n_layer=1, n_embd=24, n_head=3)
    (tmp_path / "new.json").write_text(json.dumps(cfg))
    run_cli("train", "--from-scratch", "--config", tmp_path / "new.json", "--model", base / "model",
            "--data", base / "train.jsonl", "--out", tmp_path / "o", "--block-size", 32, "--max-steps", 3,
            "--cache-dir", base / "cache")
    model = GPT2LMHeadModel.from_pretrained(tmp_path / "o" / "model")
    assert model.config.n_layer == 1 and model.config.n_embd == 24
