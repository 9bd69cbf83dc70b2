"""`fabula-cli train --export-job`: the job's train.py, run by Hugging Face's
Trainer (TRL's for sft/dpo/kto, PEFT for LoRA) under `accelerate launch
--num_processes 2` on CPUs, trains as Fabula does with the same global batch
(loss curve and held-out perplexity), its output loads in Fabula, its
accelerate configs are ones accelerate accepts, and a folder Fabula did not
write is never replaced.

The tolerance. The job rebuilds Fabula's rows with transformers' tokenizer,
its split and its shuffled order bit for bit, each global batch of 2 x 2
rows split over the two processes, the loss averaged over the global batch's
predicted tokens, and AdamW, the schedule and clipping as Fabula's. What is
left is float32 rounding: two half-batch gradients summed by Gloo instead of
one batch's, other matmul blockings, amplified by 12 AdamW steps at lr 1e-3.
Measured: at most 2e-6 on the loss (full fine-tuning and LoRA), 5e-7 for
sft/dpo/kto, and equal perplexities to 1e-9. The tolerance is 1e-4 per step
on the loss (50 times the measured) and 1e-4 relative on the held-out
perplexity, while a run on other rows (checked: Fabula with the per-process
batch alone) differs by more than 1e-2."""
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import read_jsonl
from model_fixtures import CLI, SHARED, make_model, run_cli

STORIES = SHARED / "data" / "stories" / "tinystories_subset.jsonl"
VENV_BIN = Path(sys.executable).parent
LOSS_TOLERANCE = 1e-4
PPL_TOLERANCE = 1e-4
STEPS = 12
RECIPE = ["--block-size", 32, "--val-fraction", 0.1, "--max-steps", STEPS, "--lr", 1e-3, "--warmup-steps", 2,
          "--weight-decay", 0.01, "--grad-accum", 2, "--save-every", 0, "--precision", "fp32", "--threads", 1]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    d = tmp_path_factory.mktemp("job_base")
    make_model(d / "model", n_layer=2, n_head=2, n_embd=32, n_positions=64, init=0.02)
    lines = STORIES.read_text().splitlines()
    (d / "train.jsonl").write_text("\n".join(lines[:120]) + "\n")  # >= 20 stories: whole ones are held out
    (d / "val.jsonl").write_text("\n".join(lines[2000:2030]) + "\n")
    return d


def export(base, job, *flags, check=True):
    return run_cli("train", "--model", base / "model", "--data", base / "train.jsonl", "--cache-dir", base / "cache",
                   *RECIPE, *flags, "--export-job", job, check=check)


def fabula_run(base, out, *flags):
    run_cli("train", "--model", base / "model", "--data", base / "train.jsonl", "--cache-dir", base / "cache",
            *RECIPE, *flags, "--out", out)
    return {m["step"]: m["loss"] for m in read_jsonl(Path(out) / "metrics.jsonl") if "loss" in m}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accelerate_run(job, out, processes=2):
    """The job as a cluster runs it: two processes under accelerate launch
    with the DDP config, here on CPUs (Gloo). Not `--cpu`: accelerate 1.15
    starts a single process with it unless MPI is set up; without GPUs the
    DDP config's launcher (torchrun) runs the processes on the CPU."""
    env = dict(os.environ, OMP_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false", HF_HUB_OFFLINE="1",
               CUDA_VISIBLE_DEVICES="", PATH=f"{VENV_BIN}:{os.environ.get('PATH', '')}")
    p = subprocess.run([str(VENV_BIN / "accelerate"), "launch", "--config_file", "accelerate_ddp.yaml",
                        "--num_processes", str(processes), "--num_machines", "1", "--main_process_ip", "127.0.0.1",
                        "--main_process_port", str(free_port()), "train.py",
                        "--output", str(out)], cwd=job, env=env, capture_output=True, timeout=900)
    assert p.returncode == 0, p.stderr.decode(errors="replace")[-6000:]
    assert f"train.py: {processes} process(es)" in p.stdout.decode(), p.stdout.decode()[-3000:]
    metrics = read_jsonl(Path(out) / "metrics.jsonl")
    return {m["step"]: m["loss"] for m in metrics if "loss" in m}, metrics


