"""compile_description: the whole pipeline from words to a validated Program."""

from __future__ import annotations

from bioql.circuits import library as lib
from bioql.circuits.ir import GATE_ARITY, GATE_PARAMS, Program, Step
from bioql.config import MAX_SHOTS
from bioql.errors import BioQLError, BioQLParseError, BioQLValueError
from bioql.language.assemble import assemble
from bioql.language.classify import tokenize
from bioql.language.clauses import Clause, split_clauses
from bioql.language.examples import SUPPORTED, closest_example
from bioql.language.initial import (
    extract_initial_state,
    listed_qubits_in_a_value,
    starting_state,
)
from bioql.language.options import extract_options
from bioql.language.parser import parse_clause
from bioql.language.reader import Reader
from bioql.language.reading import reading
from bioql.language.recipes import check_recipes, prepared_inputs
from bioql.language.requests import GateSpec, Request
from bioql.language.tokens import Token


def compile_description(text: str) -> Program:
    """Compile an English or Spanish description into a validated circuit :class:`Program`.

    Raises :class:`~bioql.errors.BioQLParseError` for words it cannot place and
    :class:`~bioql.errors.BioQLValueError` for sizes, indices, angles or shot counts that are
    out of range. Nothing in the text is ever evaluated as code.
    """
    try:
        program = _compile(text)
    except OverflowError:  # a value so large that no float holds it (caught here, whatever stage)
        raise BioQLValueError(
            "A number in the description is absurdly large; BioQL reads counts, indices and "
            f"shots up to {MAX_SHOTS:,}."
        ) from None
    program.reading = reading(program, _compile)
    return program


def _initial_from_gates(requests: list[Request], initial: Request | None) -> Request | None:
    """ "What does a CZ do to |11>?": the state a gate acts on is the program's initial state."""
    states = [r for r in requests if r.acts_on is not None]
    if not states:
        return initial
    if initial is not None or len(states) > 1:
        raise BioQLValueError(
            "The description names more than one starting state; name one, e.g. 'starting from |11>'."
        )
    return starting_state(states[0].acts_on or "", states[0].source)


def describe(program: Program) -> str:
    """The canonical reading of a program built without words (e.g. by hand in Python)."""
    return reading(program, _compile)


def _compile(text: str) -> Program:
    if not isinstance(text, str):
        raise BioQLValueError(f"A description must be text, got {type(text).__name__}.")
    tokens = tokenize(text)
    _reject_unreadable_angles(tokens)
    _reject_unknown_words(text, tokens)
    tokens, options = extract_options(tokens)
    listed_qubits_in_a_value(tokens)
    tokens, initial = extract_initial_state(tokens)
    clauses = split_clauses(tokens)
    if not clauses and initial is not None:
        clauses = []
    elif not clauses:
        raise BioQLParseError(
            f"'{text.strip()}' does not describe a circuit. BioQL understands {SUPPORTED}. "
            f"For example: '{closest_example(text)}'.",
            suggestion=closest_example(text),
        )
    _link_antecedents(clauses)
    requests = _controls_set_first([parse_clause(c) for c in clauses])
    for clause, request in zip(clauses, requests, strict=True):
        request.recipe = clause.recipe
    program = _assemble_with_recipes(text, requests, initial)
    program.shots, program.backend = options.shots, options.backend
    program.validate()
    return program


def _controls_set_first(requests: list[Request]) -> list[Request]:
    """ "…, with both controls set to 1 beforehand": the controls of the description's one
    controlled gate start in |1>. Said without such a gate, or with several, it is refused."""
    said = [r for r in requests if r.kind == "controls_set"]
    if not said:
        return requests
    gates = [r for r in requests if r.gate is not None and _has_controls(r)]
    if len(said) > 1 or len(gates) != 1:
        raise BioQLParseError(
            f"'{said[0].source}' sets 'the controls', but the description has "
            f"{len(gates) or 'no'} controlled gate(s); name the qubits ('set qubits 0 and 1 to 1').",
            unknown_words=[said[0].source],
        )
    spec = gates[0].gate
    assert spec is not None
    count = said[0].default

    def build(n: int) -> list[Step]:
        controls = _controls_of(spec, n)
        if count is not None and count != len(controls):
            raise BioQLValueError(
                f"'{said[0].source}' speaks of {count} controls, but the gate has {len(controls)}."
            )
        label = "".join("1" if q in controls else "0" for q in range(n))
        return [lib.product_state(label)]

    start = Request("basis", said[0].source, build=build, initial=True)
    return [start if r is said[0] else r for r in requests]


