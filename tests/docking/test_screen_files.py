"""Screening without docking: reading libraries and the resumable results store."""

from __future__ import annotations

import csv
from dataclasses import replace

import pytest
from rdkit import Chem
from rdkit.Chem import AllChem

from bioql.docking.screening import screen
from bioql.docking.screening.api import _manifest
from bioql.docking.screening.library import read_library
from bioql.docking.screening.store import (
    COLUMNS,
    DOCKED,
    FAILED,
    LigandResult,
    ResultStore,
    _sdf_record,
)
from bioql.docking.screening.worker import DockSettings
from bioql.errors import BioQLDockingError

from .conftest import protein

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


def _parts(store: ResultStore) -> list[str]:
    return sorted(p.name for p in store.results_path.iterdir())


def test_parquet_store_writes_a_part_per_batch_resumes_and_merges(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    store = ResultStore(tmp_path, SETTINGS, "parquet")
    assert store.results_path == tmp_path / "results.parquet" and store.done == {}
    store.write_batch([_docked("a", -5.0), LigandResult("bad", "C1CC", FAILED, error="syntax")])
    store.write_batch([_docked("b", -6.0)])
    assert _parts(store) == ["part-000000.parquet", "part-000001.parquet", "part-000002.parquet"]
    table = pq.read_table(store.results_path)  # the folder reads as one typed table
    assert table.column_names == list(COLUMNS)
    assert table.column("best_score_kcal_mol").to_pylist() == [-5.0, None, -6.0]
    assert table.column("pose_scores_kcal_mol").to_pylist() == [[-5.0, -4.0], [], [-6.0, -5.0]]
    # A run killed while writing its next batch: the SDF has the pose of "c", the part holding
    # its row never got its final name.
    with store.poses_path.open("a") as handle:
        handle.write(_sdf_record(_docked("c", -7.0)))
    (store.results_path / "part-000003.parquet.tmp").write_bytes(b"PAR1 torn")
    resumed = ResultStore(tmp_path, SETTINGS, "parquet")
    assert resumed.done == {"a": DOCKED, "bad": FAILED, "b": DOCKED}
    assert "part-000003.parquet.tmp" not in _parts(resumed)
    titles = [m.GetProp("_Name") for m in Chem.SDMolSupplier(str(resumed.poses_path))]
    assert titles == ["a", "b"]
    written = resumed.write_batch([_docked("c", -7.0), _docked("a", -9.0)])  # "a" is recorded
    assert [r.name for r in written] == ["c"]
    rows_before = resumed.rows()
    resumed.finish()
    assert len(_parts(resumed)) == 1
    assert resumed.rows() == rows_before
    assert [(r["name"], r["best_score_kcal_mol"], r["status"]) for r in rows_before] == [
        ("a", "-5.000", DOCKED),
        ("bad", "", FAILED),
        ("b", "-6.000", DOCKED),
        ("c", "-7.000", DOCKED),
    ]


def test_parquet_merge_interrupted_before_old_parts_are_removed_counts_nothing_twice(tmp_path):
    pytest.importorskip("pyarrow")
    store = ResultStore(tmp_path, SETTINGS, "parquet")
    store.write_batch([_docked("a", -5.0)])
    store.write_batch([_docked("b", -6.0)])
    # A merge killed after the merged part got its name, before the old parts were removed:
    store._table._write(store.rows())  # type: ignore[attr-defined]
    assert len(_parts(store)) == 4 and len(store.rows()) == 4
    resumed = ResultStore(tmp_path, SETTINGS, "parquet")
    assert resumed.done == {"a": DOCKED, "b": DOCKED}
    assert [r["name"] for r in resumed.rows()] == ["a", "b"]
    assert len(_parts(resumed)) == 1


def test_resume_continues_from_the_other_format(tmp_path):
    pytest.importorskip("pyarrow")
    csv_store = ResultStore(tmp_path, SETTINGS, "csv")
    csv_store.write_batch([_docked("a", -5.0), LigandResult("bad", "C1CC", FAILED, error="x,y")])
    as_parquet = ResultStore(tmp_path, SETTINGS, "parquet")
    assert as_parquet.done == {"a": DOCKED, "bad": FAILED}
    assert not (tmp_path / "results.csv").exists()
    as_parquet.write_batch([_docked("b", -6.0)])
    as_parquet.finish()
    back = ResultStore(tmp_path, SETTINGS, "csv")
    assert back.done == {"a": DOCKED, "bad": FAILED, "b": DOCKED}
    assert not (tmp_path / "results.parquet").exists()
    rows = list(csv.DictReader(back.results_path.open()))
    assert [(r["name"], r["pose_scores_kcal_mol"], r["error"]) for r in rows] == [
        ("a", "-5.000;-4.000", ""),
        ("bad", "", "x,y"),
        ("b", "-6.000;-5.000", ""),
    ]
    titles = [m.GetProp("_Name") for m in Chem.SDMolSupplier(str(back.poses_path))]
    assert titles == ["a", "b"]


def test_unknown_results_format_is_refused(tmp_path):
    with pytest.raises(BioQLDockingError, match="'csv' or 'parquet'"):
        ResultStore(tmp_path, SETTINGS, "xlsx")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"max_stereoisomers": 0}, "max_stereoisomers must be a positive integer"),
        ({"results_format": "xlsx"}, "'csv' or 'parquet'"),
    ],
)
def test_screen_refuses_bad_options_before_docking(option, message, tmp_path):
    with pytest.raises(BioQLDockingError, match=message):
        screen(["CCO"], protein("1ia1"), out=tmp_path / "out", progress=False, **option)
    assert not (tmp_path / "out").exists()


def test_manifest_names_max_stereoisomers_only_when_not_the_default():
    settings = DockSettings("RECEPTOR", (0.0, 0.0, 0.0), (20.0, 20.0, 20.0), 8, 9, 1, 7.4, 3, 3.0)
    assert "max_stereoisomers" not in _manifest(settings)  # folders from before the option
    assert _manifest(replace(settings, max_stereoisomers=1))["max_stereoisomers"] == 1
