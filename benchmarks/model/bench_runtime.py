"""The trained code model on its two runtimes: PyTorch fp32 vs llama.cpp Q8_0, same prompts;
and llama.cpp decoding free vs inside the plan grammar (bioql/assistant/plan/grammar.py).

    .venv/bin/python benchmarks/model/bench_runtime.py            # 120 test_novel prompts
    .venv/bin/python benchmarks/model/bench_runtime.py --prompts 40 --skip-cold

Measures, in one run on this machine:
  warm      per-prompt latency (p50 / p95 / mean) of greedy generation on a stratified sample of
            test_novel, each runtime loaded once; how often llama.cpp's answer is the same
            text as PyTorch's (Q8_0 rounds the weights, so some answers differ) and how many of
            each runtime's own answers are right (slots filled, judged as `bioql eval` does);
            the third row is llama.cpp under the request's plan grammar (the provider's default)
  cold      `bioql generate --provider local` in a fresh process: wall time to the printed
            answer (imports, model load, one answer), BIOQL_RUNTIME=llama.cpp vs torch
Writes the "runtime" section of RESULTS.md and runtime_results.json next to this file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
COLD_REQUEST = (
    "Build a 5-qubit GHZ state and run it 3000 times on the noisy simulator of IBM Torino"
)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _right(record: dict, text: str) -> bool:
    """Whether the model's own answer (slots filled, no checks, no fallback) is correct."""
    from bioql.assistant.evaluate import judge
    from bioql.assistant.model import prompt as fmt
    from bioql.assistant.plan.plan import render_code

    try:
        out = fmt.parse_output(fmt.decode_output(text, record["instruction"]) or " ")
        code = render_code(out.plan) if out.plan else out.code
        return judge(record, None if out.refusal else code, out.refusal)[0]
    except Exception:  # an unparsable answer is simply wrong
        return False


def warm(records: list[dict]) -> dict:
    from bioql.assistant.model import prompt as fmt
    from bioql.assistant.model.llamacpp_runtime import LlamaCppModel
    from bioql.assistant.model.torch_runtime import LocalModel
    from bioql.assistant.plan.grammar import Grammar
    from bioql.assistant.providers.local import model_dir

    path = model_dir()
    fast = LlamaCppModel(path)
    runtimes = {  # name: (model, decode inside the plan grammar)
        "torch fp32": (LocalModel(path, threads=int(os.environ.get("BIOQL_THREADS", "1"))), False),
        "llama.cpp Q8_0": (fast, False),
        "llama.cpp Q8_0 + grammar": (fast, True),
    }
    texts: dict[str, list[str]] = {name: [] for name in runtimes}
    seconds: dict[str, list[float]] = {name: [] for name in runtimes}
    tokens: dict[str, list[int]] = {name: [] for name in runtimes}
    for record in records:  # interleaved, so load from other processes hits all alike
        text = fmt.render_prompt(record["instruction"])
        for name, (model, constrained) in runtimes.items():
            # the grammar is built per request (its slots), as the provider does
            start = time.perf_counter()
            grammar = Grammar(fmt.slot_values(record["instruction"])) if constrained else None
            out = model.generate(text, max_new_tokens=80, grammar=grammar)
            seconds[name].append(time.perf_counter() - start)
            texts[name].append(out.text)
            tokens[name].append(out.tokens_out)
    same = sum(a == b for a, b in zip(texts["torch fp32"], texts["llama.cpp Q8_0"], strict=True))
    return {
        "prompts": len(records),
        "same_text": same,
        "right": {name: sum(map(_right, records, texts[name])) for name in runtimes},
        "rows": {
            name: {
                "p50": _pct(seconds[name], 0.5),
                "p95": _pct(seconds[name], 0.95),
                "mean": statistics.fmean(seconds[name]),
                "tokens_p50": _pct([float(t) for t in tokens[name]], 0.5),
                "ms_per_token": 1000 * sum(seconds[name]) / max(1, sum(tokens[name])),
            }
            for name in runtimes
        },
    }


def cold(reps: int) -> dict:
    bioql = str(Path(sys.executable).with_name("bioql"))
    rows = {}
    for runtime in ("llama.cpp", "torch"):
        env = {**os.environ, "BIOQL_RUNTIME": runtime, "BIOQL_PROVIDER": "local"}
        # the first run builds the GGUF file if needed; it is not a cold start
        subprocess.run([bioql, "generate", COLD_REQUEST], env=env, capture_output=True, check=True)
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            done = subprocess.run(
                [bioql, "generate", "--json", COLD_REQUEST], env=env, capture_output=True, text=True
            )
            times.append(time.perf_counter() - start)
            answer = json.loads(done.stdout)
        rows[runtime] = {"median": statistics.median(times), "min": min(times),
                         "source": answer.get("source"), "valid": answer.get("valid")}  # fmt: skip
    return rows


def to_markdown(result: dict) -> str:
    w = result["warm"]
    lines = [
        "## Runtime: the trained model on PyTorch vs llama.cpp",
        "",
        f"_Ran {result['when']}, load {result['load']}; "
        f"`benchmarks/model/bench_runtime.py`, {w['prompts']} stratified test_novel prompts._",
        "",
        "| runtime | p50 s | p95 s | mean s | answer tokens p50 | ms / token (incl. prefill) | model's answer right |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in w["rows"].items():
        lines.append(
            f"| {name} | {row['p50']:.3f} | {row['p95']:.3f} | {row['mean']:.3f} | "
            f"{row['tokens_p50']:.0f} | {row['ms_per_token']:.1f} | "
            f"{w['right'][name]} of {w['prompts']} |"
        )
    torch_p50 = w["rows"]["torch fp32"]["p50"]
    fast_p50 = w["rows"]["llama.cpp Q8_0"]["p50"]
    grammar_p50 = w["rows"]["llama.cpp Q8_0 + grammar"]["p50"]
    lines += [
        "",
        f"llama.cpp is **{torch_p50 / fast_p50:.1f}×** faster at p50; it wrote the same answer text "
        f"as PyTorch for **{w['same_text']} of {w['prompts']}** prompts (Q8_0 weights). "
        f"Decoding inside the plan grammar costs **{grammar_p50 / fast_p50:.2f}×** the free p50 "
        f"and the model's answer is right for {w['right']['llama.cpp Q8_0 + grammar']} instead "
        f"of {w['right']['llama.cpp Q8_0']} of {w['prompts']}.",
    ]
    if result.get("cold"):
        lines += ["", "Cold start, `bioql generate --provider local --json` in a fresh process "
                  f"(\"{COLD_REQUEST}\"):", "",
                  "| runtime | median s | min s | answer |", "|---|---|---|---|"]  # fmt: skip
        for name, row in result["cold"].items():
            lines.append(
                f"| {name} | {row['median']:.2f} | {row['min']:.2f} | "
                f"source {row['source']}, valid {row['valid']} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompts", type=int, default=120)
    parser.add_argument("--cold-reps", type=int, default=3)
    parser.add_argument("--skip-cold", action="store_true")
    args = parser.parse_args()
    from bioql.assistant.evaluate import load_split, replace_section, stratified_sample

    records = stratified_sample(
        [r for r in load_split("test_novel") if r["category"] != "anti_patterns"], args.prompts
    )
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "warm": warm(records),
        "cold": None if args.skip_cold else cold(args.cold_reps),
    }
    (HERE / "runtime_results.json").write_text(json.dumps(result, indent=2) + "\n")
    markdown = to_markdown(result)
    replace_section(HERE / "RESULTS.md", "<!-- section:runtime -->", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
