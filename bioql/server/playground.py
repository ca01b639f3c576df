"""The playground's Run button: run a program's ``quantum()`` calls on the local simulator.

User code is never executed: :func:`bioql.calls.find_calls` parses it and reads the literal
arguments of each call, and each call is replayed through ``bioql.quantum`` on the ideal
simulator with the shots capped. Hardware backends named in the code are not contacted.
"""

from __future__ import annotations

from typing import Any

from bioql.calls import Unresolved, find_calls
from bioql.errors import BioQLError

DEFAULT_SHOTS = 1024


def run_program(code: str, *, max_shots: int, max_calls: int) -> dict[str, Any]:
    """``{"runs": [...], "skipped": [...]}``; raises BioQLError when there is nothing to run."""
    import bioql

    runs: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for call in find_calls(code):
        reason = _why_skip(call, runs, max_calls)
        if reason:
            skipped.append({"line": call.lineno, "reason": reason})
            continue
        description = call.argument("description", 0)
        shots, note = _shots(call.argument("shots", 2, DEFAULT_SHOTS), max_shots)
        backend = call.argument("backend", 1, "simulator")
        if backend not in ("simulator", None) and not isinstance(backend, Unresolved):
            note = _join(note, f"backend {backend!r} replaced by the local simulator")
        entry: dict[str, Any] = {
            "line": call.lineno,
            "description": description,
            "backend": "simulator",
            "shots": shots,
            "note": note,
        }
        try:
            result = bioql.quantum(description, backend="simulator", shots=shots)
        except BioQLError as exc:
            entry["error"] = str(exc)
        else:
            entry |= {
                "counts": {str(k): int(v) for k, v in result.counts.items()},
                "most_likely": result.most_likely,
                "interpretation": result.interpretation,
            }
        runs.append(entry)
    if not runs and not skipped:
        raise_nothing_to_run()
    return {"runs": runs, "skipped": skipped}


def raise_nothing_to_run() -> None:
    from bioql.errors import BioQLValueError

    raise BioQLValueError(
        'The code has no quantum() call to run; write e.g. quantum("Create a Bell state").'
    )


def _why_skip(call: Any, runs: list, max_calls: int) -> str | None:
    if call.func != "quantum":
        return f"{call.func}() is not run from the playground; use `bioql {call.func}`."
    if len(runs) >= max_calls:
        return f"only the first {max_calls} quantum() calls are run."
    description = call.argument("description", 0)
    if isinstance(description, Unresolved):
        return f"the description is not a literal string ({description.source})."
    if not isinstance(description, str):
        return "the description is not a string."
    return None


def _shots(value: Any, max_shots: int) -> tuple[int, str | None]:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return (
            DEFAULT_SHOTS,
            f"shots {value!r} not a positive literal integer; used {DEFAULT_SHOTS}",
        )
    if value > max_shots:
        return max_shots, f"shots capped at {max_shots}"
    return value, None


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second
