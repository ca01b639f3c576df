"""Wide Clifford sampling from the stabilizer state's support, checked against exact theory."""

from __future__ import annotations

import random

import numpy as np
import pytest
from qiskit.quantum_info import Statevector

from bioql.backends import aer
from bioql.backends.stabilizer import gf2_row_basis, stabilizer_counts
from bioql.circuits.ir import Gate, Program, Step
from bioql.circuits.qiskit import ideal_probabilities, to_display_key, to_qiskit
from bioql.runtime import execute
from tests.backends.programs import ghz

ONE_QUBIT = ["h", "s", "sdg", "x", "y", "z", "sx"]
TWO_QUBIT = ["cx", "cy", "cz", "swap"]


def random_clifford_program(n: int, depth: int, seed: int) -> Program:
    rnd = random.Random(seed)
    gates = []
    for _ in range(depth):
        if rnd.random() < 0.5:
            gates.append(Gate(rnd.choice(ONE_QUBIT), (rnd.randrange(n),)))
        else:
            a, b = rnd.sample(range(n), 2)
            gates.append(Gate(rnd.choice(TWO_QUBIT), (a, b)))
    measured = tuple(rnd.sample(range(n), rnd.randint(2, n)))  # a subset, in any order
    return Program(f"random Clifford {seed}", n, [Step("gate", "random", tuple(gates))], measured)


def test_gf2_row_basis():
    m = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [0, 0, 0]])
    assert len(gf2_row_basis(m)) == 2  # row 3 = row 1 xor row 2
    assert len(gf2_row_basis(np.eye(5))) == 5
    assert len(gf2_row_basis(np.zeros((3, 4)))) == 0


@pytest.mark.parametrize("seed", range(6))
def test_samples_match_the_exact_distribution(seed):
    program = random_clifford_program(n=7, depth=40, seed=seed)
    exact = ideal_probabilities(program)
    circuit = to_qiskit(program)
    first = aer.aer_simulator("stabilizer").run(circuit, shots=1, seed_simulator=seed).result()
    x0 = to_display_key(next(iter(first.get_counts())))
    shots = 400 * len(exact)
    counts = stabilizer_counts(circuit, list(program.measured), shots, seed, x0)
    assert set(counts) == set(exact)  # exactly the support, every outcome seen
    p = 1 / len(exact)  # stabilizer states are uniform on their support
    assert all(v == pytest.approx(p, abs=1e-9) for v in exact.values())
    sigma = (shots * p * (1 - p)) ** 0.5
    assert all(abs(c - shots * p) < 5 * sigma for c in counts.values())


def test_simulator_switches_to_support_sampling_for_wide_clifford_circuits(monkeypatch):
    wide = execute(ghz(500), "simulator", shots=1000, seed=4)
    assert wide.details["sampling"].startswith("stabilizer support")
    assert set(wide.counts) == {"0" * 500, "1" * 500}
    assert 400 < wide.counts["0" * 500] < 600
    narrow = execute(ghz(40), "simulator", shots=1000, seed=4)
    assert "sampling" not in narrow.details  # Aer's own sampling below the threshold
    monkeypatch.setattr(aer, "WIDE_CLIFFORD", 2)
    forced = execute(random_clifford_program(5, 30, seed=9), "simulator", shots=2000, seed=1)
    assert "sampling" in forced.details
    exact = Statevector(to_qiskit(forced.program, measure=False)).probabilities_dict(
        qargs=list(forced.program.measured)
    )
    assert set(forced.counts) == {to_display_key(k) for k, v in exact.items() if v > 1e-12}
