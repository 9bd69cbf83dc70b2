"""Fabula's tokenizers beyond GPT-2's files against transformers 5's
AutoTokenizer on the same folder, token for token: SentencePiece
tokenizer.model folders (Llama 2, TinyLlama, Mistral) and tokenizer.json
files (Llama 3's byte-level split, an NFC normalizer, Llama 2's Metaspace with
byte fallback). Every tokenizer is trained here on the shared stories; every
story of shared/data/stories, the texts of the GPT-2 vectors file and a few
edge cases (special tokens in the text, leading spaces, empty text, odd
Unicode) are compared, without and with the special tokens that Hugging Face
adds (BOS, EOS). Fabula runs through fabula-tokenize-tool, once per file.

The SentencePiece models are trained with the sentencepiece Python package
(0.2.x) while Fabula links Debian's libsentencepiece 0.1.97: the model file
is the same protobuf (sentencepiece_model.proto has only gained optional
fields since), and the tests below load the 0.2.x files with 0.1.97."""
import json
import os
import subprocess
from pathlib import Path

import pytest
import sentencepiece as spm
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import AutoTokenizer

from conftest import read_jsonl

STORY_FILES = ["tinystories_subset.jsonl", "snakes_llama31_stories.jsonl"]
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")
EDGE_TEXTS = [
    "", " ", "  ", "\n", " Once upon a time", "  two spaces first", "\tTab", "end with space ",
    "<s>", "</s>", "<unk>", "<s>Hello</s>", "a<s>b", "Hello <s> world", "<s> <s>x", "x</s>", "</s></s>",
    "<|begin_of_text|>Hi", "Hi<|end_of_text|>", "a <|sep|> b", "a<|sep|>b", "  <|sep|>  ", "<|endoftext|>",
    "e\u0301 caf\u00e9 cafe\u0301 \u212b \u1e9b\u0323", "\ufb01 \u00bd \u2460 \uff21",  # NFC-sensitive, NFKC-only
    "\ufffd\ufffd", "\ufeffBOM", "\u200b\u200d", "\U0001F600 \U0001F469\u200d\U0001F4BB", "\ue000\U000F0000",
    "\u2581 starts with the metaspace", "\u2581\u2581x", "x\u2581", "<0x41> <0xZZ>", "\x00\x01\x7f",
    "1234567 89", "\u0663\u0664 \u00b2", "don't I'LL we've", "tab\tand\r\nnewlines\n\n\n", "zq zqx xzq zq.",
]


def _tool():
    value = os.environ.get("FABULA_TOKENIZE_TOOL")
    if not value or not Path(value).is_file():
        pytest.fail(f"FABULA_TOKENIZE_TOOL must name fabula-tokenize-tool (ctest sets it); got {value!r}")
    return value


@pytest.fixture(scope="module")
def tool():
    return _tool()


@pytest.fixture(scope="module")
def stories(shared_dir):
    return {name: [r["text"] for r in read_jsonl(shared_dir / "data" / "stories" / name)] for name in STORY_FILES}


@pytest.fixture(scope="module")
def vector_texts(gpt2_dir):
    return [v["text"] for v in read_jsonl(gpt2_dir / "tokenizer_vectors.jsonl")]


@pytest.fixture(scope="module")
def train_file(tmp_path_factory, stories):
    """About 3 MB of both story files, one story per line."""
    path = tmp_path_factory.mktemp("train") / "train.txt"
    lines = []
    for texts in stories.values():
        size = 0
        for t in texts:
            lines.append(t.replace("\n", " "))
            size += len(t)
            if size > 1_500_000:
                break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def train_sentencepiece(train_file, out_dir, model_type):
    # Default normalization (nmt_nfkc) on purpose: transformers 5 ignores the
    # model's normalizer, and so must Fabula.
    spm.SentencePieceTrainer.train(
        input=str(train_file), model_prefix=str(out_dir / "m"), vocab_size=1000, model_type=model_type,
        byte_fallback=True, character_coverage=0.9995, num_threads=1, minloglevel=2,
        user_defined_symbols=["zq"])
    return out_dir / "m.model"


@pytest.fixture(scope="module")
def sp_models(tmp_path_factory, train_file):
    # Unigram models are trained too, to check that they are refused:
    # transformers 5 turns them into BPE merges, which libsentencepiece's
    # unigram does not reproduce.
    models_ = {}
    for kind in ["bpe", "unigram"]:
        d = tmp_path_factory.mktemp(f"spm_{kind}")
        models_[kind] = train_sentencepiece(train_file, d, kind)
    return models_


