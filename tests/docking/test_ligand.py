"""Ligand preparation: protonation and its sanity rules, charges, ring shapes, PDBQT."""

from __future__ import annotations

import pytest
from rdkit import Chem

from bioql.docking.ligand import prepare_ligand
from bioql.docking.protonation import protonate
from bioql.errors import BioQLDockingError


def _pdbqt_charges(text: str) -> list[float]:
    return [float(line[70:76]) for line in text.splitlines() if line.startswith(("ATOM", "HETATM"))]


def test_carboxylic_acid_is_charged_and_partial_charges_sum_to_it():
    ligand = prepare_ligand("OC(=O)c1ccccc1")
    assert ligand.formal_charge == -1
    assert "[O-]" in ligand.smiles
    charges = _pdbqt_charges(ligand.pdbqt[0])
    assert sum(charges) == pytest.approx(-1.0, abs=0.02)  # Gasteiger charges, H merged
    assert min(charges) < -0.4  # the carboxylate oxygens carry the charge


def test_amine_is_protonated_and_neutral_ligand_sums_to_zero():
    assert prepare_ligand("CCN(CC)CC").formal_charge == 1
    aromatic = prepare_ligand("Nc1nc(N)c2c(Sc3ccccc3)cccc2n1")
    assert aromatic.formal_charge == 0
    assert sum(_pdbqt_charges(aromatic.pdbqt[0])) == pytest.approx(0.0, abs=0.02)


def test_odd_states_from_dimorphite_are_reverted_and_reported():
    # dimorphite-dl deprotonates paracetamol's phenol and both uracil N-H of tipiracil.
    paracetamol = protonate(Chem.MolFromSmiles("CC(=O)Nc1ccc(O)cc1"))
    assert paracetamol.formal_charge == 0
    assert any("phenol" in note for note in paracetamol.notes)
    thymine = protonate(Chem.MolFromSmiles("Cc1c[nH]c(=O)[nH]c1=O"))
    assert thymine.formal_charge == 0
    tipiracil = protonate(Chem.MolFromSmiles("N=C1CCCN1Cc1[nH]c(=O)[nH]c(=O)c1Cl"))
    # amidinium + one uracil anion (5-Cl and the cation lower its pKa), never a dianion
    assert tipiracil.formal_charge == 0
    charges = sorted(a.GetFormalCharge() for a in tipiracil.mol.GetAtoms() if a.GetFormalCharge())
    assert charges == [-1, 1]


def test_nitrophenol_stays_deprotonated():
    # an electron-withdrawing group brings the phenol pKa to ~7: the anion is legitimate
    assert protonate(Chem.MolFromSmiles("Oc1ccc(cc1)[N+](=O)[O-]")).formal_charge == -1


def test_flexible_ring_gets_several_distinct_ring_shapes():
    # trans written out: an unspecified cis/trans pair would also be enumerated (two isomers)
    ligand = prepare_ligand("OC(=O)[C@H]1CC[C@@H](CC1)c1ccccc1", max_ring_conformers=3)
    assert ligand.flexible_rings == 1
    assert 2 <= len(ligand.conformers) <= 3
    assert len(ligand.pdbqt) == len(ligand.conformers)
    first, second = (c.GetConformer().GetPositions() for c in ligand.conformers[:2])
    assert abs(first - second).max() > 0.5  # really different shapes, not copies


def test_rigid_aromatic_ligand_gets_one_shape():
    ligand = prepare_ligand("c1ccc2ccccc2c1")
    assert ligand.flexible_rings == 0
    assert len(ligand.conformers) == 1


def test_salt_is_stripped_and_noted():
    ligand = prepare_ligand("CCCC(=O)O.[Na+]")
    assert "Na" not in ligand.smiles
    assert any("largest fragment" in note for note in ligand.notes)


def test_ph_none_keeps_input_state():
    assert prepare_ligand("CCN(CC)CC", ph=None).formal_charge == 0


@pytest.mark.parametrize("smiles", ["C1CC", "c1cccc1", "not a smiles", ""])
def test_bad_smiles_is_a_clear_error(smiles):
    with pytest.raises(BioQLDockingError, match=r"SMILES|ligand_smiles"):
        prepare_ligand(smiles)
