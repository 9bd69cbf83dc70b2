"""Data-parallel training on torch's own runtime (Gloo on the CPU): two ranks
with --batch-size b make the same updates as one process with 2b (full
fine-tuning, LoRA, DPO and KTO), a refusal reaches every rank with one message
and exit 2, a rank killed with -9 ends the other with "rank N stopped
responding" within --dist-timeout, and that run resumes in one process.

Everything runs on 127.0.0.1 with one thread per rank; every process is
bounded by a timeout."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from peft import LoraConfig, get_peft_model
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

from model_fixtures import CLI, SHARED, make_model
from test_objectives import base as objectives_base  # noqa: F401 (fixture)

STORIES = SHARED / "data" / "stories" / "tinystories_subset.jsonl"
TORCHRUN = Path(sys.executable).parent / "torchrun"
TIMEOUT = 300  # seconds any one training process may take


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    d = tmp_path_factory.mktemp("dist")
    make_model(d / "model", n_layer=2, n_head=2, n_embd=32, n_positions=64, init=0.02, dropout=0.0)
    lines = STORIES.read_text().splitlines()
    (d / "train.jsonl").write_text("\n".join(lines[:120]) + "\n")
    return d


def env_for_ranks(**extra):
    env = dict(os.environ, OMP_NUM_THREADS="1", FABULA_THREADS="1")
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
                 "TORCHELASTIC_USE_AGENT_STORE"):
        env.pop(name, None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def lm_flags(base, out, *flags):
    return ["train", "--model", base / "model", "--data", base / "train.jsonl", "--out", out, "--block-size", 32,
            "--threads", 1, "--precision", "fp32", "--cache-dir", base / "cache", "--lr", 1e-3, *flags]


def single(*args, check=True):
    p = subprocess.run([CLI, *map(str, args)], capture_output=True, timeout=TIMEOUT, env=env_for_ranks())
    if check:
        assert p.returncode == 0, p.stderr.decode(errors="replace")
    return p


def torchrun(*args, nproc=2):
    """torchrun --standalone: its agent hosts the store, the ranks connect to it."""
    p = subprocess.run([TORCHRUN, "--standalone", "--nproc-per-node", str(nproc), "--no-python", CLI,
                        *map(str, args)], capture_output=True, timeout=TIMEOUT, env=env_for_ranks())
    assert p.returncode == 0, (p.stdout + p.stderr).decode(errors="replace")
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ranks(args, world=2, **extra_env):
    """The ranks started by hand, as torchrun would but without its agent
    (which would end the others itself when one dies)."""
    port = free_port()
    procs = []
    for rank in range(world):
        env = env_for_ranks(RANK=rank, WORLD_SIZE=world, LOCAL_RANK=rank, LOCAL_WORLD_SIZE=world,
                            MASTER_ADDR="127.0.0.1", MASTER_PORT=port, **extra_env)
        procs.append(subprocess.Popen([CLI, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      env=env))
    return procs


def finish(proc, timeout=TIMEOUT):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, err.decode(errors="replace")


def state_dict(model_dir):
    return {k: v.float() for k, v in AutoModelForCausalLM.from_pretrained(model_dir).state_dict().items()}


def assert_same_updates(before, one, two, rel=1e-4):
    """after - before of the two runs agree, tensor by tensor, within rel of
    the update's norm (AdamW's first steps turn float rounding of a gradient
    near zero into a few visibly different elements, so not elementwise),
    and the update is not nothing (so the comparison can fail)."""
    assert before.keys() == one.keys() == two.keys()
    assert max((one[k] - before[k]).abs().max().item() for k in before) > 1e-4, "the weights did not move"
    for k in before:
        d1, d2 = one[k] - before[k], two[k] - before[k]
        if k.endswith("attn.c_attn.bias"):
            # GPT-2's key bias has no gradient in exact arithmetic (the
            # softmax ignores what it adds to every key alike): its updates
            # are AdamW of rounding noise, in either run.
            n = d1.numel() // 3
            d1, d2 = torch.cat([d1[:n], d1[2 * n:]]), torch.cat([d2[:n], d2[2 * n:]])
        if d1.norm() == 0:
            assert d2.norm() == 0, k
            continue
        err = ((d2 - d1).norm() / d1.norm()).item()
        assert err <= rel, f"{k}: the updates differ by {err:.3g} of their norm"


def newest_checkpoint(out):
    steps = [int(p.name[5:]) for p in (Path(out) / "checkpoints").glob("step-*") if p.name[5:].isdigit()]
    return max(steps, default=0)


def metrics(out):
    return [json.loads(l) for l in (Path(out) / "metrics.jsonl").read_text().splitlines() if l.strip()]


def test_two_ranks_update_full_weights_as_one_process_with_the_combined_batch(base, tmp_path):
    flags = ["--max-steps", 4, "--grad-accum", 2, "--val-fraction", 0.2, "--eval-every", 2, "--save-every", 0]
    single(*lm_flags(base, tmp_path / "one", "--batch-size", 4, *flags, "--dump-batches", tmp_path / "one.jsonl"))
    torchrun(*lm_flags(base, tmp_path / "two", "--batch-size", 2, *flags, "--dump-batches", tmp_path / "two.jsonl"))
    # Each rank reads its own half of each global micro-batch, in one process's order.
    def rows(lines):
        return [(b["step"], b["input_ids"][r * b["cols"]:(r + 1) * b["cols"]]) for b in lines for r in range(b["rows"])]
    one_b = [json.loads(l) for l in (tmp_path / "one.jsonl").read_text().splitlines()]
    ranks_b = [[json.loads(l) for l in (tmp_path / name).read_text().splitlines()]
               for name in ("two.jsonl", "two.jsonl.rank1")]
    assert {b["rank"] for b in ranks_b[0]} == {0} and {b["rank"] for b in ranks_b[1]} == {1}
    # Global micro-batch k: rows [0, 2) on rank 0, [2, 4) on rank 1 (which skips one without rows).
    assert rows(ranks_b[0]) == [r for b in one_b for r in rows([b])[:2]]
    assert rows(ranks_b[1]) == [r for b in one_b for r in rows([b])[2:]]
    assert len(rows(ranks_b[1])) >= 8 and sorted({b["step"] for b in one_b}) == [1, 2, 3, 4]
    assert_same_updates(state_dict(base / "model"), state_dict(tmp_path / "one" / "model"),
                        state_dict(tmp_path / "two" / "model"))
    one, two = metrics(tmp_path / "one"), metrics(tmp_path / "two")
    # Rank 0 alone writes the log; the loss, tokens and the sharded evaluation are the whole batch's.
    assert [m["step"] for m in one] == [m["step"] for m in two]
    for a, b in zip(one, two):
        for key in ("loss", "eval_loss"):
            if key in a:
                assert b[key] == pytest.approx(a[key], rel=1e-5), (key, a, b)
    marker = json.loads((tmp_path / "two" / "fabula.json").read_text())
    assert marker["settings"]["batch-size"] == 4 and marker["settings"]["ranks"] == 2


def test_two_ranks_train_a_lora_adapter_as_one_process(base, tmp_path):
    start = tmp_path / "start"
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(base / "model"),
                           LoraConfig(task_type="CAUSAL_LM", r=4, lora_alpha=8, lora_dropout=0.0))
    torch.manual_seed(5)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.1)  # off zero, so A gets gradients from the first step
    model.save_pretrained(start)
    flags = ["--adapter", start, "--max-steps", 3, "--val-fraction", 0]
    single(*lm_flags(base, tmp_path / "one", "--batch-size", 4, *flags))
    torchrun(*lm_flags(base, tmp_path / "two", "--batch-size", 2, *flags))
    before = load_file(start / "adapter_model.safetensors")
    assert_same_updates(before, load_file(tmp_path / "one" / "adapter" / "adapter_model.safetensors"),
                        load_file(tmp_path / "two" / "adapter" / "adapter_model.safetensors"))


@pytest.mark.parametrize("objective,data", [("dpo", "pairs.jsonl"), ("kto", "kto.jsonl")])
def test_preference_objectives_on_two_ranks_equal_one_process(objectives_base, tmp_path, objective, data):  # noqa: F811
    base = objectives_base
    # Two different models as policy and reference, so that KTO's KL estimate
    # is above 0 (not clamped) and each rank's half of the batch has another.
    args = ["train", "--model", base / "ref", "--ref", base / "model", "--objective", objective,
            "--data", base / data, "--max-steps", 2, "--lr", 1e-3, "--val-fraction", 0, "--threads", 1,
            "--precision", "fp32"]
    single(*args, "--out", tmp_path / "one", "--batch-size", 4)
    torchrun(*args, "--out", tmp_path / "two", "--batch-size", 2)
    assert_same_updates(state_dict(base / "ref"), state_dict(tmp_path / "one" / "model"),
                        state_dict(tmp_path / "two" / "model"))
    for a, b in zip(metrics(tmp_path / "one"), metrics(tmp_path / "two")):
        assert b["loss"] == pytest.approx(a["loss"], rel=1e-5)
        if objective == "kto":  # the KL reference point is the whole batch's mean
            assert a["kl"] > 0
            # A mean of log-probability differences, so float32 rounding of
            # the batch-of-2 and batch-of-4 products shows more in it than in
            # the loss: 1.5e-5 apart on an Intel Xeon; 1e-4, as per step.
            assert b["kl"] == pytest.approx(a["kl"], rel=1e-4)


def test_a_refusal_on_rank_0_reaches_every_rank_with_one_message(base, tmp_path):
    out = tmp_path / "used"
    out.mkdir()
    (out / "notes.txt").write_text("the writer's own file\n")
    procs = start_ranks(lm_flags(base, out, "--batch-size", 2, "--max-steps", 2, "--dist-timeout", 60))
    results = [finish(p) for p in procs]
    assert [code for code, _ in results] == [2, 2], results
    messages = {[l for l in err.splitlines() if l.startswith("fabula-cli train:")][0] for _, err in results}
    assert len(messages) == 1, messages
    assert "is not empty" in messages.pop()
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]  # nothing written beside it


def test_a_run_folder_another_process_trains_in_is_refused_on_every_rank_at_once(base, tmp_path):
    """train.lock names a live process (this test): rank 0 refuses before the
    run starts, and rank 1 hears it at once, not at --dist-timeout."""
    out = tmp_path / "busy"
    out.mkdir()
    (out / "train.lock").write_text(f"{os.getpid()}\n")
    started = time.monotonic()
    procs = start_ranks(lm_flags(base, out, "--batch-size", 2, "--max-steps", 2, "--dist-timeout", 120))
    results = [finish(p) for p in procs]
    assert [code for code, _ in results] == [2, 2], results
    messages = {[l for l in err.splitlines() if l.startswith("fabula-cli train:")][0] for _, err in results}
    assert messages == {f"fabula-cli train: {out} is already training (pid {os.getpid()})"}, messages
    assert time.monotonic() - started < 60  # well inside the timeout
    assert (out / "train.lock").read_text() == f"{os.getpid()}\n"  # the other run's lock stays


def test_a_killed_rank_ends_the_other_and_the_run_resumes_in_one_process(base, tmp_path):
    out = tmp_path / "run"
    steps = 40
    flags = ["--max-steps", steps, "--val-fraction", 0, "--save-every", 1, "--keep-checkpoints", 2]
    # Rank 0 pauses after each logged step, so the kill lands mid-run.
    procs = start_ranks(lm_flags(base, out, "--batch-size", 2, "--dist-timeout", 20, *flags),
                        FABULA_TEST_STEP_DELAY_MS=200)
    deadline = time.time() + TIMEOUT
    while newest_checkpoint(out) < 3:
        assert time.time() < deadline and procs[0].poll() is None, "rank 0 never reached step 3"
        time.sleep(0.05)
    procs[1].kill()
    procs[1].wait(timeout=30)
    code, err = finish(procs[0], timeout=120)
    assert code == 1, err
    assert "rank 1 stopped responding" in err
    assert 3 <= newest_checkpoint(out) < steps

    # The same global batch in one process continues the run to its end, as
    # if it had never stopped.
    resumed = single(*lm_flags(base, out, "--batch-size", 4, "--resume", *flags))
    assert "done" in resumed.stderr.decode()
    logged = [m["step"] for m in metrics(out) if "loss" in m]
    assert logged == list(range(1, steps + 1))
    single(*lm_flags(base, tmp_path / "whole", "--batch-size", 4, *flags))
    assert_same_updates(state_dict(base / "model"), state_dict(tmp_path / "whole" / "model"),
                        state_dict(out / "model"), rel=1e-3)


def test_resuming_with_another_global_batch_is_refused_naming_both(base, tmp_path):
    out = tmp_path / "run"
    torchrun(*lm_flags(base, out, "--batch-size", 2, "--max-steps", 2, "--val-fraction", 0, "--save-every", 1))
    p = single(*lm_flags(base, out, "--batch-size", 2, "--max-steps", 2, "--val-fraction", 0, "--resume"),
               check=False)
    assert p.returncode == 2
    err = p.stderr.decode()
    assert "global batch of 4" in err and "--batch-size 2 x 1 rank" in err, err


def test_sigterm_under_torchrun_ends_a_rank_at_once_and_the_run_resumes(base, tmp_path):
    """What torchrun's agent does when a rank has died: SIGTERM to the others.
    They end without a last checkpoint (no "stopping after this step"), and
    the newest complete checkpoint continues."""
    out = tmp_path / "run"
    flags = ["--max-steps", 30, "--val-fraction", 0, "--save-every", 1, "--keep-checkpoints", 2]
    procs = start_ranks(lm_flags(base, out, "--batch-size", 2, *flags), FABULA_TEST_STEP_DELAY_MS=200)
    deadline = time.time() + TIMEOUT
    while newest_checkpoint(out) < 2:
        assert time.time() < deadline and procs[0].poll() is None, "rank 0 never reached step 2"
        time.sleep(0.05)
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        code, err = finish(p, timeout=60)
        assert code == 128 + signal.SIGTERM, err
        assert "ended by SIGTERM" in err and "stopping after this step" not in err, err
    for step in (out / "checkpoints").glob("step-*"):
        assert (step / "trainer_state.json").is_file(), step
    single(*lm_flags(base, out, "--batch-size", 4, "--resume", *flags))
    assert [m["step"] for m in metrics(out) if "loss" in m] == list(range(1, 31))