def perplexity(model, *flags):
    return json.loads(run_cli("eval", "--model", model, *flags, "--json").stdout)["perplexity"]


def assert_same_curve(ours, theirs, what):
    assert sorted(theirs) == list(range(1, STEPS + 1)), (what, sorted(theirs))
    worst = max(abs(ours[s] - theirs[s]) for s in theirs)
    print(f"{what}: largest loss difference over {STEPS} steps {worst:.2e}")
    assert worst <= LOSS_TOLERANCE, (what, {s: (ours[s], theirs[s]) for s in theirs})
    return worst


def test_the_job_folder(base, tmp_path):
    export(base, tmp_path / "job", "--batch-size", 2)
    job = tmp_path / "job"
    names = {p.name for p in job.iterdir()}
    assert {"data.jsonl", "settings.json", "train.py", "accelerate_ddp.yaml", "accelerate_fsdp.yaml",
            "accelerate_deepspeed.yaml", "deepspeed_zero2.json", "README.txt", "fabula.json"} <= names
    settings = json.loads((job / "settings.json").read_text())
    s = settings["train"]
    assert (s["per_device_train_batch_size"], s["gradient_accumulation_steps"], s["max_steps"]) == (2, 2, STEPS)
    assert (s["learning_rate"], s["warmup_steps"], s["weight_decay"], s["max_grad_norm"]) == (1e-3, 2, 0.01, 1.0)
    assert s["data"]["block_size"] == 32 and s["data"]["split"] == "story" and s["data"]["eot_id"] == 50256
    assert settings["fabula_options"]["grad-accum"] == 2 and "out" not in settings["fabula_options"]
    # The stories as Fabula read them (deduplicated, in collection order).
    texts = [r["text"] for r in read_jsonl(job / "data.jsonl")]
    source = [r["text"] for r in read_jsonl(base / "train.jsonl")]
    assert texts == list(dict.fromkeys(source))
    assert json.loads((job / "fabula.json").read_text())["kind"] == "training-job"
    assert "accelerate launch --config_file accelerate_ddp.yaml" in (job / "README.txt").read_text()


def test_accelerate_accepts_the_three_configs(base, tmp_path):
    """Parsed and checked by accelerate launch's own validation."""
    export(base, tmp_path / "job", "--batch-size", 2, "--nproc-per-node", 4)
    code = """
import json, sys
from accelerate.commands.launch import launch_command_parser, _validate_launch_command
out = {}
for name in ("ddp", "fsdp", "deepspeed"):
    args = launch_command_parser().parse_args(["--config_file", f"accelerate_{name}.yaml", "train.py"])
    args = _validate_launch_command(args)[0]
    out[name] = [args.multi_gpu, args.use_fsdp, args.use_deepspeed, args.num_processes,
                 getattr(args, "fsdp_version", None), getattr(args, "deepspeed_config_file", None)]
print(json.dumps(out))
"""
    p = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "job", capture_output=True, timeout=300)
    assert p.returncode == 0, p.stderr.decode(errors="replace")
    got = json.loads(p.stdout.decode().splitlines()[-1])
    assert got["ddp"][:4] == [True, False, False, 4]
    assert got["fsdp"][1:5] == [True, False, 4, "2"] or got["fsdp"][1:5] == [True, False, 4, 2]
    assert got["deepspeed"][2:4] == [True, 4] and got["deepspeed"][5] == "deepspeed_zero2.json"
    ds = json.loads((tmp_path / "job" / "deepspeed_zero2.json").read_text())
    assert ds["zero_optimization"]["stage"] == 2 and ds["gradient_accumulation_steps"] == "auto"


