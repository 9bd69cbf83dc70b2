"""int8-quality: how much --precision int8 changes what the GPT-2 124M shape predicts, after
brief training so that its distributions are not random (issue 11's quality bounds, which
tests/python/test_int8.py checks on a small GPT-2; here the same figures on the 124M shape).

The model: bench/.cache/gpt2-124m (GPT-2 124M's shape, transformers' random init, the GPT-2
tokenizer), trained with `fabula-cli train` in fp32 on the first TRAIN_STORIES stories of
shared/data/stories/tinystories_subset.jsonl (see RECIPE) into bench/.cache/int8-quality/run;
kept there, so a later run measures the same model (delete the folder to train again); the
training stops after TRAIN_MINUTES, with a checkpoint it exports, if the machine is slow. The
held-out stories are the file's last ones, never trained on. Three figures, fp32 against int8:
  int8-quality-ppl        `fabula-cli eval` on the held-out stories: perplexity of each, and
                          ratio = int8 / fp32 (bound: within 1 %)
  int8-quality-kl         `fabula-cli dev-logits` on the first KL_TOKENS tokens of KL_STORIES
                          held-out stories: mean KL(fp32 || int8) of the next-token distributions
                          over every position, the int8 logits both from one forward pass (the
                          prompt kernels) and one token at a time after the first KL_SPLIT
                          (the decoding kernels) (bound: under 0.01 nats)
  int8-greedy-agreement   `fabula-cli generate --greedy`: GREEDY_NEW tokens after the first
                          GREEDY_PROMPT tokens of GREEDY_STORIES held-out stories; how many
                          prompts int8 continues exactly as fp32 does (the test asks 8 of 10)
Quality is not timing-sensitive: a busy machine changes only how long it takes.
"""
import json
import shutil
import signal
import subprocess
import time

import numpy as np

from bench_decode import cpu_description
from bench_families import load_average
from bench_generate import model_dir
from common import CACHE, CLI, SHARED, run

STORIES = SHARED / "data/stories/tinystories_subset.jsonl"
WORK = CACHE / "int8-quality"
TRAIN_STORIES = 2500
HELD_OUT_STORIES = 40
# A block of 128 trains the positions the KL and greedy prefixes use (eval reads whole stories,
# whose later positions keep their random embeddings; fp32 and int8 alike); 128 tokens a step
# keeps a step cheap on 2 cores; the high rate (warmed up, then decayed) is what moves a random
# 124M model this far in so few steps (loss 11 -> about 5.9).
RECIPE = {"block-size": 128, "batch-size": 1, "max-steps": 150, "lr": "2e-3", "warmup-steps": 10,
          "weight-decay": 0, "val-fraction": 0, "seed": 42}
# A quiet 2-core machine trains the 150 steps in a few minutes; on a shared one each step can
# take 25 s, so the run stops (with a checkpoint, as Ctrl+C does) after this long and the note
# says how many steps it made.
TRAIN_MINUTES = 30
KL_STORIES, KL_TOKENS, KL_SPLIT = 8, 128, 16
GREEDY_STORIES, GREEDY_PROMPT, GREEDY_NEW = 20, 8, 20
PPL_BOUND, KL_BOUND = 0.01, 0.01


def stories():
    return [l for l in STORIES.read_text(encoding="utf-8").splitlines() if l.strip()]


