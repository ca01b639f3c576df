"""The JSON error contract: every answer other than 200 is ``{"detail": "<one sentence>"}``
(plus fields some errors add), whatever went wrong — bad input, an unknown path, a busy
database or a bug."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from bioql.server.db import DatabaseBusy, DatabaseUnavailable
from bioql.server.schemas import Error
from bioql.server.validation import validation_sentence

log = logging.getLogger("bioql.server")
RETRY = {"Retry-After": "5"}
DATABASE_RETRY_SECONDS = 2
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Error, "description": text}
    for code, text in {
        401: "Missing, unknown, revoked or expired API key.",
        402: "Available balance below the request's maximum price.",
        409: "Idempotency-Key in use by a running request, or reused for another request.",
        413: "Prompt or body over the size limit.",
        422: "Malformed JSON, unknown field, wrong type, or a prompt the assistant refuses.",
        429: "Rate limited; see Retry-After.",
        503: "Busy, the database is unavailable or the assistant failed; nothing was charged.",
    }.items()
}


class ApiError(Exception):
    """An answer other than 200: status, one sentence, optional headers and extra fields."""

    def __init__(
        self,
        status: int,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(DatabaseBusy, _database)  # type: ignore[arg-type]
    app.add_exception_handler(DatabaseUnavailable, _database)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return JSONResponse({"detail": exc.detail, **exc.extra}, exc.status, headers=exc.headers)


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    kind = request.headers.get("content-type", "")
    if request.method == "POST" and "json" not in kind:
        # Only JSON bodies are read (a form post from another site cannot trigger work).
        got = f"'{kind}'" if kind else "none"
        detail = f"Send the body as JSON with 'Content-Type: application/json' (got {got})."
        return JSONResponse({"detail": detail}, 422)
    return JSONResponse({"detail": validation_sentence(exc.errors())}, 422)


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 404:
        detail = f"There is no {request.url.path}; the endpoints are listed at /docs."
    elif exc.status_code == 405:
        detail = f"{request.method} is not accepted on {request.url.path}; see /docs."
    elif exc.status_code == 400:
        # FastAPI's answer when json.loads fails other than by syntax: nesting, huge numbers.
        detail = (
            "The request body could not be read as JSON (nested too deeply, or a number too "
            "long); send a flat JSON object."
        )
    else:
        detail = str(exc.detail)
    return JSONResponse({"detail": detail}, exc.status_code, headers=exc.headers)


async def _database(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("database not available: %s", exc)
    detail = (
        "The database is busy; nothing was charged. Retry in a few seconds."
        if isinstance(exc, DatabaseBusy)
        else "The database is unavailable; nothing was charged. Retry later."
    )
    headers = {"Retry-After": str(DATABASE_RETRY_SECONDS)}
    return JSONResponse({"detail": detail}, 503, headers=headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    request_id = getattr(request.state, "request_id", "-")
    log.error("unexpected %s request=%s", type(exc).__name__, request_id, exc_info=exc)
    detail = (
        f"The server failed on this request (id {request_id}); nothing was charged. "
        "Please report the id."
    )
    return JSONResponse({"detail": detail}, 500)
