"""Tiny random GPT-2 checkpoints made with transformers at test time, and a
runner for fabula-cli. The real GPT-2 tokenizer files come from shared/."""
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, GPT2Config

SHARED = Path(os.environ.get("FABULA_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))
GPT2_DIR = SHARED / "data" / "gpt2"
CLI = os.environ.get("FABULA_CLI", "")

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))


def make_model(path, n_layer=2, n_head=3, n_embd=48, vocab_size=50257, n_positions=128, seed=0,
               layout="save_pretrained", dtype=torch.float32, init=0.2, activation="gelu_new", tie=True,
               dropout=0.0):
    """Saves a random GPT2LMHeadModel and the GPT-2 tokenizer files into path.
    init > 0.02 (GPT-2's) spreads the logits so greedy choices are clear."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    cfg = GPT2Config(n_layer=n_layer, n_head=n_head, n_embd=n_embd, vocab_size=vocab_size,
                     n_positions=n_positions, initializer_range=init, activation_function=activation,
                     resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout, tie_word_embeddings=tie)
    save_random_model(path, cfg, seed=seed, dtype=dtype)
    if layout == "published":
        to_published_layout(path, n_layer, n_positions)
    return path


def save_random_model(path, config, seed=0, dtype=torch.float32, adjust=None, **save_args):
    """A random model of any family (the config's model_type), with the GPT-2
    tokenizer files. adjust(model), when given, edits the weights before saving."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(".bias") or "ln_" in name:
                p.add_(torch.randn_like(p) * 0.1)  # non-trivial biases and norms
        if adjust:
            adjust(model)
    model = model.to(dtype)
    model.save_pretrained(path, safe_serialization=True, **save_args)
    for f in ("vocab.json", "merges.txt"):
        shutil.copy(GPT2_DIR / f, path / f)
    return path


def to_published_layout(path, n_layer, n_positions):
    """Rewrites a save_pretrained checkpoint the way the published gpt2 files
    are laid out: bare names, no lm_head, and the old attention buffers."""
    from safetensors.torch import load_file, save_file
    f = Path(path) / "model.safetensors"
    tensors = load_file(f)
    out = {}
    for k, v in tensors.items():
        if k == "lm_head.weight":
            continue
        out[k.removeprefix("transformer.")] = v.contiguous()
    for i in range(n_layer):
        out[f"h.{i}.attn.bias"] = torch.tril(torch.ones(n_positions, n_positions)).view(1, 1, n_positions, n_positions)
        out[f"h.{i}.attn.masked_bias"] = torch.tensor(-1e4)
    f.unlink()
    save_file(out, f, metadata={"format": "pt"})


def hf_model(path):
    return AutoModelForCausalLM.from_pretrained(path, attn_implementation="eager").eval()


def hf_tokenizer(path=GPT2_DIR):
    from transformers import GPT2TokenizerFast
    # transformers 5 takes vocab=/merges= (vocab_file= is silently ignored).
    return GPT2TokenizerFast(vocab=str(Path(path) / "vocab.json"), merges=str(Path(path) / "merges.txt"))


def run_cli(*args, input=None, check=True, timeout=600):
    env = dict(os.environ)
    env.setdefault("FABULA_THREADS", "1")
    p = subprocess.run([CLI, *map(str, args)], input=input, capture_output=True, timeout=timeout, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"fabula-cli {args[0]} exited {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p


def generate_json(model_dir, prompt, *flags):
    p = run_cli("generate", "--model", model_dir, "--prompt", prompt, "--json", *flags)
    return json.loads(p.stdout)


def write_safetensors_raw(path, header: dict, data: bytes, header_len=None):
    h = json.dumps(header).encode()
    n = len(h) if header_len is None else header_len
    Path(path).write_bytes(struct.pack("<Q", n) + h + data)