def trained_model(threads):
    """The trained run's model folder, and what training took (None when an earlier run trained it)."""
    run_dir = WORK / "run"
    recipe_file = WORK / "recipe.json"
    recipe = dict(RECIPE, start=str(model_dir()), stories=f"{STORIES.name}[:{TRAIN_STORIES}]",
                  minutes=TRAIN_MINUTES)
    if (run_dir / "model" / "model.safetensors").exists() and recipe_file.exists() \
            and json.loads(recipe_file.read_text()) == recipe:
        return run_dir / "model", None
    if run_dir.exists():
        raise SystemExit(f"{run_dir} holds another or an unfinished run: delete it to train again")
    WORK.mkdir(parents=True, exist_ok=True)
    train = WORK / "train.jsonl"
    train.write_text("\n".join(stories()[:TRAIN_STORIES]) + "\n", encoding="utf-8")
    args = [str(a) for k, v in RECIPE.items() for a in (f"--{k}", v)]
    print(f"  training the 124M shape for at most {TRAIN_MINUTES} min: {' '.join(args)}", flush=True)
    t0 = time.time()
    cmd = ["nice", "-n", "10", CLI, "train", "--model", model_dir(), "--data", train, "--out", run_dir, *args,
           "--save-every", 0, "--threads", threads, "--precision", "fp32", "--device", "cpu",
           "--cache-dir", WORK / "tokens", "--quiet"]
    with open(WORK / "train.log", "w") as log:
        p = subprocess.Popen([str(c) for c in cmd], stdout=log, stderr=subprocess.STDOUT)
        try:
            p.wait(timeout=TRAIN_MINUTES * 60)
        except subprocess.TimeoutExpired:
            # Ctrl+C's way out: the step in flight finishes and a checkpoint is written.
            print(f"  {TRAIN_MINUTES} min spent: stopping the training with a checkpoint", flush=True)
            p.send_signal(signal.SIGINT)
            p.wait()
    if p.returncode == 130:
        newest = max((run_dir / "checkpoints").iterdir(), key=lambda c: int(c.name.split("-")[-1]))
        run([CLI, "export", "--checkpoint", newest, "--out", run_dir / "model"])
    elif p.returncode != 0:
        raise SystemExit(f"fabula-cli train exited {p.returncode}: see {WORK / 'train.log'}")
    # The last checkpoint is 1.5 GB of optimizer state that nothing here reads again.
    shutil.rmtree(run_dir / "checkpoints", ignore_errors=True)
    recipe_file.write_text(json.dumps(recipe, indent=2))
    return run_dir / "model", (time.time() - t0) / 60


def held_out():
    """The held-out stories (the file's last ones) as a .jsonl, and their texts."""
    lines = stories()[-HELD_OUT_STORIES:]
    assert len(stories()) - HELD_OUT_STORIES >= TRAIN_STORIES, "held-out stories overlap the training ones"
    path = WORK / "held_out.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, [json.loads(l)["text"] for l in lines]


def tokens(model, text):
    return json.loads(run([CLI, "tokenize", "--model", model, "--text", text]).stdout)


def evaluate(model, data, precision, threads):
    return json.loads(run([CLI, "eval", "--model", model, "--data", data, "--precision", precision, "--device", "cpu",
                           "--threads", threads, "--json"]).stdout)


def logits(model, ids, precision, threads, *flags):
    out = WORK / f"logits-{precision}.f32"
    run([CLI, "dev-logits", "--model", model, "--ids", json.dumps(ids), "--out", out, "--precision", precision,
         "--device", "cpu", "--threads", threads, *flags])
    return np.fromfile(out, dtype=np.float32).reshape(len(ids), -1)


def log_softmax(z):
    z = z.astype(np.float64)
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def kl_rows(p_logits, q_logits):
    """KL(p || q) of each row, in nats."""
    lp, lq = log_softmax(p_logits), log_softmax(q_logits)
    return (np.exp(lp) * (lp - lq)).sum(-1)


def greedy(model, prompt, precision, threads):
    r = json.loads(run([CLI, "generate", "--model", model, "--prompt", prompt, "--greedy", "--max-new-tokens",
                        GREEDY_NEW, "--min-new-tokens", GREEDY_NEW, "--precision", precision, "--device", "cpu",
                        "--threads", threads, "--json"]).stdout)
    if precision == "int8":
        assert "int8" in r["placement"], r["placement"]
    return r["generated_ids"]


