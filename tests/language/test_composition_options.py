"""Composition with then / y luego, and run options (shots, backend) stated in the text."""

from __future__ import annotations

import pytest

from bioql.errors import BioQLValueError
from bioql.language import compile_description
from tests.language.helpers import assert_dist


@pytest.mark.parametrize(
    ("text", "kinds", "expected"),
    [
        ("Create a Bell state then apply X to qubit 0", ["bell", "gate"], {"01": 0.5, "10": 0.5}),
        ("Crea un estado de Bell y luego aplica X al qubit 1", ["bell", "gate"], {"01": 0.5, "10": 0.5}),
        ("QFT on 3 qubits followed by the inverse QFT", ["qft", "iqft"], {"000": 1.0}),
        ("QFT de 4 qubits, después la QFT inversa", ["qft", "iqft"], {"0000": 1.0}),
        ("Prepare |110> and then apply the QFT and then the inverse QFT", ["basis", "qft", "iqft"], {"110": 1.0}),
        ("GHZ state on 3 qubits then H on all qubits", ["ghz", "gate"],
         {"000": 0.25, "011": 0.25, "101": 0.25, "110": 0.25}),
        ("prepare |+> then H on qubit 0", ["state", "gate"], {"0": 1.0}),
        ("Create a Bell state apply X to qubit 0", ["bell", "gate"], {"01": 0.5, "10": 0.5}),
    ],
)  # fmt: skip
def test_composition(text: str, kinds: list[str], expected: dict[str, float]) -> None:
    assert compile_description(text).kinds == kinds
    assert_dist(text, expected)


def test_unsized_construct_adopts_register_size() -> None:
    assert compile_description("QFT on 5 qubits then inverse QFT").num_qubits == 5
    assert compile_description("GHZ state then X on qubit 4").num_qubits == 5


def test_named_state_placed_on_qubits() -> None:
    program = compile_description("On 3 qubits, Bell state on qubits 1 and 2")
    assert program.num_qubits == 3
    assert_dist("On 3 qubits, Bell state on qubits 1 and 2", {"000": 0.5, "011": 0.5})


def test_entangle_named_qubits() -> None:
    assert_dist("On 3 qubits, entangle qubits 0 and 2", {"000": 0.5, "101": 0.5})
    assert compile_description("Create an entangled GHZ state on 4 qubits").kinds == ["ghz"]


def test_mismatched_sizes_are_explained() -> None:
    with pytest.raises(BioQLValueError, match=r"disagree on the number of qubits.*3.*4"):
        compile_description("QFT on 3 qubits then inverse QFT on 4 qubits")
    with pytest.raises(BioQLValueError, match="uses qubit 2, but the program has 2 qubit"):
        compile_description("Create a Bell state then apply X to qubit 2")


def test_ancillas_stay_unmeasured_after_composition() -> None:
    program = compile_description("Bernstein-Vazirani with secret 101 then X on qubit 0")
    assert program.measured == (0, 1, 2)
    assert_dist("Bernstein-Vazirani with secret 101 then X on qubit 0", {"001": 1.0})


def test_measure_must_come_last() -> None:
    with pytest.raises(BioQLValueError, match="measures at the end"):
        compile_description("H on qubit 0, measure qubit 0, then X on qubit 0")


@pytest.mark.parametrize(
    ("text", "shots"),
    [
        ("Create a Bell state and run it 2000 times", 2000),
        ("Create a Bell state with two thousand shots", 2000),
        ("Create a Bell state with 2,000 shots", 2000),
        ("Bell state, shots = 512", 512),
        ("Crea un estado de Bell con 500 disparos", 500),
        ("Crea un estado de Bell con quinientas mediciones", 500),
        ("estado GHZ de 3 qubits con mil repeticiones", 1000),
        ("estado GHZ de 3 qubits, dos mil quinientos disparos", 2500),
        ("Create a Bell state", None),
    ],
)
def test_shots_in_text(text: str, shots: int | None) -> None:
    program = compile_description(text)
    assert program.shots == shots
    assert program.kinds[0] in ("bell", "ghz")


@pytest.mark.parametrize(
    ("text", "backend"),
    [
        ("Create a Bell state and run it 2000 times on IBM Brisbane", "ibm_brisbane"),
        ("Bell state on ibm_torino", "ibm_torino"),
        ("Bell state on the simulator", "simulator"),
        ("Bell state en el simulador", "simulator"),
        ("Bell state on the statevector simulator", "statevector"),
        ("Bell state with exact probabilities", "statevector"),
        ("Bell state with fake Torino noise", "fake_torino"),
        ("Bell state con el ruido de Brisbane", "fake_brisbane"),
        ("Bell state on fake_kyiv", "fake_kyiv"),
        ("Bell state on a noisy simulator", "fake_brisbane"),
        ("Bell state on IonQ", "ionq_simulator"),
        ("Bell state on the IonQ simulator", "ionq_simulator"),
        ("Bell state on IonQ hardware", "ionq_qpu"),
        ("Bell state on IonQ Aria", "ionq_aria-1"),
        ("Bell state on IBM", "ibm_brisbane"),
        ("Create a Bell state", None),
    ],
)
def test_backend_in_text(text: str, backend: str | None) -> None:
    program = compile_description(text)
    assert program.backend == backend
    assert program.kinds == ["bell"]


def test_two_backends_is_an_error() -> None:
    with pytest.raises(BioQLValueError, match="more than one backend"):
        compile_description("Bell state on IBM Brisbane and on IonQ")


@pytest.mark.parametrize(
    ("text", "shots", "backend"),
    [
        ("Apply H to qubit 0 then measure all qubits with shots=10,000", 10000, None),
        ("Prepara un par de Bell con 1.024 disparos", 1024, None),
        ("bell pair, 1k shots", 1000, None),
        ("ghz 3, 8192 shots", 8192, None),
        ("Genera un GHZ de 3 qubits en una simulación ruidosa de IBM Manila", None, "fake_manila"),
        ("a GHZ state on 2 qubits using the simulador en la nube de IonQ", None, "ionq_simulator"),
        ("HOLA, UN ESTADO GHZ DE 3 QUBITS EN EL SIMULADOR CON EL MODELO DE RUIDO DE IBM OSAKA",
         None, "fake_osaka"),
        ("Bell state on IonQ Aria 2", None, "ionq_aria-2"),
    ],
)  # fmt: skip
def test_counts_and_backends_as_people_write_them(
    text: str, shots: int | None, backend: str | None
) -> None:
    program = compile_description(text)
    assert (program.shots, program.backend) == (shots, backend)


@pytest.mark.parametrize(
    "text",
    [
        "a Bell pair with 500, 512 and 4096 shots",  # three counts: one run cannot take them all
        "Bell state on the Aer simulator and on a noisy simulation of IBM Brisbane",  # two backends
        "Create a Bell state on the simulator and on the statevector simulator",
        "Apply H to 2 and 3 qubits",  # two sizes (was H on qubit 2)
    ],
)
def test_two_values_for_one_setting_are_refused(text: str) -> None:
    with pytest.raises(BioQLValueError):
        compile_description(text)


def test_a_thousands_separator_at_the_end_of_the_text() -> None:
    assert compile_description("Bell state with a shot count of 20,000").shots == 20000
