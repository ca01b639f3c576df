"""POST /v1/generate (and the seed clients' /generate), /v1/fix, /v1/complete: billed calls to
the code assistant. Each response is the answer's own ``to_dict()`` (the shape ``bioql generate
--json`` prints) plus ``cost``, ``user`` and ``request_id``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bioql.assistant.api import Answer, Assistant
from bioql.errors import BioQLError
from bioql.server.billing import Usage, max_price
from bioql.server.config import deadline_for
from bioql.server.deps import Caller, IdempotencyKeyDep, ServiceDep
from bioql.server.errors import ERRORS
from bioql.server.schemas import (
    CompleteRequest,
    CompleteResponse,
    FixRequest,
    FixResponse,
    GenerateRequest,
    GenerateResponse,
)
from bioql.server.service import ApiError, BilledCall, Service, Work

log = logging.getLogger("bioql.server")
router = APIRouter()


def billed_json(status: int, body: dict[str, Any], replayed: bool) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(body, status, headers=headers)


def _assistant_failed(exc: Exception) -> ApiError:
    if isinstance(exc, BioQLError):
        return ApiError(503, f"The code assistant failed: {exc} You were not charged.")
    log.error("assistant failure: %s", type(exc).__name__)
    return ApiError(503, "The code assistant failed with an internal error; you were not charged.")


def _call(
    service: Service,
    assistant: Assistant,
    request: Request,
    caller: Any,
    endpoint: str,
    body: dict[str, Any],
    idempotency_key: str | None,
    prompt_bytes: int,
    max_output_tokens: int | None,
) -> BilledCall:
    deadline = deadline_for(assistant.model_name, service.settings)
    hold = max_price(
        assistant.pricing_unit,
        service.settings.pricing,
        max_seconds=deadline,
        prompt_bytes=prompt_bytes,
        max_output_tokens=max_output_tokens or service.settings.max_output_tokens,
    )
    return BilledCall(
        caller=caller,
        request_id=request.state.request_id,
        endpoint=endpoint,
        body=body,
        idempotency_key=idempotency_key,
        max_cost=hold,
        unit=assistant.pricing_unit,
        deadline_seconds=deadline,
    )


async def _in_thread(fn: Callable[[], Any]) -> Any:
    """Run assistant work in a thread; a failure is a 503 that says nothing was charged."""
    try:
        return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    except ApiError:
        raise
    except Exception as exc:
        raise _assistant_failed(exc) from None


@router.post("/v1/generate", response_model=GenerateResponse, responses=ERRORS)
async def generate(
    body: GenerateRequest,
    request: Request,
    service: ServiceDep,
    caller: Caller,
    idempotency_key: IdempotencyKeyDep,
) -> JSONResponse:
    """Generate a BioQL program from a description; charged per compute second or token."""
    service.check_size("prompt", body.prompt)
    assistant = await service.ready_assistant()
    call = _call(
        service,
        assistant,
        request,
        caller,
        "generate",
        body.model_dump(),
        idempotency_key,
        len(body.prompt.encode()),
        body.max_length,
    )

    async def work() -> Work:
        answer: Answer = await _in_thread(
            lambda: assistant.generate(
                body.prompt,
                include_reasoning=body.include_reasoning,
                max_length=body.max_length,
                temperature=body.temperature,
            )
        )
        if answer.error or answer.code is None:
            detail = answer.error or "The assistant produced no code for this prompt."
            raise ApiError(422, f"{detail} You were not charged.", **_reading(answer))
        payload = answer.to_dict(include_reasoning=body.include_reasoning)
        usage = Usage(answer.timing.generation_seconds, answer.tokens_in, answer.tokens_out)
        return Work(payload, usage, answer.model)

    return billed_json(*await service.billed(call, work))


def _reading(answer: Answer) -> dict[str, Any]:
    """A refusal still says how the request was read, when the answer says so."""
    reading = answer.to_dict().get("interpreted_as")
    return {} if reading is None else {"interpreted_as": reading}


# The original clients' path and body; same behaviour.
router.post("/generate", response_model=GenerateResponse, responses=ERRORS)(generate)


@router.post("/v1/fix", response_model=FixResponse, responses=ERRORS)
async def fix(
    body: FixRequest,
    request: Request,
    service: ServiceDep,
    caller: Caller,
    idempotency_key: IdempotencyKeyDep,
) -> JSONResponse:
    """Repair a BioQL program; returns the code and one sentence per change."""
    service.check_size("code", body.code, service.settings.max_prompt_chars * 5)
    assistant = await service.ready_assistant()
    call = _call(
        service,
        assistant,
        request,
        caller,
        "fix",
        body.model_dump(),
        idempotency_key,
        len(body.code.encode()),
        None,
    )

    async def work() -> Work:
        start = anyio.current_time()
        result = await _in_thread(lambda: assistant.fix(body.code))
        seconds = anyio.current_time() - start
        payload = result.to_dict() | {"model": assistant.model_name}
        return Work(payload, Usage(seconds=seconds), assistant.model_name)

    return billed_json(*await service.billed(call, work))


@router.post("/v1/complete", response_model=CompleteResponse, responses=ERRORS)
async def complete(
    body: CompleteRequest,
    request: Request,
    service: ServiceDep,
    caller: Caller,
    idempotency_key: IdempotencyKeyDep,
) -> JSONResponse:
    """Inline completion for editors: the text to insert at the cursor."""
    text = body.prefix + body.suffix
    service.check_size("prefix + suffix", text)
    assistant = await service.ready_assistant()
    call = _call(
        service,
        assistant,
        request,
        caller,
        "complete",
        body.model_dump(),
        idempotency_key,
        len(text.encode()),
        body.max_length,
    )

    async def work() -> Work:
        result = await _in_thread(
            lambda: assistant.complete(body.prefix, body.suffix, max_length=body.max_length)
        )
        usage = Usage(seconds=result.timing.generation_seconds)
        return Work(result.to_dict(), usage, result.model)

    return billed_json(*await service.billed(call, work))
