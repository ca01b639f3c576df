"""The grammar of explicit gates and measurement.

A gate clause names a base gate (H, X, RZ, U, SWAP...), how many controls it has (a prefix —
"controlled", "CC", "C3", "multi-controlled" — or roles — "control 0", "controlled by qubits
0-2", "qubit 2 as control"), its angles and its qubits. The IR name follows from the base and
the number of controls (X with 1 control is CNOT, with 2 Toffoli, with more MCX).
"""

from __future__ import annotations

from bioql.circuits.ir import CONTROLLED_BASE, GATE_ARITY, GATE_PARAMS
from bioql.errors import BioQLError, BioQLParseError, BioQLValueError
from bioql.language.clauses import Clause
from bioql.language.examples import example_for
from bioql.language.lexicon import ONLY
from bioql.language.reader import Index, Reader
from bioql.language.requests import GateSpec, Request

GATE_NAMES = {"h": "H", "x": "X", "y": "Y", "z": "Z", "s": "S", "t": "T", "sdg": "S†", "tdg": "T†",
              "sx": "√X", "p": "P", "rx": "RX", "ry": "RY", "rz": "RZ", "u": "U", "cx": "CNOT",
              "cy": "CY", "cz": "CZ", "ch": "CH", "cp": "CP", "crx": "CRX", "cry": "CRY",
              "crz": "CRZ", "swap": "SWAP", "ccx": "Toffoli", "cswap": "Fredkin",
              "mcx": "multi-controlled X", "mcy": "multi-controlled Y", "mcz": "multi-controlled Z",
              "mch": "multi-controlled H", "mcsx": "multi-controlled √X",
              "mcp": "multi-controlled P"}  # fmt: skip

# (base, controls) -> IR name; any number of controls >= 2 for the multi-controlled ones
_WITH_CONTROLS = {(base, k): name for name, (base, k) in CONTROLLED_BASE.items()}
_MULTI = {"x": "mcx", "y": "mcy", "z": "mcz", "h": "mch", "sx": "mcsx", "p": "mcp"}
_SELF_INVERSE = {"h", "x", "y", "z", "swap"}


def parse_gate(r: Reader) -> Request:
    try:
        return _parse_gate(r)
    except BioQLError:
        # "a CCX with those two as controls": read literally, "those two" is a stray number
        resolved = r.with_antecedent() if r.pronoun() is not None else None
        if resolved is None:
            raise
        return _parse_gate(Reader(resolved))


