"""The Hugging Face peer for the generation benchmarks: one run of
transformers' generate() with the same model, dtype, threads and prompt ids
as Fabula, timed per token through a streamer. Prints one JSON object."""
import json
import sys
import time

import torch
from transformers import AutoModelForCausalLM
from transformers.generation.streamers import BaseStreamer


class Timer(BaseStreamer):
    def __init__(self):
        self.times = []
        self.prompt_seen = False

    def put(self, value):
        if not self.prompt_seen:  # the first call carries the prompt
            self.prompt_seen = True
            return
        self.times.append(time.perf_counter())

    def end(self):
        pass


def main():
    model_dir, ids_file, precision, threads, new_tokens = sys.argv[1:6]
    torch.set_num_threads(int(threads))
    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[precision]
    t0 = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=dtype).eval()
    load_ms = (time.perf_counter() - t0) * 1000
    ids = torch.tensor([json.load(open(ids_file))])
    n = int(new_tokens)
    timer = Timer()
    eos = model.generation_config.eos_token_id
    with torch.inference_mode():
        start = time.perf_counter()
        out = model.generate(ids, do_sample=False, max_new_tokens=n, min_new_tokens=n, streamer=timer,
                             pad_token_id=eos[0] if isinstance(eos, list) else eos)
    t = timer.times
    assert out.shape[1] - ids.shape[1] == n == len(t)
    print(json.dumps({"load_ms": load_ms, "ms_to_first_token": (t[0] - start) * 1000,
                      "ms_per_token": (t[-1] - t[0]) * 1000 / (n - 1),
                      "generated_ids": out[0, ids.shape[1]:].tolist()}))


if __name__ == "__main__":
    main()
