"""What running a model takes, told before any work: the KV cache's context
cap, the refusal of a model that cannot fit (with the figures), and 16-bit
weights kept 16-bit when fp32 would not fit."""
import json
import shutil

import pytest

from model_fixtures import GPT2_DIR, hf_tokenizer, make_model, run_cli, write_safetensors_raw


def info(model_dir, *flags):
    return json.loads(run_cli("info", "--model", model_dir, "--json", "--device", "cpu", *flags).stdout)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return make_model(tmp_path_factory.mktemp("small"), n_positions=128)


def test_info_describes_the_model_without_loading_it(small):
    i = info(small, "--precision", "fp32")
    assert i["family"] == "GPT-2" and i["model_type"] == "gpt2"
    # 2 layers of 48 channels, vocab 50257, 128 positions, tied output layer.
    C, V, P, L = 48, 50257, 128, 2
    assert i["parameters"] == V * C + P * C + L * (12 * C * C + 13 * C) + 2 * C
    assert i["file_precision"] == "fp32" and i["run_precision"] == "fp32"
    assert i["weight_bytes"] == 4 * i["parameters"]
    assert i["context"] == 128
    assert i["cache_bytes"] == 2 * L * C * 4 * 128


def test_int8_and_16_bit_weights_keep_a_16_bit_kv_cache(small):
    # An fp32 model's cache stays fp32 (parity with transformers); under int8
    # or bf16 weights it is fp16, half the bytes every decoded token reads.
    C, L = 48, 2
    for precision in ("int8", "bf16"):
        i = info(small, "--precision", precision)
        assert i["run_precision"] == precision
        assert i["cache_bytes"] == 2 * L * C * 2 * 128, precision


def test_max_context_caps_the_cache_and_the_prompt(small):
    assert info(small, "--max-context", "32")["context"] == 32
    prompt = "The lighthouse keeper climbed the stairs one last time, and the sea was grey. " * 2
    assert len(hf_tokenizer()(prompt)["input_ids"]) > 32
    # The prompt builder keeps the newest text that fits the capped context
    # (32 - 4 new tokens), cut at a sentence, instead of refusing.
    p = run_cli("generate", "--model", small, "--prompt", prompt, "--max-new-tokens", "4", "--max-context", "32",
                "--device", "cpu", "--json")
    kept = json.loads(p.stdout)["prompt_ids"]
    assert 0 < len(kept) <= 28
    assert prompt.endswith(hf_tokenizer().decode(kept))
    ok = run_cli("generate", "--model", small, "--prompt", "Once upon a time", "--max-new-tokens", "4",
                 "--max-context", "32", "--device", "cpu", "--json")
    assert len(json.loads(ok.stdout)["generated_ids"]) == 4


def huge_llama(path, context, layers=80, hidden=8192, dtype="BF16"):
    """A config.json of a 70B-class Llama and a weights file whose header
    claims nothing: what is needed is known before a byte is read."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.json").write_text(json.dumps({
        "model_type": "llama", "hidden_size": hidden, "intermediate_size": 28672, "num_hidden_layers": layers,
        "num_attention_heads": 64, "num_key_value_heads": 8, "vocab_size": 128256,
        "max_position_embeddings": context, "rope_theta": 500000.0}))
    write_safetensors_raw(path / "model.safetensors", {"__metadata__": {"format": "pt"}}, b"")
    for f in ("vocab.json", "merges.txt"):
        shutil.copy(GPT2_DIR / f, path / f)
    return path


def test_a_model_that_cannot_fit_is_refused_with_the_figures(tmp_path):
    d = huge_llama(tmp_path / "big", 8192)
    p = run_cli("generate", "--model", d, "--prompt", "Once", "--device", "cpu", check=False)
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert str(d) in err and "Llama" in err and "GB" in err and "available" in err, err


def test_a_long_context_does_not_reserve_more_than_the_machine_has(tmp_path):
    # 4 layers of a 70B-class shape with a million positions: its full KV cache
    # would be 4 * 2 * 8 * 128 * 4 bytes * 2^20 = 32 GiB in fp32.
    d = huge_llama(tmp_path / "long", 1 << 20, layers=4)
    i = info(d, "--precision", "fp32")
    assert i["model_context"] == 1 << 20
    assert i["context"] < 1 << 20
    assert i["cache_bytes"] <= max(i["available_bytes"] - i["weight_bytes"], 0) / 4 + 2 * 4 * 8 * 128 * 4 * 256
