"""One clause → one :class:`Request`: a small grammar per construct.

A request says what to build and how many qubits it needs; :mod:`bioql.language.assemble`
then fixes the register size for the whole description and builds the steps.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable

from bioql.circuits import library as lib
from bioql.circuits.ir import Step
from bioql.errors import BioQLParseError, BioQLValueError
from bioql.language.clauses import Clause
from bioql.language.examples import example_for
from bioql.language.gates import parse_gate, parse_measure
from bioql.language.kets import read_ket_sum
from bioql.language.lexicon import PRONOUNS
from bioql.language.reader import Index, Reader
from bioql.language.requests import GateSpec, Request
from bioql.language.tokens import Token


def parse_clause(clause: Clause) -> Request:
    r = Reader(clause)
    if clause.category == "idle":  # "leaving qubit 0 alone", "qubit 3 is left in |0>"
        return _idle(r)
    if clause.category == "controls":  # "with both controls set to 1 beforehand"
        at = r.first("CONTROLS_SET")
        r.use("CONTROLS_SET")
        r.finish("Set qubits 0 and 1 to 1, then a Toffoli with controls 0 and 1 and target 2")
        count = r.tokens[at].value if at is not None else None
        return Request("controls_set", r.text, size=None, default=int(count) if count else None)
    if clause.category == "inverse":  # "... followed by its inverse"
        r.use("INVERSE_OF")
        r.finish("Apply the QFT on 3 qubits, then its inverse")
        return Request("inverse", r.text)
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


# The words each construct's handler consumes: its name and the words that describe it. A
# handler never consumes another construct's words ("odd parity" is not a superposition's).
_HEAD_WORDS: dict[str, tuple[str, ...]] = {
    "ghz": ("GHZ", "ENTANGLE", "AGREE"),
    "w": ("W",),
    "superposition": ("SUPERPOSITION", "UNIFORM"),
    "random": ("RANDOM", "COIN", "UNIFORM"),
    "bell": ("BELL", "SINGLET", "ENTANGLE", "AGREE", "DIFFER"),
    "qft": (),
    "dj": (),
}


def _placement(r: Reader) -> tuple[int, ...] | None:
    """Qubits a construct is placed on ("GHZ on qubits 1, 2, 3"); "the last qubit" is refused."""
    indices = r.indices()
    if any(ix.from_end or ix.middle for ix in indices):
        raise BioQLValueError(
            f"Name the qubits of '{r.text}' by number (e.g. 'on qubits 1 and 2'); BioQL places "
            "a construct on numbered qubits, not on 'the last' ones."
        )
    return tuple(ix.qubit for ix in indices) or None


# -- named states -------------------------------------------------------------------------
def _read_written(r: Reader) -> None:
    """Take a ket sum written beside a state's name ("the Bell state (|00> + |11>)/√2") before
    its signs and numbers are read as the state's own words."""
    free = {i for i in range(len(r.tokens)) if i not in r.used}
    free -= {i + 1 for i, t in enumerate(r.tokens) if t.is_("PHI", "PSI")}  # "phi- (|00> - |11>)"
    written = read_ket_sum(r.tokens, free)
    if written is not None:
        r.used.update(written.positions)
        r.written = written.amplitudes


_BELL_VARIANTS = ("phi+", "phi-", "psi+", "psi-")


def _writes(r: Reader, step: Step) -> bool:
    try:
        _check_written(r, [step], 2)
    except BioQLValueError:
        return False
    return True


def _check_written(r: Reader, steps: list[Step], n: int) -> None:
    """A state named and written out ("the singlet (|01> - |10>)/√2") must be that state."""
    if r.written is None:
        return
    from qiskit.quantum_info import Statevector  # only when a state is written beside its name

    from bioql.circuits.ir import Program
    from bioql.circuits.qiskit import to_qiskit

    program = Program(description=r.text, num_qubits=n, steps=steps, measured=tuple(range(n)))
    built = Statevector(to_qiskit(program, measure=False)).data
    wanted = [r.written.get(format(k, f"0{n}b")[::-1], 0) for k in range(2**n)]
    top = max(range(2**n), key=lambda k: abs(built[k]))
    phase = wanted[top] / built[top] if abs(built[top]) > 1e-9 else 0
    if abs(phase) < 1e-9 or any(
        abs(w - phase * b) > 1e-6 for w, b in zip(wanted, built, strict=True)
    ):
        raise BioQLValueError(
            f"'{r.text}' names one state and writes another: {steps[0].text} is not the state "
            "written beside it. Name the state, or write it out, but not both differently."
        )


