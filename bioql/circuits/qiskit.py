"""Translate the circuit IR into Qiskit, and Qiskit's bit order back into BioQL's.

Qiskit prints classical bit 0 rightmost; BioQL shows qubit 0 (the first measured qubit)
leftmost. Measured qubit ``i`` of ``Program.measured`` goes to classical bit ``i``, so a
Qiskit key reversed is the BioQL bitstring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from qiskit import QuantumCircuit
from qiskit.circuit.library import HGate, StatePreparation, SXGate, YGate

from bioql.circuits.ir import AMPLITUDE_GATE, Gate, Program


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
    elif name == "mcp":
        qc.mcp(params[0], qubits[:-1], qubits[-1])
    elif name in _MULTI_CONTROLLED:
        base = _MULTI_CONTROLLED[name]()
        qc.append(base.control(len(qubits) - 1), qubits)
    elif name == AMPLITUDE_GATE:
        qc.append(StatePreparation(_qiskit_amplitudes(params, len(qubits))), qubits)
    else:
        getattr(qc, name)(*params, *qubits)


_MULTI_CONTROLLED = {"mcy": YGate, "mch": HGate, "mcsx": SXGate}


def _qiskit_amplitudes(params: list[float], k: int) -> list[complex]:
    """BioQL order (qubit 0 most significant) → Qiskit's (qubit 0 least significant)."""
    ours = [complex(params[2 * i], params[2 * i + 1]) for i in range(2**k)]
    return [ours[int(format(i, f"0{k}b")[::-1], 2)] for i in range(2**k)]


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
