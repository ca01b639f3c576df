"""Every way a description can be wrong gives a BioQLError that says what and what would work."""

from __future__ import annotations

import pytest

from bioql.errors import BioQLError, BioQLParseError, BioQLValueError
from bioql.language import EXAMPLES, compile_description


def test_unknown_words_are_named_with_a_suggestion() -> None:
    with pytest.raises(BioQLParseError) as info:
        compile_description("Create a Bell state for my protein")
    err = info.value
    assert err.unknown_words == ["protein"]
    assert err.suggestion == "Create a Bell state"
    assert "'protein'" in str(err)
    assert "GHZ" in str(err) and "Grover" in str(err)  # what is supported
    assert "Closest supported phrasing: 'Create a Bell state'" in str(err)


def test_suggestion_is_the_closest_example() -> None:
    with pytest.raises(BioQLParseError) as info:
        compile_description("grover zzzqqq for 101")
    assert info.value.suggestion in EXAMPLES["grover"]
    with pytest.raises(BioQLParseError) as info:
        compile_description("crea un estado de Bell fnord")
    assert info.value.suggestion == "Crea un estado de Bell"


@pytest.mark.parametrize("text", ["", "   ", "please", "por favor, usando BioQL", "hello world"])
def test_nothing_to_build(text: str) -> None:
    with pytest.raises(BioQLParseError, match="does not describe a circuit") as info:
        compile_description(text)
    assert info.value.suggestion


def test_stray_number_is_reported() -> None:
    with pytest.raises(BioQLParseError, match="Did not understand '7'") as info:
        compile_description("Create a W state on 3 qubits 7")
    assert info.value.unknown_words == ["7"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # qubits
        ("GHZ on 0 qubits", "at least 1, got 0"),
        ("GHZ on -3 qubits", "at least 1, got -3"),
        ("Create a GHZ state on 1 qubit", "at least 2 qubit"),
        ("bell state on 3 qubits", "exactly 2 qubits.*ask for a GHZ state"),
        ("GHZ on 5000 qubits", "more than BioQL builds"),
        ("GHZ on a million qubits", "absurdly large"),
        ("QFT on 301 qubits", "at most 300"),
        ("Grover search for 101010101010101010101", "at most 20"),
        ("QPE of 0.5 with 21 counting qubits", "at most 20"),
        ("measure all", "names no qubits"),
        # shots
        ("Create a Bell state with 0 shots", "positive whole number, got 0"),
        ("Create a Bell state with -5 shots", "positive whole number, got -5"),
        ("Bell state with 2.5 shots", "whole number, got 2.5"),
        ("Bell state with 1000000000 shots", "more than BioQL accepts"),
        ("Bell state with 100 shots and 200 shots", "different shot counts"),
        # angles
        ("rx(banana) on qubit 0", "Could not read the angle 'banana'"),
        ("rx on qubit 0", "RX needs an angle"),
        ("rx(pi/0) on qubit 0", "divides by zero"),
        ("rx(pi/) on qubit 0", "needs a number after it"),
        ("rotate qubit 0 by pi", "rotation axis"),
        # indices
        ("X on qubit -1", "start at 0; got -1"),
        ("X on qubit 0.5", "whole number, got 0.5"),
        ("Create a Bell state then apply X to qubit 2", "uses qubit 2, but the program has 2"),
        ("apply H, then CNOT from 0 to 1", "which qubit"),
        ("CNOT 0 1 2", "acts on 2 qubits"),
        ("CNOT from 1 to 1", "same qubit twice"),
        ("H on all qubits then CNOT on all qubits", "name them instead of 'all'"),
        ("controlled S from 0 to 1", "controlled S is not supported"),
        # algorithm arguments
        ("Grover search", "needs the marked bitstring"),
        ("Grover search for 101 and 11", "one length"),
        ("Grover search for 9", "as bitstrings"),
        ("search for 9 on 3 qubits", "does not fit in 3 qubits"),
        ("Bernstein-Vazirani", "needs the secret"),
        ("Bernstein-Vazirani with secret 101 on 4 qubits", "has 3 bits"),
        ("phase estimation", "needs the phase"),
        ("phase estimation of 1.5", r"\[0, 1\)"),
        ("QFT of |+0>", "basis state"),
        ("teleport |0> on 4 qubits", "exactly 3 qubits"),
        ("Deutsch-Jozsa constant 2", "returns 0 or 1"),
        # composition
        ("QFT on 3 qubits then inverse QFT on 4 qubits", "disagree on the number of qubits"),
        ("H on qubit 0, measure qubit 0, then X on qubit 0", "measures at the end"),
        ("Bell state on IBM Brisbane and on IonQ", "more than one backend"),
        ("x" * 5000, "at most 4000"),
    ],
)
def test_value_errors(text: str, message: str) -> None:
    with pytest.raises(BioQLValueError, match=message):
        compile_description(text)


def test_non_text_input() -> None:
    with pytest.raises(BioQLValueError, match="must be text"):
        compile_description(42)  # type: ignore[arg-type]


def test_errors_are_bioql_errors_and_value_errors() -> None:
    """Callers may catch BioQLError, or ValueError as with any bad argument."""
    with pytest.raises(BioQLError):
        compile_description("Grover search")
    with pytest.raises(ValueError):
        compile_description("fnord")


def test_nothing_is_evaluated() -> None:
    """Text that looks like code is words to the compiler, never executed."""
    for text in [
        "__import__('os').system('echo hi')",
        "rx(__import__('os')) on qubit 0",
        "{{7*7}}",
    ]:
        with pytest.raises(BioQLError):
            compile_description(text)


@pytest.mark.parametrize(
    "text",
    [
        "Create a Bell state with " + "1" * 30 + " shots",
        "Grover search for " + "7" * 30 + " on 3 qubits",
        "starting from the binary value " + "9" * 40 + " apply X to qubit 0",
        "apply X to qubit " + "9" * 30,
    ],
)
def test_huge_numbers_are_a_sentence_not_a_crash(text: str) -> None:
    with pytest.raises(BioQLValueError, match=r"absurdly large|more than BioQL accepts"):
        compile_description(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Create a short Bell state", "short"),  # not "shot"
        ("Make a GHZ state while you are at it", "while"),  # not "whole"
        ("Bell state, double it", "double"),  # not "doubly"
        ("a W state on three qubits at this position", "position"),  # not "positive"
    ],
)
def test_a_real_word_is_never_corrected_into_another(text: str, word: str) -> None:
    """Typo correction is for typos: a real word that BioQL does not know is named, never
    read as the lexicon word it resembles."""
    with pytest.raises(BioQLParseError) as info:
        compile_description(text)
    assert word in [w.lower() for w in info.value.unknown_words]


def test_framing_words_that_resemble_numbers_are_framing() -> None:
    # "nice" was corrected to "nine": a nine-qubit register out of politeness
    assert compile_description("Create a nice Bell state please").num_qubits == 2
