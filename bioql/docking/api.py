"""``dock()``: prepare ligand and receptor, define the box, dock, score against a reference."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from bioql.docking import box as boxes
from bioql.docking.ligand import prepare_ligand, read_reference_ligand
from bioql.docking.receptor import prepare_receptor
from bioql.docking.result import DockingResult, Pose
from bioql.docking.rmsd import heavy_atom_rmsd
from bioql.docking.structure import read_pdb
from bioql.docking.vina_runner import RawPose, run_vina
from bioql.errors import BioQLDockingError

BACKENDS = {"vina": "vina", "classical": "vina", "quantum": "quantum", "simulator": "quantum"}
# Poses from different ring shapes closer than this (Å) are the same pose.
_DUPLICATE_RMSD = 1.0

Progress = Callable[[str, float], None]


class DockingWarning(UserWarning):
    """Docking ran, but a choice deserves the user's attention (blind box, dropped residue)."""


def dock(
    description: str = "",
    *,
    ligand_smiles: str | None = None,
    protein_pdb: str | Path | None = None,
    backend: str = "vina",
    reference_ligand: str | Path | None = None,
    box_from: str | Path | None = None,
    center: str | Sequence[float] | None = None,
    size: str | Sequence[float] | None = None,
    padding: float = boxes.DEFAULT_PADDING,
    exhaustiveness: int = 8,
    num_poses: int = 9,
    energy_range: float = 3.0,
    seed: int = 1,
    cpu: int = 0,
    ph: float | None = 7.4,
    ring_conformers: int = 3,
    keep_hetero: list[str] | None = None,
    remove_hetero: list[str] | None = None,
    cofactor_smiles: dict[str, str] | None = None,
    repair: bool = True,
    max_stereoisomers: int = 4,
    qaoa_layers: int = 2,
    shots: int = 2048,
    max_qubits: int = 12,
    progress: Progress | None = None,
) -> DockingResult:
    """Dock ``ligand_smiles`` into ``protein_pdb`` with AutoDock Vina.

    The box comes from, in order of precedence: ``center`` + ``size``; ``box_from`` (a ligand
    file, or a residue / hetero group in the PDB such as ``"NDP"`` or ``"TQ3:A:194"``);
    ``reference_ligand``; else the whole protein (blind docking, with a warning).
    ``reference_ligand`` also gives every pose a symmetry-aware heavy-atom RMSD.

    The receptor is repaired by default (names read, hydrogens rebuilt, missing atoms added:
    ``result.receptor.repairs`` lists every change); ``repair=False`` refuses what Meeko
    cannot match instead. Stereocentres the SMILES leaves open are enumerated (at most
    ``max_stereoisomers`` isomers) and each pose's ``isomer`` says which one it is.

    ``backend="vina"`` (default) is the classical search. ``backend="quantum"`` (alias
    ``"simulator"``) places the ligand by a binding-interaction-graph clique found with QAOA on
    Qiskit Aer, then refines and scores with Vina: a demonstration of the method, not a better
    docking engine.
    """
    started = time.perf_counter()
    report = progress or (lambda _msg, _frac: None)
    mode, ligand_smiles, protein_pdb = _check_arguments(
        backend, ligand_smiles, protein_pdb, exhaustiveness, num_poses
    )
    timings: dict[str, float] = {}
    notes: list[str] = []

    report("Reading protein", 0.0)
    structure = read_pdb(protein_pdb)
    site = boxes.make_box(
        structure,
        center=center,
        size=size,
        box_from=box_from,
        reference_ligand=reference_ligand,
        padding=padding,
    )
    box, exclude = site.box, site.exclude
    notes += site.notes
    boxes.check_pocket(box, structure)

    report("Preparing ligand (protonation, ring shapes, PDBQT)", 0.05)
    tick = time.perf_counter()
    ligand = prepare_ligand(
        ligand_smiles,
        ph=ph,
        max_ring_conformers=ring_conformers,
        seed=seed,
        max_stereoisomers=max_stereoisomers,
    )
    timings["ligand_prep_seconds"] = time.perf_counter() - tick

    report("Preparing receptor (Meeko, offline templates)", 0.12)
    tick = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        receptor = prepare_receptor(
            structure,
            box,
            exclude=exclude,
            keep_hetero=keep_hetero,
            remove_hetero=remove_hetero,
            cofactor_smiles=cofactor_smiles,
            trim=box.source != "whole protein (blind docking)",
            repair=repair,
        )
    notes += [str(w.message) for w in caught]
    timings["receptor_prep_seconds"] = time.perf_counter() - tick

    reference = read_reference_ligand(reference_ligand) if reference_ligand else None
    settings = {
        "exhaustiveness": exhaustiveness,
        "num_poses": num_poses,
        "energy_range": energy_range,
        "seed": seed,
        "ph": ph,
        "ring_conformers": len(ligand.conformers),
        "stereoisomers": len(ligand.isomers),
        "repair": repair,
        "scoring": "vina",
    }
    quantum_report = None
    if mode == "vina":
        raw, vina_timings = run_vina(
            receptor.pdbqt,
            ligand.pdbqt,
            box,
            exhaustiveness=exhaustiveness,
            num_poses=num_poses,
            seed=seed,
            cpu=cpu,
            energy_range=energy_range,
            on_step=lambda i, n: report(
                f"Docking with Vina (ring shape {min(i + 1, n)}/{n})", 0.2 + 0.75 * i / n
            ),
        )
        timings.update(vina_timings)
    else:
        from bioql.docking.quantum import quantum_dock

        raw, quantum_report, q_timings = quantum_dock(
            ligand,
            receptor,
            box,
            seed=seed,
            cpu=cpu,
            layers=qaoa_layers,
            shots=shots,
            max_qubits=max_qubits,
            num_poses=num_poses,
            on_stage=lambda msg, frac: report(msg, 0.2 + 0.75 * frac),
        )
        timings.update(q_timings)
        settings.update({"qaoa_layers": qaoa_layers, "shots": shots, "max_qubits": max_qubits})
    if not raw:
        raise BioQLDockingError(
            "Vina returned no pose inside the box. Enlarge the box (size) or check that it "
            "covers the binding site."
        )

    report("Ranking poses", 0.97)
    poses = _rank(raw, reference, num_poses, ligand.isomer_of)
    if reference is not None and poses[0].rmsd is None:
        notes.append(
            "the reference ligand is a different molecule from the docked one; no RMSD computed"
        )
    timings["total_seconds"] = time.perf_counter() - started
    for note in notes:
        warnings.warn(note, DockingWarning, stacklevel=2)
    report("Done", 1.0)
    return DockingResult(
        description=description,
        backend=mode,
        ligand=ligand,
        receptor=receptor,
        box=box,
        poses=poses,
        settings=settings,
        timings=timings,
        reference_ligand=str(reference_ligand) if reference_ligand else None,
        warnings=notes,
        quantum=quantum_report,
    )


