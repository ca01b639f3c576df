"""Every named construct, in English and Spanish, gives its exact textbook distribution."""

from __future__ import annotations

import pytest

from bioql.language import EXAMPLES, compile_description
from tests.language.helpers import assert_dist

HALF = 0.5
PHI = {"00": HALF, "11": HALF}
PSI = {"01": HALF, "10": HALF}
UNIFORM3 = {format(i, "03b"): 1 / 8 for i in range(8)}

CASES = [
    # Bell states
    ("Create a Bell state", PHI, ["bell"]),
    ("Crea un estado de Bell", PHI, ["bell"]),
    ("Prepare the Bell state phi minus", PHI, ["bell"]),
    ("Prepara el estado de Bell Φ−", PHI, ["bell"]),
    ("Create the Ψ+ Bell state", PSI, ["bell"]),
    ("prepara el estado psi mas", PSI, ["bell"]),
    ("Make an EPR pair", PHI, ["bell"]),
    ("Prepare the singlet", PSI, ["bell"]),
    ("Prepara el estado singlete", PSI, ["bell"]),
    ("Bell state psi-minus on 2 qubits", PSI, ["bell"]),
    ("Create an entangled pair", PHI, ["bell"]),
    ("Entrelaza los qubits 0 y 1", PHI, ["bell"]),
    # GHZ and W
    ("Create a 3-qubit GHZ state", {"000": HALF, "111": HALF}, ["ghz"]),
    ("Make a cat state on five qubits", {"00000": HALF, "11111": HALF}, ["ghz"]),
    ("Crea un estado GHZ de cuatro qubits", {"0000": HALF, "1111": HALF}, ["ghz"]),
    ("estado gato de 2 qubits", PHI, ["ghz"]),
    ("Create a W state on 3 qubits", {"100": 1 / 3, "010": 1 / 3, "001": 1 / 3}, ["w"]),
    (
        "Prepara un estado W de cuatro qubits",
        {"1000": 0.25, "0100": 0.25, "0010": 0.25, "0001": 0.25},
        ["w"],
    ),
    # superposition and single-qubit / basis states
    ("Put 3 qubits in uniform superposition", UNIFORM3, ["superposition"]),
    ("superposición uniforme de 3 qubits", UNIFORM3, ["superposition"]),
    ("Prepare the |+> state", {"0": HALF, "1": HALF}, ["state"]),
    ("Prepare |->", {"0": HALF, "1": HALF}, ["state"]),
    ("Prepara el estado |1>", {"1": 1.0}, ["basis"]),
    ("prepare the zero state", {"0": 1.0}, ["basis"]),
    ("Prepare |101>", {"101": 1.0}, ["basis"]),
    ("Prepara el estado |0110⟩", {"0110": 1.0}, ["basis"]),
    ("prepare |1> on 3 qubits", {"111": 1.0}, ["basis"]),
    # QFT: |0..0> gives the uniform distribution; QFT then inverse QFT is the identity
    ("Run QFT on 3 qubits and measure", UNIFORM3, ["qft"]),
    ("Aplica la transformada cuántica de Fourier a 3 qubits", UNIFORM3, ["qft"]),
    ("QFT of |101> then inverse QFT", {"101": 1.0}, ["basis", "qft", "iqft"]),
    ("la QFT de |011> y luego la QFT inversa", {"011": 1.0}, ["basis", "qft", "iqft"]),
    ("inverse QFT of |110>", UNIFORM3, ["basis", "iqft"]),
    # Grover (exact textbook success probabilities)
    (
        "Grover search for 101",
        {**{format(i, "03b"): 1 / 128 for i in range(8)}, "101": 121 / 128},
        ["grover"],
    ),
    ("Búsqueda de Grover del estado |11>", {"11": 1.0}, ["grover"]),
    ("Grover search for 011 and 110", {"011": HALF, "110": HALF}, ["grover"]),
    ("busca 01 con Grover", {"01": 1.0}, ["grover"]),
    # Bernstein–Vazirani: the secret, read left to right
    ("Bernstein-Vazirani with secret 1011", {"1011": 1.0}, ["bv"]),
    ("Ejecuta Bernstein-Vazirani con la cadena secreta 0010", {"0010": 1.0}, ["bv"]),
    # Deutsch–Jozsa: constant → all zeros; balanced (parity oracle) → all ones
    ("Deutsch-Jozsa with a balanced oracle on 3 qubits", {"111": 1.0}, ["dj"]),
    ("Deutsch-Jozsa constant function on 2 qubits", {"00": 1.0}, ["dj"]),
    ("Deutsch-Jozsa constant 1 on 3 qubits", {"000": 1.0}, ["dj"]),
    ("Deutsch-Jozsa con un oráculo constante de 3 qubits", {"000": 1.0}, ["dj"]),
    ("Deutsch Jozsa balanceado de 2 qubits", {"11": 1.0}, ["dj"]),
    # Phase estimation: binary fraction, most significant bit left
    ("Phase estimation of 0.375 with 3 counting qubits", {"011": 1.0}, ["qpe"]),
    ("Estimate the phase 3/8 with 4 counting qubits", {"0110": 1.0}, ["qpe"]),
    ("QPE of pi/4", {"001": 1.0}, ["qpe"]),
    ("QPE of 90 degrees with 2 counting qubits", {"01": 1.0}, ["qpe"]),
    ("Estimación de fase de 0.25 con 2 qubits de conteo", {"01": 1.0}, ["qpe"]),
    ("estima la fase 0.625", {"101": 1.0}, ["qpe"]),
    # Teleportation: only the receiver's qubit is reported
    ("Teleport the |1> state", {"1": 1.0}, ["teleport"]),
    ("Teleport |0>", {"0": 1.0}, ["teleport"]),
    ("Teleport |+>", {"0": HALF, "1": HALF}, ["teleport"]),
    ("Teletransporta el estado uno", {"1": 1.0}, ["teleport"]),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), CASES, ids=[c[0] for c in CASES])
