"""decode, decode-xl: Fabula, llama.cpp and CTranslate2 side by side in one run (issue 11).

Random weights, batch 1, greedy, the same threads (--threads, 2 by default) for every engine.
`decode` runs the GPT-2 124M shape (bench/.cache/gpt2-124m, made by bench_generate.model_dir):
  decode-{fp32,16bit,int8}-d0     128 new tokens after a 1-token prompt      (tok/s)
  decode-{fp32,16bit,int8}-d512   128 new tokens after a 512-token prompt    (tok/s)
  prompt512-{fp32,16bit,int8}     the 512-token prompt                       (prompt tok/s)
`decode-xl` runs the GPT-2 XL (1.5B) shape, decode-xl-{fp32,16bit,int8}-{d0,d512}, against
llama.cpp only. It is opt-in (not part of `decode`): its random checkpoint is written into
bench/.cache/gpt2-xl (6.2 GB, plus 11 GB of GGUF files) and one run of its six cases takes
several minutes on 2 cores. Any single case name runs that case alone. With --prepare-only
the checkpoints and conversions are made and nothing is timed.

Precisions: fp32 = Fabula fp32 / llama.cpp f32 / CTranslate2 float32; 16bit = Fabula bf16 /
llama.cpp f16 / CTranslate2 bfloat16 (CTranslate2 has no float16 on the CPU, and refuses
bfloat16 on CPUs it has no fast kernels for: then ct2=-); int8 = Fabula int8 (until fabula-cli
accepts --precision int8 the cases print fabula=-) / llama.cpp q8_0 / CTranslate2 int8.

How each engine is timed:
- Fabula: `fabula-cli generate --json --greedy` (FABULA_BUILD_DIR's) with --precision and
  --threads; decode = its tokens_per_second (new tokens after the first over the time after the
  first), prompt = 512 / ms_to_first_token. Each run is a fresh process: Fabula's prompt
  figure includes first-call costs that the peers' warm-up runs hide.
- llama.cpp: `llama-bench -t T -r 1 -o json` with `-p 0 -n 128` (d0), `-p 0 -n 128 -d 512`
  (d512) and `-p 512 -n 0` (prompt); its avg_ts. It warms up before timing.
- CTranslate2: bench/ct2_generate.py, Generator(intra_threads=T).generate_tokens greedy, after a
  short warm-up generation; the same token ids as Fabula's prompt.
Each case alternates the engines run by run (the order rotates) and reports medians of --runs.

The peers are built once into bench/.cache/peers/ by peers.ensure_peers() (see bench/peers.py),
the checkpoints converted once into bench/.cache/decode/ (GGUF f32 with llama.cpp's
convert_hf_to_gguf.py from a copy of config.json that has n_ctx, then f16 and q8_0 with
llama-quantize; CTranslate2 with ct2-transformers-converter --quantization).

Bandwidth bound: a 2-thread streaming read (torch sum over 1 GiB, best of 5) and the bytes one
token must read: every projection and the lm_head at 4 / 2 / 1.0625 bytes a weight (the last is
q8_0's 8.5 bits, the least any of the int8 engines reads), plus, at d512, a 16-bit KV cache at
the mean position (576). Each decode line notes the bound in tok/s and each engine's fraction.
"""
import json
import os
import statistics
import subprocess
import time

from bench_families import available_gib, load_average
from bench_generate import model_dir, prompt_text
from common import BENCH, CACHE, CLI, PYTHON, SHARED, run
import peers

NEW_TOKENS = 128
PROMPT_TOKENS = 512
D0_PROMPT = "The"  # one GPT-2 token
WORK = CACHE / "decode"

# precision: Fabula's --precision, llama.cpp's GGUF type, CTranslate2's quantization, bytes a weight
PRECISIONS = {
    "fp32": ("fp32", "f32", "float32", 4.0),
    "16bit": ("bf16", "f16", "bfloat16", 2.0),
    "int8": ("int8", "q8_0", "int8", 1.0625),
}
SHAPES = {"124m": dict(n_embd=768, n_layer=12, n_head=12), "xl": dict(n_embd=1600, n_layer=48, n_head=25)}
VOCAB, N_POSITIONS = 50257, 1024
XL_DISK_GIB = 20
XL_MEMORY_GIB = 9

