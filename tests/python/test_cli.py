"""fabula-cli's command line: help and version, the nearest option for a
mistyped one, numbers out of range named as such, the max-new-tokens clamp,
and Ctrl+C twice during train."""
import json
import os
import queue
import re
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from model_fixtures import CLI, SHARED, hf_tokenizer, make_model, run_cli

ROOT = Path(__file__).resolve().parents[2]
STORIES = SHARED / "data" / "stories" / "tinystories_subset.jsonl"

# Every option each command took before the parser moved to CLI11 (the sets
# the hand-written parser was given), plus export's --overwrite.
ENGINE = {"model", "precision", "device", "threads"}
READING = {"data", "separator", "text-field", "csv-column", "strict"}
TRAINING = ENGINE | READING | {
    "cache-dir", "config", "out", "epochs", "lr", "batch-size", "grad-accum", "max-steps", "warmup-steps",
    "weight-decay", "block-size", "batching", "val-fraction", "eval-every", "save-every", "keep-checkpoints",
    "log-every", "seed", "dump-batches", "from-scratch",
    "objective", "ref", "beta", "desirable-weight", "undesirable-weight", "lm-mix", "stories",
    "lora-r", "lora-alpha", "lora-dropout", "lora-targets", "use-rslora", "adapter", "voice"}
ADAPTERS = {"adapter", "adapter-weight"}
STORY = {"prompt", "prompt-file", "memory", "authors-note", "authors-note-depth", "lore", "lore-scan", "eot-as-text"}
OPTIONS = {
    "tokenize": {"model", "text", "eot-as-text", "decode", "specials"},
    "info": ENGINE | {"max-context", "json"},
    "generate": ENGINE | {"max-context", "prompt", "max-new-tokens", "min-new-tokens", "temperature", "top-k", "top-p",
                          "repetition-penalty", "seed", "stop", "greedy", "json", "eot-as-text"} | ADAPTERS | STORY,
    "prepare": TRAINING | {"json", "no-timing"},
    "train": TRAINING | {"resume", "quiet", "options", "events", "export-job", "overwrite", "nproc-per-node",
                         "dist-timeout"},
    "eval": ENGINE | READING | ADAPTERS | {"json"},
    "export": {"checkpoint", "out", "overwrite", "model", "merge"} | ADAPTERS,
    "dev-logits": ENGINE | ADAPTERS | {"max-context", "ids", "split", "chunk", "out"},
    "dev-ttft": ENGINE | STORY | {"max-context", "append", "max-new-tokens"},
    "prefs-eval": ENGINE | {"data", "ref", "beta", "json"},
    "feedback": {"database", "out", "draft", "exclude-draft", "tokenizer", "json"},
    "dev-filter": {"logits", "vocab", "history", "new-tokens", "temperature", "top-k", "top-p",
                   "repetition-penalty", "min-new-tokens", "eos", "out", "greedy"},
}
SWITCHES = {"eot-as-text", "specials", "decode", "greedy", "json", "strict", "from-scratch", "resume", "quiet", "overwrite",
            "use-rslora", "merge", "no-timing"}


def help_options(text):
    """{name: (value name or None, the option's whole help)} of a --help text."""
    out, name = {}, None
    for line in text.splitlines():
        m = re.match(r"^  --([a-z0-9-]+)(?: (\S+))?\s*(.*)$", line)
        if m:
            name = m.group(1)
            out[name] = [m.group(2), m.group(3)]
        elif name and line.startswith("    "):
            out[name][1] += " " + line.strip()
        else:
            name = None
    return {k: (v, " ".join(h.split())) for k, (v, h) in out.items()}


