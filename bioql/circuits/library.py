"""Textbook constructions as IR steps, in BioQL's convention (qubit 0 is the leftmost bit).

Every function returns one :class:`~bioql.circuits.ir.Step` on qubits ``0..size-1``;
:func:`place` moves a step onto other qubits. ``Step.params`` carries the semantic arguments
(``marked``, ``secret``, ``phase``...) plus ``ancillas``: qubits that are not part of the
output register and so are not measured.

Integers and bitstrings: a bitstring ``b0 b1 ... b(n-1)`` has qubit 0 as its most significant
bit, so the QFT here is the textbook transform ``|x> → Σ_y e^{2πi xy/2^n} |y> / √2^n`` on the
bitstrings as displayed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bioql.circuits.ir import AMPLITUDE_GATE, GATE_PARAMS, Gate, Step
from bioql.errors import BioQLValueError

MAX_QUBITS = 1000  # linear-size constructions (GHZ, W, superposition, basis, BV, DJ)
MAX_QFT_QUBITS = 300  # the QFT has n(n-1)/2 controlled phases
MAX_GROVER_QUBITS = 20  # ~800 iterations at 20 qubits; beyond that nothing could run it
MAX_QPE_COUNTING = 20
MAX_PREPARED_QUBITS = 12  # an explicit state lists 2^n amplitudes

BELL_VARIANTS = {
    "phi+": "Φ+ = (|00> + |11>)/√2",
    "phi-": "Φ− = (|00> − |11>)/√2",
    "psi+": "Ψ+ = (|01> + |10>)/√2",
    "psi-": "Ψ− = (|01> − |10>)/√2 (the singlet)",
}


def _g(name: str, *qubits: int, params: Sequence[float] = ()) -> Gate:
    return Gate(name, tuple(qubits), tuple(params))


def _check_size(what: str, n: int, low: int, high: int) -> None:
    if n < low:
        raise BioQLValueError(f"{what} needs at least {low} qubit(s), got {n}.")
    if n > high:
        raise BioQLValueError(
            f"{what} on {n} qubits is larger than BioQL builds (at most {high} qubits)."
        )


def _phase_flip_all(n: int) -> list[Gate]:
    """Multiply |1...1> by -1 on qubits 0..n-1."""
    if n == 1:
        return [_g("z", 0)]
    if n == 2:
        return [_g("cz", 0, 1)]
    return [_g("mcz", *range(n))]


def bell(variant: str = "phi+") -> Step:
    if variant not in BELL_VARIANTS:
        raise BioQLValueError(
            f"Unknown Bell state {variant!r}; choose one of {', '.join(BELL_VARIANTS)}."
        )
    gates = [_g("h", 0)]
    if variant.endswith("-"):
        gates.append(_g("z", 0))
    if variant.startswith("psi"):
        gates.append(_g("x", 1))
    gates.append(_g("cx", 0, 1))
    return Step("bell", f"Bell state {BELL_VARIANTS[variant]}", tuple(gates), {"variant": variant})


def ghz(n: int) -> Step:
    _check_size("A GHZ state", n, 2, MAX_QUBITS)
    gates = [_g("h", 0)] + [_g("cx", i, i + 1) for i in range(n - 1)]
    text = f"GHZ state on {n} qubits: (|{'0' * n}> + |{'1' * n}>)/√2"
    return Step("ghz", text, tuple(gates), {"n": n})


def w_state(n: int) -> Step:
    """Equal superposition of the n strings with exactly one 1."""
    _check_size("A W state", n, 2, MAX_QUBITS)
    gates = [_g("x", 0)]
    for k in range(n - 1):
        # keep amplitude √(1/(n-k)) of what is on qubit k, pass the rest to qubit k+1
        theta = 2 * math.acos(math.sqrt(1 / (n - k)))
        gates += [_g("cry", k, k + 1, params=(theta,)), _g("cx", k + 1, k)]
    return Step(
        "w", f"W state on {n} qubits (one excitation shared equally)", tuple(gates), {"n": n}
    )


def uniform_superposition(n: int) -> Step:
    _check_size("A uniform superposition", n, 1, MAX_QUBITS)
    gates = tuple(_g("h", q) for q in range(n))
    return Step("superposition", f"Uniform superposition of {2**n if n <= 20 else f'2^{n}'} "
                f"basis states (H on each of {n} qubits)", gates, {"n": n})  # fmt: skip


def product_state(label: str) -> Step:
    """|label> with one character per qubit from 0, 1, + and -."""
    if not label or set(label) - set("01+-"):
        raise BioQLValueError(f"A state label uses 0, 1, + and -, got |{label}>.")
    _check_size(f"The state |{label}>", len(label), 1, MAX_QUBITS)
    gates: list[Gate] = []
    for q, c in enumerate(label):
        if c in "1-":
            gates.append(_g("x", q))
        if c in "+-":
            gates.append(_g("h", q))
    kind = "basis" if set(label) <= set("01") else "state"
    name = "Basis state" if kind == "basis" else "State"
    return Step(kind, f"{name} |{label}>", tuple(gates), {"label": label})


def qft(n: int, *, inverse: bool = False) -> Step:
    _check_size("The QFT", n, 1, MAX_QFT_QUBITS)
    gates: list[Gate] = []
    for j in range(n):
        gates.append(_g("h", j))
        for m in range(j + 1, n):
            gates.append(_g("cp", m, j, params=(math.pi / 2 ** (m - j),)))
    gates += [_g("swap", i, n - 1 - i) for i in range(n // 2)]
    if inverse:
        gates = [_g(g.name, *g.qubits, params=[-p for p in g.params]) for g in reversed(gates)]
    kind, name = ("iqft", "Inverse QFT") if inverse else ("qft", "QFT")
    return Step(kind, f"{name} on {n} qubits (with final swaps)", tuple(gates), {"n": n})


def inverse_qft(n: int) -> Step:
    return qft(n, inverse=True)


_SELF_INVERSE = frozenset(
    {"id", "h", "x", "y", "z", "cx", "cy", "cz", "ch", "swap", "ccx", "cswap", "mcx", "mcy",
     "mcz", "mch"}
)  # fmt: skip
_DAGGER = {"s": "sdg", "sdg": "s", "t": "tdg", "tdg": "t"}
_CUBED = frozenset({"sx", "mcsx"})  # √X† = (√X)³


def inverse(step: Step) -> list[Step]:
    """The steps that undo ``step``: its gates reversed and inverted (a QFT becomes the inverse
    QFT). A state preparation has no inverse here; that is an error naming it."""
    if step.kind in ("qft", "iqft"):
        undone = qft(step.params["n"], inverse=step.kind == "qft")
        return [place(undone, step.params["qubits"])] if "qubits" in step.params else [undone]
    out: list[Step] = []
    for g in reversed(step.gates):
        if g.name in _SELF_INVERSE:
            gates = [g]
        elif g.name in _DAGGER:
            gates = [Gate(_DAGGER[g.name], g.qubits)]
        elif g.name == "u":
            theta, phi, lam = g.params
            gates = [Gate("u", g.qubits, (-theta, -lam, -phi))]
        elif g.name in _CUBED:
            gates = [g, g, g]
        elif g.name in GATE_PARAMS and g.name != AMPLITUDE_GATE:
            gates = [Gate(g.name, g.qubits, tuple(-p for p in g.params))]
        else:
            raise BioQLValueError(
                f"BioQL cannot invert '{step.text}'; write the steps that undo it explicitly."
            )
        out += [
            Step("gate", f"{x.name} (undoing {step.text})", (x,), {"gate": x.name}) for x in gates
        ]
    return out


def optimal_grover_iterations(n: int, marked: int) -> int:
    """Iterations maximising the probability of measuring a marked string."""
    theta = math.asin(math.sqrt(marked / 2**n))
    best = round(math.pi / (4 * theta) - 0.5)
    candidates = {max(best - 1, 0), best, best + 1}
    return max(sorted(candidates), key=lambda k: round(math.sin((2 * k + 1) * theta) ** 2, 12))


def grover(marked: Sequence[str], iterations: int | None = None) -> Step:
    marked = list(dict.fromkeys(marked))
    if not marked:
        raise BioQLValueError("Grover search needs at least one marked bitstring, e.g. 101.")
    n = len(marked[0])
    for s in marked:
        if set(s) - {"0", "1"} or len(s) != n:
            raise BioQLValueError(
                f"Grover's marked strings must be bitstrings of one length; got {', '.join(marked)}."
            )
    _check_size("Grover search", n, 1, MAX_GROVER_QUBITS)
    k = optimal_grover_iterations(n, len(marked)) if iterations is None else iterations
    flip = _phase_flip_all(n)
    gates: list[Gate] = [_g("h", q) for q in range(n)]
    for _ in range(k):
        for s in marked:  # oracle: phase -1 on each marked string
            zeros = [_g("x", q) for q, c in enumerate(s) if c == "0"]
            gates += zeros + flip + zeros
        xs, hs = [_g("x", q) for q in range(n)], [_g("h", q) for q in range(n)]
        gates += hs + xs + flip + xs + hs  # diffuser: reflect about the uniform state
    text = f"Grover search for {', '.join(marked)} on {n} qubits, {k} iteration(s)"
    return Step("grover", text, tuple(gates), {"marked": marked, "iterations": k})


def bernstein_vazirani(secret: str) -> Step:
    if not secret or set(secret) - {"0", "1"}:
        raise BioQLValueError(f"The Bernstein–Vazirani secret must be a bitstring, got {secret!r}.")
    n = len(secret)
    _check_size("Bernstein–Vazirani", n, 1, MAX_QUBITS)
    gates = [_g("x", n), _g("h", n)] + [_g("h", q) for q in range(n)]
    gates += [_g("cx", q, n) for q, c in enumerate(secret) if c == "1"]
    gates += [_g("h", q) for q in range(n)]
    text = f"Bernstein–Vazirani with secret {secret} (oracle qubit {n} is not measured)"
    return Step("bv", text, tuple(gates), {"secret": secret, "ancillas": (n,)})


def deutsch_jozsa(n: int, *, balanced: bool, constant_value: int = 0) -> Step:
    """Balanced oracle: f(x) = parity of x; constant oracle: f(x) = constant_value."""
    _check_size("Deutsch–Jozsa", n, 1, MAX_QUBITS)
    gates = [_g("x", n)] + [_g("h", q) for q in range(n + 1)]
    if balanced:
        gates += [_g("cx", q, n) for q in range(n)]
        oracle = "balanced oracle f(x) = parity of x"
    else:
        gates += [_g("x", n)] if constant_value else []
        oracle = f"constant oracle f(x) = {constant_value}"
    gates += [_g("h", q) for q in range(n)]
    params = {"oracle": "balanced" if balanced else "constant", "n": n, "ancillas": (n,)}
    if not balanced:
        params["constant"] = constant_value
    return Step("dj", f"Deutsch–Jozsa on {n} qubits, {oracle}", tuple(gates), params)


def phase_estimation(phase: float, counting: int) -> Step:
    """Estimate θ of U = P(2πθ) on its eigenstate |1>; qubit 0 is the most significant bit."""
    if not (math.isfinite(phase) and 0 <= phase < 1):
        raise BioQLValueError(
            f"The phase is a fraction of a full turn in [0, 1), got {phase}; e.g. 0.375 or 3/8."
        )
    _check_size("Phase estimation", counting, 1, MAX_QPE_COUNTING)
    k = counting
    gates = [_g("x", k)] + [_g("h", q) for q in range(k)]
    for j in range(k):
        angle = math.fmod(2 * math.pi * phase * 2 ** (k - 1 - j), 2 * math.pi)
        gates.append(_g("cp", j, k, params=(angle,)))
    gates += inverse_qft(k).gates
    text = f"Phase estimation of θ = {phase:g} with {k} counting qubits (eigenstate qubit {k})"
    return Step("qpe", text, tuple(gates), {"phase": phase, "counting": k, "ancillas": (k,)})


def teleportation(state: str = "1") -> Step:
    """Teleport |state> from qubit 0 to qubit 2; corrections by deferred measurement."""
    if state not in ("0", "1", "+", "-"):
        raise BioQLValueError(f"BioQL teleports |0>, |1>, |+> or |->, got |{state}>.")
    gates = list(product_state(state).gates)
    gates += [_g("h", 1), _g("cx", 1, 2)]  # Bell pair shared by sender (1) and receiver (2)
    gates += [_g("cx", 0, 1), _g("h", 0)]  # sender's Bell-basis rotation
    gates += [_g("cx", 1, 2), _g("cz", 0, 2)]  # receiver's corrections, controlled quantumly
    text = f"Teleport |{state}> from qubit 0 to qubit 2 (only the receiver's qubit is measured)"
    return Step("teleport", text, tuple(gates), {"state": state, "ancillas": (0, 1)})


def place(step: Step, qubits: Sequence[int]) -> Step:
    """The same step acting on ``qubits[i]`` wherever it acted on qubit ``i``."""
    mapping = list(qubits)
    gates = tuple(Gate(g.name, tuple(mapping[q] for q in g.qubits), g.params) for g in step.gates)
    params = dict(step.params)
    if "ancillas" in params:
        params["ancillas"] = tuple(mapping[q] for q in params["ancillas"])
    params["qubits"] = tuple(mapping)
    text = f"{step.text}, on qubits {', '.join(map(str, mapping))}"
    return Step(step.kind, text, gates, params)


def amplitudes(state: dict[str, complex]) -> Step:
    """Prepare the state Σ a_b |b> (labels qubit 0 first, amplitudes of norm 1)."""
    labels = list(state)
    n = len(labels[0])
    _check_size("A state preparation", n, 1, MAX_PREPARED_QUBITS)
    vector = [complex(state.get(format(i, f"0{n}b"), 0)) for i in range(2**n)]
    params = tuple(x for a in vector for x in (a.real, a.imag))
    terms = " + ".join(f"({_complex(a)})|{b}>" for b, a in state.items())
    gate = Gate(AMPLITUDE_GATE, tuple(range(n)), params)
    return Step("amplitudes", f"State {terms}", (gate,), {"amplitudes": dict(state)})


def _complex(a: complex) -> str:
    if abs(a.imag) < 1e-12:
        return f"{a.real:.4g}"
    if abs(a.real) < 1e-12:
        return f"{a.imag:.4g}i"
    return f"{a.real:.4g}{a.imag:+.4g}i"