SP_CONFIGS = {
    # TinyLlama / Llama 2 chat: BOS added, legacy.
    "bos_legacy": {"add_bos_token": True, "add_eos_token": False, "legacy": True},
    # Mistral-like: BOS added, not legacy.
    "bos_not_legacy": {"add_bos_token": True, "legacy": False},
    # Neither named: transformers 5 adds nothing; legacy absent means false.
    "nothing_named": {},
    "bos_and_eos": {"add_bos_token": True, "add_eos_token": True, "legacy": False},
    "added_tokens_decoder": {
        "add_bos_token": True, "legacy": True,
        "added_tokens_decoder": {"1000": {"content": "<|sep|>", "special": True, "lstrip": False, "rstrip": False,
                                         "single_word": False, "normalized": False}}},
}


def sp_folder(tmp_path_factory, model, config):
    d = tmp_path_factory.mktemp("spdir")
    (d / "tokenizer.model").write_bytes(Path(model).read_bytes())
    cfg = {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
           **config}
    (d / "tokenizer_config.json").write_text(json.dumps(cfg), encoding="utf-8")
    return d


def train_bpe_json(train_file, out_dir, kind):
    """A tokenizer.json trained with `tokenizers`: kind "llama3" (Llama 3's
    Split + ByteLevel without regex, ignore_merges, a BOS template) or "nfc"
    (an NFC normalizer, Digits and ByteLevel with a prefix space)."""
    tok = Tokenizer(models.BPE(ignore_merges=(kind == "llama3")))
    specials = ["<|begin_of_text|>", "<|end_of_text|>"]
    if kind == "llama3":
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)])
    else:
        tok.normalizer = normalizers.NFC()
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=1500, special_tokens=specials, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train([str(train_file)], trainer)
    from tokenizers import AddedToken
    tok.add_special_tokens([AddedToken("<|sep|>", lstrip=True, rstrip=True, normalized=False, special=True)])
    tok.add_tokens([AddedToken("zq", single_word=True, normalized=True, special=False)])
    bos = tok.token_to_id("<|begin_of_text|>")
    eos = tok.token_to_id("<|end_of_text|>")
    if kind == "llama3":
        tok.post_processor = processors.Sequence([
            processors.ByteLevel(trim_offsets=False),
            processors.TemplateProcessing(single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A $B",
                                          special_tokens=[("<|begin_of_text|>", bos)])])
    else:
        tok.post_processor = processors.TemplateProcessing(
            single="<|begin_of_text|> $A <|end_of_text|>", pair="$A $B",
            special_tokens=[("<|begin_of_text|>", bos), ("<|end_of_text|>", eos)])
    out_dir.mkdir()
    tok.save(str(out_dir / "tokenizer.json"))
    return out_dir


def metaspace_json(sp_dir, out_dir, style):
    """A Metaspace + byte_fallback tokenizer.json built from transformers'
    own conversion of the SentencePiece model: "llama2" rewrites it into the
    layout of Llama 2's published file (Prepend and Replace normalizers, no
    pre-tokenizer, a Strip decoder, a <s> template), "split" uses a Metaspace
    pre-tokenizer that splits, prepending always."""
    hf = AutoTokenizer.from_pretrained(sp_dir)
    j = json.loads(hf.backend_tokenizer.to_str())
    if style == "llama2":
        j["normalizer"] = {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "\u2581"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]}
        j["pre_tokenizer"] = None
        j["decoder"] = {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
    else:
        j["pre_tokenizer"] = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                              "split": True}
    j["post_processor"] = {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}}
    out_dir.mkdir()
    (out_dir / "tokenizer.json").write_text(json.dumps(j, ensure_ascii=False), encoding="utf-8")
    return out_dir


def run_tool(tool, tmp_path, folder, mode, rows, *flags):
    src, out = tmp_path / f"{mode}.in.jsonl", tmp_path / f"{mode}.out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cmd = [tool, mode, "--tokenizer", str(folder), "--out", str(out), *flags, str(src)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, f"{' '.join(cmd)} exited {p.returncode}: {p.stderr}"
    got = read_jsonl(out)
    assert len(got) == len(rows)
    return got


