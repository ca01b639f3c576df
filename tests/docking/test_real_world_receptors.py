"""Receptors as users get them: dockstring's curated targets (PDBQT from its wheel, converted to
PDB with Open Babel). Every record is ATOM, residues carry Amber names (HIE, CYX, ZN5, HIZ),
hydrogens are already there. A zinc enzyme, a heme enzyme and a protein with disulfides,
a sulfotyrosine and a terminal oxygen out of place; prepared offline, repaired and reported.
benchmarks/docking/bench_receptors.py runs all 58 targets."""

from __future__ import annotations

import pytest

from bioql.docking.receptor import prepare_receptor
from bioql.docking.structure import read_pdb
from bioql.errors import BioQLDockingError

from .conftest import dockstring_target

pytestmark = pytest.mark.slow  # a few seconds per receptor; run on every CI run all the same


def _typed(pdbqt: str, atom_type: str) -> list[str]:
    return [
        ln
        for ln in pdbqt.splitlines()
        if ln.startswith(("ATOM", "HETATM")) and ln[77:79].strip() == atom_type
    ]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("dockstring")


def test_zinc_enzyme_keeps_its_zinc_written_as_atom(folder, no_network):
    pdb, box = dockstring_target("CA2", folder)
    structure = read_pdb(pdb)
    zinc = next(r for r in structure.residues if r.resname == "ZN5")
    assert zinc.atoms[0].record == "ATOM"  # how the converted file writes it
    receptor = prepare_receptor(structure, box, cache=False)
    assert receptor.kept == ["ZN :501 (metal ion, Vina atom)"]
    assert len(_typed(receptor.pdbqt, "Zn")) == 1
    assert any("ZN5 :501: read as a ZN ion" in change for change in receptor.repairs)
    # the three histidines that hold the zinc are no hydrogen-bond acceptors there
    assert "3 metal-coordinating nitrogen(s) typed N" in " ".join(receptor.notes)
    assert no_network == []


def test_heme_enzyme_keeps_heme_and_iron(folder, no_network):
    pdb, box = dockstring_target("CYP3A4", folder)
    receptor = prepare_receptor(read_pdb(pdb), box, cache=False)
    assert "HEM :915 (cofactor, prepared offline)" in receptor.kept
    assert len(_typed(receptor.pdbqt, "Fe")) == 1
    heme = [ln for ln in receptor.pdbqt.splitlines() if ln[17:20] == "HEM"]
    assert len(heme) >= 43  # 42 porphyrin heavy atoms + iron (+ none polar H: carboxylates)
    # the cysteine that binds the iron is a thiolate, with no hydrogen on its sulfur
    cym = [ln for ln in receptor.pdbqt.splitlines() if ln[17:20] == "CYM"]
    assert cym and not [ln for ln in cym if ln[12:16].strip() == "HG"]
    assert no_network == []


def test_disulfides_modified_residue_and_broken_terminus_are_repaired(folder, no_network):
    pdb, box = dockstring_target("F2", folder)
    structure = read_pdb(pdb)
    receptor = prepare_receptor(structure, box, trim=False, cache=False)
    repairs = "\n".join(receptor.repairs)
    assert "TYS :286: modified TYR, mapped to TYR" in repairs
    assert "removed atoms S, O1, O2, O3 that TYR does not have" in repairs
    assert "terminal OXT 2.02 Å from C (not bonded); placed again" in repairs
    assert "removed" in repairs and "hydrogen atoms" in repairs
    # every CYX of the file is prepared as a bridged cysteine (no HG, typed S / SA)
    cyx_in = {r.residue_id for r in structure.residues if r.resname == "CYX"}
    cyx_out = {f":{ln[22:26].strip()}" for ln in receptor.pdbqt.splitlines() if ln[17:20] == "CYX"}
    assert cyx_in and cyx_in <= cyx_out
    assert receptor.residues >= len(structure.polymer) - 1  # nothing dropped
    assert no_network == []


def test_strict_mode_refuses_at_once_and_names_the_residue(folder, no_network):
    pdb, box = dockstring_target("ADAM17", folder)
    with pytest.raises(BioQLDockingError, match=r"no offline template for HIZ") as err:
        prepare_receptor(read_pdb(pdb), box, repair=False, cache=False)
    assert "never downloads" in str(err.value) and "repair=True" in str(err.value)
    assert no_network == []