def test_a_job_on_two_processes_trains_as_fabula_with_the_global_batch(base, tmp_path):
    export(base, tmp_path / "job", "--batch-size", 2)
    theirs, metrics = accelerate_run(tmp_path / "job", tmp_path / "out")
    ours = fabula_run(base, tmp_path / "run", "--batch-size", 4)  # one process, the global batch of 2 x 2
    assert_same_curve(ours, theirs, "full fine-tuning")
    # Discrimination: other rows (Fabula's batch of 2 alone) give another curve.
    other = fabula_run(base, tmp_path / "run2", "--batch-size", 2)
    assert max(abs(other[s] - theirs[s]) for s in theirs) > 100 * LOSS_TOLERANCE
    assert any("eval_loss" in m for m in metrics)

    model = tmp_path / "out" / "model"
    ppl_ours = perplexity(tmp_path / "run" / "model", "--data", base / "val.jsonl")
    ppl_theirs = perplexity(model, "--data", base / "val.jsonl")
    print(f"held-out perplexity: Fabula {ppl_ours:.6f}, the job {ppl_theirs:.6f}")
    assert abs(ppl_theirs - ppl_ours) <= PPL_TOLERANCE * ppl_ours
    assert ppl_theirs < perplexity(base / "model", "--data", base / "val.jsonl")  # it learnt
    # Loaded as it is, it writes what Fabula's own model writes.
    gen = [json.loads(run_cli("generate", "--model", m, "--prompt", "Once upon a time", "--greedy",
                              "--max-new-tokens", 8, "--precision", "fp32", "--json").stdout)["text"]
           for m in (tmp_path / "run" / "model", model)]
    assert gen[0] == gen[1]


def peft_start_adapter(base_dir, out):
    """A PEFT adapter to continue, with both matrices random, so both runs
    start from the same adapter and every update is visible."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM
    torch.manual_seed(3)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(base_dir),
                           LoraConfig(task_type="CAUSAL_LM", r=4, lora_alpha=8, target_modules=["c_attn"],
                                      fan_in_fan_out=True, init_lora_weights=False))
    model.save_pretrained(out)
    return out


def test_a_lora_job_trains_as_fabula_and_its_adapter_loads(base, tmp_path):
    start = peft_start_adapter(base / "model", tmp_path / "start")
    export(base, tmp_path / "job", "--batch-size", 2, "--adapter", start)
    assert json.loads((tmp_path / "job" / "settings.json").read_text())["train"]["lora"]["start_adapter"]
    theirs, _ = accelerate_run(tmp_path / "job", tmp_path / "out")
    ours = fabula_run(base, tmp_path / "run", "--batch-size", 4, "--adapter", start)
    assert_same_curve(ours, theirs, "LoRA")
    adapter = tmp_path / "out" / "adapter"
    assert (adapter / "adapter_config.json").is_file() and not (adapter / "model.safetensors").exists()
    data = ["--data", base / "val.jsonl"]
    ppl_ours = perplexity(base / "model", "--adapter", tmp_path / "run" / "adapter", *data)
    ppl_theirs = perplexity(base / "model", "--adapter", adapter, *data)
    print(f"LoRA held-out perplexity: Fabula {ppl_ours:.6f}, the job {ppl_theirs:.6f}")
    assert abs(ppl_theirs - ppl_ours) <= PPL_TOLERANCE * ppl_ours


def test_a_folder_fabula_did_not_write_is_refused_and_kept(base, tmp_path):
    job = tmp_path / "job"
    job.mkdir()
    (job / "notes.txt").write_text("mine")
    p = export(base, job, check=False)
    assert p.returncode == 2, p.stderr
    err = p.stderr.decode()
    assert str(job) in err and "notes.txt" in err and "not written by Fabula" in err
    assert [x.name for x in job.iterdir()] == ["notes.txt"] and (job / "notes.txt").read_text() == "mine"


def test_a_job_is_replaced_only_with_overwrite_and_a_model_never(base, tmp_path):
    job = tmp_path / "job"
    export(base, job)
    (job / "output").mkdir()
    (job / "output" / "kept.txt").write_text("a run's output")
    p = export(base, job, "--batch-size", 3, check=False)
    assert p.returncode == 2 and "--overwrite" in p.stderr.decode()
    export(base, job, "--batch-size", 3, "--overwrite")
    assert json.loads((job / "settings.json").read_text())["train"]["per_device_train_batch_size"] == 3
    assert (job / "output" / "kept.txt").read_text() == "a run's output"
    # A model folder Fabula wrote is not a job, with or without --overwrite.
    run_cli("train", "--model", base / "model", "--data", base / "train.jsonl", "--cache-dir", base / "cache",
            "--block-size", 32, "--max-steps", 1, "--threads", 1, "--out", tmp_path / "run")
    before = sorted(x.name for x in (tmp_path / "run" / "model").iterdir())
    p = export(base, tmp_path / "run" / "model", "--overwrite", check=False)
    assert p.returncode == 2 and "not an exported job" in p.stderr.decode()
    assert sorted(x.name for x in (tmp_path / "run" / "model").iterdir()) == before
    # --overwrite alone means nothing to a run.
    p = run_cli("train", "--model", base / "model", "--data", base / "train.jsonl", "--out", tmp_path / "r2",
                "--overwrite", check=False)
    assert p.returncode == 2 and "--export-job" in p.stderr.decode()


def feedback_rows(objective):
    """24 small examples in `fabula-cli feedback export`'s formats."""
    import random
    rng = random.Random(0)
    words = "the fox ran into green woods she lit lamp and watched red sea rain stopped letter far away".split()

    def text(n):
        return " " + " ".join(rng.choice(words) for _ in range(n))
    rows = []
    for i in range(24):
        row = {"prompt": "Story" + text(5)}
        if objective == "dpo":
            row.update(chosen=text(8), rejected=text(6))
        else:
            row["completion"] = text(8)
        if objective == "kto":
            row["label"] = i % 2 == 0
        rows.append(row)
    return rows


