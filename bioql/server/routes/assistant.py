"""POST /v1/generate (and the seed clients' /generate), /v1/fix, /v1/complete: billed calls to
the code assistant. Each response is the answer's own ``to_dict()`` (the shape ``bioql generate
--json`` prints) plus ``cost``, ``user`` and ``request_id``."""

from __future__ import annotations

import logging
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bioql.assistant.api import Answer, Completion, FixResult
from bioql.server.assistant_runner import AssistantInfo
from bioql.server.billing import Usage, max_price
from bioql.server.config import deadline_for
from bioql.server.deps import Caller, IdempotencyKeyDep, ServiceDep
from bioql.server.errors import ERRORS, ApiError
from bioql.server.schemas import (
    CompleteRequest,
    CompleteResponse,
    FixRequest,
    FixResponse,
    GenerateRequest,
    GenerateResponse,
)
from bioql.server.service import BilledCall, Service, Work

log = logging.getLogger("bioql.server")
router = APIRouter()


def billed_json(status: int, body: dict[str, Any], replayed: bool) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(body, status, headers=headers)


def _call(
    service: Service,
    assistant: AssistantInfo,
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
    assistant = await service.assistant.info()
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
        options = {
            "include_reasoning": body.include_reasoning,
            "max_length": body.max_length,
            "temperature": body.temperature,
        }
        answer: Answer = await service.assistant.call(
            "generate", (body.prompt,), options, call.deadline_seconds, request.is_disconnected
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
    assistant = await service.assistant.info()
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
        result: FixResult = await service.assistant.call(
            "fix", (body.code,), {}, call.deadline_seconds, request.is_disconnected
        )
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
    assistant = await service.assistant.info()
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
        result: Completion = await service.assistant.call(
            "complete",
            (body.prefix, body.suffix),
            {"max_length": body.max_length},
            call.deadline_seconds,
            request.is_disconnected,
        )
        usage = Usage(seconds=result.timing.generation_seconds)
        return Work(result.to_dict(), usage, result.model)

    return billed_json(*await service.billed(call, work))
