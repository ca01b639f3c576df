"""``screen()`` and ``bioql screen`` on real docking: bad ligands, resume after a kill, a real
Dask cluster losing a worker, the report and the JSON summary.

Small ligands, exhaustiveness 1 and a 14 Å box keep each ligand under a second of search.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdkit import Chem
from rdkit.Chem.MolStandardize.rdMolStandardize import Uncharger
from typer.testing import CliRunner

from bioql.cli import app
from bioql.docking import dock
from bioql.docking.screening import screen

from .conftest import crystal_ligand, protein

pytestmark = pytest.mark.slow

GOOD = {
    "phenol": "Oc1ccccc1",
    "aniline": "Nc1ccccc1",
    "pyridinol": "Oc1ccncc1",
    "toluene": "Cc1ccccc1",
    "benzamide": "NC(=O)c1ccccc1",
    "catechol": "Oc1ccccc1O",
}
BAD = {
    "broken": "c1ccccc1(",  # not SMILES
    "chloride": "[Cl-]",  # a single ion
    "stannane": "C[Sn](C)(C)C.[Na+]",  # tin: no Vina atom type (the salt is stripped)
}
OPTIONS = dict(box_from=str(crystal_ligand("1ia1")), size="14,14,14", exhaustiveness=1, num_poses=3)


def _library(path: Path, ligands: dict[str, str]) -> Path:
    path.write_text("".join(f"{smiles} {name}\n" for name, smiles in ligands.items()))
    return path


def _center() -> str:
    mol = Chem.MolFromMolFile(str(crystal_ligand("1ia1")))
    return ",".join(f"{v:.3f}" for v in mol.GetConformer().GetPositions().mean(axis=0))


def _rows(out: Path) -> list[dict[str, str]]:
    with (out / "results.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def _recorded(out: Path) -> list[str]:
    """Names of the ligands recorded in ``out``, from results.csv or the Parquet parts (only
    whole ones: a part still being written has a temporary name)."""
    if (out / "results.csv").is_file():
        return [r["name"] for r in _rows(out)]
    import pyarrow.parquet as pq

    parts = sorted((out / "results.parquet").glob("part-*.parquet"))
    return [name for part in parts for name in pq.read_table(part).column("name").to_pylist()]


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    """One local-pool screen of good and bad ligands, shared by the tests that inspect it."""
    out = tmp_path_factory.mktemp("screen") / "out"
    library = _library(out.parent / "lib.smi", {**GOOD, **BAD})
    options = {**OPTIONS, "center": _center()}
    options.pop("box_from")
    summary = screen(library, protein("1ia1"), workers=1, out=out, progress=False, **options)
    return summary, out, library, options


def test_bad_ligands_are_recorded_with_their_error_and_the_screen_goes_on(screened):
    summary, out, _library_path, _options = screened
    assert (summary.ligands, summary.docked, summary.failed, summary.skipped) == (9, 6, 3, 0)
    rows = {r["name"]: r for r in _rows(out)}
    assert set(rows) == set(GOOD) | set(BAD)
    assert {n for n, r in rows.items() if r["status"] == "failed"} == set(BAD)
    assert "not valid SMILES" in rows["broken"]["error"]
    assert "fewer than two heavy atoms" in rows["chloride"]["error"]
    assert rows["stannane"]["error"].startswith("unsupported element(s) Sn:")
    for name in GOOD:
        scores = [float(s) for s in rows[name]["pose_scores_kcal_mol"].split(";")]
        assert float(rows[name]["best_score_kcal_mol"]) == scores[0] == min(scores) < 0
        assert 1 <= len(scores) <= 3


def test_best_poses_sdf_has_one_pose_per_docked_ligand_inside_the_box(screened):
    summary, _out, _library_path, options = screened
    poses = list(Chem.SDMolSupplier(summary.poses, removeHs=False))
    assert sorted(m.GetProp("_Name") for m in poses) == sorted(GOOD)
    center = [float(v) for v in options["center"].split(",")]
    for mol in poses:
        offset = mol.GetConformer().GetPositions().mean(axis=0) - center
        assert max(abs(offset)) < 7.0  # half the box edge
        docked = Uncharger().uncharge(Chem.RemoveHs(mol))  # protonated at pH 7.4 for docking
        given = Chem.MolFromSmiles(GOOD[mol.GetProp("_Name")])
        assert Chem.MolToSmiles(docked) == Chem.MolToSmiles(given)


def test_screen_scores_match_dock_with_the_same_settings(screened):
    """Maps computed once for all atom types give the same search as dock()'s own maps."""
    _summary, out, _library_path, options = screened
    result = dock(ligand_smiles=GOOD["benzamide"], protein_pdb=protein("1ia1"), cpu=1, **options)
    row = next(r for r in _rows(out) if r["name"] == "benzamide")
    assert float(row["best_score_kcal_mol"]) == pytest.approx(
        result.best_affinity_kcal_mol, abs=1e-3
    )


