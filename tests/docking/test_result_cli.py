"""DockingResult (poses, SDF, save, dict, text) and `bioql dock` on a real run."""

from __future__ import annotations

import json

from rdkit import Chem
from typer.testing import CliRunner

from bioql.cli import app

from .conftest import LIGANDS, crystal_ligand, protein


def test_result_fields(ia1_result):
    r = ia1_result
    assert r.best_affinity_kcal_mol == r.poses[0].affinity_kcal_mol
    assert [p.rank for p in r.poses] == list(range(1, len(r.poses) + 1))
    assert all(p.rmsd is not None and p.rmsd >= 0 for p in r.poses)
    assert r.timings["total_seconds"] >= r.timings["search_seconds"] > 0
    assert r.settings["exhaustiveness"] == 4
    assert r.ligand.smiles and r.receptor.atoms > 1000


def test_pose_sdf_round_trips_with_scores(ia1_result):
    pose = ia1_result.poses[0]
    mol = Chem.MolFromMolBlock(pose.to_sdf(), removeHs=False)
    assert mol is not None and mol.GetNumHeavyAtoms() == 19
    suppl = Chem.SDMolSupplier()
    suppl.SetData(pose.to_sdf(), removeHs=False)
    record = next(iter(suppl))
    assert float(record.GetProp("affinity_kcal_mol")) == round(pose.affinity_kcal_mol, 3)
    assert float(record.GetProp("rmsd_to_reference")) == round(pose.rmsd, 3)


def test_save_writes_poses_receptor_and_json(ia1_result, tmp_path):
    paths = ia1_result.save(tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "poses.sdf",
        "receptor.pdbqt",
        "result.json",
    ]
    poses = [m for m in Chem.SDMolSupplier(str(paths["poses.sdf"])) if m is not None]
    assert len(poses) == len(ia1_result.poses)
    assert "NDP" in paths["receptor.pdbqt"].read_text()
    data = json.loads(paths["result.json"].read_text())
    assert data["best_affinity_kcal_mol"] == round(ia1_result.best_affinity_kcal_mol, 3)


def test_dict_and_text(ia1_result):
    data = json.loads(json.dumps(ia1_result.to_dict()))
    assert {"best_affinity_kcal_mol", "poses", "box", "ligand", "receptor", "timings"} <= set(data)
    assert {"affinity_kcal_mol", "rmsd", "rank"} <= set(data["poses"][0])
    assert "NDP B:195" in data["receptor"]["kept_hetero"][0]
    text = str(ia1_result)
    assert "affinity (kcal/mol)" in text and "RMSD" in text and "NDP B:195" in text


def test_cli_dock_json_and_out(tmp_path):
    out = tmp_path / "run"
    result = CliRunner().invoke(
        app,
        [
            "dock",
            "Redock TQ3",
            "--ligand-smiles",
            LIGANDS["1ia1"],
            "--protein",
            str(protein("1ia1")),
            "--reference-ligand",
            str(crystal_ligand("1ia1")),
            "--exhaustiveness",
            "2",
            "--num-poses",
            "3",
            "--cpu",
            "1",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data["best_affinity_kcal_mol"], float)
    assert len(data["poses"]) <= 3 and data["poses"][0]["rmsd"] is not None
    assert set(data["saved"]) == {"poses.sdf", "receptor.pdbqt", "result.json"}
    assert (out / "poses.sdf").exists()


def test_cli_text_output_with_explicit_box():
    result = CliRunner().invoke(
        app,
        [
            "dock",
            "-l",
            "c1ccccc1O",
            "-p",
            str(protein("1ia1")),
            "--center",
            "10.1,36.0,18.4",
            "--size",
            "16,16,16",
            "-e",
            "1",
            "-n",
            "2",
            "--cpu",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # Rich wraps long lines
    assert "affinity (kcal/mol)" in text and "explicit center and size" in text