CPU_FLAGS = ("avx2", "fma", "f16c", "avx_vnni", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
             "avx512_fp16", "amx_bf16", "amx_int8")


def cases_for(name):
    """(case, shape, kind, precision) for a command (decode, decode-xl) or a single case name."""
    every = [(f"decode-{p}-{k}", "124m", k, p) for k in ("d0", "d512") for p in PRECISIONS]
    every += [(f"prompt512-{p}", "124m", "prompt", p) for p in PRECISIONS]
    xl = [(f"decode-xl-{p}-{k}", "xl", k, p) for k in ("d0", "d512") for p in PRECISIONS]
    if name == "decode":
        return sorted(every, key=lambda c: ({"fp32": 0, "16bit": 1, "int8": 2}[c[3]], c[0]))
    if name == "decode-xl":
        return xl
    hit = [c for c in every + xl if c[0] == name]
    if not hit:
        raise SystemExit(f"unknown decode case {name}")
    return hit


# --- the machine ---------------------------------------------------------------------------

def cpu_description():
    fields, flags = {}, set()
    for line in open("/proc/cpuinfo"):
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "flags" and not flags:
            flags = set(value.split())
        elif key in ("model name", "cpu family", "model") and key not in fields:
            fields[key] = value.strip()
    # Virtual machines often show only "AMD EPYC": family and model tell the generation.
    model = f"{fields.get('model name', 'unknown CPU')} (family {fields.get('cpu family', '?')} model " \
            f"{fields.get('model', '?')})"
    return model, [f for f in CPU_FLAGS if f in flags]


def read_bandwidth(threads):
    """Bytes a second that `threads` threads stream from memory: torch sum over 1 GiB, best of 5."""
    out = run([PYTHON, "-c", f"""
import time, torch
torch.set_num_threads({threads})
x = torch.ones(2 ** 28)
x.sum()
best = min((lambda t: (x.sum(), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(5))
print(x.numel() * 4 / best)
"""])
    return float(out.stdout.strip())


def bytes_per_token(shape, precision, depth):
    """What one decoded token must read: every projection and the lm_head, plus the KV cache."""
    e, l = SHAPES[shape]["n_embd"], SHAPES[shape]["n_layer"]
    weights = (l * 12 * e * e + VOCAB * e) * PRECISIONS[precision][3]
    kv = 2 * l * e * (depth + NEW_TOKENS / 2) * 2 if depth else 0
    return weights + kv


# --- checkpoints ---------------------------------------------------------------------------

def xl_dir():
    """GPT-2 XL's shape with random weights, written tensor by tensor (never all in memory)."""
    d = CACHE / "gpt2-xl"
    if (d / "model.safetensors").exists():
        return d
    free = os.statvfs(CACHE).f_bavail * os.statvfs(CACHE).f_frsize / 2 ** 30
    if free < XL_DISK_GIB:
        raise RuntimeError(f"decode-xl needs {XL_DISK_GIB} GiB free in {CACHE}, there are {free:.0f}")
    d.mkdir(parents=True, exist_ok=True)
    print(f"  writing GPT-2 XL's shape with random weights into {d}", flush=True)
    run([PYTHON, "-c", f"""
import json, shutil, struct, torch
from transformers import GPT2Config
e, l, v, n = {SHAPES['xl']['n_embd']}, {SHAPES['xl']['n_layer']}, {VOCAB}, {N_POSITIONS}
tensors = [("transformer.wte.weight", (v, e)), ("transformer.wpe.weight", (n, e))]
for i in range(l):
    p = f"transformer.h.{{i}}."
    tensors += [(p + "ln_1.weight", (e,)), (p + "ln_1.bias", (e,)), (p + "attn.c_attn.weight", (e, 3 * e)),
                (p + "attn.c_attn.bias", (3 * e,)), (p + "attn.c_proj.weight", (e, e)), (p + "attn.c_proj.bias", (e,)),
                (p + "ln_2.weight", (e,)), (p + "ln_2.bias", (e,)), (p + "mlp.c_fc.weight", (e, 4 * e)),
                (p + "mlp.c_fc.bias", (4 * e,)), (p + "mlp.c_proj.weight", (4 * e, e)), (p + "mlp.c_proj.bias", (e,))]
tensors += [("transformer.ln_f.weight", (e,)), ("transformer.ln_f.bias", (e,))]
header, offset = {{"__metadata__": {{"format": "pt"}}}}, 0
for name, shape in tensors:
    size = 4 * torch.Size(shape).numel()
    header[name] = {{"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + size]}}
    offset += size
raw = json.dumps(header).encode()
raw += b" " * (-len(raw) % 8)
g = torch.Generator().manual_seed(0)
with open("{d}/model.safetensors.part", "wb") as f:
    f.write(struct.pack("<Q", len(raw)) + raw)
    for name, shape in tensors:
        if len(shape) == 2:
            t = torch.empty(shape).normal_(0, 0.02, generator=g)
        else:
            t = torch.ones(shape) if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") \\
                or name.endswith("ln_f.weight") else torch.zeros(shape)
        f.write(t.numpy().tobytes())
GPT2Config(n_embd=e, n_layer=l, n_head={SHAPES['xl']['n_head']}, n_positions=n, vocab_size=v,
           architectures=["GPT2LMHeadModel"]).save_pretrained("{d}")
for f in ("vocab.json", "merges.txt"):
    shutil.copy("{SHARED}/data/gpt2/" + f, "{d}/" + f)
"""])
    (d / "model.safetensors.part").rename(d / "model.safetensors")
    return d


