"""GPT-Neo and GPT-J against transformers: logits (full prompts, cached
steps and chunks crossing GPT-Neo's local windows), greedy generation, one
training step, export, sharded files and bad files."""
import json
import shutil

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM, GPTJConfig, GPTNeoConfig

import test_engine as engine
from model_fixtures import generate_json, run_cli, save_random_model
from test_engine import PROMPT, fabula_logits, hf_logits, prompt_ids
from test_model_files import expect_exit_3
from test_training import STORIES, assert_same_update, exported_state, metrics, reference_run, train

TOKENIZER_VOCAB = 50257


def neo_config(**kw):
    return GPTNeoConfig(**{"max_position_embeddings": 128, "initializer_range": 0.2, **kw})


def gptj_config(**kw):
    return GPTJConfig(**{"n_positions": 128, "initializer_range": 0.2, **kw})


CONFIGS = {
    # Local windows far shorter than the 40-token prompt, so full prompts,
    # single steps and chunks all cross them; a global layer first and last.
    "neo_local_global": lambda: neo_config(
        num_layers=3, attention_types=[[["global", "local"], 1], [["local"], 1]], window_size=8,
        hidden_size=32, num_heads=4, vocab_size=TOKENIZER_VOCAB),
    "neo_untied_odd": lambda: neo_config(
        num_layers=2, attention_types=[[["local", "global"], 1]], window_size=5, hidden_size=48, num_heads=3,
        intermediate_size=100, activation_function="gelu", vocab_size=50304, tie_word_embeddings=False),
    # GPT-J 6B's padded vocabulary, rotary on half of each head.
    "gptj_padded": lambda: gptj_config(n_layer=2, n_head=4, n_embd=32, rotary_dim=4, vocab_size=50400),
    "gptj_wide_heads": lambda: gptj_config(n_layer=3, n_head=2, n_embd=48, rotary_dim=8, n_inner=72,
                                           vocab_size=TOKENIZER_VOCAB),
}


def quiet_padding(model):
    """Rows past the tokenizer's vocabulary are never sampled by Fabula;
    transformers' generate would pick them. Real checkpoints never train them."""
    head = model.get_output_embeddings()
    if head.weight.shape[0] > TOKENIZER_VOCAB:
        head.weight[TOKENIZER_VOCAB:] = 0
        if head.bias is not None:
            head.bias[TOKENIZER_VOCAB:] = -10


def make(path, name, seed=0, **save_args):
    return save_random_model(path, CONFIGS[name](), seed=seed, adjust=quiet_padding, **save_args)


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def model_dir(request, tmp_path_factory):
    return make(tmp_path_factory.mktemp(request.param), request.param, seed=len(request.param))


def test_configurations_are_what_they_claim(model_dir):
    cfg = json.loads((model_dir / "config.json").read_text())
    if cfg["model_type"] == "gpt_neo":
        assert "local" in str(cfg["attention_types"]) and "global" in str(cfg["attention_types"])
        assert cfg["window_size"] < len(prompt_ids())
    else:
        assert cfg["model_type"] == "gptj" and cfg["rotary_dim"] < cfg["n_embd"] // cfg["n_head"]
        assert "lm_head.bias" in load_file(model_dir / "model.safetensors")


def test_full_prompt_logits_match(model_dir):
    engine.test_full_prompt_logits_match(model_dir)


@pytest.mark.parametrize("split,chunk", [(1, 1), (17, 1), (10, 7), (3, 11)])
def test_cached_incremental_logits_match(model_dir, split, chunk):
    engine.test_cached_incremental_logits_match(model_dir, split, chunk)


def test_greedy_generation_matches_hf(model_dir):
    engine.test_greedy_generation_matches_hf(model_dir)


def test_local_window_sees_exactly_window_size_positions(tmp_path):
    """transformers' local layers let a query see itself and window_size - 1
    earlier positions. Changing a token exactly window_size positions back
    must leave a local-only model's output alone; window_size - 1 back must not."""
    cfg = neo_config(num_layers=1, attention_types=[[["local"], 1]], window_size=6, hidden_size=32, num_heads=4)
    d = save_random_model(tmp_path / "m", cfg, seed=1)
    ids = prompt_ids(20)
    far, near = list(ids), list(ids)
    far[19 - 6] = 50000
    near[19 - 5] = 50000
    base = fabula_logits(d, ids)[-1]
    assert np.abs(fabula_logits(d, far)[-1] - base).max() < 1e-6
    assert np.abs(fabula_logits(d, near)[-1] - base).max() > 1e-3
    for variant in (ids, far, near):
        assert np.abs(fabula_logits(d, variant, "--split", 9, "--chunk", 1) - hf_logits(d, variant)).max() < 1e-4


def test_sharded_checkpoint_loads_the_same(tmp_path):
    for name in ("neo_local_global", "gptj_padded"):
        one = make(tmp_path / name / "one", name, seed=2)
        shards = make(tmp_path / name / "shards", name, seed=2, max_shard_size="200KB")
        assert (shards / "model.safetensors.index.json").exists()
        assert len(list(shards.glob("model-*.safetensors"))) >= 2
        ids = prompt_ids(24)
        assert np.abs(fabula_logits(one, ids) - fabula_logits(shards, ids)).max() == 0
        assert np.abs(fabula_logits(shards, ids) - hf_logits(one, ids)).max() < 1e-4


