"""No silent drop: a meaningful clause inserted anywhere in a valid description either changes
the compiled program or makes the compiler refuse. It never leaves the program as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bioql.errors import BioQLError, BioQLParseError
from bioql.language import EXAMPLES, compile_description
from bioql.language.reading import same_program


def _dev_paraphrases() -> list[str]:
    """Descriptions people wrote (the development part of the paraphrase suite) that compile."""
    path = Path(__file__).parents[1] / "data" / "paraphrases" / "dev.jsonl"
    out = []
    for line in path.read_text().splitlines():
        item = json.loads(line)
        try:
            compile_description(item["text"])
        except BioQLError:
            continue
        out.append(item["text"])
    return out


BASES = [p for phrases in EXAMPLES.values() for p in phrases] + _dev_paraphrases()

# One of each kind the issue names: a gate, an initial state, a qubit count, a backend, shots.
# Values no base description uses, so the insertion is never a repetition of what is there.
CLAUSES = [
    "apply X to qubit 1", "then H on qubit 0", "Z on qubit 0", "aplica una puerta T al qubit 1",
    "starting from |011>", "initialised to 10", "acting on the state |1>", "partiendo de |01>",
    "on 7 qubits", "with 6 qubits", "de 9 qubits",
    "on IBM Kyiv", "with Sherbrooke noise", "on IonQ", "en el simulador de vector de estado",
    "with 317 shots", "run it 4321 times", "con 77 disparos",
]  # fmt: skip


def _backend_of(clause: str) -> str | None:
    try:
        return compile_description(f"Create a Bell state {clause}").backend
    except BioQLError:
        return None


def _count_of(clause: str) -> int | None:
    digits = [w for w in clause.split() if w.isdigit()]
    return int(digits[0]) if "qubits" in clause and digits else None


def _insert(text: str, clause: str, at: int) -> str:
    words = text.split()
    at %= len(words) + 1
    return " ".join([*words[:at], clause, *words[at:]])


@settings(
    max_examples=1500, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.sampled_from(BASES), st.sampled_from(CLAUSES), st.integers(0, 40))
def test_an_inserted_clause_changes_the_program_or_is_refused(
    base: str, clause: str, at: int
) -> None:
    before = compile_description(base)
    # a backend the description already names is no new clause ("return the statevector")
    assume(before.backend is None or before.backend != _backend_of(clause))
    # nor is a register size the program already has ("with 6 qubits" for qubits 2 through 5)
    assume(before.num_qubits != _count_of(clause))
    mutated = _insert(base, clause, at)
    try:
        after = compile_description(mutated)
    except BioQLError:
        return
    assert not same_program(before, after), f"{mutated!r} compiled to the same program as {base!r}"


def test_an_unknown_word_is_named_with_a_supported_phrasing() -> None:
    try:
        compile_description("Create a Bell state for my protein")
    except BioQLParseError as err:
        assert err.unknown_words == ["protein"]
        assert err.suggestion
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("an unknown word was ignored")


@pytest.mark.parametrize(
    "text",
    [
        "Prepare a two-qubit state of odd parity, both outcomes equally likely",  # odd ≠ uniform
        "apply a Hadamard to the first qubit (2) and a CNOT",  # a lone 2 is no qubit
    ],
)
def test_words_of_another_construct_are_never_consumed(text: str) -> None:
    with pytest.raises(BioQLError):
        compile_description(text)
