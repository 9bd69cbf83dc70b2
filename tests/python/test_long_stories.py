"""fabula-cli generate on long stories: --prompt-file, --memory, --authors-note,
--lore; the prompt's parts in --json ("context") against the ids the engine
got, lore firing by key, the note at its depth, refusals that name what to
shorten, and the built prompt's logits and greedy tokens against transformers
on the same ids."""
import json

import numpy as np
import pytest
import torch

from model_fixtures import hf_model, hf_tokenizer, make_model, run_cli
from test_engine import fabula_logits

PARAGRAPHS = [
    "Mara climbed the stairs of the lighthouse at dusk and lit the great lamp.",
    "Below her the sea was grey, and the boats of the harbour rocked at their moorings.",
    "She thought of Tobias, who had sailed in the autumn and never come back.",
    "The letters she wrote him lay in a drawer, tied with a blue ribbon.",
    "That night the wind rose, and somewhere in the dark a bell was ringing.",
]
STORY = "\n\n".join(PARAGRAPHS)
MEMORY = "Mara keeps the lighthouse on Gull Island. She writes to her lost brother."
NOTE = "Quiet, sad, short sentences."


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return make_model(tmp_path_factory.mktemp("long"), n_layer=2, n_head=2, n_embd=32, n_positions=256, seed=5)


def generate(model_dir, *flags, check=True):
    p = run_cli("generate", "--model", model_dir, "--json", "--greedy", "--max-new-tokens", 8, "--precision", "fp32",
                "--device", "cpu", *flags, check=check)
    return p if not check else json.loads(p.stdout)


def write_lore(path, entries):
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return path


def parts_concatenate(r):
    ids = [i for part in r["context"] for i in part["ids"]]
    assert ids == r["prompt_ids"]
    for part in r["context"]:
        assert part["tokens"] == len(part["ids"])


def test_without_the_new_flags_the_prompt_is_the_text(model_dir):
    r = generate(model_dir, "--prompt", STORY)
    assert r["prompt_ids"] == hf_tokenizer()(STORY)["input_ids"]
    assert [p["part"] for p in r["context"]] == ["story"]
    assert r["context"][0]["text"] == STORY
    parts_concatenate(r)
    assert r["prompt_tokens_processed"] == len(r["prompt_ids"]) and r["prompt_tokens_reused"] == 0


def test_parts_come_in_order_and_concatenate_to_the_prompt(model_dir, tmp_path):
    lore = write_lore(tmp_path / "world.jsonl", [{"keys": ["Tobias"], "content": "Tobias is Mara's younger brother."}])
    r = generate(model_dir, "--prompt", STORY, "--memory", MEMORY, "--authors-note", NOTE, "--authors-note-depth", 2,
                 "--lore", lore)
    parts_concatenate(r)
    kinds = [p["part"] for p in r["context"]]
    assert kinds == ["memory", "lore", "story", "authors_note", "story"], kinds
    tok = hf_tokenizer()
    assert tok.decode(r["prompt_ids"]) == "".join(p["text"] for p in r["context"])
    for part in r["context"]:
        assert tok.decode(part["ids"]) == part["text"]
    assert r["context"][0]["text"].startswith(MEMORY)
    assert r["context"][1]["key"] == "Tobias" and "younger brother" in r["context"][1]["text"]
    assert f"[Author's note: {NOTE}]" in r["context"][3]["text"]
    assert "key" not in r["context"][0] and "key" not in r["context"][2]


def test_the_authors_note_goes_its_depth_in_paragraphs_before_the_end(model_dir):
    for depth in (1, 2, 3):
        r = generate(model_dir, "--prompt", STORY, "--authors-note", NOTE, "--authors-note-depth", depth)
        parts_concatenate(r)
        kinds = [p["part"] for p in r["context"]]
        assert kinds == ["story", "authors_note", "story"], (depth, kinds)
        before, after = r["context"][0]["text"], r["context"][2]["text"]
        assert before.strip() == "\n\n".join(PARAGRAPHS[:-depth]), depth
        assert after.strip() == "\n\n".join(PARAGRAPHS[-depth:]), depth


