"""Unusable model folders get a clear message naming the file and the
problem, and fabula-cli exits with code 3 — never a crash."""
import json
import shutil
import struct

import pytest

from model_fixtures import make_model, run_cli


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return make_model(tmp_path_factory.mktemp("good"), n_layer=2, n_head=2, n_embd=32, n_positions=64)


def read_st(path):
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    return json.loads(raw[8:8 + n]), raw[8 + n:]


def write_st(path, header, data, header_len=None):
    h = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(h) if header_len is None else header_len) + h + data)


@pytest.fixture
def bad(good, tmp_path):
    d = tmp_path / "bad"
    shutil.copytree(good, d)
    return d


def expect_exit_3(model_dir, *needles):
    p = run_cli("generate", "--model", model_dir, "--prompt", "Once upon a time", "--max-new-tokens", 3,
                check=False)
    err = p.stderr.decode()
    assert p.returncode == 3, f"exit {p.returncode}: {err}"
    for n in needles:
        assert n in err, f"'{n}' not in: {err}"
    return err


def test_good_model_runs(good):
    assert run_cli("generate", "--model", good, "--prompt", "Hi", "--max-new-tokens", 2).returncode == 0


def test_truncated_file(bad):
    f = bad / "model.safetensors"
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    expect_exit_3(bad, str(f), "truncated")


def test_file_shorter_than_header_length(bad):
    f = bad / "model.safetensors"
    f.write_bytes(b"\x01\x02")
    expect_exit_3(bad, str(f), "truncated")


def test_header_length_past_end(bad):
    f = bad / "model.safetensors"
    header, data = read_st(f)
    write_st(f, header, data, header_len=10 ** 12)
    expect_exit_3(bad, str(f), "header length")


def test_header_not_json(bad):
    f = bad / "model.safetensors"
    f.write_bytes(struct.pack("<Q", 10) + b"{not json}" + b"\0" * 64)
    expect_exit_3(bad, str(f), "JSON")


def test_overlapping_offsets(bad):
    f = bad / "model.safetensors"
    header, data = read_st(f)
    a, b = header["transformer.ln_f.weight"], header["transformer.ln_f.bias"]
    b["data_offsets"] = [a["data_offsets"][0], a["data_offsets"][1]]
    write_st(f, header, data)
    expect_exit_3(bad, str(f), "overlap")


def test_out_of_range_offsets(bad):
    f = bad / "model.safetensors"
    header, data = read_st(f)
    t = header["transformer.ln_f.bias"]
    size = t["data_offsets"][1] - t["data_offsets"][0]
    t["data_offsets"] = [len(data) + 8, len(data) + 8 + size]
    write_st(f, header, data)
    expect_exit_3(bad, str(f), "past the end")


def test_unknown_dtype(bad):
    f = bad / "model.safetensors"
    header, data = read_st(f)
    header["transformer.ln_f.bias"]["dtype"] = "I64"
    write_st(f, header, data)
    expect_exit_3(bad, str(f), "unsupported dtype I64")


def test_missing_tensor(bad):
    from safetensors.torch import load_file, save_file
    f = bad / "model.safetensors"
    t = load_file(f)
    del t["transformer.h.1.mlp.c_fc.weight"]
    save_file(t, f)
    expect_exit_3(bad, str(f), "missing tensor 'transformer.h.1.mlp.c_fc.weight'")


def test_misshaped_tensor(bad):
    from safetensors.torch import load_file, save_file
    f = bad / "model.safetensors"
    t = load_file(f)
    t["transformer.wpe.weight"] = t["transformer.wpe.weight"][:10].contiguous()
    save_file(t, f)
    expect_exit_3(bad, str(f), "'transformer.wpe.weight' has shape [10, 32], config.json needs [64, 32]")


def test_invalid_config_json(bad):
    (bad / "config.json").write_text('{"n_layer": 2, "n_head": ')
    expect_exit_3(bad, str(bad / "config.json"))


def test_absurd_config_values(bad):
    cfg = json.loads((bad / "config.json").read_text())
    cfg["n_head"] = 5  # 32 is not a multiple of 5
    (bad / "config.json").write_text(json.dumps(cfg))
    expect_exit_3(bad, "config.json", "multiple of n_head")


def test_tokenizer_that_does_not_fit(tmp_path):
    d = make_model(tmp_path / "small_vocab", n_layer=1, n_head=2, n_embd=16, vocab_size=1000, n_positions=32)
    expect_exit_3(d, "1000", "do not belong together")


def test_missing_files(bad):
    (bad / "merges.txt").unlink()
    expect_exit_3(bad, "merges.txt")
    (bad / "model.safetensors").unlink()
    expect_exit_3(bad, "model.safetensors", "missing")
    (bad / "config.json").unlink()
    expect_exit_3(bad, "config.json", "missing")


def test_not_a_folder(tmp_path):
    expect_exit_3(tmp_path / "nowhere", "is not a folder")


def test_bad_merges_line(bad):
    with open(bad / "merges.txt", "a") as f:
        f.write("onlyonetoken\n")
    expect_exit_3(bad, "merges.txt")
