"""Translate the circuit IR into Qiskit, and Qiskit's bit order back into BioQL's.

Qiskit prints classical bit 0 rightmost; BioQL shows qubit 0 (the first measured qubit)
leftmost. Measured qubit ``i`` of ``Program.measured`` goes to classical bit ``i``, so a
Qiskit key reversed is the BioQL bitstring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from qiskit import QuantumCircuit

from bioql.circuits.ir import Gate, Program


def to_qiskit(program: Program, *, measure: bool = True) -> QuantumCircuit:
    """Build the Qiskit circuit; with ``measure`` the output register is measured."""
    program.validate()
    qc = QuantumCircuit(program.num_qubits, len(program.measured) if measure else 0)
    for step in program.steps:
        for gate in step.gates:
            _append(qc, gate)
    if measure:
        qc.measure(list(program.measured), list(range(len(program.measured))))
    return qc


def _append(qc: QuantumCircuit, gate: Gate) -> None:
    name, qubits, params = gate.name, list(gate.qubits), list(gate.params)
    if name == "mcx":
        qc.mcx(qubits[:-1], qubits[-1])
    elif name == "mcz":
        qc.mcp(math.pi, qubits[:-1], qubits[-1])
    else:
        getattr(qc, name)(*params, *qubits)


def to_display_key(qiskit_key: str) -> str:
    """Qiskit count key (clbit 0 rightmost, maybe with register spaces) → BioQL bitstring."""
    return qiskit_key.replace(" ", "")[::-1]


def to_display_counts(counts: Mapping[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in counts.items():
        display = to_display_key(key)
        out[display] = out.get(display, 0) + int(value)
    return out


def ideal_probabilities(program: Program, *, cutoff: float = 1e-12) -> dict[str, float]:
    """Exact output-register distribution from the statevector (small circuits only)."""
    from qiskit.quantum_info import Statevector

    state = Statevector(to_qiskit(program, measure=False))
    probs = state.probabilities_dict(qargs=list(program.measured))
    return {to_display_key(k): float(v) for k, v in sorted(probs.items()) if v > cutoff}
