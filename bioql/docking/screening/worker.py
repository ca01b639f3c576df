"""What runs in a worker process: prepare one ligand and dock it against the shared receptor.

Each worker process builds one ``Vina`` object per receptor and computes its energy maps once,
for every Vina atom type (``compute_vina_maps`` before any ligand is set), then docks every
ligand it receives against those maps. A plain loop recomputes the maps for each ligand.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdkit import Chem

from bioql.docking.ligand import parse_smiles, prepare_ligand, quiet_rdkit
from bioql.docking.screening.store import DOCKED, FAILED, LigandResult
from bioql.docking.stereo import DEFAULT_MAX_ISOMERS
from bioql.docking.vina_runner import pdbqt_to_mols
from bioql.errors import BioQLError

# Vina keeps this many poses per search before the energy range cut (as dock() does).
_SEARCH_POSES = 20
# Elements with an AutoDock/Vina ligand atom type; anything else (B, Si, Sn, metals...) cannot
# be scored, and Meeko's own message for it is a list of NaN charges.
VINA_LIGAND_ELEMENTS = frozenset({"H", "C", "N", "O", "F", "P", "S", "Cl", "Br", "I"})


@dataclass(frozen=True)
class DockSettings:
    """Everything a worker needs besides the ligand; sent to each worker once."""

    receptor_pdbqt: str
    center: tuple[float, float, float]
    size: tuple[float, float, float]
    exhaustiveness: int
    num_poses: int
    seed: int
    ph: float | None
    ring_conformers: int
    energy_range: float
    max_stereoisomers: int = DEFAULT_MAX_ISOMERS

    @property
    def key(self) -> str:
        text = f"{self.receptor_pdbqt}|{self.center}|{self.size}|{self.seed}"
        return hashlib.sha256(text.encode()).hexdigest()


# Per worker process: receptor key → Vina with its maps. A process rarely sees two receptors.
_VINAS: dict[str, Any] = {}


def dock_ligand(settings: DockSettings, name: str, smiles: str) -> LigandResult:
    """Dock one ligand; any failure of this ligand is returned as a failed result."""
    started = time.perf_counter()
    try:
        with quiet_rdkit():
            scores, molblock = _dock(settings, smiles)
    except BioQLError as exc:
        return _failed(name, smiles, str(exc), started)
    except Exception as exc:  # RDKit, Meeko and Vina raise many types; record, never stop
        return _failed(name, smiles, f"{type(exc).__name__}: {exc}", started)
    return LigandResult(
        name=name,
        smiles=smiles,
        status=DOCKED,
        best_score=scores[0],
        pose_scores=scores,
        seconds=time.perf_counter() - started,
        pose_molblock=molblock,
    )


def _dock(settings: DockSettings, smiles: str) -> tuple[list[float], str]:
    _check_elements(smiles)
    ligand = prepare_ligand(
        smiles,
        ph=settings.ph,
        max_ring_conformers=settings.ring_conformers,
        seed=settings.seed,
        max_stereoisomers=settings.max_stereoisomers,
    )
    vina = _vina_for(settings)
    poses: list[tuple[float, str]] = []  # (score, PDBQT of the pose's model)
    for pdbqt in ligand.pdbqt:  # one per ring shape; their poses are merged by score
        vina.set_ligand_from_string(pdbqt)
        vina.dock(exhaustiveness=settings.exhaustiveness, n_poses=_SEARCH_POSES)
        text = vina.poses(n_poses=settings.num_poses, energy_range=settings.energy_range)
        energies = vina.energies(n_poses=settings.num_poses, energy_range=settings.energy_range)
        best_model = text.split("ENDMDL")[0] + "ENDMDL\n"
        poses += [(float(row[0]), best_model if i == 0 else "") for i, row in enumerate(energies)]
    if not poses:
        raise BioQLError("Vina found no pose inside the box")
    poses.sort(key=lambda p: p[0])
    mol = pdbqt_to_mols(poses[0][1])[0]
    return [p[0] for p in poses[: settings.num_poses]], Chem.MolToMolBlock(mol)


def _check_elements(smiles: str) -> None:
    """The docked molecule (the largest fragment: salts are stripped) has Vina atom types."""
    mol = parse_smiles(smiles)
    unsupported = sorted({a.GetSymbol() for a in mol.GetAtoms()} - VINA_LIGAND_ELEMENTS)
    if unsupported:
        raise BioQLError(
            f"unsupported element(s) {', '.join(unsupported)}: Vina scores ligands made of "
            f"{', '.join(sorted(VINA_LIGAND_ELEMENTS))} only"
        )


def _vina_for(settings: DockSettings) -> Any:
    vina = _VINAS.get(settings.key)
    if vina is None:
        from vina import Vina

        # One thread: the parallelism is one ligand per worker process.
        vina = Vina(sf_name="vina", cpu=1, seed=settings.seed, verbosity=0)
        with tempfile.TemporaryDirectory(prefix="bioql-screen-") as tmp:
            path = Path(tmp) / "receptor.pdbqt"
            path.write_text(settings.receptor_pdbqt)
            vina.set_receptor(str(path))
        vina.compute_vina_maps(center=list(settings.center), box_size=list(settings.size))
        _VINAS.clear()
        _VINAS[settings.key] = vina
    return vina


def _failed(name: str, smiles: str, error: str, started: float) -> LigandResult:
    message = " ".join(error.split())
    return LigandResult(name, smiles, FAILED, seconds=time.perf_counter() - started, error=message)
