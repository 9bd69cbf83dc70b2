"""A Llama-family folder as TinyLlama or Mistral publish it: a SentencePiece
tokenizer.model with tokenizer_config.json (add_bos_token) beside the
weights. The prompt gets the BOS Hugging Face's tokenizer(text) gives it,
greedy generation equals generate(), training rows start each story with
BOS, and the export keeps the tokenizer so AutoTokenizer loads it again.
(The tokenizer.model is trained by the sentencepiece 0.2 Python package;
Debian's libsentencepiece 0.1.97, which Fabula links, reads the same
ModelProto format.)"""
import json
from pathlib import Path

import pytest
import sentencepiece as spm
import torch
from transformers import AutoTokenizer, LlamaConfig

from model_fixtures import SHARED, hf_model, run_cli, save_random_model

PROMPT = "The old lighthouse keeper climbed the stairs one last time, and the sea"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("tinyllama")
    text = d / "train.txt"
    lines = (SHARED / "data" / "stories" / "tinystories_subset.jsonl").read_text(encoding="utf-8").splitlines()
    text.write_text("\n".join(json.loads(l)["text"] for l in lines[:2000]), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(text), model_prefix=str(d / "sp"), vocab_size=600, model_type="bpe",
                                   byte_fallback=True, num_threads=1, minloglevel=2)
    text.unlink()
    cfg = LlamaConfig(vocab_size=600, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                      bos_token_id=1, eos_token_id=2, tie_word_embeddings=False, initializer_range=0.2)
    save_random_model(d, cfg, seed=3)
    for f in ("vocab.json", "merges.txt"):  # save_random_model's GPT-2 files do not belong here
        (d / f).unlink()
    (d / "sp.model").rename(d / "tokenizer.model")
    (d / "sp.vocab").unlink()
    (d / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
        "add_bos_token": True, "add_eos_token": False, "legacy": False}))
    return d


def test_prompt_gets_bos_and_greedy_generation_equals_hf(folder):
    tok = AutoTokenizer.from_pretrained(folder)
    ids = tok(PROMPT)["input_ids"]
    assert ids[0] == 1
    r = json.loads(run_cli("generate", "--model", folder, "--prompt", PROMPT, "--greedy", "--max-new-tokens", 20,
                           "--precision", "fp32", "--device", "cpu", "--json").stdout)
    assert r["prompt_ids"] == ids
    with torch.no_grad():
        hf = hf_model(folder).generate(torch.tensor([ids]), do_sample=False, max_new_tokens=20,
                                       pad_token_id=2)[0, len(ids):].tolist()
    assert r["generated_ids"] == hf


def test_training_rows_start_stories_with_bos_and_the_export_keeps_the_tokenizer(folder, tmp_path):
    data = tmp_path / "stories"
    data.mkdir()
    for i, t in enumerate(["Once upon a time there was a quiet harbour town. " * 6,
                           "The wind came down from the hills at night. " * 6]):
        (data / f"s{i}.txt").write_text(t)
    out = tmp_path / "run"
    run_cli("train", "--model", folder, "--data", data, "--out", out, "--max-steps", 1, "--batch-size", 1,
            "--block-size", 64, "--batching", "pad", "--precision", "fp32", "--device", "cpu",
            "--dump-batches", tmp_path / "b.jsonl")
    rows = [json.loads(l) for l in open(tmp_path / "b.jsonl")]
    first = rows[0]["input_ids"][:rows[0]["cols"]]
    assert first[0] == 1, first[:5]  # pad batching: one story per row, BOS first as tokenizer(text) gives
    model = out / "model"
    for f in ("tokenizer.model", "tokenizer_config.json"):
        assert (model / f).read_bytes() == (folder / f).read_bytes()
    assert AutoTokenizer.from_pretrained(model)(PROMPT)["input_ids"] == AutoTokenizer.from_pretrained(folder)(PROMPT)["input_ids"]
