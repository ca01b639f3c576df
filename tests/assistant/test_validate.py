"""The validator rejects every failure the seeds shipped and accepts real BioQL code."""

from __future__ import annotations

import pytest

from bioql.assistant.checking.validate import validate

GOOD = 'from bioql import quantum\n\nresult = quantum("Create a Bell state", backend="simulator", shots=1000)\nprint(result)\n'


def test_accepts_a_real_program_and_compiles_it():
    checked = validate(GOOD, prompt="Create a Bell state")
    assert checked.ok, checked.message
    assert checked.programs[0].num_qubits == 2


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("Create a Bell state\n\n### Reasoning:", "repeats the prompt"),  # seed 000, echo
        (
            "Create a Bell state using BioQL\n\n### Reasoning:\n                (           (",
            "format markers",
        ),
        ('from bioql import quantum\nresult = quantum("Create a Bell state"', "not valid python"),
        ("(           (", "punctuation"),
        (
            "conn = BioQL.connect('localhost')\ncursor = conn.cursor()\n"
            'cursor.execute("SELECT * FROM quantum_states")',  # seed 001's generic DB code
            "not defined",
        ),
        (
            'import sqlite3\nfrom bioql import quantum\nquantum("Create a Bell state")',
            "imports 'sqlite3'",
        ),
        ('from bioql import quantum\nquantum("QFT", 4)', "only the description positionally"),
        ('from bioql import quantum\nquantum("Create a Bell state", shots="1000")', "whole number"),
        (
            'from bioql import quantum\nquantum("Create a Bell state", shot=1000)',
            "did you mean shots",
        ),
        (
            'from bioql import quantum\nquantum("Create a Bell state", backend="ibm brisbane")',
            "unknown backend",
        ),
        (
            'from bioql import quantum\nquantum("Create a Bell state", backend="fake_atlantis")',
            "unknown fake device",
        ),
        ('from bioql import quantum\nquantum("Make me a sandwich")', "does not compile"),
        ('from bioql import quantum\nquantum("Create a Bell state", shots=0)', "between 1"),
        ('quantum("Create a Bell state")', "never imported"),
        ('from bioql import quantm\nquantm("Create a Bell state")', "did you mean 'quantum'"),
        (
            'from bioql import quantum\nr = quantum("Create a Bell state")\nr.connect()',
            "no attribute 'connect'",
        ),
        ('from bioql import quantum\nquantum("Create a Bell state")\neval("1")', "eval()"),
        ("from bioql import quantum\nprint('hello')", "never calls quantum"),
        (
            'from bioql import quantum\nquantum("Create a Bell state and run it 2000 times", shots=500)',
            "description says 2000 shots",
        ),
    ],
)
def test_rejects_with_a_message_naming_the_problem(code, words):
    checked = validate(code, prompt="Create a Bell state")
    assert not checked.ok
    assert words.lower() in checked.message.lower(), checked.message


def test_prompt_echo_outside_strings_is_rejected():
    echo = 'from bioql import quantum\n# Create a Bell state and run it on the simulator\nquantum("Create a Bell state")'
    assert validate(echo, prompt="from bioql import quantum").errors


def test_dock_arguments_are_checked():
    ok = 'from bioql.docking import dock\nr = dock(ligand_smiles="CCO", protein_pdb="1s3v.pdb", backend="vina")\nprint(r.best_affinity_kcal_mol())'
    assert validate(ok).ok, validate(ok).message
    bad = 'from bioql.docking import dock\ndock(smiles="CCO", protein_pdb="1s3v.pdb", backend="gromacs")'
    message = validate(bad).message
    assert "'smiles'" in message and "ligand_smiles=" in message and "gromacs" in message


def test_non_strict_mode_accepts_variables():
    code = 'from bioql import quantum\nfor n in [2, 3]:\n    quantum(f"Create a {n}-qubit GHZ state", shots=100)'
    assert not validate(code).ok
    assert validate(code, strict=False).ok


def test_fake_device_names_match_qiskit_ibm_runtime():
    """checks.fake_devices() avoids importing the runtime; it must list the same devices."""
    import re

    from qiskit_ibm_runtime import fake_provider

    from bioql.assistant.checking.checks import fake_devices

    names = {
        re.sub(r"V2$", "", n[4:]).lower()
        for n in dir(fake_provider)
        if n.startswith("Fake") and "Backend" not in n and "Provider" not in n
    }
    assert fake_devices() == names