def test_lore_fires_by_key(model_dir, tmp_path):
    lore = write_lore(tmp_path / "world.jsonl", [
        {"keys": ["Tobias"], "content": "Tobias: Mara's brother."},
        {"keys": ["Gull Island"], "content": "Gull Island: a rock with a lighthouse."},  # not in the story
        {"keys": ["harbour"], "secondary_keys": ["boats"], "content": "The harbour: twelve boats."},
        {"keys": ["harbour"], "secondary_keys": ["whales"], "content": "Whales in the harbour."},
        {"keys": ["bell"], "content": "The drowned bell.", "enabled": False},
        {"keys": ["nothing-here"], "content": "Always: the sea is grey.", "always": True},
        {"keys": ["MARA"], "content": "Capital Mara.", "case_sensitive": True},
        {"keys": ["lamp"], "content": "The lamp is old."},
    ])
    r = generate(model_dir, "--prompt", STORY, "--lore", lore)
    parts_concatenate(r)
    fired = {p["key"] for p in r["context"] if p["part"] == "lore"}
    assert fired == {"Tobias", "harbour", "nothing-here", "lamp"}, fired
    texts = " ".join(p["text"] for p in r["context"] if p["part"] == "lore")
    assert "twelve boats" in texts and "Whales" not in texts
    # A key outside the last --lore-scan tokens does not fire: "lamp" is in the first paragraph only.
    r = generate(model_dir, "--prompt", STORY, "--lore", lore, "--lore-scan", 20)
    fired = {p["key"] for p in r["context"] if p["part"] == "lore"}
    assert "lamp" not in fired and "Tobias" not in fired and "nothing-here" in fired, fired


def test_exactly_one_of_prompt_and_prompt_file(model_dir, tmp_path):
    f = tmp_path / "draft.txt"
    f.write_text(STORY, encoding="utf-8")
    p = generate(model_dir, check=False)
    assert p.returncode == 2 and "--prompt TEXT or --prompt-file FILE" in p.stderr.decode()
    p = generate(model_dir, "--prompt", "x", "--prompt-file", f, check=False)
    assert p.returncode == 2 and "not both" in p.stderr.decode()


def test_prompt_file_reads_the_same_text_as_prompt(model_dir, tmp_path):
    f = tmp_path / "draft.txt"
    f.write_bytes(("\ufeff" + STORY.replace("\n", "\r\n")).encode("utf-8"))  # BOM and Windows line endings
    a = generate(model_dir, "--prompt-file", f, "--memory", MEMORY)
    b = generate(model_dir, "--prompt", STORY, "--memory", MEMORY)
    assert a["prompt_ids"] == b["prompt_ids"] and a["context"] == b["context"]


@pytest.mark.parametrize("content,problem", [
    (b"Mara wrote \xff\xfe a letter.", "not valid UTF-8 text at byte offset 11"),
    (b"Mara\x00\x01\x02", "looks like a binary file, not text (a NUL byte at byte offset 4)"),
    (None, "file not found"),
])
def test_an_unusable_prompt_file_is_named_with_its_problem(model_dir, tmp_path, content, problem):
    f = tmp_path / "draft.txt"
    if content is not None:
        f.write_bytes(content)
    p = generate(model_dir, "--prompt-file", f, check=False)
    assert p.returncode == 3
    err = p.stderr.decode()
    assert f"{f}: " in err and problem in err, err


def test_an_unusable_lorebook_is_named(model_dir, tmp_path):
    f = tmp_path / "world.jsonl"
    f.write_text('{"keys": ["Tobias"], "content": "x"}\n{"keys": oops}\n', encoding="utf-8")
    p = generate(model_dir, "--prompt", STORY, "--lore", f, check=False)
    assert p.returncode == 3 and str(f) in p.stderr.decode(), p.stderr.decode()


