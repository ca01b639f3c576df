"""bioql run / explain / backends / demo through Typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bioql.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_run_json():
    res = invoke("run", "Apply X to qubit 1 of 2 qubits", "--shots", "50", "--seed", "1", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["counts"] == {"01": 50} and data["shots"] == 50 and data["backend"] == "simulator"


def test_run_human_output_and_plot(tmp_path):
    plot = tmp_path / "bell.png"
    res = invoke("run", "Create a Bell state", "-b", "statevector", "--plot", str(plot))
    assert res.exit_code == 0, res.output
    assert "most likely" in res.stdout and "perfectly correlated" in res.stdout
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_run_backend_option():
    res = invoke("run", "Create a Bell state", "-o", "method=matrix_product_state", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["details"]["method"] == "matrix_product_state"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "make me a sandwich", "--json"], "BioQLParseError"),
        (["run", "Create a Bell state", "--shots", "0", "--json"], "shots"),
        (["run", "Create a Bell state", "-b", "nowhere", "--json"], "Unknown backend"),
        (["run", "Create a Bell state", "-o", "method", "--json"], "KEY=VALUE"),
        (["explain", "make me a sandwich", "--json"], "BioQLParseError"),
    ],
)
def test_errors_are_reported_as_json(args, message):
    res = invoke(*args)
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert message in data["error"] + data["type"]


def test_error_without_json_is_a_sentence_on_stderr():
    res = invoke("run", "Create a Bell state", "--shots", "-3")
    assert res.exit_code == 1
    assert "shots must be between 1" in res.stderr


def test_explain_executes_nothing_and_draws_the_circuit():
    res = invoke("explain", "Create a 3-qubit GHZ state")
    assert res.exit_code == 0, res.output
    assert "GHZ" in res.stdout and "q_2" in res.stdout  # the text diagram
    data = json.loads(invoke("explain", "Create a 3-qubit GHZ state", "--json").stdout)
    assert data["num_qubits"] == 3 and data["clifford"] is True
    assert data["gate_counts"] == {"h": 1, "cx": 2, "measure": 3}
    assert "counts" not in data


def test_explain_skips_unreadable_diagrams():
    data = json.loads(invoke("explain", "Create a 300-qubit GHZ state", "--json").stdout)
    assert data["num_qubits"] == 300 and "diagram omitted" in data["diagram"]


def test_plot_to_a_missing_folder_is_a_clear_error(tmp_path):
    res = invoke("run", "Create a Bell state", "--plot", str(tmp_path / "no" / "x.png"), "--json")
    assert res.exit_code == 1
    assert "Cannot save the plot" in json.loads(res.stdout)["error"]


def test_backends_lists_availability_and_reasons(monkeypatch, tmp_path):
    monkeypatch.delenv("IBM_QUANTUM_TOKEN", raising=False)
    monkeypatch.delenv("IONQ_API_KEY", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    data = json.loads(invoke("backends", "--json").stdout)["backends"]
    by_name = {b["name"]: b for b in data}
    assert by_name["simulator"]["available"] and by_name["statevector"]["available"]
    assert by_name["fake_brisbane"]["available"] and by_name["fake_torino"]["available"]
    assert not by_name["ibm_<device>"]["available"]
    assert "IBM_QUANTUM_TOKEN" in by_name["ibm_<device>"]["reason"]
    assert "IONQ_API_KEY" in by_name["ionq_simulator"]["reason"]
    monkeypatch.setenv("IONQ_API_KEY", "k")
    data = json.loads(invoke("backends", "--json").stdout)["backends"]
    assert {b["name"]: b for b in data}["ionq_qpu"]["available"]
    table = invoke("backends")
    assert table.exit_code == 0 and "fake_brisbane" in table.stdout


def test_demo_json():
    res = invoke("demo", "--json")
    assert res.exit_code == 0, res.output
    examples = json.loads(res.stdout)["examples"]
    assert len(examples) == 5
    assert examples[0]["most_likely"] in {"00", "11"}
    assert any(e["description"].startswith("Crea") for e in examples)
    assert all(e["interpretation"] for e in examples)
