"""One clause → one :class:`Request`: a small grammar per construct.

A request says what to build and how many qubits it needs; :mod:`bioql.language.assemble`
then fixes the register size for the whole description and builds the steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bioql.circuits import library as lib
from bioql.circuits.ir import GATE_ARITY, GATE_PARAMS, Step
from bioql.errors import BioQLParseError, BioQLValueError
from bioql.language.clauses import Clause
from bioql.language.examples import example_for
from bioql.language.reader import Index, Reader


@dataclass
class GateSpec:
    name: str
    indices: list[Index]
    angle: float | None = None
    all_qubits: bool = False


@dataclass
class Request:
    kind: str
    source: str
    size: int | None = None  # total qubits fixed by the words (None: adopt the register's)
    default: int | None = None  # total qubits when nothing else fixes the size
    build: Callable[[int], list[Step]] | None = None
    placement: tuple[int, ...] | None = None  # "GHZ on qubits 1, 2, 3"
    declared: int | None = None  # register size stated in a gate or measure clause
    gate: GateSpec | None = None
    measure: list[int] | None = field(default=None)


def parse_clause(clause: Clause) -> Request:
    r = Reader(clause)
    for matches, handler in _HANDLERS:
        if matches(r):
            return handler(r)
    if clause.category == "ket":
        return _state(r)
    raise BioQLParseError(
        f"'{r.text}' does not say what to build.",
        unknown_words=[],
        suggestion=example_for(None, r.text),
    )


# Names of the constructs _size_from_count serves; a head word is consumed by its handler.
_HEAD_WORDS = ("GHZ", "W", "SUPERPOSITION", "UNIFORM", "ENTANGLE", "BELL", "SINGLET")


# -- named states -------------------------------------------------------------------------
def _size_from_count(
    r: Reader, what: str, suggestion: str
) -> tuple[int | None, tuple[int, ...] | None, int | None]:
    """Size, placement ("on qubits 1, 2, 3") and a register size stated beside a placement.

    "GHZ on 4 qubits" → (4, None, None); "On 3 qubits, Bell state on qubits 1 and 2" →
    (2, (1, 2), 3).
    """
    n = r.count()
    placement = tuple(ix.qubit for ix in r.indices()) or None
    if n is None and placement is None:
        bare = r.bare_numbers()
        if len(bare) == 1:
            tok = r.tokens[bare[0]]
            r.used.add(bare[0])
            if not (tok.value == 1 and tok.raw != tok.text):  # "one GHZ state" is an article
                n = r.whole(tok, "number of qubits")
    declared = None
    if n is not None and placement is not None and n != len(placement):
        declared = n  # the count is the register's: "Bell state on qubits 1 and 2 of 3 qubits"
    r.use("ALL", *_HEAD_WORDS)
    r.finish(suggestion)
    return (len(placement) if placement else n), placement, declared


def _simple(
    kind: str, what: str, default: int, make: Callable[[int], Step]
) -> Callable[[Reader], Request]:
    def handler(r: Reader) -> Request:
        n, placement, declared = _size_from_count(r, what, example_for(kind))
        return Request(kind, r.text, size=None if placement else n, default=default,
                       build=lambda total: [make(total)], placement=placement,
                       declared=declared)  # fmt: skip

    return handler


def _bell(r: Reader) -> Request:
    variant = "psi-" if r.has("SINGLET") else _bell_variant(r)
    n, placement, declared = _size_from_count(r, "a Bell state", example_for("bell"))
    if n is not None and n != 2:
        raise BioQLValueError(
            f"A Bell state has exactly 2 qubits, but '{r.text}' asks for {n}; "
            f"for {n} entangled qubits ask for a GHZ state."
        )
    return Request("bell", r.text, size=None if placement else 2, default=2,
                   build=lambda _n: [lib.bell(variant)], placement=placement,
                   declared=declared)  # fmt: skip


def _bell_variant(r: Reader) -> str:
    """Φ/Ψ and the sign written after it ("phi plus", "Ψ−", "psi-minus")."""
    family = "psi" if r.has("PSI") and not r.has("PHI") else "phi"
    start = r.first("PSI", "PHI") or 0
    sign = "+"
    for tok in r.tokens[start:]:
        if tok.is_("MINUS", "NEGATIVE"):
            sign = "-"
            break
        if tok.is_("PLUS"):
            break
    r.use("PLUS", "MINUS", "PHI", "PSI", "NEGATIVE", "BELL", "SINGLET", "ENTANGLE")
    return family + sign


def _state(r: Reader) -> Request:
    """ "|101>", "|+>", "the minus state", "estado cero", "prepare |+> on 3 qubits"."""
    label = "".join(r.kets())
    if not label:
        label = _state_in_words(r)
    n = r.count()
    placement = tuple(ix.qubit for ix in r.indices()) or None
    r.finish(example_for("state"))
    declared = None
    if placement is not None and n is not None:
        declared, n = n, None  # "On 3 qubits, prepare |1> on qubit 2": the register's size
    if n is not None and len(label) == 1:
        label *= n
    if placement is not None and len(label) == 1:
        label *= len(placement)
    if n is not None and n != len(label):
        raise BioQLValueError(
            f"'{r.text}' names a {len(label)}-qubit state but asks for {n} qubits."
        )
    if placement is not None and len(placement) != len(label):
        raise BioQLValueError(
            f"'{r.text}' names a {len(label)}-qubit state on {len(placement)} qubits."
        )
    return Request(lib.product_state(label).kind, r.text, size=None if placement else len(label),
                   build=lambda _n: [lib.product_state(label)], placement=placement,
                   declared=declared)  # fmt: skip


def _state_in_words(r: Reader) -> str:
    for i, tok in enumerate(r.tokens):
        if tok.is_("PLUS", "MINUS"):
            r.used.add(i)
            return "+" if tok.is_("PLUS") else "-"
        if tok.kind == "num" and tok.value in (0, 1) and i not in r.used:
            r.used.add(i)
            return str(int(tok.value))
    raise BioQLParseError(
        f"'{r.text}' does not say which state to prepare.", suggestion=example_for("state")
    )


# -- algorithms ---------------------------------------------------------------------------
def _qft(r: Reader) -> Request:
    inverse = r.has("IQFT", "INVERSE")
    kind = "iqft" if inverse else "qft"
    labels = r.kets()
    n = r.count()
    placement = tuple(ix.qubit for ix in r.indices()) or None
    bits = [b for b in r.bitstrings() if len(b) > 1 or n is None]
    label = "".join(labels + bits)
    if not label and n is None and placement is None and r.bare_numbers():
        n, placement, _ = _size_from_count(r, "the QFT", example_for(kind))
    r.use("QFT", "IQFT", "INVERSE")
    r.finish(example_for(kind))
    if label and set(label) - {"0", "1"}:
        raise BioQLValueError(f"The QFT input must be a basis state such as |101>, got |{label}>.")
    if label and n is not None and n != len(label):
        raise BioQLValueError(
            f"'{r.text}' gives a {len(label)}-qubit input but asks for {n} qubits."
        )
    size = len(label) if label else n

    def build(total: int) -> list[Step]:
        steps = [lib.product_state(label)] if label else []
        return [*steps, lib.qft(total, inverse=inverse)]

    if placement is not None:
        declared = n if n is not None and n != len(placement) else None
        return Request(kind, r.text, build=build, placement=placement, declared=declared)
    return Request(kind, r.text, size=size, default=3, build=build)


def _grover(r: Reader) -> Request:
    n = r.count()
    marked = [k for k in r.kets()] + r.bitstrings()
    for i in r.bare_numbers():
        tok = r.tokens[i]
        if n is None:
            raise BioQLValueError(
                f"Grover search needs the marked items as bitstrings (e.g. 101), or a number of "
                f"qubits to write {tok.raw} in binary ('search for {tok.raw} on 3 qubits')."
            )
        value = int(tok.value or 0)
        if value != tok.value or value >= 2**n:
            raise BioQLValueError(f"{tok.raw} does not fit in {n} qubits (0..{2**n - 1}).")
        marked.append(format(value, f"0{n}b"))
        r.used.add(i)
    r.use("GROVER")
    r.finish(example_for("grover"))
    if n is not None:
        marked = [m if len(m) == n else _widen(m, n) for m in marked]
    if not marked:
        raise BioQLValueError(
            "Grover search needs the marked bitstring(s), e.g. 'Grover search for 101'."
        )
    size = len(marked[0])
    step = lib.grover(marked)  # validates lengths and the size cap now, not at assembly
    return Request("grover", r.text, size=size, build=lambda _n: [step])


def _widen(bits: str, n: int) -> str:
    """ "search for 1 on 3 qubits": a short string is a number written in binary."""
    if set(bits) <= {"0", "1"} and len(bits) < n and int(bits, 2) < 2**n:
        return format(int(bits, 2), f"0{n}b")
    raise BioQLValueError(
        f"The marked string {bits} has {len(bits)} bits but the search uses {n} qubits."
    )


def _bv(r: Reader) -> Request:
    n = r.count()
    secret = "".join(r.kets() + r.bitstrings())
    r.use("BV")
    r.finish(example_for("bv"))
    if not secret:
        raise BioQLValueError(
            "Bernstein–Vazirani needs the secret bitstring, e.g. 'Bernstein-Vazirani with secret 1011'."
        )
    if n is not None and n != len(secret):
        raise BioQLValueError(
            f"The secret {secret} has {len(secret)} bits but '{r.text}' asks for {n} qubits."
        )
    step = lib.bernstein_vazirani(secret)
    return Request("bv", r.text, size=len(secret) + 1, build=lambda _n: [step])


def _dj(r: Reader) -> Request:
    balanced = r.has("BALANCED") or not r.has("CONSTANT")
    constant_value = 0
    at = r.first("CONSTANT")
    if at is not None:
        tok = r.number_after(at)
        if tok is not None:
            if tok.value not in (0, 1):
                raise BioQLValueError(f"A constant function returns 0 or 1, got {tok.raw}.")
            constant_value = int(tok.value)
    n = r.count()
    if n is None and r.bare_numbers():
        n, _, _ = _size_from_count(r, "Deutsch–Jozsa", example_for("dj"))
    r.use("DJ", "BALANCED", "CONSTANT")
    r.finish(example_for("dj"))

    def build(total: int) -> list[Step]:
        return [lib.deutsch_jozsa(total - 1, balanced=balanced, constant_value=constant_value)]

    return Request("dj", r.text, size=None if n is None else n + 1, default=4, build=build)


def _qpe_or_phase_gate(r: Reader) -> Request:
    if not r.has("QPE", "ESTIMATION", "COUNTING") and _names_qubit(r):
        return _gate(r)
    counting = r.count()
    value = r.expr(explicit_only=True) or r.expr()
    r.use("QPE", "ESTIMATION", "PHASE", "COUNTING")
    r.finish(example_for("qpe"))
    if value is None:
        raise BioQLValueError(
            "Phase estimation needs the phase, e.g. 'phase estimation of 0.375 with 3 counting qubits'."
        )
    phase = value.turns()
    if value.is_angle:
        phase %= 1.0
    k = counting if counting is not None else _default_counting(phase)
    step = lib.phase_estimation(phase, k)
    return Request("qpe", r.text, size=k + 1, build=lambda _n: [step])


def _names_qubit(r: Reader) -> bool:
    toks = r.tokens
    return any(
        (t.is_("QUBIT") and i + 1 < len(toks) and toks[i + 1].kind == "num") or t.kind == "ord"
        for i, t in enumerate(toks)
    )


def _default_counting(phase: float) -> int:
    """The fewest counting qubits that hold the phase exactly, else 8."""
    for k in range(1, 13):
        if abs(phase * 2**k - round(phase * 2**k)) < 1e-9:
            return k
    return 8


def _teleport(r: Reader) -> Request:
    kets = r.kets()
    state = kets[0] if kets else None
    for i, tok in enumerate(r.tokens):
        if state is None and tok.is_("PLUS", "MINUS"):
            state = "+" if tok.is_("PLUS") else "-"
            r.used.add(i)
        elif state is None and tok.kind == "num" and tok.value in (0, 1):
            state = str(int(tok.value))
            r.used.add(i)
    n = r.count()
    r.use("TELEPORT")
    r.finish(example_for("teleport"))
    if len(kets) > 1 or (state is not None and len(state) != 1):
        raise BioQLValueError("BioQL teleports one qubit: |0>, |1>, |+> or |->.")
    if n is not None and n != 3:
        raise BioQLValueError(f"Teleportation uses exactly 3 qubits, but '{r.text}' asks for {n}.")
    step = lib.teleportation(state or "1")
    return Request("teleport", r.text, size=3, build=lambda _n: [step])


# -- explicit gates and measurement ----------------------------------------------------------
_CONTROLLED = {"x": "cx", "y": "cy", "z": "cz", "h": "ch", "p": "cp", "rx": "crx", "ry": "cry",
               "rz": "crz", "swap": "cswap", "cx": "ccx"}  # fmt: skip
_SELF_INVERSE = {"h", "x", "y", "z", "cx", "cy", "cz", "ch", "swap", "ccx", "cswap"}
GATE_NAMES = {"h": "H", "x": "X", "y": "Y", "z": "Z", "s": "S", "t": "T", "sdg": "S†", "tdg": "T†",
              "sx": "√X", "p": "P", "rx": "RX", "ry": "RY", "rz": "RZ", "cx": "CNOT", "cy": "CY",
              "cz": "CZ", "ch": "CH", "cp": "CP", "crx": "CRX", "cry": "CRY", "crz": "CRZ",
              "swap": "SWAP", "ccx": "Toffoli", "cswap": "Fredkin"}  # fmt: skip


def _gate_name(r: Reader) -> tuple[str, int]:
    """The gate's IR name and the position of its head token."""
    controls, head = 0, None
    for i, tok in enumerate(r.tokens):
        if tok.is_("CONTROLLED"):
            controls += 1
            r.used.add(i)
            continue
        if tok.kind == "word" and (tok.concept.startswith("GATE:") or tok.is_("ROTATE", "PHASE")):
            head = i
            break
    if head is None:
        raise BioQLParseError(f"'{r.text}' names no gate.", suggestion=example_for("gates"))
    tok = r.tokens[head]
    r.used.add(head)
    if tok.is_("ROTATE"):
        axis = r.first("AXIS:x", "AXIS:y", "AXIS:z")
        if axis is None:
            raise BioQLValueError(
                f"'{r.text}' does not say the rotation axis; e.g. 'rotate qubit 0 around X by pi/2'."
            )
        r.used.add(axis)
        name = "r" + r.tokens[axis].concept[-1]
    else:
        name = "p" if tok.is_("PHASE") else tok.concept.split(":", 1)[1]
    if r.has("DAGGER"):
        r.use("DAGGER")
        if name in ("s", "t"):
            name += "dg"
        elif name not in _SELF_INVERSE:
            raise BioQLValueError(
                f"BioQL supports the dagger of S and T (and self-inverse gates), not of {GATE_NAMES.get(name, name)}."
            )
    for _ in range(controls):
        if name not in _CONTROLLED:
            raise BioQLValueError(
                f"A controlled {GATE_NAMES.get(name, name)} is not supported; controlled gates: "
                "CNOT, CY, CZ, CH, CP, CRX, CRY, CRZ, Toffoli, Fredkin."
            )
        name = _CONTROLLED[name]
    return name, head


