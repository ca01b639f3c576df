"""The QAOA binding-interaction-graph path: clique search against brute force, the circuit
against the vectorized evaluator, and one small end-to-end quantum docking."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bioql.docking.quantum import (
    InteractionGraph,
    Point,
    build_graph,
    cost_vector,
    qaoa_circuit,
    qaoa_state,
    qubo,
    solve_clique,
)

from .conftest import LIGANDS, crystal_ligand, protein


def _random_graph(n: int, density: float, seed: int) -> InteractionGraph:
    rng = np.random.default_rng(seed)
    adj = np.triu(rng.random((n, n)) < density, 1)
    adj = adj | adj.T
    return InteractionGraph(
        vertices=[(i, i) for i in range(n)],
        weights=rng.choice([0.5, 0.8, 1.0, 1.5], size=n),
        adjacency=adj,
        ligand_points=[],
        sites=[],
        full_size=n,
    )


def _brute_force_clique_weight(graph: InteractionGraph) -> float:
    """Independent of the QUBO: enumerate vertex subsets, keep cliques, best total weight."""
    n, best = len(graph.weights), 0.0
    for size in range(1, n + 1):
        for subset in itertools.combinations(range(n), size):
            if all(graph.adjacency[a, b] for a, b in itertools.combinations(subset, 2)):
                best = max(best, float(graph.weights[list(subset)].sum()))
    return best


@pytest.mark.parametrize(("n", "density", "seed"), [(6, 0.5, 1), (8, 0.6, 2), (10, 0.5, 3)])
def test_qaoa_clique_matches_brute_force(n, density, seed):
    graph = _random_graph(n, density, seed)
    solution = solve_clique(graph, layers=2, shots=2048, seed=seed)
    expected = _brute_force_clique_weight(graph)
    assert graph.is_clique(solution.chosen)
    assert solution.optimum_weight == pytest.approx(expected)
    assert solution.weight == pytest.approx(expected)
    assert graph.is_clique(solution.optimum)
    assert all(len(bits) == n for bits in solution.counts)  # BioQL order, one bit per vertex
    # QAOA concentrates probability: above the uniform share of the optimal states
    assert solution.probability_of_optimum > 1 / 2**n


def test_qubo_minimum_is_the_max_weight_clique():
    graph = _random_graph(7, 0.5, 11)
    h, J = qubo(graph)
    costs = cost_vector(h, J)
    best = int(np.argmin(costs))
    chosen = [i for i in range(7) if (best >> i) & 1]
    assert graph.is_clique(chosen)
    assert -costs[best] == pytest.approx(_brute_force_clique_weight(graph))


def test_qiskit_circuit_equals_vectorized_evaluator():
    from qiskit.quantum_info import Statevector

    graph = _random_graph(6, 0.5, 5)
    h, J = qubo(graph)
    gammas, betas = [0.21, 0.47], [0.61, 0.33]
    exact = qaoa_state(cost_vector(h, J), gammas, betas)
    circuit = Statevector(qaoa_circuit(h, J, gammas, betas)).data
    assert abs(np.vdot(exact, circuit)) == pytest.approx(1.0, abs=1e-9)  # same state up to phase


def test_graph_edges_need_consistent_distances_and_distinct_points():
    lig = [Point("Donor", np.zeros(3), "d"), Point("Aromatic", np.array([5.0, 0, 0]), "a")]
    sites = [
        Point("Acceptor", np.array([10.0, 0, 0]), "s1"),
        Point("Aromatic", np.array([15.0, 0, 0]), "s2"),  # 5 Å from s1, like d–a
        Point("Aromatic", np.array([10.0, 9.0, 0]), "s3"),  # 9 Å from s1: inconsistent
    ]
    graph = build_graph(lig, sites, max_vertices=16)
    assert graph.vertices == [(0, 0), (1, 1), (1, 2)]
    assert graph.adjacency[0, 1] and not graph.adjacency[0, 2]
    assert not graph.adjacency[1, 2]  # the same ligand point cannot sit on two sites


@pytest.mark.slow
def test_quantum_docking_end_to_end_on_a_small_graph():
    from bioql.docking import dock

    result = dock(
        "QAOA demo",
        ligand_smiles=LIGANDS["1ia1"],
        protein_pdb=protein("1ia1"),
        reference_ligand=crystal_ligand("1ia1"),
        backend="simulator",  # the seeds' name for it
        max_qubits=8,
        num_poses=3,
        cpu=1,
    )
    q = result.quantum
    assert result.backend == "quantum" and q["qubits"] <= 8
    assert q["clique_size"] >= 3 and q["weight"] <= q["optimum_weight"] + 1e-9
    assert q["found_optimum"] == (abs(q["weight"] - q["optimum_weight"]) < 1e-9)
    assert {"ligand", "pocket", "weight"} <= set(q["clique"][0])
    assert result.poses and all(p.rmsd is not None for p in result.poses)
    assert result.best_affinity_kcal_mol < 0  # Vina-refined pose binds
    assert result.box.contains(result.best_pose.mol.GetConformer().GetPositions(), margin=1).all()
