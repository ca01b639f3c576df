"""Faithful or refused: the assistant never answers a request with code that ignores part of it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bioql.assistant.api import get_assistant
from bioql.assistant.faithful import call_program
from bioql.calls import find_calls
from bioql.language import EXAMPLES, compile_description
from bioql.language.reading import same_program
from tests.language.test_no_silent_drop import CLAUSES, _backend_of, _count_of, _insert

BASES = [p for phrases in EXAMPLES.values() for p in phrases]


@pytest.fixture(scope="module")
def assistant():
    return get_assistant("template")


def _programs(code: str) -> list:
    return [call_program(call) for call in find_calls(code)]


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(BASES), st.sampled_from(CLAUSES), st.integers(0, 30))
def test_an_inserted_clause_is_never_silently_dropped(assistant, base, clause, at) -> None:
    before = compile_description(base)
    assume(before.backend is None or before.backend != _backend_of(clause))
    assume(before.num_qubits != _count_of(clause))
    base_answer = assistant.generate(base)
    answer = assistant.generate(_insert(base, clause, at))
    if answer.code is None:
        assert answer.error  # a refusal says why
        return
    old, new = _programs(base_answer.code or ""), _programs(answer.code)
    assert len(old) != len(new) or not all(
        a is not None and b is not None and same_program(a, b)
        for a, b in zip(old, new, strict=True)
    ), f"{answer.code!r} ignores part of the request"


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("from |011>, swap qubits 0 and 2", "Prepare |011>, then SWAP qubits 0 and 2"),
        ("Apply X to qubits 1 through 4", "X on qubits 1, 2, 3 and 4"),
        ("Prepare (|01> + |10>)/√2", "Prepare (|01> + |10>)/sqrt(2)"),
        ("Entangle qubit 0 with qubits 1 and 2", None),
    ],
)
def test_the_kinds_of_loss_the_issue_names(assistant, request_text, expected) -> None:
    """A dropped gate or initial state, a range read as its ends, a Bell pair by its ket."""
    answer = assistant.generate(request_text)
    if expected is None:
        assert answer.code is None or len(answer.interpreted_as) == 1
        if answer.code is not None:
            program = compile_description(answer.interpreted_as[0])
            assert program.num_qubits == 3  # never a single qubit in superposition
        return
    assert answer.interpreted_as == [expected]


def test_refusal_names_the_words(assistant) -> None:
    answer = assistant.generate("Create a Bell state for my protein")
    assert answer.code is None and "protein" in (answer.error or "")


def test_smiles_is_kept_as_written(assistant) -> None:
    smiles = "OC(=O)c1ccccc1OC(C)=O"  # aspirin, written in a non-canonical order
    answer = assistant.generate(f"dock {smiles} into 1ia1_protein.pdb")
    assert answer.code is not None and f'"{smiles}"' in answer.code
