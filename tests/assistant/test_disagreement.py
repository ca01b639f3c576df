"""A model's valid program must also do what the request states, or it is not returned as the model's."""

from __future__ import annotations

import pytest

from bioql.assistant import faithful
from bioql.assistant.checking.validate import validate
from bioql.assistant.plan.plan import from_text, render_code
from bioql.assistant.reading import read_request


def _calls(plan: str):
    return validate(render_code(from_text(plan))).calls


def disagreement(calls, request_text: str) -> str | None:
    return faithful.disagreement(calls, read_request(request_text))


@pytest.mark.parametrize(
    ("request_text", "plan"),
    [
        ("Haz amplificación de amplitud que encuentre 0110 y 0000 en un simulador ideal",
         "Q Run Grover search for 0110 and 0000 | simulator | 1024"),
        ("Need: a Bell pair in the Ψ+ state on a state vector simulator with 20000 shots",
         "Q Create the Bell state Ψ+ | statevector | 20000"),
        ("Recorre 6, 7 y 8 qubits y arma estados GHZ en un simulador ideal",
         "L n=6..8\nQ Create a {n}-qubit GHZ state | simulator | 1024"),
        ("Pon H al qubit 0, seguido de CNOT del 0 al 2, y mide cada qubit durante 300 disparos",
         "Q Apply H to qubit 0, then CNOT from 0 to 2, then measure all | simulator | 300"),
        ("Write a poem about the sea", "Q Create a Bell state | simulator | 1024"),  # no reading
    ],
)  # fmt: skip
def test_a_program_that_does_what_was_asked_passes(request_text, plan):
    assert disagreement(_calls(plan), request_text) is None


@pytest.mark.parametrize(
    ("request_text", "plan", "message"),
    [
        # the construct the model falls back to when the wording is new to it
        ("Ejecuta amplificación de amplitud que encuentre 0110 en un simulador ideal",
         "Q Create a Bell state | simulator | 1024", "Grover search for 0110"),
        ("Need: a Bell pair in the Ψ+ state, 300 shots",
         "Q Create a Bell state | simulator | 300", "Bell state psi plus"),
        ("Build a GHZ state across 10 qubits", "Q Create a 7-qubit GHZ state | simulator | 1024",
         "GHZ state on 10 qubits"),
        ("Recorre 6, 7 y 8 qubits y arma estados GHZ",
         "Q Create a 6-qubit GHZ state | simulator | 1024", "3 run(s)"),
        ("Pon H al qubit 0, seguido de Y al qubit 2, seguido de CNOT del 2 al 1, y mide cada qubit",
         "Q Apply H to qubit 0, then CNOT from 2 to 1, then measure all | simulator | 1024",
         "asks for 1 run(s)"),
        # values the request does not state are the defaults, not a number copied from elsewhere
        ("Run Deutsch-Jozsa with a balanced oracle on 6 qubits",
         "Q Run Deutsch-Jozsa with a balanced oracle on 6 qubits | simulator | 6", "1024 shots"),
        ("Make a Bell pair and sample it 6000 times",
         "Q Create a Bell state | statevector | 6000", "backend simulator"),
        ("Sample a Bell pair 300, 1500 and 6000 times",
         "Q Create a Bell state | simulator | 300", "300, 1500, 6000 shots"),
    ],
)  # fmt: skip
def test_a_valid_program_that_does_something_else_is_caught(request_text, plan, message):
    why = disagreement(_calls(plan), request_text)
    assert why is not None and message in why


def test_a_request_the_language_cannot_read_has_no_faithful_program():
    """Nothing to compare with: any program would drop or guess the words it names."""
    request = "Lanza amplificación de amplitud que encuentre 0110 en un simulador ideal"
    reading = read_request(request)
    calls = _calls("Q Run Grover search for 0110 | simulator | 1024")
    assert reading.plan is None and "Lanza" in (reading.error or "")
    assert faithful.drops_words(calls, reading) and disagreement(calls, request) is None


def test_swapped_ligand_and_receptor_are_invalid():
    code = (
        "from bioql.docking import dock\n"
        'result = dock(ligand_smiles="structures/6lu7.pdb", protein_pdb="Oc1ccccc1", backend="vina")\n'
    )
    message = validate(code).message
    assert "protein_pdb must be a .pdb or .pdbqt file" in message
    assert "ligand_smiles must be a SMILES string" in message
    ok = code.replace('"structures/6lu7.pdb"', '"Oc1ccccc1"', 1).replace(
        'protein_pdb="Oc1ccccc1"', 'protein_pdb="structures/6lu7.pdb"'
    )
    assert validate(ok).ok


def test_a_docking_box_that_differs_from_the_request_is_caught():
    request = (
        "Fit CCO into the pocket of my_protein.pdb, box centered at (4.8, -6.2, 3.7) with size 20 Å"
    )
    right = "D CCO | my_protein.pdb | vina | center=4.8,-6.2,3.7 | size=20,20,20"
    assert disagreement(_calls(right), request) is None
    wrong = "D CCO | my_protein.pdb | vina | center=4.8,6.2,-3.7 | size=20,20,20"
    assert "center" in disagreement(_calls(wrong), request)
    invented = right + " | exhaustiveness=32"
    assert "exhaustiveness" in disagreement(_calls(invented), request)
    assert "backend" in disagreement(_calls(right.replace("vina", "quantum")), request)


def test_runs_must_come_in_the_order_the_request_gives_them():
    request = "Create a 3-qubit GHZ state and also run Bernstein-Vazirani with secret 0101"
    ghz = "Q Create a 3-qubit GHZ state | simulator | 1024"
    bv = "Q Run Bernstein-Vazirani with secret 0101 | simulator | 1024"
    assert disagreement(_calls(f"{ghz}\n{bv}"), request) is None
    swapped = disagreement(_calls(f"{bv}\n{ghz}"), request)
    assert swapped and "in this order" in swapped


def test_a_comparison_asked_for_must_be_made():
    wanted = read_request("Compare a Bell state and a GHZ state").plan
    runs = (
        "Q Create a Bell state | simulator | 1024\nQ Create a 3-qubit GHZ state | simulator | 1024"
    )
    assert wanted is not None
    assert "line C" in (faithful.comparison_differs(from_text(runs), wanted) or "")
    assert faithful.comparison_differs(from_text(runs + "\nC"), wanted) is None
