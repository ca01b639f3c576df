"""``bioql run`` with VQE and MaxCut requests: human output, --json and --plot."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bioql.cli import app

runner = CliRunner()


def test_run_maxcut_json() -> None:
    res = runner.invoke(app, ["run", "MaxCut for the edges 0-1, 1-2, 2-0, 2-3", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["kind"] == "qaoa" and data["optimum"] == 3 and data["backend"] == "statevector"
    assert data["reading"] == "Solve MaxCut for the edges 0-1, 0-2, 1-2, 2-3 with QAOA of depth 1."


def test_run_vqe_prints_the_comparison_and_plots(tmp_path) -> None:
    plot = tmp_path / "h2.png"
    res = runner.invoke(
        app, ["run", "Estima la energía de H2 a 0.74 Å con VQE", "--plot", str(plot)]
    )
    assert res.exit_code == 0, res.output
    assert "exact" in res.stdout and "(FCI)" in res.stdout and "chemical accuracy" in res.stdout
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_run_bad_request_is_a_clear_error() -> None:
    res = runner.invoke(app, ["run", "energy of H2 at -1 Å", "--json"])
    assert res.exit_code != 0
    assert "positive distance" in res.output


def test_explain_shows_the_reading_without_computing() -> None:
    res = runner.invoke(
        app, ["explain", "agua con un espacio activo de 4 electrones en 4 orbitales"]
    )
    assert res.exit_code == 0, res.output
    assert "active space of 4 electrons in 4 orbitals" in " ".join(res.stdout.split())
    res = runner.invoke(app, ["explain", "energy of LiH at 1.6 Å", "--json"])
    data = json.loads(res.stdout)
    assert (data["kind"], data["molecule"], data["bond_length"]) == ("vqe", "LiH", 1.6)
    assert data["reading"].startswith("Estimate the ground-state energy of LiH at 1.6 Å")
