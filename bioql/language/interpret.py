"""One human sentence about a result, written from the probabilities actually observed.

``probabilities`` are keyed by display-order bitstrings (qubit 0 leftmost) over
``program.measured``. A named construct gets a sentence in its own terms ("Grover search found
101 with probability 0.95"); anything else gets the most likely outcomes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bioql.circuits.ir import Program, Step

_BELL_SYMBOL = {"phi+": "Φ+", "phi-": "Φ−", "psi+": "Ψ+", "psi-": "Ψ−"}


def interpret(program: Program, probabilities: Mapping[str, float]) -> str:
    probs = _normalised(probabilities)
    if not probs:
        return "No outcomes were recorded."
    width = len(program.measured)
    main = _main_step(program)
    if main is None or any(len(k) != width for k in probs):
        return _generic(probs)
    handler = _HANDLERS.get(main.kind)
    return handler(main, probs) if handler else _generic(probs)


def _normalised(probabilities: Mapping[str, float]) -> dict[str, float]:
    total = sum(float(v) for v in probabilities.values())
    if total <= 0:
        return {}
    return {k: float(v) / total for k, v in probabilities.items() if v > 0}


def _main_step(program: Program) -> Step | None:
    """The construct the result is about, when there is exactly one and nothing alters it."""
    steps = program.steps
    if len(steps) == 1:
        return steps[0]
    if len(steps) == 2 and steps[0].kind == "basis" and steps[1].kind in ("qft", "iqft"):
        return steps[1]
    return None


def _pct(p: float) -> str:
    return f"~{p:.0%}"


def _best(probs: dict[str, float]) -> tuple[str, float]:
    key = min(probs, key=lambda k: (-probs[k], k))
    return key, probs[key]


def _top(probs: dict[str, float], k: int = 4) -> str:
    ranked = sorted(probs.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    more = f" and {len(probs) - k} more" if len(probs) > k else ""
    return ", ".join(f"{key} {_pct(p)}" for key, p in ranked) + more


def _generic(probs: dict[str, float]) -> str:
    key, p = _best(probs)
    if p > 0.99:
        return f"Measured {key} with probability {p:.2f}."
    runner_up = sorted(probs.values(), reverse=True)[1] if len(probs) > 1 else 0.0
    if p - runner_up < 0.02:
        return f"{len(probs)} outcomes: {_top(probs)}."
    return f"Most likely outcome {key} (probability {p:.2f}) of {len(probs)}: {_top(probs)}."


def _pair(probs: dict[str, float], a: str, b: str) -> str:
    pa, pb = probs.get(a, 0.0), probs.get(b, 0.0)
    if abs(pa - pb) < 0.05:
        return f"{a} and {b} each {_pct((pa + pb) / 2)}"
    return f"{a} {_pct(pa)} and {b} {_pct(pb)}"


def _bell(step: Step, probs: dict[str, float]) -> str:
    variant = str(step.params.get("variant", "phi+"))
    a, b = ("00", "11") if variant.startswith("phi") else ("01", "10")
    together = probs.get(a, 0.0) + probs.get(b, 0.0)
    relation = "correlated" if variant.startswith("phi") else "anti-correlated"
    how = f"perfectly {relation}" if together > 0.99 else f"{relation} in {together:.0%} of shots"
    return f"Bell state {_BELL_SYMBOL.get(variant, variant)}: {_pair(probs, a, b)}, {how}"


def _ghz(step: Step, probs: dict[str, float]) -> str:
    n = len(next(iter(probs)))
    zeros, ones = "0" * n, "1" * n
    agree = probs.get(zeros, 0.0) + probs.get(ones, 0.0)
    how = "all qubits always agree" if agree > 0.99 else f"all qubits agree in {agree:.0%} of shots"
    if n > 8:  # spell out long strings as words
        pair = f"all-0 {_pct(probs.get(zeros, 0.0))} and all-1 {_pct(probs.get(ones, 0.0))}"
        return f"GHZ state on {n} qubits: {pair}, {how}"
    return f"GHZ state on {n} qubits: {_pair(probs, zeros, ones)}, {how}"


def _w(step: Step, probs: dict[str, float]) -> str:
    n = len(next(iter(probs)))
    single = {k: p for k, p in probs.items() if k.count("1") == 1}
    share = sum(single.values())
    each = f" (each of the {n} such outcomes {_pct(share / n)})" if single else ""
    return f"W state on {n} qubits: exactly one qubit is 1 in {share:.0%} of shots{each}"


def _spread(probs: dict[str, float], n: int) -> str:
    expected = 2**n
    if len(probs) == expected and n <= 16:
        return f"{expected} outcomes, each {_pct(1 / expected)}"
    return f"{len(probs)} distinct outcomes observed, the most frequent at {_best(probs)[1]:.1%}"


def _superposition(step: Step, probs: dict[str, float]) -> str:
    n = len(next(iter(probs)))
    return f"Uniform superposition over {n} qubit(s): {_spread(probs, n)}"


def _state(step: Step, probs: dict[str, float]) -> str:
    label = str(step.params.get("label", ""))
    key, p = _best(probs)
    if step.kind == "basis":
        name = (
            f"|{label}>"
            if "qubits" not in step.params
            else f"|{label}> on qubits {list(step.params['qubits'])}"
        )
        return f"Basis state {name}: measured {key} with probability {p:.2f}"
    return f"State |{label}>: {_top(probs)} (|+> and |−> read 0 or 1 at random in the Z basis)"


def _qft(step: Step, probs: dict[str, float]) -> str:
    n = len(next(iter(probs)))
    name = "Inverse QFT" if step.kind == "iqft" else "QFT"
    return f"{name} on {n} qubits: {_spread(probs, n) if len(probs) > 1 else _generic(probs)}"


def _grover(step: Step, probs: dict[str, float]) -> str:
    marked = [str(m) for m in step.params.get("marked", [])]
    key, p = _best(probs)
    total = sum(probs.get(m, 0.0) for m in marked)
    if key in marked and len(marked) == 1:
        return f"Grover search found {key} with probability {p:.2f}"
    if key in marked:
        return f"Grover search found the marked strings {', '.join(marked)} with total probability {total:.2f}"
    return (
        f"Grover search did not single out {', '.join(marked)}: the most likely outcome is {key} "
        f"({p:.2f}); the marked strings total {total:.2f}"
    )


def _bv(step: Step, probs: dict[str, float]) -> str:
    secret = str(step.params.get("secret", ""))
    key, p = _best(probs)
    if key == secret:
        return f"Bernstein–Vazirani: the secret string is {key} (probability {p:.2f})"
    return f"Bernstein–Vazirani: most likely {key} ({p:.2f}), not the secret {secret}"


def _dj(step: Step, probs: dict[str, float]) -> str:
    zeros = "0" * len(next(iter(probs)))
    p0 = probs.get(zeros, 0.0)
    if p0 >= 0.5:
        return f"Deutsch–Jozsa: measured {zeros} with probability {p0:.2f}, so the function is constant"
    return f"Deutsch–Jozsa: {zeros} has probability {p0:.2f}, so the function is balanced"


def _qpe(step: Step, probs: dict[str, float]) -> str:
    key, p = _best(probs)
    value = int(key, 2) / 2 ** len(key)
    phase = float(step.params.get("phase", value))
    exact = "" if abs(value - phase) < 1e-9 else f"; the true phase is {phase:.4g}"
    return f"Phase estimation: {key} = {value:g} (probability {p:.2f}){exact}"


def _teleport(step: Step, probs: dict[str, float]) -> str:
    state = str(step.params.get("state", "1"))
    if state in ("0", "1"):
        p = probs.get(state, 0.0)
        return f"Teleportation of |{state}>: the receiver's qubit reads {state} with probability {p:.2f}"
    return (
        f"Teleportation of |{state}>: the receiver's qubit reads {_pair(probs, '0', '1')}, "
        f"as |{state}> does when measured in the Z basis"
    )


_HANDLERS: dict[str, Callable[[Step, dict[str, float]], str]] = {
    "bell": _bell,
    "ghz": _ghz,
    "w": _w,
    "superposition": _superposition,
    "basis": _state,
    "state": _state,
    "qft": _qft,
    "iqft": _qft,
    "grover": _grover,
    "bv": _bv,
    "dj": _dj,
    "qpe": _qpe,
    "teleport": _teleport,
}
