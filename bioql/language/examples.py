"""Canonical phrasings of every construct, in English and Spanish.

They are compiled by the tests, shown in the README and in error messages, and used by the
code assistant's dataset, so every one of them must compile.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz, process

EXAMPLES: dict[str, list[str]] = {
    "bell": [
        "Create a Bell state",
        "Prepare the Bell state phi minus",
        "Create the Ψ+ Bell state",
        "Make an EPR pair and measure both qubits",
        "Prepare the singlet state",
        "Crea un estado de Bell",
        "Prepara el estado de Bell psi menos",
    ],
    "ghz": [
        "Create a 3-qubit GHZ state",
        "Make a cat state on five qubits",
        "Crea un estado GHZ de 4 qubits",
    ],
    "w": ["Create a W state on 3 qubits", "Prepara un estado W de cuatro qubits"],
    "superposition": [
        "Put 3 qubits in uniform superposition",
        "Crea una superposición uniforme de 2 qubits",
    ],
    "state": [
        "Prepare the |+> state",
        "Prepare the minus state",
        "Prepara el estado |1>",
        "Prepara el estado más",
    ],
    "basis": ["Prepare |101>", "Prepara el estado |0110>"],
    "qft": [
        "Run QFT on 4 qubits and measure",
        "Apply the quantum Fourier transform to |101>",
        "Aplica la transformada cuántica de Fourier a 3 qubits",
    ],
    "iqft": [
        "Apply the inverse QFT on 3 qubits",
        "QFT of |110> then inverse QFT",
        "Aplica la QFT inversa a |011>",
    ],
    "grover": [
        "Grover search for 101",
        "Run Grover's algorithm to find 0110 and 1001",
        "Búsqueda de Grover del estado |11>",
    ],
    "bv": [
        "Bernstein-Vazirani with secret 1011",
        "Ejecuta Bernstein-Vazirani con la cadena secreta 110",
    ],
    "dj": [
        "Deutsch-Jozsa with a balanced oracle on 3 qubits",
        "Deutsch-Jozsa constant function on 2 qubits",
        "Deutsch-Jozsa con un oráculo constante de 3 qubits",
    ],
    "qpe": [
        "Phase estimation of 0.375 with 3 counting qubits",
        "Estimate the phase 3/8 with 4 counting qubits",
        "QPE of pi/4",
        "Estimación de fase de 0.25 con 2 qubits de conteo",
    ],
    "teleport": [
        "Teleport the |1> state",
        "Teleport |+>",
        "Teletransporta el estado |0>",
    ],
    "gates": [
        "Apply H to qubit 0, then CNOT from 0 to 1, measure all",
        "Apply X to qubit 1 of 2 qubits",
        "RX(pi/2) on qubit 0 then RZ by 90 degrees on qubit 0",
        "Toffoli with controls 0 and 1 and target 2",
        "Apply S dagger to qubit 0 and T to qubit 1, then swap qubits 0 and 1",
        "Aplica H al qubit 0 y luego CNOT del 0 al 1, mide todos",
    ],
    "composition": [
        "Create a Bell state then apply X to qubit 0",
        "QFT on 3 qubits followed by the inverse QFT",
        "Crea un estado GHZ de 3 qubits y luego aplica H a todos los qubits",
    ],
    "initial": [
        "Starting from |011>, swap qubits 0 and 2",
        "Initialise the register to 10, then apply CNOT from 0 to 1",
        "Partiendo de |100>, aplica una SWAP entre los qubits 0 y 2",
    ],
    "amplitudes": [
        "Prepare (|01> + |10>)/√2",
        "Prepare |0> + i|1>",
        "Prepare an equal superposition of |001>, |010> and |100>",
    ],
    "behaviour": [
        "Make two qubits that always disagree",
        "Entangle qubits 0, 1 and 2",
        "Flip a fair coin",
        "Generate a random 4-bit number",
    ],
    "qubits": [
        "Apply X to qubits 1 through 4",
        "Apply H to the first three qubits of a 4-qubit register",
        "CNOT with qubit 2 as control and qubit 0 as target",
        "Apply Z to the last qubit of 3 qubits",
    ],
    "multi_controlled": [
        "Apply X to qubit 3 controlled by qubits 0-2",
        "Apply U(pi/2, 0, pi) to qubit 0",
        "Apply CCH with controls 0 and 1 and target 2",
    ],
    "options": [
        "Create a Bell state and run it 2000 times on IBM Brisbane",
        "Create a GHZ state on 3 qubits with two thousand shots on the simulator",
        "Crea un estado de Bell con 500 disparos en el simulador",
    ],
}

SUPPORTED = (
    "Bell states (Φ+, Φ−, Ψ+, Ψ−, EPR pair, singlet, qubits that always agree or differ), GHZ/cat "
    "and W states, uniform superposition, coins and random bits, basis and product states "
    "(|101>, |+>), superpositions written as kets ((|01> + |10>)/√2), initial states ('starting "
    "from |011>'), QFT and inverse QFT, Grover search, Bernstein–Vazirani, Deutsch and "
    "Deutsch–Jozsa, phase estimation (of a number or of T, S, Z, P, RZ), teleportation, and gates "
    "(H X Y Z S T S† T† SX P U RX RY RZ, CNOT CY CZ CH CP CRX CRY CRZ SWAP, Toffoli, Fredkin, "
    "multi-controlled X Y Z H SX P) on qubits named by number, range, ordinal or role, with "
    "measurement of all or some qubits, joined with 'then'"
)

_FLAT = [p for phrases in EXAMPLES.values() for p in phrases]


def example_for(kind: str | None, text: str | None = None) -> str:
    """A phrasing for ``kind``; without a kind, the example closest to ``text``."""
    if kind in EXAMPLES:
        return EXAMPLES[kind][0]
    return closest_example(text or "")


@lru_cache(maxsize=1024)
def closest_example(text: str) -> str:
    match = process.extractOne(
        text.lower(), _FLAT, scorer=fuzz.token_set_ratio, processor=str.lower
    )
    return match[0] if match else _FLAT[0]
