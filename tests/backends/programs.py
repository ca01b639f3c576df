"""Programs built by hand from the IR, so backend tests do not depend on the compiler."""

from __future__ import annotations

import math

from bioql.circuits.ir import Gate, Program, Step


def ghz(n: int) -> Program:
    gates = (Gate("h", (0,)), *(Gate("cx", (i, i + 1)) for i in range(n - 1)))
    return Program(f"Create a {n}-qubit GHZ state", n, [Step("ghz", f"GHZ on {n}", gates, {"n": n})],
                   tuple(range(n)))  # fmt: skip


def bell() -> Program:
    return ghz(2)


def x_on(qubit: int, n: int) -> Program:
    step = Step("gate", f"X on qubit {qubit}", (Gate("x", (qubit,)),))
    return Program(f"Apply X to qubit {qubit} of {n} qubits", n, [step], tuple(range(n)))


def qft(n: int) -> Program:
    """QFT on |0…0> (non-Clifford: controlled phases)."""
    gates: list[Gate] = []
    for j in range(n):
        gates.append(Gate("h", (j,)))
        gates += [Gate("cp", (k, j), (math.pi / 2 ** (k - j),)) for k in range(j + 1, n)]
    gates += [Gate("swap", (i, n - 1 - i)) for i in range(n // 2)]
    return Program(f"QFT on {n} qubits", n, [Step("qft", f"QFT on {n}", tuple(gates))],
                   tuple(range(n)))  # fmt: skip


def ry_then_cx(theta: float) -> Program:
    """|ψ> = cos(θ/2)|00> + sin(θ/2)|11>: exact probabilities cos², sin²."""
    gates = (Gate("ry", (0,), (theta,)), Gate("cx", (0, 1)))
    return Program(f"RY({theta}) on qubit 0 then CNOT", 2, [Step("gate", "ry, cx", gates)], (0, 1))


def t_program(n: int) -> Program:
    """H and T on every qubit: non-Clifford, uniform distribution."""
    gates = tuple(g for q in range(n) for g in (Gate("h", (q,)), Gate("t", (q,))))
    return Program(f"H then T on {n} qubits", n, [Step("gate", "h, t", gates)], tuple(range(n)))
