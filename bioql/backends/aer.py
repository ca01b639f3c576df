"""Ideal simulation on Qiskit Aer: ``simulator`` (method per circuit) and ``statevector`` (exact).

Method choice for ``simulator`` (the user can force one with ``method=...``):

* Clifford programs (GHZ, Bell, BV, DJ...) → ``stabilizer``: polynomial cost, so a 40-qubit
  GHZ state runs in milliseconds; from 64 qubits on, shots are drawn from the stabilizer
  state's support (see :mod:`bioql.backends.stabilizer`), so 1000 qubits take about a second;
* other programs that fit in memory → ``statevector``;
* wider non-Clifford programs → ``matrix_product_state`` (exact; fast while entanglement stays
  low, as for QFT on a basis state), up to Aer's 63-qubit limit; beyond that a clear error.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from bioql.backends.base import Backend, Execution, Stopwatch
from bioql.backends.resources import MPS_MAX_QUBITS, check_statevector, statevector_ceiling
from bioql.errors import BioQLResourceError, BioQLValueError

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit_aer import AerSimulator

    from bioql.circuits.ir import Program

METHODS = (
    "stabilizer",
    "statevector",
    "matrix_product_state",
    "density_matrix",
    "extended_stabilizer",
)
# From this width on, Clifford shots are drawn from the stabilizer state's support
# (bioql.backends.stabilizer) rather than by Aer's per-shot measurement.
WIDE_CLIFFORD = 64
# Beyond this many distinct outcomes an exact distribution is not worth listing in a dict.
MAX_EXACT_OUTCOMES = 1 << 20
_ALWAYS_SUPPORTED = frozenset({"measure", "barrier"})


@cache
def aer_simulator(method: str) -> AerSimulator:
    """One AerSimulator per method per process (construction queries the C++ controller)."""
    from qiskit_aer import AerSimulator

    return AerSimulator(method=method)


@cache
def _native_gates(method: str) -> frozenset[str]:
    return frozenset(aer_simulator(method).configuration().basis_gates) | _ALWAYS_SUPPORTED


def prepare_for_aer(circuit: QuantumCircuit, method: str) -> QuantumCircuit:
    """Transpile only when the circuit uses a gate this Aer method cannot run natively.

    The IR's gates are all native to Aer's statevector and MPS methods (and Clifford
    programs to the stabilizer method), so this is normally free.
    """
    if set(circuit.count_ops()) <= _native_gates(method):
        return circuit
    from qiskit import transpile

    return transpile(circuit, aer_simulator(method), optimization_level=1)


def choose_method(program: Program) -> str:
    n = program.num_qubits
    if program.is_clifford:
        return "stabilizer"
    if n <= statevector_ceiling():
        return "statevector"
    if n <= MPS_MAX_QUBITS:
        return "matrix_product_state"
    raise BioQLResourceError(
        f"{n} qubits with non-Clifford gates is beyond every exact simulation method here: "
        f"statevector stops at {statevector_ceiling()} qubits (16·2^n bytes of memory) and "
        f"matrix_product_state at {MPS_MAX_QUBITS}. Use fewer qubits, or only Clifford "
        "gates (H, S, X, Y, Z, CNOT, CZ, SWAP), which the stabilizer method runs on "
        "hundreds of qubits."
    )


def seed_options(seed: int | None) -> dict[str, int]:
    return {} if seed is None else {"seed_simulator": seed}


class SimulatorBackend(Backend):
    name = "simulator"
    options: Mapping[str, str] = {
        "method": "Aer method: " + ", ".join(METHODS) + " (default: chosen per circuit)"
    }

    def _method(self, program: Program, options: Mapping[str, Any]) -> str:
        method = options.get("method")
        if method is None:
            return choose_method(program)
        if method not in METHODS:
            raise BioQLValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
        if method == "stabilizer" and not program.is_clifford:
            raise BioQLValueError(
                "method='stabilizer' runs only Clifford circuits; this program has "
                "non-Clifford gates (T, rotations, Toffoli...). Leave method unset."
            )
        return method

    def check(self, program: Program) -> None:
        choose_method(program)

    def run(self, program, circuit, *, shots, seed, options) -> Execution:
        method = self._method(program, options)
        if method in ("statevector", "extended_stabilizer"):
            check_statevector(program.num_qubits, f"simulator (method={method})")
        if method == "density_matrix":
            check_statevector(2 * program.num_qubits, "simulator (method=density_matrix)")
        sim = aer_simulator(method)
        with Stopwatch() as t_transpile:
            runnable = prepare_for_aer(circuit, method)
        details = {"method": method}
        from bioql.circuits.qiskit import to_display_counts, to_display_key

        with Stopwatch() as t_run:
            if method == "stabilizer" and program.num_qubits >= WIDE_CLIFFORD and shots > 1:
                # Aer draws each shot in O(n²); sample the stabilizer state's support instead.
                from bioql.backends.stabilizer import stabilizer_counts

                first = sim.run(runnable, shots=1, **seed_options(seed)).result().get_counts()
                x0 = to_display_key(next(iter(first)))
                counts = stabilizer_counts(runnable, list(program.measured), shots, seed, x0)
                details["sampling"] = "stabilizer support (affine subspace)"
            else:
                result = sim.run(runnable, shots=shots, **seed_options(seed)).result()
                counts = to_display_counts(result.get_counts())
        return Execution(
            counts=counts,
            executed_circuit=runnable,
            transpile_seconds=t_transpile.seconds,
            execute_seconds=t_run.seconds,
            details=details,
        )


class StatevectorBackend(Backend):
    """Exact output distribution from Aer's statevector; counts are sampled from it."""

    name = "statevector"
    options: Mapping[str, str] = {}

    def check(self, program: Program) -> None:
        check_statevector(
            program.num_qubits,
            self.name,
            hint="backend='simulator' samples Clifford circuits (GHZ, Bell...) on hundreds "
            "of qubits.",
        )

    def run(self, program, circuit, *, shots, seed, options) -> Execution:
        measured = list(program.measured)
        with Stopwatch() as t_transpile:
            bare = circuit.remove_final_measurements(inplace=False)
            runnable = prepare_for_aer(bare, "statevector")
            runnable.save_probabilities(measured)
        with Stopwatch() as t_run:
            data = aer_simulator("statevector").run(runnable, shots=1).result().data(0)
        probabilities = _display_distribution(np.asarray(data["probabilities"]), len(measured))
        counts = sample_counts(probabilities, shots, seed)
        return Execution(
            counts=counts,
            probabilities=probabilities,
            executed_circuit=runnable,
            transpile_seconds=t_transpile.seconds,
            execute_seconds=t_run.seconds,
            details={"method": "statevector", "exact": True},
        )


def _display_distribution(vector: np.ndarray, width: int) -> dict[str, float]:
    """Aer's probability vector (index bit i = measured qubit i) → {display bitstring: p}."""
    support = np.flatnonzero(vector > 1e-12)
    if len(support) > MAX_EXACT_OUTCOMES:
        raise BioQLResourceError(
            f"The exact distribution has {len(support):,} outcomes with nonzero probability, "
            f"too many to list (limit {MAX_EXACT_OUTCOMES:,}). Use backend='simulator' to "
            "sample it, or measure fewer qubits."
        )
    # Index bit i is qubit i; BioQL shows qubit 0 leftmost, i.e. the binary string reversed.
    return {format(int(k), f"0{width}b")[::-1]: float(vector[k]) for k in support}


def sample_counts(probabilities: Mapping[str, float], shots: int, seed: int | None) -> dict:
    keys = sorted(probabilities)
    p = np.array([probabilities[k] for k in keys])
    draws = np.random.default_rng(seed).multinomial(shots, p / p.sum())
    return {k: int(c) for k, c in zip(keys, draws, strict=True) if c}
