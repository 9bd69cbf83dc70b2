"""generate-*, ttft-* and load: GPT-2 124M shape (GPTConfig() defaults,
random weights), batch 1, a 512-token prompt then exactly 128 new tokens,
greedy, same threads and dtype on both sides, runs alternating."""
import json

from common import CACHE, CLI, PYTHON, BENCH, SHARED, result, run

PROMPT_TOKENS = 512
NEW_TOKENS = 128


def model_dir():
    d = CACHE / "gpt2-124m"
    if not (d / "model.safetensors").exists():
        run([PYTHON, "-c", f"""
import shutil, torch
from transformers import GPT2Config, GPT2LMHeadModel
torch.manual_seed(0)
GPT2LMHeadModel(GPT2Config()).save_pretrained("{d}", safe_serialization=True)
for f in ("vocab.json", "merges.txt"):
    shutil.copy("{SHARED}/data/gpt2/" + f, "{d}/" + f)
"""])
    return d


def prompt_text(tokenizer=SHARED / "data/gpt2", tokens=PROMPT_TOKENS):
    """A story prefix that tokenizes to exactly `tokens` tokens with the tokenizer folder."""
    stories = [json.loads(l)["text"] for l in open(SHARED / "data/stories/tinystories_subset.jsonl")][:40]
    text = "\n\n".join(stories)
    ids = json.loads(run([CLI, "tokenize", "--model", tokenizer, "--text", text]).stdout)
    for n in range(tokens, tokens - 20, -1):
        cut = run([CLI, "tokenize", "--model", tokenizer, "--decode", "--text", json.dumps(ids[:n])]).stdout
        again = json.loads(run([CLI, "tokenize", "--model", tokenizer, "--text", cut]).stdout)
        if len(again) == tokens:
            return cut
    raise RuntimeError(f"no prompt of exactly {tokens} tokens")


def fabula_once(d, prompt, precision, threads):
    out = run([CLI, "generate", "--model", d, "--prompt", prompt, "--greedy", "--max-new-tokens", NEW_TOKENS,
               "--min-new-tokens", NEW_TOKENS, "--precision", precision, "--device", "cpu", "--threads", threads,
               "--json"])
    r = json.loads(out.stdout)
    assert len(r["prompt_ids"]) == PROMPT_TOKENS and len(r["generated_ids"]) == NEW_TOKENS
    return r


def hf_once(d, ids_file, precision, threads):
    out = run([PYTHON, BENCH / "hf_generate.py", d, ids_file, precision, threads, NEW_TOKENS])
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_generate(precisions=("fp32", "bf16"), runs=5, threads=2):
    d = model_dir()
    prompt = prompt_text()
    ids_file = CACHE / "prompt_ids.json"
    results = []
    load_f, load_h = [], []
    for precision in precisions:
        f_tok, h_tok, f_ttft, h_ttft = [], [], [], []
        for i in range(runs):
            r = fabula_once(d, prompt, precision, threads)
            ids_file.write_text(json.dumps(r["prompt_ids"]))
            h = hf_once(d, ids_file, precision, threads)
            f_tok.append(1000.0 / r["tokens_per_second"])
            h_tok.append(h["ms_per_token"])
            f_ttft.append(r["ms_to_first_token"])
            h_ttft.append(h["ms_to_first_token"])
            if precision == "fp32":
                load_f.append(r["ms_to_load"])
                load_h.append(h["load_ms"])
            print(f"  run {i + 1}: {precision} fabula {f_tok[-1]:.1f} ms/token ttft {f_ttft[-1]:.0f} ms | "
                  f"hf {h_tok[-1]:.1f} ms/token ttft {h_ttft[-1]:.0f} ms", flush=True)
        print(f"generate-{precision}:")
        results.append(result(f"generate-{precision}", f_tok, h_tok, "ms/token", higher_is_better=False,
                              note=f"{1000 / sorted(f_tok)[len(f_tok) // 2]:.1f} tok/s Fabula"))
        print(f"ttft-{precision}:")
        results.append(result(f"ttft-{precision}", f_ttft, h_ttft, "ms", higher_is_better=False,
                              note=f"{PROMPT_TOKENS * 1000 / sorted(f_ttft)[len(f_ttft) // 2]:.0f} prompt tok/s Fabula"))
    if load_f:
        print("load:")
        results.append(result("load", load_f, load_h, "ms", higher_is_better=False))
    return results
