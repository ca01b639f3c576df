"""Runs the code assistant for the routes: in assistant worker processes when the service
loaded it (a call is killed at its deadline), or in a thread for an assistant object handed to
``create_app`` (tests, embedding)."""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio

from bioql.assistant.api import Assistant
from bioql.server.billing import PricingUnit
from bioql.server.errors import RETRY, ApiError
from bioql.server.workers import JobError, JobFailed, JobLimits, PoolBusy, WorkerPool

log = logging.getLogger("bioql.server")
ASSISTANT_JOBS = "bioql.server.assistant_jobs"


@dataclass(frozen=True)
class AssistantInfo:
    model_name: str
    pricing_unit: PricingUnit


class AssistantRunner:
    """Runs the assistant's ``generate`` / ``fix`` / ``complete``.

    When the service loads the assistant itself, calls go to assistant worker processes and a
    call that outlives its deadline is killed there. An assistant object handed to
    ``create_app`` (tests, embedding) is called in a thread of this process instead.
    """

    def __init__(self, assistant: Assistant | None, pool: WorkerPool) -> None:
        self._assistant = assistant
        self._pool = pool
        self._info: AssistantInfo | None = None
        self._error: str | None = None
        if assistant is not None:
            self._info = AssistantInfo(assistant.model_name, assistant.pricing_unit)

    async def info(self) -> AssistantInfo:
        """Which model answers and how it is priced (asks a worker the first time)."""
        if self._info is None:
            try:
                described = await self._pool.run_once(f"{ASSISTANT_JOBS}:describe")
            except (JobError, JobFailed, PoolBusy) as exc:
                self._error = str(exc)
                log.error("could not load the code assistant: %s", exc)
                raise ApiError(
                    503, "The code assistant is not available on this server.", RETRY
                ) from None
            self._info = AssistantInfo(described["model"], described["pricing_unit"])
            self._error = None
        return self._info

    async def call(
        self,
        method: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        deadline: float,
        disconnected: Callable[[], Awaitable[bool]] | None = None,
    ) -> Any:
        """``assistant.<method>(*args, **kwargs)``; failures are a 503 saying nothing was charged."""
        if self._assistant is not None:
            try:
                bound = getattr(self._assistant, method)
                return await anyio.to_thread.run_sync(
                    lambda: bound(*args, **kwargs), abandon_on_cancel=True
                )
            except Exception as exc:
                raise _assistant_failed(type(exc).__name__, str(exc), _is_user(exc)) from None
        limits = JobLimits(cpu_seconds=deadline * (os.cpu_count() or 1), wall_seconds=deadline)
        try:
            result = await self._pool.run(
                f"{ASSISTANT_JOBS}:call", (method, args, kwargs), limits, disconnected
            )
        except PoolBusy:
            raise ApiError(
                503, "The code assistant is busy; nothing was charged. Retry shortly.", RETRY
            ) from None
        except JobError as exc:
            raise _assistant_failed(exc.type_name, str(exc), exc.user_error) from None
        except JobFailed as exc:
            raise _unfinished(exc, deadline) from None
        return result.value

    def status(self) -> dict[str, Any]:
        if self._info is not None:
            return {
                "loaded": True,
                "model": self._info.model_name,
                "pricing_unit": self._info.pricing_unit,
            }
        return {"loaded": False, "error": self._error}


def _is_user(exc: Exception) -> bool:
    from bioql.errors import BioQLError

    return isinstance(exc, BioQLError)


def _assistant_failed(type_name: str, message: str, user_error: bool) -> ApiError:
    if user_error:
        return ApiError(503, f"The code assistant failed: {message} You were not charged.")
    log.error("assistant failure: %s", type_name)
    return ApiError(503, "The code assistant failed with an internal error; you were not charged.")


def _unfinished(exc: JobFailed, deadline: float) -> ApiError:
    if exc.kind in ("wall", "cpu"):
        detail = f"The request did not finish within its {deadline:g}-second deadline"
    else:
        detail = f"The code assistant's worker stopped ({exc})"
    return ApiError(503, f"{detail}; you were not charged.", RETRY)
