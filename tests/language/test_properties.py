"""Property tests: no text, however odd, makes the compiler fail with anything but a BioQLError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bioql.circuits.ir import Program
from bioql.errors import BioQLError
from bioql.language import EXAMPLES, compile_description
from bioql.language.lexicon import FILLERS, LEXICON
from bioql.language.numbers import NUMBER_WORDS

WORDS = sorted(set(LEXICON) | set(FILLERS) | set(NUMBER_WORDS))
PIECES = [*WORDS, "|0>", "|101>", "|+>", "|->", "pi/2", "3/8", "0.375", "-", "+", ",", ".",
          "(", ")", "Φ+", "Ψ−", "π/4", "90°", "q0", "ibm_brisbane", "2000", "0", "1", "2", "7", "11"]  # fmt: skip
PHRASES = [p for phrases in EXAMPLES.values() for p in phrases]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def compiles_or_bioql_error(text: str) -> Program | None:
    try:
        program = compile_description(text)
    except BioQLError:
        return None
    program.validate()
    assert program.measured
    return program


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    compiles_or_bioql_error(text)


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join))
def test_lexicon_word_salad(text: str) -> None:
    compiles_or_bioql_error(text)


def _mutate(phrase: str, data: st.DataObject) -> str:
    chars = list(phrase)
    for _ in range(data.draw(st.integers(0, 4))):
        if not chars:
            break
        i = data.draw(st.integers(0, len(chars) - 1))
        op = data.draw(st.sampled_from(["drop", "dup", "swap", "digit", "case"]))
        if op == "drop":
            del chars[i]
        elif op == "dup":
            chars.insert(i, chars[i])
        elif op == "swap" and i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif op == "digit":
            chars[i] = data.draw(st.sampled_from("0123456789"))
        else:
            chars[i] = chars[i].swapcase()
    return "".join(chars)


@SETTINGS
@given(st.sampled_from(PHRASES), st.data())
def test_near_miss_examples(phrase: str, data: st.DataObject) -> None:
    compiles_or_bioql_error(_mutate(phrase, data))


@SETTINGS
@given(
    st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3),
    st.sampled_from([" then ", " y luego ", ", ", " and "]),
)
def test_compositions_of_examples(phrases: list[str], joiner: str) -> None:
    compiles_or_bioql_error(joiner.join(phrases))
