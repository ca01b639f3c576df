"""Quantum runtime benchmarks; writes RESULTS.md next to this file.

Run: ``.venv/bin/python benchmarks/quantum/bench_quantum.py [--quick]``

1. Compile time per description (text → validated IR), median over many runs. Target ≤ 5 ms.
2. Overhead of ``quantum(description)`` against the same circuit built by hand in Qiskit and
   run on Aer with the same method and shots (the obvious alternative:
   ``sim.run(transpile(qc, sim), shots=...)``). Target ≤ 10% on circuits taking ≥ 100 ms.
3. The largest GHZ and QFT that ``backend="simulator"`` runs within 10 s on this machine.
4. fake_<device>: cost of the noise model (cold vs warm) and of restricting it to the
   circuit's qubits.

Runs are interleaved (ours, theirs, ours, ...) and medians reported, because the machine is
shared and its load drifts.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from qiskit import QuantumCircuit, transpile  # noqa: E402
from qiskit_aer import AerSimulator  # noqa: E402

from bioql import quantum  # noqa: E402
from bioql.backends.resources import available_memory_bytes, human_bytes  # noqa: E402
from bioql.language import compile_description  # noqa: E402

HERE = Path(__file__).resolve().parent
SHOTS = 1024
SEED = 7
BUDGET_S = 10.0

DESCRIPTIONS = [
    "Create a Bell state",
    "Prepare the singlet state",
    "Create a 3-qubit GHZ state",
    "Make a cat state on five qubits",
    "Create a W state on 3 qubits",
    "Prepare |101>",
    "Apply the QFT on 16 qubits",
    "Grover search for 10110101",
    "Grover search for 101 and 011 on 3 qubits",
    "Bernstein-Vazirani with secret 1011",
    "Deutsch-Jozsa with a balanced oracle on 3 qubits",
    "Quantum phase estimation of phase 0.375 with 3 counting qubits",
    "Teleport the |+> state",
    "Apply H to qubit 0, then CNOT from 0 to 1, then RZ(pi/4) on qubit 1, measure all",
    "Crea un estado de Bell y luego aplica X al qubit 0",
    "Crea un estado GHZ de 4 qubits y mide 2000 veces",
]


# -- circuits built by hand, the way a Qiskit user would ----------------------------------


def hand_ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n, n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure(range(n), range(n))
    return qc


def hand_qft(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n, n)
    for j in range(n):
        qc.h(j)
        for k in range(j + 1, n):
            qc.cp(math.pi / 2 ** (k - j), k, j)
    for i in range(n // 2):
        qc.swap(i, n - 1 - i)
    qc.measure(range(n), range(n))
    return qc


def hand_grover(marked: str) -> QuantumCircuit:
    n = len(marked)
    qc = QuantumCircuit(n, n)
    qc.h(range(n))

    def flip_zeros() -> None:
        for q, bit in enumerate(marked):
            if bit == "0":
                qc.x(q)

    def mcz() -> None:
        qc.h(n - 1)
        qc.mcx(list(range(n - 1)), n - 1)
        qc.h(n - 1)

    for _ in range(math.floor(math.pi / 4 * math.sqrt(2**n))):
        flip_zeros()
        mcz()
        flip_zeros()
        qc.h(range(n))
        qc.x(range(n))
        mcz()
        qc.x(range(n))
        qc.h(range(n))
    qc.measure(range(n), range(n))
    return qc


# -- helpers -------------------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def tvd(a: dict[str, int], b: dict[str, int]) -> float:
    """Total variation distance between two count histograms."""
    na, nb = sum(a.values()), sum(b.values())
    return 0.5 * sum(abs(a.get(k, 0) / na - b.get(k, 0) / nb) for k in set(a) | set(b))


def display(counts: dict[str, int]) -> dict[str, int]:
    return {k.replace(" ", "")[::-1]: v for k, v in counts.items()}


# -- 1. compile time -----------------------------------------------------------------------


def bench_compile(runs: int) -> list[tuple[str, float, float, float]]:
    """(text, first call ms, median ms, p90 ms). The first call also fills the compiler's
    per-word typo-correction cache, so it is the cost of a description never seen before."""
    rows = []
    for text in DESCRIPTIONS:
        first, _ = timed(lambda t=text: compile_description(t))
        times = sorted(timed(lambda t=text: compile_description(t))[0] for _ in range(runs))
        median, p90 = statistics.median(times), times[int(0.9 * len(times))]
        rows.append((text, first * 1e3, median * 1e3, p90 * 1e3))
    return rows


# -- 2. overhead vs hand-built Qiskit ------------------------------------------------------


def bench_overhead(cases, repeats: int, shots: int):
    """BioQL vs hand-built, both with and without the user's usual transpile() call."""
    rows = []
    for label, text, build in cases:
        warm = quantum(text, shots=shots, seed=SEED)
        method = warm.details["method"]
        sim = AerSimulator(method=method)

        def transpiled(build=build, sim=sim):
            qc = build()
            return sim.run(transpile(qc, sim), shots=shots, seed_simulator=SEED).result()

        def direct(build=build, sim=sim):
            return sim.run(build(), shots=shots, seed_simulator=SEED).result()

        transpiled(), direct()  # warm
        times: dict[str, list[float]] = {"ours": [], "transpiled": [], "direct": []}
        stages: dict[str, list[float]] = {"compile_seconds": [], "execute_seconds": []}
        for _ in range(repeats):
            t, ours_res = timed(lambda text=text: quantum(text, shots=shots, seed=SEED))
            times["ours"].append(t)
            for key, values in stages.items():
                values.append(ours_res.timing[key])
            times["transpiled"].append(timed(transpiled)[0])
            t, their_res = timed(direct)
            times["direct"].append(t)
        med = {k: statistics.median(v) for k, v in times.items()}
        theirs = display(their_res.get_counts())
        # TVD only says something when the support is small next to the shots.
        distance = tvd(ours_res.counts, theirs) if len(ours_res.counts) <= 64 else None
        timing = {key: statistics.median(values) for key, values in stages.items()}
        rows.append({
            "label": label, "method": method, "shots": shots,
            "ours": med["ours"], "transpiled": med["transpiled"], "direct": med["direct"],
            "ratio": med["ours"] / med["direct"],
            "ratio_transpiled": med["ours"] / med["transpiled"],
            "compile": timing["compile_seconds"], "execute": timing["execute_seconds"],
            "tvd": distance,
        })  # fmt: skip
        print(f"  {label:<10} {method:<12} ours {med['ours'] * 1e3:9.1f} ms  "
              f"hand+transpile {med['transpiled'] * 1e3:9.1f} ms  "
              f"hand direct {med['direct'] * 1e3:9.1f} ms  "
              f"ratio {med['ours'] / med['direct']:5.3f}", flush=True)  # fmt: skip
    return rows


