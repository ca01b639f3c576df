"""Ligand states a medicinal chemist would accept: charge states of known drugs at pH 7.4
(tests/data/ligands/drug_charges.csv, from their measured pKa values) and every stereoisomer
of an input that leaves stereocentres open."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdkit import Chem

from bioql.docking.ligand import prepare_ligand
from bioql.docking.protonation import protonate
from bioql.docking.stereo import enumerate_stereoisomers

DRUGS = Path(__file__).resolve().parents[1] / "data" / "ligands" / "drug_charges.csv"
# dimorphite-dl's sulfonamide N-H pKa (~9) is far above sulfamethoxazole's 5.7, and no rule
# here raises a pKa it underestimates in that direction: left as a known miss.
KNOWN_MISSES = {"sulfamethoxazole"}


def _drugs() -> list[dict[str, str]]:
    with DRUGS.open() as handle:
        return list(csv.DictReader(handle))


def _charged_groups(mol: Chem.Mol) -> int:
    """Charged atoms, a nitro group's formal N+/O- pair not counted."""
    nitro = {
        i for match in mol.GetSubstructMatches(Chem.MolFromSmarts("[N+](=O)[O-]")) for i in match
    }
    return sum(1 for a in mol.GetAtoms() if a.GetFormalCharge() and a.GetIdx() not in nitro)


@pytest.mark.parametrize("drug", _drugs(), ids=lambda d: d["name"])
def test_drug_charge_state_at_ph_7_4(drug):
    if drug["name"] in KNOWN_MISSES:
        pytest.xfail("dimorphite-dl places this sulfonamide's pKa near 9")
    state = protonate(Chem.MolFromSmiles(drug["smiles"]), 7.4)
    assert state.formal_charge == int(drug["net_charge"]), state.smiles
    assert _charged_groups(state.mol) == int(drug["charged_groups"]), state.smiles


def test_imatinib_protonates_the_methylated_piperazine_nitrogen():
    imatinib = next(d for d in _drugs() if d["name"] == "imatinib")
    state = protonate(Chem.MolFromSmiles(imatinib["smiles"]), 7.4)
    (cation,) = [a for a in state.mol.GetAtoms() if a.GetFormalCharge() == 1]
    assert any(n.GetDegree() == 1 and n.GetSymbol() == "C" for n in cation.GetNeighbors())
    assert any("three bonds" in note for note in state.notes)


def test_racemic_input_docks_both_enantiomers():
    ligand = prepare_ligand("COc1cc2c(cc1OC)C(=O)C(CC1CCN(Cc3ccccc3)CC1)C2")  # donepezil
    assert len(ligand.isomers) == 2
    first, second = (Chem.MolFromSmiles(s) for s in ligand.isomers)
    tags = [Chem.FindMolChiralCenters(m) for m in (first, second)]
    assert [t[0][1] for t in tags] in (["R", "S"], ["S", "R"])  # one centre, both hands
    assert set(ligand.conformer_isomers) == {0, 1}
    for index, conformer in enumerate(ligand.conformers):  # the 3D shape is that isomer
        Chem.AssignStereochemistryFrom3D(conformer)
        embedded = _carbon_centres(Chem.RemoveHs(conformer))
        assert embedded == _carbon_centres(Chem.MolFromSmiles(ligand.isomer_of(index)))
    assert ligand.formal_charge == 1  # the piperidine, in every isomer


def _carbon_centres(mol: Chem.Mol) -> list[str]:
    """CIP labels of carbon stereocentres; a protonated amine's N (and the ring carbon it
    makes pseudo-asymmetric, lower-case label) are no real stereo of the molecule."""
    return [
        label
        for idx, label in Chem.FindMolChiralCenters(mol, useLegacyImplementation=False)
        if mol.GetAtomWithIdx(idx).GetSymbol() == "C" and label.isupper()
    ]


def test_specified_stereo_is_kept_and_the_cap_is_reported():
    assert len(prepare_ligand("C[C@H](N)C(=O)O").isomers) == 1
    open_three = enumerate_stereoisomers(Chem.MolFromSmiles("CC(O)C(N)C(C)Cl"), max_isomers=4)
    assert open_three.unspecified == 3 and len(open_three.mols) == 4
    assert any("8 stereoisomers possible, 4 docked" in note for note in open_three.notes)
    again = enumerate_stereoisomers(Chem.MolFromSmiles("CC(O)C(N)C(C)Cl"), max_isomers=4)
    assert again.smiles == open_three.smiles  # the same isomers every run


@pytest.mark.slow
def test_each_pose_says_which_isomer_it_is():
    from bioql.docking import dock

    from .conftest import crystal_ligand, protein

    result = dock(
        "Dock both hands of a small chiral amine into DHFR",
        ligand_smiles="NC(Cc1ccccc1)c1ccccn1",
        protein_pdb=protein("1ia1"),
        box_from=crystal_ligand("1ia1"),
        exhaustiveness=1,
        num_poses=6,
        cpu=1,
    )
    assert len(result.ligand.isomers) == 2
    assert {p.isomer for p in result.poses} <= set(result.ligand.isomers)
    assert len({p.isomer for p in result.poses}) == 2
    assert all(p.to_dict()["isomer"] == p.isomer for p in result.poses)
