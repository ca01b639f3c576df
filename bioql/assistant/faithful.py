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
from bioql.errors import BioQLError
from bioql.language import compile_description, describe
from bioql.language.reading import same_program


@dataclass
class RequestReading:
    program: Program | None  # the whole request as one circuit, when the language reads it so
    error: str | None  # the language's sentence when it does not


def read_request(prompt: str) -> RequestReading:
    try:
        return RequestReading(compile_description(prompt), None)
    except BioQLError as exc:
        return RequestReading(None, str(exc))


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
    """A single-circuit answer to a request the language could not read drops or guesses words."""
    return reading.program is None and len(calls) == 1 and calls[0].func == "quantum"


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