# KTO's reference point pairs completions within a micro-batch, so only one
# process with the whole batch equals Fabula's step; SFT and DPO run on two.
@pytest.mark.parametrize("objective,processes", [("sft", 2), ("dpo", 2), ("kto", 1)])
def test_a_feedback_job_trains_as_fabula_with_trl(base, tmp_path, objective, processes):
    data = tmp_path / f"{objective}.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in feedback_rows(objective)))
    recipe = ["--model", base / "model", "--objective", objective, "--data", data, "--block-size", 32,
              "--max-steps", 3, "--lr", 1e-3, "--val-fraction", 0.2, "--precision", "fp32", "--threads", 1]
    run_cli("train", *recipe, "--batch-size", 4 // processes, "--export-job", tmp_path / "job")
    settings = json.loads((tmp_path / "job" / "settings.json").read_text())["train"]
    assert len(settings["data"]["val_examples"]) == 5  # Fabula's seeded choice of 0.2 x 24
    assert (tmp_path / "job" / "data.jsonl").read_bytes() == data.read_bytes()  # the set as given
    theirs, _ = accelerate_run(tmp_path / "job", tmp_path / "out", processes)
    run_cli("train", *recipe, "--batch-size", 4, "--out", tmp_path / "run")
    ours = {m["step"]: m["loss"] for m in read_jsonl(tmp_path / "run" / "metrics.jsonl") if "loss" in m}
    assert sorted(theirs) == [1, 2, 3]
    worst = max(abs(ours[s] - theirs[s]) for s in theirs)
    print(f"{objective} on {processes} process(es): largest loss difference over 3 steps {worst:.2e}")
    assert worst <= LOSS_TOLERANCE, (ours, theirs)
    assert perplexity(tmp_path / "out" / "model", "--data", base / "val.jsonl") > 1  # loads in Fabula
