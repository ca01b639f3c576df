"""quantum(): description → result, the shots/backend rule, argument errors, the result API."""

from __future__ import annotations

import json

import pytest

import bioql
from bioql.errors import BioQLBackendError, BioQLCredentialsError, BioQLValueError
from bioql.language import compile_description
from bioql.result import QuantumResult
from bioql.runtime import execute, quantum
from tests.backends.programs import bell, ghz


def test_quantum_is_exported_lazily_and_returns_a_result():
    result = bioql.quantum("Create a Bell state", shots=500, seed=1)
    assert isinstance(result, QuantumResult)
    assert set(result.counts) == {"00", "11"} and sum(result.counts.values()) == 500
    assert result.backend == "simulator" and result.shots == 500
    assert result.description == "Create a Bell state"
    assert "Bell" in result.interpretation


def test_conventions_end_to_end():
    assert quantum("Apply X to qubit 1 of 2 qubits", shots=64).counts == {"01": 64}
    qpe = quantum("Quantum phase estimation of phase 0.375 with 3 counting qubits", seed=1)
    assert qpe.most_likely == "011"


def test_shots_stated_in_the_description_are_used_unless_passed():
    text = "Create a Bell state and run it 2000 times"
    assert quantum(text, seed=1).shots == 2000
    assert quantum(text, shots=300, seed=1).shots == 300
    assert quantum(text, shots=1024, seed=1).shots == 1024  # explicit, even if equal to default
    assert quantum("Create a Bell state", seed=1).shots == 1024


def test_backend_stated_in_the_description_is_used_unless_passed(monkeypatch, tmp_path):
    monkeypatch.delenv("IBM_QUANTUM_TOKEN", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    text = "Create a Bell state and run it 2000 times on IBM Brisbane"
    assert compile_description(text).backend == "ibm_brisbane"
    with pytest.raises(BioQLCredentialsError, match="IBM_QUANTUM_TOKEN"):
        quantum(text)
    assert quantum(text, backend="simulator", seed=1).backend == "simulator"


def test_precompiled_program_is_accepted():
    program = compile_description("Create a 3-qubit GHZ state")
    assert set(quantum(program, shots=10, seed=1).counts) <= {"000", "111"}
    assert execute(program, "statevector").probabilities == pytest.approx({"000": 0.5, "111": 0.5})


@pytest.mark.parametrize("shots", [0, -5, 1.5, True, "100", 10**9])
def test_bad_shots(shots):
    with pytest.raises(BioQLValueError, match="shots"):
        quantum("Create a Bell state", shots=shots)


@pytest.mark.parametrize("seed", [-1, 2.5, "7", 2**40])
def test_bad_seed(seed):
    with pytest.raises(BioQLValueError, match="seed"):
        execute(bell(), seed=seed)


def test_bad_description_and_backend():
    with pytest.raises(BioQLValueError, match="description must be text"):
        quantum(42)
    with pytest.raises(BioQLBackendError, match=r"Unknown backend 'aws_braket'.*simulator"):
        quantum("Create a Bell state", backend="aws_braket")


def test_unknown_option_is_rejected_before_running():
    with pytest.raises(BioQLValueError, match=r"Unknown option\(s\) shotz.*Valid options: method"):
        quantum("Create a Bell state", shotz=10)


def test_result_api():
    result = execute(ghz(3), "simulator", shots=400, seed=2)
    assert result.most_likely in {"000", "111"}
    assert result.probabilities == {k: v / 400 for k, v in result.counts.items()}
    assert not result.exact
    assert result.depth == 3 and result.gate_counts == {"h": 1, "cx": 2}
    assert set(result.timing) == {
        "compile_seconds", "transpile_seconds", "execute_seconds", "total_seconds",
    }  # fmt: skip
    text = str(result)
    assert "outcome" in text and "000" in text and result.interpretation in text


def test_to_dict_is_json_round_trippable():
    result = quantum("Create a Bell state", backend="statevector", shots=100, seed=3)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["counts"] == result.counts
    assert data["probabilities"] == pytest.approx({"00": 0.5, "11": 0.5})
    assert data["probabilities_exact"] is True
    assert data["backend"] == "statevector" and data["shots"] == 100
    assert data["most_likely"] == result.most_likely
    assert data["qasm"].startswith("OPENQASM 3")
    assert data["steps"][0]["kind"] == "bell"


def test_qasm3_parses_back_to_the_same_circuit():
    pytest.importorskip("qiskit_qasm3_import")
    from qiskit import qasm3
    from qiskit.quantum_info import Operator

    result = quantum("Apply H to qubit 0, then CNOT from 0 to 1, then T on qubit 1", seed=1)
    loaded = qasm3.loads(result.qasm)
    bare = [c.remove_final_measurements(inplace=False) for c in (loaded, result.circuit)]
    assert Operator(bare[0]).equiv(Operator(bare[1]))
    assert loaded.count_ops()["measure"] == 2


def test_plot_writes_a_png(tmp_path):
    result = quantum("Create a 3-qubit GHZ state", seed=1)
    path = tmp_path / "hist.png"
    fig = result.plot(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["000", "111"]
    assert result.plot() is not None  # without a path: returns the figure, writes nothing
