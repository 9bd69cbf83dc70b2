"""The feedback objectives (SFT, DPO, KTO) against TRL 1.16's trainers: the
same examples give the same batches, loss, reward metrics and, after one
optimizer step, the same weights; prefs-eval against the DPO formula computed
with transformers; malformed feedback files are refused naming the line."""
import json
from pathlib import Path

import pytest
import torch
from datasets import Dataset
from transformers import AutoModelForCausalLM, GPT2Config

from model_fixtures import SHARED, hf_model, hf_tokenizer, run_cli, save_random_model
from test_training import assert_same_update, exported_state

CONTEXT = 64
STORIES = SHARED / "data" / "stories" / "tinystories_subset.jsonl"
LR = 1e-3
LONG = " The waves rolled in, one after another, grey and cold and endless, while the gulls cried over the " \
       "harbour and the fishing boats rocked at their moorings, waiting for a morning that would not come soon, " \
       "and the keeper counted every one of them, as his father had, and his father before him, through every " \
       "winter storm and every summer calm."

# The second prompt ends in a blank line: alone it ends in the merged "\n\n"
# token, joined to its completion it does not (TRL then moves the newlines
# into the completion). The last pair is longer than the context.
PAIRS = [
    {"prompt": "The lighthouse keeper climbed the stairs.", "chosen": " She lit the lamp and watched the red sea.",
     "rejected": " He slept."},
    {"prompt": "Mira opened the letter.\n\n", "chosen": "It was from her brother, far away.",
     "rejected": "Nothing was written on it."},
    {"prompt": "At dawn the fox", "chosen": " ran into the green woods.", "rejected": " sat"},
    {"prompt": "The rain", "chosen": LONG, "rejected": " stopped."},
]
KTO_ROWS = [
    {"prompt": "The lighthouse keeper climbed the stairs.", "completion": " She lit the lamp.", "label": True},
    {"prompt": "Mira opened the letter.\n\n", "completion": "Nothing was written on it.", "label": False},
    {"prompt": "At dawn the fox", "completion": " ran into the green woods.", "label": True},
    {"prompt": "The rain", "completion": " stopped, and then it did not.", "label": False},
]
SFT_ROWS = [
    {"prompt": "The lighthouse keeper climbed the stairs.", "completion": " She lit the lamp."},
    {"prompt": "Mira opened the letter.\n\n", "completion": "It was from her brother, far away."},
    {"prompt": "At dawn the fox", "completion": " ran into the green woods."},
    {"prompt": "The rain", "completion": LONG},
]


def small_embeddings(model):
    """Tied embeddings 10× smaller than the blocks' weights: the softmax over
    the vocabulary stays broad, so no row of the tied matrix gets a gradient
    near AdamW's eps, where the first step's g / (|g| + eps) would turn float
    rounding into visible differences."""
    model.transformer.wte.weight.mul_(0.1)


def write_jsonl(path, rows):
    Path(path).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    d = tmp_path_factory.mktemp("objectives")
    for name, s in (("model", 0), ("ref", 1)):
        save_random_model(d / name, GPT2Config(n_layer=1, n_head=2, n_embd=16, vocab_size=50257, n_positions=CONTEXT,
                                               initializer_range=0.2, resid_pdrop=0, embd_pdrop=0, attn_pdrop=0),
                          seed=s, adjust=small_embeddings)
    write_jsonl(d / "pairs.jsonl", PAIRS)
    write_jsonl(d / "kto.jsonl", KTO_ROWS)
    write_jsonl(d / "sft.jsonl", SFT_ROWS)
    return d


def train_ours(base, out, objective, data, *flags):
    run_cli("train", "--model", base / "model", "--objective", objective, "--data", data, "--out", out,
            "--batch-size", 4, "--max-steps", 1, "--lr", LR, "--block-size", CONTEXT, "--val-fraction", 0,
            "--threads", 1, "--precision", "fp32", "--dump-batches", Path(out).parent / f"{objective}.batches",
            *flags)
    line = json.loads((Path(out) / "metrics.jsonl").read_text().splitlines()[0])
    batches = [json.loads(l) for l in (Path(out).parent / f"{objective}.batches").read_text().splitlines()]
    return line, batches