def shared_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def bench_int8_quality(threads=2):
    cpu, flags = cpu_description()
    machine = f"{cpu}; flags {' '.join(flags) or 'none'}; {threads} threads; load {load_average()}"
    print(f"machine: {machine}", flush=True)
    results = [{"case": "machine", "line": f"machine: {machine}", "note": ""}]
    model, minutes = trained_model(threads)
    metrics = [json.loads(l) for l in (model.parent / "metrics.jsonl").read_text().splitlines() if l.strip()]
    steps = [m for m in metrics if "loss" in m and "step" in m and "eval_loss" not in m]
    recipe = (f"124M shape (transformers' random init) trained in fp32 by fabula-cli train on "
              f"{STORIES.name}[:{TRAIN_STORIES}]: " + ", ".join(f"{k} {v}" for k, v in RECIPE.items())
              + (f"; {steps[-1]['step']} steps made, loss {steps[0]['loss']:.3g} -> "
                 f"{sum(m['loss'] for m in steps[-10:]) / len(steps[-10:]):.3g} (mean of the last 10)"
                 if steps else "")
              + (f", {minutes:.1f} min" if minutes is not None else ", trained by an earlier run"))
    print(f"  {recipe}", flush=True)
    data, texts = held_out()

    fp32, int8 = evaluate(model, data, "fp32", threads), evaluate(model, data, "int8", threads)
    assert fp32["tokens"] == int8["tokens"] and fp32["stories"] == int8["stories"], (fp32, int8)
    ratio = int8["perplexity"] / fp32["perplexity"]
    met = abs(ratio - 1) < PPL_BOUND
    line = (f"bench: int8-quality-ppl fabula_int8={int8['perplexity']:.5g} fabula_fp32={fp32['perplexity']:.5g} "
            f"ratio={ratio:.5f} unit=ppl")
    note = (f"ratio = int8 / fp32; {fp32['stories']} held-out stories, {fp32['tokens']} tokens, fabula-cli eval; "
            f"bound |ratio - 1| < {PPL_BOUND:.0%}: {'met' if met else 'NOT met'}; {recipe}")
    print(line + "   # " + note, flush=True)
    results.append({"case": "int8-quality-ppl", "line": line, "note": note})

    kls = {"one pass": [], "one token at a time": []}
    per_story = []
    for text in texts[:KL_STORIES]:
        ids = tokens(model, text)[:KL_TOKENS]
        ref = logits(model, ids, "fp32", threads)
        story = []
        for mode, extra in (("one pass", []), ("one token at a time", ["--split", KL_SPLIT, "--chunk", 1])):
            ours = logits(model, ids, "int8", threads, *extra)
            assert not np.array_equal(ours, ref), "int8 logits equal fp32's: the int8 weights are not in use"
            rows = kl_rows(ref, ours)
            kls[mode].append(rows)
            story.append(float(rows.mean()))
        per_story.append(max(story))
    every = np.concatenate([r for v in kls.values() for r in v])
    mean = float(every.mean())
    line = f"bench: int8-quality-kl fabula_int8={mean:.4g} bound={KL_BOUND} unit=nats"
    note = (f"mean KL(fp32 || int8) of the next-token distributions over {len(every)} positions (first {KL_TOKENS} "
            f"tokens of {KL_STORIES} held-out stories, fabula-cli dev-logits): "
            + ", ".join(f"{m} {float(np.concatenate(v).mean()):.4g}" for m, v in kls.items())
            + f" (after the first {KL_SPLIT}); worst story {max(per_story):.4g}; 99th percentile position "
            f"{float(np.percentile(every, 99)):.4g}; bound {KL_BOUND} nats: {'met' if mean < KL_BOUND else 'NOT met'}")
    print(line + "   # " + note, flush=True)
    results.append({"case": "int8-quality-kl", "line": line, "note": note})

    same, prefixes = 0, []
    for text in texts[:GREEDY_STORIES]:
        prompt = run([CLI, "tokenize", "--model", model, "--decode", "--text",
                      json.dumps(tokens(model, text)[:GREEDY_PROMPT])]).stdout
        a, b = greedy(model, prompt, "fp32", threads), greedy(model, prompt, "int8", threads)
        assert len(a) == GREEDY_NEW and len(b) == GREEDY_NEW, "generate: wrong token count"
        same += a == b
        prefixes.append(shared_prefix(a, b))
    line = (f"bench: int8-greedy-agreement fabula_int8={same} of={GREEDY_STORIES} ratio={same / GREEDY_STORIES:.3g} "
            f"unit=prompts")
    note = (f"{GREEDY_NEW} greedy tokens after the first {GREEDY_PROMPT} tokens of {GREEDY_STORIES} held-out stories "
            f"equal fp32's; mean shared prefix {np.mean(prefixes):.3g} of {GREEDY_NEW} tokens; the test's threshold "
            f"is 8 of 10: {'met' if same >= 0.8 * GREEDY_STORIES else 'NOT met'}; load {load_average()}")
    print(line + "   # " + note, flush=True)
    results.append({"case": "int8-greedy-agreement", "line": line, "note": note})
    return results
