"""The contract of `fabula-cli train` with whoever starts it (issue 8): the
settings as an --options JSON file, the progress as --events JSON lines, and
RUN/train.lock while a process trains in RUN."""
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from model_fixtures import CLI, SHARED, make_model, run_cli

STORIES = SHARED / "data" / "stories" / "tinystories_subset.jsonl"

# What each event carries, with its JSON type (bool is not an int here).
FIELDS = {
    "start": {"total_steps": int, "steps_per_epoch": int, "device": str, "precision": str, "threads": int,
              "train_tokens": int, "run": str},
    "step": {"step": int, "total_steps": int, "epoch": float, "loss": float, "lr": float, "grad_norm": float,
             "tokens_per_second": float, "eta_seconds": float},
    "eval": {"step": int, "loss": float, "perplexity": float},
    "checkpoint": {"step": int, "path": str},
    "done": {"steps": int, "model": str},
    "stopped": {"step": int, "checkpoint": str},
    "error": {"message": str},
    "warning": {"message": str},
}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    d = tmp_path_factory.mktemp("base")
    make_model(d / "model", n_layer=2, n_head=2, n_embd=32, n_positions=64)
    lines = STORIES.read_text().splitlines()
    (d / "stories.jsonl").write_text("\n".join(lines[:40]) + "\n")
    return d


def flags(base, out, **over):
    """The recipe of these tests as flags; `over` replaces or adds some."""
    f = {"model": base / "model", "data": base / "stories.jsonl", "out": out, "cache-dir": base / "cache",
         "block-size": 32, "threads": 1, "precision": "fp32", "val-fraction": 0.1, "max-steps": 6,
         "save-every": 3, "eval-every": 3}
    f.update(over)
    args = []
    for k, v in f.items():
        args += ["--" + k] if v is True else ["--" + k, v]
    return args


def parse_events(text):
    """Every line of stdout is one event, checked against FIELDS."""
    events = [json.loads(line) for line in text.splitlines()]
    for e in events:
        fields = FIELDS[e["event"]]
        assert set(fields) <= set(e), e
        for name, kind in fields.items():
            value = e[name]
            if kind is float:
                assert isinstance(value, (int, float)) and not isinstance(value, bool), (name, e)
            else:
                assert type(value) is kind, (name, e)
    return events


def train_events(*args, env=None, check=True):
    p = subprocess.run([str(CLI), "train", *map(str, args), "--events", "-"], capture_output=True,
                       env=dict(os.environ, FABULA_THREADS="1", **(env or {})), timeout=600)
    if check:
        assert p.returncode == 0, p.stderr.decode(errors="replace")
    return p, parse_events(p.stdout.decode())


def metrics(out):
    return [json.loads(l) for l in (Path(out) / "metrics.jsonl").read_text().splitlines()]


def settings(out):
    return json.loads((Path(out) / "fabula.json").read_text())["settings"]


def test_a_run_reports_every_event(base, tmp_path):
    out = tmp_path / "run"
    _, events = train_events(*flags(base, out))
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "done" and kinds.count("start") == 1

    start = events[0]
    report = json.loads(run_cli("prepare", "--json", *flags(base, out)).stdout)
    assert start["total_steps"] == 6 and start["run"] == str(out)
    assert start["steps_per_epoch"] == report["steps_per_epoch"]
    assert start["train_tokens"] == report["train"]["tokens"] > 0
    assert (start["device"], start["precision"], start["threads"]) == ("cpu", "fp32", 1)

    # One step event per optimizer step, with the loss metrics.jsonl records.
    steps = [e for e in events if e["event"] == "step"]
    assert [e["step"] for e in steps] == list(range(1, 7))
    assert all(e["total_steps"] == 6 and e["lr"] > 0 and e["tokens_per_second"] > 0 for e in steps)
    logged = {m["step"]: m for m in metrics(out) if "loss" in m}
    assert [e["loss"] for e in steps] == [logged[s]["loss"] for s in range(1, 7)]
    assert [e["grad_norm"] for e in steps] == [logged[s]["grad_norm"] for s in range(1, 7)]
    assert steps[-1]["eta_seconds"] == 0

    evals = [e for e in events if e["event"] == "eval"]
    assert [e["step"] for e in evals] == [3, 6]
    logged_evals = [m for m in metrics(out) if "eval_loss" in m]
    assert [e["loss"] for e in evals] == [m["eval_loss"] for m in logged_evals]
    assert all(abs(e["perplexity"] - m["eval_perplexity"]) < 1e-9 * e["perplexity"]
               for e, m in zip(evals, logged_evals))

    checkpoints = [e for e in events if e["event"] == "checkpoint"]
    assert [e["step"] for e in checkpoints] == [3, 6]
    assert all((Path(e["path"]) / "trainer_state.json").exists() for e in checkpoints)
    assert events[-1] == {"event": "done", "steps": 6, "model": str(out / "model")}
    assert (out / "model" / "model.safetensors").exists()
    assert not (out / "train.lock").exists()


def test_log_every_thins_the_metrics_not_the_events(base, tmp_path):
    out = tmp_path / "run"
    _, events = train_events(*flags(base, out, **{"log-every": 4}))
    assert [e["step"] for e in events if e["event"] == "step"] == list(range(1, 7))
    assert [m["step"] for m in metrics(out) if "loss" in m] == [4, 6]


