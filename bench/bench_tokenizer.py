#!/usr/bin/env python3
"""Tokenizer throughput: Fabula against Hugging Face's GPT2TokenizerFast over
every story of shared/data/stories, one encode call per story, one thread.

Both sides time only the encode calls, and both start each run from a freshly
loaded tokenizer (so from an empty cache); runs alternate between the two.
Fabula runs through fabula-tokenize-tool, which times its own loop.

usage: .venv/bin/python bench/bench_tokenizer.py [--tool PATH] [--shared-dir DIR] [--runs N]
"""
import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

# Before tokenizers is imported anywhere: one thread on the Hugging Face side.
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["RAYON_NUM_THREADS"] = "1"

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, SHARED, result, run as run_cmd  # noqa: E402

CASE = "tokenizer"
UNIT = "MB/s"


def default_tool():
    return Path(os.environ.get("FABULA_TOKENIZE_TOOL", BUILD / "tests" / "fabula-tokenize-tool"))


def story_files(shared_dir):
    files = sorted((Path(shared_dir) / "data" / "stories").glob("*.jsonl"))
    if not files:
        sys.exit(f"bench_tokenizer: no stories under {shared_dir}/data/stories")
    return files


def fabula_run(tool, gpt2_dir, files):
    out = run_cmd([tool, "bench", "--tokenizer", gpt2_dir, *files]).stdout
    m = re.search(r"^mb_per_s=([0-9.]+)$", out, re.M)
    if not m:
        raise RuntimeError(f"no mb_per_s line from {tool}:\n{out}")
    return float(m.group(1))


def hf_run(gpt2_dir, texts, nbytes):
    from transformers import GPT2TokenizerFast
    tok = GPT2TokenizerFast(vocab=str(gpt2_dir / "vocab.json"), merges=str(gpt2_dir / "merges.txt"))
    encode = tok.encode
    t0 = time.perf_counter()
    for text in texts:
        encode(text)
    return nbytes / (time.perf_counter() - t0) / 1e6


def bench_tokenizer(tool_path=None, shared_dir=None, runs=5):
    """Returns dict(case, fabula, hf, unit, fabula_runs, hf_runs, line, note);
    fabula and hf are the medians in MB/s."""
    tool = Path(tool_path) if tool_path else default_tool()
    if not tool.is_file():
        sys.exit(f"bench_tokenizer: {tool} not found; build it with "
                 "cmake --build build --target fabula-tokenize-tool")
    shared = Path(shared_dir) if shared_dir else SHARED
    gpt2_dir = shared / "data" / "gpt2"
    files = story_files(shared)
    texts = [json.loads(line)["text"] for f in files for line in open(f, encoding="utf-8") if line.strip()]
    nbytes = sum(len(t.encode()) for t in texts)
    print(f"  {len(texts)} stories, {nbytes / 1e6:.1f} MB, {runs} runs each, alternating", flush=True)

    fabula_runs, hf_runs = [], []
    for i in range(runs):
        fabula_runs.append(fabula_run(tool, gpt2_dir, files))
        hf_runs.append(hf_run(gpt2_dir, texts, nbytes))
        print(f"  run {i + 1}: fabula {fabula_runs[-1]:.2f} MB/s, hf {hf_runs[-1]:.2f} MB/s", flush=True)

    note = "encode per story, 1 thread, cold cache each run; hf = GPT2TokenizerFast.encode"
    r = result(CASE, fabula_runs, hf_runs, UNIT, higher_is_better=True, note=note)
    return {"case": CASE, "fabula": statistics.median(fabula_runs), "hf": statistics.median(hf_runs), "unit": UNIT, "fabula_runs": fabula_runs, "hf_runs": hf_runs,
            "line": r["line"], "note": r["note"]}


def run(cases_args):
    """Entry for a driver: cases_args are this script's command-line flags.
    Returns the list of result dicts (one)."""
    ap = argparse.ArgumentParser(prog="bench_tokenizer.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--tool", help="fabula-tokenize-tool (default: $FABULA_TOKENIZE_TOOL or build/tests/)")
    ap.add_argument("--shared-dir", help="the shared folder (default: $FABULA_SHARED_DIR or ../shared)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(cases_args)
    return [bench_tokenizer(args.tool, args.shared_dir, args.runs)]


if __name__ == "__main__":
    run(sys.argv[1:])
