"""The Llama family (llama, mistral, qwen2) against transformers 5: logits for
full prompts and through the KV cache, greedy generation, end ids, one
training step, export, sharded and bf16 checkpoints and refused configs."""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import LlamaConfig, MistralConfig, Qwen2Config

from model_fixtures import generate_json, hf_model, hf_tokenizer, run_cli, save_random_model
from test_engine import PROMPT, fabula_logits, prompt_ids
from test_training import STORIES, assert_same_update, exported_state, metrics, reference_run, train

COMMON = dict(vocab_size=50257, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
              max_position_embeddings=256, initializer_range=0.1, eos_token_id=50256, bos_token_id=50256)

CONFIGS = {
    # Grouped-query attention, untied output layer, Llama 3.1's rope with
    # wavelengths in all three of its bands, biases everywhere they can be,
    # and a padding id (its embedding row gets no gradient from the lookup).
    "llama_gqa_llama3": lambda: LlamaConfig(
        **COMMON, num_attention_heads=4, num_key_value_heads=2, tie_word_embeddings=False,
        attention_bias=True, mlp_bias=True, pad_token_id=13,  # "."
        rope_parameters=dict(rope_type="llama3", rope_theta=10000.0, factor=8.0, low_freq_factor=1.0,
                             high_freq_factor=4.0, original_max_position_embeddings=64)),
    # Tied embeddings, a head_dim that is not hidden_size / heads, linear rope.
    "llama_tied_head_dim": lambda: LlamaConfig(
        **COMMON, num_attention_heads=4, num_key_value_heads=4, head_dim=24, tie_word_embeddings=True,
        rope_parameters=dict(rope_type="linear", rope_theta=5000.0, factor=2.5)),
    # q/k/v biases (no o_proj bias), GQA, a large theta.
    "qwen2": lambda: Qwen2Config(
        **COMMON, num_attention_heads=4, num_key_value_heads=1, tie_word_embeddings=True,
        rope_parameters=dict(rope_type="default", rope_theta=1e6)),
    # layer_types mixing full and sliding layers, window shorter than the prompt.
    "qwen2_sliding": lambda: Qwen2Config(
        **{**COMMON, "num_hidden_layers": 3}, num_attention_heads=4, num_key_value_heads=2,
        use_sliding_window=True, sliding_window=6,
        layer_types=["sliding_attention", "full_attention", "sliding_attention"]),
    # Mistral's window on every layer.
    "mistral_sliding": lambda: MistralConfig(
        **COMMON, num_attention_heads=4, num_key_value_heads=2, sliding_window=7),
}


def perturb_norms(model):
    """RMSNorm weights start at one; move them so a mix-up shows."""
    for name, p in model.named_parameters():
        if "norm" in name:
            p.add_(torch.randn_like(p) * 0.1)


def make(path, name, seed=0, **kwargs):
    return save_random_model(path, CONFIGS[name](), seed=seed, adjust=perturb_norms, **kwargs)


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def model_dir(request, tmp_path_factory):
    return make(tmp_path_factory.mktemp(request.param), request.param, seed=len(request.param))


def hf_logits(model_dir, ids):
    with torch.no_grad():
        return hf_model(model_dir).float()(torch.tensor([ids])).logits[0].numpy()


def max_error(model_dir, ids, *flags):
    ours, ref = fabula_logits(model_dir, ids, *flags), hf_logits(model_dir, ids)
    assert ours.shape == ref.shape
    return np.abs(ours - ref).max()


def test_full_prompt_logits_match(model_dir):
    assert max_error(model_dir, prompt_ids()) < 1e-4


# One token at a time, a long prefill then steps, and chunks shorter and
# longer than the sliding windows (6 and 7).
@pytest.mark.parametrize("split,chunk", [(1, 1), (17, 1), (10, 7), (3, 13)])
def test_cached_logits_match(model_dir, split, chunk):
    assert max_error(model_dir, prompt_ids(), "--split", split, "--chunk", chunk) < 1e-4


def hf_greedy(model_dir, ids, n_new, eos=None):
    model = hf_model(model_dir)
    with torch.no_grad():
        out = model.generate(torch.tensor([ids]), do_sample=False, max_new_tokens=n_new,
                             eos_token_id=eos if eos is not None else model.config.eos_token_id,
                             pad_token_id=50256)
    return out[0, len(ids):].tolist()


def test_greedy_generation_matches_hf(model_dir):
    # 30 new tokens after a 14-token prompt run well past the windows.
    ids = hf_tokenizer()(PROMPT)["input_ids"]
    r = generate_json(model_dir, PROMPT, "--greedy", "--max-new-tokens", 30, "--precision", "fp32")
    assert r["prompt_ids"] == ids
    assert r["generated_ids"] == hf_greedy(model_dir, ids, 30)


