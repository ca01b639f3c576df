"""interpret(): one sentence that reads the observed probabilities in the construct's terms."""

from __future__ import annotations

import pytest

from bioql.circuits.qiskit import ideal_probabilities
from bioql.language import compile_description, interpret


def sentence(text: str, probs: dict[str, float] | None = None) -> str:
    program = compile_description(text)
    return interpret(program, ideal_probabilities(program) if probs is None else probs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Create a Bell state", "Bell state Φ+: 00 and 11 each ~50%, perfectly correlated"),
        ("Prepare the singlet", "Bell state Ψ−: 01 and 10 each ~50%, perfectly anti-correlated"),
        ("GHZ on 3 qubits", "GHZ state on 3 qubits: 000 and 111 each ~50%, all qubits always agree"),
        ("W state on 3 qubits", "W state on 3 qubits: exactly one qubit is 1 in 100% of shots (each of the 3 such outcomes ~33%)"),
        ("superposition of 2 qubits", "Uniform superposition over 2 qubit(s): 4 outcomes, each ~25%"),
        ("Prepare |101>", "Basis state |101>: measured 101 with probability 1.00"),
        ("Grover search for 101", "Grover search found 101 with probability 0.95"),
        ("Grover search for 011 and 110", "Grover search found the marked strings 011, 110 with total probability 1.00"),
        ("Bernstein-Vazirani with secret 1011", "Bernstein–Vazirani: the secret string is 1011 (probability 1.00)"),
        ("Deutsch-Jozsa constant on 3 qubits", "Deutsch–Jozsa: measured 000 with probability 1.00, so the function is constant"),
        ("Deutsch-Jozsa balanced on 3 qubits", "Deutsch–Jozsa: 000 has probability 0.00, so the function is balanced"),
        ("Phase estimation of 0.375 with 3 counting qubits", "Phase estimation: 011 = 0.375 (probability 1.00)"),
        ("Teleport |1>", "Teleportation of |1>: the receiver's qubit reads 1 with probability 1.00"),
        ("QFT of |101> then inverse QFT", "Measured 101 with probability 1.00."),
        ("H on qubit 0 then CNOT 0 1", "2 outcomes: 00 ~50%, 11 ~50%."),
    ],
)  # fmt: skip
def test_ideal_sentences(text: str, expected: str) -> None:
    assert sentence(text) == expected


def test_noisy_bell_reports_the_correlation_it_saw() -> None:
    noisy = {"00": 0.47, "11": 0.48, "01": 0.03, "10": 0.02}
    assert sentence("Create a Bell state", noisy) == (
        "Bell state Φ+: 00 and 11 each ~48%, correlated in 95% of shots"
    )


def test_failed_grover_says_so() -> None:
    flat = {format(i, "03b"): 1 / 8 for i in range(8)}
    flat["000"] += 0.01
    assert sentence("Grover search for 101", flat).startswith(
        "Grover search did not single out 101: the most likely outcome is 000"
    )


def test_inexact_phase_mentions_the_true_phase() -> None:
    assert sentence("phase estimation of 1/3 with 3 counting qubits").startswith(
        "Phase estimation: 011 = 0.375 (probability 0.69); the true phase is 0.3333"
    )


def test_counts_are_accepted_and_empty_results_explained() -> None:
    assert sentence("Teleport |0>", {"0": 1000}) == (
        "Teleportation of |0>: the receiver's qubit reads 0 with probability 1.00"
    )
    assert sentence("Create a Bell state", {}) == "No outcomes were recorded."


def test_mismatched_keys_fall_back_to_a_generic_sentence() -> None:
    assert sentence("Create a Bell state", {"1": 1.0}) == "Measured 1 with probability 1.00."


def test_large_ghz_is_summarised_in_words() -> None:
    probs = {"0" * 40: 0.5, "1" * 40: 0.5}
    assert sentence("Create a 40-qubit GHZ state", probs) == (
        "GHZ state on 40 qubits: all-0 ~50% and all-1 ~50%, all qubits always agree"
    )