def test_sigint_stops_with_the_checkpoint_and_resume_starts_again(base, tmp_path):
    out = tmp_path / "run"
    # A pause after each step, so the signal lands between two steps.
    env = dict(os.environ, FABULA_THREADS="1", FABULA_TEST_STEP_DELAY_MS="1000")
    p = subprocess.Popen([str(a) for a in [CLI, "train", *flags(base, out), "--events", "-"]],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    lines = []
    try:
        for raw in p.stdout:
            lines.append(raw.decode())
            if json.loads(lines[-1])["event"] == "step":
                break
        # While it trains, RUN/train.lock names it.
        assert (out / "train.lock").read_text().strip() == str(p.pid)
        p.send_signal(signal.SIGINT)
        rest, err = p.communicate(timeout=300)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 130, err.decode(errors="replace")
    events = parse_events("".join(lines) + rest.decode())
    assert events[0]["event"] == "start" and events[-1]["event"] == "stopped"
    stopped = events[-1]
    steps = [e["step"] for e in events if e["event"] == "step"]
    assert steps == list(range(1, stopped["step"] + 1)) and stopped["step"] < 6
    # It saved where it stopped, and says so.
    checkpoints = [e for e in events if e["event"] == "checkpoint"]
    assert checkpoints[-1] == {"event": "checkpoint", "step": stopped["step"], "path": stopped["checkpoint"]}
    assert Path(stopped["checkpoint"]) == out / "checkpoints" / f"step-{stopped['step']}"
    assert (Path(stopped["checkpoint"]) / "trainer_state.json").exists()
    assert not (out / "train.lock").exists()

    _, resumed = train_events(*flags(base, out, resume=True))
    assert resumed[0]["event"] == "start" and resumed[0]["total_steps"] == 6
    assert [e["step"] for e in resumed if e["event"] == "step"] == list(range(stopped["step"] + 1, 7))
    assert resumed[-1] == {"event": "done", "steps": 6, "model": str(out / "model")}


def test_a_live_lock_refuses_a_second_train_and_a_stale_one_is_replaced(base, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    # This test's own process is alive, as a training child would be.
    (out / "train.lock").write_text(f"{os.getpid()}\n")
    p, events = train_events(*flags(base, out), check=False)
    assert p.returncode == 2
    assert f"already training (pid {os.getpid()})" in p.stderr.decode()
    assert events == [{"event": "error", "message": f"{out} is already training (pid {os.getpid()})"}]
    assert (out / "train.lock").read_text() == f"{os.getpid()}\n"  # still the holder's

    # The same refusal into the run's own events file leaves that file to the run.
    r = run_cli("train", *flags(base, out), "--events", out / "events.jsonl", check=False)
    assert r.returncode == 2 and (out / "events.jsonl").read_text() == ""

    # A lock left by a killed run: its pid is no longer a process.
    dead = subprocess.Popen(["true"])
    dead.wait()
    (out / "train.lock").write_text(f"{dead.pid}\n")
    _, events = train_events(*flags(base, out))
    assert events[0]["event"] == "start" and events[-1]["event"] == "done"
    assert not (out / "train.lock").exists()


def test_the_events_file_may_live_in_the_new_run_folder(base, tmp_path):
    out = tmp_path / "run"
    run_cli("train", *flags(base, out), "--events", out / "events.jsonl")
    events = parse_events((out / "events.jsonl").read_text())
    assert events[0]["event"] == "start" and events[-1]["event"] == "done"


def test_error_event_for_unreadable_stories(base, tmp_path):
    out = tmp_path / "run"
    missing = tmp_path / "no-such-stories.jsonl"
    p, events = train_events(*flags(base, out, data=missing), check=False)
    assert p.returncode == 3, p.stderr.decode()
    assert [e["event"] for e in events] == ["error"]
    assert str(missing) in events[0]["message"]
    assert not (out / "train.lock").exists()


def write_options(path, options):
    path.write_text(json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in options.items()}))
    return path


@pytest.mark.parametrize("options,needle", [
    ({"batch-sise": 2}, '"batch-sise" is not a setting'),
    ({"quiet": True}, '"quiet" is not a setting'),
    ({"batch-size": "2"}, '"batch-size" must be a whole number'),
    ({"lr": "5e-5"}, '"lr" must be a number'),
    ({"resume": 1}, '"resume" must be true or false'),
    ({"data": ["a", "b"]}, '"data" must be a string'),
    ({"seed": -1}, "--seed: -1 is too small"),
])
def test_options_file_refuses_unknown_and_mistyped_keys(base, tmp_path, options, needle):
    f = write_options(tmp_path / "options.json", options)
    p, events = train_events("--options", f, *flags(base, tmp_path / "run"), check=False)
    assert p.returncode == 2, p.stderr.decode()
    assert needle in p.stderr.decode()
    if "setting" in needle or "must be" in needle:
        assert str(f) in p.stderr.decode()
    assert [e["event"] for e in events] == ["error"] and needle in events[0]["message"]
    assert not (tmp_path / "run" / "train.lock").exists()


def test_options_file_equals_flags_and_flags_win(base, tmp_path):
    recipe = {"lr": 1e-4, "batching": "pad", "seed": 3, "warmup-steps": 2, "weight-decay": 0.01}
    run_cli("train", *flags(base, tmp_path / "flags", **recipe))

    args = flags(base, tmp_path / "file", **recipe)
    options = {args[i][2:]: args[i + 1] for i in range(0, len(args), 2)}
    _, events = train_events("--options", write_options(tmp_path / "options.json", options))
    assert events[0]["event"] == "start" and events[-1]["event"] == "done"
    assert settings(tmp_path / "file") == settings(tmp_path / "flags")

    # Flags given on the command line win over the file.
    _, events = train_events("--options", tmp_path / "options.json", "--out", tmp_path / "won", "--max-steps", 2,
                             "--lr", 2e-4)
    assert events[-1] == {"event": "done", "steps": 2, "model": str(tmp_path / "won" / "model")}
    s = settings(tmp_path / "won")
    assert (s["max-steps"], s["lr"], s["batching"], s["seed"]) == (2, 2e-4, "pad", 3)