def test_generation_stops_at_any_end_id_of_a_list(tmp_path):
    d = make(tmp_path / "m", "llama_gqa_llama3", seed=11)
    ids = hf_tokenizer()(PROMPT)["input_ids"]
    free = hf_greedy(d, ids, 12)
    stop = next(i for i in range(3, 12) if free[i] not in free[:i])
    cfg = json.loads((d / "config.json").read_text())
    cfg["eos_token_id"] = [50256, free[stop], 7]
    (d / "config.json").write_text(json.dumps(cfg))
    r = generate_json(d, PROMPT, "--greedy", "--max-new-tokens", 12, "--precision", "fp32")
    assert r["stop_reason"] == "end_of_text"
    assert r["generated_ids"] == free[:stop + 1] == hf_greedy(d, ids, 12, eos=cfg["eos_token_id"])


def to_hub_rope_form(path, key):
    """Rewrites config.json's rope_parameters the way published hub configs
    spell it: rope_theta at the top, the rest under rope_scaling with
    `key` ("type" in older files, "rope_type" in newer) naming the type."""
    f = Path(path) / "config.json"
    cfg = json.loads(f.read_text())
    rope = cfg.pop("rope_parameters")
    cfg["rope_theta"] = rope.pop("rope_theta")
    kind = rope.pop("rope_type")
    if kind != "default":
        cfg["rope_scaling"] = {key: kind, **rope}
    f.write_text(json.dumps(cfg, indent=2))


@pytest.mark.parametrize("name,key", [("llama_gqa_llama3", "type"), ("llama_tied_head_dim", "rope_type"),
                                      ("qwen2", "type")])
def test_hub_rope_form_equals_rope_parameters(tmp_path, name, key):
    a = make(tmp_path / "a", name, seed=5)
    b = make(tmp_path / "b", name, seed=5)
    to_hub_rope_form(b, key)
    assert "rope_parameters" not in json.loads((b / "config.json").read_text())
    ids = prompt_ids()
    # transformers reads both forms as the same model, and so does Fabula.
    assert np.abs(hf_logits(a, ids) - hf_logits(b, ids)).max() == 0
    assert np.abs(fabula_logits(a, ids) - fabula_logits(b, ids)).max() == 0
    assert max_error(b, ids, "--split", 9, "--chunk", 5) < 1e-4


def test_default_rope_rotates_the_whole_head_whatever_partial_rotary_factor_says(tmp_path):
    a = make(tmp_path / "a", "qwen2", seed=6)
    b = make(tmp_path / "b", "qwen2", seed=6)
    cfg = json.loads((b / "config.json").read_text())
    cfg["partial_rotary_factor"] = 0.5  # read by the scaled rope types only, in all three modeling files
    (b / "config.json").write_text(json.dumps(cfg))
    ids = prompt_ids()
    assert np.abs(hf_logits(a, ids) - hf_logits(b, ids)).max() == 0
    assert max_error(b, ids) < 1e-4


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """test_training's folder layout: model, train.jsonl, cache."""
    d = tmp_path_factory.mktemp("base")
    lines = STORIES.read_text().splitlines()
    (d / "train.jsonl").write_text("\n".join(lines[:60]) + "\n")
    return d


def training_base(base, name):
    d = base / name
    if not d.exists():
        d.mkdir()
        cfg = CONFIGS[name]()
        cfg.initializer_range = 0.02
        save_random_model(d / "model", cfg, seed=3, adjust=perturb_norms)
        shutil.copy(base / "train.jsonl", d / "train.jsonl")
    return d


@pytest.mark.parametrize("name", ["llama_gqa_llama3", "llama_tied_head_dim", "qwen2_sliding"])
def test_one_step_matches_pytorch(base, tmp_path, name):
    b = training_base(base, name)
    # Weight decay 0.1 shows which tensors the table decays (not the norms, not the biases).
    train(b, tmp_path / "run", "--max-steps", 1, "--weight-decay", 0.1, "--dump-batches", tmp_path / "b.jsonl")
    batches = [json.loads(l) for l in (tmp_path / "b.jsonl").read_text().splitlines()]
    ref, losses = reference_run(b / "model", batches, 1, weight_decay=0.1)
    if ref.config.pad_token_id is not None:
        assert any(ref.config.pad_token_id in x["input_ids"] for x in batches)
    assert abs(metrics(tmp_path / "run")[0]["loss"] - losses[0]) < 1e-5
    before, ours = exported_state(b / "model"), exported_state(tmp_path / "run" / "model")
    ref_state = {k: v.detach() for k, v in ref.state_dict().items()}
    assert_same_update(before, ours, ref_state)
    # assert_same_update leaves lm_head out (GPT-2 ties it); an untied one must move right too.
    assert ("lm_head.weight" in ours) == (not ref.config.tie_word_embeddings)
    if "lm_head.weight" in ours:
        d_ref = ref_state["lm_head.weight"] - before["lm_head.weight"]
        d_ours = ours["lm_head.weight"] - before["lm_head.weight"]
        assert (d_ours - d_ref).abs().max() <= 1e-3 * d_ref.abs().max()