def _gate(r: Reader) -> Request:
    name, head = _gate_name(r)
    parametric = bool(GATE_PARAMS.get(name))
    value = r.expr(explicit_only=True) if parametric else None
    declared = r.count()
    indices = r.indices()
    angle = None
    if parametric:
        value = value or r.expr(after=head)
        if value is None:
            raise BioQLValueError(
                f"{GATE_NAMES[name]} needs an angle, e.g. '{GATE_NAMES[name]}(pi/2) on qubit 0' or "
                f"'{GATE_NAMES[name]} by 90 degrees on qubit 0'; none was found in '{r.text}'."
            )
        angle = value.radians()
    indices += r.bare_indices()
    all_qubits = r.has("ALL")
    r.use("ALL", "AXIS:x", "AXIS:y", "AXIS:z")
    r.finish(example_for("gates"))
    if not indices and not all_qubits:
        raise BioQLValueError(
            f"'{r.text}' does not say which qubit(s) {GATE_NAMES[name]} acts on; "
            f"e.g. '{GATE_NAMES[name]} on qubit 0'."
        )
    if all_qubits and GATE_ARITY[name] != 1:
        raise BioQLValueError(
            f"{GATE_NAMES[name]} acts on several qubits; name them instead of 'all'."
        )
    spec = GateSpec(name, indices, angle, all_qubits and not indices)
    return Request("gate", r.text, declared=declared, gate=spec)