def _size_from_count(
    r: Reader, kind: str, what: str, suggestion: str, fixed_size: bool = False
) -> tuple[int | None, tuple[int, ...] | None, int | None]:
    """Size, placement ("on qubits 1, 2, 3") and a register size stated beside a placement.

    "GHZ on 4 qubits" → (4, None, None); "On 3 qubits, Bell state on qubits 1 and 2" →
    (2, (1, 2), 3).
    """
    n = r.count()
    placement = _placement(r)
    if n is None and placement is None:
        bare = r.bare_numbers()
        if len(bare) == 1:
            tok = r.tokens[bare[0]]
            r.used.add(bare[0])
            if not (tok.value == 1 and tok.raw != tok.text):  # "one GHZ state" is an article
                n = r.whole(tok, "number of qubits")
    if r.written is not None:  # the state written out beside its name: checked by the handler
        size = len(next(iter(r.written)))
        if n is None and placement is None:
            n = size
        elif (len(placement) if placement else n) != size:
            raise BioQLValueError(
                f"'{r.text}' names a {size}-qubit state for {what} of {n} qubits."
            )
    if n is None and placement is None and r.has("BOTH") and len(r.antecedent) == 2:
        placement = r.antecedent  # "a CZ on qubits 1 and 3 after putting both in superposition"
        r.use("BOTH")
        r.used.update(i for i, t in enumerate(r.tokens) if t.text in PRONOUNS)
    if n is None and placement is None and r.has("BOTH"):
        n = 2  # "put both of them in superposition": two qubits, whichever register
    declared = None
    if n is not None and placement is not None and n != len(placement):
        if not (r.count_is_register() or fixed_size):
            raise BioQLValueError(
                f"'{r.text}' asks for {what} of {n} qubits on {len(placement)} qubits; name "
                f"{n} qubits, or give the register's size apart ('On {n} qubits, …')."
            )
        declared = n  # the count is the register's: "Bell state on qubits 1 and 2 of 3 qubits"
    r.use("ALL", "BOTH", *_HEAD_WORDS[kind])
    r.finish(suggestion)
    return (len(placement) if placement else n), placement, declared


def _simple(
    kind: str, what: str, default: int, make: Callable[[int], Step], words: str = ""
) -> Callable[[Reader], Request]:
    def handler(r: Reader) -> Request:
        _read_written(r)
        n, placement, declared = _size_from_count(r, words or kind, what, example_for(kind))
        if r.written is not None:
            size = len(next(iter(r.written)))
            _check_written(r, [make(size)], size)
        return Request(kind, r.text, size=None if placement else n, default=default,
                       build=lambda total: [make(total)], placement=placement,
                       declared=declared)  # fmt: skip

    return handler


def _superposition(r: Reader) -> Request:
    """ "uniform superposition of 3 qubits"; "an equal superposition of |001>, |010>, |100>"."""
    if r.kets():
        r.used -= {i for i, t in enumerate(r.tokens) if t.kind == "ket"}
        return _listed_superposition(r)
    if r.has("REMAINING"):  # "put the remaining qubits in superposition": H on each of them
        left = r.remaining_count()
        r.use("SUPERPOSITION", "UNIFORM", "REMAINING")
        r.finish(example_for("superposition"))
        spec = GateSpec("h", [], remaining=True, remaining_count=left)
        return Request("gate", r.text, gate=spec)
    return _simple("superposition", "a superposition", 1, lib.uniform_superposition)(r)


def _listed_superposition(r: Reader) -> Request:
    labels = r.kets() + [b for b in r.bitstrings()]
    r.use("SUPERPOSITION", "UNIFORM", "ALL")
    n = r.count()
    r.finish(example_for("superposition"))
    if len({len(b) for b in labels}) != 1 or set("".join(labels)) - {"0", "1"}:
        raise BioQLValueError(
            f"An equal superposition lists basis states of one length, e.g. |001>, |010> and "
            f"|100>; got {', '.join(labels)}."
        )
    if n is not None and n != len(labels[0]):
        raise BioQLValueError(
            f"'{r.text}' lists {len(labels[0])}-qubit states but asks for {n} qubits."
        )
    if len(set(labels)) != len(labels):
        raise BioQLValueError(f"'{r.text}' lists the same basis state twice.")
    weight = 1 / len(labels) ** 0.5
    step = lib.amplitudes({b: complex(weight) for b in labels})
    return Request("amplitudes", r.text, size=len(labels[0]), build=lambda _n: [step])


