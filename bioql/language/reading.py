"""A compiled Program → one canonical English sentence that compiles back to the same program.

The reading is how BioQL shows what it understood ("Interpreted as: …"): a misreading is visible
at a glance. Each step is written in the phrasing the parser reads most directly; the sentence is
checked by compiling it again, and when that does not give the same circuit (a combination the
construct phrasings cannot express), the steps are spelled out gate by gate, which always can.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from bioql.circuits.ir import AMPLITUDE_GATE, Gate, Program, Step
from bioql.errors import BioQLError

_BELL_WORDS = {"phi+": "phi plus", "phi-": "phi minus", "psi+": "psi plus", "psi-": "psi minus"}
# IR gate name -> the word the parser reads for it
GATE_WORDS = {"h": "H", "x": "X", "y": "Y", "z": "Z", "s": "S", "t": "T", "sdg": "Sdg",
              "tdg": "Tdg", "sx": "SX", "id": "I", "p": "P", "rx": "RX", "ry": "RY", "rz": "RZ",
              "u": "U", "cx": "CNOT", "cy": "CY", "cz": "CZ", "ch": "CH", "cp": "CP",
              "crx": "CRX", "cry": "CRY", "crz": "CRZ", "swap": "SWAP", "ccx": "Toffoli",
              "cswap": "Fredkin", "mcx": "multi-controlled X", "mcy": "multi-controlled Y",
              "mcz": "multi-controlled Z", "mch": "multi-controlled H",
              "mcsx": "multi-controlled SX"}  # fmt: skip


def reading(program: Program, compile_text: Callable[[str], Program]) -> str:
    """The canonical sentence for ``program``; ``compile_text`` checks that it reads back."""
    options = _options(program)
    for body in [*_construct_sentences(program), _gate_sentence(program)]:
        sentence = body + options
        try:
            again = compile_text(sentence)
        except BioQLError:
            continue
        if same_program(program, again):
            return sentence
    return _gate_sentence(program) + options  # pragma: no cover - every IR gate has a phrasing


def same_program(a: Program, b: Program) -> bool:
    """Same register, gates (angles to 1e-12), output register, shots and backend."""
    if (a.num_qubits, a.measured, a.shots, a.backend) != (
        b.num_qubits,
        b.measured,
        b.shots,
        b.backend,
    ):
        return False
    ga, gb = list(a.gates()), list(b.gates())
    return len(ga) == len(gb) and all(_same_gate(x, y) for x, y in zip(ga, gb, strict=True))


def _same_gate(a: Gate, b: Gate) -> bool:
    if (a.name, a.qubits, len(a.params)) != (b.name, b.qubits, len(b.params)):
        return False
    return all(
        math.isclose(p, q, rel_tol=0, abs_tol=1e-12)
        for p, q in zip(a.params, b.params, strict=True)
    )


# -- sentences ----------------------------------------------------------------------------------
def _options(program: Program) -> str:
    parts = []
    if program.shots is not None:
        parts.append(f"with {program.shots} shots")
    if program.backend is not None:
        parts.append(f"on {program.backend}")
    return (", " + " ".join(parts)) if parts else ""


def _construct_sentences(program: Program) -> list[str]:
    """The steps in their own words, without and then with the register size stated."""
    phrases = []
    for step in program.steps:
        phrase = _step_phrase(step)
        if phrase is None:
            return []
        phrases.append(phrase)
    body = ", then ".join(phrases) + _measure_phrase(program)
    return [_capitalise(body), _capitalise(f"{_register(program)}, {body}")]


def _gate_sentence(program: Program) -> str:
    phrases = [_gate_or_state([g]) for g in program.gates()]
    body = ", then ".join(phrases) if phrases else "the identity"
    return _capitalise(f"{_register(program)}, {body}" + _measure_phrase(program, True))


def _register(program: Program) -> str:
    n = program.num_qubits
    return f"on {n} qubit{'s' if n > 1 else ''}"


def _measure_phrase(program: Program, spelled_out: bool = False) -> str:
    ancillas = {q for s in program.steps for q in s.params.get("ancillas", ())}
    default = tuple(q for q in range(program.num_qubits) if q not in ancillas)
    if spelled_out:
        default = tuple(range(program.num_qubits))
    if program.measured == default:
        return ""
    return f", then measure {_qubits(program.measured)}"


def _step_phrase(step: Step) -> str | None:
    writer = _WRITERS.get(step.kind)
    if writer is None:
        return None
    phrase = writer(step)
    if phrase is not None and "qubits" in step.params and step.kind != "gate":
        phrase += f" on {_qubits(step.params['qubits'])}"
    return phrase


def _qubits(qubits: Sequence[int]) -> str:
    if len(qubits) == 1:
        return f"qubit {qubits[0]}"
    return "qubits " + ", ".join(map(str, qubits[:-1])) + f" and {qubits[-1]}"


def _size(step: Step, n: int) -> str:
    return "" if "qubits" in step.params else f" on {n} qubit{'s' if n != 1 else ''}"


def _bell(step: Step) -> str:
    return f"Bell state {_BELL_WORDS[step.params['variant']]}"


def _ghz(step: Step) -> str:
    return "GHZ state" + _size(step, step.params["n"])


def _w(step: Step) -> str:
    return "W state" + _size(step, step.params["n"])


def _superposition(step: Step) -> str:
    return "uniform superposition" + _size(step, step.params["n"])


def _product(step: Step) -> str:
    return f"prepare |{step.params['label']}>"


def _qft(step: Step) -> str:
    name = "inverse QFT" if step.kind == "iqft" else "QFT"
    return name + _size(step, step.params["n"])


def _grover(step: Step) -> str:
    return "Grover search for " + " and ".join(step.params["marked"])


def _bv(step: Step) -> str:
    return f"Bernstein-Vazirani with secret {step.params['secret']}"


def _dj(step: Step) -> str:
    n = step.params["n"]
    if step.params["oracle"] == "balanced":
        return f"Deutsch-Jozsa with a balanced oracle on {n} qubits"
    return f"Deutsch-Jozsa with a constant {step.params.get('constant', 0)} oracle on {n} qubits"


def _qpe(step: Step) -> str:
    return f"phase estimation of {step.params['phase']!r} with {step.params['counting']} counting qubits"


def _teleport(step: Step) -> str:
    return f"teleport |{step.params['state']}>"


def _amplitudes(step: Step) -> str:
    return "prepare " + ket_sum(step.params["amplitudes"])


def ket_sum(amplitudes: dict[str, complex]) -> str:
    """ "(|01> + |10>)/sqrt(2)" when the weights are equal, else each amplitude written out."""
    values = list(amplitudes.values())
    equal = all(math.isclose(abs(a), abs(values[0]), abs_tol=1e-12) for a in values)
    terms = []
    for i, (label, a) in enumerate(amplitudes.items()):
        unit = a / abs(a)
        coef = "" if equal else f"{abs(a)!r}"
        if math.isclose(unit.real, 1, abs_tol=1e-12):
            sign, phase = "+", ""
        elif math.isclose(unit.real, -1, abs_tol=1e-12):
            sign, phase = "-", ""
        elif math.isclose(unit.imag, 1, abs_tol=1e-12):
            sign, phase = "+", "i"
        elif math.isclose(unit.imag, -1, abs_tol=1e-12):
            sign, phase = "-", "i"
        else:
            return _state_vector(amplitudes)
        lead = ("-" if sign == "-" else "") if i == 0 else f" {sign} "
        terms.append(f"{lead}{coef}{phase}|{label}>")
    body = "".join(terms)
    return f"({body})/sqrt({len(values)})" if equal and len(values) > 1 else body


def _state_vector(amplitudes: dict[str, complex]) -> str:
    """A phase other than ±1, ±i has no phrasing yet; the sentence then fails to read back."""
    return " + ".join(f"({a})|{label}>" for label, a in amplitudes.items())


def _gate_step(step: Step) -> str:
    return _gate_phrase(list(step.gates))


def _gate_phrase(gates: list[Gate]) -> str:
    """One gate, or the same one-qubit gate on several qubits ("H on qubits 0, 1 and 2")."""
    first = gates[0]
    word = GATE_WORDS[first.name] + _angles(first.params)
    if len(first.qubits) == 1:
        return f"{word} on {_qubits([g.qubits[0] for g in gates])}"
    if len(gates) > 1:
        return ", then ".join(_gate_phrase([g]) for g in gates)
    if first.name == "swap":
        return f"{word} {_qubits(first.qubits)}"
    if first.name == "cswap":  # "Fredkin with control 2 swapping qubits 0 and 1"
        return f"{word} with control {first.qubits[0]} swapping {_qubits(first.qubits[1:])}"
    *controls, target = first.qubits
    role = "control" if len(controls) == 1 else "controls"
    controls_text = (
        " and ".join(map(str, controls))
        if len(controls) <= 2
        else (", ".join(map(str, controls[:-1])) + f" and {controls[-1]}")
    )
    return f"{word} with {role} {controls_text} and target {target}"


def _gate_or_state(gates: list[Gate]) -> str:
    gate = gates[0]
    if gate.name != AMPLITUDE_GATE:
        return _gate_phrase(gates)
    n = len(gate.qubits)
    amps = {
        format(i, f"0{n}b"): complex(gate.params[2 * i], gate.params[2 * i + 1])
        for i in range(2**n)
    }
    state = ket_sum({k: a for k, a in amps.items() if abs(a) > 1e-12})
    return f"prepare {state} on {_qubits(gate.qubits)}"  # the register is said before it


def _angles(params: Sequence[float]) -> str:
    return f"({', '.join(format_angle(p) for p in params)})" if params else ""


def format_angle(value: float) -> str:
    """``pi/2`` when the angle is exactly a small fraction of π (as the parser computes it)."""
    if value == 0:
        return "0"
    for den in (1, 2, 3, 4, 6, 8, 12, 16, 32, 64, 128):
        num = round(value * den / math.pi)
        if num == 0 or abs(num) > 8 * den or (num * math.pi) / den != value:
            continue
        sign = "-" if num < 0 else ""
        top = "pi" if abs(num) == 1 else f"{abs(num)}pi"
        return f"{sign}{top}" if den == 1 else f"{sign}{top}/{den}"
    return repr(value)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


_WRITERS: dict[str, Callable[[Step], str | None]] = {
    "bell": _bell,
    "ghz": _ghz,
    "w": _w,
    "superposition": _superposition,
    "basis": _product,
    "state": _product,
    "qft": _qft,
    "iqft": _qft,
    "grover": _grover,
    "bv": _bv,
    "dj": _dj,
    "qpe": _qpe,
    "teleport": _teleport,
    "gate": _gate_step,
    "amplitudes": _amplitudes,
}