def test_construct_distribution(text: str, expected: dict[str, float], kinds: list[str]) -> None:
    assert compile_description(text).kinds == kinds
    assert_dist(text, expected)


def test_bell_variants_differ_in_phase() -> None:
    """Φ+ and Φ− have the same counts; an H on both qubits tells them apart."""
    assert_dist("Bell state phi plus then H on qubits 0 and 1", PHI)
    assert_dist("Bell state phi minus then H on qubits 0 and 1", PSI)


def test_teleported_plus_is_plus() -> None:
    """The receiver really holds |+> (and |->): an H on it reads 0 (and 1) with certainty."""
    assert_dist("Teleport |+> then apply H to qubit 2", {"0": 1.0})
    assert_dist("Teleport |-> then apply H to qubit 2", {"1": 1.0})


def test_qpe_non_exact_phase_peaks_at_nearest() -> None:
    from tests.language.helpers import dist

    got = dist("phase estimation of 1/3 with 3 counting qubits")
    assert max(got, key=got.get) == "011"  # 0.375 is the closest 3-bit fraction to 1/3
    assert 0.6 < got["011"] < 0.8


def test_qpe_default_counting_holds_phase_exactly() -> None:
    program = compile_description("QPE of 0.8125")  # 0.1101 in binary
    assert program.measured == (0, 1, 2, 3)
    assert_dist("QPE of 0.8125", {"1101": 1.0})


def test_grover_several_marked_uses_fewer_iterations() -> None:
    one = compile_description("Grover search for 0110").steps[0].params["iterations"]
    two = compile_description("Grover search for 0110 and 1001").steps[0].params["iterations"]
    assert (one, two) == (3, 2)


def test_grover_decimal_item_with_qubit_count() -> None:
    assert compile_description("search for 5 on 3 qubits").steps[0].params["marked"] == ["101"]


@pytest.mark.parametrize("text", [p for phrases in EXAMPLES.values() for p in phrases])
def test_every_example_compiles(text: str) -> None:
    program = compile_description(text)
    assert program.steps
    assert program.measured