def hf_dir(shape):
    return model_dir() if shape == "124m" else xl_dir()


def gguf(shape, precision):
    """The checkpoint as GGUF at the precision's llama.cpp type."""
    kind = PRECISIONS[precision][1]
    out = WORK / f"gpt2-{shape}-{kind}.gguf"
    if out.exists():
        return out
    WORK.mkdir(parents=True, exist_ok=True)
    if kind == "f32":
        src = hf_dir(shape)
        # llama.cpp's GPT-2 converter reads the context length from n_ctx, which transformers no
        # longer writes: a folder of links with a config.json that has it.
        d = WORK / f"gpt2-{shape}-for-llama"
        d.mkdir(exist_ok=True)
        for f in ("model.safetensors", "vocab.json", "merges.txt"):
            if not (d / f).exists():
                (d / f).symlink_to(src / f)
        config = json.loads((src / "config.json").read_text())
        config["n_ctx"] = config["n_positions"]
        # It detects the model from "architectures", which a bare GPT2Config does not write.
        config.setdefault("architectures", ["GPT2LMHeadModel"])
        (d / "config.json").write_text(json.dumps(config, indent=2))
        run(["nice", "-n", "10", PYTHON, peers.convert_script(), d, "--outtype", "f32", "--outfile",
             str(out) + ".part"])
    else:
        run(["nice", "-n", "10", peers.LLAMA_QUANTIZE, gguf(shape, "fp32"), str(out) + ".part", kind.upper(), "2"])
    os.replace(str(out) + ".part", out)
    return out


def ct2_model(precision):
    quant = PRECISIONS[precision][2]
    out = WORK / f"gpt2-124m-ct2-{quant}"
    if not (out / "model.bin").exists():
        WORK.mkdir(parents=True, exist_ok=True)
        run(["nice", "-n", "10", peers.CT2_CONVERTER, "--model", model_dir(), "--output_dir", out, "--quantization",
             quant, "--force"])
    return out


def ct2_compute_types():
    out = run([peers.CT2_PYTHON, "-c", "import ctranslate2, json; "
               "print(json.dumps(sorted(ctranslate2.get_supported_compute_types('cpu'))))"])
    return set(json.loads(out.stdout))


# --- one run of one engine -----------------------------------------------------------------

class Unavailable(Exception):
    """An engine cannot run a case here (said once, then the case prints '-' for it)."""


