"""Compile time of the language: description → validated Program (with its canonical reading).

Measured on every canonical example and every development paraphrase that compiles, against
the obvious alternative in the same run: building the same circuit as a Qiskit
``QuantumCircuit`` from the compiled program (what a user writing Qiskit by hand pays at least).
Writes COMPILE_RESULTS.md and compile_results.json next to this script.

    python benchmarks/language/bench_compile.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

from bioql.circuits.qiskit import to_qiskit
from bioql.errors import BioQLError
from bioql.language import EXAMPLES, compile_description

HERE = Path(__file__).parent
DEV = HERE.parents[1] / "tests" / "data" / "paraphrases" / "dev.jsonl"


def descriptions() -> list[str]:
    texts = [p for phrases in EXAMPLES.values() for p in phrases]
    texts += [json.loads(line)["text"] for line in DEV.read_text().splitlines()]
    out = []
    for text in texts:
        try:
            compile_description(text)
        except BioQLError:
            continue
        out.append(text)
    return out


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    texts = descriptions()
    compile_ms, qiskit_ms = [], []
    for text in texts:
        program = compile_description(text)
        compile_ms.append(1e3 * best_of(lambda t=text: compile_description(t), args.repeat))
        qiskit_ms.append(1e3 * best_of(lambda p=program: to_qiskit(p), args.repeat))
    result = {
        "descriptions": len(texts),
        "compile_median_ms": statistics.median(compile_ms),
        "compile_p90_ms": statistics.quantiles(compile_ms, n=10)[-1],
        "compile_max_ms": max(compile_ms),
        "qiskit_median_ms": statistics.median(qiskit_ms),
        "ratio_median": statistics.median(
            c / q for c, q in zip(compile_ms, qiskit_ms, strict=True)
        ),
        "repeat": args.repeat,
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }
    (HERE / "compile_results.json").write_text(json.dumps(result, indent=2) + "\n")
    (HERE / "COMPILE_RESULTS.md").write_text(
        "# Compile time of the language\n\n"
        f"{result['descriptions']} descriptions (every canonical example and every development "
        f"paraphrase that compiles), best of {args.repeat} runs each, on {result['machine']}.\n\n"
        "| | median | p90 | max |\n|---|---|---|---|\n"
        f"| description → Program (with its reading) | {result['compile_median_ms']:.3f} ms | "
        f"{result['compile_p90_ms']:.3f} ms | {result['compile_max_ms']:.3f} ms |\n"
        f"| Program → Qiskit QuantumCircuit | {result['qiskit_median_ms']:.3f} ms | | |\n\n"
        f"Median ratio compile / circuit construction: {result['ratio_median']:.2f}×. "
        "The reading is checked by compiling it again, so compiling costs about two parses.\n"
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
