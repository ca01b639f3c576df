"""simulator and statevector: conventions, method choice, exact probabilities, resource guard."""

from __future__ import annotations

import math

import pytest

from bioql.backends import aer, resources
from bioql.errors import BioQLResourceError, BioQLValueError
from bioql.runtime import execute
from tests.backends.programs import bell, ghz, qft, ry_then_cx, t_program, x_on


@pytest.mark.parametrize("backend", ["simulator", "statevector"])
def test_qubit_zero_is_leftmost(backend):
    assert execute(x_on(1, 2), backend, shots=50, seed=1).counts == {"01": 50}
    assert execute(x_on(0, 3), backend, shots=50, seed=1).counts == {"100": 50}


def test_only_the_output_register_is_reported():
    program = x_on(2, 3)
    program.measured = (2, 0)  # display order: qubit 2 first, then qubit 0
    assert execute(program, "simulator", shots=10, seed=1).counts == {"10": 10}
    assert execute(program, "statevector", shots=10, seed=1).probabilities == {"10": 1.0}


def test_bell_counts_are_correlated_and_seeded():
    a = execute(bell(), "simulator", shots=2000, seed=5)
    b = execute(bell(), "simulator", shots=2000, seed=5)
    assert a.counts == b.counts
    assert set(a.counts) == {"00", "11"}
    assert sum(a.counts.values()) == 2000
    assert abs(a.probabilities["00"] - 0.5) < 0.05


def test_ghz_40_runs_on_the_stabilizer_method():
    result = execute(ghz(40), "simulator", shots=1000, seed=3)
    assert result.details["method"] == "stabilizer"
    assert set(result.counts) == {"0" * 40, "1" * 40}


def test_non_clifford_uses_statevector_and_matches_theory():
    result = execute(qft(4), "simulator", shots=4000, seed=2)
    assert result.details["method"] == "statevector"
    assert len(result.counts) == 16  # QFT of |0000> is uniform
    assert max(result.probabilities.values()) < 0.1


def test_statevector_probabilities_are_exact():
    theta = 1.1
    result = execute(ry_then_cx(theta), "statevector", shots=100, seed=4)
    assert result.exact
    assert result.probabilities["00"] == pytest.approx(math.cos(theta / 2) ** 2, abs=1e-12)
    assert result.probabilities["11"] == pytest.approx(math.sin(theta / 2) ** 2, abs=1e-12)
    assert set(result.probabilities) == {"00", "11"}
    assert sum(result.counts.values()) == 100
    assert result.counts == execute(ry_then_cx(theta), "statevector", shots=100, seed=4).counts


def test_forced_method_and_bad_method():
    result = execute(bell(), "simulator", shots=10, seed=1, method="matrix_product_state")
    assert result.details["method"] == "matrix_product_state"
    assert set(result.counts) <= {"00", "11"}
    with pytest.raises(BioQLValueError, match="stabilizer"):
        execute(t_program(2), "simulator", shots=10, method="stabilizer")
    with pytest.raises(BioQLValueError, match="choose one of"):
        execute(bell(), "simulator", shots=10, method="quantum_magic")


def test_unknown_option_lists_valid_ones():
    with pytest.raises(BioQLValueError, match=r"optimisation_level.*Valid options: method"):
        execute(bell(), "simulator", optimisation_level=2)
    with pytest.raises(BioQLValueError, match="Valid options: none"):
        execute(bell(), "statevector", method="statevector")


def test_60_qubit_qft_on_statevector_fails_fast_with_memory_message():
    with pytest.raises(BioQLResourceError, match=r"60 qubits.*16·2\^60 bytes.*available"):
        execute(qft(60), "statevector")


def test_wide_clifford_is_refused_by_statevector_but_runs_on_simulator():
    with pytest.raises(BioQLResourceError, match="backend='simulator'"):
        execute(ghz(45), "statevector")
    assert execute(ghz(45), "simulator", shots=5, seed=1).details["method"] == "stabilizer"


def test_beyond_the_statevector_ceiling_the_simulator_uses_mps(monkeypatch):
    # Pretend this machine has 1 MiB free: the ceiling drops to 16 qubits.
    monkeypatch.setattr(resources, "available_memory_bytes", lambda: 1 << 20)
    assert resources.statevector_ceiling() == 16
    result = execute(qft(20), "simulator", shots=200, seed=1)
    assert result.details["method"] == "matrix_product_state"
    assert len(result.counts) > 150  # uniform over 2^20 outcomes: almost all distinct
    with pytest.raises(BioQLResourceError, match="20 qubits"):
        execute(qft(20), "simulator", method="statevector")
    with pytest.raises(BioQLResourceError, match="beyond every exact simulation method"):
        execute(t_program(64), "simulator")


def test_statevector_ceiling_arithmetic():
    assert resources.statevector_ceiling(24 * 2**30) == 30  # the 24 GiB reference machine
    assert resources.statevector_ceiling(16 * 2**10) == 10
    assert resources.statevector_bytes(30) == 16 * 2**30


def test_exact_distribution_too_wide_to_list(monkeypatch):
    monkeypatch.setattr(aer, "MAX_EXACT_OUTCOMES", 1000)
    with pytest.raises(BioQLResourceError, match="too many to list"):
        execute(t_program(12), "statevector")
