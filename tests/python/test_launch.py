"""fabula-cli train --nproc-per-node N: the CLI itself starts the N ranks as
torchrun --standalone would (app/cli_launch.cpp). Two ranks with --batch-size b
make the same updates as one process with 2b; only rank 0's output reaches
the caller; a rank killed -9 ends the launch with its code and the other
rank gone; Ctrl+C stops every rank at a step with a checkpoint (exit 130).
The ranks' environment is torchrun's, so the trainer is the one
test_distributed.py checks under torchrun itself."""
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from model_fixtures import CLI
from test_distributed import (TIMEOUT, assert_same_updates, base, env_for_ranks, lm_flags,  # noqa: F401
                              single, state_dict)


def launch(*args, **extra_env):
    return subprocess.Popen([CLI, *map(str, args), "--nproc-per-node", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env_for_ranks(**extra_env))


def rank_pids(launcher_pid):
    """The launcher's children by RANK (from their environment)."""
    children = Path(f"/proc/{launcher_pid}/task/{launcher_pid}/children").read_text().split()
    ranks = {}
    for pid in children:
        env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        rank = [e[5:].decode() for e in env if e.startswith(b"RANK=")]
        ranks[int(rank[0])] = int(pid)
    return ranks


def wait_for_line(stream, needle, lines):
    """Reads the launch's stderr until a line starts with needle (the step
    delay below holds the ranks there, so the signal lands between steps)."""
    for raw in stream:
        line = raw.decode(errors="replace")
        lines.append(line)
        if line.startswith(needle):
            return
    raise AssertionError("the launch ended before '" + needle + "':\n" + "".join(lines))


def test_two_launched_ranks_update_as_one_process_and_only_rank_0_reports(base, tmp_path):  # noqa: F811
    flags = ["--max-steps", 3, "--val-fraction", 0, "--save-every", 0]
    single(*lm_flags(base, tmp_path / "one", "--batch-size", 4, *flags))
    events = tmp_path / "events.jsonl"
    p = launch(*lm_flags(base, tmp_path / "two", "--batch-size", 2, *flags, "--events", events))
    out, err = p.communicate(timeout=TIMEOUT)
    assert p.returncode == 0, err.decode(errors="replace")
    assert_same_updates(state_dict(base / "model"), state_dict(tmp_path / "one" / "model"),
                        state_dict(tmp_path / "two" / "model"))
    # One writer of --events and of the progress: every step once.
    steps = [e["step"] for e in map(json.loads, events.read_text().splitlines()) if e.get("event") == "step"]
    assert steps == [1, 2, 3], steps
    progress = [l for l in err.decode().splitlines() if l.startswith("step ")]
    assert [l.split()[1] for l in progress] == ["1/3", "2/3", "3/3"], progress
    assert json.loads((tmp_path / "two" / "fabula.json").read_text())["settings"]["ranks"] == 2


def test_a_killed_rank_ends_the_launch_with_its_code(base, tmp_path):  # noqa: F811
    p = launch(*lm_flags(base, tmp_path / "run", "--batch-size", 2, "--max-steps", 50, "--val-fraction", 0,
                         "--dist-timeout", 60), FABULA_TEST_STEP_DELAY_MS=2000)
    lines = []
    try:
        wait_for_line(p.stderr, "step 1/", lines)
        ranks = rank_pids(p.pid)
        assert sorted(ranks) == [0, 1]
        os.kill(ranks[1], signal.SIGKILL)
        _, err = p.communicate(timeout=TIMEOUT)
    finally:
        p.kill()
    err = "".join(lines) + err.decode(errors="replace")
    assert p.returncode == 128 + signal.SIGKILL, err
    assert "rank 1 exited with code 137; ending the other ranks" in err
    # The launcher waited for rank 0, which torchrun's way ended at once.
    assert not Path(f"/proc/{ranks[0]}").exists()


def test_ctrl_c_stops_every_rank_at_a_step_with_a_checkpoint(base, tmp_path):  # noqa: F811
    out = tmp_path / "run"
    p = launch(*lm_flags(base, out, "--batch-size", 2, "--max-steps", 50, "--val-fraction", 0,
                         "--dist-timeout", 60), FABULA_TEST_STEP_DELAY_MS=2000)
    lines = []
    try:
        wait_for_line(p.stderr, "step 1/", lines)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=TIMEOUT)
    finally:
        p.kill()
    err = "".join(lines) + err.decode(errors="replace")
    assert p.returncode == 130, err
    assert "continue with --resume" in err
    assert any((out / "checkpoints").glob("step-*")), err
