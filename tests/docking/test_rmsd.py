"""Symmetry-aware RMSD that ignores charge and bond-order differences."""

from __future__ import annotations

import numpy as np
import pytest
from rdkit import Chem
from rdkit.Chem import AllChem

from bioql.docking.rmsd import heavy_atom_rmsd

from .conftest import crystal_ligand


def _embedded(smiles: str) -> Chem.Mol:
    mol = Chem.AddHs(Chem.MolFromSmiles(smiles))
    AllChem.EmbedMolecule(mol, randomSeed=7)
    return mol


def test_same_coordinates_give_zero_and_a_shift_gives_the_shift():
    mol = _embedded("CC(=O)Nc1ccc(O)cc1")
    assert heavy_atom_rmsd(mol, mol) == pytest.approx(0.0, abs=1e-9)
    moved = Chem.Mol(mol)
    conf = moved.GetConformer()
    for i in range(moved.GetNumAtoms()):
        p = conf.GetAtomPosition(i)
        conf.SetAtomPosition(i, (p.x + 1.5, p.y, p.z))
    assert heavy_atom_rmsd(moved, mol) == pytest.approx(1.5, abs=1e-6)


def test_symmetric_ring_flip_costs_nothing():
    mol = _embedded("Cc1ccccc1")  # toluene: ortho and meta carbons swap under a ring flip
    flipped = Chem.Mol(mol)
    conf = flipped.GetConformer()
    xyz = mol.GetConformer().GetPositions()
    ring = [a.GetIdx() for a in mol.GetAtoms() if a.GetIsAromatic()]
    # reflect the coordinates of ortho/meta pairs: atoms 2<->6 and 3<->5 in SMILES order
    for a, b in ((ring[1], ring[5]), (ring[2], ring[4])):
        conf.SetAtomPosition(a, xyz[b].tolist())
        conf.SetAtomPosition(b, xyz[a].tolist())
    naive = np.sqrt(
        (
            (conf.GetPositions() - xyz)[
                [a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() > 1]
            ]
            ** 2
        )
        .sum(1)
        .mean()
    )
    assert naive > 0.5
    assert heavy_atom_rmsd(flipped, mol) == pytest.approx(0.0, abs=1e-6)


def test_protonation_and_crystal_bond_orders_are_ignored():
    crystal = Chem.MolFromMolFile(str(crystal_ligand("1s3v")))  # sp3 C2: a bond-order error
    charged = Chem.MolFromSmiles("COc1cc(N(C)C[C@@H]2CCc3nc(N)[nH+]c(N)c3C2)cc(OC)c1OC")
    match = Chem.RemoveHs(crystal).GetSubstructMatch(Chem.MolFromSmarts("*"))  # sanity
    assert match
    # give the charged, correctly aromatic molecule the crystal's coordinates
    skeleton_map = _map_by_graph(charged, crystal)
    conf = Chem.Conformer(charged.GetNumAtoms())
    xyz = crystal.GetConformer().GetPositions()
    for i, j in enumerate(skeleton_map):
        conf.SetAtomPosition(i, xyz[j].tolist())
    charged.AddConformer(conf, assignId=True)
    assert heavy_atom_rmsd(charged, crystal) == pytest.approx(0.0, abs=1e-6)


def test_different_molecule_gives_none():
    assert heavy_atom_rmsd(_embedded("CCO"), _embedded("CCN")) is None


def _map_by_graph(a: Chem.Mol, b: Chem.Mol) -> tuple[int, ...]:
    from bioql.docking.rmsd import skeleton

    return skeleton(b).GetSubstructMatch(skeleton(a))
