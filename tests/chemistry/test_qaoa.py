"""MaxCut by QAOA: cuts, optimum and approximation ratio against an independent enumeration."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from bioql import quantum
from bioql.chemistry import OptimizationResult
from bioql.chemistry.qaoa import brute_force, cost_operator
from bioql.chemistry.spec import MaxCutSpec
from bioql.language.chemistry import read_chemistry


def qaoa(text: str, **kwargs: object) -> OptimizationResult:
    result = quantum(text, seed=5, **kwargs)
    assert isinstance(result, OptimizationResult)
    return result


def enumerate_cuts(spec: MaxCutSpec) -> dict[str, float]:
    """Every cut's value, by the definition and nothing else."""
    return {
        "".join(map(str, bits)): sum(w for u, v, w in spec.edges if bits[u] != bits[v])
        for bits in itertools.product((0, 1), repeat=spec.nodes)
    }


def random_graph(nodes: int, seed: int) -> str:
    rng = np.random.default_rng(seed)
    pairs = [(u, v) for u in range(nodes) for v in range(u + 1, nodes) if rng.random() < 0.45]
    return ", ".join(f"{u}-{v}:{rng.choice([0.5, 1, 2, 3]):g}" for u, v in pairs)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_brute_force_optimum_matches_enumeration(seed: int) -> None:
    spec = read_chemistry(f"MaxCut for the edges {random_graph(7, seed)}")
    assert isinstance(spec, MaxCutSpec)
    values = enumerate_cuts(spec)
    optimum, optimal = brute_force(spec)
    assert optimum == max(values.values())
    assert sorted(optimal) == sorted(b for b, v in values.items() if v == optimum)


def test_cost_operator_energy_is_minus_the_cut_value_plus_a_constant() -> None:
    spec = read_chemistry("MaxCut for the edges 0-1:2, 1-2, 2-0:0.5, 2-3:3")
    assert isinstance(spec, MaxCutSpec)
    diagonal = np.real(np.diag(cost_operator(spec).to_matrix()))
    total = sum(w for _, _, w in spec.edges)
    for index, energy in enumerate(diagonal):
        bits = "".join(str((index >> q) & 1) for q in range(spec.nodes))  # qubit 0 first
        assert total / 2 - energy == pytest.approx(enumerate_cuts(spec)[bits])


def test_ring_at_depth_one_reaches_the_known_three_quarters() -> None:
    # For a ring, depth-1 QAOA at its best angles has an expected cut of 3/4 of the optimum
    # (Farhi, Goldstone, Gutmann 2014); a weaker optimizer would land below it.
    result = qaoa("Solve MaxCut on an 8-node ring with QAOA of depth 1")
    assert result.optimum == 8
    assert result.approximation_ratio == pytest.approx(0.75, abs=0.005)


def test_ring_at_depth_two_reaches_five_sixths() -> None:
    result = qaoa("Solve MaxCut on a 6-node ring with QAOA of depth 2")
    assert result.approximation_ratio == pytest.approx(5 / 6, abs=0.005)
    assert result.cut in ("010101", "101010") and result.is_optimal
    assert result.cut_value == result.optimum == 6


def test_edge_list_cut_reads_node_zero_first() -> None:
    result = qaoa("MaxCut for the edges 0-1, 1-2, 2-0, 2-3")
    assert result.optimum == 3
    assert result.is_optimal
    crossing = sum(1 for u, v, _ in result.spec.edges if result.cut[u] != result.cut[v])
    assert result.cut_value == crossing == 3
    assert result.cut[2] != result.cut[3]  # the pendant edge is always cut in a maximum cut
    assert sum(result.distribution.values()) == pytest.approx(1.0)
    assert 0.5 < result.approximation_ratio <= 1.0
    assert result.probability_of_optimum > len(result.optimal_cuts) / 16  # beats a coin toss


def test_weighted_edges_count_their_weights() -> None:
    result = qaoa("MaxCut for the weighted edges 0-1:5, 1-2:1, 0-2:1 with QAOA of depth 2")
    # the heavy edge must be cut; the best cut takes one light edge with it: 5 + 1
    assert result.optimum == 6 and result.cut[0] != result.cut[1]
    assert result.cut_value == 6


def test_shots_on_the_simulator() -> None:
    result = qaoa("MaxCut on a 5-node complete graph with 3000 shots", backend="simulator")
    assert (result.backend, result.shots, result.optimizer) == ("simulator", 3000, "COBYLA")
    assert sum(result.distribution.values()) == pytest.approx(1.0)
    assert result.optimum == 6 and result.is_optimal


def test_results_are_plain_data_and_show_themselves(tmp_path) -> None:
    result = qaoa("Resuelve el corte máximo de un anillo de 4 nodos con QAOA")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["kind"] == "qaoa" and data["cut"] == result.cut
    assert data["optimum"] == 4 and data["approximation_ratio"] == result.approximation_ratio
    assert result.cut in str(result) and "approx ratio" in str(result)
    assert "<table>" in result._repr_html_()
    result.plot(tmp_path / "cut.png")
    assert (tmp_path / "cut.png").stat().st_size > 10_000


def test_twelve_nodes_report_a_ratio_against_brute_force() -> None:
    result = qaoa(f"MaxCut for the edges {random_graph(12, 7)} with QAOA of depth 1")
    values = enumerate_cuts(result.spec)
    assert result.optimum == max(values.values())
    assert result.cut_value == values[result.cut]
    assert 0.6 < result.approximation_ratio < 1.0


def test_noisy_run_on_a_fake_device() -> None:
    result = qaoa("MaxCut for the edges 0-1, 1-2 on fake_manila with 2000 shots", maxiter=25)
    assert (result.backend, result.shots, result.details["device"]) == (
        "fake_manila",
        2000,
        "fake_manila",
    )
    assert sum(result.distribution.values()) == pytest.approx(1.0)
    assert len(next(iter(result.distribution))) == 3  # the three nodes, not the device's qubits
    assert result.is_optimal  # 010 / 101 are the most frequent outcomes despite the noise


def test_shots_without_a_backend_mean_sampling() -> None:
    result = qaoa("MaxCut on a 4-node ring with 500 shots")
    assert (result.backend, result.shots) == ("simulator", 500)
    assert all(p * 500 == pytest.approx(round(p * 500)) for p in result.distribution.values())
