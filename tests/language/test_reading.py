"""The canonical reading: one sentence per program that compiles back to the same program."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bioql.errors import BioQLError
from bioql.language import EXAMPLES, compile_description
from bioql.language.reading import format_angle, same_program

PHRASES = [p for phrases in EXAMPLES.values() for p in phrases]


@pytest.mark.parametrize("text", PHRASES)
def test_every_example_reads_back_to_itself(text: str) -> None:
    program = compile_description(text)
    assert program.reading
    assert same_program(compile_description(program.reading), program)


def test_reading_names_what_was_understood() -> None:
    program = compile_description(
        "Crea un estado de Bell psi menos con 500 disparos en el simulador"
    )
    assert program.reading == "Bell state psi minus, with 500 shots on simulator"


def test_reading_changes_when_the_program_does() -> None:
    a = compile_description("Apply X to qubit 1 of 2 qubits")
    b = compile_description("Apply X to qubit 1 of 3 qubits")
    assert a.reading != b.reading
    assert same_program(compile_description(b.reading), b)


@pytest.mark.parametrize(
    ("value", "text"),
    [(3.141592653589793 / 2, "pi/2"), (-3 * 3.141592653589793 / 4, "-3pi/4"), (0.3, "0.3")],
)
def test_angles_are_written_as_fractions_of_pi_when_exact(value: float, text: str) -> None:
    assert format_angle(value) == text


# Programs built from a small grammar of pieces joined with "then": the reading of each one
# that compiles must compile back to it.
PIECES = [
    "H on qubit 0", "X on qubit 2", "CNOT from 0 to 1", "RY(pi/3) on qubit 1", "RZ(0.7) on qubit 0",
    "swap qubits 0 and 2", "Toffoli with controls 0 and 1 and target 2", "CP(pi/8) from 1 to 0",
    "T dagger on qubit 1", "Bell state psi minus", "GHZ state on 3 qubits", "QFT on 3 qubits",
    "inverse QFT", "prepare |101>", "W state on 3 qubits", "measure qubits 0 and 2",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=4),
    st.sampled_from(["", " with 300 shots", " on fake_torino"]),
)
def test_reading_round_trip(pieces: list[str], options: str) -> None:
    text = ", then ".join(pieces) + options
    try:
        program = compile_description(text)
    except BioQLError:
        return
    assert same_program(compile_description(program.reading), program), program.reading
