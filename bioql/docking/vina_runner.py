"""AutoDock Vina through its Python API: energy maps for this ligand, then docking.

One ``Vina`` object per ``dock`` call, so the energy maps are always computed for the atom
types of the ligand being docked (never reused from another ligand). The ring shapes of one
ligand share atom types, so they share the maps.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdkit import Chem

from bioql.docking.box import Box
from bioql.errors import BioQLDockingError


@dataclass
class RawPose:
    affinity: float  # kcal/mol, Vina's total score
    energies: list[float]  # total, inter, intra, torsion, intra of best pose
    mol: Chem.Mol  # single-conformer RDKit molecule with hydrogens
    ring_shape: int  # which ligand ring conformer it came from


def make_vina(receptor_pdbqt: str, seed: int, cpu: int, workdir: Path):
    from vina import Vina

    path = workdir / "receptor.pdbqt"
    path.write_text(receptor_pdbqt)
    vina = Vina(sf_name="vina", cpu=cpu, seed=seed, verbosity=0)
    vina.set_receptor(str(path))
    return vina


def run_vina(
    receptor_pdbqt: str,
    ligand_pdbqts: list[str],
    box: Box,
    *,
    exhaustiveness: int,
    num_poses: int,
    seed: int,
    cpu: int = 0,
    energy_range: float = 3.0,
    on_step: Callable[[int, int], None] | None = None,
) -> tuple[list[RawPose], dict[str, float]]:
    """Dock every ring shape; return all poses (unsorted) and the time spent per stage."""
    timings = {"maps_seconds": 0.0, "search_seconds": 0.0}
    poses: list[RawPose] = []
    with tempfile.TemporaryDirectory(prefix="bioql-vina-") as tmp:
        vina = make_vina(receptor_pdbqt, seed, cpu, Path(tmp))
        for i, ligand in enumerate(ligand_pdbqts):
            if on_step:
                on_step(i, len(ligand_pdbqts))
            vina.set_ligand_from_string(ligand)
            if i == 0:
                start = time.perf_counter()
                vina.compute_vina_maps(center=list(box.center), box_size=list(box.size))
                timings["maps_seconds"] += time.perf_counter() - start
            start = time.perf_counter()
            try:
                vina.dock(exhaustiveness=exhaustiveness, n_poses=max(20, num_poses))
            except (RuntimeError, ValueError) as exc:
                raise BioQLDockingError(f"Vina failed while docking: {exc}") from None
            timings["search_seconds"] += time.perf_counter() - start
            text = vina.poses(n_poses=num_poses, energy_range=energy_range)
            energies = vina.energies(n_poses=num_poses, energy_range=energy_range)
            for mol, row in zip(pdbqt_to_mols(text), energies, strict=True):
                poses.append(RawPose(float(row[0]), [float(x) for x in row], mol, i))
    if on_step:
        on_step(len(ligand_pdbqts), len(ligand_pdbqts))
    return poses, timings


def pdbqt_to_mols(text: str) -> list[Chem.Mol]:
    """Vina's multi-model PDBQT → one RDKit molecule (with hydrogens) per pose, via Meeko."""
    from meeko import PDBQTMolecule, RDKitMolCreate

    pdbqt_mol = PDBQTMolecule(text, skip_typing=True)
    mols = RDKitMolCreate.from_pdbqt_mol(pdbqt_mol)
    if not mols or mols[0] is None:
        raise BioQLDockingError("Could not rebuild the docked poses as molecules (Meeko).")
    mol = mols[0]
    return [Chem.Mol(mol, confId=conf.GetId()) for conf in mol.GetConformers()]