def _has_controls(req: Request) -> bool:
    spec = req.gate
    assert spec is not None
    return (
        bool(spec.controls)
        or any(ix.role == "control" for ix in spec.indices)
        or (GATE_ARITY.get(spec.name) != 1 and spec.name not in ("swap", "cz"))
    )


def _controls_of(spec: GateSpec, n: int) -> set[int]:
    named = [ix.resolve(n) for ix in spec.indices if ix.role == "control"]
    if named:
        return set(named)
    qubits = [ix.resolve(n) for ix in spec.indices]
    if len(qubits) == 1 and spec.controls:  # "a C3X targeting qubit 3": all the others
        return {q for q in range(n) if q != qubits[0]}
    return set(qubits[:-1])  # "a Toffoli on qubits 0, 1, 2": the target is last


def _assemble_with_recipes(text: str, requests: list[Request], initial: Request | None) -> Program:
    """Assemble, setting aside the gates that say how a named state is built. Marked greedily
    ("a GHZ state using H, then CNOTs, then an X on qubit 2"), the longest leading run of them
    that builds the state exactly is the recipe; the rest run as steps. The first marked one is
    always part of it ("a Bell state with an X on qubit 1" is refused, never read as two steps)."""
    marked = [r for r in requests if r.recipe]
    first_error: BioQLError | None = None
    for k in range(len(marked), 0 if marked else -1, -1):
        recipes = marked[:k]
        for r in marked[k:]:
            r.recipe = False
        steps = [r for r in requests if not r.recipe]
        if recipes and len(prepared := prepared_inputs(recipes, steps)) > len(steps):
            steps, recipes = prepared, []
        start = _initial_from_gates(steps, initial)
        try:
            program = assemble(text, [start, *steps] if start is not None else steps)
            check_recipes(recipes, program)
            return program
        except BioQLError as exc:
            first_error = first_error or exc
            if not marked:
                raise
    assert first_error is not None
    raise first_error


def _superposes(clause: Clause) -> bool:
    """ "put qubit 0 in superposition", "H on qubit 0": the clause only makes a superposition."""
    gates = {t.concept for t in clause.tokens if t.kind == "word" and t.concept.startswith("GATE:")}
    return gates <= {"GATE:h"} and (bool(gates) or clause.has("SUPERPOSITION"))


def _link_antecedents(clauses: list[Clause]) -> None:
    """Each clause learns the qubits the clause before it (in the text) named by number, which
    "it", "them" and "both" may refer to."""
    named: tuple[int, ...] = ()
    superposed = False
    for clause in sorted(clauses, key=lambda c: c.order):
        clause.antecedent, clause.superposed = named, superposed
        try:
            reader = Reader(clause)
            reader.count()  # "qubits 0 y 3 de un registro de 4": the 4 sizes, it names no qubit
            indices = reader.indices()
            qubits = tuple(ix.qubit for ix in indices if not (ix.from_end or ix.middle))
        except BioQLError:  # a value the clause's own grammar reads first ("RZ by 0.5")
            qubits = ()
        if qubits:
            named, superposed = qubits, _superposes(clause)


def _reject_unknown_words(text: str, tokens: list[Token]) -> None:
    unknown = list(dict.fromkeys(t.raw for t in tokens if t.is_("UNKNOWN")))
    if not unknown:
        return
    suggestion = closest_example(text)
    raise BioQLParseError(
        f"BioQL did not understand {', '.join(repr(w) for w in unknown)}. It understands "
        f"{SUPPORTED}. Closest supported phrasing: '{suggestion}'.",
        unknown_words=unknown,
        suggestion=suggestion,
    )


def _reject_unreadable_angles(tokens: list[Token]) -> None:
    """ "RX(banana) on qubit 0": an angle that is there but cannot be read."""
    for i, tok in enumerate(tokens):
        if tok.kind != "word" or not tok.concept.startswith("GATE:"):
            continue
        if not GATE_PARAMS.get(tok.concept[5:]):
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].text == "(":
            j += 1
        if j < len(tokens) and tokens[j].is_("UNKNOWN"):
            raise BioQLValueError(
                f"Could not read the angle {tokens[j].raw!r} of {tok.raw}; write it like pi/2, "
                "-pi/4, 0.3 or 90 degrees."
            )
