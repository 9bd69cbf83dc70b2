"""family-llama, family-neo, family-gptj (and families-tiny to try the script):
generation with the other model families Fabula runs, random weights made by
transformers in published shapes, batch 1, a 128-token prompt then exactly
32 new tokens, greedy.

- llama: TinyLlama 1.1B's shape (grouped-query attention, untied head),
  saved in bf16 as published; a 32000-token byte-level BPE tokenizer.json
  trained on the shared stories stands in for its SentencePiece model (the
  timings exclude tokenizing).
- neo: GPT-Neo 1.3B's shape (transformers' GPTNeoConfig defaults), saved in
  fp32 as published; GPT-2's tokenizer.
Both are run by Fabula and by transformers' generate() at the same dtype and
threads, alternating, each in its own process under /usr/bin/time for its
peak resident memory.
- gptj: GPT-J 6B's shape (GPTJConfig defaults) made and saved in bf16 (12 GB),
  Fabula alone at --precision bf16; skipped when the machine has not 16 GiB
  available, and its checkpoint is deleted after the run.

Peak memory is set against the issue's bound, 1.15 x (weights in their
compute precision + KV cache): `bound` uses the cache Fabula reserves for the
whole context, `bound-used` only the prompt + new tokens actually cached
(pages of the reserved cache that are never written are never resident).
Each result notes the load average: this machine is shared with compiling
agents."""
import json
import os
import shutil
import statistics
import subprocess
import time

from bench_generate import prompt_text
from common import BENCH, CACHE, CLI, PYTHON, SHARED, result, run

PROMPT_TOKENS = 128
NEW_TOKENS = 32
GIB = 2 ** 30
GPTJ_MIN_AVAILABLE_GIB = 16
# How long the GPT-J case waits for 16 GiB to become available before giving up.
MEMORY_WAIT_S = int(os.environ.get("FABULA_BENCH_MEMORY_WAIT_S", "900"))

# name: (transformers class, config class, config kwargs, dtype the file is saved in, tokenizer)
SHAPES = {
    "llama-1.1b": ("LlamaForCausalLM", "LlamaConfig",
                   dict(hidden_size=2048, num_hidden_layers=22, num_attention_heads=32, num_key_value_heads=4,
                        intermediate_size=5632, vocab_size=32000, max_position_embeddings=2048,
                        rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False,
                        bos_token_id=1, eos_token_id=2), "bfloat16", "bpe32k"),
    "gpt-neo-1.3b": ("GPTNeoForCausalLM", "GPTNeoConfig", dict(), "float32", "gpt2"),
    "gptj-6b": ("GPTJForCausalLM", "GPTJConfig", dict(), "bfloat16", "gpt2"),
    # Tiny versions of the same code paths, to try the benchmark itself.
    "llama-tiny": ("LlamaForCausalLM", "LlamaConfig",
                   dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                        intermediate_size=128, vocab_size=32000, max_position_embeddings=512,
                        tie_word_embeddings=False, bos_token_id=1, eos_token_id=2), "bfloat16", "bpe32k"),
    "gpt-neo-tiny": ("GPTNeoForCausalLM", "GPTNeoConfig",
                     dict(hidden_size=64, num_layers=2, num_heads=4, attention_types=[[["global", "local"], 1]],
                          window_size=64, max_position_embeddings=512), "float32", "gpt2"),
    "gptj-tiny": ("GPTJForCausalLM", "GPTJConfig",
                  dict(n_embd=64, n_layer=2, n_head=4, rotary_dim=8, n_positions=512), "bfloat16", "gpt2"),
    "gpt2-tiny": ("GPT2LMHeadModel", "GPT2Config", dict(n_embd=64, n_layer=2, n_head=4, n_positions=512),
                  "float32", "gpt2"),
}


def load_average():
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def available_gib():
    for line in open("/proc/meminfo"):
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024 / GIB
    return 0.0