def fabula_once(model, kind, precision, threads, prompt):
    new = 1 if kind == "prompt" else NEW_TOKENS + 1
    cmd = [CLI, "generate", "--model", model, "--prompt", prompt, "--greedy", "--max-new-tokens", new,
           "--min-new-tokens", new, "--precision", PRECISIONS[precision][0], "--device", "cpu", "--threads",
           threads, "--json"]
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if p.returncode != 0:
        raise Unavailable(f"fabula-cli generate --precision {PRECISIONS[precision][0]} exited {p.returncode}: "
                          + (p.stderr.strip().splitlines() or ["(no message)"])[-1])
    r = json.loads(p.stdout)
    want_prompt = 1 if kind == "d0" else PROMPT_TOKENS
    assert len(r["prompt_ids"]) == want_prompt and len(r["generated_ids"]) == new, "fabula: wrong token counts"
    if kind == "prompt":
        return PROMPT_TOKENS * 1000.0 / r["ms_to_first_token"]
    return r["tokens_per_second"]


def llama_once(gguf_file, kind, threads):
    args = {"d0": ["-p", "0", "-n", NEW_TOKENS], "d512": ["-p", "0", "-n", NEW_TOKENS, "-d", PROMPT_TOKENS],
            "prompt": ["-p", PROMPT_TOKENS, "-n", "0"]}[kind]
    out = run([peers.LLAMA_BENCH, "-m", gguf_file, "-t", threads, "-r", "1", "-o", "json"] + args)
    rows = json.loads(out.stdout)
    assert len(rows) == 1, "llama-bench: one test expected"
    return rows[0]["avg_ts"]


def ct2_once(model, quant, kind, threads, ids_file):
    new = 2 if kind == "prompt" else NEW_TOKENS + 1
    p = subprocess.run([str(c) for c in [peers.CT2_PYTHON, BENCH / "ct2_generate.py", model, quant, ids_file,
                                         new, threads]], capture_output=True, text=True)
    if p.returncode != 0:
        raise Unavailable(f"ct2_generate.py {quant} exited {p.returncode}: "
                          + (p.stderr.strip().splitlines() or ["(no message)"])[-1])
    r = json.loads(p.stdout.strip().splitlines()[-1])
    return PROMPT_TOKENS * 1000.0 / r["prompt_ms"] if kind == "prompt" else r["tokens_per_second"]


# --- the cases -----------------------------------------------------------------------------

def fmt(x):
    return "-" if x is None else f"{x:.4g}"


def prepare(cases):
    """Everything the cases read that is not timed: the checkpoints and each peer's conversions,
    so that a later run on a quiet machine only times (`bench/run.py decode-xl --prepare-only`)."""
    ct2_types = ct2_compute_types() if any(c[1] == "124m" for c in cases) else set()
    for case, shape, kind, precision in cases:
        t0 = time.time()
        hf_dir(shape)
        gguf(shape, precision)
        if shape == "124m" and PRECISIONS[precision][2] in ct2_types:
            ct2_model(precision)
        spent = time.time() - t0
        print(f"  {case}: ready" + (f" ({spent / 60:.1f} min)" if spent > 1 else ""), flush=True)