def mismatches(texts, ours, theirs, what):
    bad = [i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    if not bad:
        return ""
    lines = [f"{len(bad)} of {len(texts)} {what} differ; first ones:"]
    for i in bad[:3]:
        a, b = ours[i], theirs[i]
        at = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        lines.append(f"  #{i} {texts[i][:80]!r}: from token {at}: fabula {a[at:at + 8]} vs {b[at:at + 8]}")
    return "\n".join(lines)


def compare(tool, tmp_path, folder, texts, what, specials_texts):
    hf = AutoTokenizer.from_pretrained(folder)
    ours = [r for r in run_tool(tool, tmp_path, folder, "encode", [{"text": t} for t in texts])]
    theirs = hf(texts, add_special_tokens=False)["input_ids"]
    msg = mismatches(texts, ours, theirs, f"{what} (without special tokens)")
    assert not msg, msg
    ours = run_tool(tool, tmp_path, folder, "encode", [{"text": t} for t in specials_texts], "--specials")
    theirs = hf(specials_texts)["input_ids"]
    msg = mismatches(specials_texts, ours, theirs, f"{what} (with special tokens)")
    assert not msg, msg
    return hf


@pytest.fixture(scope="module")
def all_texts(stories, vector_texts):
    texts = EDGE_TEXTS + vector_texts
    for name in STORY_FILES:
        texts += stories[name]
    return texts


@pytest.fixture(scope="module")
def some_texts(stories, vector_texts):
    """The texts compared with special tokens too: all but most stories."""
    return EDGE_TEXTS + vector_texts + stories[STORY_FILES[0]][:300] + stories[STORY_FILES[1]][:300]


@pytest.mark.parametrize("config", list(SP_CONFIGS))
def test_sentencepiece_bpe_equals_transformers(tool, tmp_path, tmp_path_factory, sp_models, all_texts, some_texts,
                                               config):
    folder = sp_folder(tmp_path_factory, sp_models["bpe"], SP_CONFIGS[config])
    # Every config sees the edge cases and vectors; the whole of the stories once.
    texts = all_texts if config == "bos_legacy" else some_texts
    hf = compare(tool, tmp_path, folder, texts, f"texts ({config})", some_texts)
    ids = hf("Hi")["input_ids"]
    assert (ids[0] == 1) == SP_CONFIGS[config].get("add_bos_token", False)  # the configs do what they say
    assert (ids[-1] == 2) == SP_CONFIGS[config].get("add_eos_token", False)


def test_sentencepiece_decodes_to_the_text(tool, tmp_path, tmp_path_factory, sp_models, some_texts):
    # Byte fallback covers every character, so the text comes back exactly,
    # with the ▁ that Metaspace prepended as a leading space (which Hugging
    # Face's decode strips and Fabula keeps, as it decodes continuations).
    folder = sp_folder(tmp_path_factory, sp_models["bpe"], SP_CONFIGS["bos_not_legacy"])
    texts = [t for t in some_texts if "<" not in t and "\u2581" not in t]
    ids = run_tool(tool, tmp_path, folder, "encode", [{"text": t} for t in texts])
    back = [r["text"] for r in run_tool(tool, tmp_path, folder, "decode", [{"ids": i} for i in ids])]
    bad = [i for i, (t, b) in enumerate(zip(texts, back)) if b not in (t, " " + t)]
    assert not bad, f"{len(bad)} texts do not come back; first: {texts[bad[0]][:60]!r} -> {back[bad[0]][:60]!r}"


@pytest.mark.parametrize("kind", ["llama3", "nfc"])
def test_byte_level_tokenizer_json_equals_transformers(tool, tmp_path, tmp_path_factory, train_file, all_texts,
                                                       some_texts, kind):
    folder = train_bpe_json(train_file, tmp_path_factory.mktemp("json") / kind, kind)
    compare(tool, tmp_path, folder, all_texts, f"texts ({kind})", some_texts)
    ids = run_tool(tool, tmp_path, folder, "encode", [{"text": t} for t in some_texts])
    back = [r["text"] for r in run_tool(tool, tmp_path, folder, "decode", [{"ids": i} for i in ids])]
    if kind == "llama3":  # no normalizer, no prefix space: every text comes back as it was
        # (but for the spaces that <|sep|> strips around itself)
        bad = [i for i, (t, b) in enumerate(zip(some_texts, back)) if t != b and "<|sep|>" not in t]
        assert not bad, f"{len(bad)} texts do not round-trip; first: {some_texts[bad[0]][:60]!r}"


@pytest.mark.parametrize("style", ["llama2", "split"])
def test_metaspace_tokenizer_json_equals_transformers(tool, tmp_path, tmp_path_factory, sp_models, all_texts,
                                                      some_texts, style):
    sp_dir = sp_folder(tmp_path_factory, sp_models["bpe"], SP_CONFIGS["bos_not_legacy"])
    folder = metaspace_json(sp_dir, tmp_path_factory.mktemp("meta") / style, style)
    compare(tool, tmp_path, folder, all_texts if style == "llama2" else some_texts, f"texts ({style})", some_texts)


def test_unsupported_components_are_refused(cli, tmp_path, tmp_path_factory, train_file, sp_models):
    folder = train_bpe_json(train_file, tmp_path_factory.mktemp("bad") / "t", "llama3")
    j = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    cases = [
        ("pre_tokenizer", {"type": "Whitespace"}, 'tokenizer.json: pre_tokenizer type "Whitespace" is not supported'),
        ("normalizer", {"type": "Lowercase"}, 'tokenizer.json: normalizer type "Lowercase" is not supported'),
        ("post_processor", {"type": "BertProcessing", "sep": ["</s>", 2], "cls": ["<s>", 1]},
         'tokenizer.json: post_processor type "BertProcessing" is not supported'),
        ("decoder", {"type": "CTC"}, 'tokenizer.json: decoder type "CTC" is not supported'),
        ("model", {**j["model"], "type": "Unigram"}, 'model.type is "Unigram"'),
    ]
    for key, value, message in cases:
        d = tmp_path / key
        d.mkdir()
        (d / "tokenizer.json").write_text(json.dumps({**j, key: value}), encoding="utf-8")
        p = subprocess.run([str(cli), "tokenize", "--model", str(d), "--text", "x"], capture_output=True, text=True)
        assert p.returncode == 3, (key, p.returncode, p.stderr)
        assert message in p.stderr and str(d) in p.stderr, p.stderr
    d = sp_folder(tmp_path_factory, sp_models["bpe"], {"tokenizer_class": "T5Tokenizer"})
    p = subprocess.run([str(cli), "tokenize", "--model", str(d), "--text", "x"], capture_output=True, text=True)
    assert p.returncode == 3 and 'tokenizer_class "T5Tokenizer"' in p.stderr, p.stderr
    (d / "tokenizer.model").write_bytes(Path(sp_models["unigram"]).read_bytes())
    (d / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "LlamaTokenizer"}), encoding="utf-8")
    p = subprocess.run([str(cli), "tokenize", "--model", str(d), "--text", "x"], capture_output=True, text=True)
    assert p.returncode == 3 and "tokenizer.model: is a SentencePiece unigram model" in p.stderr, p.stderr
    (d / "tokenizer.model").write_bytes(b"not a model")
    (d / "tokenizer_config.json").unlink()
    p = subprocess.run([str(cli), "tokenize", "--model", str(d), "--text", "x"], capture_output=True, text=True)
    assert p.returncode == 3 and "tokenizer.model" in p.stderr, p.stderr


