"""Molecular docking: RDKit + dimorphite-dl + Meeko preparation, AutoDock Vina search.

>>> from bioql.docking import dock
>>> result = dock("Redock TQ3 into DHFR", ligand_smiles="Nc1nc(N)c2c(Sc3ccccc3)cccc2n1",
...               protein_pdb="1ia1_protein.pdb", reference_ligand="1ia1_ligand.sdf")
>>> result.best_affinity_kcal_mol, result.poses[0].rmsd

``backend="quantum"`` (alias ``"simulator"``) is the binding-interaction-graph / QAOA
demonstration; the classical ``"vina"`` backend is the default.
"""

from __future__ import annotations

from bioql.docking.api import BACKENDS, DockingWarning, dock
from bioql.docking.box import Box
from bioql.docking.result import DockingResult, Pose
from bioql.docking.screening import ScreenSummary, screen

__all__ = [
    "BACKENDS",
    "Box",
    "DockingResult",
    "DockingWarning",
    "Pose",
    "ScreenSummary",
    "dock",
    "screen",
]
