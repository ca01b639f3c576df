"""Symmetry-aware heavy-atom RMSD between a docked pose and a reference ligand.

Poses are compared in place (no superposition), as docking success is judged. Both molecules
are reduced to their heavy-atom graph with element labels only, so a protonated docked ligand
still matches a neutral crystal ligand, and a crystal SDF with a mis-assigned bond order
matches the correct chemistry. Every graph automorphism (flipped rings, equivalent
carboxylate oxygens) is tried and the smallest RMSD is reported.
"""

from __future__ import annotations

import numpy as np
from rdkit import Chem

_MAX_MATCHES = 20000


def skeleton(mol: Chem.Mol) -> Chem.Mol:
    """Heavy atoms, single bonds, no charges, no aromatic flags, no hydrogen counts."""
    heavy = Chem.RWMol(mol)
    for idx in sorted((a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() == 1), reverse=True):
        heavy.RemoveAtom(idx)
    for atom in heavy.GetAtoms():
        atom.SetFormalCharge(0)
        atom.SetIsAromatic(False)
        atom.SetNoImplicit(True)
        atom.SetNumExplicitHs(0)
        atom.SetChiralTag(Chem.ChiralType.CHI_UNSPECIFIED)
    for bond in heavy.GetBonds():
        bond.SetBondType(Chem.BondType.SINGLE)
        bond.SetIsAromatic(False)
        bond.SetStereo(Chem.BondStereo.STEREONONE)
    out = heavy.GetMol()
    out.UpdatePropertyCache(strict=False)
    return out


def heavy_atom_rmsd(pose: Chem.Mol, reference: Chem.Mol, pose_conf: int = -1) -> float | None:
    """RMSD in Å over heavy atoms, minimum over symmetry; None if the molecules differ."""
    probe, ref = skeleton(pose), skeleton(reference)
    if probe.GetNumAtoms() != ref.GetNumAtoms():
        return None
    matches = ref.GetSubstructMatches(
        probe, uniquify=False, useChirality=False, maxMatches=_MAX_MATCHES
    )
    if not matches:
        return None
    probe_xyz = probe.GetConformer(pose_conf).GetPositions()
    ref_xyz = ref.GetConformer().GetPositions()
    mapped = ref_xyz[np.asarray(matches)]  # (n_matches, n_atoms, 3)
    msd = ((mapped - probe_xyz[None, :, :]) ** 2).sum(axis=2).mean(axis=1)
    return float(np.sqrt(msd.min()))
