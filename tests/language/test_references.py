"""How people point at qubits and steps they already named: pronouns, "both", implied controls,
sandwiches, repetitions, and gates that say how a state is built. Each reading is checked by the
distribution it produces; each ambiguous or contradictory phrasing by the error it raises."""

from __future__ import annotations

import pytest

from bioql.errors import BioQLError, BioQLParseError
from bioql.language import compile_description
from tests.language.helpers import assert_dist


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # pronouns and "both" refer to the qubits named just before
        ("Set qubit 1 to |1> and then swap it with qubit 3.", {"0001": 1.0}),
        ("apply X to qubit 0, then use it as the control of a CNOT onto qubit 1", {"11": 1.0}),
        (
            "Con los qubits 0, 1 y 2 en 1, aplica una X controlada por ellos sobre el qubit 3.",
            {"1111": 1.0},
        ),
        (
            "Apply a CZ between qubits 1 and 3 after putting both of them in superposition, "
            "then H on qubits 1 and 3",
            {"0000": 0.25, "0001": 0.25, "0100": 0.25, "0101": 0.25},
        ),
        # controls the register implies
        ("Put qubits 0 and 1 in |1> and apply a Toffoli to qubit 2.", {"111": 1.0}),
        ("Applies X to qubits 0-2, then a C3X targeting qubit 3.", {"1111": 1.0}),
        ("Starting from |10>, a CNOT with qubit 0 as control flips qubit 1.", {"11": 1.0}),
        # a gate between two others
        ("Apply Z to qubit 0 between two Hadamards.", {"1": 1.0}),
        ("aplica una fase P(pi) al qubit 0 entre dos hadamards", {"1": 1.0}),
        ("Entre dos puertas Hadamard, se aplica una Z al qubit 0.", {"1": 1.0}),
        # repetitions
        ("apply two SX gates to qubit 0", {"1": 1.0}),
        ("oye, aplica X y luego dos SX seguidas al qubit 0", {"0": 1.0}),
        # how a state is built, said beside it
        ("Make a Bell pair with a Hadamard and a CNOT.", {"00": 0.5, "11": 0.5}),
        ("Apply a Hadamard and a CNOT to make a Bell pair.", {"00": 0.5, "11": 0.5}),
        (
            "a uniform superposition of 2 qubits (H on both qubits)",
            {"00": 0.25, "01": 0.25, "10": 0.25, "11": 0.25},
        ),
        # one qubit named: gates without a qubit act on it
        ("Qubit 1 receives an X gate, then a Hadamard, then an S gate.", {"00": 0.5, "01": 0.5}),
        # CNOTs written as pairs
        ("H on q0, then CNOT q0->q1 and q0->q2", {"000": 0.5, "111": 0.5}),
        # ordinals without the word "qubit"
        ("tengo 4 qubits y quiero una X en el segundo y en el cuarto", {"0101": 1.0}),
        # the remaining qubits next to a construct
        (
            "On 3 qubits, put the first two in superposition and flip the remaining qubits.",
            {"001": 0.25, "011": 0.25, "101": 0.25, "111": 0.25},
        ),
        # "the other two" counts the qubits that remain; it never names qubit 2
        ("Put the first qubit in superposition and flip the other two", {"011": 0.5, "111": 0.5}),
        (
            "aplica X al primer qubit y H a los otros dos",
            {"100": 0.25, "101": 0.25, "110": 0.25, "111": 0.25},
        ),
        # "measure them" measures the qubits just named
        ("Apply X to qubits 1 and 2 and measure them", {"11": 1.0}),
        ("Apply H to qubit 0, then apply a CNOT from it to qubit 2", {"000": 0.5, "101": 0.5}),
        # a state named and written out: the writing says which one, and must agree
        (
            "Prepare the Bell state (|01> + |10>)/sqrt(2), then H on both qubits",
            {"00": 0.5, "11": 0.5},
        ),
        (
            "I want the singlet written out, (|01> − |10>)/√2, then H on both qubits",
            {"01": 0.5, "10": 0.5},
        ),
        ("Prepare the GHZ state (|000> + |111>)/sqrt(2)", {"000": 0.5, "111": 0.5}),
        # a role word after a list gives the role to the whole list
        (
            "set qubits 1 and 2 to 1, then a CCX with those two as controls and qubit 0 as the "
            "target",
            {"111": 1.0},
        ),
        ("a CZ from qubit 0 to 1 between Hadamards on qubit 1", {"00": 1.0}),  # "to 1" is a qubit
        # starting states said in other ways
        ("initialise the register to 011 and apply a Toffoli", {"011": 1.0}),
        ("apply X on |1> on 3 qubits", {"000": 1.0}),
        ("With input 101, run the QFT and then the inverse QFT", {"101": 1.0}),
        ("encode the number 6 on 3 qubits and apply X to qubit 0", {"010": 1.0}),
        ("Load 3 in binary into a 2-qubit register and measure", {"11": 1.0}),
        # gates in other word orders and spellings
        ("aplica X al qubit 0 y una Y controlada del qubit 0 al qubit 1", {"11": 1.0}),
        ("aplica X al qubit 1 y una X controlada por el qubit 1 sobre el qubit 0", {"11": 1.0}),
        (
            "X on qubits 0 and 1, then a Fredkin gate with control 1 swapping qubits 0 and 2",
            {"011": 1.0},
        ),
        ("apply the square root of NOT to qubit 0 twice", {"1": 1.0}),
        ("apply sqrt(X) to qubit 0, then sqrt(X) again to qubit 0", {"1": 1.0}),
        # a state said as a condition is where the circuit starts, wherever it is written
        ("Apply a CNOT from 0 to 1, with qubit 0 in |1>", {"11": 1.0}),
        # "that qubit" is the one just named
        ("apply X to qubit 2 of 3 qubits and measure only that qubit", {"1": 1.0}),
        # qubits left alone still count in the register; "except" takes qubits out of "all"
        (
            "Put qubits 1..3 in superposition, leaving qubit 0 alone.",
            {f"0{k:03b}": 1 / 8 for k in range(8)},
        ),
        (
            "Each of the qubits 0 through 2 receives an X gate; qubit 3 is left in |0>.",
            {"1110": 1.0},
        ),
        ("Apply X gates to all qubits except qubit 2 in a four-qubit circuit", {"1101": 1.0}),
        # a recipe said with "then" is still the recipe; what follows it is a step
        (
            "Entangle qubit 0 with qubit 3 using H on 0 then CNOT 0→3, then X on qubit 1",
            {"0100": 0.5, "1101": 0.5},
        ),
        # a gate's name restated in brackets is one gate; roles after "and" stay with their gate
        (
            "A controlled-Hadamard (CH) with control qubit 0 and target qubit 1 acts on |10>.",
            {"10": 0.5, "11": 0.5},
        ),
        # a size or count given as a setting
        (
            "Applies H to qubit 0 and CNOT(0, 1); measures qubit 1 only. Register size: 3.",
            {"0": 0.5, "1": 0.5},
        ),
        ("qpe phase=0.75 counting=2", {"11": 1.0}),
        # rotations named by their gate; arrows between words; "first" as "beforehand"
        ("qubit 0 is rotated by RY(pi) and measured", {"1": 1.0}),
        ("C3X: controls 0,1,2 -> target 3, with qubits 0-2 flipped beforehand", {"1111": 1.0}),
        ("apply a CNOT from qubit 0 to qubit 1, with qubit 0 flipped first", {"11": 1.0}),
        # a label before a written state
        ("psi = (|00> + |11>)/sqrt(2), then CNOT 0 1 and H on qubit 0", {"00": 1.0}),
        (
            "Aplica X al primer qubit y una CNOT desde el primero hasta el último de 3 qubits",
            {"101": 1.0},
        ),
        # "start with qubit 1 in |1>": the number after "qubit" is the qubit, not the state
        ("Start with qubit 1 in |1>, then apply H to qubit 0", {"01": 0.5, "11": 0.5}),
        (
            "Begin with qubits 0 and 2 set to 1 and apply a Toffoli controlled by them onto qubit 1",
            {"111": 1.0},
        ),
        ("start with the qubits in |101>", {"101": 1.0}),
        # a random number by its range; a one-qubit state written out, teleported
        (
            "Generate a random number between 0 and 7 using qubits.",
            {f"{k:03b}": 1 / 8 for k in range(8)},
        ),
        ("How do I teleport 0.6|0> + 0.8|1> to Bob?", {"0": 0.36, "1": 0.64}),
        # a list with commas stays one list; a role after a plural list is the list's
        (
            "Se aplica una X controlada por los qubits 0-2 sobre el qubit 3, tras poner los qubits "
            "0, 1 y 2 en |1>.",
            {"1111": 1.0},
        ),
        (
            "aplica X a los qubits 1 y 2 y despues una toffoli con esos dos como control y el "
            "qubit 0 como objetivo",
            {"111": 1.0},
        ),
        # "another", "again", "a final": the same gate again, on the qubit the text is about
        (
            "With the register initially in |0011>, qubit 3 gets a Hadamard, then a CZ with "
            "qubit 2, then another Hadamard.",
            {"0010": 1.0},
        ),
        ("apply X to qubit 0, then H to qubit 1, then X again", {"00": 0.5, "01": 0.5}),
        (
            "Put qubit 0 in superposition, apply S, T, T† and S† in that order, then a final H.",
            {"0": 1.0},
        ),
        # a role naming a qubit the list already has
        (
            "A Hadamard acts on qubit 0, followed by a CNOT between qubits 0 and 2 with qubit 0 "
            "as the control.",
            {"000": 0.5, "101": 0.5},
        ),
        # functions, counts and sizes said in other ways
        ("Deutsch's algorithm is run on the constant function f(x) = 1.", {"0": 1.0}),
        (
            "In the Deutsch–Jozsa algorithm, a balanced oracle on two input bits is queried once.",
            {"11": 1.0},
        ),
        (
            "quiero empezar con todos los qubits en uno (son 2) y luego aplicar una X al primero",
            {"01": 1.0},
        ),
        ("X on qubits 0 and 1 of 3", {"110": 1.0}),
        ("Teleport from Alice to Bob a qubit that was flipped by an X gate.", {"1": 1.0}),
        # after heldout4's blind run (its two wrong items and some refusals, as mechanisms)
        ("Aplica X del qubit 1 al 3 en un registro de 4 qubits.", {"0111": 1.0}),
        ("cry(pi), control 0, target 1; qubit 0 prepared with x", {"11": 1.0}),
        (
            "Flip qubit 0 of a 3-qubit register and apply H to the remaining ones.",
            {"100": 0.25, "101": 0.25, "110": 0.25, "111": 0.25},
        ),
        ("¿Cómo aplico una X a cada qubit de un registro de 3 excepto al último?", {"110": 1.0}),
        (
            "quiero poner una X en todos los qubits de un registro de 4 menos en el segundo",
            {"1011": 1.0},
        ),
        ("Aplica X a los qubits 0 y 3 de un registro de 4 y mide solo esos dos.", {"11": 1.0}),
        (
            "First flip qubit 2, then use it as the control of a CNOT whose target is qubit 0.",
            {"101": 1.0},
        ),
        # "the controls" of the one controlled gate, set to 1 first
        (
            "Apply a C3X with controls 0, 1, 2 and target 3, after flipping all the controls to 1.",
            {"1111": 1.0},
        ),
        (
            "Apply a Toffoli controlled by qubits 0 and 1 onto the last qubit of a 4-qubit "
            "register, with both controls set to 1 beforehand.",
            {"1101": 1.0},
        ),
        (
            "Aplica una C3X con controles 0, 1 y 2 y objetivo 3, después de poner X en los tres "
            "controles.",
            {"1111": 1.0},
        ),
        (
            "A CNOT with qubit 3 as control and qubit 1 as target is applied after the control "
            "has been flipped with X.",
            {"0101": 1.0},
        ),
        (
            "Se ponen los qubits 1 y 3 de un registro de cuatro en superposición, se aplica una CZ "
            "entre ellos y, por último, otra Hadamard al qubit 3.",
            {"0000": 0.5, "0101": 0.5},
        ),
        (
            "Se parte del estado |100> y se aplica una SWAP entre el primer y el último qubit.",
            {"001": 1.0},
        ),
        ("# ket: sqrt(0.36)|0> + sqrt(0.64)|1>", {"0": 0.36, "1": 0.64}),
        # "después de eso" is "after that" (the CNOT ran first); a bit string is a state
        ("Aplica H al qubit 0, después de eso CNOT del 0 al 1", {"00": 0.5, "11": 0.5}),
        ("Apply the QFT to the bit string 1101, then the inverse QFT", {"1101": 1.0}),
        # "its inverse" undoes the step before
        ("Prepare |10> and apply the QFT on 2 qubits followed by its inverse.", {"10": 1.0}),
        ("apply S to qubit 0 between two Hadamards, then its inverse", {"0": 1.0}),
        # a qubit said by its place or its role in words
        ("oye, tengo 3 qubits y quiero invertir solo el del medio", {"010": 1.0}),
        ("Starting from |01>, apply a CNOT with qubit 1 controlling qubit 0.", {"11": 1.0}),
        ("Tras poner el qubit 0 en 1, aplica una CNOT del qubit 0 al qubit 1.", {"11": 1.0}),
        ("If I start in |10>, swap the two qubits", {"01": 1.0}),
        ("Bell desde |10>", {"00": 0.5, "11": 0.5}),  # H|1> = |->: the phase shows as Φ−
        ("Prepare a Bell pair, but start from |01> instead of |00>.", {"01": 0.5, "10": 0.5}),
        # the state a protocol sends, prepared by a gate
        ("Teleport a qubit prepared with an X gate from Alice to Bob.", {"1": 1.0}),
        # a search phrased around the item
        (
            "In a list of 8 items, find the one labelled 110; can Grover help?",
            {**{f"{k:03b}": 1 / 128 for k in range(8)}, "110": 121 / 128},
        ),
    ],
)
def test_references_read_as_people_mean_them(text: str, expected: dict[str, float]) -> None:
    assert_dist(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Create a Bell state with an X on qubit 1",  # a recipe that builds something else
        "Make a Bell pair with a Hadamard on 7 qubits and a CNOT",  # more than a recipe
        "apply a Toffoli on qubit 2 of 4 qubits",  # three other qubits, two controls
        "Apply a CNOT with qubit 1 as both the control and the target.",
        "Apply X to qubit 2, then swap it",  # one qubit named, SWAP needs two
        "X on qubits 0 and 0",  # the same qubit twice
        "flip the middle qubit of 4 qubits",  # no middle in an even register
        "Prepare a Bell pair, but start from |01> instead of |11>.",  # not the usual start
        "(|01> + |10>)/sqrt(2), then its inverse",  # a state preparation has no inverse here
        "its inverse",  # nothing before it to undo
        "Set both controls to 1 and apply H to qubit 0",  # no controlled gate
        "Apply a C3X with controls 0, 1, 2 and target 3, with both controls set to 1",  # 2 ≠ 3
        "a random number between 0 and 5",  # not a whole number of bits
        "apply a Hadamard (X) to qubit 0",  # two gate names for one gate
        "Apply X to qubit 0, leaving qubit 1 in |1>",  # left alone, but not in |0>
        "H on qubit 0 except qubit 1",  # nothing to take qubit 1 out of
        "pon el qubit del medio de un registro de 3 qubits en |1>",  # a state placed by place
        "create a Bell state and measure only",  # only which?
        "apply H to qubit 0, then prepare |1> on qubit 0",  # a preparation after use is a reset
        "the Bell state phi+ (|00> - |11>)/sqrt(2)",  # named one state, wrote another
        "a GHZ state on 4 qubits (|000> + |111>)/sqrt(2)",  # sizes disagree
        "On 4 qubits flip qubit 0 and put the other two in superposition",  # three remain
    ],
)
def test_what_cannot_be_pointed_at_is_refused(text: str) -> None:
    with pytest.raises(BioQLError):
        compile_description(text)


def test_a_refused_recipe_names_its_words_and_the_fix() -> None:
    with pytest.raises(BioQLParseError) as info:
        compile_description("Create a Bell state with an X on qubit 1")
    assert info.value.unknown_words == ["X on qubit 1"]
    assert "then X on qubit 1" in str(info.value)