def _random(r: Reader) -> Request:
    """ "flip a random coin" (one qubit), "a random 4-bit number" (H on each of 4 qubits)."""
    r.use("FLIP", "GATE:x")
    n = _range_of_values(r)
    if n is not None:  # "a random number between 0 and 7": three random bits
        r.finish(example_for("superposition"))
        return Request(
            "superposition", r.text, size=n, build=lambda k: [lib.uniform_superposition(k)]
        )
    return _simple("superposition", "random bits", 1, lib.uniform_superposition, "random")(r)


def _range_of_values(r: Reader) -> int | None:
    """ "between 0 and 7", "from 0 to 15", "entre 0 y 3": the bits that hold exactly that range."""
    nums = [i for i in r.bare_numbers()]
    if len(nums) != 2 or r.tokens[nums[0]].value != 0:
        return None
    top = r.tokens[nums[1]].value
    if top is None or top != int(top) or top < 1:
        return None
    bits = int(top + 1).bit_length() - 1
    if 2**bits != top + 1:
        raise BioQLValueError(
            f"A uniform random number from 0 to {int(top)} needs a range of a power of two "
            "(0 to 1, 3, 7, 15...); BioQL draws random bits."
        )
    r.used.update(nums)
    r.used.update(
        i
        for i, t in enumerate(r.tokens)
        if t.text in ("between", "entre", "from", "to", "desde", "hasta", "y", "and")
        or t.is_("THROUGH", "AND")
    )
    r.use("RANDOM", "COIN", "UNIFORM", "ITEMS")
    return bits


def _bell(r: Reader) -> Request:
    entangled = _entangle_with(r)
    if entangled is not None:
        return entangled
    _read_written(r)
    if _is_ghz_by_behaviour(r):
        return _simple("ghz", "a GHZ state", 3, lib.ghz)(r)
    named = r.has("SINGLET", "PHI", "PSI", "AGREE", "DIFFER")
    variant = "psi-" if r.has("SINGLET") else _bell_variant(r)
    if r.written is not None and not named:  # "the Bell state (|01> + |10>)/√2": that one
        variant = next((v for v in _BELL_VARIANTS if _writes(r, lib.bell(v))), variant)
    n, placement, declared = _size_from_count(r, "bell", "a Bell state", example_for("bell"), True)
    if n is not None and n != 2:
        raise BioQLValueError(
            f"A Bell state has exactly 2 qubits, but '{r.text}' asks for {n}; "
            f"for {n} entangled qubits ask for a GHZ state."
        )
    _check_written(r, [lib.bell(variant)], 2)
    return Request("bell", r.text, size=None if placement else 2, default=2,
                   build=lambda _n: [lib.bell(variant)], placement=placement,
                   declared=declared)  # fmt: skip


def _entangle_with(r: Reader) -> Request | None:
    """ "Put qubit 0 in superposition and entangle it with qubit 1": the qubit just put in
    superposition controls a CNOT onto the other (after any other step, "entangle it" is
    not read: a CNOT from a basis state entangles nothing)."""
    at = r.pronoun()
    said = r.has("GATE:cx")  # "entangle it with qubit 1 via a CNOT": the gate is given
    if (
        at is not None
        and len(r.antecedent) == 1
        and not (r.superposed or said)
        and r.has("ENTANGLE")
    ):
        raise BioQLValueError(
            f"'{r.text}': BioQL reads 'entangle it with ...' only right after that qubit is put "
            "in superposition; say the gates, e.g. 'H on qubit 0, then CNOT from 0 to 1'."
        )
    if (
        at is None
        or len(r.antecedent) != 1
        or not (r.superposed or said)
        or r.has("BELL", "SINGLET", "PHI", "PSI", "AGREE", "DIFFER", "GHZ")
    ):
        return None
    r.used.add(at)
    declared = r.count()  # "... with the last qubit of a 3-qubit register"
    others = r.indices()
    placed = len(others) == 1 and not (others[0].from_end or others[0].middle)
    if len(others) != 1 or others[0].role is not None:
        return None
    if placed and others[0].qubit == r.antecedent[0]:
        return None  # "entangle it with qubit 0" when it is qubit 0
    r.use("ENTANGLE", "GATE:cx")
    r.finish(example_for("gates"))
    target = dataclasses.replace(others[0], role="target")
    spec = GateSpec("cx", [Index(r.antecedent[0], "control"), target])
    return Request("gate", r.text, gate=spec, declared=declared)


