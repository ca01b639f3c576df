"""What every backend adapter provides, and what it hands back to the runtime."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bioql.errors import BioQLValueError

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

    from bioql.circuits.ir import Program


@dataclass
class Execution:
    """The raw outcome of one run, already in BioQL bit order (qubit 0 leftmost)."""

    counts: dict[str, int]
    probabilities: dict[str, float] | None = None  # exact, only when the backend knows them
    executed_circuit: QuantumCircuit | None = None  # what was actually run (transpiled)
    transpile_seconds: float = 0.0
    execute_seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)  # method, device, job id...


class Backend(ABC):
    """One named place to run a Program: a simulator, a noisy fake device or hardware."""

    name: str
    #: option name -> one-line help; anything else passed to quantum() is rejected.
    options: Mapping[str, str]

    def validate_options(self, options: Mapping[str, Any]) -> None:
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            valid = ", ".join(f"{k} ({v})" for k, v in self.options.items()) or "none"
            raise BioQLValueError(
                f"Unknown option(s) {', '.join(unknown)} for backend {self.name!r}. "
                f"Valid options: {valid}."
            )

    def check(self, program: Program) -> None:  # noqa: B027 - optional hook
        """Fail fast (BioQLResourceError / BioQLCredentialsError) before anything is built."""

    @abstractmethod
    def run(
        self,
        program: Program,
        circuit: QuantumCircuit,
        *,
        shots: int,
        seed: int | None,
        options: Mapping[str, Any],
    ) -> Execution: ...


class Stopwatch:
    """``with Stopwatch() as sw: ...; sw.seconds``"""

    seconds: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t0


def used_qubits(circuit: QuantumCircuit) -> frozenset[int]:
    """Indices of the qubits any instruction touches (after layout: physical qubits)."""
    return frozenset(
        circuit.find_bit(q).index
        for inst in circuit.data
        if inst.operation.name != "barrier"
        for q in inst.qubits
    )