def _parse_gate(r: Reader) -> Request:
    sandwich, sandwich_on = _sandwich(r)
    excluded = _excluded(r)  # "X on all qubits except qubit 2"
    left = r.remaining_count()  # "flip the other two"
    base, prefix, multi, head = _head(r)
    angles = _angles(r, base, head)
    declared = r.count()
    indices = r.indices()
    if len(angles) < GATE_PARAMS.get(base, 0):
        angles += _late_angle(r, base, head)
    if not indices:  # "CNOT 0 1"; beside "qubit 0" a lone number is not another qubit
        indices = r.bare_indices()
    if not indices and r.has("BOTH") and len(r.antecedent) == 2 and r.pronoun() is None:
        resolved = r.with_antecedent()  # "a CZ between qubits 0 and 2 after Hadamards on both"
        if resolved is not None:
            return _parse_gate(Reader(resolved))
    # "apply H to both qubits", "apply X to the two qubits": every qubit of the register
    counted_after = r.count_at is not None and r.count_at > head  # "X on the two qubits"
    all_qubits = r.has("ALL", "BOTH") or (counted_after and not indices and not r.has("REMAINING"))
    if r.has("BOTH") and declared is None and not indices:
        declared = 2
    remaining = r.has("REMAINING")
    repeat = _how_many_times(r, head)
    r.use("ALL", "BOTH", "REMAINING", "AXIS:x", "AXIS:y", "AXIS:z", "ANGLE", "TWICE")
    _through_a_gate(r)
    if (prefix or GATE_ARITY.get(base) != 1) and len(indices) == 2:
        r.use("THROUGH")  # "una CNOT desde el primero hasta el último": from one to the other
    acts_on = _state_acted_on(r)
    if acts_on is not None and len(acts_on) == 1 and declared is not None and declared > 1:
        acts_on *= declared  # "apply H on |1> on 3 qubits": each qubit starts in |1>
    r.finish(example_for("gates"))
    spec = _spec(r, base, prefix, multi, indices, tuple(angles))
    spec.repeat = repeat
    spec.sandwich, spec.sandwich_on = sandwich, sandwich_on
    spec.pairs = _pairs(r)
    if GATE_ARITY[spec.name] == 1 and spec.pairs == 1 and len(spec.indices) == 2:
        first, last = spec.indices  # "X del qubit 1 al 3": a one-qubit gate has no pairs
        if first.role is None and last.role is None and not (first.from_end or last.from_end):
            if last.qubit <= first.qubit:
                raise BioQLValueError(
                    f"The range in '{r.text}' runs backwards; name it low to high."
                )
            spec.indices = [Index(q, None) for q in range(first.qubit, last.qubit + 1)]
    spec.again = any(t.text in _AGAIN for t in r.tokens)
    spec.remaining_count = left
    if not indices:
        spec.all_qubits, spec.remaining = all_qubits and not remaining, remaining
        spec.pending = not (all_qubits or remaining)
        if all_qubits and not remaining and spec.name in ("swap", "cz") and declared in (None, 2):
            spec.all_qubits, spec.pending = False, True  # "swap the two qubits" of a pair
        elif (all_qubits or remaining) and GATE_ARITY[spec.name] != 1:
            raise BioQLValueError(
                f"{GATE_NAMES[spec.name]} acts on several qubits; name them instead of 'all'."
            )
    if acts_on is not None and spec.pending and len(acts_on) == (GATE_ARITY[spec.name] or 0):
        spec.indices, spec.pending = [Index(q, None) for q in range(len(acts_on))], False
    if _short_of_qubits(spec):
        resolved = r.with_antecedent()  # "then swap it with qubit 3"
        if resolved is not None:
            return _parse_gate(Reader(resolved))
        if spec.name in ("cz", "swap") and len(indices) == 1 and len(r.antecedent) == 1:
            # "qubit 3 gets a Hadamard, then a CZ with qubit 2": the qubit being talked about
            spec.indices = [Index(r.antecedent[0], None), *indices]
    if excluded:
        if not spec.all_qubits:
            raise BioQLValueError(
                f"'{r.text}' excludes qubits from a gate that is not on every qubit; name the "
                "qubits it acts on instead."
            )
        spec.excluded = excluded
    default = 1 if spec.pending else None  # "apply a Hadamard": a one-qubit program
    return Request("gate", r.text, declared=declared, gate=spec, default=default, acts_on=acts_on)


_AGAIN = frozenset({"another", "again", "otra", "otro", "nuevo", "nueva"})


def _excluded(r: Reader) -> list[Index]:
    """The qubits after "except" / "excepto" / "salvo", read apart and taken out of the clause."""
    at = r.first("EXCEPT")
    if at is None:
        return []
    end = at + 1
    while end < len(r.tokens) and (
        r.tokens[end].kind in ("num", "ord") or r.tokens[end].is_("FILLER", "QUBIT", "AND", "LAST")
    ):
        end += 1
    inner = Reader(Clause(tokens=r.tokens[at + 1 : end]))
    found = inner.indices()
    r.used.add(at)
    r.used.update(at + 1 + k for k in inner.used)
    if not found:
        raise BioQLValueError(f"'{r.text}' says 'except' but names no qubit after it.")
    return found


def _through_a_gate(r: Reader) -> None:
    """ "put qubit 0 through a Hadamard": "through" before a gate is not a range."""
    for i, tok in enumerate(r.tokens):
        j = r.next_index(i)
        if tok.is_("THROUGH") and j is not None and r.tokens[j].concept.startswith("GATE:"):
            r.used.add(i)


def _how_many_times(r: Reader, head: int) -> int:
    """ "P(pi/2) twice", "two T gates on qubit 0", "dos SX seguidas", "T three times": the step
    repeats."""
    repeat = r.first("REPEAT")
    if repeat is not None and repeat > 0 and r.tokens[repeat - 1].kind == "num":
        r.used.update({repeat - 1, repeat})
        return r.whole(r.tokens[repeat - 1], "number of repetitions")
    before = head - 1
    while before >= 0 and r.tokens[before].is_("CONTROLLED", "MULTI"):
        before -= 1
    tok = r.tokens[before] if before >= 0 else None
    counts = tok is not None and not (tok.is_bitstring and len(tok.text) > 1)  # "en 1100, X"
    if (
        counts
        and tok is not None
        and tok.kind == "num"
        and r.is_free(before)
        and tok.value is not None
    ):
        times = r.whole(tok, "number of repetitions")
        if times < 1:
            raise BioQLValueError(f"'{r.text}' repeats a gate {times} times; say at least once.")
        if times > 1 or tok.raw != tok.text:  # "a single H" / "one X": once
            r.used.add(before)
            return times * (2 if r.has("TWICE") else 1)
        r.used.add(before)
    return 2 if r.has("TWICE") else 1