def _is_ghz_by_behaviour(r: Reader) -> bool:
    """ "entangle qubits 0, 1 and 2", "3 qubits that always agree": more than two is a GHZ."""
    if r.has("BELL", "SINGLET", "PHI", "PSI", "DIFFER"):
        return False
    probe = copy.copy(r)
    probe.used = set(r.used)
    try:
        n = probe.count()
        placed = probe.indices()
    except BioQLValueError:
        return False
    if placed:
        return len(placed) > 2  # "On 3 qubits, entangle qubits 0 and 2" is a Bell pair
    return (n or 0) > 2 and not probe.count_is_register()


def _bell_variant(r: Reader) -> str:
    """Φ/Ψ and the sign written after it ("phi plus", "Ψ−", "psi-minus"), or the behaviour:
    qubits that "always agree" (Φ+) or "always differ" / are anti-correlated (Ψ+)."""
    family = "psi" if (r.has("PSI") and not r.has("PHI")) or r.has("DIFFER") else "phi"
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
    """ "|101>", "|+>", "the minus state", "estado cero", "prepare |+> on 3 qubits",
    "(|01> + |10>)/√2", "the binary state 5 on 3 qubits", "all qubits in one"."""
    ket_sum = read_ket_sum(r.tokens, {i for i in range(len(r.tokens)) if i not in r.used})
    if ket_sum is not None:
        r.used.update(ket_sum.positions)
        return _amplitude_state(r, ket_sum.amplitudes)
    n = r.count()
    label = "".join(r.kets()) or _state_in_words(r, n)
    placement = _placement(r)
    r.use("ALL", "BOTH")
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


def _amplitude_state(r: Reader, amplitudes: dict[str, complex]) -> Request:
    r.use("SUPERPOSITION")  # "put two qubits into the superposition (|01> + |10>)/√2"
    n = r.count()
    placement = _placement(r)  # "(|0> + |1>)/√2 on qubit 0"
    r.finish(example_for("state"))
    width = len(next(iter(amplitudes)))
    if n is not None and n != width and placement is None:
        raise BioQLValueError(f"'{r.text}' names a {width}-qubit state but asks for {n} qubits.")
    if placement is not None and len(placement) != width:
        raise BioQLValueError(f"'{r.text}' names a {width}-qubit state on {len(placement)} qubits.")
    step = lib.amplitudes(amplitudes)
    if placement is not None:
        return Request("amplitudes", r.text, build=lambda _n: [step], placement=placement,
                       declared=n)  # fmt: skip
    return Request("amplitudes", r.text, size=width, build=lambda _n: [step])


def _state_in_words(r: Reader, n: int | None) -> str:
    """ "the plus state", "estado cero", "the binary state 5", "all ones", "all qubits in one"."""
    binary = r.first("BINARY")
    if binary is not None:
        return _binary_label(r, binary, n)
    for concept, bit in (("ONES", "1"), ("ZEROS", "0")):
        at = r.first(concept)
        if at is not None:
            r.used.add(at)
            return bit
    for i, tok in enumerate(r.tokens):
        if tok.is_("PLUS", "MINUS") and i not in r.used:
            r.used.add(i)
            return "+" if tok.is_("PLUS") else "-"
        if tok.kind == "num" and tok.value in (0, 1) and i not in r.used:
            r.used.add(i)
            return str(int(tok.value))
    raise BioQLParseError(
        f"'{r.text}' does not say which state to prepare.", suggestion=example_for("state")
    )


