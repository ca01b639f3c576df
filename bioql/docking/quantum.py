"""Quantum docking demonstration: the binding-interaction-graph (BIG) method with QAOA.

Following Banchi et al. (Sci. Adv. 2020, "Molecular docking with Gaussian boson sampling"):

1. Pharmacophore points of the ligand and of the pocket come from RDKit's feature factory
   (donor, acceptor, cation, anion, aromatic, hydrophobe). Each pocket point is moved to the
   place a partner ligand point would sit (a hydrogen-bond or contact distance out of the
   protein surface).
2. A vertex is a compatible (ligand point, pocket site) pair, weighted by interaction type.
   Two vertices are joined when they can hold at once: different ligand points, different
   sites, and the ligand-side distance equals the pocket-side distance within a tolerance.
3. A maximum-weight clique is a largest set of simultaneous interactions. It is written as a
   QUBO, ``min -Σ w_i x_i + P Σ_{non-edges} x_i x_j``, and solved with QAOA: angles are tuned
   on an exact vectorized statevector evaluator, the circuit runs on Qiskit Aer, and the best
   clique among the samples is taken. Brute force over all 2^n assignments gives the optimum
   for comparison.
4. Ligand conformers are placed rigidly (Kabsch) so their matched points land on the matched
   sites, then Vina refines (local optimization) and scores each placement.

This is a demonstration. The graph is cut to a dozen or so vertices to fit a simulator, so it
sees a small part of the pocket; the classical Vina search is the default and docks better.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rdkit import Chem
from rdkit.Chem import AllChem

from bioql.docking.box import Box
from bioql.docking.ligand import PreparedLigand, to_pdbqt
from bioql.docking.receptor import PreparedReceptor
from bioql.docking.vina_runner import RawPose, make_vina, pdbqt_to_mols
from bioql.errors import BioQLDockingError

MAX_QUBITS = 16
# Ligand family → (pocket families it pairs with, weight, contact distance in Å).
_PAIRS: dict[str, tuple[tuple[str, ...], float, float]] = {
    "Donor": (("Acceptor", "NegIonizable"), 1.0, 2.9),
    "Acceptor": (("Donor", "PosIonizable"), 1.0, 2.9),
    "PosIonizable": (("NegIonizable", "Acceptor"), 1.5, 3.0),
    "NegIonizable": (("PosIonizable", "Donor"), 1.5, 3.0),
    "Aromatic": (("Aromatic",), 0.8, 3.8),
    "Hydrophobe": (("Hydrophobe",), 0.5, 3.8),
}
_DISTANCE_TOLERANCE = 1.5  # Å: rigid-graph tolerance for a flexible ligand
_PLACEMENT_CONFORMERS = 12


@dataclass(frozen=True)
class Point:
    family: str
    xyz: np.ndarray
    label: str


@dataclass
class InteractionGraph:
    vertices: list[tuple[int, int]]  # (ligand point index, site index)
    weights: np.ndarray
    adjacency: np.ndarray  # bool, symmetric, no self loops
    ligand_points: list[Point]
    sites: list[Point]
    full_size: int  # vertices before cutting to the qubit budget

    def is_clique(self, chosen: list[int]) -> bool:
        return all(self.adjacency[i, j] for i, j in itertools.combinations(chosen, 2))


# ----------------------------------------------------------------------------- features
def _factory():
    import os

    from rdkit import RDConfig
    from rdkit.Chem import ChemicalFeatures

    return ChemicalFeatures.BuildFeatureFactory(
        os.path.join(RDConfig.RDDataDir, "BaseFeatures.fdef")
    )


def _features(mol: Chem.Mol, factory, conf_id: int = -1) -> list[tuple[str, np.ndarray, tuple]]:
    out = []
    for feat in factory.GetFeaturesForMol(mol, confId=conf_id):
        family = "Hydrophobe" if feat.GetFamily() == "LumpedHydrophobe" else feat.GetFamily()
        if family in _PAIRS:
            pos = feat.GetPos(conf_id) if conf_id >= 0 else feat.GetPos()
            out.append((family, np.array([pos.x, pos.y, pos.z]), tuple(feat.GetAtomIds())))
    return out


def ligand_points(mol: Chem.Mol, factory=None) -> list[Point]:
    factory = factory or _factory()
    return [
        Point(fam, xyz, f"ligand {fam.lower()} (atoms {','.join(map(str, atoms))})")
        for fam, xyz, atoms in _dedupe(_features(mol, factory))
    ]


def pocket_sites(receptor: PreparedReceptor, box: Box, factory=None) -> list[Point]:
    """Pocket pharmacophore points, each pushed out of the surface to where a partner sits."""
    factory = factory or _factory()
    monomers = receptor.polymer.get_valid_monomers()
    heavy = np.concatenate(
        [
            m.rdkit_mol.GetConformer().GetPositions()[
                [a.GetIdx() for a in m.rdkit_mol.GetAtoms() if a.GetAtomicNum() > 1]
            ]
            for m in monomers.values()
        ]
    )
    sites = []
    for res_id, monomer in monomers.items():
        mol = monomer.rdkit_mol
        if not box.contains(mol.GetConformer().GetPositions()).any():
            continue
        for family, xyz, _atoms in _features(mol, factory):
            partner_families = [k for k, v in _PAIRS.items() if family in v[0]]
            distance = max(_PAIRS[k][2] for k in partner_families)
            near = heavy[np.linalg.norm(heavy - xyz, axis=1) < 6.0]
            outward = xyz - near.mean(axis=0)
            norm = np.linalg.norm(outward)
            if norm < 1e-6:
                continue
            site = xyz + distance * outward / norm
            clear = np.linalg.norm(heavy - site, axis=1).min() >= 2.6
            if clear and box.contains(site[None, :])[0]:
                label = f"{monomer.input_resname} {res_id} {family.lower()}"
                sites.append(Point(family, site, label))
    return _dedupe_points(sites)


def _dedupe(features):
    seen, out = set(), []
    for fam, xyz, atoms in features:
        key = (fam, tuple(sorted(atoms)))
        if key not in seen:
            seen.add(key)
            out.append((fam, xyz, atoms))
    return out


def _dedupe_points(points: list[Point], radius: float = 1.0) -> list[Point]:
    out: list[Point] = []
    for p in points:
        if all(q.family != p.family or np.linalg.norm(q.xyz - p.xyz) > radius for q in out):
            out.append(p)
    return out


# ----------------------------------------------------------------------------- graph
def build_graph(
    lig: list[Point], sites: list[Point], max_vertices: int, tolerance: float = _DISTANCE_TOLERANCE
) -> InteractionGraph:
    """All compatible pairs and their geometric consistency, cut to ``max_vertices``."""
    vertices, weights = [], []
    for i, lp in enumerate(lig):
        partners, weight, _ = _PAIRS[lp.family]
        for j, sp in enumerate(sites):
            if sp.family in partners:
                vertices.append((i, j))
                weights.append(weight)
    n = len(vertices)
    adj = np.zeros((n, n), dtype=bool)
    for a, b in itertools.combinations(range(n), 2):
        (i1, j1), (i2, j2) = vertices[a], vertices[b]
        if i1 == i2 or j1 == j2:
            continue
        d_lig = np.linalg.norm(lig[i1].xyz - lig[i2].xyz)
        d_site = np.linalg.norm(sites[j1].xyz - sites[j2].xyz)
        adj[a, b] = adj[b, a] = abs(d_lig - d_site) <= tolerance
    w = np.array(weights, dtype=float)
    keep = _select_vertices(w, adj, max_vertices)
    return InteractionGraph(
        vertices=[vertices[k] for k in keep],
        weights=w[keep],
        adjacency=adj[np.ix_(keep, keep)],
        ligand_points=lig,
        sites=sites,
        full_size=n,
    )


def _select_vertices(w: np.ndarray, adj: np.ndarray, limit: int) -> list[int]:
    """Cut the graph to the qubit budget: grow around the vertex of largest weighted degree,
    adding the vertex most connected to those already chosen (keeps dense, clique-rich parts)."""
    n = len(w)
    if n <= limit:
        return list(range(n))
    score = w * (1 + adj.astype(float) @ w)
    chosen = [int(np.argmax(score))]
    while len(chosen) < limit:
        links = adj[:, chosen].sum(axis=1).astype(float)
        links[chosen] = -1
        pick = int(np.argmax(links * 10 + score / (score.max() + 1e-9)))
        chosen.append(pick)
    return sorted(chosen)


# ----------------------------------------------------------------------------- QUBO / QAOA
def qubo(graph: InteractionGraph) -> tuple[np.ndarray, np.ndarray]:
    """Linear terms h and upper-triangular couplings J of ``min h·x + xᵀJx``."""
    n = len(graph.weights)
    penalty = 2.0 * float(graph.weights.max()) if n else 1.0
    h = -graph.weights.copy()
    J = np.zeros((n, n))
    for i, j in itertools.combinations(range(n), 2):
        if not graph.adjacency[i, j]:
            J[i, j] = penalty
    return h, J


def bit_table(n: int) -> np.ndarray:
    """Row k holds the bits of basis state k; column i is qubit i (Qiskit's little-endian)."""
    k = np.arange(2**n, dtype=np.int64)
    return ((k[:, None] >> np.arange(n)) & 1).astype(np.float64)


def cost_vector(h: np.ndarray, J: np.ndarray) -> np.ndarray:
    bits = bit_table(len(h))
    return bits @ h + np.einsum("ki,ij,kj->k", bits, J, bits)


def qaoa_state(costs: np.ndarray, gammas, betas) -> np.ndarray:
    """Exact QAOA statevector: |+>^n, then e^{-iγC} and e^{-iβΣX} per layer."""
    n = int(np.log2(len(costs)))
    state = np.full(len(costs), 2 ** (-n / 2), dtype=complex)
    for gamma, beta in zip(gammas, betas, strict=True):
        state = state * np.exp(-1j * gamma * costs)
        c, s = np.cos(beta), -1j * np.sin(beta)
        for q in range(n):  # e^{-iβX} on qubit q: mix amplitudes that differ in bit q only
            view = state.reshape(-1, 2, 2**q)
            a, b = view[:, 0, :].copy(), view[:, 1, :].copy()
            view[:, 0, :] = c * a + s * b
            view[:, 1, :] = s * a + c * b
    return state


def optimize_angles(costs: np.ndarray, layers: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from scipy.optimize import minimize

    scale = np.abs(costs).max() or 1.0
    scaled = costs / scale

    def energy(x):
        state = qaoa_state(scaled, x[:layers], x[layers:])
        return float(np.real(np.vdot(state, scaled * state)))

    rng = np.random.default_rng(seed)
    starts = [np.concatenate([np.linspace(0.1, 0.8, layers), np.linspace(0.7, 0.1, layers)])]
    starts += [rng.uniform(0, np.pi, 2 * layers) for _ in range(2)]
    best = min(
        (minimize(energy, x0, method="COBYLA", options={"maxiter": 200}) for x0 in starts),
        key=lambda r: r.fun,
    )
    return best.x[:layers] / scale, best.x[layers:]


def qaoa_circuit(h: np.ndarray, J: np.ndarray, gammas, betas):
    """The same QAOA as ``qaoa_state``, as a Qiskit circuit (RZ/RZZ cost, RX mixer)."""
    from qiskit import QuantumCircuit

    n = len(h)
    qc = QuantumCircuit(n)
    qc.h(range(n))
    # x = (1 - Z)/2 turns h·x + xᵀJx into Σ a_i Z_i + Σ b_ij Z_i Z_j + const.
    a = -h / 2 - (J.sum(axis=1) + J.sum(axis=0)) / 4
    for gamma, beta in zip(gammas, betas, strict=True):
        for i in range(n):
            if abs(a[i]) > 1e-12:
                qc.rz(2 * gamma * a[i], i)
        for i, j in zip(*np.nonzero(J), strict=True):
            qc.rzz(2 * gamma * J[i, j] / 4, int(i), int(j))
        qc.rx(2 * beta, range(n))
    return qc


@dataclass
class CliqueSolution:
    chosen: list[int]  # vertex indices of the clique QAOA found
    weight: float
    optimum: list[int]  # brute-force best clique
    optimum_weight: float
    probability_of_optimum: float  # in the QAOA state
    counts: dict[str, int]  # BioQL bit order (qubit 0 leftmost)
    gammas: list[float]
    betas: list[float]
    qubits: int


def solve_clique(
    graph: InteractionGraph, layers: int = 2, shots: int = 2048, seed: int = 1
) -> CliqueSolution:
    """Max-weight clique by QAOA on Aer, and by brute force for comparison."""
    from qiskit import transpile
    from qiskit_aer import AerSimulator

    from bioql.circuits.qiskit import to_display_counts

    n = len(graph.weights)
    if n == 0:
        raise BioQLDockingError(
            "The binding-interaction graph is empty: no ligand feature has a compatible pocket "
            "site in the box. Check the box covers the pocket, or use backend='vina'."
        )
    if n > MAX_QUBITS:
        raise BioQLDockingError(f"max_qubits must be at most {MAX_QUBITS}; got {n}.")
    h, J = qubo(graph)
    costs = cost_vector(h, J)
    best_state = int(np.argmin(costs))
    gammas, betas = optimize_angles(costs, layers, seed)
    probs = np.abs(qaoa_state(costs, gammas, betas)) ** 2
    qc = qaoa_circuit(h, J, gammas, betas)
    qc.measure_all()
    sim = AerSimulator(seed_simulator=seed)
    counts = to_display_counts(sim.run(transpile(qc, sim), shots=shots).result().get_counts())
    chosen, weight = [], 0.0
    for bits in counts:
        picked = [i for i, b in enumerate(bits) if b == "1"]
        w = float(graph.weights[picked].sum())
        if graph.is_clique(picked) and w > weight:
            chosen, weight = picked, w
    optimum = [i for i in range(n) if (best_state >> i) & 1]
    optimal_states = np.isclose(costs, costs[best_state])
    return CliqueSolution(
        chosen=chosen,
        weight=weight,
        optimum=optimum,
        optimum_weight=float(graph.weights[optimum].sum()),
        probability_of_optimum=float(probs[optimal_states].sum()),
        counts=counts,
        gammas=[float(g) for g in gammas],
        betas=[float(b) for b in betas],
        qubits=n,
    )


# ----------------------------------------------------------------------------- placement
def _kabsch(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Rotation R and translation t with R·src + t ≈ dst, and the fit RMSD."""
    cs, cd = src.mean(axis=0), dst.mean(axis=0)
    u, _s, vt = np.linalg.svd((src - cs).T @ (dst - cd))
    d = np.sign(np.linalg.det(vt.T @ u.T))
    rot = vt.T @ np.diag([1, 1, d]) @ u.T
    t = cd - rot @ cs
    fit = np.sqrt(((src @ rot.T + t - dst) ** 2).sum(axis=1).mean())
    return rot, t, float(fit)


def _placements(ligand: PreparedLigand, graph: InteractionGraph, clique: list[int], seed: int):
    """Ligand conformers moved so their clique points sit on the clique sites, best fits first."""
    mol = Chem.Mol(ligand.mol)
    params = AllChem.ETKDGv3()
    params.randomSeed = seed
    AllChem.EmbedMultipleConfs(mol, numConfs=_PLACEMENT_CONFORMERS, params=params)
    factory = _factory()
    site_xyz = np.array([graph.sites[graph.vertices[v][1]].xyz for v in clique])
    families = [graph.ligand_points[graph.vertices[v][0]] for v in clique]
    fits = []
    for conf in mol.GetConformers():
        points = ligand_points(Chem.Mol(mol, confId=conf.GetId()), factory)
        by_label = {p.label: p.xyz for p in points}
        src = np.array([by_label[p.label] for p in families])
        rot, t, fit = _kabsch(src, site_xyz)
        xyz = conf.GetPositions() @ rot.T + t
        placed = Chem.Mol(mol, confId=conf.GetId())
        pconf = placed.GetConformer()
        for k, row in enumerate(xyz):
            pconf.SetAtomPosition(k, row.tolist())
        fits.append((fit, placed))
    fits.sort(key=lambda item: item[0])
    return fits


def quantum_dock(
    ligand: PreparedLigand,
    receptor: PreparedReceptor,
    box: Box,
    *,
    seed: int = 1,
    cpu: int = 0,
    layers: int = 2,
    shots: int = 2048,
    max_qubits: int = 12,
    num_poses: int = 9,
    on_stage: Callable[[str, float], None] | None = None,
) -> tuple[list[RawPose], dict, dict[str, float]]:
    stage = on_stage or (lambda _m, _f: None)
    if not 3 <= max_qubits <= MAX_QUBITS:
        raise BioQLDockingError(f"max_qubits must be between 3 and {MAX_QUBITS}; got {max_qubits}.")
    timings: dict[str, float] = {}
    tick = time.perf_counter()
    stage("Pharmacophore points of ligand and pocket", 0.0)
    factory = _factory()
    lig = ligand_points(ligand.mol, factory)
    sites = pocket_sites(receptor, box, factory)
    graph = build_graph(lig, sites, max_qubits)
    timings["graph_seconds"] = time.perf_counter() - tick

    tick = time.perf_counter()
    stage(f"QAOA max-weight clique on Aer ({len(graph.weights)} qubits)", 0.2)
    solution = solve_clique(graph, layers=layers, shots=shots, seed=seed)
    timings["qaoa_seconds"] = time.perf_counter() - tick
    if len(solution.chosen) < 3:
        raise BioQLDockingError(
            f"QAOA found a clique of {len(solution.chosen)} interaction(s); at least 3 are needed "
            "to place the ligand. Try more qubits (max_qubits), more layers, or backend='vina'."
        )

    tick = time.perf_counter()
    stage("Placing ligand on the clique; Vina refinement and scoring", 0.6)
    poses = _refine(ligand, receptor, box, graph, solution.chosen, seed, cpu, num_poses)
    timings["refine_seconds"] = time.perf_counter() - tick
    stage("Quantum docking done", 1.0)
    report = _report(graph, solution, layers, shots)
    return poses, report, timings


def _refine(ligand, receptor, box, graph, clique, seed, cpu, num_poses) -> list[RawPose]:
    poses = []
    with tempfile.TemporaryDirectory(prefix="bioql-qdock-") as tmp:
        vina = make_vina(receptor.pdbqt, seed, cpu, Path(tmp))
        vina.set_ligand_from_string(ligand.pdbqt[0])
        vina.compute_vina_maps(center=list(box.center), box_size=list(box.size))
        for fit, placed in _placements(ligand, graph, clique, seed)[:num_poses]:
            text, _ = to_pdbqt(placed)
            vina.set_ligand_from_string(text)
            vina.optimize()
            out = Path(tmp) / "pose.pdbqt"
            vina.write_pose(str(out), overwrite=True)
            e = [float(x) for x in vina.score()]
            # score() columns → the energies() layout used by classical poses.
            energies = [e[0], e[1] + e[2] + e[3], e[4] + e[5], e[6], e[7]]
            mol = pdbqt_to_mols(out.read_text())[0]
            mol.SetProp("clique_fit_rmsd", f"{fit:.2f}")
            poses.append(RawPose(energies[0], energies, mol, 0))
    return poses


def _report(graph: InteractionGraph, sol: CliqueSolution, layers: int, shots: int) -> dict:
    def describe(chosen):
        return [
            {
                "ligand": graph.ligand_points[graph.vertices[v][0]].label,
                "pocket": graph.sites[graph.vertices[v][1]].label,
                "weight": float(graph.weights[v]),
            }
            for v in chosen
        ]

    return {
        "method": "binding-interaction graph, max-weight clique by QAOA (Qiskit Aer)",
        "ligand_points": len(graph.ligand_points),
        "pocket_sites": len(graph.sites),
        "graph_vertices_full": graph.full_size,
        "qubits": sol.qubits,
        "layers": layers,
        "shots": shots,
        "clique": describe(sol.chosen),
        "clique_size": len(sol.chosen),
        "weight": sol.weight,
        "optimum_weight": sol.optimum_weight,
        "optimum_clique": describe(sol.optimum),
        "found_optimum": bool(np.isclose(sol.weight, sol.optimum_weight)),
        "probability_of_optimum": round(sol.probability_of_optimum, 4),
        "gammas": sol.gammas,
        "betas": sol.betas,
    }
