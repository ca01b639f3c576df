"""Faithful or refused: every answer is checked against the language's reading of the request.

The request is read once (``reading.py``, by :mod:`bioql.language`). When it has a reading — one
circuit, several runs, a docking — an answer is returned only if its calls run exactly those
programs, in that order; otherwise the reading's own code is returned instead (``template.py``).
When the language cannot read the request, an answer would have to drop or guess the words it
named, so it is refused with the language's sentence. :func:`disagreement` says, for a model's
repair turn, how a valid program differs from the request.
"""

from __future__ import annotations

import copy
from typing import Any

from bioql.assistant.plan.plan import (
    DEFAULT_BACKEND,
    DEFAULT_SHOTS,
    SCREEN_OPTIONS,
    ChemistryCall,
    DockCall,
    Plan,
    QuantumCall,
    ScreenCall,
)
from bioql.assistant.reading import RequestReading
from bioql.calls import Call
from bioql.circuits.ir import Program
from bioql.errors import BioQLError
from bioql.language import compile_description
from bioql.language.chemistry import read_chemistry
from bioql.language.reading import same_program
from bioql.language.screening import describe_screening


def call_program(call: Call) -> Program | None:
    """The program a ``quantum()`` call runs, with explicit ``shots=`` / ``backend=`` applied
    (None for a VQE or MaxCut description: see :func:`call_chemistry`)."""
    description = call.argument("description", 0)
    if call.func != "quantum" or not isinstance(description, str):
        return None
    if call_chemistry(call) is not None:
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


def call_chemistry(call: Call) -> Any:
    """The VQE / MaxCut spec a ``quantum()`` call runs (as ``quantum()`` reads its description
    first), with an explicit ``backend=`` / ``shots=`` applied as ``quantum()`` applies them;
    None when the call runs no such request."""
    description = call.argument("description", 0)
    if call.func != "quantum" or not isinstance(description, str):
        return None
    try:
        spec = read_chemistry(description)
    except BioQLError:
        return None
    if spec is None:
        return None
    backend, shots = call.argument("backend", 1), call.argument("shots", 2)
    if isinstance(backend, str):
        spec = _with(spec, backend=backend)
    if isinstance(shots, int) and not isinstance(shots, bool):
        spec = _with(spec, shots=shots)
    return spec


