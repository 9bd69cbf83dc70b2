"""long-draft-ttft: what a writer waits for after adding a sentence at the
end of a 100,000-word draft, once the prompt's prefix is in the KV cache,
against a short draft read from scratch. GPT-2 124M shape (random weights,
the GPT-2 tokenizer), the prompt built as the app builds it (memory and an
author's note pinned, the story cut to the budget at a stable point), one
greedy token. The wait counted is building the prompt plus the time to the
first token; both come from `fabula-cli dev-ttft`, which runs the two
requests on one loaded model."""
import json
import statistics

from bench_generate import model_dir
from common import CACHE, CLI, SHARED, run

LONG_WORDS = 100_000
SHORT_WORDS = 150
MEMORY = "Mara keeps the lighthouse on Gull Island. She writes letters to her brother Tobias, lost at sea."
NOTE = "Quiet, sad, short sentences."
SENTENCE = " She closed the door and sat down to write."


def draft(words):
    """The first `words` words of the shared stories, repeated as needed, as paragraphs."""
    stories = [json.loads(l)["text"] for l in open(SHARED / "data/stories/tinystories_subset.jsonl")]
    paragraphs, count = [], 0
    while count < words:
        for s in stories:
            for p in s.split("\n"):
                w = p.split()
                if not w:
                    continue
                w = w[:words - count]
                paragraphs.append(" ".join(w))
                count += len(w)
                if count >= words:
                    break
            if count >= words:
                break
    return "\n\n".join(paragraphs)


def ttft(d, path, threads):
    out = run([CLI, "dev-ttft", "--model", d, "--prompt-file", path, "--memory", MEMORY, "--authors-note", NOTE,
               "--append", SENTENCE, "--precision", "fp32", "--device", "cpu", "--threads", threads])
    first, appended = json.loads(out.stdout)
    return first, appended


def wait_ms(r):
    return r["ms_to_build"] + r["ms_to_first_token"]


def bench_long_draft(runs=5, threads=2):
    d = model_dir()
    long_path, short_path = CACHE / "long_draft.txt", CACHE / "short_draft.txt"
    CACHE.mkdir(parents=True, exist_ok=True)
    long_path.write_text(draft(LONG_WORDS), encoding="utf-8")
    short_path.write_text(draft(SHORT_WORDS), encoding="utf-8")
    cached, short, cold = [], [], []
    for i in range(runs):
        first, appended = ttft(d, long_path, threads)
        s_first, _ = ttft(d, short_path, threads)
        cached.append(wait_ms(appended))
        cold.append(wait_ms(first))
        short.append(wait_ms(s_first))
        print(f"  run {i + 1}: long draft {first['prompt_tokens']} prompt tokens, cold {cold[-1]:.0f} ms "
              f"(build {first['ms_to_build']:.0f}); after a sentence {cached[-1]:.0f} ms "
              f"(build {appended['ms_to_build']:.0f}, {appended['prompt_tokens_processed']} run, "
              f"{appended['prompt_tokens_reused']} reused) | short draft {s_first['prompt_tokens']} tokens "
              f"{short[-1]:.0f} ms", flush=True)
    f, s, c = statistics.median(cached), statistics.median(short), statistics.median(cold)
    line = f"bench: long-draft-ttft fabula={f:.4g} short={s:.4g} unit=ms"
    print(line, flush=True)
    note = (f"{LONG_WORDS} words, a sentence appended, prefix cached; short: {SHORT_WORDS} words from scratch; "
            f"the long draft from scratch {c:.4g} ms; build + first token, {threads} threads, fp32")
    return [{"case": "long-draft-ttft", "line": line, "note": note}]
