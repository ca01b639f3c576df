"""Explicit gate programs, angles, qubit counts, measurement and the bit-order convention."""

from __future__ import annotations

import math

import pytest

from bioql.circuits.ir import Gate
from bioql.language import compile_description
from tests.language.helpers import assert_dist


def gates(text: str) -> list[Gate]:
    return list(compile_description(text).gates())


def test_convention_qubit_zero_is_leftmost() -> None:
    """docs/conventions.md: 'Apply X to qubit 1 of 2 qubits' gives 01."""
    assert_dist("Apply X to qubit 1 of 2 qubits", {"01": 1.0})
    assert_dist("Aplica X al qubit 0 de 3 qubits", {"100": 1.0})


@pytest.mark.parametrize(
    "text",
    [
        "apply H to qubit 0, then CNOT from 0 to 1, measure all",
        "Aplica H al qubit 0 y luego CNOT del 0 al 1, mide todos",
        "h q[0]; cx q[0], q[1]",
        "Hadamard on the first qubit followed by a CNOT with control 0 and target 1",
        "H 0 CNOT 0 1",
    ],
)
def test_bell_circuit_by_hand(text: str) -> None:
    assert gates(text) == [Gate("h", (0,)), Gate("cx", (0, 1))]
    assert_dist(text, {"00": 0.5, "11": 0.5})


def test_control_and_target_keywords_set_direction() -> None:
    assert gates("X on qubit 1 then CNOT with target 0 and control 1")[1] == Gate("cx", (1, 0))
    assert_dist("X on qubit 1 then CNOT with target 0 and control 1", {"11": 1.0})
    assert gates("CNOT de 2 a 0")[0] == Gate("cx", (2, 0))


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("H", "h"),
        ("hadamard", "h"),
        ("X", "x"),
        ("NOT", "x"),
        ("bit flip", "x"),
        ("Y", "y"),
        ("Z", "z"),
        ("phase flip", "z"),
        ("S", "s"),
        ("T", "t"),
        ("S dagger", "sdg"),
        ("S†", "sdg"),
        ("sdg", "sdg"),
        ("T dagger", "tdg"),
        ("T†", "tdg"),
        ("tdg", "tdg"),
    ],
)
def test_single_qubit_gate_words(word: str, name: str) -> None:
    assert gates(f"apply {word} to qubit 0") == [Gate(name, (0,))]


@pytest.mark.parametrize(
    ("text", "name", "qubits"),
    [
        ("CNOT from 0 to 1", "cx", (0, 1)),
        ("CX 1 0", "cx", (1, 0)),
        ("controlled not from qubit 2 to qubit 0", "cx", (2, 0)),
        ("CZ on qubits 0 and 1", "cz", (0, 1)),
        ("controlled Z from 1 to 0", "cz", (1, 0)),
        ("SWAP qubits 0 and 2", "swap", (0, 2)),
        ("intercambia los qubits 1 y 2", "swap", (1, 2)),
        ("Toffoli on qubits 0, 1 and 2", "ccx", (0, 1, 2)),
        ("CCX with controls 1 and 2 and target 0", "ccx", (1, 2, 0)),
        ("Toffoli con controles 0 y 1 y objetivo 2", "ccx", (0, 1, 2)),
    ],
)
def test_multi_qubit_gates(text: str, name: str, qubits: tuple[int, ...]) -> None:
    assert gates(text) == [Gate(name, qubits)]


def test_toffoli_truth_table() -> None:
    assert_dist("X on qubits 0 and 1 then Toffoli on 0, 1 and 2", {"111": 1.0})
    assert_dist("X on qubit 0 then Toffoli on 0, 1 and 2", {"100": 1.0})


def test_swap_moves_the_excitation() -> None:
    assert_dist("X on qubit 0 then SWAP qubits 0 and 2", {"001": 1.0})


@pytest.mark.parametrize(
    ("text", "angle"),
    [
        ("RX(pi/2) on qubit 0", math.pi / 2),
        ("rx(π/4) q0", math.pi / 4),
        ("RY 0.3 on qubit 0", 0.3),
        ("RZ(-pi) on qubit 0", -math.pi),
        ("rz by 90 degrees on qubit 0", math.pi / 2),
        ("RY(90°) on qubit 0", math.pi / 2),
        ("rotate qubit 0 around X by pi over 2", math.pi / 2),
        ("rota el qubit 0 alrededor de Y por pi sobre 4", math.pi / 4),
        ("RX(3pi/4) on qubit 0", 3 * math.pi / 4),
        ("RX(3*pi/4) on qubit 0", 3 * math.pi / 4),
        ("rx of minus pi over 2 on qubit 0", -math.pi / 2),
        ("RY(noventa grados) al qubit 0", math.pi / 2),
        ("rz 1 on qubit 0", 1.0),
        ("rz on qubit 0 by 0.5 radians", 0.5),
    ],
)
def test_rotation_angles(text: str, angle: float) -> None:
    (gate,) = gates(text)
    assert gate.qubits == (0,)
    assert gate.params[0] == pytest.approx(angle)