def _short_of_qubits(spec: GateSpec) -> bool:
    """Fewer qubits named than the gate needs, or only its controls."""
    if spec.pending:
        return True
    arity = GATE_ARITY[spec.name]
    if arity is not None and arity > 1 and len(spec.indices) < arity:
        return True  # "a CNOT from it to qubit 2" (before any control the register implies)
    return arity != 1 and bool(spec.indices) and all(ix.role == "control" for ix in spec.indices)


def _pairs(r: Reader) -> int:
    """How many "a to b" pairs the clause writes ("CNOT q0->q1 and q0->q2" has two)."""
    toks = r.tokens

    def num_near(k: int, step: int) -> bool:
        while 0 <= k < len(toks) and toks[k].is_("QUBIT"):
            k += step
        return 0 <= k < len(toks) and toks[k].kind == "num"

    return sum(
        1
        for i, t in enumerate(toks)
        if t.text in ("to", "a", "al", "hacia") and num_near(i - 1, -1) and num_near(i + 1, 1)
    )


def _sandwich(r: Reader) -> tuple[str | None, list[Index]]:
    """The gate written "between two Hadamards (on qubit 1)", with the qubits it names."""
    at = next((i for i, t in enumerate(r.tokens) if t.concept.startswith("SANDWICH:")), None)
    if at is None:
        return None, []
    r.used.add(at)
    end = at + 1
    while end < len(r.tokens) and (
        r.tokens[end].kind == "num" or r.tokens[end].is_("FILLER", "QUBIT", "AND")
    ):
        end += 1
    own = r.tokens[at + 1 : end]
    if not any(t.is_("QUBIT") for t in own):
        return r.tokens[at].concept[9:], []
    inner = Reader(Clause(tokens=own))
    indices = inner.indices()
    r.used.update(at + 1 + k for k in inner.used)
    return r.tokens[at].concept[9:], indices


def _state_acted_on(r: Reader) -> str | None:
    """ "apply a CZ to |11>": a ket in a gate clause is the state the gate acts on."""
    kets = r.kets()
    if len(kets) > 1:
        raise BioQLValueError(f"'{r.text}' names several states; a gate acts on one, e.g. |11>.")
    return kets[0] if kets else None


def _head(r: Reader) -> tuple[str, int, bool, int]:
    """Base gate, controls written as a prefix, whether "multi-controlled", head position."""
    prefix, multi = 0, False
    for i, tok in enumerate(r.tokens):
        if tok.is_("MULTI"):
            multi = True
            r.used.add(i)
        elif tok.is_("CONTROLLED") and not r.controlled_by(i):
            prefix += 1
            r.used.add(i)
        elif tok.is_("FLIP"):
            r.used.add(i)
            _flip_with(r, i)
            return "x", prefix, multi, i  # "flip qubit 3"
        elif tok.kind == "word" and (tok.concept.startswith("GATE:") or tok.is_("ROTATE", "PHASE")):
            r.used.add(i)
            base = _base(r, i)
            nxt = i + 1
            spanish = nxt < len(r.tokens) and r.tokens[nxt].text in ("controlada", "controlado")
            if spanish and not r.controlled_by(nxt):  # "una Y controlada del qubit 0 al 1"
                prefix += 1  # ("controlada por el qubit 1" is a role, read with the qubits)
                r.used.add(nxt)
            if base == "p":  # "la fase P(pi)", "phase gate P": one phase gate said twice
                r.used.update(k for k in (i - 1, i + 1) if _is_phase_word(r, k))
            inner, k = CONTROLLED_BASE.get(base, (base, 0))
            return _dagger(r, inner), prefix + k, multi, i
    raise BioQLParseError(f"'{r.text}' names no gate.", suggestion=example_for("gates"))


def _is_phase_word(r: Reader, k: int) -> bool:
    return 0 <= k < len(r.tokens) and r.tokens[k].is_("PHASE", "GATE:p")


def _flip_with(r: Reader, i: int) -> None:
    """ "flip a qubit with X" is one X; a flip done "with" another gate is not a flip."""
    for j in range(i + 1, len(r.tokens)):
        tok = r.tokens[j]
        if tok.kind == "word" and tok.concept.startswith("GATE:"):
            if tok.concept != "GATE:x":
                raise BioQLValueError(
                    f"'{r.text}' flips a qubit with {tok.raw}; a flip is X. Say the gate once, e.g. "
                    "'apply X to qubit 0'."
                )
            r.used.add(j)
            return


