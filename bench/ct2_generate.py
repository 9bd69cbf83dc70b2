"""CTranslate2's side of the decode benchmark, run by bench/bench_decode.py with the CTranslate2
venv's Python (bench/peers.py), so .venv needs no ctranslate2.

usage: ct2_generate.py MODEL_DIR COMPUTE_TYPE PROMPT_IDS_JSON NEW_TOKENS THREADS
Greedy, batch 1, exactly NEW_TOKENS new tokens after the prompt (PROMPT_IDS_JSON: a file
with a JSON list of token ids). Prints one JSON line: prompt_ms (start to the first new
token: the prompt's forward pass and the first choice) and tokens_per_second (new tokens
after the first, over the time after the first, as fabula-cli generate --json counts them).
One short generation first warms the allocator, as llama-bench's warm-up run does.
"""
import json
import sys
import time

import ctranslate2


def main():
    model, compute_type, ids_file, new_tokens, threads = sys.argv[1:6]
    new_tokens, threads = int(new_tokens), int(threads)
    vocab = json.load(open(f"{model}/vocabulary.json"))
    prompt = [vocab[i] for i in json.load(open(ids_file))]
    g = ctranslate2.Generator(model, device="cpu", compute_type=compute_type, intra_threads=threads,
                              inter_threads=1)
    for _ in g.generate_tokens(prompt[:8], max_length=4, min_length=4, sampling_topk=1):
        pass
    stamps = []
    start = time.perf_counter()
    # min_length = max_length: random weights may pick the end token, which would end the run early.
    for _ in g.generate_tokens(prompt, max_length=new_tokens, min_length=new_tokens, sampling_topk=1,
                               end_token=[]):
        stamps.append(time.perf_counter())
    if len(stamps) != new_tokens:
        sys.exit(f"ct2_generate: {len(stamps)} new tokens, not {new_tokens}")
    print(json.dumps({"prompt_ms": (stamps[0] - start) * 1000.0,
                      "tokens_per_second": (len(stamps) - 1) / (stamps[-1] - stamps[0]),
                      "new_tokens": len(stamps)}))


if __name__ == "__main__":
    main()