def _check_arguments(
    backend: str,
    ligand_smiles: str | None,
    protein_pdb: str | Path | None,
    exhaustiveness: int,
    num_poses: int,
) -> tuple[str, str, str | Path]:
    """The docking mode, and the ligand and receptor now known to be given."""
    mode = BACKENDS.get(str(backend).lower())
    if mode is None:
        raise BioQLDockingError(
            f"Unknown docking backend {backend!r}. Use 'vina' (classical, default) or "
            "'quantum' (QAOA binding-interaction-graph demo; 'simulator' is an alias)."
        )
    if ligand_smiles is None:
        raise BioQLDockingError(
            "dock() needs ligand_smiles, e.g. dock('Dock aspirin', ligand_smiles="
            "'CC(=O)Oc1ccccc1C(=O)O', protein_pdb='receptor.pdb')."
        )
    if protein_pdb is None:
        raise BioQLDockingError("dock() needs protein_pdb, the path of the receptor's PDB file.")
    if not isinstance(exhaustiveness, int) or not 1 <= exhaustiveness <= 512:
        raise BioQLDockingError(f"exhaustiveness must be an integer 1-512; got {exhaustiveness!r}.")
    if not isinstance(num_poses, int) or not 1 <= num_poses <= 100:
        raise BioQLDockingError(f"num_poses must be an integer 1-100; got {num_poses!r}.")
    return mode, ligand_smiles, protein_pdb


def _rank(
    raw: list[RawPose], reference, num_poses: int, isomer_of: Callable[[int], str]
) -> list[Pose]:
    """Sort by score, merge duplicates found from different ring shapes of one stereoisomer,
    attach RMSDs and say which isomer each pose is."""
    kept: list[RawPose] = []
    for pose in sorted(raw, key=lambda p: p.affinity):
        if any(
            k.ring_shape != pose.ring_shape
            and isomer_of(k.ring_shape) == isomer_of(pose.ring_shape)
            and (heavy_atom_rmsd(pose.mol, k.mol) or 99.0) < _DUPLICATE_RMSD
            for k in kept
        ):
            continue
        kept.append(pose)
        if len(kept) == num_poses:
            break
    labels = ("total", "inter", "intra", "torsion", "intra_best_pose")
    return [
        Pose(
            rank=i + 1,
            affinity_kcal_mol=p.affinity,
            rmsd=heavy_atom_rmsd(p.mol, reference) if reference is not None else None,
            mol=p.mol,
            ring_shape=p.ring_shape,
            energies=dict(zip(labels, p.energies, strict=False)),
            isomer=isomer_of(p.ring_shape),
        )
        for i, p in enumerate(kept)
    ]
