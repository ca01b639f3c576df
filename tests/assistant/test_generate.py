"""The template provider: requests in English and Spanish become validated, runnable code."""

from __future__ import annotations

import pytest

from bioql.assistant.api import get_assistant
from bioql.assistant.checking.validate import validate
from bioql.calls import find_calls
from bioql.language import compile_description


@pytest.fixture(scope="module")
def assistant():
    return get_assistant("template")


@pytest.mark.parametrize(
    ("request_text", "description", "backend", "shots"),
    [
        (
            "Create a Bell state and run it 2000 times on IBM Brisbane",
            "Create a Bell state",
            "ibm_brisbane",
            2000,
        ),
        (
            "Crea un estado GHZ de cinco qubits con dos mil disparos en el simulador",
            "Create a 5-qubit GHZ state",
            "simulator",
            2000,
        ),
        (
            "please run a 4 qubit qft on fake_torino",
            "Apply the QFT to 4 qubits",
            "fake_torino",
            1024,
        ),
        (
            "Grover search for 101 with 500 shots using the statevector backend",
            "Run Grover search for 101",
            "statevector",
            500,
        ),
        (
            "Ejecuta Bernstein-Vazirani con la cadena secreta 1011 en el simulador de IonQ",
            "Run Bernstein-Vazirani with secret 1011",
            "ionq_simulator",
            1024,
        ),
        (
            "estimate the phase 3/8 with three counting qubits",
            "Estimate the phase 0.375 with 3 counting qubits",
            "simulator",
            1024,
        ),
        ("Creat a bel state por favor", "Create a Bell state", "simulator", 1024),
    ],
)
def test_named_constructs(assistant, request_text, description, backend, shots):
    answer = assistant.generate(request_text)
    assert answer.valid and answer.source == "fallback" and answer.error is None
    (call,) = find_calls(answer.code)
    assert (call.kwargs["backend"], call.kwargs["shots"]) == (backend, shots)
    # the code states the language's canonical reading of the request: the same circuit
    written, expected = compile_description(call.args[0]), compile_description(description)
    assert list(written.gates()) == list(expected.gates()) and written.measured == expected.measured
    assert answer.interpreted_as == [written.reading]
    assert validate(answer.code, prompt=request_text).ok
    assert request_text not in answer.code.replace(description, "")


def test_gate_lists_go_through_the_compiler(assistant):
    answer = assistant.generate(
        "Apply H to qubit 0, then CNOT from 0 to 1, measure all, with 300 shots please"
    )
    (call,) = find_calls(answer.code)
    assert call.args[0] == "H on qubit 0, then CNOT with control 0 and target 1"
    assert call.kwargs["shots"] == 300


def test_reasoning_is_derived_from_the_compiled_circuit(assistant):
    answer = assistant.generate("Create a 3-qubit GHZ state on fake_brisbane")
    assert "3 qubit(s)" in answer.reasoning
    assert "2×CX" in answer.reasoning and "1×H" in answer.reasoning
    assert "noise model" in answer.reasoning
    assert (
        assistant.generate("Create a Bell state", include_reasoning=False).to_dict(
            include_reasoning=False
        )["reasoning"]
        == ""
    )


def test_multi_step_loops_and_comparisons(assistant):
    sizes = find_calls(assistant.generate("Create GHZ states on 2, 3 and 4 qubits").code)
    programs = [compile_description(c.args[0]) for c in sizes]
    assert [(p.kinds, p.num_qubits) for p in programs] == [(["ghz"], n) for n in (2, 3, 4)]
    compare = assistant.generate(
        "Compare a Bell state on the simulator and on fake_brisbane with 1000 shots"
    )
    assert [c.kwargs["backend"] for c in find_calls(compare.code)] == ["simulator", "fake_brisbane"]
    assert "total variation distance" in compare.code
    shots = find_calls(assistant.generate("Run a Bell state with 100, 1000 and 10000 shots").code)
    assert [c.kwargs["shots"] for c in shots] == [100, 1000, 10000]


def test_interpreted_as_states_each_call_in_order(assistant):
    answer = assistant.generate("Create GHZ states on 2 and 3 qubits")
    programs = [compile_description(reading) for reading in answer.interpreted_as]
    assert [(p.kinds, p.num_qubits) for p in programs] == [(["ghz"], 2), (["ghz"], 3)]
    assert answer.to_dict()["interpreted_as"] == answer.interpreted_as
    docking = assistant.generate("Dock aspirin into 1s3v.pdb")
    assert docking.interpreted_as == ["dock CC(=O)OC1=CC=CC=C1C(=O)O into 1s3v.pdb"]


def test_docking(assistant):
    answer = assistant.generate(
        "Dock aspirin into 1s3v.pdb with a 20 Å box centered at (1.5, -2, 3)"
    )
    (call,) = find_calls(answer.code)
    assert call.func == "dock" and call.kwargs["protein_pdb"] == "1s3v.pdb"
    assert call.kwargs["ligand_smiles"] == "CC(=O)OC1=CC=CC=C1C(=O)O"
    assert call.kwargs["center"] == (1.5, -2.0, 3.0) and call.kwargs["size"] == (20.0, 20.0, 20.0)
    assert "from bioql.docking import dock" in answer.code


@pytest.mark.parametrize(
    "request_text",
    [
        "What's the weather in Madrid?",
        "Write a SQL query that lists all customers",
        "Escribe un poema sobre el mar",
        "conn = BioQL.connect('localhost')",
        "",
    ],
)
def test_out_of_domain_is_refused(assistant, request_text):
    answer = assistant.generate(request_text)
    assert answer.code is None and not answer.valid and answer.interpreted_as == []
    assert answer.error and answer.error.endswith(".")
    assert "error" in answer.to_dict()


def test_in_domain_but_unsupported_says_why(assistant):
    answer = assistant.generate("Run VQE for the hydrogen molecule on 4 qubits")
    assert answer.code is None
    assert "did not understand" in answer.error or "outside" in answer.error


def test_temperature_and_max_length_are_accepted_and_output_is_deterministic(assistant):
    a = assistant.generate("Create a W state on 4 qubits", temperature=0.7, max_length=64)
    b = assistant.generate("Create a W state on 4 qubits")
    assert a.code == b.code
