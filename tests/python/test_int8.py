"""--precision int8: every projection's weights (the lm_head included) in 8
bits with a scale per group of 32. Quality on a small GPT-2 trained here on
stories (perplexity, KL of the next-token distributions, greedy generation
against fp32), every family's logits against fp32 and transformers, LoRA on
top, the memory figure, and the commands that refuse it."""
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from model_fixtures import generate_json, hf_tokenizer, make_model, run_cli
from test_engine import fabula_logits, hf_logits, prompt_ids
from test_family_llama import make as make_llama
from test_family_neo_j import make as make_neo_j
from test_lora import peft_adapter
from test_model_memory import huge_llama
from test_training import STORIES


def logits(model_dir, ids, precision, *flags):
    out = Path(model_dir) / f"logits-{precision}.f32"
    run_cli("dev-logits", "--model", model_dir, "--ids", json.dumps(ids), "--out", out, "--precision", precision,
            "--device", "cpu", *flags)
    return np.fromfile(out, dtype=np.float32).reshape(len(ids), -1)


def log_softmax(z):
    z = z.astype(np.float64)
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def mean_kl(p_logits, q_logits):
    """Mean over positions of KL(p || q), in nats."""
    lp, lq = log_softmax(p_logits), log_softmax(q_logits)
    return float((np.exp(lp) * (lp - lq)).sum(-1).mean())


def relative_error(ours, ref):
    return float(np.linalg.norm(ours - ref) / np.linalg.norm(ref))


# ---- quality on a model that has learnt something ---------------------------

