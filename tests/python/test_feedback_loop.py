"""The feedback loop end to end on a synthetic taste: a writer who always
prefers continuations that open with a colour. A tiny model trained briefly
on the shared stories, then a short DPO run on such pairs, must rank held-out
pairs the writer's way, open more of its sampled continuations with a colour,
and keep its perplexity on plain stories."""
import json
import re
from pathlib import Path

import pytest

from model_fixtures import make_model, run_cli
from test_training import STORIES

COLOURS = ["red", "blue", "green", "yellow", "white", "black", "golden", "purple"]
NOUNS = ["flowers", "birds", "lights", "boats", "clouds", "leaves", "stones", "kites"]
VERBS = ["filled the sky", "were everywhere", "shone in the sun", "came back", "moved slowly", "waited by the door"]
COLOUR_RE = re.compile(r"^\s*(" + "|".join(COLOURS) + r")\b")


def opening(story):
    """The story's first sentence and " The": where TinyStories go on with
    an adjective or a noun, so a colour is a plausible next word."""
    m = re.match(r"(.+?[.!?])\s", story)
    return (m.group(1) if m else " ".join(story.split()[:12])) + " The"


def pairs(stories, start, n):
    """Chosen and rejected differ only in the colour after "The"."""
    rows = []
    for i in range(n):
        noun, verb = NOUNS[(i * 3) % len(NOUNS)], VERBS[(i * 5) % len(VERBS)]
        colour = COLOURS[(i * 7) % len(COLOURS)]
        rows.append({"prompt": opening(stories[start + i]), "chosen": f" {colour} {noun} {verb}.",
                     "rejected": f" {noun} {verb}."})
    return rows


def write_jsonl(path, rows):
    Path(path).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def prefs(model, data):
    return json.loads(run_cli("prefs-eval", "--model", model, "--data", data, "--precision", "fp32", "--threads", 1,
                              "--json").stdout)


def perplexity(model, data):
    return json.loads(run_cli("eval", "--model", model, "--data", data, "--precision", "fp32", "--threads", 1,
                              "--json").stdout)["perplexity"]


def colour_share(model, prompts, seed=7):
    """Share of sampled continuations (one per prompt, a fixed seed each, the
    model's own distribution) whose first word is a colour."""
    hits = 0
    for i, prompt in enumerate(prompts):
        r = json.loads(run_cli("generate", "--model", model, "--prompt", prompt, "--max-new-tokens", 2, "--seed",
                               seed + i, "--temperature", 1.0, "--top-k", 0, "--top-p", 1.0, "--threads", 1,
                               "--precision", "fp32", "--json").stdout)
        hits += bool(COLOUR_RE.match(r["text"]))
    return hits / len(prompts)


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    d = tmp_path_factory.mktemp("loop")
    stories = [json.loads(line)["text"] for line in STORIES.read_text().splitlines()]
    write_jsonl(d / "stories.jsonl", [{"text": s} for s in stories[:400]])
    write_jsonl(d / "held_out.jsonl", [{"text": s} for s in stories[2400:2440]])
    write_jsonl(d / "pairs.jsonl", pairs(stories, 500, 64))
    write_jsonl(d / "held_out_pairs.jsonl", pairs(stories, 2500, 40))
    make_model(d / "random", n_layer=2, n_head=2, n_embd=64, n_positions=128, init=0.02)
    common = ["--block-size", 64, "--val-fraction", 0, "--threads", 1, "--precision", "fp32", "--save-every", 0]
    run_cli("train", "--model", d / "random", "--data", d / "stories.jsonl", "--out", d / "lm", "--max-steps", 80,
            "--batch-size", 8, "--lr", 3e-3, *common)
    run_cli("train", "--model", d / "lm" / "model", "--objective", "dpo", "--data", d / "pairs.jsonl", "--out",
            d / "dpo", "--max-steps", 120, "--batch-size", 8, "--lr", 5e-3, "--beta", 0.1, "--lm-mix", 1.0,
            "--stories", d / "stories.jsonl", *common)
    return d, stories


def test_a_short_dpo_run_learns_the_writers_taste_and_keeps_the_voice(loop):
    d, stories = loop
    before, after = d / "lm" / "model", d / "dpo" / "model"
    acc_before = prefs(before, d / "held_out_pairs.jsonl")["accuracy"]
    acc_after = prefs(after, d / "held_out_pairs.jsonl")["accuracy"]
    prompts = [opening(s) for s in stories[2600:2660]]
    share_before, share_after = colour_share(before, prompts), colour_share(after, prompts)
    ppl_before, ppl_after = perplexity(before, d / "held_out.jsonl"), perplexity(after, d / "held_out.jsonl")
    print(f"accuracy {acc_before:.2f} -> {acc_after:.2f}; colour openings {share_before:.2f} -> {share_after:.2f}; "
          f"perplexity {ppl_before:.1f} -> {ppl_after:.1f}")
    assert acc_before <= 0.6 and acc_after >= 0.8
    # p(colour next) is about 0.001 before and 0.1 after (dev-logits); 60 fixed-seed samples show it.
    assert share_after >= share_before + 0.05
    assert ppl_after <= 1.10 * ppl_before
