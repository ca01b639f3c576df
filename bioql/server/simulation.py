"""The playground's Run button: a program's ``quantum()`` calls, run on the local simulator.

User code is never executed. :func:`plan` (in the web process) parses it with
:func:`bioql.calls.find_calls` and reads each call's literal description and shots;
:func:`simulate` (in a worker process, see :mod:`bioql.server.workers`) compiles one
description, checks it against the fixed :class:`~bioql.server.config.RunLimits`, and runs it
on Aer with the method forced (stabilizer for Clifford programs, else a dense statevector), so
what a run may cost never depends on the host's free memory. Hardware named in the code is
never contacted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bioql.calls import Call, Unresolved, find_calls
from bioql.errors import BioQLResourceError, BioQLValueError
from bioql.server.config import RunLimits

DEFAULT_SHOTS = 1024


@dataclass(frozen=True)
class PlannedRun:
    line: int
    description: str
    shots: int
    note: str | None


@dataclass(frozen=True)
class Plan:
    runs: list[PlannedRun]
    skipped: list[dict[str, Any]]


def plan(code: str, limits: RunLimits) -> Plan:
    """The calls to run and those skipped (with why); BioQLValueError when there is none."""
    runs: list[PlannedRun] = []
    skipped: list[dict[str, Any]] = []
    for call in find_calls(code):
        reason = _why_skip(call, len(runs), limits.max_calls)
        if reason:
            skipped.append({"line": call.lineno, "reason": reason})
            continue
        shots, note = _shots(call.argument("shots", 2, DEFAULT_SHOTS), limits.max_shots)
        backend = call.argument("backend", 1, "simulator")
        if backend not in ("simulator", None) and not isinstance(backend, Unresolved):
            note = _join(note, f"backend {backend!r} replaced by the local simulator")
        runs.append(PlannedRun(call.lineno, call.argument("description", 0), shots, note))
    if not runs and not skipped:
        raise BioQLValueError(
            'The code has no quantum() call to run; write e.g. quantum("Create a Bell state").'
        )
    return Plan(runs, skipped)


def _why_skip(call: Call, planned: int, max_calls: int) -> str | None:
    if call.func != "quantum":
        return f"{call.func}() is not run from the playground; use `bioql {call.func}`."
    if planned >= max_calls:
        return f"only the first {max_calls} quantum() calls are run."
    description = call.argument("description", 0)
    if isinstance(description, Unresolved):
        return f"the description is not a literal string ({description.source[:200]})."
    if not isinstance(description, str):
        return "the description is not a string."
    return None


def _shots(value: Any, max_shots: int) -> tuple[int, str | None]:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        shown = repr(value) if not isinstance(value, Unresolved) else value.source[:100]
        return DEFAULT_SHOTS, f"shots {shown} not a positive literal integer; used {DEFAULT_SHOTS}"
    if value > max_shots:
        return max_shots, f"shots capped at {max_shots}"
    return value, None


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


# --- in the worker process -------------------------------------------------------------------


def warm_up() -> None:
    """Import the compiler and the simulator once per worker, before its first job."""
    simulate("Create a Bell state", 1, RunLimits())


def simulate(description: str, shots: int, limits: RunLimits) -> dict[str, Any]:
    """Compile and run one description within ``limits`` (runs in a worker process)."""
    from bioql.language import compile_description
    from bioql.runtime import execute

    program = compile_description(description)
    method = _method(program, limits)
    result = execute(program, "simulator", shots, method=method)
    return {
        "counts": {str(k): int(v) for k, v in result.counts.items()},
        "most_likely": result.most_likely,
        "interpretation": result.interpretation,
        "reading": result.reading,
    }


def _method(program: Any, limits: RunLimits) -> str:
    gates = sum(1 for _ in program.gates())
    if gates > limits.max_gates:
        raise BioQLResourceError(
            f"The program has {gates:,} gates; the playground runs at most {limits.max_gates:,}. "
            "Use fewer qubits or repetitions, or run it with `bioql run` on your own machine."
        )
    if program.is_clifford:
        ceiling, method = limits.max_clifford_qubits, "stabilizer"
    else:
        ceiling, method = limits.max_qubits, "statevector"
    if program.num_qubits > ceiling:
        kind = "Clifford" if program.is_clifford else "non-Clifford"
        raise BioQLResourceError(
            f"The program uses {program.num_qubits} qubits; the playground runs {kind} "
            f"programs on at most {ceiling}. Use fewer qubits, or run it with `bioql run` on "
            "your own machine."
        )
    return method
