#!/usr/bin/env python3
"""Runs Fabula and its Hugging Face peer alternately, case by case, prints
medians, ranges and one `bench:` line per case, and appends the lines to
bench/RESULTS.md.

usage: .venv/bin/python bench/run.py [CASE ...] [--runs N] [--no-record]
cases: tokenizer generate (generate-fp32/bf16, ttft-fp32/bf16, load)
       generate-fp32 generate-bf16 train pack-vs-pad
       train-lora-fp32 (Fabula LoRA r 8 on c_attn vs PEFT + Trainer and vs Fabula full fine-tuning)
       long-draft (long-draft-ttft: a sentence added to a 100,000-word draft, prefix cached, vs a short draft)
       families (family-llama family-neo: Fabula vs transformers fp32; family-gptj:
       Fabula alone, bf16), families-tiny (the same on tiny shapes, to try them)
       decode (Fabula vs llama.cpp and CTranslate2, 124M shape: decode-{fp32,16bit,int8}-{d0,d512},
       prompt512-{fp32,16bit,int8}; builds the peers into bench/.cache/peers/ on first use),
       decode-xl (opt-in, the GPT-2 XL shape vs llama.cpp: decode-xl-{fp32,16bit,int8}-{d0,d512});
       see bench/bench_decode.py; --prepare-only makes their checkpoints and conversions and times nothing
       int8-quality (int8 against fp32 on the 124M shape after brief training: held-out perplexity,
       KL of the next-token distributions, greedy agreement; see bench/bench_int8_quality.py)
"""
import argparse
import sys

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from common import CLI, SHARED, record  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*", default=["tokenizer", "generate"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-record", action="store_true")
    ap.add_argument("--prepare-only", action="store_true",
                    help="decode cases: build the peers and convert the checkpoints, time nothing")
    args = ap.parse_args()
    results = []
    for case in args.cases:
        print(f"== {case}", flush=True)
        if case == "tokenizer":
            from bench_tokenizer import bench_tokenizer
            results.append(bench_tokenizer(runs=args.runs))
        elif case in ("generate", "generate-fp32", "generate-bf16"):
            from bench_generate import bench_generate
            precisions = ("fp32", "bf16") if case == "generate" else (case.split("-")[1],)
            results += bench_generate(precisions, runs=args.runs, threads=args.threads)
        elif case in ("families", "family-llama", "family-neo", "family-gptj", "families-tiny"):
            from bench_families import bench_families
            results += bench_families(case, runs=args.runs, threads=args.threads)
        elif case in ("train", "train-fp32", "train-bf16", "train-lora", "train-lora-fp32", "pack-vs-pad"):
            from bench_train import bench_train
            results += bench_train(case, runs=args.runs, threads=args.threads)
        elif case == "long-draft":
            from bench_long_draft import bench_long_draft
            results += bench_long_draft(runs=args.runs, threads=args.threads)
        elif case == "int8-quality":
            from bench_int8_quality import bench_int8_quality
            results += bench_int8_quality(threads=args.threads)
        elif case in ("decode", "decode-xl") or case.startswith(("decode-", "prompt512-")):
            from bench_decode import bench_decode
            results += bench_decode(case, runs=args.runs, threads=args.threads, prepare_only=args.prepare_only)
        else:
            sys.exit(f"unknown case {case}")
    if not args.no_record:
        record(results, sys.argv)


if __name__ == "__main__":
    main()
