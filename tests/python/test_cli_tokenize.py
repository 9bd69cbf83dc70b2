"""The fabula-cli tokenize contract: exact input, one JSON line out, exact decode."""
import json

from model_fixtures import GPT2_DIR, hf_tokenizer, run_cli


def test_text_and_stdin_are_taken_exactly():
    text = "  Hello there,\n\tworld!  \n\n"
    a = json.loads(run_cli("tokenize", "--model", GPT2_DIR, "--text", text).stdout)
    b = json.loads(run_cli("tokenize", "--model", GPT2_DIR, input=text.encode()).stdout)
    assert a == b == hf_tokenizer()(text)["input_ids"]
    out = run_cli("tokenize", "--model", GPT2_DIR, "--text", text).stdout.decode()
    assert out.count("\n") == 1 and out.endswith("]\n")


def test_end_of_text_special_or_plain():
    text = "The end.<|endoftext|>Once"
    special = json.loads(run_cli("tokenize", "--model", GPT2_DIR, "--text", text).stdout)
    plain = json.loads(run_cli("tokenize", "--model", GPT2_DIR, "--text", text, "--eot-as-text").stdout)
    assert 50256 in special and 50256 not in plain
    assert special == hf_tokenizer()(text)["input_ids"]
    assert plain == hf_tokenizer()(text, split_special_tokens=True)["input_ids"]


def test_decode_prints_exactly_the_text():
    text = "Caf\u00e9 \U0001F600 ends with newline\n"
    ids = hf_tokenizer()(text)["input_ids"]
    out = run_cli("tokenize", "--model", GPT2_DIR, "--decode", input=json.dumps(ids).encode()).stdout
    assert out == text.encode()


def test_decode_out_of_range_is_exit_2():
    p = run_cli("tokenize", "--model", GPT2_DIR, "--decode", "--text", "[1, 2, 99999]", check=False)
    assert p.returncode == 2 and b"99999" in p.stderr
    p = run_cli("tokenize", "--model", GPT2_DIR, "--decode", "--text", "not json", check=False)
    assert p.returncode == 2