def trl_args(config_class, out, **extra):
    return config_class(output_dir=str(out), bf16=False, fp16=False, gradient_checkpointing=False,
                        learning_rate=LR, lr_scheduler_type="constant", warmup_steps=0, weight_decay=0.0,
                        per_device_train_batch_size=4, max_steps=1, max_length=CONTEXT, report_to=[],
                        save_strategy="no", logging_steps=1, use_cpu=True, seed=0, dataset_num_proc=None,
                        train_sampling_strategy="sequential", **extra)


def trl_first_step(trainer):
    """TRL's loss and metrics on the first batch before any step (compute_loss
    as training_step calls it), then the step itself."""
    trainer.model.train()
    batch = next(iter(trainer.get_train_dataloader()))
    with torch.no_grad():
        loss = trainer.compute_loss(trainer.model, dict(batch)).item()
    metrics = {k: v[-1] for k, v in trainer._metrics["train"].items() if v}
    trainer._metrics["train"].clear()
    trainer.train()
    return batch, loss, metrics


def rows_of(ids, labels, cols, mask=None):
    """The real (non-padded) rows of a padded batch with their labels, sorted."""
    out = []
    for r in range(len(ids) // cols):
        row_ids = ids[r * cols:(r + 1) * cols]
        row_labels = labels[r * cols:(r + 1) * cols]
        n = cols if mask is None else sum(mask[r * cols:(r + 1) * cols])
        out.append((tuple(row_ids[:n]), tuple(row_labels[:n])))
    return sorted(out)


def trl_rows(ids, completion_mask, attention_mask):
    ids, cm, am = ids.tolist(), completion_mask.tolist(), attention_mask.tolist()
    out = []
    for i, c, a in zip(ids, cm, am):
        n = sum(a)
        out.append((tuple(i[:n]), tuple(t if m else -100 for t, m in zip(i[:n], c[:n]))))
    return sorted(out)


def our_rows(batch, prefix=""):
    cols = batch[f"{prefix}cols"]
    ids, labels = batch[f"{prefix}input_ids"], batch[f"{prefix}labels"]
    # Padding is the end-of-text id with label -100; the real rows' last label never is.
    out = []
    for r in range(batch["rows"]):
        i = ids[r * cols:(r + 1) * cols]
        l = labels[r * cols:(r + 1) * cols]
        n = max(k + 1 for k in range(cols) if l[k] != -100) if any(x != -100 for x in l) else cols
        out.append((tuple(i[:n]), tuple(l[:n])))
    return sorted(out)


def trl_state(trainer):
    return {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}


def test_dpo_matches_trl(base, tmp_path):
    from trl import DPOConfig, DPOTrainer
    ours, batches = train_ours(base, tmp_path / "run", "dpo", base / "pairs.jsonl", "--beta", 0.1)
    model = AutoModelForCausalLM.from_pretrained(base / "model")
    trainer = DPOTrainer(model=model, args=trl_args(DPOConfig, tmp_path / "trl", beta=0.1, loss_type=["sigmoid"]),
                         train_dataset=Dataset.from_list(PAIRS), processing_class=hf_tokenizer())
    batch, loss, metrics = trl_first_step(trainer)
    # The same sequences: TRL's tokenization (the blank-line prompt too) and keep_start truncation.
    assert our_rows(batches[0]) == trl_rows(batch["input_ids"], batch["completion_mask"], batch["attention_mask"])
    assert max(len(r[0]) for r in our_rows(batches[0])) == CONTEXT  # the long pair was cut
    assert abs(ours["loss"] - loss) < 1e-5, (ours["loss"], loss)
    # The reference is the starting model, so every reward is 0 up to rounding
    # and "chosen > rejected" is a tie that rounding decides (TRL's exact 0s
    # say 0): the accuracy is compared against a distinct reference below.
    for name in ("rewards/chosen", "rewards/rejected", "rewards/margins"):
        assert abs(ours[name] - metrics[name]) < 1e-5, (name, ours[name], metrics[name])
    assert_same_update(exported_state(base / "model"), exported_state(tmp_path / "run" / "model"), trl_state(trainer))


def test_dpo_with_a_reference_model_matches_trl(base, tmp_path):
    """--ref: a different frozen model, so the rewards start away from zero."""
    from trl import DPOConfig, DPOTrainer
    ours, _ = train_ours(base, tmp_path / "run", "dpo", base / "pairs.jsonl", "--beta", 0.5, "--ref", base / "ref")
    trainer = DPOTrainer(model=AutoModelForCausalLM.from_pretrained(base / "model"),
                         ref_model=AutoModelForCausalLM.from_pretrained(base / "ref"),
                         args=trl_args(DPOConfig, tmp_path / "trl", beta=0.5, loss_type=["sigmoid"]),
                         train_dataset=Dataset.from_list(PAIRS), processing_class=hf_tokenizer())
    _, loss, metrics = trl_first_step(trainer)
    assert abs(metrics["rewards/margins"]) > 1e-3  # the reference matters here
    assert abs(ours["loss"] - loss) < 1e-5, (ours["loss"], loss)
    for name in ("rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins"):
        assert abs(ours[name] - metrics[name]) < 1e-5, (name, ours[name], metrics[name])
    assert_same_update(exported_state(base / "model"), exported_state(tmp_path / "run" / "model"), trl_state(trainer))


def test_kto_matches_trl(base, tmp_path):
    from trl import KTOConfig, KTOTrainer
    ours, batches = train_ours(base, tmp_path / "run", "kto", base / "kto.jsonl", "--beta", 0.2,
                               "--desirable-weight", 1.0, "--undesirable-weight", 1.5, "--ref", base / "ref")
    trainer = KTOTrainer(model=AutoModelForCausalLM.from_pretrained(base / "model"),
                         ref_model=AutoModelForCausalLM.from_pretrained(base / "ref"),
                         args=trl_args(KTOConfig, tmp_path / "trl", beta=0.2, desirable_weight=1.0,
                                       undesirable_weight=1.5),
                         train_dataset=Dataset.from_list(KTO_ROWS), processing_class=hf_tokenizer())
    batch, loss, metrics = trl_first_step(trainer)
    assert our_rows(batches[0]) == trl_rows(batch["input_ids"], batch["completion_mask"], batch["attention_mask"])
    assert our_rows(batches[0], "kl_") == trl_rows(batch["KL_input_ids"], batch["KL_completion_mask"],
                                                   batch["KL_attention_mask"])
    assert abs(ours["loss"] - loss) < 1e-5, (ours["loss"], loss)
    for name in ("rewards/chosen", "rewards/rejected", "rewards/margins", "kl"):
        assert abs(ours[name] - metrics[name]) < 1e-5, (name, ours[name], metrics[name])
    assert_same_update(exported_state(base / "model"), exported_state(tmp_path / "run" / "model"), trl_state(trainer))


def test_sft_matches_trl(base, tmp_path):
    from trl import SFTConfig, SFTTrainer
    ours, batches = train_ours(base, tmp_path / "run", "sft", base / "sft.jsonl")
    trainer = SFTTrainer(model=AutoModelForCausalLM.from_pretrained(base / "model"),
                         args=trl_args(SFTConfig, tmp_path / "trl", completion_only_loss=True, packing=False),
                         train_dataset=Dataset.from_list(SFT_ROWS), processing_class=hf_tokenizer())
    batch, loss, _ = trl_first_step(trainer)
    trl = sorted((tuple(i[:sum(a)]), tuple(l[:sum(a)])) for i, l, a in
                 zip(batch["input_ids"].tolist(), batch["labels"].tolist(), batch["attention_mask"].tolist()))
    assert our_rows(batches[0]) == trl
    assert abs(ours["loss"] - loss) < 1e-5, (ours["loss"], loss)
    assert_same_update(exported_state(base / "model"), exported_state(tmp_path / "run" / "model"), trl_state(trainer))


def batch_tensors(b):
    return (torch.tensor(b["input_ids"]).view(b["rows"], b["cols"]),
            torch.tensor(b["labels"]).view(b["rows"], b["cols"]))


def summed_logps(model, b):
    ids, labels = batch_tensors(b)
    logits = model(ids).logits[:, :-1].float()
    target = labels[:, 1:]
    mask = target != -100
    picked = torch.log_softmax(logits, -1).gather(-1, target.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return (picked * mask).sum(1)


def test_lm_mix_adds_the_story_loss(base, tmp_path):
    """--lm-mix F: one step minimises DPO's loss + F × the mean token loss of
    a batch of the writer's stories, as the same sum does in PyTorch."""
    stories = tmp_path / "stories.jsonl"
    stories.write_text("\n".join(STORIES.read_text().splitlines()[:12]) + "\n")
    mix = 0.5
    ours, batches = train_ours(base, tmp_path / "run", "dpo", base / "pairs.jsonl", "--lm-mix", mix,
                               "--stories", stories, "--cache-dir", tmp_path / "cache")
    pairs = [b for b in batches if not b.get("lm_mix")]
    lm = [b for b in batches if b.get("lm_mix")]
    assert len(pairs) == 1 and len(lm) == 1
    model = AutoModelForCausalLM.from_pretrained(base / "model").train()
    with torch.no_grad():
        ref = summed_logps(hf_model(base / "model"), pairs[0])
    pol = summed_logps(model, pairs[0])
    n = pairs[0]["rows"] // 2
    dpo = -torch.nn.functional.logsigmoid(0.1 * ((pol[:n] - ref[:n]) - (pol[n:] - ref[n:]))).mean()
    ids, labels = batch_tensors(lm[0])
    logits = model(ids).logits[:, :-1].float()
    story = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1),
                                              ignore_index=-100, reduction="sum") / (labels[:, 1:] != -100).sum()
    loss = dpo + mix * story
    assert abs(ours["dpo_loss"] - dpo.item()) < 1e-5 and abs(ours["lm_loss"] - story.item()) < 1e-5, ours
    assert abs(ours["loss"] - loss.item()) < 1e-5, (ours["loss"], loss.item())
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.0).step()
    assert_same_update(exported_state(base / "model"), exported_state(tmp_path / "run" / "model"),
                       {k: v.detach() for k, v in model.state_dict().items()})