# -- 3. largest within 10 s ----------------------------------------------------------------


def largest_within(make_text: Callable[[int], str], sizes: list[int], **options):
    """Run sizes in increasing order until one exceeds the budget; return (best, log)."""
    best, log = None, []
    for n in sizes:
        t, result = timed(lambda n=n: quantum(make_text(n), shots=SHOTS, seed=SEED, **options))
        log.append((n, t, result.details.get("method")))
        print(f"  n={n:<5} {t:8.2f} s  {result.details.get('method')}", flush=True)
        if t > BUDGET_S:
            break
        best = n
    return best, log


def refine(make_text: Callable[[int], str], lo: int, hi: int, **options):
    """Bisect between a size that fits (lo) and one that does not (hi)."""
    log = []
    while hi - lo > max(1, lo // 20):
        mid = (lo + hi) // 2
        t, result = timed(lambda n=mid: quantum(make_text(n), shots=SHOTS, seed=SEED, **options))
        log.append((mid, t, result.details.get("method")))
        print(f"  n={mid:<5} {t:8.2f} s  {result.details.get('method')}", flush=True)
        lo, hi = (mid, hi) if t <= BUDGET_S else (lo, mid)
    return lo, log


# -- 4. fake device noise model --------------------------------------------------------------


def bench_fake() -> dict[str, float]:
    from bioql.backends import fake
    from bioql.circuits.qiskit import to_qiskit

    text = "Create a 3-qubit GHZ state"
    cold, _ = timed(lambda: quantum(text, backend="fake_brisbane", seed=SEED))
    warm = statistics.median(
        timed(lambda: quantum(text, backend="fake_brisbane", seed=SEED))[0] for _ in range(5)
    )
    isa = fake.pass_manager("fake_brisbane", 1, SEED).run(to_qiskit(compile_description(text)))
    sim = fake.device_simulator("fake_brisbane")
    full = statistics.median(
        timed(lambda: sim.run(isa, shots=SHOTS, seed_simulator=SEED).result())[0] for _ in range(3)
    )
    return {"cold": cold, "warm": warm, "full_model_run": full}


# -- report ---------------------------------------------------------------------------------


def write_results(compile_rows, overhead_rows, ghz, qft, mps, fake_row, args) -> Path:
    mem = human_bytes(available_memory_bytes())
    lines = [
        "# Quantum runtime benchmarks",
        "",
        f"Written by `bench_quantum.py` on {time.strftime('%Y-%m-%d %H:%M')} · "
        f"{platform.processor() or platform.machine()} · {os.cpu_count()} cores (shared) · "
        f"{mem} available · Python {platform.python_version()}.",
        "",
        f"## Compile time (text → validated IR), median of {args.compile_runs} runs",
        "",
        "Target: ≤ 5 ms per description.",
        "",
        "| description | first call ms | median ms | p90 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {t} | {f:.3f} | {m:.3f} | {p:.3f} |" for t, f, m, p in compile_rows]
    worst = max(m for _, _, m, _ in compile_rows)
    worst_first = max(f for _, f, _, _ in compile_rows)
    lines += ["", f"Worst median **{worst:.2f} ms**, worst first call **{worst_first:.2f} ms** "
              f"({'meets' if max(worst, worst_first) <= 5 else 'misses'} the 5 ms target). "
              "The first call of the first description also pays one-off imports.", ""]  # fmt: skip
    lines += [
        "## quantum(description) vs the same circuit built by hand in Qiskit on Aer",
        "",
        "Same Aer method (the one BioQL chose), same shots, same seed. Two hand-built "
        "baselines: the usual `sim.run(transpile(qc, sim), shots=…)`, and `sim.run(qc)` with "
        "no transpile (the fastest possible; Aer runs these gates natively). **Ratio** = "
        "BioQL / hand-built without transpile, i.e. BioQL's whole overhead (parse, IR, "
        "validation, Qiskit build, result object). Medians of interleaved runs. TVD = total "
        "variation distance between the two histograms, shown where the support is small.",
        "",
        "| circuit | method | shots | BioQL ms | hand + transpile ms | hand direct ms "
        "| ratio | BioQL / hand+transpile | BioQL compile ms | BioQL run ms | TVD |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in overhead_rows:
        tvd_text = "n/a" if r["tvd"] is None else f"{r['tvd']:.3f}"
        lines.append(
            f"| {r['label']} | {r['method']} | {r['shots']} | {r['ours'] * 1e3:.1f} | "
            f"{r['transpiled'] * 1e3:.1f} | {r['direct'] * 1e3:.1f} | {r['ratio']:.3f} | "
            f"{r['ratio_transpiled']:.3f} | {r['compile'] * 1e3:.2f} | "
            f"{r['execute'] * 1e3:.1f} | {tvd_text} |"
        )
    heavy = [r for r in overhead_rows if r["direct"] >= 0.1]
    if heavy:
        worst_ratio = max(r["ratio"] for r in heavy)
        lines += ["", f"On circuits taking ≥ 100 ms the worst ratio is **{worst_ratio:.3f}** "
                  f"({'meets' if worst_ratio <= 1.10 else 'misses'} the ≤ 1.10 target)."]  # fmt: skip
    lines += ["", "## Largest circuits `simulator` runs within 10 s (1024 shots)", ""]
    lines.append(
        "GHZ runs on the stabilizer method; from 64 qubits on, shots are drawn from the "
        "stabilizer state's support (`bioql/backends/stabilizer.py`) because Aer measures "
        "each shot in O(n²) (before this change: GHZ-337 was the largest within 10 s and "
        "GHZ-1000 took 238 s). 1000 qubits is the compiler's maximum."
    )
    lines.append("")
    for title, (best, log) in (("GHZ (stabilizer)", ghz), ("QFT on |0…0>", qft)):
        lines.append(f"**{title}: {best} qubits.** Probes: " + ", ".join(
            f"n={n} {t:.2f} s ({m})" for n, t, m in sorted(log)) + ".")  # fmt: skip
        lines.append("")
    best, log = mps
    lines.append(
        f'QFT with `method="matrix_product_state"` (QFT of a basis state stays a product '
        f"state, so MPS is cheap): largest probe within 10 s **{best}** qubits (Aer's MPS "
        "limit is 63). Probes: " + ", ".join(f"n={n} {t:.2f} s" for n, t, _ in log) + "."
    )
    lines += [
        "",
        "## fake_brisbane (GHZ-3, 1024 shots)",
        "",
        f"- first run in a process (builds the 127-qubit noise model): {fake_row['cold']:.2f} s",
        f"- later runs (cached model, restricted to the circuit's qubits): "
        f"{fake_row['warm'] * 1e3:.1f} ms",
        f"- same run with the full 127-qubit noise model (what `AerSimulator.from_backend` "
        f"does on every run): {fake_row['full_model_run'] * 1e3:.0f} ms "
        f"(×{fake_row['full_model_run'] / fake_row['warm']:.0f})",
        "",
    ]
    path = HERE / "RESULTS.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller searches")
    parser.add_argument("--compile-runs", type=int, default=300)
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    if args.quick:
        args.compile_runs = 50

    print("compile time…", flush=True)
    compile_rows = bench_compile(args.compile_runs)
    for text, first, median, _ in compile_rows:
        print(f"  first {first:7.3f} ms  median {median:7.3f} ms  {text}")

    print("overhead vs hand-built Qiskit…", flush=True)
    cases = [
        ("GHZ-20", "Create a 20-qubit GHZ state", lambda: hand_ghz(20)),
        ("QFT-16", "Apply the QFT on 16 qubits", lambda: hand_qft(16)),
        ("Grover-8", "Grover search for 10110101", lambda: hand_grover("10110101")),
    ]
    heavy = [
        ("GHZ-150", "Create a 150-qubit GHZ state", lambda: hand_ghz(150)),
        ("QFT-22", "Apply the QFT on 22 qubits", lambda: hand_qft(22)),
        ("Grover-14", "Grover search for 10110101101100", lambda: hand_grover("10110101101100")),
    ]
    overhead_rows = bench_overhead(cases, repeats * 3, SHOTS)
    overhead_rows += bench_overhead(heavy, repeats, SHOTS)

    print("largest GHZ within 10 s…", flush=True)
    ghz_text = "Create a {}-qubit GHZ state".format
    # 1000 qubits is the most the compiler builds ("at most 1000"), so the search stops there.
    sizes = [64, 128, 256] if args.quick else [100, 250, 500, 1000]
    best, log = largest_within(ghz_text, sizes)
    bigger = [n for n, t, _ in log if t > BUDGET_S]
    if best and bigger and not args.quick:
        best, more = refine(ghz_text, best, bigger[0])
        log += more
    ghz = (best, log)

    print("largest QFT within 10 s…", flush=True)
    qft_text = "Apply the QFT on {} qubits".format
    qft = largest_within(qft_text, [16, 20, 22] if args.quick else list(range(18, 31)))
    mps = largest_within(qft_text, [31, 40, 50, 63], method="matrix_product_state")

    print("fake device noise model…", flush=True)
    fake_row = bench_fake()
    print(f"  {fake_row}")

    path = write_results(compile_rows, overhead_rows, ghz, qft, mps, fake_row, args)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