@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A 4-layer GPT-2 (n_embd 64, the GPT-2 vocabulary, whose output layer
    is most of the cost) after 120 steps on stories, and held-out stories it
    never saw."""
    d = tmp_path_factory.mktemp("int8_trained")
    make_model(d / "start", n_layer=4, n_head=4, n_embd=64, n_positions=128, init=0.02, seed=11)
    lines = STORIES.read_text().splitlines()
    assert len(lines) > 2600
    (d / "train.jsonl").write_text("\n".join(lines[:1500]) + "\n")
    (d / "held_out.jsonl").write_text("\n".join(lines[2500:2516]) + "\n")
    run_cli("train", "--model", d / "start", "--data", d / "train.jsonl", "--out", d / "run", "--block-size", 64,
            "--batch-size", 4, "--max-steps", 120, "--lr", "3e-3", "--warmup-steps", 10, "--val-fraction", 0,
            "--threads", 2, "--precision", "fp32", "--cache-dir", d / "cache", "--quiet", timeout=900)
    return d


def evaluate(d, precision, *flags):
    p = run_cli("eval", "--model", d / "run" / "model", "--data", d / "held_out.jsonl", "--precision", precision,
                "--threads", 2, "--json", *flags)
    return json.loads(p.stdout)


def held_out_ids(d, n):
    texts = [json.loads(l)["text"] for l in (d / "held_out.jsonl").read_text().splitlines()]
    tok = hf_tokenizer()
    return [tok(t)["input_ids"][:n] for t in texts]


def test_int8_perplexity_is_within_one_percent_of_fp32(trained):
    fp32, int8 = evaluate(trained, "fp32"), evaluate(trained, "int8")
    assert int8["tokens"] == fp32["tokens"] and int8["stories"] == fp32["stories"]
    # It learnt: far from the 50257 of a uniform guess (about 400 after these
    # steps), so the distributions are not random.
    assert fp32["perplexity"] < 600, fp32
    assert abs(int8["perplexity"] / fp32["perplexity"] - 1) < 0.01, (fp32, int8)
    # The int8 weights are really in use: the figures are not fp32's to the last digit.
    assert int8["loss"] != fp32["loss"]


def test_int8_next_token_distributions_stay_within_001_nats_of_fp32(trained):
    model = trained / "run" / "model"
    kls = []
    for ids in held_out_ids(trained, 100)[:6]:
        ref = logits(model, ids, "fp32")
        # The prompt in one pass, then one token at a time (the decoding kernels).
        for flags in ([], ["--split", 20, "--chunk", 1]):
            ours = logits(model, ids, "int8", *flags)
            assert not np.array_equal(ours, ref)
            kls.append(mean_kl(ref, ours))
    assert np.mean(kls) < 0.01, kls
    assert max(kls) < 0.03, kls


def test_int8_greedy_generation_equals_fp32_for_8_of_10_prompts(trained):
    model = trained / "run" / "model"
    tok = hf_tokenizer()
    prompts = [tok.decode(ids) for ids in held_out_ids(trained, 8)[:10]]
    assert len(prompts) == 10
    same = 0
    for prompt in prompts:
        runs = {p: generate_json(model, prompt, "--greedy", "--max-new-tokens", 20, "--precision", p,
                                 "--device", "cpu")
                for p in ("fp32", "int8")}
        assert "int8" in runs["int8"]["placement"]
        assert runs["fp32"]["generated_ids"], prompt
        same += runs["fp32"]["generated_ids"] == runs["int8"]["generated_ids"]
    assert same >= 8, f"int8 greedy equals fp32 for only {same} of {len(prompts)} prompts"


def test_int8_eval_with_an_adapter_is_close_to_fp32_with_it(trained, tmp_path):
    model = trained / "run" / "model"
    adapter = peft_adapter(model, tmp_path / "voice", r=4, lora_alpha=32, target_modules=["c_attn", "c_fc"])
    fp32 = evaluate(trained, "fp32", "--adapter", adapter)
    int8 = evaluate(trained, "int8", "--adapter", adapter)
    plain = evaluate(trained, "int8")
    assert abs(int8["perplexity"] / fp32["perplexity"] - 1) < 0.01, (fp32, int8)
    assert abs(int8["perplexity"] / plain["perplexity"] - 1) > 0.02, "the adapter should change the figures"


# ---- every family -------------------------------------------------------------

FAMILIES = {
    "gpt2": lambda d: make_model(d, n_layer=2, n_head=3, n_embd=48, n_positions=128, seed=3),
    "gpt2_untied": lambda d: make_model(d, n_layer=2, n_head=3, n_embd=48, n_positions=128, seed=3, tie=False),
    "gpt_neo": lambda d: make_neo_j(d, "neo_untied_odd", seed=4),
    "gptj": lambda d: make_neo_j(d, "gptj_wide_heads", seed=5),
    "gptj_padded": lambda d: make_neo_j(d, "gptj_padded", seed=7),
    "llama": lambda d: make_llama(d, "llama_gqa_llama3", seed=6),
}

# The quantization tolerance of these random models (initialised at 0.2, so
# the logits are large and spread, and near-ties between the top tokens are
# common among 50257): every weight, and in the decoding kernels every
# activation row, is rounded to 8 bits per group of 32, about 0.4 % of the
# group's largest value. Through two or three layers that measured 1-3.5 % of
# the logits' size and a KL under 0.002 nats; the bounds leave room for
# kernels that round differently.
LOGIT_TOLERANCE = 0.05
KL_TOLERANCE = 0.005


@pytest.fixture(scope="module", params=sorted(FAMILIES))
def family_dir(request, tmp_path_factory):
    return FAMILIES[request.param](tmp_path_factory.mktemp(request.param))


def test_int8_logits_are_close_to_fp32_and_transformers(family_dir):
    ids = prompt_ids(24)
    ref, fp32 = hf_logits(family_dir, ids), fabula_logits(family_dir, ids)
    for flags in ([], ["--split", 10, "--chunk", 1], ["--split", 5, "--chunk", 4]):
        int8 = logits(family_dir, ids, "int8", *flags)
        assert int8.shape == ref.shape
        assert not np.array_equal(int8, fp32), "int8 should round the weights"
        assert relative_error(int8, fp32) < LOGIT_TOLERANCE, (flags, relative_error(int8, fp32))
        assert relative_error(int8, ref) < LOGIT_TOLERANCE, (flags, relative_error(int8, ref))
        assert mean_kl(ref, int8) < KL_TOLERANCE, (flags, mean_kl(ref, int8))
        # The choice of a greedy step: mostly the same token, and always one of transformers' top 5.
        assert np.mean(int8.argmax(-1) == ref.argmax(-1)) >= 0.8, flags
        top5 = np.argsort(-ref, -1)[:, :5]
        assert all(int8[p].argmax() in top5[p] for p in range(len(ids))), flags


def test_int8_generates_in_every_family(family_dir):
    r = generate_json(family_dir, "The old lighthouse keeper", "--greedy", "--max-new-tokens", 8,
                      "--min-new-tokens", 8, "--precision", "int8")
    assert r["placement"].startswith("CPU, int8")
    assert len(r["generated_ids"]) == 8 and all(0 <= i < 50257 for i in r["generated_ids"])


def test_int8_with_an_adapter_is_close_to_fp32_with_the_same_adapter(tmp_path):
    for family, targets in (("gpt2", ["c_attn", "c_fc"]), ("llama", ["q_proj", "v_proj", "down_proj"])):
        base = FAMILIES[family](tmp_path / family)
        adapter = peft_adapter(base, tmp_path / f"{family}-voice", r=4, lora_alpha=16, target_modules=targets)
        ids = prompt_ids(24)
        fp32 = fabula_logits(base, ids, "--adapter", adapter)
        plain = logits(base, ids, "int8")
        for flags in ([], ["--split", 10, "--chunk", 1]):
            int8 = logits(base, ids, "int8", "--adapter", adapter, *flags)
            assert relative_error(int8, fp32) < LOGIT_TOLERANCE, (family, flags, relative_error(int8, fp32))
            # The adapter really applies on top of the int8 weights.
            assert relative_error(int8, plain) > 3 * relative_error(int8, fp32), family


# ---- memory, and the commands that refuse int8 --------------------------------

def test_int8_memory_is_a_byte_and_a_scale_per_weight_of_the_projections(tmp_path):
    # Widths that are whole groups of 32, so no row is padded and the figure is exactly 1.0625 bytes per
    # weight (a byte, and an fp16 scale per 32: llama.cpp's q8_0).
    whole_groups = {
        "gpt2": lambda d: make_model(d, n_layer=2, n_head=2, n_embd=64, n_positions=128, seed=3),
        "gpt_neo": lambda d: make_neo_j(d, "neo_local_global", seed=4),
        "llama": lambda d: make_llama(d, "llama_gqa_llama3", seed=6),
    }
    for family, make in whole_groups.items():
        d = make(tmp_path / family)
        info = json.loads(run_cli("info", "--model", d, "--precision", "int8", "--json").stdout)
        assert info["run_precision"] == "int8"
        tensors = load_file(d / "model.safetensors")
        config = json.loads((d / "config.json").read_text())
        embeddings = {n: t for n, t in tensors.items() if n.endswith(("wte.weight", "wpe.weight", "embed_tokens.weight"))}
        projections = {n: t for n, t in tensors.items() if t.dim() == 2 and n not in embeddings}
        rest = sum(t.numel() for n, t in tensors.items() if n not in embeddings and n not in projections)
        linear = sum(t.numel() for t in projections.values())
        if config.get("tie_word_embeddings", True):  # the output layer's int8 copy of the embedding
            linear += next(t.numel() for n, t in embeddings.items() if not n.endswith("wpe.weight"))
        expected = 1.0625 * linear + 4 * (rest + sum(t.numel() for t in embeddings.values()))
        assert info["weight_bytes"] == expected, (family, info["weight_bytes"], expected)
        # Auto keeps small models as they ran before.
        auto = json.loads(run_cli("info", "--model", d, "--json").stdout)
        assert auto["run_precision"] in ("fp32", "bf16")


def test_auto_picks_int8_for_models_whose_16_bit_weights_exceed_2_gib(tmp_path):
    def auto(layers):  # width 2048 with an MLP of 28672 and a 128k vocabulary: 185 M per layer, 525 M besides
        d = huge_llama(tmp_path / f"l{layers}", 2048, layers=layers, hidden=2048)
        return json.loads(run_cli("info", "--model", d, "--device", "cpu", "--json").stdout)
    big, small = auto(4), auto(2)
    assert big["parameters"] * 2 > 2 ** 31 and big["run_precision"] == "int8", big
    assert small["parameters"] * 2 < 2 ** 31, small
    if small["available_bytes"] * 0.9 > small["parameters"] * 4:  # fp32 fits: auto keeps what it picked before
        assert small["run_precision"] in ("fp32", "bf16"), small


def test_train_and_prepare_refuse_int8(tmp_path):
    d = make_model(tmp_path / "model", n_layer=1, n_head=2, n_embd=32, n_positions=64)
    (tmp_path / "train.jsonl").write_text("\n".join(STORIES.read_text().splitlines()[:20]) + "\n")
    for command in ("train", "prepare"):
        p = run_cli(command, "--model", d, "--data", tmp_path / "train.jsonl", "--out", tmp_path / f"run-{command}",
                    "--precision", "int8", check=False)
        assert p.returncode == 2, (command, p.returncode, p.stderr)
        assert b"int8 is for generation and evaluation" in p.stderr, p.stderr
        assert not (tmp_path / f"run-{command}").exists()


def test_int8_on_cuda_is_refused_naming_the_cpu(tmp_path):
    d = make_model(tmp_path / "model", n_layer=1, n_head=2, n_embd=32, n_positions=64)
    p = run_cli("generate", "--model", d, "--prompt", "Once", "--precision", "int8", "--device", "cuda", check=False)
    assert p.returncode == 2
    assert b"int8 runs on the CPU only" in p.stderr, p.stderr