def test_memory_longer_than_the_budget_is_refused_naming_it(tmp_path):
    d = make_model(tmp_path / "m", n_layer=1, n_head=2, n_embd=16, n_positions=64)
    memory = " ".join(["Mara keeps the lighthouse and writes letters."] * 20)  # about 160 tokens
    p = run_cli("generate", "--model", d, "--prompt", STORY, "--memory", memory, "--max-new-tokens", 8, check=False)
    err = p.stderr.decode()
    assert p.returncode == 2 and "memory" in err.lower() and not p.stdout, err


def test_max_new_tokens_is_clamped_with_a_note_and_the_story_is_cut_to_the_budget(tmp_path):
    d = make_model(tmp_path / "m", n_layer=1, n_head=2, n_embd=16, n_positions=64)
    f = tmp_path / "draft.txt"
    f.write_text(STORY, encoding="utf-8")  # about 85 tokens, more than the context
    p = run_cli("generate", "--model", d, "--prompt-file", f, "--memory", "Mara.", "--json",
                "--max-new-tokens", 1000, "--min-new-tokens", 1000)
    err = p.stderr.decode()
    assert "--max-new-tokens 1000 is more than half the model's context of 64 tokens, so it is lowered to 32" in err
    r = json.loads(p.stdout)
    assert r["max_new_tokens"] == 32 and len(r["generated_ids"]) == 32
    parts_concatenate(r)
    assert len(r["prompt_ids"]) <= 64 - 32
    # The newest text is kept, from the start of a paragraph or sentence, never mid-word.
    story = "".join(p["text"] for p in r["context"] if p["part"] == "story")
    assert story and STORY.endswith(story), story
    cut = len(STORY) - len(story)
    assert cut > 0 and STORY[cut - 1] in " \n", story


def test_the_built_prompt_matches_transformers_on_the_same_ids(model_dir, tmp_path):
    lore = write_lore(tmp_path / "world.jsonl", [{"keys": ["Tobias"], "content": "Tobias is Mara's brother."}])
    n_new = 12
    r = generate(model_dir, "--prompt", STORY, "--memory", MEMORY, "--authors-note", NOTE, "--lore", lore,
                 "--max-new-tokens", n_new, "--min-new-tokens", n_new)
    ids = r["prompt_ids"]
    assert len({p["part"] for p in r["context"]}) == 4
    model = hf_model(model_dir)
    with torch.no_grad():
        ref = model(torch.tensor([ids])).logits[0].numpy()
    ours = fabula_logits(model_dir, ids)
    assert np.abs(ours - ref).max() < 1e-4, np.abs(ours - ref).max()
    with torch.no_grad():
        hf = model.generate(torch.tensor([ids]), do_sample=False, max_new_tokens=n_new, min_new_tokens=n_new,
                            pad_token_id=model.config.eos_token_id)[0, len(ids):].tolist()
    got = r["generated_ids"]
    if got != hf:
        # A different choice is accepted only where transformers' two best logits tie within 1e-4.
        with torch.no_grad():
            logits = model(torch.tensor([ids + got])).logits[0, len(ids) - 1:-1]
        first = next(i for i, (a, b) in enumerate(zip(got, hf)) if a != b)
        top2 = logits[first].topk(2).values
        assert (top2[0] - top2[1]).item() <= 1e-4, (got, hf)


def test_eot_as_text_reads_the_special_token_text_as_text_in_every_part(model_dir):
    story, memory = "One.<|endoftext|>Two.", "Mara <|endoftext|> wrote."
    plain = generate(model_dir, "--prompt", story, "--memory", memory)
    as_text = generate(model_dir, "--prompt", story, "--memory", memory, "--eot-as-text")
    parts_concatenate(as_text)
    tok = hf_tokenizer()
    assert [p["ids"] for p in plain["context"]] == [tok(memory + "\n")["input_ids"], tok(story)["input_ids"]]
    assert [p["ids"] for p in as_text["context"]] == [
        tok(memory + "\n", split_special_tokens=True)["input_ids"], tok(story, split_special_tokens=True)["input_ids"]]
    assert 50256 not in as_text["prompt_ids"]