def _binary_label(r: Reader, at: int, n: int | None) -> str:
    """ "the binary state 5 on 3 qubits" → 101; qubit 0 is the most significant bit."""
    r.used.add(at)
    tok = next(
        (
            t
            for i, t in enumerate(r.tokens[at + 1 : at + 4], at + 1)
            if t.kind == "num" and i not in r.used
        ),
        None,
    )
    if tok is not None:
        r.used.add(r.tokens.index(tok))
    if tok is None:
        raise BioQLValueError(
            f"'{r.text}' does not say which number to encode, e.g. 'the binary state 5'."
        )
    value = r.whole(tok, "number")
    width = n if n is not None else max(value.bit_length(), 1)
    if value >= 2**width:
        raise BioQLValueError(f"{value} does not fit in {width} qubits (0..{2**width - 1}).")
    return format(value, f"0{width}b")


# -- algorithms ---------------------------------------------------------------------------
def _qft(r: Reader) -> Request:
    inverse = r.has("IQFT", "INVERSE")
    kind = "iqft" if inverse else "qft"
    labels = r.kets()
    n = r.count()
    placement = _placement(r)
    bits = [b for b in r.bitstrings() if len(b) > 1 or n is None]
    label = "".join(labels + bits)
    r.use("QFT", "IQFT", "INVERSE", "ALL")
    if not label and n is None and placement is None and r.bare_numbers():
        n, placement, _ = _size_from_count(r, "qft", "the QFT", example_for(kind))
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
    space = _search_space(r)
    n = r.count() or space
    how_many = _number_of_marked(r)
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
    r.use("GROVER", "SEARCH", "STATE", "ITEMS", "ALL")  # "find 101 among all 3-bit strings"
    if len(set(marked)) == 2:
        r.use("BOTH")  # "search for both 011 and 101"
    r.finish(example_for("grover"))
    if n is not None:
        marked = [m if len(m) == n else _widen(m, n) for m in marked]
    if not marked:
        raise BioQLValueError(
            "Grover search needs the marked bitstring(s), e.g. 'Grover search for 101'."
        )
    if how_many is not None and how_many != len(set(marked)):
        raise BioQLValueError(
            f"'{r.text}' says {how_many} marked states but lists {len(set(marked))}: "
            f"{', '.join(marked)}."
        )
    size = len(marked[0])
    step = lib.grover(marked)  # validates lengths and the size cap now, not at assembly
    return Request("grover", r.text, size=size, build=lambda _n: [step])


def _number_of_marked(r: Reader) -> int | None:
    """ "with two marked states, 001 and 110": the number counts the items, it is not one."""
    for i, tok in enumerate(r.tokens):
        if tok.kind != "num" or i in r.used or tok.raw == tok.text:
            continue
        after = r.tokens[i + 1 : i + 3]
        if any(
            t.is_("STATE", "ITEMS") or t.text in ("marked", "solutions", "targets") for t in after
        ):
            r.used.add(i)
            return r.whole(tok, "number of marked states")
    return None


_COLLECTIONS = ("list", "lista", "database", "databases", "datos", "space", "espacio")


def _search_space(r: Reader) -> int | None:
    """ "a database of 8 entries", "a list of 16 items": the number of qubits, log2 of the size."""
    for i, tok in enumerate(r.tokens):
        if tok.kind != "num" or i in r.used:
            continue
        j = r.next_index(i)
        listed = (
            i >= 2 and r.tokens[i - 2].text in _COLLECTIONS and r.tokens[i - 1].text in ("of", "de")
        )
        if (j is None or not r.tokens[j].is_("ITEMS")) and not listed:
            continue
        if listed and j is not None and r.tokens[j].is_("QUBIT"):
            continue  # "una base de datos de 3 qubits": the register, not 3 items
        if listed:  # "a list of 4", "una lista de 8"
            j = i
        size = r.whole(tok, "search-space size")
        if size < 2 or size & (size - 1):
            raise BioQLValueError(
                f"Grover search over {size} items needs a power of two (2, 4, 8, 16...) so that "
                "the items are the bitstrings of a register."
            )
        r.used.update({i, j if j is not None else i})
        return size.bit_length() - 1
    return None


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
    r.use("BV", "SEARCH")
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
    """Deutsch–Jozsa on n input qubits; "Deutsch's algorithm" alone has one input bit."""
    balanced = r.has("BALANCED") or not r.has("CONSTANT")
    constant_value = 0
    n = r.count()
    at = r.first("CONSTANT")
    if at is not None:
        tok = r.number_after(at) or _returned_value(r)
        if tok is not None:
            if tok.value not in (0, 1):
                raise BioQLValueError(f"A constant function returns 0 or 1, got {tok.raw}.")
            constant_value = int(tok.value)
    deutsch_only = not r.has("JOZSA") and not any(t.text == "dj" for t in r.tokens)
    r.use("DJ", "JOZSA", "BALANCED", "CONSTANT", "INPUT", "SEARCH")
    if n is None and r.bare_numbers():
        n, _, _ = _size_from_count(r, "dj", "Deutsch–Jozsa", example_for("dj"))
    if n is None and deutsch_only:
        n = 1
    r.finish(example_for("dj"))

    def build(total: int) -> list[Step]:
        return [lib.deutsch_jozsa(total - 1, balanced=balanced, constant_value=constant_value)]

    return Request("dj", r.text, size=None if n is None else n + 1, default=4, build=build)