def test_a_resumed_dpo_run_with_lm_mix_equals_the_uninterrupted_one(base, tmp_path):
    """The reference log-probabilities (cached) and the story batches of
    --lm-mix are found again after a resume: the run folder is put back to its
    step-3 checkpoint (as a run stopped there leaves it) and resumed."""
    import shutil
    stories = tmp_path / "stories.jsonl"
    stories.write_text("\n".join(STORIES.read_text().splitlines()[:12]) + "\n")
    flags = ["--model", base / "model", "--objective", "dpo", "--data", base / "pairs.jsonl", "--lm-mix", 0.3,
             "--stories", stories, "--batch-size", 2, "--max-steps", 6, "--save-every", 3, "--lr", LR,
             "--block-size", CONTEXT, "--val-fraction", 0, "--threads", 1, "--precision", "fp32",
             "--cache-dir", tmp_path / "cache"]
    run_cli("train", "--out", tmp_path / "full", *flags)
    shutil.copytree(tmp_path / "full", tmp_path / "resumed")
    shutil.rmtree(tmp_path / "resumed" / "model")
    shutil.rmtree(tmp_path / "resumed" / "checkpoints" / "step-6")
    run_cli("train", "--out", tmp_path / "resumed", "--resume", *flags)
    a, b = exported_state(tmp_path / "full" / "model"), exported_state(tmp_path / "resumed" / "model")
    assert max((a[k] - b[k]).abs().max().item() for k in a) <= 1e-6
    full = [json.loads(l) for l in (tmp_path / "full" / "metrics.jsonl").read_text().splitlines()]
    resumed = [json.loads(l) for l in (tmp_path / "resumed" / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in resumed] == [m["step"] for m in full] == list(range(1, 7))
    for x, y in zip(full[3:], resumed[3:]):
        assert abs(x["lm_loss"] - y["lm_loss"]) < 1e-6 and abs(x["rewards/margins"] - y["rewards/margins"]) < 1e-6


def test_rows_with_ids_train_on_those_ids(base, tmp_path):
    """prompt_ids / chosen_ids / rejected_ids (the model's own tokens) are
    used as they are, each completion followed by one end-of-text; the text
    fields are then not tokenized (here they would give other ids)."""
    rows = [{"prompt": "x", "chosen": "y", "rejected": "z", "prompt_ids": [464, 1893], "chosen_ids": [373, 13],
             "rejected_ids": [50256]},
            {"prompt": "x", "chosen": "y", "rejected": "z", "prompt_ids": [7454], "chosen_ids": [2402, 257, 640],
             "rejected_ids": [11, 612], "draft_id": 3, "round_id": 9, "source": "round"}]
    _, batches = train_ours(base, tmp_path / "run", "dpo", write_jsonl(tmp_path / "pairs.jsonl", rows))
    eos = 50256
    want = []
    for r in rows:
        for k in ("chosen_ids", "rejected_ids"):
            done = r[k] if r[k][-1:] == [eos] else r[k] + [eos]
            want.append((tuple(r["prompt_ids"] + done), tuple([-100] * len(r["prompt_ids"]) + done)))
    assert our_rows(batches[0]) == sorted(want)


def reference_logps(model, tok, rows):
    """log π(chosen|prompt) and log π(rejected|prompt) per pair: TRL's
    tokenization, cut at the context keeping the start, summed over the
    completion tokens."""
    eos = tok.eos_token
    out = []
    for r in rows:
        p = tok(r["prompt"])["input_ids"]
        fulls = [tok(r["prompt"] + r[k] + eos)["input_ids"] for k in ("chosen", "rejected")]
        n = min(next((i for i, (a, b) in enumerate(zip(p, f)) if a != b), min(len(p), len(f))) for f in fulls)
        pair = []
        for f in fulls:
            ids = f[:CONTEXT]
            with torch.no_grad():
                logits = model(torch.tensor([ids])).logits[0, :-1].double()
            lp = torch.log_softmax(logits, -1).gather(-1, torch.tensor(ids[1:]).unsqueeze(-1)).squeeze(-1)
            pair.append(lp[n - 1:].sum().item())
        out.append(pair)
    return out


@pytest.mark.parametrize("with_ref", [False, True])
def test_prefs_eval_matches_the_formula(base, with_ref):
    tok = hf_tokenizer()
    beta = 0.3
    pol = reference_logps(hf_model(base / "model"), tok, PAIRS)
    ref = reference_logps(hf_model(base / "ref"), tok, PAIRS) if with_ref else [[0.0, 0.0]] * len(PAIRS)
    rc = [beta * (p[0] - r[0]) for p, r in zip(pol, ref)]
    rr = [beta * (p[1] - r[1]) for p, r in zip(pol, ref)]
    loss = sum(-torch.nn.functional.logsigmoid(torch.tensor(c - r, dtype=torch.float64)).item()
               for c, r in zip(rc, rr)) / len(PAIRS)
    flags = ["--ref", base / "ref"] if with_ref else []
    got = json.loads(run_cli("prefs-eval", "--model", base / "model", "--data", base / "pairs.jsonl",
                             "--beta", beta, "--threads", 1, "--json", *flags).stdout)
    assert got["pairs"] == len(PAIRS) and got["truncated"] == 1
    want = {"loss": loss, "rewards_chosen": sum(rc) / len(rc), "rewards_rejected": sum(rr) / len(rr),
            "accuracy": sum(c > r for c, r in zip(rc, rr)) / len(rc),
            "margin": sum(c - r for c, r in zip(rc, rr)) / len(rc)}
    for k, v in want.items():
        assert abs(got[k] - v) < 1e-4 * max(1.0, abs(v)), (k, got[k], v)


@pytest.mark.parametrize("bad_line, why", [
    ('{"prompt": "a", "chosen": "b"}', "rejected"),
    ('{"prompt": "a", "chosen": "b", "rejected": ', "JSON"),
    ('{"prompt": "a", "chosen": "b", "rejected": "c", "prompt_ids": [1], "chosen_ids": [2], "rejected_ids": [-5]}',
     "token id"),
])
def test_a_malformed_pairs_file_names_the_line(base, tmp_path, bad_line, why):
    f = tmp_path / "pairs.jsonl"
    f.write_text(json.dumps(PAIRS[0]) + "\n\n" + bad_line + "\n")
    p = run_cli("prefs-eval", "--model", base / "model", "--data", f, "--json", check=False)
    err = p.stderr.decode()
    assert p.returncode == 3, err
    assert f"{f}: line 3: " in err and why in err, err
    p = run_cli("train", "--model", base / "model", "--objective", "dpo", "--data", f, "--out", tmp_path / "run",
                "--threads", 1, check=False)
    assert p.returncode == 3 and "line 3" in p.stderr.decode(), p.stderr.decode()


def test_dpo_with_lora_uses_the_starting_model_as_its_reference(base, tmp_path):
    """With LoRA and no --ref, the reference is the starting model as TRL has
    it for a PEFT model: for a new adapter the base (the adapter switched
    off), for a voice trained further a frozen copy of the voice it started
    from."""
    from peft import PeftModel, get_peft_model_state_dict
    from safetensors.torch import load_file
    from test_lora import peft_adapter
    from trl import DPOConfig, DPOTrainer
    beta, tok = 0.5, hf_tokenizer()
    # A new adapter: at step 2 the rewards are β (log π_step1 − log π_base).
    run = tmp_path / "new"
    run_cli("train", "--model", base / "model", "--objective", "dpo", "--data", base / "pairs.jsonl", "--out", run,
            "--batch-size", 4, "--max-steps", 2, "--save-every", 1, "--keep-checkpoints", 3, "--lr", 1e-2,
            "--beta", beta, "--block-size", CONTEXT, "--val-fraction", 0, "--threads", 1, "--precision", "fp32",
            "--lora-r", 4)
    second = json.loads((run / "metrics.jsonl").read_text().splitlines()[1])
    moved = reference_logps(PeftModel.from_pretrained(hf_model(base / "model"), run / "checkpoints" / "step-1").eval(),
                            tok, PAIRS)
    base_lp = reference_logps(hf_model(base / "model"), tok, PAIRS)
    chosen = sum(beta * (p[0] - b[0]) for p, b in zip(moved, base_lp)) / len(PAIRS)
    rejected = sum(beta * (p[1] - b[1]) for p, b in zip(moved, base_lp)) / len(PAIRS)
    assert abs(chosen) > 1e-3 and abs(rejected) > 1e-3  # a reference that moved with the policy would give 0
    assert abs(second["rewards/chosen"] - chosen) < 1e-5 and abs(second["rewards/rejected"] - rejected) < 1e-5

    # A voice trained further: the same step as TRL's DPOTrainer on the PEFT model.
    start = peft_adapter(base / "model", tmp_path / "start", seed=11, r=4, lora_alpha=8)
    ours, _ = train_ours(base, tmp_path / "run", "dpo", base / "pairs.jsonl", "--beta", beta, "--adapter", start)
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base / "model"), start, is_trainable=True)
    trainer = DPOTrainer(model=model, ref_model=None, args=trl_args(DPOConfig, tmp_path / "trl", beta=beta,
                                                                    loss_type=["sigmoid"]),
                         train_dataset=Dataset.from_list(PAIRS), processing_class=tok)
    _, loss, metrics = trl_first_step(trainer)
    assert abs(ours["loss"] - loss) < 1e-5, (ours["loss"], loss)
    for name in ("rewards/chosen", "rewards/rejected", "rewards/margins"):
        assert abs(ours[name] - metrics[name]) < 1e-5, (name, ours[name], metrics[name])
    ref = {k: v for k, v in get_peft_model_state_dict(trainer.model).items()}
    first = load_file(start / "adapter_model.safetensors")
    mine = load_file(tmp_path / "run" / "adapter" / "adapter_model.safetensors")
    assert sorted(mine) == sorted(ref)
    for name in ref:
        d_ref, d_ours = ref[name].double() - first[name].double(), mine[name].double() - first[name].double()
        assert d_ref.abs().max() > 0, name
        assert (d_ours - d_ref).abs().max() <= 1e-3 * d_ref.abs().max(), name
