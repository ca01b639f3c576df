"""Screening without docking: reading libraries and the resumable results store."""

from __future__ import annotations

import csv

import pytest
from rdkit import Chem
from rdkit.Chem import AllChem

from bioql.docking.screening.library import read_library
from bioql.docking.screening.store import DOCKED, FAILED, LigandResult, ResultStore
from bioql.errors import BioQLDockingError

SETTINGS = {"exhaustiveness": 4, "seed": 1, "receptor_sha256": "abc"}


def test_smi_file_with_header_comments_and_missing_names(tmp_path):
    path = tmp_path / "lib.smi"
    path.write_text("smiles name\n# a comment\nc1ccccc1O phenol\n\nCCO\tethanol\nCC(=O)O\n")
    entries = read_library(path)
    assert [(e.name, e.smiles) for e in entries] == [
        ("phenol", "c1ccccc1O"),
        ("ethanol", "CCO"),
        ("lib_6", "CC(=O)O"),  # unnamed: file stem and line number, stable across runs
    ]


def test_csv_columns_found_by_name_in_any_case(tmp_path):
    path = tmp_path / "lib.csv"
    path.write_text("ID,MW,SMILES\nZ1,94,c1ccccc1O\nZ2,46,CCO\n")
    assert [(e.name, e.smiles) for e in read_library(path)] == [
        ("Z1", "c1ccccc1O"),
        ("Z2", "CCO"),
    ]


def test_csv_without_smiles_column_says_what_to_name_it(tmp_path):
    path = tmp_path / "lib.csv"
    path.write_text("id,structure\nZ1,CCO\n")
    with pytest.raises(BioQLDockingError, match=r"no SMILES column.*'smiles'"):
        read_library(path)


def test_sdf_unreadable_record_becomes_an_entry_with_its_error(tmp_path):
    good = Chem.MolFromSmiles("c1ccccc1O")
    good.SetProp("_Name", "phenol")
    block = Chem.MolToMolBlock(good)
    lines = block.split("\n")
    lines[3] = lines[3][:3] + "  9" + lines[3][6:]  # promises more bonds than it lists
    broken = "\n".join(lines)
    path = tmp_path / "lib.sdf"
    path.write_text(block + "$$$$\n" + broken + "$$$$\n" + block + "$$$$\n")
    entries = read_library(path)
    assert [e.name for e in entries] == ["phenol", "lib_2", "phenol#2"]
    assert entries[0].smiles == "Oc1ccccc1" and not entries[0].error
    assert "SDF record 2" in entries[1].error and not entries[1].smiles


def test_iterables_of_smiles_pairs_and_molecules():
    mol = Chem.MolFromSmiles("CCN")
    mol.SetProp("_Name", "ethylamine")
    entries = read_library(["CCO", ("c1ccccc1", "benzene"), mol, "CCO"])
    assert [e.name for e in entries] == ["ligand_1", "benzene", "ethylamine", "ligand_4"]


def test_repeated_names_get_numbered_without_colliding():
    entries = read_library([("C", "a"), ("CC", "a"), ("CCC", "a#2")])
    assert [e.name for e in entries] == ["a", "a#2", "a#2#2"]


@pytest.mark.parametrize(
    ("ligands", "message"),
    [
        ("missing.smi", "does not exist"),
        ([], "empty"),
        ([42], "SMILES strings, \\(SMILES, name\\) pairs"),
        (3.5, "a file .* or an iterable"),
    ],
)
def test_bad_libraries_are_named(ligands, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(BioQLDockingError, match=message):
        read_library(ligands)


def test_unsupported_file_format_lists_the_supported_ones(tmp_path):
    path = tmp_path / "lib.mol2"
    path.write_text("x")
    with pytest.raises(BioQLDockingError, match=r"\.smi.*\.sdf"):
        read_library(path)


def _docked(name: str, score: float) -> LigandResult:
    mol = Chem.AddHs(Chem.MolFromSmiles("CCO"))
    AllChem.EmbedMolecule(mol, randomSeed=1)
    block = Chem.MolToMolBlock(mol)
    return LigandResult(name, "CCO", DOCKED, score, [score, score + 1], 1.0, "", block)


def test_store_resume_cuts_a_torn_line_and_resyncs_poses(tmp_path):
    store = ResultStore(tmp_path, SETTINGS)
    store.write_batch([_docked("a", -5.0), LigandResult("bad", "C1CC", FAILED, error="syntax")])
    # A run killed mid-batch: the pose of "b" reached the SDF (and "c" half of it), the row
    # of "b" only half the CSV.
    body = _docked("b", -6.0).pose_molblock.split("\n", 1)[1]
    with store.poses_path.open("a") as handle:
        handle.write("b\n" + body + "$$$$\nc\n" + body[:40])
    with store.results_path.open("a") as handle:
        handle.write("b,CCO,dock")
    resumed = ResultStore(tmp_path, SETTINGS)
    assert resumed.done == {"a": DOCKED, "bad": FAILED}
    assert resumed.results_path.read_text().endswith("syntax\n")
    titles = [m.GetProp("_Name") for m in Chem.SDMolSupplier(str(resumed.poses_path))]
    assert titles == ["a"]
    resumed.write_batch([_docked("b", -6.0), _docked("a", -9.0)])  # "a" is already recorded
    rows = list(csv.DictReader(resumed.results_path.open()))
    assert [(r["name"], r["best_score_kcal_mol"]) for r in rows] == [
        ("a", "-5.000"),
        ("bad", ""),
        ("b", "-6.000"),
    ]
    poses = list(Chem.SDMolSupplier(str(resumed.poses_path)))
    assert [(m.GetProp("_Name"), m.GetProp("score_kcal_mol")) for m in poses] == [
        ("a", "-5.000"),
        ("b", "-6.000"),
    ]


def test_store_refuses_to_mix_settings(tmp_path):
    ResultStore(tmp_path, SETTINGS)
    with pytest.raises(BioQLDockingError, match="exhaustiveness: 4 then, 8 now"):
        ResultStore(tmp_path, {**SETTINGS, "exhaustiveness": 8})