def _measure(r: Reader) -> Request:
    r.use("MEASURE", "ALL", "MEASUREMENTS")
    declared = r.count()
    indices = [ix.qubit for ix in r.indices()]
    indices += [ix.qubit for ix in r.bare_indices()]
    r.finish(example_for("gates"))
    return Request("measure", r.text, declared=declared, measure=indices or None)


def _has(*concepts: str) -> Callable[[Reader], bool]:
    return lambda r: r.has(*concepts)


def _is_gate_clause(r: Reader) -> bool:
    return any(t.kind == "word" and t.concept.startswith("GATE:") for t in r.tokens)


# First match wins: an algorithm's name outranks the states and gates it mentions.
_HANDLERS: list[tuple[Callable[[Reader], bool], Callable[[Reader], Request]]] = [
    (_has("TELEPORT"), _teleport),
    (_has("GROVER"), _grover),
    (_has("BV"), _bv),
    (_has("DJ"), _dj),
    (_has("QPE", "ESTIMATION", "PHASE"), _qpe_or_phase_gate),
    (_has("QFT", "IQFT"), _qft),
    (_has("BELL", "SINGLET", "PHI", "PSI"), _bell),
    (_has("GHZ"), _simple("ghz", "a GHZ state", 3, lib.ghz)),
    (_has("W"), _simple("w", "a W state", 3, lib.w_state)),
    (
        _has("SUPERPOSITION", "UNIFORM"),
        _simple("superposition", "a superposition", 1, lib.uniform_superposition),
    ),
    (_has("ENTANGLE"), _bell),  # "entangle qubits 0 and 1", "an entangled pair"
    (_has("CONTROLLED", "ROTATE"), _gate),
    (_is_gate_clause, _gate),
    (_has("MEASURE"), _measure),
]