_RETURNS = frozenset({"returns", "return", "outputs", "output", "gives", "devuelve", "vale"})


def _returned_value(r: Reader) -> Token | None:
    """ "a constant function that always returns 1": the value after a verb of returning."""
    for i, tok in enumerate(r.tokens[:-1]):
        j = r.next_index(i)
        if tok.text in _RETURNS and j is not None and r.tokens[j].kind == "num" and r.is_free(j):
            r.used.add(j)
            return r.tokens[j]
    return None


# Eigenphase (fraction of a turn) of a named gate on its eigenstate |1>.
_GATE_PHASES = {"GATE:t": 1 / 8, "GATE:s": 1 / 4, "GATE:z": 1 / 2, "GATE:tdg": 7 / 8,
                "GATE:sdg": 3 / 4}  # fmt: skip


def _qpe_or_phase_gate(r: Reader) -> Request:
    if not r.has("QPE", "ESTIMATION", "COUNTING") and _names_qubit(r):
        return parse_gate(r)
    counting = r.count()
    phase = _named_gate_phase(r)
    if phase is None:
        value = r.expr(explicit_only=True) or r.expr()
        if value is None:
            raise BioQLValueError(
                "Phase estimation needs the phase or the gate, e.g. 'phase estimation of 0.375 "
                "with 3 counting qubits' or 'estimate the phase of the T gate'."
            )
        phase = value.turns()
        if value.is_angle:
            phase %= 1.0
    _eigenstate(r)
    r.use("QPE", "ESTIMATION", "PHASE", "COUNTING", "SEARCH")
    r.finish(example_for("qpe"))
    k = counting if counting is not None else _default_counting(phase)
    step = lib.phase_estimation(phase, k)
    return Request("qpe", r.text, size=k + 1, build=lambda _n: [step])


def _eigenstate(r: Reader) -> None:
    """ "on the eigenstate |1>": the eigenstate BioQL uses; any other is refused."""
    for i, tok in enumerate(r.tokens):
        if tok.kind == "ket" and i not in r.used:
            if tok.text != "1":
                raise BioQLValueError(
                    f"BioQL estimates the phase on the eigenstate |1>, not |{tok.text}>."
                )
            r.used.add(i)


def _named_gate_phase(r: Reader) -> float | None:
    """ "of the T gate" → 1/8; "of P(pi/4)" → 1/8; "of RZ(pi/2)" → 1/8 (RZ(λ)|1> = e^{iλ/2}|1>)."""
    for i, tok in enumerate(r.tokens):
        if tok.concept in _GATE_PHASES:
            r.used.add(i)
            if r.has("DAGGER") and tok.concept in ("GATE:t", "GATE:s"):
                r.use("DAGGER")
                return 1 - _GATE_PHASES[tok.concept]
            return _GATE_PHASES[tok.concept]
        if tok.is_("GATE:p", "GATE:rz"):
            r.used.add(i)
            value = r.expr(after=i)
            if value is None:
                raise BioQLValueError(
                    f"'{r.text}' names {tok.raw} but not its angle, e.g. {tok.raw}(pi/4)."
                )
            turns = value.radians() / (2 * 3.141592653589793)
            return (turns / 2 if tok.is_("GATE:rz") else turns) % 1.0
    return None


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
    written = read_ket_sum(r.tokens, {i for i in range(len(r.tokens)) if i not in r.used})
    if written is not None:  # "teleport 0.6|0> + 0.8|1> to Bob"
        r.used.update(written.positions)
        if len(next(iter(written.amplitudes))) != 1:
            raise BioQLValueError("BioQL teleports one qubit; write a one-qubit state.")
        r.use("TELEPORT", "BELL", "ENTANGLE", "THROUGH")
        r.finish(example_for("teleport"))
        start = lib.amplitudes(written.amplitudes)
        protocol = lib.teleportation("0")
        return Request("teleport", r.text, size=3, build=lambda _n: [start, protocol])
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
    # "using a shared Bell pair", "desde Alice hasta Bob": the protocol's own resource and route
    r.use("TELEPORT", "BELL", "ENTANGLE", "THROUGH")
    r.finish(example_for("teleport"))
    if len(kets) > 1 or (state is not None and len(state) != 1):
        raise BioQLValueError("BioQL teleports one qubit: |0>, |1>, |+> or |->.")
    if n is not None and n != 3:
        raise BioQLValueError(f"Teleportation uses exactly 3 qubits, but '{r.text}' asks for {n}.")
    step = lib.teleportation(state or "1")
    request = Request("teleport", r.text, size=3, build=lambda _n: [step])
    if state is None:  # "teleport a qubit prepared with RY(pi/3)": the gates set its state
        request.open_input = lambda: lib.teleportation("0")
    return request