def _base(r: Reader, i: int) -> str:
    tok = r.tokens[i]
    if tok.is_("ROTATE"):
        axis = r.first("AXIS:x", "AXIS:y", "AXIS:z")
        named = r.first("GATE:rx", "GATE:ry", "GATE:rz")
        if axis is None and named is not None:  # "rotated by RY(pi/2)", "the rotation RY(θ)"
            r.used.add(named)
            return r.tokens[named].concept[5:]
        if axis is None:
            raise BioQLValueError(
                f"'{r.text}' does not say the rotation axis; e.g. 'rotate qubit 0 around X by pi/2'."
            )
        r.used.add(axis)
        return "r" + r.tokens[axis].concept[-1]
    return "p" if tok.is_("PHASE") else tok.concept.split(":", 1)[1]


def _dagger(r: Reader, name: str) -> str:
    if not r.has("DAGGER"):
        return name
    r.use("DAGGER")
    if name in ("s", "t"):
        return name + "dg"
    if name in _SELF_INVERSE:
        return name
    raise BioQLValueError(
        f"BioQL supports the dagger of S and T (and self-inverse gates), not of {GATE_NAMES.get(name, name)}."
    )


def _angles(r: Reader, base: str, head: int) -> list[float]:
    """Angles written with pi, a unit or a sign; U's three angles in order after its name."""
    want = GATE_PARAMS.get(base, 0)
    if want == 0:
        return []
    if want > 1:
        out: list[float] = []
        for _ in range(want):
            value = r.expr(after=head)
            if value is None:
                raise BioQLValueError(
                    f"{GATE_NAMES[base]} takes {want} angles, e.g. 'U(pi/2, 0, pi) on qubit 0'; "
                    f"'{r.text}' gives {len(out)}."
                )
            out.append(value.radians())
        return out
    value = r.expr(explicit_only=True)
    return [value.radians()] if value is not None else []


def _late_angle(r: Reader, base: str, head: int) -> list[float]:
    value = r.expr(after=head)
    if value is None:
        name = GATE_NAMES[base]
        raise BioQLValueError(
            f"{name} needs an angle, e.g. '{name}(pi/2) on qubit 0' or '{name} by 90 degrees on "
            f"qubit 0'; none was found in '{r.text}'."
        )
    return [value.radians()]


def _spec(
    r: Reader, base: str, prefix: int, multi: bool, indices: list[Index], angles: tuple[float, ...]
) -> GateSpec:
    controls = [ix for ix in indices if ix.role == "control"]
    if controls:
        k = len(controls)
        # a lone "controlled" says nothing of how many; "CCX" or "C3X" does
        if prefix >= 2 and not multi and prefix != k:
            raise BioQLValueError(
                f"'{r.text}' names a gate with {prefix} controls but gives {k} control qubits."
            )
    elif multi:
        k = max(len(indices) - (2 if base == "swap" else 1), 1)
    else:
        k = prefix
    name = _controlled_name(r, base, k)
    # controls left unnamed are implied only when the words never speak of controls
    implied = 0 if controls or multi or r.has("CONTROL") else k
    return GateSpec(name, indices, angles, controls=implied)


def _controlled_name(r: Reader, base: str, k: int) -> str:
    if k == 0:
        return base
    if (base, k) in _WITH_CONTROLS:
        return _WITH_CONTROLS[(base, k)]
    if k >= 2 and base in _MULTI:
        return _MULTI[base]
    if k == 1 and base == "sx":
        return "mcsx"
    raise BioQLValueError(
        f"A controlled {GATE_NAMES.get(base, base)} is not supported with {k} control(s); BioQL controls "
        "X, Y, Z, H, √X and P with any number of controls, and RX, RY, RZ and SWAP with one."
    )


def parse_measure(r: Reader) -> Request:
    every = r.has("ALL") and r.has("QUBIT")  # "measure all three qubits", "every qubit"
    r.use("MEASURE", "ALL", "MEASUREMENTS", "BOTH")
    declared = r.count()
    indices = r.indices() + r.bare_indices()
    at = r.pronoun()
    plural = at is not None and r.tokens[at].text != "it"  # "it" may be the whole circuit
    if not indices and plural and r.antecedent:  # "X on qubits 1 and 2, measure them"
        resolved = r.with_antecedent()
        if resolved is not None:
            return parse_measure(Reader(resolved))
    verb = r.first("MEASURE", "MEASUREMENTS") or 0
    if not indices and any(t.text in ONLY for t in r.tokens[verb:]):  # not "just measure"
        raise BioQLValueError(
            f"'{r.text}' measures only some qubits but does not say which; name them, e.g. "
            "'measure only qubit 1'."
        )
    r.finish(example_for("gates"))
    return Request("measure", r.text, declared=declared, measure=indices or None, measure_all=every)