def bpe32k_tokenizer():
    """A 32000-token byte-level BPE tokenizer.json trained on the shared stories."""
    path = CACHE / "bpe32k" / "tokenizer.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        run([PYTHON, "-c", f"""
import json
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tok.decoder = decoders.ByteLevel()
trainer = trainers.BpeTrainer(vocab_size=32000, special_tokens=["<unk>", "<s>", "</s>"],
                              initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
texts = [json.loads(l)["text"] for f in ("tinystories_subset.jsonl", "snakes_llama31_stories.jsonl")
         for l in open("{SHARED}/data/stories/" + f)]
tok.train_from_iterator(texts, trainer)
tok.save("{path}")
"""])
    return path.parent


def tokenizer_dir(kind):
    return bpe32k_tokenizer() if kind == "bpe32k" else SHARED / "data" / "gpt2"


def model_dir(name):
    """The random checkpoint of a shape, made once in its own process (so its
    memory is returned before anything is timed)."""
    cls, config_cls, kwargs, dtype, tok = SHAPES[name]
    d = CACHE / name
    if not (d / "config.json").exists():
        print(f"  making {name} (random weights, {dtype})", flush=True)
        tmp = CACHE / (name + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        t0 = time.perf_counter()
        run([PYTHON, "-c", f"""
import torch, transformers
torch.manual_seed(0)
torch.set_default_dtype(torch.{dtype})
config = transformers.{config_cls}(**{kwargs!r})
model = transformers.{cls}(config).eval()
model.save_pretrained("{tmp}", safe_serialization=True, max_shard_size="2GB")
"""])
        src = tokenizer_dir(tok)
        for f in ("vocab.json", "merges.txt", "tokenizer.json"):
            if (src / f).exists():
                shutil.copy(src / f, tmp / f)
        tmp.rename(d)
        print(f"  made {name} in {time.perf_counter() - t0:.0f} s", flush=True)
    return d


def checkpoint_facts(d):
    """Parameters (each stored tensor once), and the KV cache per token in fp32
    (Fabula keeps the cache in fp32 on the CPU) and the context."""
    params = 0
    for f in d.glob("*.safetensors"):
        with open(f, "rb") as fh:
            n = int.from_bytes(fh.read(8), "little")
            header = json.loads(fh.read(n))
        for k, v in header.items():
            if k != "__metadata__":
                count = 1
                for s in v["shape"]:
                    count *= s
                params += count
    c = json.load(open(d / "config.json"))
    layers = c.get("num_hidden_layers") or c.get("num_layers") or c.get("n_layer")
    heads = c.get("num_attention_heads") or c.get("num_heads") or c.get("n_head")
    hidden = c.get("hidden_size") or c.get("n_embd")
    kv_heads = c.get("num_key_value_heads") or heads
    head_dim = c.get("head_dim") or hidden // heads
    context = c.get("max_position_embeddings") or c.get("n_positions")
    return params, 2 * layers * kv_heads * head_dim * 4, context


def timed(cmd):
    """Runs cmd under /usr/bin/time; its last stdout line parsed as JSON, and its peak RSS in bytes."""
    p = subprocess.run(["/usr/bin/time", "-f", "peak_rss_kb=%M"] + [str(c) for c in cmd],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed (exit {p.returncode}): {p.stderr[-2000:]}")
    peak = int(p.stderr.rsplit("peak_rss_kb=", 1)[1].split()[0]) * 1024
    return json.loads(p.stdout.strip().splitlines()[-1]), peak


def fabula_once(d, prompt, precision, threads):
    r, peak = timed([CLI, "generate", "--model", d, "--prompt", prompt, "--greedy", "--max-new-tokens", NEW_TOKENS,
                     "--min-new-tokens", NEW_TOKENS, "--precision", precision, "--device", "cpu",
                     "--threads", threads, "--json"])
    assert len(r["prompt_ids"]) == PROMPT_TOKENS and len(r["generated_ids"]) == NEW_TOKENS, r
    return {"ms_per_token": 1000.0 / r["tokens_per_second"], "ttft": r["ms_to_first_token"],
            "load": r["ms_to_load"], "peak": peak, "prompt_ids": r["prompt_ids"],
            "generated_ids": r["generated_ids"]}


def hf_once(d, ids_file, precision, threads):
    h, peak = timed([PYTHON, BENCH / "hf_generate.py", d, ids_file, precision, threads, NEW_TOKENS])
    return {"ms_per_token": h["ms_per_token"], "ttft": h["ms_to_first_token"], "load": h["load_ms"],
            "peak": peak, "generated_ids": h.get("generated_ids")}


def memory_note(name, d, precision, peak):
    params, kv_per_token, context = checkpoint_facts(d)
    weights = params * (4 if precision == "fp32" else 2)
    reserved = kv_per_token * context
    used = kv_per_token * (PROMPT_TOKENS + NEW_TOKENS)
    note = (f"weights {weights / GIB:.2f} GiB ({params / 1e9:.2f} B params, {precision}), KV cache reserved "
            f"{reserved / GIB:.2f} GiB ({context} tokens) / used {used / GIB:.3f} GiB; peak/(weights+KV) = "
            f"{peak / (weights + reserved):.3f} (bound 1.15), with the used cache {peak / (weights + used):.3f}")
    print(f"  {name}: {note}", flush=True)
    return note


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def bench_pair(name, precision="fp32", runs=2, threads=2):
    """Fabula and transformers' generate() on one shape, alternating."""
    d = model_dir(name)
    tok = tokenizer_dir(SHAPES[name][4])
    prompt = prompt_text(tok, PROMPT_TOKENS)
    ids_file = CACHE / f"prompt_ids_{name}.json"
    f_runs, h_runs, loads = [], [], []
    for i in range(runs):
        f = fabula_once(d, prompt, precision, threads)
        ids_file.write_text(json.dumps(f["prompt_ids"]))
        h = hf_once(d, ids_file, precision, threads)
        loads.append(load_average())
        same = "same tokens" if h["generated_ids"] == f["generated_ids"] else "tokens differ"
        print(f"  run {i + 1}: {name} {precision} fabula {f['ms_per_token']:.1f} ms/token ttft {f['ttft']:.0f} ms "
              f"load {f['load']:.0f} ms peak {f['peak'] / GIB:.2f} GiB | hf {h['ms_per_token']:.1f} ms/token "
              f"ttft {h['ttft']:.0f} ms load {h['load']:.0f} ms peak {h['peak'] / GIB:.2f} GiB | {same} | "
              f"load {loads[-1]}", flush=True)
        f_runs.append(f)
        h_runs.append(h)
    under = f"load average {loads[0]} .. {loads[-1]} on 2 cores (shared machine, taken under load)"
    tag = f"{name}-{precision}"
    out = []
    for key, case, unit in (("ms_per_token", "generate", "ms/token"), ("ttft", "ttft", "ms"), ("load", "load", "ms")):
        print(f"{case}-{tag}:")
        extra = f"{1000 / med(f_runs, key):.2f} tok/s Fabula, " if key == "ms_per_token" else ""
        out.append(result(f"{case}-{tag}", [r[key] for r in f_runs], [r[key] for r in h_runs], unit,
                          higher_is_better=False, note=extra + under))
    print(f"peak-rss-{tag}:")
    peaks_f = [r["peak"] / GIB for r in f_runs]
    out.append(result(f"peak-rss-{tag}", peaks_f, [r["peak"] / GIB for r in h_runs], "GiB",
                      higher_is_better=False, note=memory_note(name, d, precision, max(peaks_f) * GIB)))
    return out


def single_line(case, values, unit, note):
    v = statistics.median(values)
    line = f"bench: {case} fabula={v:.4g} hf=n/a ratio=n/a unit={unit}"
    print(f"  fabula: median {v:.4g} (range {min(values):.4g}-{max(values):.4g}, n={len(values)}) {unit}")
    print(line, flush=True)
    return {"case": case, "line": line, "note": note}


def wait_for_memory(gib, wait_s):
    deadline = time.monotonic() + wait_s
    while True:
        have = available_gib()
        if have >= gib:
            return have
        if time.monotonic() >= deadline:
            return have
        print(f"  {have:.1f} GiB available, waiting for {gib} (load {load_average()})", flush=True)
        time.sleep(30)


def bench_alone(name, precision="bf16", runs=2, threads=2, min_gib=GPTJ_MIN_AVAILABLE_GIB, delete=True):
    """Fabula alone on a shape too big for a peer beside it (GPT-J 6B)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    free_disk = shutil.disk_usage(CACHE).free / GIB
    have = wait_for_memory(min_gib, MEMORY_WAIT_S)
    if have < min_gib:
        msg = f"{name} not run: {have:.1f} GiB available after waiting {MEMORY_WAIT_S} s, needs {min_gib}"
        print(msg, flush=True)
        return [{"case": f"generate-{name}-{precision}", "line": f"# {msg}", "note": "load average " + load_average()}]
    if not (CACHE / name / "config.json").exists() and free_disk < 30:
        msg = f"{name} not run: {free_disk:.0f} GiB of disk free, needs 30 to make its checkpoint"
        print(msg, flush=True)
        return [{"case": f"generate-{name}-{precision}", "line": f"# {msg}", "note": ""}]
    d = model_dir(name)
    try:
        prompt = prompt_text(tokenizer_dir(SHAPES[name][4]), PROMPT_TOKENS)
        f_runs, loads = [], []
        for i in range(runs):
            f = fabula_once(d, prompt, precision, threads)
            loads.append(load_average())
            print(f"  run {i + 1}: {name} {precision} fabula {f['ms_per_token']:.1f} ms/token ttft {f['ttft']:.0f} ms "
                  f"load {f['load']:.0f} ms peak {f['peak'] / GIB:.2f} GiB | load {loads[-1]}", flush=True)
            f_runs.append(f)
        under = f"load average {loads[0]} .. {loads[-1]} on 2 cores (shared machine, taken under load)"
        tag = f"{name}-{precision}"
        out = [single_line(f"generate-{tag}", [1000 / r["ms_per_token"] for r in f_runs], "tok/s", under),
               single_line(f"ttft-{tag}", [r["ttft"] for r in f_runs], "ms", under),
               single_line(f"load-{tag}", [r["load"] for r in f_runs], "ms", under)]
        peaks = [r["peak"] / GIB for r in f_runs]
        out.append(single_line(f"peak-rss-{tag}", peaks, "GiB", memory_note(name, d, precision, max(peaks) * GIB)))
        return out
    finally:
        if delete:
            shutil.rmtree(d, ignore_errors=True)


def not_run(name, bench, *args, **kw):
    """One shape's results, or a line saying why it could not run (a family
    Fabula cannot run yet must not lose the other shapes' results)."""
    try:
        return bench(name, *args, **kw)
    except RuntimeError as e:
        reason = " ".join(str(e).split())[:300]
        print(f"{name} not run: {reason}", flush=True)
        return [{"case": name, "line": f"# {name} not run: {reason}", "note": "load average " + load_average()}]


def bench_families(case, runs=2, threads=2, precision="fp32"):
    pairs = {"family-llama": ["llama-1.1b"], "family-neo": ["gpt-neo-1.3b"], "family-gptj": [],
             "families": ["llama-1.1b", "gpt-neo-1.3b"],
             "families-tiny": ["gpt2-tiny", "llama-tiny", "gpt-neo-tiny"]}[case]
    out = []
    for name in pairs:
        out += not_run(name, bench_pair, precision, runs, threads)
    if case in ("family-gptj", "families"):
        out += not_run("gptj-6b", bench_alone, "bf16", runs, threads)
    if case == "families-tiny":
        out += not_run("gptj-tiny", bench_alone, "bf16", runs, threads, min_gib=1, delete=False)
    return out