def readme_examples():
    """The fabula-cli lines of the README's "The command line" section, with
    continuation lines joined."""
    section = ROOT.joinpath("README.md").read_text().split("## The command line", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    text = block.replace("\\\n", " ")
    return [l.strip() for l in text.splitlines() if "fabula-cli " in l and not l.lstrip().startswith("#")]


def squashed(s):
    return " ".join(s.replace("\\\n", " ").split())


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_command_help_lists_every_option_with_its_meaning_and_default(command):
    p = run_cli(command, "--help")
    assert p.returncode == 0 and not p.stderr
    text = p.stdout.decode()
    listed = help_options(text)
    assert set(listed) == OPTIONS[command], text
    assert "-h,--help" in text
    for name, (value, description) in listed.items():
        assert len(description) > 10, (name, description)
        if name in SWITCHES:
            assert value is None, name
        else:
            assert value, name
            assert "(required)" in value + description or "default: " in description, (name, description)
    # -h is the same help.
    assert run_cli(command, "-h").stdout.decode() == text


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_command_help_has_the_readme_examples(command):
    text = squashed(run_cli(command, "--help").stdout.decode())
    examples = [e for e in readme_examples() if re.search(rf"fabula-cli {re.escape(command)}\s", e)]
    if not command.startswith("dev-"):
        assert examples, f"the README has no example of {command}"
    for e in examples:
        assert squashed(e) in text, e


def test_the_defaults_shown_are_the_readme_recipe():
    """README: "lr 5e-5, 3 epochs, batch 2", "--precision auto", packed batches."""
    listed = help_options(run_cli("train", "--help").stdout.decode())
    assert "default: 5e-05" in listed["lr"][1]
    assert "default: 3" in listed["epochs"][1]
    assert "default: 2" in listed["batch-size"][1]
    assert "default: pack" in listed["batching"][1]
    assert "default: auto" in listed["precision"][1]


def test_top_level_help_and_version_exit_0():
    p = run_cli("--help")
    text = p.stdout.decode()
    for command in OPTIONS:
        assert re.search(rf"^  {re.escape(command)}\s", text, re.M), command
    for e in readme_examples():
        assert squashed(e) in squashed(text), e
    assert "130" in text  # the exit codes
    v = run_cli("--version")
    version = re.search(r"project\(Fabula VERSION (\S+)", ROOT.joinpath("CMakeLists.txt").read_text()).group(1)
    assert v.stdout.decode() == f"fabula-cli {version}\n" and not v.stderr
    # Without a command: the usage on stderr, exit 2.
    p = run_cli(check=False)
    assert p.returncode == 2 and b"usage: fabula-cli COMMAND" in p.stderr


GUI = Path(os.environ.get("FABULA_BUILD_DIR", "")) / "app" / "fabula"


@pytest.mark.skipif(not GUI.is_file(), reason="the app is built only with FABULA_WITH_UI")
def test_the_app_answers_help_and_version_without_a_display():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    version = re.search(r"project\(Fabula VERSION (\S+)", ROOT.joinpath("CMakeLists.txt").read_text()).group(1)
    h = subprocess.run([str(GUI), "--help"], capture_output=True, env=env, timeout=60)
    assert h.returncode == 0, h.stderr.decode()
    assert b"--screenshot" in h.stdout and b"--database" in h.stdout
    v = subprocess.run([str(GUI), "--version"], capture_output=True, env=env, timeout=60)
    assert v.returncode == 0 and version.encode() in v.stdout, (v.stdout, v.stderr)


@pytest.mark.parametrize("args,message", [
    (["generate", "--max-new-token", "5"], "unknown option --max-new-token; did you mean --max-new-tokens?"),
    (["generate", "--max-new-token=5"], "unknown option --max-new-token; did you mean --max-new-tokens?"),
    (["train", "--bach-size", "4"], "unknown option --bach-size; did you mean --batch-size?"),
    (["export", "--overwirte"], "unknown option --overwirte; did you mean --overwrite?"),
    (["tokenize", "--hepl"], "unknown option --hepl; did you mean --help?"),
])
def test_unknown_option_suggests_the_nearest(tmp_path, args, message):
    p = run_cli(*args, "--model", tmp_path / "none", check=False) if args[0] != "export" else \
        run_cli(*args, check=False)
    assert p.returncode == 2, p.stderr
    assert p.stderr.decode() == f"fabula-cli {args[0]}: {message}\n"


def test_unknown_option_or_command_with_nothing_close():
    p = run_cli("generate", "--bogus", check=False)
    err = p.stderr.decode()
    assert p.returncode == 2 and "unknown option --bogus" in err and "did you mean" not in err
    p = run_cli("genrate", check=False)
    assert p.returncode == 2 and "unknown command 'genrate'; did you mean generate?" in p.stderr.decode()
    p = run_cli("tokenize", "--model", "x", "stray", check=False)
    assert p.returncode == 2 and "unexpected argument 'stray'" in p.stderr.decode()


def test_both_spellings_and_values_that_look_like_options():
    gpt2 = SHARED / "data" / "gpt2"
    a = run_cli("tokenize", "--model", gpt2, "--text", "-- a dash").stdout
    b = run_cli("tokenize", f"--model={gpt2}", "--text=-- a dash").stdout
    assert a == b and json.loads(a) == hf_tokenizer()("-- a dash")["input_ids"]
    assert run_cli("tokenize", "--model", gpt2, "--text=").stdout == b"[]\n"
    p = run_cli("tokenize", "--model", gpt2, "--decode=yes", check=False)
    assert p.returncode == 2 and "--decode takes no value" in p.stderr.decode()
    p = run_cli("tokenize", "--model", check=False)
    assert p.returncode == 2 and "--model needs a value" in p.stderr.decode()


def numeric_options(command):
    listed = help_options(run_cli(command, "--help").stdout.decode())
    return sorted((n, v) for n, (v, _) in listed.items() if v in ("N", "X"))


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_every_number_that_overflows_is_reported_as_too_large(command, tmp_path):
    """Before any file is read (the model does not exist), with exit 2."""
    numeric = numeric_options(command)
    if command not in ("tokenize", "export", "feedback"):  # feedback takes draft IDs, not counts
        assert numeric
    for name, kind in numeric:
        value = "99999999999999999999" if kind == "N" else "1e999"
        p = run_cli(command, "--model", tmp_path / "none", f"--{name}", value, check=False) \
            if "model" in OPTIONS[command] else run_cli(command, f"--{name}", value, check=False)
        assert p.returncode == 2, (name, p.stderr)
        assert f"--{name}: {value} is too large" in p.stderr.decode(), (name, p.stderr)


@pytest.mark.parametrize("args,message", [
    (["generate", "--max-new-tokens", "99999999999"],
     "--max-new-tokens: 99999999999 is too large; it takes a whole number from 1 to 1048576"),
    (["generate", "--max-new-tokens", "0"],
     "--max-new-tokens: 0 is too small; it takes a whole number from 1 to 1048576"),
    (["generate", "--threads", "-99999999999999999999"],
     "--threads: -99999999999999999999 is too small; it takes a whole number from 1 to 1024"),
    (["train", "--batch-size", "99999999999"],
     "--batch-size: 99999999999 is too large; it takes a whole number up to 2147483647"),
    (["train", "--max-steps", "9223372036854775808"],
     "--max-steps: 9223372036854775808 is too large; it takes a whole number up to 9223372036854775807"),
    (["train", "--seed", "-1"], "--seed: -1 is too small; it takes a whole number from 0 to 9223372036854775807"),
    (["train", "--lr", "inf"], "--lr needs a finite number, not 'inf'"),
    (["generate", "--top-p", "nan"], "--top-p needs a finite number, not 'nan'"),
    (["generate", "--temperature", "-1e999"], "--temperature: -1e999 is too far below 0; it takes a finite number"),
    (["generate", "--top-k", "4.5"], "--top-k needs a whole number, not '4.5'"),
])
def test_range_messages_name_the_flag_and_its_range(tmp_path, args, message):
    p = run_cli(*args, "--model", tmp_path / "none", check=False)
    assert p.returncode == 2
    assert p.stderr.decode() == f"fabula-cli {args[0]}: {message}\n"


def test_max_new_tokens_is_clamped_to_half_the_context(tmp_path):
    d = make_model(tmp_path / "m", n_layer=1, n_head=2, n_embd=16, n_positions=64)
    # --min-new-tokens keeps the end-of-text away, so exactly the clamped number comes.
    p = run_cli("generate", "--model", d, "--prompt", "Once upon a time", "--json", "--max-new-tokens", 1000,
                "--min-new-tokens", 1000, "--seed", 3)
    err = p.stderr.decode()
    assert "--max-new-tokens 1000 is more than half the model's context of 64 tokens, so it is lowered to 32" in err
    r = json.loads(p.stdout)
    assert r["max_new_tokens"] == 32 and len(r["generated_ids"]) == 32
    # A setting that fits is left alone, without a word.
    p = run_cli("generate", "--model", d, "--prompt", "Once upon a time", "--json", "--max-new-tokens", 32,
                "--min-new-tokens", 32)
    assert not p.stderr and len(json.loads(p.stdout)["generated_ids"]) == 32


def test_export_takes_overwrite(tmp_path):
    p = run_cli("export", "--checkpoint", tmp_path / "none", "--out", tmp_path / "o", "--overwrite", check=False)
    assert "unknown option" not in p.stderr.decode() and "unexpected" not in p.stderr.decode()


def test_ctrl_c_twice_quits_at_once_and_the_last_checkpoint_stays_whole(tmp_path):
    """The first SIGINT says it stops after this step; the second quits at
    once with 130. FABULA_TEST_STEP_DELAY_MS holds train after each logged
    step, so both signals land inside step 2 whatever the machine's speed."""
    make_model(tmp_path / "model", n_layer=1, n_head=2, n_embd=16, n_positions=64)
    lines = STORIES.read_text().splitlines()
    (tmp_path / "train.jsonl").write_text("\n".join(lines[:200]) + "\n")
    out = tmp_path / "run"
    env = dict(os.environ, FABULA_THREADS="1", FABULA_TEST_STEP_DELAY_MS="600000")
    args = [CLI, "train", "--model", tmp_path / "model", "--data", tmp_path / "train.jsonl", "--out", out,
            "--block-size", 32, "--val-fraction", 0, "--threads", 1, "--precision", "fp32", "--max-steps", 50,
            "--save-every", 1, "--log-every", 2, "--cache-dir", tmp_path / "cache"]
    p = subprocess.Popen([str(a) for a in args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    lines_seen = queue.Queue()
    threading.Thread(target=lambda: [lines_seen.put(l.decode()) for l in p.stderr] + [lines_seen.put(None)],
                     daemon=True).start()
    seen = []

    def wait_for(needle):
        while True:
            line = lines_seen.get(timeout=300)
            assert line is not None, "".join(seen)
            seen.append(line)
            if needle in line:
                return

    try:
        wait_for("step 2/")
        p.send_signal(signal.SIGINT)
        wait_for("stopping after this step\u2026 (Ctrl+C again to quit now; the last checkpoint stays intact)")
        p.send_signal(signal.SIGINT)
        assert p.wait(60) == 130
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    while (line := lines_seen.get(timeout=60)) is not None:
        seen.append(line)
    # Quit at once: not the orderly stop, which saves a checkpoint first.
    assert not any("stopped at step" in l for l in seen), "".join(seen)
    steps = [c for c in (out / "checkpoints").iterdir() if re.fullmatch(r"step-\d+", c.name)]
    assert [c.name for c in steps] == ["step-1"]
    assert (steps[0] / "trainer_state.json").is_file() and (steps[0] / "model.safetensors").is_file()
