"""No silent drop: a meaningful clause inserted anywhere in a valid description either changes
the compiled program or makes the compiler refuse. It never leaves the program as it was."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bioql.errors import BioQLError, BioQLParseError
from bioql.language import EXAMPLES, compile_description
from bioql.language.reading import same_program

BASES = [p for phrases in EXAMPLES.values() for p in phrases]

# One of each kind the issue names: a gate, an initial state, a qubit count, a backend, shots.
# Values no base description uses, so the insertion is never a repetition of what is there.
CLAUSES = [
    "apply X to qubit 1", "then H on qubit 0", "Z on qubit 0", "aplica una puerta T al qubit 1",
    "starting from |011>", "initialised to 10", "acting on the state |1>", "partiendo de |01>",
    "on 7 qubits", "with 6 qubits", "de 9 qubits",
    "on IBM Kyiv", "with Sherbrooke noise", "on IonQ", "en el simulador de vector de estado",
    "with 317 shots", "run it 4321 times", "con 77 disparos",
]  # fmt: skip


def _insert(text: str, clause: str, at: int) -> str:
    words = text.split()
    at %= len(words) + 1
    return " ".join([*words[:at], clause, *words[at:]])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(BASES), st.sampled_from(CLAUSES), st.integers(0, 40))
def test_an_inserted_clause_changes_the_program_or_is_refused(
    base: str, clause: str, at: int
) -> None:
    before = compile_description(base)
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
