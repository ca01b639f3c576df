"""Faithful or refused: the assistant's answers are checked against the language's own reading.

The request is read once, by :mod:`bioql.language` — the same reader ``quantum()`` uses. When it
reads the whole request as one circuit, the faithful program is that reading: a model's answer
is returned only if its call compiles to exactly the same program, and otherwise the reading's
own code is returned instead. When the language cannot read the request, an answer that is a
single circuit would have to drop or guess words the language named, so it is refused with the
language's sentence; multi-step answers (loops, comparisons, docking) are kept, each call's
description having compiled.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from bioql.assistant.plan.plan import Plan, QuantumCall, render_code
from bioql.calls import Call
from bioql.circuits.ir import Program
from bioql.errors import BioQLError, BioQLParseError
from bioql.language import compile_description, describe
from bioql.language.classify import tokenize
from bioql.language.clauses import token_category
from bioql.language.reading import same_program

# Words that join several runs into one request ("compare a Bell and a GHZ state"): the one
# reason the language may refuse a request that the multi-step template still reads whole.
MULTI_STEP_WORDS = frozenset(
    [
        "compare",
        "compared",
        "comparing",
        "comparison",
        "versus",
        "vs",
        "against",
        "compara",
        "comparar",
        "comparando",
        "comparacion",
        "frente",
    ]
)


@dataclass
class RequestReading:
    program: Program | None  # the whole request as one circuit, when the language reads it so
    error: str | None  # the language's sentence when it does not
    unknown: list[str] | None = None  # the words it named (None: a value, not a word, failed)
    names_a_circuit: bool = False  # the request names a state, an algorithm or a gate


def read_request(prompt: str) -> RequestReading:
    try:
        return RequestReading(compile_description(prompt), None, names_a_circuit=True)
    except BioQLParseError as exc:
        unknown = [w.lower() for w in exc.unknown_words]
        return RequestReading(None, str(exc), unknown, _names_a_circuit(prompt))
    except BioQLError as exc:
        return RequestReading(None, str(exc), names_a_circuit=_names_a_circuit(prompt))


def _names_a_circuit(prompt: str) -> bool:
    try:
        tokens = tokenize(prompt)
    except BioQLError:
        return False
    return any(token_category(t) in ("construct", "gate") for t in tokens)


def faithful_code(program: Program) -> str:
    """The answer the reading itself gives: one ``quantum()`` call with the canonical sentence
    (shots and backend as keyword arguments, as the assistant always writes them)."""
    body = copy.copy(program)
    body.shots, body.backend = None, None
    call = QuantumCall(
        describe(body),
        backend=program.backend or QuantumCall.backend,
        shots=program.shots or QuantumCall.shots,
    )
    return render_code(Plan([call]))


def call_program(call: Call) -> Program | None:
    """The program a ``quantum()`` call runs, with explicit ``shots=`` / ``backend=`` applied."""
    description = call.argument("description", 0)
    if call.func != "quantum" or not isinstance(description, str):
        return None
    try:
        program = compile_description(description)
    except BioQLError:
        return None
    shots, backend = call.kwargs.get("shots"), call.kwargs.get("backend")
    if isinstance(shots, int) and (program.shots is not None or shots != QuantumCall.shots):
        program.shots = shots
    if isinstance(backend, str) and (program.backend is not None or backend != QuantumCall.backend):
        program.backend = backend
    return program


def matches_request(calls: list[Call], reading: RequestReading) -> bool:
    """Whether the answer's calls run exactly the program the request reads as."""
    if reading.program is None:
        return True
    quantum_calls = [c for c in calls if c.func == "quantum"]
    if len(quantum_calls) != 1 or len(calls) != 1:
        return False
    program = call_program(quantum_calls[0])
    return program is not None and same_program(program, reading.program)


def drops_words(calls: list[Call], reading: RequestReading) -> bool:
    """Whether an answer to a request the language could not read drops or guesses words.

    A single circuit always would. Several runs are kept only when what the language could not
    read is what makes them several: a comparison word, the values of a sweep over shots or
    backends (the same construct each time), or a docking call beside them.
    """
    if reading.program is not None:
        return False
    quantum = [c for c in calls if c.func == "quantum"]
    if not quantum and reading.names_a_circuit:
        return True  # "a Bell state and dock CCO into …" answered by docking alone
    if len(calls) == 1:
        return bool(quantum)
    if any(c.func == "dock" for c in calls):
        return False
    unknown = set(reading.unknown or [])
    if unknown and unknown <= MULTI_STEP_WORDS:
        return False
    return not (_same_circuit(quantum) and all(w.replace(",", "").isdigit() for w in unknown))


def _same_circuit(calls: list[Call]) -> bool:
    """A sweep: every call runs the same kind of construct (sizes, shots or backends vary)."""
    programs = [call_program(c) for c in calls]
    kinds = {tuple(p.kinds) if p is not None else None for p in programs}
    return None not in kinds and len(kinds) == 1


def readings(calls: list[Call]) -> list[str]:
    """The canonical reading of each call (``interpreted_as``)."""
    out = []
    for call in calls:
        program = call_program(call)
        if program is not None:
            out.append(program.reading)
        elif call.func == "dock":
            ligand = call.argument("ligand_smiles", 0)
            protein = call.argument("protein_pdb", 1)
            out.append(f"dock {ligand} into {protein}")
        else:
            out.append(str(call.argument("description", 0, "")))
    return out
