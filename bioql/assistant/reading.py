"""What a request asks for, read once by :mod:`bioql.language` — the reader ``quantum()`` uses.

A ground-state energy (VQE) or MaxCut (QAOA) request is read first, by
:func:`bioql.language.chemistry.read_chemistry`, as ``quantum()`` reads it. One circuit is read by
``compile_description`` (named states or algorithms joined by "and also" are separate runs,
:func:`bioql.language.segments.separate_runs`); a screening request (a ligand library against a
receptor) by :func:`bioql.language.screening.read_screening`; a docking request by
:func:`bioql.language.docking.read_docking`; several runs (a sweep, a comparison, several
circuits) by :func:`bioql.language.segments.read_steps`, which cuts the request into the text of
each run and reads each with ``compile_description``. The reading is a plan (the calls the
answer must make, in order) or the language's sentence naming what it could not read. Every
answer, whichever provider drafted it, is checked against this reading (``faithful.py``), and
the template generator's answer *is* this reading (``template.py``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from bioql.assistant.plan.plan import ChemistryCall, DockCall, Plan, QuantumCall, ScreenCall
from bioql.circuits.ir import Program
from bioql.errors import BioQLError
from bioql.language import compile_description, describe
from bioql.language.chemistry import read_chemistry, request_kind
from bioql.language.classify import tokenize
from bioql.language.clauses import token_category
from bioql.language.docking import find_ligand, read_docking
from bioql.language.lexicon import REQUEST_WORDS
from bioql.language.screening import is_screening, read_screening
from bioql.language.segments import read_steps, separate_runs

REFUSAL_OUT_OF_DOMAIN = (
    "This request is outside what the BioQL assistant does: it writes BioQL programs for "
    "quantum circuits (Bell, GHZ, W, superposition, QFT, Grover, Bernstein–Vazirani, "
    "Deutsch–Jozsa, phase estimation, teleportation, explicit gates), ground-state energies "
    "(VQE) and MaxCut (QAOA), molecular docking and virtual screening."
)
REFUSAL_EMPTY = (
    "The prompt is empty; describe the quantum program you want, e.g. 'Create a Bell state'."
)
# Words that say a request is about circuits even when no construct is named.
_CIRCUIT_WORDS = frozenset(
    [
        "quantum",
        "cuantico",
        "cuantica",
        "circuit",
        "circuits",
        "circuito",
        "circuitos",
        "gate",
        "gates",
        "puerta",
        "puertas",
        "compuerta",
        "oracle",
        "oraculo",
        "bioql",
    ]
)


@dataclass
class RequestReading:
    """The request as the language reads it: a plan, or the sentence saying why there is none."""

    plan: Plan | None = None
    programs: list[Program | None] = field(default_factory=list)  # per call; None unless a circuit
    error: str | None = None  # the language's sentence (naming the words) when there is no plan


def read_request(prompt: str) -> RequestReading:
    """The plan ``prompt`` asks for, read by the language, or why there is none."""
    if not prompt or not prompt.strip():
        return RequestReading(error=REFUSAL_EMPTY)
    chemistry: BioQLError | None = None
    try:
        # quantum() reads these first too: the same words run the same thing
        spec = read_chemistry(prompt)
        if spec is not None:
            return RequestReading(Plan([ChemistryCall(spec.reading)]), [None])
    except BioQLError as exc:
        chemistry = exc  # unless another reader places every word ("dock ... with QAOA")
    screening: BioQLError | None = None
    try:
        screen = read_screening(prompt)
        if screen is not None:
            screen_call = ScreenCall(screen.ligands, screen.receptor, screen.options)
            return RequestReading(Plan([screen_call]), [None])
    except BioQLError as exc:
        # the screen's own sentence, unless the request docks one ligand ("... and rank them")
        screening = exc if find_ligand(prompt) is None else None
    try:
        runs = separate_runs(prompt)  # "a GHZ state and also BV": two runs, not one circuit
        if runs is not None:
            return _planned(runs.programs, runs.vary, runs.compare)
        return _planned([compile_description(prompt)])
    except BioQLError as exc:
        first = exc
    try:
        dock = read_docking(prompt)
        if dock is not None:
            call = DockCall(dock.ligand, dock.receptor, dock.backend, dock.options)
            return RequestReading(Plan([call]), [None])
        steps = read_steps(prompt)
        if steps is not None:
            return _planned(steps.programs, steps.vary, steps.compare)
    except BioQLError as exc:
        first = exc
    return _refused(prompt, screening or chemistry or first)


def _planned(
    programs: list[Program], vary: str | None = None, compare: bool = False
) -> RequestReading:
    plan = Plan(
        [quantum_call(p) for p in programs],
        compare=compare and len(programs) > 1,
        loop_var=vary if len(programs) > 1 else None,
    )
    return RequestReading(plan, list(programs))


def _refused(prompt: str, exc: BioQLError) -> RequestReading:
    return RequestReading(error=str(exc) if in_domain(prompt) else REFUSAL_OUT_OF_DOMAIN)


def quantum_call(program: Program) -> QuantumCall:
    """The ``quantum()`` call that runs ``program``: the canonical sentence, with shots and
    backend as keyword arguments (as the assistant always writes them)."""
    body = copy.copy(program)
    body.shots, body.backend = None, None
    return QuantumCall(
        describe(body),
        backend=program.backend or QuantumCall.backend,
        shots=program.shots or QuantumCall.shots,
    )


def in_domain(prompt: str) -> bool:
    """Whether the request is about quantum circuits, chemistry, docking or screening at all."""
    try:
        tokens = tokenize(prompt)
    except BioQLError:
        return False
    if request_kind(prompt) is not None or is_screening(prompt):
        return True
    docking = REQUEST_WORDS["DOCK"] | REQUEST_WORDS["SCREEN"]
    return any(
        token_category(t) is not None
        or t.is_("QUBIT", "ENTANGLE", "SUPERPOSITION", "TELEPORT", "PHASE")
        or (t.kind == "word" and (t.text in _CIRCUIT_WORDS or t.raw.lower() in docking))
        for t in tokens
    )
