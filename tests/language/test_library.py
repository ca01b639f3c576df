"""bioql.circuits.library: the constructions match the textbook in BioQL's bit order."""

from __future__ import annotations

import math

import numpy as np
import pytest
from qiskit.quantum_info import Operator, Statevector

from bioql.circuits import library as lib
from bioql.circuits.ir import Program, Step
from bioql.circuits.qiskit import ideal_probabilities, to_qiskit
from bioql.errors import BioQLValueError


def program(step: Step, n: int) -> Program:
    ancillas = set(step.params.get("ancillas", ()))
    return Program("t", n, [step], tuple(q for q in range(n) if q not in ancillas))


def qiskit_index(bits: str) -> int:
    """BioQL bitstring (qubit 0 leftmost) → Qiskit basis index (qubit 0 least significant)."""
    return int(bits[::-1], 2)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_qft_is_the_textbook_dft_on_displayed_bitstrings(n: int) -> None:
    u = Operator(to_qiskit(program(lib.qft(n), n), measure=False)).data
    size = 2**n
    expected = np.zeros((size, size), dtype=complex)
    for x in range(size):
        for y in range(size):
            row, col = qiskit_index(format(y, f"0{n}b")), qiskit_index(format(x, f"0{n}b"))
            expected[row, col] = np.exp(2j * np.pi * x * y / size) / math.sqrt(size)
    assert np.allclose(u, expected)


def test_inverse_qft_undoes_qft() -> None:
    n = 4
    steps = [lib.product_state("1011"), lib.qft(n), lib.inverse_qft(n)]
    probs = ideal_probabilities(Program("t", n, steps, tuple(range(n))))
    assert probs == pytest.approx({"1011": 1.0})


def test_w_state_amplitudes_are_equal_and_positive() -> None:
    state = Statevector(to_qiskit(program(lib.w_state(5), 5), measure=False))
    for q in range(5):
        bits = "".join("1" if i == q else "0" for i in range(5))
        assert state.data[qiskit_index(bits)] == pytest.approx(1 / math.sqrt(5))


@pytest.mark.parametrize(
    ("n", "m", "k"), [(2, 1, 1), (3, 1, 2), (4, 1, 3), (4, 2, 2), (10, 1, 25), (3, 4, 0)]
)
def test_optimal_grover_iterations(n: int, m: int, k: int) -> None:
    assert lib.optimal_grover_iterations(n, m) == k


def test_grover_marked_string_reads_as_written() -> None:
    probs = ideal_probabilities(program(lib.grover(["0001"]), 4))
    assert max(probs, key=probs.get) == "0001"
    assert probs["0001"] > 0.96


@pytest.mark.parametrize("phase", [0.0, 0.125, 0.5, 0.6875, 0.9375])
def test_phase_estimation_reads_as_binary_fraction(phase: float) -> None:
    probs = ideal_probabilities(program(lib.phase_estimation(phase, 4), 5))
    expected = format(round(phase * 16), "04b")
    assert probs == pytest.approx({expected: 1.0})


def test_place_moves_gates_and_ancillas() -> None:
    placed = lib.place(lib.bernstein_vazirani("11"), (3, 1, 0))
    assert placed.params["ancillas"] == (0,)
    assert all(q in (3, 1, 0) for g in placed.gates for q in g.qubits)


def test_library_rejects_bad_arguments() -> None:
    with pytest.raises(BioQLValueError, match="Unknown Bell state"):
        lib.bell("chi+")
    with pytest.raises(BioQLValueError, match="0, 1, \\+ and -"):
        lib.product_state("012")
    with pytest.raises(BioQLValueError, match="teleports"):
        lib.teleportation("01")
    with pytest.raises(BioQLValueError, match="fraction of a full turn"):
        lib.phase_estimation(float("nan"), 3)
