"""Compute (or check) the expected distributions of the paraphrase suite from its reference circuits.

Every item that is not a refusal carries ``"ref"``: an OpenQASM 2 circuit. Its expectation is the
exact probability distribution of that circuit, computed here with Qiskit directly
(``qiskit.quantum_info.Statevector``), independent of BioQL:

* the measured qubits are the ones named by ``measure`` lines (all qubits when there are none);
* bitstrings list the measured qubits in increasing index order, qubit 0 LEFTMOST (Qiskit's own
  keys are little-endian, so they are reversed);
* every outcome with probability >= 0.001 is kept, rounded to 4 decimals (rounded so that the
  total never exceeds 1).

Usage::

    python tests/data/paraphrases/make_expectations.py            # check every part, exit 1 on a mismatch
    python tests/data/paraphrases/make_expectations.py --part heldout2   # one part only
    python tests/data/paraphrases/make_expectations.py --write    # recompute "expect" in place

Authoring shorthand: while writing items, ``"ref"`` may instead hold a short gate list such as
``"n=3; h 0; cx 0 1; cx 1 2"`` or a macro (``qpe 3 0.375``, ``grover 3 101``, ``bv 1011``,
``dj 3 balanced``, ``qft 0-2``, ``w 0-2``, ``teleport``); ``--write`` expands it into the OpenQASM 2
text stored in the file, then computes ``expect`` from that text. ``--check`` only ever reads QASM.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = (
    "heldout.jsonl",
    "dev.jsonl",
    "heldout2.jsonl",
    "heldout3.jsonl",
    "heldout4.jsonl",
    "heldout5.jsonl",
)
THRESHOLD = 1e-3
DIGITS = 4


# --------------------------------------------------------------------------- QASM -> distribution


def split_measures(qasm: str) -> tuple[str, list[int]]:
    """The circuit without measure lines, and the measured qubit indices (sorted)."""
    measured: set[int] = set()
    kept = []
    for line in qasm.splitlines():
        stmts = [s.strip() for s in line.split(";")]
        rest = []
        for stmt in stmts:
            match = re.fullmatch(r"measure\s+q\[(\d+)\]\s*->\s*c\[\d+\]", stmt)
            if match:
                measured.add(int(match.group(1)))
            elif stmt:
                rest.append(stmt + ";")
        if rest:
            kept.append(" ".join(rest))
    return "\n".join(kept) + "\n", sorted(measured)


def distribution(qasm: str) -> dict[str, float]:
    """Exact distribution over the measured qubits, qubit 0 leftmost, unrounded."""
    from qiskit import qasm2
    from qiskit.quantum_info import Statevector

    body, measured = split_measures(qasm)
    circuit = qasm2.loads(body, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    circuit.remove_final_measurements(inplace=True)
    qargs = measured or list(range(circuit.num_qubits))
    probs = Statevector(circuit).probabilities_dict(qargs=qargs)
    return {key[::-1]: float(p) for key, p in probs.items()}


def rounded(dist: dict[str, float]) -> dict[str, float]:
    """Outcomes >= THRESHOLD, 4 decimals, total never above 1, sorted by bitstring."""
    kept = {k: p for k, p in dist.items() if p >= THRESHOLD}
    out = {k: round(p, DIGITS) for k, p in kept.items()}
    step = 10**-DIGITS
    # take back rounding-up excess from the outcomes that were rounded up the most
    while sum(out.values()) > 1 + 1e-9:
        worst = max(out, key=lambda k: out[k] - kept[k])
        out[worst] = round(out[worst] - step, DIGITS)
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- authoring shorthand


def _angle(text: str) -> float:
    expr = text.replace("π", "pi")
    names = {"pi": math.pi, "sqrt": math.sqrt, "acos": math.acos, "asin": math.asin}
    if not re.fullmatch(
        r"[0-9.+\-*/() ]*", re.sub(r"[a-z]+", lambda m: " " if m[0] in names else m[0], expr)
    ):
        raise ValueError(f"bad angle {text!r}")
    return float(eval(expr, {"__builtins__": {}}, names))


def _qubits(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def _w_state(qc, qubits: list[int]) -> None:
    n = len(qubits)
    qc.x(qubits[0])
    for k in range(n - 1):
        theta = 2 * math.acos(math.sqrt(1 / (n - k)))
        qc.cry(theta, qubits[k], qubits[k + 1])
        qc.cx(qubits[k + 1], qubits[k])


def _qft(qc, qubits: list[int], inverse: bool = False) -> None:
    """Textbook QFT with qubit 0 as the most significant bit (as displayed), final swaps."""
    from qiskit import QuantumCircuit

    n = len(qubits)
    sub = QuantumCircuit(n)
    for j in range(n):
        sub.h(j)
        for k in range(j + 1, n):
            sub.cp(math.pi / 2 ** (k - j), k, j)
    for j in range(n // 2):
        sub.swap(j, n - 1 - j)
    if inverse:
        sub = sub.inverse()
    qc.compose(sub, qubits, inplace=True)


def _grover(qc, n: int, marked: list[str], iterations: int | None) -> None:
    qs = list(range(n))
    if iterations is None:
        iterations = math.floor(math.pi / 4 * math.sqrt(2**n / len(marked)))
    qc.h(qs)
    for _ in range(iterations):
        for m in marked:
            flips = [i for i, bit in enumerate(m) if bit == "0"]
            if flips:
                qc.x(flips)
            qc.h(n - 1)
            qc.mcx(qs[:-1], n - 1)
            qc.h(n - 1)
            if flips:
                qc.x(flips)
        qc.h(qs)
        qc.x(qs)
        qc.h(n - 1)
        qc.mcx(qs[:-1], n - 1)
        qc.h(n - 1)
        qc.x(qs)
        qc.h(qs)


def expand(short: str) -> str:
    """Turn the authoring shorthand into OpenQASM 2 text."""
    from qiskit import QuantumCircuit, qasm2

    stmts = [s.strip() for s in short.split(";") if s.strip()]
    n = int(stmts[0].removeprefix("n="))
    qc = QuantumCircuit(n)
    measured: list[int] = []
    one_q = {"h", "x", "y", "z", "s", "sdg", "t", "tdg", "sx", "sxdg"}
    one_q_param = {"rx", "ry", "rz", "p"}
    two_q = {"cx", "cy", "cz", "ch", "swap", "csx"}
    two_q_param = {"crx", "cry", "crz", "cp"}
    for stmt in stmts[1:]:
        op, *args = stmt.split()
        if op in one_q:
            for q in _qubits(args[0]):
                getattr(qc, op)(q)
        elif op in one_q_param:
            getattr(qc, op)(_angle(args[0]), _qubits(args[1]))
        elif op == "u":
            qc.u(_angle(args[0]), _angle(args[1]), _angle(args[2]), int(args[3]))
        elif op in two_q:
            getattr(qc, op)(int(args[0]), int(args[1]))
        elif op in two_q_param:
            getattr(qc, op)(_angle(args[0]), int(args[1]), int(args[2]))
        elif op == "ccx":
            qc.ccx(int(args[0]), int(args[1]), int(args[2]))
        elif op.startswith("mc"):  # mcx/mcy/mcz/mch/mcsx CONTROLS TARGET
            controls, target = _qubits(args[0]), int(args[1])
            base = QuantumCircuit(1, name=op[2:])
            getattr(base, op[2:])(0)
            gate = base.to_gate(label=op[2:]).control(len(controls))
            qc.append(gate, [*controls, target])
        elif op == "init":  # init 011 -> X where the bit is 1 (qubit 0 = first character)
            for i, bit in enumerate(args[0]):
                if bit == "1":
                    qc.x(i)
        elif op == "w":
            _w_state(qc, _qubits(args[0]))
        elif op in ("qft", "iqft"):
            _qft(qc, _qubits(args[0]), inverse=op == "iqft")
        elif op == "grover":  # grover MARKED[,MARKED...] [ITERATIONS]
            marked = args[0].split(",")
            _grover(qc, len(marked[0]), marked, int(args[1]) if len(args) > 1 else None)
        elif op == "bv":  # bv S: inputs 0..len-1, oracle qubit len
            s = args[0]
            k = len(s)
            qc.x(k)
            qc.h(range(k + 1))
            for i, bit in enumerate(s):
                if bit == "1":
                    qc.cx(i, k)
            qc.h(range(k))
            measured = list(range(k))
        elif op == "dj":  # dj K balanced|constant0|constant1
            k, kind = int(args[0]), args[1]
            qc.x(k)
            qc.h(range(k + 1))
            if kind == "balanced":
                for i in range(k):
                    qc.cx(i, k)
            elif kind == "constant1":
                qc.x(k)
            qc.h(range(k))
            measured = list(range(k))
        elif op == "qpe":  # qpe T THETA: counting 0..T-1 (qubit 0 = MSB), eigen qubit T in |1>
            t, theta = int(args[0]), _angle(args[1])
            qc.x(t)
            qc.h(range(t))
            for j in range(t):  # qubit j carries weight 2^(t-1-j)
                qc.cp(2 * math.pi * theta * 2 ** (t - 1 - j), j, t)
            _qft(qc, list(range(t)), inverse=True)
            measured = list(range(t))
        elif op == "teleport":  # state already prepared on qubit 0; receiver is qubit 2
            qc.h(1)
            qc.cx(1, 2)
            qc.cx(0, 1)
            qc.h(0)
            qc.cx(1, 2)
            qc.cz(0, 2)
            measured = [2]
        elif op == "m":
            measured = _qubits(args[0])
        else:
            raise ValueError(f"unknown shorthand {op!r} in {short!r}")
    text = qasm2.dumps(qc)
    if measured:
        text = text.replace(f"qreg q[{n}];", f"qreg q[{n}];\ncreg c[{len(measured)}];")
        text += "\n" + "\n".join(f"measure q[{q}] -> c[{i}];" for i, q in enumerate(measured))
    return text + ("" if text.endswith("\n") else "\n")


# --------------------------------------------------------------------------- driver


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def process(path: Path, write: bool) -> int:
    items = load(path)
    problems = 0
    for item in items:
        if item.get("expect") == "refuse":
            continue
        ref = item["ref"]
        if not ref.lstrip().startswith("OPENQASM"):
            if not write:
                print(f"{path.name} {item['id']}: ref is still shorthand")
                problems += 1
                continue
            ref = item["ref"] = expand(ref)
        expect = rounded(distribution(ref))
        if write:
            item["expect"] = expect
        elif item.get("expect") != expect:
            print(f"{path.name} {item['id']}: expect {item.get('expect')} but ref gives {expect}")
            problems += 1
    if write:
        order = ["id", "class", "voice", "lang", "text", "expect", "shots", "backend", "ref"]
        lines = [
            json.dumps({k: item[k] for k in order if k in item}, ensure_ascii=False)
            for item in items
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(items)} items, {problems} problems")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="recompute expect in place")
    parser.add_argument(
        "--part", choices=(*(p.removesuffix(".jsonl") for p in PARTS), "all"), default="all"
    )
    parser.add_argument("files", nargs="*", help="default: the parts chosen by --part")
    args = parser.parse_args(argv)
    chosen = PARTS if args.part == "all" else (f"{args.part}.jsonl",)
    paths = [Path(f) for f in args.files] or [HERE / p for p in chosen if (HERE / p).exists()]
    return 1 if sum(process(p, args.write) for p in paths) else 0


if __name__ == "__main__":
    sys.exit(main())
