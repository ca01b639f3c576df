"""Typos, letter case, accents, number words and polite filler do not change the circuit."""

from __future__ import annotations

from pathlib import Path

import pytest

import bioql.language
from bioql.language import compile_description
from bioql.language.normalize import lex
from bioql.language.numbers import merge_number_words


def same_program(a: str, b: str) -> None:
    pa, pb = compile_description(a), compile_description(b)
    assert (pa.num_qubits, list(pa.gates()), pa.measured) == (
        pb.num_qubits,
        list(pb.gates()),
        pb.measured,
    )


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        # typos
        ("Creat a GHZ stte on thre qubits", "Create a GHZ state on 3 qubits"),
        ("make a bell stat pleese", "Create a Bell state"),
        ("superpostion of 4 qubits", "uniform superposition of 4 qubits"),
        ("grvoer search for 11", "Grover search for 11"),
        ("teleprot |1>", "teleport |1>"),
        ("aply hadamrd to qubit 0", "apply H to qubit 0"),
        ("Bernstien-Vazirani with secrte 101", "Bernstein-Vazirani with secret 101"),
        ("creaa un estaddo de bel", "Crea un estado de Bell"),
        (
            "fase estimacion de 0.375 con tres qubits de contéo",
            "phase estimation of 0.375 with 3 counting qubits",
        ),
        # case
        ("CREATE A BELL STATE", "Create a Bell state"),
        ("cReAtE a gHz StAtE oN 3 qUbItS", "Create a GHZ state on 3 qubits"),
        ("apply h to qubit 0 then cnot from 0 to 1", "Apply H to qubit 0, then CNOT from 0 to 1"),
        # accents optional
        ("superposicion uniforme de 2 qubits", "superposición uniforme de 2 qubits"),
        (
            "estimacion de fase de 0.25 con 2 qubits de conteo",
            "Estimación de fase de 0.25 con 2 qubits de conteo",
        ),
        ("Busqueda de Grover de 11", "Búsqueda de Grover de 11"),
        # number words
        ("GHZ state on five qubits", "GHZ state on 5 qubits"),
        ("estado GHZ de cinco qubits", "GHZ state on 5 qubits"),
        ("GHZ state on twenty one qubits", "GHZ state on 21 qubits"),
        ("estado GHZ de veintiún qubits", "GHZ state on 21 qubits"),
        ("estado GHZ de treinta y dos qubits", "GHZ state on 32 qubits"),
        ("apply X to qubit two", "apply X to qubit 2"),
        ("X on the third qubit of 4 qubits", "X on qubit 2 of 4 qubits"),
        ("X al segundo qubit", "X on qubit 1"),
        ("QPE of 3 over 8", "QPE of 3/8"),
        # filler and politeness
        ("Could you please create a Bell state using BioQL and run it?", "Create a Bell state"),
        ("Por favor, crea un estado de Bell usando BioQL y ejecútalo", "Create a Bell state"),
        (
            "I would like to prepare a GHZ state on 3 qubits and measure it, thanks",
            "GHZ state on 3 qubits",
        ),
        ("Create Bell state on 2 qubits", "Create a Bell state"),
        ("Run QFT on 4 qubits and measure", "QFT on 4 qubits"),
        # symbols
        ("Prepare |Φ+>", "Create a Bell state"),
        ("Prepare |ψ−⟩", "Prepare the singlet"),
        ("RX(π/2) on q0", "RX(pi/2) on qubit 0"),
    ],
)
def test_variants_compile_to_the_same_circuit(variant: str, canonical: str) -> None:
    same_program(variant, canonical)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("two thousand", 2000),
        ("two thousand five hundred", 2500),
        ("one hundred and five", 105),
        ("a thousand", 1000),
        ("dos mil", 2000),
        ("dos mil quinientos", 2500),
        ("mil", 1000),
        ("un millón", 1_000_000),
        ("ciento veinte", 120),
        ("cuarenta y dos", 42),
        ("seventy seven", 77),
    ],
)
def test_number_words(words: str, value: int) -> None:
    (tok,) = merge_number_words(lex(words))
    assert (tok.kind, tok.value) == ("num", value)


def test_spanish_y_is_and_unless_it_is_a_gate() -> None:
    from bioql.circuits.ir import Gate

    gates = list(compile_description("aplica X al qubit 0 y Y al qubit 1").gates())
    assert gates == [Gate("x", (0,)), Gate("y", (1,))]
    program = compile_description("mide los qubits 0 y 2 después de aplicar X al qubit 2")
    assert program.measured == (0, 2)
    assert list(program.gates()) == [Gate("x", (2,))]


def test_after_doing_reverses_the_order() -> None:
    """ "measure ... after applying X" / "después de aplicar" puts the X first."""
    program = compile_description("Measure qubit 1 after applying X to qubit 1")
    assert (program.kinds, program.measured) == (["gate"], (1,))


def test_no_code_evaluation_in_the_compiler() -> None:
    """The front end reads text as data: no eval, exec or sympify anywhere in its source."""
    root = Path(bioql.language.__file__).parent
    for path in root.glob("*.py"):
        source = path.read_text()
        for banned in ("eval(", "exec(", "sympify", "compile(source"):
            assert banned not in source, f"{banned} in {path.name}"


def test_compiler_does_not_import_qiskit() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from bioql.language import compile_description; "
        "compile_description('Create a Bell state'); print('qiskit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