def test_padded_vocabulary_is_never_sampled(tmp_path):
    """GPT-J's 50400 logits: the 143 past the tokenizer's 50257 have no
    text; here they win every argmax and must still never be chosen."""
    d = make(tmp_path / "m", "gptj_padded", seed=3)
    f = d / "model.safetensors"
    t = load_file(f)
    t["lm_head.bias"][TOKENIZER_VOCAB:] = 1e3
    save_file(t, f, metadata={"format": "pt"})
    ids = prompt_ids(8)
    assert (hf_logits(d, ids).argmax(-1) >= TOKENIZER_VOCAB).all()
    for flags in (["--greedy"], ["--seed", "3", "--top-k", "0"]):
        r = generate_json(d, PROMPT, "--max-new-tokens", 12, *flags)
        assert r["generated_ids"] and max(r["generated_ids"]) < TOKENIZER_VOCAB


# Small on purpose: Adam's first step moves a weight by lr * g / (|g| + 1e-8),
# so where a gradient nearly cancels to ~1e-8 the fp32 rounding of either side
# shows in the update at the 1e-3 tolerance. Fewer, larger gradients make such
# elements rare (over seeds 0-7 the worst tensor reached 9.7e-4 of max|Δref|,
# most 1e-4 to 3e-4; twice this width failed on half of the seeds).
TRAIN_CONFIGS = {
    # The training blocks (32) are longer than the local window (8).
    "gpt_neo": lambda: GPTNeoConfig(num_layers=2, attention_types=[[["global", "local"], 1]], window_size=8,
                                    hidden_size=16, num_heads=2, max_position_embeddings=64),
    "gptj": lambda: GPTJConfig(n_layer=2, n_head=2, n_embd=16, rotary_dim=4, n_positions=64, vocab_size=50400),
}


@pytest.fixture(scope="module", params=sorted(TRAIN_CONFIGS))
def base(request, tmp_path_factory):
    d = tmp_path_factory.mktemp("base_" + request.param)
    save_random_model(d / "model", TRAIN_CONFIGS[request.param](), seed=5)
    lines = STORIES.read_text().splitlines()
    (d / "train.jsonl").write_text("\n".join(lines[:120]) + "\n")
    return d


def test_one_step_matches_pytorch(base, tmp_path):
    train(base, tmp_path / "run", "--max-steps", 1, "--dump-batches", tmp_path / "b.jsonl")
    batches = [json.loads(l) for l in (tmp_path / "b.jsonl").read_text().splitlines()]
    ref, losses = reference_run(base / "model", batches, 1)
    assert abs(metrics(tmp_path / "run")[0]["loss"] - losses[0]) < 1e-5
    before, ours = exported_state(base / "model"), exported_state(tmp_path / "run" / "model")
    ref_state = {k: v.detach() for k, v in ref.state_dict().items()}
    assert_same_update(before, ours, ref_state)
    if not ref.config.tie_word_embeddings:  # assert_same_update skips lm_head.weight (GPT-2 ties it)
        d_ref = ref_state["lm_head.weight"].double() - before["lm_head.weight"].double()
        d_ours = ours["lm_head.weight"].double() - before["lm_head.weight"].double()
        assert (d_ours - d_ref).abs().max() <= 1e-3 * d_ref.abs().max() and d_ref.abs().max() > 0


def test_export_loads_in_transformers_and_equals_the_run(base, tmp_path):
    train(base, tmp_path / "run", "--max-steps", 2, "--save-every", 2, "--lr", 1e-3)
    run_cli("export", "--checkpoint", tmp_path / "run" / "checkpoints" / "step-2", "--out", tmp_path / "exp")
    ours = exported_state(tmp_path / "run" / "model")
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "exp").float().eval()
    sd = model.state_dict()
    assert all(torch.equal(sd[k], ours[k]) for k in ours)
    assert any(not torch.equal(ours[k], v) for k, v in exported_state(base / "model").items()), "nothing trained"
    ids = prompt_ids(40)
    assert np.abs(fabula_logits(tmp_path / "run" / "model", ids) - hf_logits(tmp_path / "exp", ids)).max() < 1e-4


BAD_TENSORS = {
    "gpt_neo": ("neo_local_global", "transformer.h.1.attn.attention.q_proj.weight"),
    "gptj": ("gptj_padded", "transformer.h.0.attn.k_proj.weight"),
}


@pytest.mark.parametrize("family", sorted(BAD_TENSORS))
def test_missing_and_misshaped_tensors_are_named(tmp_path, family):
    name, tensor = BAD_TENSORS[family]
    good = make(tmp_path / "good", name)
    f = good / "model.safetensors"
    t = load_file(f)
    for what in ("missing", "shape"):
        d = tmp_path / what
        shutil.copytree(good, d)
        bad = dict(t)
        if what == "missing":
            del bad[tensor]
        else:
            bad[tensor] = bad[tensor][:, :-1].contiguous()
        save_file(bad, d / "model.safetensors", metadata={"format": "pt"})
        err = expect_exit_3(d, str(d / "model.safetensors"), tensor)
        assert what in err


@pytest.mark.parametrize("value,needle", [(None, "null"), (0, "at least 2"), (7, "even"), (64, "head size")])
def test_unusable_rotary_dim_is_refused(tmp_path, value, needle):
    d = make(tmp_path / "m", "gptj_padded")
    cfg = json.loads((d / "config.json").read_text())
    cfg["rotary_dim"] = value
    (d / "config.json").write_text(json.dumps(cfg))
    err = expect_exit_3(d, "config.json", "rotary_dim")
    assert needle in err