def bench_decode(name, runs=5, threads=2, prepare_only=False):
    cases = cases_for(name)
    spent = peers.ensure_peers()
    for peer, s in spent.items():
        if s:
            print(f"  built {peer} in {s / 60:.1f} min", flush=True)
    if prepare_only:
        prepare(cases)
        return []
    model_name, flags = cpu_description()
    bandwidth = read_bandwidth(threads)
    header = (f"{model_name}; flags {' '.join(flags) or 'none of ' + ' '.join(CPU_FLAGS)}; {threads}-thread read "
              f"{bandwidth / 1e9:.1f} GB/s (torch sum over 1 GiB, best of 5); llama.cpp from llama-cpp-python "
              f"{peers.LLAMA_CPP_PYTHON_VERSION}, CTranslate2 {peers.CTRANSLATE2_VERSION}; load {load_average()}")
    print(f"machine: {header}", flush=True)
    results = [{"case": "machine", "line": f"machine: {header}", "note": ""}]
    if os.getloadavg()[0] > 1.0:
        # Seen on a shared 2-core machine: llama.cpp's spinning thread barriers lose ~4x with one
        # competing process (q8_0 d0: 23 tok/s at -t 2, 90 at -t 1), the other engines far less.
        print(f"warning: load average {load_average()}: other processes compete for the cores, and llama.cpp "
              "suffers most from it; the ratios are only meaningful on a quiet machine", flush=True)

    ct2_types = ct2_compute_types() if any(c[1] == "124m" for c in cases) else set()
    d0_ids, d512_ids = WORK / "prompt_ids_d0.json", WORK / "prompt_ids_d512.json"
    WORK.mkdir(parents=True, exist_ok=True)
    tokenizer = SHARED / "data/gpt2"
    story = prompt_text(tokenizer, PROMPT_TOKENS)
    d512_ids.write_text(run([CLI, "tokenize", "--model", tokenizer, "--text", story]).stdout)
    d0_ids.write_text(run([CLI, "tokenize", "--model", tokenizer, "--text", D0_PROMPT]).stdout)
    assert len(json.loads(d0_ids.read_text())) == 1 and len(json.loads(d512_ids.read_text())) == PROMPT_TOKENS
    unavailable = {}  # (engine, shape, precision) -> why

    for case, shape, kind, precision in cases:
        if shape == "xl" and available_gib() < XL_MEMORY_GIB:
            print(f"  {case}: skipped, {available_gib():.1f} GiB available, {XL_MEMORY_GIB} needed", flush=True)
            continue
        prompt = D0_PROMPT if kind == "d0" else story
        ids_file = d0_ids if kind == "d0" else d512_ids
        quant = PRECISIONS[precision][2]
        engines = {
            "fabula": lambda: fabula_once(hf_dir(shape), kind, precision, threads, prompt),
            "llamacpp": lambda: llama_once(gguf(shape, precision), kind, threads),
        }
        notes = []
        if shape == "124m":
            if quant in ct2_types:
                engines["ct2"] = lambda: ct2_once(ct2_model(precision), quant, kind, threads, ids_file)
            else:
                notes.append(f"CTranslate2 has no {quant} on this CPU")
        for e in engines:  # the checkpoints, before any timing
            if e == "llamacpp":
                gguf(shape, precision)
            elif e == "ct2":
                ct2_model(precision)
        values = {e: [] for e in engines}
        order = list(engines)
        for i in range(runs):
            for e in order[i % len(order):] + order[:i % len(order)]:
                if (e, shape, precision) in unavailable:
                    continue
                try:
                    values[e].append(engines[e]())
                except Unavailable as why:
                    unavailable[(e, shape, precision)] = str(why)
                    print(f"  {e}: {why}", flush=True)
            print(f"  {case} run {i + 1}: " + " ".join(f"{e} {fmt(v[-1] if v else None)}" for e, v in values.items()),
                  flush=True)
        med = {e: statistics.median(v) if v else None for e, v in values.items()}
        for e, v in values.items():
            if len(v) > 1:
                print(f"  {e}: median {med[e]:.4g} (range {min(v):.4g}-{max(v):.4g}, n={len(v)})")
        peers_best = max((v for e, v in med.items() if e != "fabula" and v is not None), default=None)
        ratio = med["fabula"] / peers_best if med["fabula"] and peers_best else None
        ct2 = fmt(med["ct2"]) if "ct2" in med else "-"
        line = (f"bench: {case} fabula={fmt(med['fabula'])} llamacpp={fmt(med['llamacpp'])}"
                + ("" if shape == "xl" else f" ct2={ct2}") + f" ratio={'-' if ratio is None else f'{ratio:.3g}'}"
                + " unit=tok/s")
        fab, lla, c2 = PRECISIONS[precision][:3]
        notes.insert(0, f"fabula {fab}, llama.cpp {lla}" + ("" if shape == "xl" else f", ct2 {c2}"))
        if kind != "prompt":
            bound = bandwidth / bytes_per_token(shape, precision, PROMPT_TOKENS if kind == "d512" else 0)
            notes.append(f"bound {bound:.0f} tok/s: " + ", ".join(
                f"{e} {v / bound:.2f}" for e, v in med.items() if v is not None))
        notes.append(f"load {load_average()}")
        if med["fabula"] is None and ("fabula", shape, precision) in unavailable:
            notes.append("fabula: " + unavailable[("fabula", shape, precision)][:120])
        print(line + f"   # {'; '.join(notes)}", flush=True)
        results.append({"case": case, "line": line, "note": "; ".join(notes)})
    return results