def _idle(r: Reader) -> Request:
    """Qubits said to get nothing: they count in the register and stay in |0>."""
    declared = r.count()  # "leave the rest alone, 3 qubits total": the register, not qubit 3
    indices = r.indices() + r.bare_indices()
    kets = r.kets()
    zeros = [i for i, t in enumerate(r.tokens) if t.kind == "num" and t.value == 0 and r.is_free(i)]
    r.used.update(zeros)
    if any(set(k) != {"0"} for k in kets) or any(ix.from_end or ix.middle for ix in indices):
        raise BioQLValueError(
            f"'{r.text}' leaves qubits alone but names a state other than |0> or a qubit by its "
            "place; say the state as a start ('starting from |0001>') and name qubits by number."
        )
    r.use("IDLE", "REMAINING", "ALL")
    r.finish("Put qubits 1 and 2 in superposition, leaving qubit 0 alone")
    placement = tuple(ix.qubit for ix in indices) or None
    return Request("idle", r.text, placement=placement, build=lambda _n: [], declared=declared)


def _has(*concepts: str) -> Callable[[Reader], bool]:
    return lambda r: r.has(*concepts)


def _is_gate_clause(r: Reader) -> bool:
    return any(t.kind == "word" and t.concept.startswith("GATE:") for t in r.tokens)


def _names_a_state(r: Reader) -> bool:
    """ "the binary state 5", "all ones", "all qubits in one", "(|01> + |10>)/√2"."""
    if r.has("BINARY", "ONES", "ZEROS") or any(t.kind == "ket" for t in r.tokens):
        return True
    return r.has("ALL", "BOTH") and any(t.kind == "num" and t.value in (0, 1) for t in r.tokens)


# First match wins: an algorithm's name outranks the states and gates it mentions.
_HANDLERS: list[tuple[Callable[[Reader], bool], Callable[[Reader], Request]]] = [
    (_has("TELEPORT"), _teleport),
    (_has("GROVER"), _grover),
    (_has("BV"), _bv),
    (_has("DJ", "JOZSA"), _dj),
    (_has("QPE", "ESTIMATION", "PHASE"), _qpe_or_phase_gate),
    (_has("SEARCH"), _grover),
    (_has("QFT", "IQFT"), _qft),
    (_has("BELL", "SINGLET", "PHI", "PSI"), _bell),
    (_has("GHZ"), _simple("ghz", "a GHZ state", 3, lib.ghz)),
    (_has("W"), _simple("w", "a W state", 3, lib.w_state)),
    (
        lambda r: (
            (r.has("SUPERPOSITION") or (r.has("UNIFORM") and not r.has("RANDOM", "COIN")))
            and read_ket_sum(r.tokens, set(range(len(r.tokens)))) is None
        ),  # not "the superposition (|01> + |10>)/√2"
        _superposition,
    ),
    (_has("COIN", "RANDOM"), _random),
    (_has("ENTANGLE", "AGREE", "DIFFER"), _bell),  # "entangle qubits 0 and 1", "always agree"
    (_has("CONTROLLED", "ROTATE", "MULTI", "FLIP"), parse_gate),
    (_is_gate_clause, parse_gate),
    (_has("MEASURE"), parse_measure),
    (_names_a_state, _state),
]
