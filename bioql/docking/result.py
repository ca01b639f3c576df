"""What ``dock`` returns: poses with scores (and RMSD to a reference), the box, the preparation
report and timings; plus saving, a readable summary and a JSON-ready dict."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdkit import Chem

from bioql.docking.box import Box
from bioql.docking.ligand import PreparedLigand
from bioql.docking.receptor import PreparedReceptor
from bioql.errors import BioQLDockingError


@dataclass
class Pose:
    rank: int
    affinity_kcal_mol: float
    rmsd: float | None  # heavy-atom Å to the reference ligand, None without one
    mol: Chem.Mol
    ring_shape: int = 0
    energies: dict[str, float] = field(default_factory=dict)
    isomer: str = ""  # SMILES of the stereoisomer docked (several when the input left stereo open)

    def to_sdf(self) -> str:
        """One SDF record with the score (and RMSD) as data fields."""
        mol = Chem.Mol(self.mol)
        mol.SetProp("_Name", f"pose_{self.rank}")
        mol.SetProp("affinity_kcal_mol", f"{self.affinity_kcal_mol:.3f}")
        if self.isomer:
            mol.SetProp("isomer_smiles", self.isomer)
        if self.rmsd is not None:
            mol.SetProp("rmsd_to_reference", f"{self.rmsd:.3f}")
        return Chem.MolToMolBlock(mol) + _sdf_props(mol) + "$$$$\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "affinity_kcal_mol": round(self.affinity_kcal_mol, 3),
            "rmsd": None if self.rmsd is None else round(self.rmsd, 3),
            "ring_shape": self.ring_shape,
            "isomer": self.isomer,
            "energies": {k: round(v, 3) for k, v in self.energies.items()},
        }


def _sdf_props(mol: Chem.Mol) -> str:
    names = ("affinity_kcal_mol", "rmsd_to_reference", "isomer_smiles")
    return "".join(f"> <{n}>\n{mol.GetProp(n)}\n\n" for n in names if mol.HasProp(n))


@dataclass
class DockingResult:
    description: str
    backend: str
    ligand: PreparedLigand
    receptor: PreparedReceptor
    box: Box
    poses: list[Pose]
    settings: dict[str, Any]
    timings: dict[str, float]
    reference_ligand: str | None = None
    warnings: list[str] = field(default_factory=list)
    quantum: dict[str, Any] | None = None  # the clique search report for backend="quantum"

    @property
    def best_affinity_kcal_mol(self) -> float:
        return self.poses[0].affinity_kcal_mol

    @property
    def best_pose(self) -> Pose:
        return self.poses[0]

    def best_rmsd(self, top: int = 3) -> float | None:
        """Smallest RMSD among the ``top`` best-scored poses (redocking success measure)."""
        values = [p.rmsd for p in self.poses[:top] if p.rmsd is not None]
        return min(values) if values else None

    def poses_sdf(self) -> str:
        return "".join(p.to_sdf() for p in self.poses)

    def save(self, directory: str | Path) -> dict[str, Path]:
        """Write ``poses.sdf``, ``receptor.pdbqt`` and ``result.json`` into ``directory``.

        Files are written under temporary names and renamed at the end, so a failure leaves
        no partial output behind.
        """
        out = Path(directory)
        created = not out.exists()
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BioQLDockingError(f"Cannot create output folder {str(out)!r}: {exc}.") from None
        contents = {
            "poses.sdf": self.poses_sdf(),
            "receptor.pdbqt": self.receptor.pdbqt,
            "result.json": json.dumps(self.to_dict(), indent=2) + "\n",
        }
        staged: list[tuple[str, Path]] = []
        try:
            for name, text in contents.items():
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out)
                with os.fdopen(fd, "w") as handle:
                    handle.write(text)
                staged.append((tmp, out / name))
            for tmp, final in staged:
                os.replace(tmp, final)
        except OSError as exc:
            for tmp, _ in staged:
                Path(tmp).unlink(missing_ok=True)
            if created:
                _remove_if_empty(out)
            raise BioQLDockingError(f"Could not write results to {str(out)!r}: {exc}.") from None
        return {name: out / name for name in contents}

    def to_dict(self) -> dict[str, Any]:
        data = {
            "description": self.description,
            "backend": self.backend,
            "best_affinity_kcal_mol": round(self.best_affinity_kcal_mol, 3),
            "best_rmsd_top3": _round(self.best_rmsd(3)),
            "reference_ligand": self.reference_ligand,
            "poses": [p.to_dict() for p in self.poses],
            "box": self.box.to_dict(),
            "ligand": self.ligand.to_dict(),
            "receptor": self.receptor.to_dict(),
            "settings": dict(self.settings),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "warnings": list(self.warnings),
        }
        if self.quantum is not None:
            data["quantum"] = self.quantum
        return data

    def _repr_html_(self) -> str:
        """Jupyter's display: the pose table and a 3D view of the best pose (bioql.display)."""
        from bioql.display import docking_html

        return docking_html(self)

    def __str__(self) -> str:
        lines = [
            f"Docking ({self.backend}) of {self.ligand.smiles}",
            f"  box: {self.box}",
            f"  receptor: {self.receptor.residues} residues, {self.receptor.atoms} atoms; "
            f"kept {', '.join(self.receptor.kept) or 'no hetero groups'}",
        ]
        if self.quantum is not None:
            q = self.quantum
            lines.append(
                f"  quantum clique: {q['clique_size']} matched pairs, weight {q['weight']:.2f} "
                f"(brute-force optimum {q['optimum_weight']:.2f}, {q['qubits']} qubits)"
            )
        header = "  rank  affinity (kcal/mol)" + ("   RMSD (Å)" if self.reference_ligand else "")
        lines.append(header)
        for pose in self.poses:
            row = f"  {pose.rank:>4}  {pose.affinity_kcal_mol:>19.2f}"
            if self.reference_ligand:
                row += f"   {pose.rmsd:>8.2f}" if pose.rmsd is not None else "        -"
            lines.append(row)
        lines.append(f"  time: {self.timings.get('total_seconds', 0.0):.1f} s")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _remove_if_empty(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()