def test_export_loads_in_transformers_and_equals_the_run(base, tmp_path):
    from transformers import AutoModelForCausalLM
    b = training_base(base, "llama_gqa_llama3")
    train(b, tmp_path / "run", "--max-steps", 2, "--save-every", 2)
    run_cli("export", "--checkpoint", tmp_path / "run" / "checkpoints" / "step-2", "--out", tmp_path / "exp")
    final, exported = exported_state(tmp_path / "run" / "model"), exported_state(tmp_path / "exp")
    assert final.keys() == exported.keys() and all(torch.equal(final[k], exported[k]) for k in final)
    assert any(not torch.equal(final[k], exported_state(b / "model")[k]) for k in final)
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "exp")
    assert type(model).__name__ == "LlamaForCausalLM"
    assert model.config.rope_parameters["rope_type"] == "llama3"
    sd = model.state_dict()
    assert all(torch.equal(sd[k], final[k]) for k in final)
    assert max_error(tmp_path / "exp", prompt_ids()) < 1e-4


def test_sharded_checkpoint_loads_the_same(tmp_path):
    whole = make(tmp_path / "whole", "qwen2_sliding", seed=8)
    parts = make(tmp_path / "parts", "qwen2_sliding", seed=8, max_shard_size="2MB")
    shards = sorted(p.name for p in parts.glob("model-*.safetensors"))
    assert len(shards) > 1 and (parts / "model.safetensors.index.json").exists()
    ids = prompt_ids()
    assert np.abs(fabula_logits(whole, ids) - fabula_logits(parts, ids)).max() == 0
    assert max_error(parts, ids, "--split", 20) < 1e-4

    (parts / shards[-1]).unlink()
    p = run_cli("dev-logits", "--model", parts, "--ids", json.dumps(ids), "--out", tmp_path / "x.f32", check=False)
    assert p.returncode == 3 and shards[-1] in p.stderr.decode(), p.stderr.decode()


def test_bf16_checkpoint_runs_in_bf16(tmp_path):
    d = make(tmp_path / "bf16", "llama_gqa_llama3", seed=9, dtype=torch.bfloat16)
    ids = prompt_ids(24)
    ref = hf_logits(d, ids)  # the bf16 weights, computed in fp32
    assert np.abs(fabula_logits(d, ids) - ref).max() < 1e-4
    out = tmp_path / "bf16.f32"
    run_cli("dev-logits", "--model", d, "--ids", json.dumps(ids), "--out", out, "--precision", "bf16",
            "--split", 8)
    ours = np.fromfile(out, dtype=np.float32).reshape(len(ids), -1)
    assert np.corrcoef(ours.ravel(), ref.ravel())[0, 1] > 0.995
    assert (ours.argmax(-1) == ref.argmax(-1)).mean() > 0.9
    r = generate_json(d, PROMPT, "--greedy", "--max-new-tokens", 5, "--precision", "bf16")
    assert len(r["generated_ids"]) == 5


@pytest.mark.parametrize("change,needle", [
    (lambda c: c.update(rope_parameters={"rope_type": "yarn", "rope_theta": 1e4, "factor": 4.0}), '"yarn"'),
    (lambda c: (c.pop("rope_parameters"), c.update(rope_theta=1e4, rope_scaling={"type": "dynamic", "factor": 2.0})),
     '"dynamic"'),
    (lambda c: c.update(model_type="falcon"), '"falcon"'),
    (lambda c: c["rope_parameters"].pop("low_freq_factor"), "low_freq_factor"),
])
def test_unsupported_configs_exit_3_naming_the_problem(tmp_path, change, needle):
    d = make(tmp_path / "m", "llama_gqa_llama3")
    cfg = json.loads((d / "config.json").read_text())
    change(cfg)
    (d / "config.json").write_text(json.dumps(cfg))
    p = run_cli("generate", "--model", d, "--prompt", PROMPT, "--max-new-tokens", 1, check=False)
    err = p.stderr.decode()
    assert p.returncode == 3 and needle in err and "config.json" in err, err
