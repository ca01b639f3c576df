"""The code assistant as jobs for worker processes (see :mod:`bioql.server.workers`).

When the service loads the assistant itself (``bioql serve``), every generation, fix and
completion runs in an assistant worker: a regular expression that backtracks, or a model that
does not stop, is killed at the request's deadline instead of holding the web process (whose
threads share one interpreter lock with the event loop). Each worker loads the assistant once,
before its first job.
"""

from __future__ import annotations

from typing import Any

from bioql.assistant.api import get_assistant


def warm_up() -> None:
    """Load the assistant and pay the first call's imports and caches before any job."""
    get_assistant().generate("Create a Bell state", include_reasoning=False)


def describe() -> dict[str, str]:
    assistant = get_assistant()
    return {"model": assistant.model_name, "pricing_unit": assistant.pricing_unit}


def call(method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``get_assistant().<method>(*args, **kwargs)``: generate, fix or complete."""
    if method not in ("generate", "fix", "complete"):
        raise ValueError(f"unknown assistant method {method!r}")
    return getattr(get_assistant(), method)(*args, **kwargs)
