"""The circuit IR: what a description compiles to before any Qiskit object exists.

The language front end (``bioql.language``) produces a :class:`Program`; the back end
(``bioql.circuits.qiskit``) turns it into a ``QuantumCircuit``. Keeping this layer plain
data lets BioQL explain, validate and test a program without executing it.

Conventions (user-visible, see docs/conventions.md):

* qubit 0 is the **leftmost** character of every bitstring BioQL shows;
* ``Program.measured`` lists the output register in display order; ancillas are not in it;
* multi-qubit gates list controls first and the target last.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bioql.errors import BioQLValueError

# name -> number of qubits (None: any number >= 2, controls first then target)
GATE_ARITY: dict[str, int | None] = {
    "id": 1, "h": 1, "x": 1, "y": 1, "z": 1, "s": 1, "sdg": 1, "t": 1, "tdg": 1, "sx": 1,
    "rx": 1, "ry": 1, "rz": 1, "p": 1,
    "cx": 2, "cy": 2, "cz": 2, "ch": 2, "cp": 2, "crx": 2, "cry": 2, "crz": 2, "swap": 2,
    "ccx": 3, "cswap": 3,
    "mcx": None, "mcy": None, "mcz": None, "mch": None, "mcsx": None, "mcp": None,
    "u": 1, "prepare": 0,
}  # fmt: skip
# "prepare" acts on any number of qubits; its params are the amplitudes of the basis states in
# BioQL order (qubit 0 is the most significant bit), as (real, imaginary) pairs.
AMPLITUDE_GATE = "prepare"

# IR names that already include controls: (base gate, number of controls)
CONTROLLED_BASE = {"cx": ("x", 1), "cy": ("y", 1), "cz": ("z", 1), "ch": ("h", 1), "cp": ("p", 1),
             "crx": ("rx", 1), "cry": ("ry", 1), "crz": ("rz", 1), "cswap": ("swap", 1),
             "ccx": ("x", 2)}  # fmt: skip

# name -> number of angle parameters (radians)
GATE_PARAMS: dict[str, int] = {
    "rx": 1,
    "ry": 1,
    "rz": 1,
    "p": 1,
    "cp": 1,
    "crx": 1,
    "cry": 1,
    "crz": 1,
    "mcp": 1,
    "u": 3,
}

# Gates Aer's stabilizer method can run (Clifford group).
CLIFFORD_GATES = frozenset({"id", "h", "x", "y", "z", "s", "sdg", "sx", "cx", "cy", "cz", "swap"})


@dataclass(frozen=True)
class Gate:
    """One gate on explicit qubit indices; angles in radians."""

    name: str
    qubits: tuple[int, ...]
    params: tuple[float, ...] = ()

    def __str__(self) -> str:
        args = f"({', '.join(f'{p:.4g}' for p in self.params)})" if self.params else ""
        return f"{self.name}{args} {' '.join(f'q{q}' for q in self.qubits)}"


@dataclass(frozen=True)
class Step:
    """One construct the user asked for ("Bell state Φ+", "QFT on 4 qubits", "H on qubit 0").

    ``kind`` names the construct (``bell``, ``ghz``, ``w``, ``superposition``, ``basis``,
    ``qft``, ``iqft``, ``grover``, ``bv``, ``dj``, ``qpe``, ``teleport``, ``gate``...),
    ``text`` explains it in one sentence, ``params`` carries its semantic arguments
    (e.g. ``{"marked": ["101"]}``, ``{"phase": 0.375}``) so that results can be interpreted.
    """

    kind: str
    text: str
    gates: tuple[Gate, ...]
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Program:
    """A compiled description: qubits, ordered steps, and the measured output register."""

    description: str
    num_qubits: int
    steps: list[Step]
    measured: tuple[int, ...]
    shots: int | None = None  # a shot count stated in the description itself, if any
    backend: str | None = None  # a backend named in the description itself ("on IBM Brisbane")
    reading: str = ""  # one canonical sentence that compiles back to this program

    def gates(self) -> Iterator[Gate]:
        for step in self.steps:
            yield from step.gates

    @property
    def is_clifford(self) -> bool:
        return all(g.name in CLIFFORD_GATES for g in self.gates())

    @property
    def kinds(self) -> list[str]:
        return [s.kind for s in self.steps]

    def explain(self) -> str:
        """Numbered, human-readable list of the steps."""
        lines = [f"{self.num_qubits} qubit(s); output register: qubits {list(self.measured)}"]
        lines += [f"{i}. {s.text}" for i, s in enumerate(self.steps, 1)]
        return "\n".join(lines)

    def validate(self) -> None:
        """Raise :class:`BioQLValueError` if any gate is malformed or out of range."""
        n = self.num_qubits
        if n < 1:
            raise BioQLValueError(f"A program needs at least one qubit, got {n}.")
        for gate in self.gates():
            _validate_gate(gate, n)
        if not self.measured:
            raise BioQLValueError("Nothing is measured; say 'measure all' or name the qubits.")
        for q in self.measured:
            if not 0 <= q < n:
                raise BioQLValueError(
                    f"Cannot measure qubit {q}: the program has qubits 0..{n - 1}."
                )
        if len(set(self.measured)) != len(self.measured):
            raise BioQLValueError(f"Qubits measured twice: {list(self.measured)}.")


def _validate_gate(gate: Gate, n: int) -> None:
    if gate.name not in GATE_ARITY:
        raise BioQLValueError(
            f"Unknown gate {gate.name!r}; supported: {', '.join(sorted(GATE_ARITY))}."
        )
    if gate.name == AMPLITUDE_GATE:
        _validate_amplitudes(gate, n)
        return
    arity = GATE_ARITY[gate.name]
    if arity is None and len(gate.qubits) < 2:
        raise BioQLValueError(f"{gate.name} needs at least one control and a target.")
    if arity is not None and len(gate.qubits) != arity:
        raise BioQLValueError(
            f"{gate.name} acts on {arity} qubit(s), got {len(gate.qubits)}: {list(gate.qubits)}."
        )
    for q in gate.qubits:
        if not 0 <= q < n:
            raise BioQLValueError(
                f"{gate.name} on qubit {q} is out of range: the program has qubits 0..{n - 1}."
            )
    if len(set(gate.qubits)) != len(gate.qubits):
        raise BioQLValueError(f"{gate.name} uses the same qubit twice: {list(gate.qubits)}.")
    want = GATE_PARAMS.get(gate.name, 0)
    if len(gate.params) != want:
        raise BioQLValueError(f"{gate.name} takes {want} angle(s), got {len(gate.params)}.")
    for p in gate.params:
        if not math.isfinite(p):
            raise BioQLValueError(f"{gate.name} angle must be a finite number, got {p}.")


def _validate_amplitudes(gate: Gate, n: int) -> None:
    k = len(gate.qubits)
    if k < 1 or len(gate.params) != 2 * 2**k:
        raise BioQLValueError(f"A state preparation on {k} qubit(s) needs {2**k} amplitudes.")
    for q in gate.qubits:
        if not 0 <= q < n:
            raise BioQLValueError(
                f"State preparation on qubit {q}: the program has qubits 0..{n - 1}."
            )
    norm = sum(p * p for p in gate.params)
    if not math.isclose(norm, 1.0, abs_tol=1e-9):
        raise BioQLValueError(
            f"The amplitudes of a state must have norm 1, got {math.sqrt(norm):.6g}."
        )
