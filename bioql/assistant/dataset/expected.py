"""What running a construct must give, computed from its parameters — not from the compiler.

Used twice: when the dataset is built (an example whose program does not give this outcome
is a bug in the compiler or the dataset, and the build fails), and by ``bioql eval`` to
judge answers by their outcome rather than their text.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

TOLERANCE = 0.02  # total variation distance allowed against exact (statevector) probabilities


def _bits(n: int) -> list[str]:
    return ["".join(b) for b in itertools.product("01", repeat=n)]


def expectation(kind: str, p: dict[str, Any]) -> dict[str, Any]:
    """A JSON-able expectation: ``{"dist": {...}}``, ``{"mass": [...], "at_least": x}``,
    or ``{"zero": [...]}``."""
    n: Any = p.get("n")  # every sized kind has one
    if kind in ("bell", "bell_variant"):
        odd = p.get("variant", "phi+").startswith("psi")
        return {"dist": {"01": 0.5, "10": 0.5} if odd else {"00": 0.5, "11": 0.5}}
    if kind == "ghz":
        return {"dist": {"0" * n: 0.5, "1" * n: 0.5}}
    if kind == "w":
        return {"dist": {"0" * i + "1" + "0" * (n - i - 1): 1 / n for i in range(n)}}
    if kind in ("superposition", "qft", "iqft"):
        return {"dist": {b: 1 / 2**n for b in _bits(n)}}
    if kind == "qft_bits":
        m = len(p["bits"])
        return {"dist": {b: 1 / 2**m for b in _bits(m)}}
    if kind == "basis":
        return {"dist": {p["bits"]: 1.0}}
    if kind == "single":
        s = p["state"]
        return {"dist": {s: 1.0}} if s in "01" else {"dist": {"0": 0.5, "1": 0.5}}
    if kind == "teleport":
        s = p["state"]
        return {"dist": {s: 1.0}} if s in "01" else {"dist": {"0": 0.5, "1": 0.5}}
    if kind == "grover":
        return {"mass": list(p["marked"]), "at_least": 0.8}
    if kind == "bv":
        return {"dist": {p["secret"]: 1.0}}
    if kind == "dj":
        zeros = "0" * n
        return {"dist": {zeros: 1.0}} if p["oracle"] == "constant" else {"zero": [zeros]}
    if kind == "qpe":
        k, phase = p["k"], p["phase"]
        value = phase * 2**k
        if abs(value - round(value)) < 1e-9:
            return {"dist": {format(round(value) % 2**k, f"0{k}b"): 1.0}}
        return {
            "mass": [
                format(math.floor(value) % 2**k, f"0{k}b"),
                format(math.ceil(value) % 2**k, f"0{k}b"),
            ],
            "at_least": 0.5,
        }
    if kind == "gates":
        return {"dist": gate_distribution(p["n"], p["ops"])}
    raise ValueError(f"no expectation for {kind!r}")


def gate_distribution(n: int, ops: list[list[Any]]) -> dict[str, float]:
    """Exact outcome probabilities of an explicit gate list, qubit 0 leftmost (via Qiskit)."""
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import Statevector

    qc = QuantumCircuit(n)
    for name, qubits, angle in ops:
        value = angle[1] if isinstance(angle, (list, tuple)) else angle  # (text, radians)
        args = ([value] if value is not None else []) + list(qubits)
        getattr(qc, name)(*args)
    probs = Statevector(qc).probabilities_dict()
    # Qiskit keys are little-endian (qubit 0 rightmost); BioQL shows qubit 0 leftmost.
    return {k[::-1]: v for k, v in probs.items() if v > 1e-9}


def satisfied(expect: dict[str, Any], probabilities: dict[str, float]) -> tuple[bool, str]:
    """Whether exact ``probabilities`` meet ``expect``; the reason when they do not."""
    if "dist" in expect:
        want = expect["dist"]
        keys = set(want) | set(probabilities)
        tvd = sum(abs(want.get(k, 0.0) - probabilities.get(k, 0.0)) for k in keys) / 2
        return tvd <= TOLERANCE, f"total variation distance {tvd:.3f} from {want}"
    if "mass" in expect:
        mass = sum(probabilities.get(k, 0.0) for k in expect["mass"])
        return mass >= expect["at_least"], f"probability {mass:.3f} on {expect['mass']}"
    if "zero" in expect:
        mass = sum(probabilities.get(k, 0.0) for k in expect["zero"])
        return mass <= TOLERANCE, f"probability {mass:.3f} on {expect['zero']} (expected 0)"
    return False, "unknown expectation"


def distance(p: dict[str, float], q: dict[str, float]) -> float:
    """Total variation distance between two outcome distributions."""
    return sum(abs(p.get(k, 0.0) - q.get(k, 0.0)) for k in set(p) | set(q)) / 2
