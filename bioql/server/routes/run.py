"""POST /v1/run: the playground's Run button. The program's quantum() calls run one by one in
worker processes (never in the web process), within the fixed limits of ``Settings.run``; the
CPU time they use is charged per second like generation, and a run stops when its client
disconnects."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bioql.errors import BioQLError
from bioql.server.billing import Usage, price
from bioql.server.deps import FreshCaller, ServiceDep
from bioql.server.errors import ERRORS, ApiError
from bioql.server.routes.assistant import billed_json
from bioql.server.schemas import RunRequest, RunResponse
from bioql.server.service import BilledCall, Service, Work
from bioql.server.simulation import Plan, PlannedRun, plan
from bioql.server.workers import JobError, JobFailed, JobLimits, PoolBusy

router = APIRouter()
SIMULATE = "bioql.server.simulation:simulate"
MODEL = "aer-simulator"


@router.post("/v1/run", response_model=RunResponse, responses=ERRORS)
async def run(
    body: RunRequest, request: Request, service: ServiceDep, caller: FreshCaller
) -> JSONResponse:
    """Run the program's quantum() calls on the local simulator; charged per CPU-second."""
    service.check_size("code", body.code, service.settings.max_prompt_chars * 5)
    limits = service.settings.run
    try:
        planned = await anyio.to_thread.run_sync(plan, body.code, limits)
    except BioQLError as exc:
        raise ApiError(422, str(exc)) from None
    call = BilledCall(
        caller=caller,
        request_id=request.state.request_id,
        endpoint="run",
        body=body.model_dump(),
        idempotency_key=None,
        max_cost=price(Usage(seconds=limits.cpu_seconds), "second", service.settings.pricing),
        unit="second",
        # Calls run one after another, each within the wall limit; the CPU budget is shared.
        deadline_seconds=limits.wall_seconds * max(1, len(planned.runs)) + 5,
    )
    with service.run_slots.take(caller.key_prefix):
        return billed_json(*await service.billed(call, lambda: _run_all(service, planned, request)))


async def _run_all(service: Service, planned: Plan, request: Request) -> Work:
    limits = service.settings.run
    runs: list[dict[str, Any]] = []
    used = 0.0
    for item in planned.runs:
        budget = limits.cpu_seconds - used
        entry = _entry(item)
        if budget < 0.05:
            entry["error"] = (
                f"not run: the {limits.cpu_seconds:g} CPU-seconds of this request were spent "
                "by the calls before it."
            )
        else:
            job_limits = JobLimits(cpu_seconds=budget, wall_seconds=limits.wall_seconds)
            used += await _run_one(service, item, job_limits, entry, request)
        runs.append(entry)
        if await request.is_disconnected():
            break
    payload = {"runs": runs, "skipped": planned.skipped}
    return Work(payload, Usage(seconds=used), MODEL)


async def _run_one(
    service: Service, item: PlannedRun, limits: JobLimits, entry: dict[str, Any], request: Request
) -> float:
    """Fill ``entry`` with the call's result or error; returns the CPU-seconds it used."""
    args = (item.description, item.shots, service.settings.run)
    try:
        result = await service.workers.run(SIMULATE, args, limits, request.is_disconnected)
    except PoolBusy:
        raise ApiError(
            503,
            "Every simulation worker is busy; nothing was charged. Retry in a few seconds.",
            {"Retry-After": "5"},
        ) from None
    except JobError as exc:
        entry["error"] = str(exc) if exc.user_error else f"the simulator failed ({exc.type_name})."
        return exc.cpu_seconds
    except JobFailed as exc:
        entry["error"] = f"stopped: {exc}."
        return exc.cpu_seconds
    entry.update(result.value)
    return result.cpu_seconds


def _entry(item: PlannedRun) -> dict[str, Any]:
    return {
        "line": item.line,
        "description": item.description,
        "backend": "simulator",
        "shots": item.shots,
        "note": item.note,
    }