def test_cli_specials_flag(cli, tmp_path_factory, sp_models):
    folder = sp_folder(tmp_path_factory, sp_models["bpe"], SP_CONFIGS["bos_legacy"])
    hf = AutoTokenizer.from_pretrained(folder)
    for flags, expected in [([], hf("Once upon a time", add_special_tokens=False)["input_ids"]),
                            (["--specials"], hf("Once upon a time")["input_ids"])]:
        p = subprocess.run([str(cli), "tokenize", "--model", str(folder), "--text", "Once upon a time", *flags],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout) == expected


PRE_TOKENIZER_VARIANTS = {
    **{f"split_{b.lower()}{'_inverted' if inv else ''}": [
        {"type": "Split", "pattern": {"Regex": r"\s+|\p{N}+|[,.!?]"}, "behavior": b, "invert": inv},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]
        for b in ["Isolated", "Removed", "MergedWithPrevious", "MergedWithNext", "Contiguous"] for inv in [False, True]},
    "split_string": [{"type": "Split", "pattern": {"String": "the"}, "behavior": "MergedWithNext", "invert": False},
                     {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}],
    "split_empty_matches": [{"type": "Split", "pattern": {"Regex": r"\b|x*"}, "behavior": "Isolated", "invert": False},
                            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}],
    "digits_contiguous": [{"type": "Digits", "individual_digits": False},
                          {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}],
    "gpt2_as_split": [{"type": "Split", "pattern": {"Regex": "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}"
                                                             "\\p{N}]+|\\s+(?!\\S)|\\s+"},
                       "behavior": "Isolated", "invert": False},
                      {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}],
}


@pytest.fixture(scope="module")
def llama3_json(tmp_path_factory, train_file):
    base = train_bpe_json(train_file, tmp_path_factory.mktemp("variant") / "base", "llama3")
    return json.loads((base / "tokenizer.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("variant", list(PRE_TOKENIZER_VARIANTS))
def test_pre_tokenizer_options_equal_transformers(tool, tmp_path, llama3_json, stories, vector_texts, variant):
    # Each Split behaviour, inverted or not, empty matches, a string pattern,
    # Digits without individual_digits: the byte-level model trained above
    # under another pre-tokenizer, on the vectors and some stories.
    j = dict(llama3_json)
    j["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": PRE_TOKENIZER_VARIANTS[variant]}
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "tokenizer.json").write_text(json.dumps(j), encoding="utf-8")
    texts = EDGE_TEXTS + vector_texts + stories[STORY_FILES[1]][:100]
    compare(tool, tmp_path, folder, texts, f"texts ({variant})", texts[:200])