def test_report_ranks_draws_and_links_poses(screened):
    summary, out, _library_path, _options = screened
    page = Path(summary.report).read_text()
    ranked = sorted(
        (r for r in _rows(out) if r["status"] == "docked"),
        key=lambda r: float(r["best_score_kcal_mol"]),
    )
    assert [t["name"] for t in summary.top] == [r["name"] for r in ranked]
    positions = [page.index(f">{r['name']}<br>") for r in ranked]
    assert positions == sorted(positions)  # the table is in score order
    assert page.count("<svg") == 1 + len(GOOD)  # histogram + one drawing per ligand
    for link in ("results.csv", "best_poses.sdf", "receptor.pdbqt", "top_poses/001_"):
        assert f'href="{link}' in page
    first = next((out / "top_poses").glob("001_*.sdf"))
    assert Chem.MolFromMolFile(str(first)).GetProp("_Name") == ranked[0]["name"]
    assert "not valid SMILES" in page  # failures listed with their error


def test_cli_json_resumes_and_adds_only_new_ligands(screened):
    _summary, out, library, options = screened
    grown = _library(library.with_name("grown.smi"), {**GOOD, **BAD, "anisole": "COc1ccccc1"})
    args = ["screen", str(grown), "--protein", str(protein("1ia1")), "--out", str(out)]
    args += ["--center", options["center"], "--size", "14,14,14", "-e", "1", "-n", "3"]
    result = CliRunner().invoke(app, [*args, "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert {k: summary[k] for k in ("ligands", "docked", "failed", "skipped")} == {
        "ligands": 10,
        "docked": 1,
        "failed": 0,
        "skipped": 9,
    }
    assert Path(summary["results"]) == out / "results.csv"
    assert Path(summary["report"]).is_file()
    assert [r["name"] for r in _rows(out)].count("anisole") == 1


def test_cli_parquet_results_resume_the_csv_ones_and_read_as_one_table(screened, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    _summary, out, _library_path, options = screened
    copy = tmp_path / "out"
    shutil.copytree(out, copy)  # the CSV results of the shared screen (and of other tests)
    before = set(_recorded(copy))
    ligands = {**GOOD, **BAD, "cresol": "Cc1ccc(O)cc1"}
    args = ["screen", str(_library(tmp_path / "grown.smi", ligands))]
    args += ["--protein", str(protein("1ia1")), "--out", str(copy)]
    args += ["--center", options["center"], "--size", "14,14,14", "-e", "1", "-n", "3"]
    result = CliRunner().invoke(app, [*args, "--workers", "1", "--format", "parquet", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["docked"], summary["failed"], summary["skipped"]) == (1, 0, 9)
    assert Path(summary["results"]) == copy / "results.parquet"
    assert not (copy / "results.csv").exists()
    table = pd.read_parquet(summary["results"])
    assert sorted(table["name"]) == sorted(before | set(ligands))
    assert table["best_score_kcal_mol"].dtype == "float64"
    assert table.set_index("name")["status"]["broken"] == "failed"
    assert 'href="results.parquet"' in Path(summary["report"]).read_text()
    bad = CliRunner().invoke(app, [*args, "--format", "xlsx", "--json"])
    assert "'csv' or 'parquet'" in json.loads(bad.output)["error"]


def test_cli_refuses_other_settings_in_the_same_folder(screened):
    _summary, out, library, options = screened
    args = ["screen", str(library), "--protein", str(protein("1ia1")), "--out", str(out)]
    args += ["--center", options["center"], "--size", "14,14,14", "-e", "2", "-n", "3"]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 1
    assert "exhaustiveness: 1 then, 2 now" in json.loads(result.output)["error"]


_KILLABLE_RUN = """
import sys
from bioql.docking.screening import screen
screen(sys.argv[1], sys.argv[2], workers=1, out=sys.argv[3], progress=False,
       center=sys.argv[4], size="14,14,14", exhaustiveness=1, num_poses=3,
       results_format=sys.argv[5])
"""


@pytest.mark.parametrize("results_format", ["csv", "parquet"])
def test_resume_after_the_run_is_killed_loses_and_repeats_nothing(tmp_path, results_format):
    if results_format == "parquet":
        pytest.importorskip("pyarrow")
    names = {f"{name}_{i}": smiles for i in range(2) for name, smiles in GOOD.items()}
    library = _library(tmp_path / "lib.smi", names)
    out = tmp_path / "out"
    argv = [sys.executable, "-c", _KILLABLE_RUN, str(library), str(protein("1ia1")), str(out)]
    run = subprocess.Popen([*argv, _center(), results_format], start_new_session=True)
    try:
        _wait_for(lambda: (out / "screen.json").is_file() and len(_recorded(out)) >= 2, run)
    finally:
        os.killpg(run.pid, signal.SIGKILL)  # the driver and its worker processes
        run.wait()
    before = len(_recorded(out))  # whole rows or parts
    assert 2 <= before < len(names), "the run must be killed mid-screen"
    summary = screen(
        library,
        protein("1ia1"),
        workers=1,
        out=out,
        progress=False,
        center=_center(),
        size="14,14,14",
        exhaustiveness=1,
        num_poses=3,
        results_format=results_format,
    )
    assert summary.skipped == before and summary.docked == len(names) - before
    assert Path(summary.results).name == f"results.{results_format}"
    assert sorted(_recorded(out)) == sorted(names)  # each ligand exactly once
    poses = [m.GetProp("_Name") for m in Chem.SDMolSupplier(summary.poses)]
    assert sorted(poses) == sorted(names)


def _wait_for(condition, process: subprocess.Popen, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the screen ended before it could be killed"
        assert time.monotonic() < deadline, "no result was written in time"
        time.sleep(0.2)


@pytest.fixture
def dask_cluster(tmp_path):
    """A real Dask cluster on 127.0.0.1: a scheduler and two single-threaded worker processes
    without nannies (a killed worker stays dead). Yields the address and the worker processes."""
    scheduler_file = tmp_path / "scheduler.json"
    common = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    scheduler = subprocess.Popen(
        [
            *dask,
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(scheduler_file),
        ],
        **common,
    )
    worker_cli = [sys.executable, "-m", "distributed.cli.dask_worker"]
    workers = [
        subprocess.Popen(
            [
                *worker_cli,
                "--scheduler-file",
                str(scheduler_file),
                "--nthreads",
                "1",
                "--no-nanny",
                "--host",
                "127.0.0.1",
                "--name",
                f"w{i}",
                "--no-dashboard",
            ],
            **common,
        )
        for i in range(2)
    ]
    try:
        _wait_for(scheduler_file.is_file, scheduler, timeout=60)
        address = json.loads(scheduler_file.read_text())["address"]
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, workers
    finally:
        for process in [*workers, scheduler]:
            process.kill()
            process.wait()


def test_cluster_worker_killed_mid_run_loses_nothing_counts_nothing_twice(dask_cluster, tmp_path):
    address, workers = dask_cluster
    names = {f"{name}_{i}": smiles for i in range(2) for name, smiles in GOOD.items()}
    killed_at = []

    def kill_one_worker(done: int, total: int) -> None:
        if done >= 1 and not killed_at:
            workers[0].kill()  # SIGKILL while both workers hold ligands
            killed_at.append(done)

    summary = screen(
        _library(tmp_path / "lib.smi", names),
        protein("1ia1"),
        cluster=address,
        out=tmp_path / "out",
        progress=kill_one_worker,
        center=_center(),
        size="14,14,14",
        exhaustiveness=1,
        num_poses=3,
    )
    assert killed_at and killed_at[0] < len(names)
    assert workers[0].wait(timeout=10) == -signal.SIGKILL
    assert (summary.docked, summary.failed, summary.skipped) == (len(names), 0, 0)
    assert sorted(_recorded(tmp_path / "out")) == sorted(names)
    assert summary.workers == 2
