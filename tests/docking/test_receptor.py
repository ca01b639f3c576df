"""Receptor preparation offline: cofactors kept through our own templates, waters and far
groups removed with reasons, unknown groups in the pocket refused with a way forward."""

from __future__ import annotations

import pytest

from bioql.docking.box import box_from_ligand_file
from bioql.docking.receptor import prepare_receptor
from bioql.docking.structure import read_pdb
from bioql.errors import BioQLDockingError

from .conftest import LIGANDS, crystal_ligand, ligand_hetatm_lines, protein, write_pdb


def _atoms(pdbqt: str, resname: str) -> list[str]:
    return [
        ln
        for ln in pdbqt.splitlines()
        if ln.startswith(("ATOM", "HETATM")) and ln[17:20] == resname
    ]


def test_cofactor_nadph_is_kept_with_types_and_polar_hydrogens():
    structure = read_pdb(protein("1ia1"))
    box = box_from_ligand_file(crystal_ligand("1ia1"))
    receptor = prepare_receptor(structure, box)
    assert receptor.kept == ["NDP B:195 (cofactor, prepared offline)"]
    ndp = _atoms(receptor.pdbqt, "NDP")
    types = {line[77:79].strip() for line in ndp}
    assert len([ln for ln in ndp if ln[77:79].strip() != "HD"]) == 48  # every heavy atom
    assert {"OA", "NA", "P", "HD", "A"} <= types  # acceptors, adenine N, phosphorus, donors
    removed = "\n".join(receptor.removed)
    # The other chain's copies are farther than Vina's cutoff: removed, with the distance.
    assert "TQ3 A:194" in removed and "NDP A:193" in removed and "8 Å cutoff" in removed


def test_receptor_without_cofactor_when_asked():
    structure = read_pdb(protein("1ia1"))
    box = box_from_ligand_file(crystal_ligand("1ia1"))
    receptor = prepare_receptor(structure, box, remove_hetero=["NDP"])
    assert receptor.kept == []
    assert _atoms(receptor.pdbqt, "NDP") == []
    assert any("NDP B:195: removed as requested" in r for r in receptor.removed)


def test_protein_only_receptor_has_all_residues_near_the_box():
    structure = read_pdb(protein("1s3v"))
    box = box_from_ligand_file(crystal_ligand("1s3v"))
    receptor = prepare_receptor(structure, box, trim=False)
    assert receptor.residues == len(structure.polymer) == 186  # nothing dropped
    assert receptor.kept == [] and receptor.removed == []
    donors = [ln for ln in receptor.pdbqt.splitlines() if ln.rstrip().endswith("HD")]
    assert len(donors) > 200  # polar hydrogens added by Meeko


def test_trimming_keeps_every_atom_within_reach_of_the_box():
    structure = read_pdb(protein("1uou"))
    box = box_from_ligand_file(crystal_ligand("1uou"))
    trimmed = prepare_receptor(structure, box)
    assert trimmed.trimmed_residues > 0
    kept = {
        (ln[21], ln[22:26].strip()) for ln in trimmed.pdbqt.splitlines() if ln.startswith("ATOM")
    }
    for res in structure.polymer:
        if box.contains(res.coords, margin=8.0).any():  # Vina's interaction cutoff
            assert (res.chain, str(res.resseq)) in kept


def test_waters_are_removed_and_counted(tmp_path):
    water = [
        "HETATM 9990  O   HOH W 501      10.000  36.000  18.000  1.00  0.00           O",
        "HETATM 9991  O   HOH W 502      40.000  36.000  18.000  1.00  0.00           O",
    ]
    path = write_pdb(tmp_path / "wet.pdb", "1ia1", water)
    receptor = prepare_receptor(read_pdb(path), box_from_ligand_file(crystal_ligand("1ia1")))
    assert receptor.waters_removed == 2
    assert _atoms(receptor.pdbqt, "HOH") == []


def test_unknown_group_in_pocket_is_refused_with_a_way_forward(tmp_path):
    path = write_pdb(tmp_path / "holo.pdb", "1ia1", ligand_hetatm_lines("1ia1", "XYZ"))
    structure = read_pdb(path)
    box = box_from_ligand_file(crystal_ligand("1ia1"))
    with pytest.raises(BioQLDockingError) as err:
        prepare_receptor(structure, box)
    message = str(err.value)
    assert "XYZ B:300" in message and "cofactor_smiles" in message and "remove_hetero" in message
    # either way forward works
    kept = prepare_receptor(structure, box, cofactor_smiles={"XYZ": LIGANDS["1ia1"]})
    assert "XYZ B:300 (cofactor, prepared offline)" in kept.kept
    assert len(_atoms(kept.pdbqt, "XYZ")) >= 19
    dropped = prepare_receptor(structure, box, remove_hetero=["XYZ"])
    assert _atoms(dropped.pdbqt, "XYZ") == []


def test_cofactor_smiles_that_does_not_match_the_atoms_is_explained(tmp_path):
    path = write_pdb(tmp_path / "holo.pdb", "1ia1", ligand_hetatm_lines("1ia1", "XYZ"))
    box = box_from_ligand_file(crystal_ligand("1ia1"))
    with pytest.raises(BioQLDockingError, match="do not match the cofactor SMILES"):
        prepare_receptor(read_pdb(path), box, cofactor_smiles={"XYZ": "c1ccccc1"})
