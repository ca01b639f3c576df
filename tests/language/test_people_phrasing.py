"""Phrasings people use that BioQL's own examples do not: verbs and pronouns that carry a qubit
("it then controls an X", "úsalo", "entangle it with qubit 1"), gate names said twice ("the
phase gate P(pi/2)"), places ("the outer qubits"), chat ("can u"). Each reading is checked by the
distribution it produces; each phrasing that cannot be read safely by the error it raises."""

from __future__ import annotations

import pytest

from bioql.circuits.qiskit import ideal_probabilities
from bioql.errors import BioQLError
from bioql.language import compile_description, describe
from bioql.language.lexicon import correct
from tests.language.helpers import assert_dist

BELL = {"00": 0.5, "11": 0.5}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "controls" as a verb: the qubit before it (or the one just named) is the control
        ("I want a circuit where qubit 0 gets a Hadamard and then controls an X on qubit 1.", BELL),
        ("qubit 1 controls an X on qubit 0 after an X on qubit 1", {"11": 1.0}),
        # "entangle it with": a CNOT from the qubit just put in superposition
        ("Put qubit 0 in superposition and entangle it with qubit 1.", BELL),
        ("Put the first qubit in superposition and entangle it with the second.", BELL),
        ("Pon el primer qubit en superposición y entrelázalo con el segundo.", BELL),
        (
            "Aplica H al qubit 0 y luego úsalo como control de una X sobre el qubit 2.",
            {"000": 0.5, "101": 0.5},
        ),
        # a gate's name and its symbol are one gate; "H H" is two
        ("Apply the phase gate P(pi) to qubit 0 between two Hadamards.", {"1": 1.0}),
        ("Apply the Hadamard gate H to qubit 0.", {"0": 0.5, "1": 0.5}),
        ("Apply H H to qubit 0.", {"0": 1.0}),
        ("Aplica una rotación RY de pi al qubit 0 y luego una X al qubit 1.", {"11": 1.0}),
        ("Aplica la fase S al qubit 0 después de H, y luego H.", {"0": 0.5, "1": 0.5}),
        ("Apply RX of pi halves to qubit 0, then RX(pi half) to qubit 0.", {"1": 1.0}),
        ("Aplica RX de pi medios al qubit 0 dos veces.", {"1": 1.0}),
        # a role and the state the gate acts on, after "and"
        (
            "Apply a Toffoli with qubits 0 and 1 as controls and qubit 2 as target on |110>.",
            {"111": 1.0},
        ),
        # a state placed on each qubit
        (
            "Prepare (|0> + |1>)/√2 on qubit 0 and (|0> − |1>)/√2 on qubit 1, then apply H to "
            "both of them.",
            {"01": 1.0},
        ),
        (
            "I need (|0> + |1>)/√2 on qubit 0 and |1> on qubit 1, just measure at the end",
            {"01": 0.5, "11": 0.5},
        ),
        # API-style keyword arguments
        ("Applies X(qubits=[0, 1]) then CCX(controls=[0, 1], target=2).", {"111": 1.0}),
        # "undo": the inverse of the step before, or the gate that does the undoing
        ("Apply S to qubit 0 after H, then undo it, then H.", {"0": 1.0}),
        ("start all 3 qubits in one and then undo the middle one with another X", {"101": 1.0}),
        # a condition on qubits being 1 names the gate's controls
        ("Flip qubit 1 if qubit 0 is one, after H on qubit 0.", BELL),
        ("If qubit 0 is 1 apply X to qubit 1, starting from |10>", {"11": 1.0}),
        (
            "A Toffoli gate flips qubit 2 when qubits 0 and 1 are both 1; here both controls "
            "are first set to 1.",
            {"111": 1.0},
        ),
        ("What happens if qubit 0 is in |1> and I apply X to qubit 1?", {"11": 1.0}),  # a start
        # named twice: "controlled phase CP(π)"
        (
            "Put qubits 0 and 1 in superposition, apply a controlled phase CP(π) between them, "
            "then a Hadamard on qubit 1.",
            {"00": 0.5, "11": 0.5},
        ),
        # words of coders and chat
        ("Spin up a W state on 2 qubits please.", {"01": 0.5, "10": 0.5}),
        ("qc.h(0); qc.cx(0, 1)", BELL),
        ("Apply U3(pi, 0, pi) to qubit 0.", {"1": 1.0}),
        (
            "apply hadamards everywhere on 2 qubits",
            {"00": 0.25, "01": 0.25, "10": 0.25, "11": 0.25},
        ),
        ("Apply the sqrt(X) gate to qubit 0 and then its adjoint.", {"0": 1.0}),
        (
            "Put qubit 0 in superposition and entangle it with the last qubit of a 3 qubit "
            "register.",
            {"000": 0.5, "101": 0.5},
        ),
        ("Put the 2nd qubit in |1>, leave the rest alone, 3 qubits total.", {"010": 1.0}),
        # a gate said as a verb and again after "with" is one gate; a state "with H" says how
        (
            "Carga el número 2 en binario en dos qubits e intercambia los qubits 0 y 1 con un SWAP.",
            {"01": 1.0},
        ),
        ("Put qubit 0 in |+> with H, apply P(π) and then H again.", {"1": 1.0}),
        ("registro en 1100, X en q3", {"1101": 1.0}),
        # outcomes asked of some qubits are a measurement of them
        (
            "If I make a W state on 3 qubits, what's the distribution of qubit 0 alone?",
            {"0": 2 / 3, "1": 1 / 3},
        ),
        # sizes and angles written as code
        ("n=3; X(q2); readout: q2", {"1": 1.0}),
        ("Apply U(theta=pi, phi=0, lam=pi) to qubit 0.", {"1": 1.0}),
        ("Usa la puerta U con θ = π, φ = 0 y λ = π sobre el qubit 0.", {"1": 1.0}),
        # "never agree", "each one", "al azar", "sobre" as "on", a range of settings
        ("What circuit gives me two bits that never agree?", {"01": 0.5, "10": 0.5}),
        (
            "Se aplica una Hadamard a cada uno de los dos qubits.",
            {"00": 0.25, "01": 0.25, "10": 0.25, "11": 0.25},
        ),
        ("dame 2 bits al azar", {"00": 0.25, "01": 0.25, "10": 0.25, "11": 0.25}),
        ("Corre Deutsch (una sola entrada) sobre un oráculo constante.", {"0": 1.0}),
        (
            "Apply an X to qubit 3 controlled by qubits 0 through 2, after setting all of qubits "
            "0 through 2 to 1.",
            {"1111": 1.0},
        ),
        # settings, shorthand and roles
        (
            "All three qubits of the register are set to one, and a Toffoli then acts with "
            "controls 0 and 1 and target 2.",
            {"110": 1.0},
        ),
        ("phase estimation θ=0.25 w/ 2 count qubits", {"01": 1.0}),
        ("# 2q register, X on q1", {"01": 1.0}),
        (
            "After an X on qubit 1, a CNOT is placed between qubits 1 and 2, with qubit 1 acting as the control.",
            {"011": 1.0},
        ),
        ("Put two qubits into the superposition (|01> + |10>)/√2.", {"01": 0.5, "10": 0.5}),
        ("hola, ¿me corres un estado de Bell con statevector? sin ruido porfa", BELL),
        # places
        ("Prepare |100> and swap the outer qubits.", {"001": 1.0}),
        (
            "Put the first two qubits in superposition and leave the third alone.",
            {"000": 0.25, "010": 0.25, "100": 0.25, "110": 0.25},
        ),
        # a gate that spans the state it acts on
        ("C3X on |1110>", {"1111": 1.0}),
        ("CCZ on |111> followed by H on the last qubit", {"110": 0.5, "111": 0.5}),
        # bit strings listed after "superposition of"
        (
            "Prepare an equal superposition of 001, 010 and 100.",
            {"001": 1 / 3, "010": 1 / 3, "100": 1 / 3},
        ),
        # chat and framing around code and figures
        ("hey can u do a ghz on 3 qubits pls", {"000": 0.5, "111": 0.5}),
        ("Write Qiskit code for a small demo of a Bell pair and print the counts.", BELL),
        # the Y-basis states written as kets
        ("Make |i> and apply H.", {"0": 0.5, "1": 0.5}),
        ("Prepare |-i>, then S, then H", {"0": 1.0}),
        # starts said with the word "state" or "input"
        ("From the state 10, apply a swap.", {"01": 1.0}),
        ("The input state is |01>; apply a CNOT with control 1 and target 0.", {"11": 1.0}),
        # roles given to ordinals without the word "qubit"
        (
            "Hadamard on the first qubit, then CNOT with the first as control and the second "
            "as target.",
            BELL,
        ),
        # a count of times after a gate and its qubits repeats the gate; after "run", shots
        ("Apply X to qubit 0 three times.", {"1": 1.0}),
        ("Apply X to qubits 0 and 1 two times.", {"00": 1.0}),
        # "but": a new step before a gate, "except" after "all", a negation otherwise
        ("Apply X to qubit 0 and qubit 1 but swap them first.", {"11": 1.0}),
        (
            "Apply H to all qubits but the first in a 3 qubit register.",
            {"000": 0.25, "001": 0.25, "010": 0.25, "011": 0.25},
        ),
        (
            "Aplica H a todos los qubits pero no al qubit 2, son 3.",
            {"000": 0.25, "010": 0.25, "100": 0.25, "110": 0.25},
        ),
        ("Apply H on qubit 0 and NOT on qubit 1.", {"01": 0.5, "11": 0.5}),
        # an entangled state from a stated start, or beside other qubits' steps
        ("With qubit 0 initially in |1>, make a Bell state on qubits 0 and 1.", BELL),  # Φ−
        (
            "Apply X to qubit 2 then create a Bell state on qubits 0 and 1.",
            {"001": 0.5, "111": 0.5},
        ),
        # the value a qubit is set to is its state, never another qubit
        ("Set qubit 2 to 1 and qubit 0 to 1 on 3 qubits.", {"101": 1.0}),
        ("Set qubit 0 to one and qubit 1 to zero.", {"10": 1.0}),
        ("Pon el qubit 0 en 1 y el qubit 2 en 1, son 3 qubits.", {"101": 1.0}),
        ("Set qubit 0 to 1, then a CNOT from qubit 0 to 1", {"11": 1.0}),
        # two marked strings said with "both"; "x" as "times" before a shot count
        ("Search for both 011 and 101 with Grover.", {"011": 0.5, "101": 0.5}),
    ],
)
def test_people_phrasing_reads_as_meant(text: str, expected: dict[str, float]) -> None:
    assert_dist(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Flip qubit 0 and entangle it with qubit 1.",  # a CNOT from |1> entangles nothing
        "apply u to qubit 0",  # the U gate without its angles
        "Prepare an equal superposition of 01, 010 and 100.",  # strings of two lengths
        "Prepare |psi> and apply H.",  # a state with no value: named, never dropped
        "Apply X to |x>.",
        "Apply X to qubit 0 1000 times.",  # a thousand X gates, or a thousand shots?
        "Apply H to qubit 0 but not to qubit 1 in a 2 qubit register.",  # "not" is no gate
        "Apply X to every other qubit of 4.",
        "Toffoli with inverted controls 0 and 1 and target 2",  # controls on |0>
        "Toffoli with controls 0 and 1 flipped beforehand and target 2",  # "flipped" ≠ "flips"
        "Copy the state of qubit 0 to qubit 1.",  # no-cloning: no gate is guessed
        "Create a Bell state and measure only.",  # only which?
        "Apply X to qubit 0 then undo qubit 0",  # undo how?
        "Apply X to qubit 1 when qubit 0 is 0.",  # a control on |0>
        "Apply U(phi=0, theta=pi, lam=pi) to qubit 0",  # named out of order: never positional
        "Bell state on fake torino without noise",  # a noisy device said to be noiseless
        # a second mention of the controls with a value is never absorbed into the gate
        "Apply an X to qubit 4 controlled by qubits 0 through 3, all of qubits 0 through 3 to 1.",
        "start from all ones on 4 qubits and flip qubit 2 back to zero",  # not X on qubit 0
        "Flip qubit 0 to 1 on 2 qubits",  # a value, not qubit 1
        # an entangled state is built from |0...0> or a stated start, not after other steps
        "Put 2 qubits in superposition and then entangle them.",
        "Apply X to qubit 0 then create a Bell state.",
        "Apply H to some qubits.",
        "Apply X to a random qubit.",  # not a random bit
        # real words are never "corrected" into other words
        "Reset qubit 0, then apply X.",  # not "rest"
        "Apply H to all qubits including qubit 0 of 2.",  # not "excluding"
        "Apply X to qubit 0 and leave the touched qubit alone.",  # not "untouched"
    ],
)
def test_phrasing_that_cannot_be_read_safely_is_refused(text: str) -> None:
    with pytest.raises(BioQLError):
        compile_description(text)