def test_rotation_axis_from_words() -> None:
    assert gates("rotate qubit 1 around y by pi")[0].name == "ry"
    assert gates("rotation about z of pi/8 on qubit 0")[0].name == "rz"


def test_ry_pi_over_two_gives_half() -> None:
    assert_dist("RY(pi/2) on qubit 0", {"0": 0.5, "1": 0.5})
    assert_dist("RX(pi) on qubit 0", {"1": 1.0})


def test_number_of_qubits_inferred_from_indices() -> None:
    program = compile_description("apply X to qubit 4")
    assert program.num_qubits == 5
    assert_dist("apply X to qubit 4", {"00001": 1.0})


def test_number_of_qubits_stated() -> None:
    program = compile_description("On 3 qubits, apply H to qubit 0")
    assert program.num_qubits == 3
    assert compile_description("apply H to qubit 0 on 4 qubits").num_qubits == 4


def test_gate_on_all_qubits() -> None:
    assert_dist("On 2 qubits apply X to all qubits", {"11": 1.0})
    assert_dist(
        "Crea un estado GHZ de 3 qubits y luego aplica X a todos los qubits",
        {"000": 0.5, "111": 0.5},
    )


def test_single_qubit_gate_on_a_list() -> None:
    assert gates("H on qubits 0, 1 and 2") == [Gate("h", (q,)) for q in range(3)]


def test_cnot_fan_out() -> None:
    assert gates("CNOT with control 0 and targets 1 and 2") == [
        Gate("cx", (0, 1)),
        Gate("cx", (0, 2)),
    ]


def test_controlled_rotation_and_phase() -> None:
    (g,) = gates("controlled RZ(pi/2) from 0 to 1")
    assert (g.name, g.qubits, g.params) == ("crz", (0, 1), pytest.approx((math.pi / 2,)))
    (g,) = gates("controlled phase pi/4 from qubit 0 to qubit 1")
    assert g.name == "cp"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("CRX(pi/3) from 0 to 1", "crx"),
        ("CRY(pi/3) 0 1", "cry"),
        ("CRZ(pi/3) 0 1", "crz"),
        ("CP(pi/3) 0 1", "cp"),
    ],
)
def test_controlled_rotation_names(text: str, name: str) -> None:
    (g,) = gates(text)
    assert (g.name, g.qubits, g.params) == (name, (0, 1), pytest.approx((math.pi / 3,)))


def test_phase_gate() -> None:
    (g,) = gates("phase gate of pi/4 on qubit 0")
    assert (g.name, g.params) == ("p", pytest.approx((math.pi / 4,)))


@pytest.mark.parametrize(
    ("text", "measured"),
    [
        ("H on qubit 0 then CNOT 0 1 then CNOT 1 2, measure qubits 0 and 2", (0, 2)),
        ("X on qubit 2, mide los qubits 2 y 0", (0, 2)),
        ("H on qubit 0 then CNOT 0 1 and measure the second qubit", (1,)),
        ("X on qubit 2 and measure all", (0, 1, 2)),
    ],
)
def test_measure_selects_qubits(text: str, measured: tuple[int, ...]) -> None:
    assert compile_description(text).measured == measured


def test_measured_subset_distribution() -> None:
    assert_dist("X on qubit 2 then measure qubits 0 and 2", {"01": 1.0})


def test_a_qubit_index_is_never_read_as_part_of_an_angle() -> None:
    """ "qubit 0 by pi/2" once read as 0·π/2: a rotation silently became the identity."""
    from bioql.language import compile_description

    program = compile_description("Rotate qubit 0 by pi/2 around the x axis")
    (gate,) = program.gates()
    assert gate.name == "rx" and abs(gate.params[0] - 3.141592653589793 / 2) < 1e-12


def test_arrows_only_between_qubits_and_digit_ordinals() -> None:
    """ "|psi->" once lost its sign to the arrow rule: Ψ− read as Ψ+."""
    from bioql.language import compile_description

    assert compile_description("Create |psi->").steps[0].params["variant"] == "psi-"
    assert compile_description("CNOT q1->q0").reading == "CNOT with control 1 and target 0"
    assert compile_description("Apply X to the 2nd qubit").reading == "X on qubit 1"


def test_twice_repeats_a_gate_and_triple_controlled_has_three_controls() -> None:
    from bioql.language import compile_description

    program = compile_description("On qubit 0 apply H, then P(π/2) twice, then H")
    assert [g.name for g in program.gates()] == ["h", "p", "p", "h"]
    mcsx = compile_description("a triple-controlled SX with controls 0, 1 and 2 and target 3")
    assert [(g.name, g.qubits) for g in mcsx.gates()] == [("mcsx", (0, 1, 2, 3))]


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("X on 1..3", "X on qubits 1, 2 and 3"),
        ("CNOT from 0 to 2", "CNOT with control 0 and target 2"),
        ("H on qubits 0 to 2", "H on qubits 0, 1 and 2"),
        (
            "Put an X on the first and on the last qubit of a 4-qubit register",
            "X on qubits 0 and 3",
        ),
    ],
)
def test_ranges_and_ordinal_lists(text: str, reading: str) -> None:
    from bioql.language import compile_description

    assert compile_description(text).reading == reading