def _with(spec: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(spec, **changes)


def matches_request(calls: list[Call], reading: RequestReading) -> bool:
    """Whether the answer's calls run exactly the programs the request reads as, in order."""
    return reading.plan is None or disagreement(calls, reading) is None


def drops_words(calls: list[Call], reading: RequestReading) -> bool:
    """Whether an answer to a request the language could not read drops or guesses words: any
    program would (the words the language named are in it, unread)."""
    return reading.plan is None and bool(calls)


def disagreement(calls: list[Call], reading: RequestReading) -> str | None:
    """Why a valid program does not do what the request states, else None (also when the request
    has no reading to compare with).

    A model can write valid code that runs the wrong experiment (1000 shots for "20000", the ideal
    simulator for "IBM Torino", a Bell state for "amplitude amplification"); the validator cannot
    see that, this check can: the shot counts and backends stated (or the defaults), then each
    run, in the order asked.
    """
    if reading.plan is None:
        return None
    planned = reading.plan.calls
    screens = [c for c in calls if c.func == "screen"]
    wanted_screens = [c for c in planned if isinstance(c, ScreenCall)]
    if wanted_screens or screens:
        return _screen_disagreement(screens, wanted_screens, len(calls) - len(screens))
    chemistry = [c for c in planned if isinstance(c, ChemistryCall)]
    if chemistry or any(call_chemistry(c) is not None for c in calls):
        return _chemistry_disagreement(calls, chemistry)
    docks = [c for c in calls if c.func == "dock"]
    wanted_docks = [c for c in planned if isinstance(c, DockCall)]
    if wanted_docks or docks:
        return _dock_disagreement(docks, wanted_docks, len(calls) - len(docks))
    quantum = [c for c in planned if isinstance(c, QuantumCall)]
    built = [call_program(c) for c in calls]
    wanted = [p for p in reading.programs if p is not None]
    shots = sorted(
        {_option(c, b, "shots", DEFAULT_SHOTS) for c, b in zip(calls, built, strict=True)}, key=str
    )
    stated = list(dict.fromkeys(c.shots for c in quantum))
    if set(shots) != set(stated):
        return f"The request asks for {_listed(stated)} shots; the program uses {_listed(shots)}."
    backends = {
        _option(c, b, "backend", DEFAULT_BACKEND) for c, b in zip(calls, built, strict=True)
    }
    named = list(dict.fromkeys(c.backend for c in quantum))
    if backends != set(named):
        used = sorted(backends, key=str)
        return f"The request asks for backend {_listed(named)}; the program uses {_listed(used)}."
    if len(built) != len(wanted) or not all(
        b is not None and same_program(_effective(b), _effective(w))
        for b, w in zip(built, wanted, strict=True)
    ):
        return (
            f"The request asks for {len(wanted)} run(s), in this order: "
            f"{'; '.join(c.description for c in quantum)}; the program does {len(calls)}: "
            f"{'; '.join(str(c.argument('description', 0)) for c in calls)}."
        )
    return None


def comparison_differs(answer: Plan, wanted: Plan) -> str | None:
    """Why a plan's comparison differs from the request's ("compare …" answered without one)."""
    if answer.compare == wanted.compare or len(wanted.calls) < 2:
        return None
    if wanted.compare:
        return "The request asks to compare the runs: end the plan with the line C."
    return "The request does not ask to compare the runs: leave out the line C."


def _option(call: Call, program: Program | None, name: str, default: Any) -> Any:
    """The shots or backend a call runs with: its program's, else its keyword argument."""
    if program is not None:
        return getattr(_effective(program), name)
    return call.kwargs.get(name, default)


def _effective(program: Program) -> Program:
    """The program with the assistant's defaults for what the words leave unsaid."""
    out = copy.copy(program)
    out.shots = program.shots or DEFAULT_SHOTS
    out.backend = program.backend or DEFAULT_BACKEND
    return out


DOCK_BOX_OPTIONS = ("center", "size", "exhaustiveness")


def _dock_disagreement(calls: list[Call], wanted: list[DockCall], others: int) -> str | None:
    """A docking call whose ligand, receptor, backend or box options differ from the request's."""
    if len(calls) != len(wanted) or others:
        return f"The request asks for {len(wanted)} docking run(s) and nothing else."
    for call, want in zip(calls, wanted, strict=True):
        expected: dict[str, Any] = {
            "ligand_smiles": want.ligand_smiles,
            "protein_pdb": want.protein_pdb,
            "backend": want.backend,
            **dict(want.options),
        }
        got = {k: call.kwargs.get(k) for k in ("ligand_smiles", "protein_pdb", "backend")}
        got.update({k: call.kwargs.get(k) for k in DOCK_BOX_OPTIONS})
        got["backend"] = got["backend"] or "vina"
        for key, value in expected.items():
            if _as_floats(got.get(key)) != _as_floats(value):
                return f"The request asks for {key}={value!r}; the program uses {got.get(key)!r}."
        extra = [k for k in DOCK_BOX_OPTIONS if got.get(k) is not None and k not in expected]
        if extra:
            return f"The request does not ask for {', '.join(extra)}; the program sets it."
    return None


def _chemistry_disagreement(calls: list[Call], wanted: list[ChemistryCall]) -> str | None:
    """A VQE / MaxCut run that is not the request's (another molecule, bond length, graph,
    depth, backend or shot count), or calls beside it."""
    if not wanted:
        runs = "; ".join(str(c.argument("description", 0)) for c in calls)
        return f"The request asks for no VQE or MaxCut run; the program runs: {runs}"
    asked = "; ".join(c.description for c in wanted)
    if len(calls) != len(wanted):
        return f"The request asks for {len(wanted)} run(s) and nothing else: {asked}."
    for call, want in zip(calls, wanted, strict=True):
        got = call_chemistry(call)
        if got is None:
            return f"The request asks for: {want.description} The program runs something else."
        expected = read_chemistry(want.description)
        if got != expected:
            return (
                f"The request asks for: {want.description} The program runs: {got.reading}"
                + _backend_note(got, expected)
            )
    return None


def _backend_note(got: Any, expected: Any) -> str:
    if (got.backend, got.shots) == (expected.backend, expected.shots):
        return ""
    if expected.backend is None and expected.shots is None:
        return (
            " (a chemistry request runs exactly on statevector unless it names a backend or "
            'shots: write quantum("<description>") without backend= or shots=)'
        )
    return " (the backend and shots belong in the description, as the request says them)"


def _screen_disagreement(calls: list[Call], wanted: list[ScreenCall], others: int) -> str | None:
    """A screen whose library, receptor or options differ from the request's."""
    if len(calls) != len(wanted) or others:
        return f"The request asks for {len(wanted)} screening run(s) and nothing else."
    for call, want in zip(calls, wanted, strict=True):
        expected: dict[str, Any] = {"ligands": want.ligands, "protein_pdb": want.protein_pdb}
        expected.update(dict(want.options))
        got = {
            "ligands": call.argument("ligands", 0),
            "protein_pdb": call.argument("protein_pdb", 1),
        }
        got.update({k: v for k, v in call.kwargs.items() if k not in got})
        for key, value in expected.items():
            if _as_floats(got.get(key)) != _as_floats(value):
                return f"The request asks for {key}={value!r}; the program uses {got.get(key)!r}."
        extra = sorted(k for k in got if k not in expected and got[k] is not None)
        if extra:
            return f"The request does not ask for {', '.join(extra)}; the program sets it."
    return None


def _as_floats(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(float(v) for v in value)
    return float(value) if isinstance(value, (int, float)) else value


def _listed(values: list[Any]) -> str:
    return ", ".join(str(v) for v in values)


def readings(calls: list[Call]) -> list[str]:
    """The canonical reading of each call (``interpreted_as``)."""
    out = []
    for call in calls:
        program = call_program(call)
        chemistry = call_chemistry(call)
        if program is not None:
            out.append(program.reading)
        elif chemistry is not None:
            out.append(chemistry.reading)
        elif call.func == "screen":
            options = {k: v for k, v in call.kwargs.items() if k in SCREEN_OPTIONS}
            ligands, protein = call.argument("ligands", 0), call.argument("protein_pdb", 1)
            out.append(describe_screening(ligands, protein, options))
        elif call.func == "dock":
            ligand = call.argument("ligand_smiles", 0)
            protein = call.argument("protein_pdb", 1)
            out.append(f"dock {ligand} into {protein}")
        else:
            out.append(str(call.argument("description", 0, "")))
    return out