def test_x_between_a_count_and_shots_is_times() -> None:
    program = compile_description("ghz 4 qubits x 512 shots fake_kyoto")
    assert (program.shots, program.backend, program.num_qubits) == (512, "fake_kyoto", 4)


def test_shots_said_after_a_run_verb_stay_shots() -> None:
    program = compile_description("Flip a qubit with X and run it 10 times on the simulator.")
    assert (program.shots, program.num_qubits) == (10, 1)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("creat", "create"),  # a typo
        ("rotates", "rotate"),  # a real word in another form of a known one
        ("including", None),  # a real word: never turned into "excluding"
        ("touched", None),  # a prefix changes the meaning
        ("reset", None),
    ],
)
def test_the_corrector_fixes_typos_not_words(word: str, expected: str | None) -> None:
    assert correct(word) == expected


def test_measure_all_the_qubits_measures_ancillas_too() -> None:
    assert compile_description("Teleport |1> but measure all three qubits.").measured == (0, 1, 2)
    assert compile_description("Teleport |1> and measure.").measured == (2,)  # the output


def test_powers_are_written_out() -> None:
    assert compile_description("Random 4-bit number, 2^10 shots.").shots == 1024


@pytest.mark.parametrize(
    "text", ["teleport |i> to bob", "Prepare (|0> + |1>)/√2 on qubit 1 of 3 qubits"]
)
def test_a_placed_state_reads_back_as_itself(text: str) -> None:
    program = compile_description(text)
    again = compile_description(describe(program))
    assert (again.num_qubits, again.measured) == (program.num_qubits, program.measured)
    assert ideal_probabilities(again) == pytest.approx(ideal_probabilities(program))
