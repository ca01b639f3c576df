"""The BioQL HTTP service: ``create_app()`` builds the FastAPI app (``bioql serve`` runs it).

Endpoints: POST /v1/generate (and the seed-compatible POST /generate), /v1/fix, /v1/complete,
/v1/run (the playground's Run button), GET /v1/account, /health, /metrics, the playground at /,
OpenAPI at /docs. Logs carry the request id and the key's public prefix, never a key or a prompt.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from bioql import __version__
from bioql.errors import BioQLError
from bioql.server.accounts import Accounts
from bioql.server.billing import Usage, usd
from bioql.server.config import Settings, load_settings
from bioql.server.db import Database
from bioql.server.schemas import (
    CompleteRequest,
    CompleteResponse,
    Error,
    FixRequest,
    FixResponse,
    GenerateRequest,
    GenerateResponse,
    RunRequest,
    RunResponse,
)
from bioql.server.service import ApiError, Service, Work, timed
from bioql.server.validation import validation_sentence

log = logging.getLogger("bioql.server")
STATIC = Path(__file__).parent / "static"
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Error, "description": text}
    for code, text in {
        401: "Missing, unknown, revoked or expired API key.",
        402: "Available balance below the request's maximum price.",
        409: "Idempotency-Key in use by a running request, or reused for another request.",
        413: "Prompt or body over the size limit.",
        422: "Malformed JSON, unknown field, wrong type, or a prompt the assistant refuses.",
        429: "Rate limited; see Retry-After.",
        503: "The assistant failed or is unavailable; nothing was charged.",
    }.items()
}

AuthHeader = Annotated[str | None, Header(alias="Authorization")]
IdemHeader = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=255, description="Retry-safe: charged once."),
]


def create_app(
    settings: Settings | None = None,
    *,
    assistant: Any = None,
    database: Database | None = None,
    migrate: bool = True,
) -> FastAPI:
    """The app. ``assistant`` defaults to ``bioql.assistant.get_assistant()`` (loaded at start)."""
    settings = settings or load_settings()
    db = database or Database(settings.database_url)
    if migrate:
        db.upgrade()
    service = Service(settings, db, assistant)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        with contextlib.suppress(ApiError):  # /health says why; requests answer 503
            await anyio.to_thread.run_sync(service.assistant.get)
        yield
        if database is None:
            db.dispose()

    app = FastAPIOffline(
        title="BioQL",
        version=__version__,
        description="Code assistant for BioQL with API keys, per-request cost and balances.",
        lifespan=lifespan,
    )
    app.state.service = service
    _install_handlers(app, service)
    app.include_router(_router())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _install_handlers(app: FastAPI, service: Service) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail, **exc.extra}, exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        kind = request.headers.get("content-type", "")
        if request.method == "POST" and "json" not in kind:
            # Only JSON bodies are read (a form post from another site cannot trigger work).
            got = f"'{kind}'" if kind else "none"
            detail = f"Send the body as JSON with 'Content-Type: application/json' (got {got})."
            return JSONResponse({"detail": detail}, 422)
        return JSONResponse({"detail": validation_sentence(exc.errors())}, 422)

    @app.middleware("http")
    async def _observe(request: Request, call_next):  # type: ignore[no-untyped-def]
        request.state.request_id = uuid.uuid4().hex
        request.state.key_prefix = "-"
        start = time.perf_counter()
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > service.settings.max_body_bytes:
            limit = service.settings.max_body_bytes
            response: Response = JSONResponse(
                {"detail": f"The request body is {int(length):,} bytes; the limit is {limit:,}."},
                413,
            )
        else:
            response = await call_next(request)
        seconds = time.perf_counter() - start
        route = getattr(request.scope.get("route"), "path", "unmatched")
        service.metrics.observe_request(route, request.method, response.status_code, seconds)
        response.headers["X-Request-ID"] = request.state.request_id
        log.info(
            "%s %s %s %.1fms request=%s key=%s",
            request.method,
            route,
            response.status_code,
            seconds * 1000,
            request.state.request_id,
            request.state.key_prefix,
        )
        return response


def _service(request: Request) -> Service:
    return request.app.state.service


Svc = Annotated[Service, Depends(_service)]


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def _caller(service: Service, request: Request, authorization: str | None, body_key: str | None):  # type: ignore[no-untyped-def]
    principal = service.authenticate(_bearer(authorization) or body_key)
    request.state.key_prefix = principal.key_prefix
    service.rate_limit(principal)
    return principal


def _json(status: int, body: dict[str, Any], replayed: bool) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(body, status, headers=headers)


def _assistant_failed(exc: Exception) -> ApiError:
    if isinstance(exc, BioQLError):
        return ApiError(503, f"The code assistant failed: {exc} You were not charged.")
    log.error("assistant failure: %s", type(exc).__name__)
    return ApiError(503, "The code assistant failed with an internal error; you were not charged.")


def _router() -> APIRouter:
    router = APIRouter()

    @router.post("/v1/generate", response_model=GenerateResponse, responses=ERRORS)
    def generate(
        body: GenerateRequest,
        request: Request,
        service: Svc,
        authorization: AuthHeader = None,
        idempotency_key: IdemHeader = None,
    ) -> JSONResponse:
        """Generate a BioQL program from a description; charged per compute second or token."""
        service.check_size("prompt", body.prompt)
        principal = _caller(service, request, authorization, body.api_key)

        def work(assistant: Any) -> Work:
            try:
                answer = assistant.generate(
                    body.prompt,
                    include_reasoning=body.include_reasoning,
                    max_length=body.max_length,
                    temperature=body.temperature,
                )
            except Exception as exc:
                raise _assistant_failed(exc) from None
            if answer.error or answer.code is None:
                detail = answer.error or "The assistant produced no code for this prompt."
                raise ApiError(422, f"{detail} You were not charged.")
            payload = {
                "code": answer.code,
                "reasoning": answer.reasoning if body.include_reasoning else "",
                "model": answer.model,
                "valid": answer.valid,
                "source": answer.source,
                "timing": {
                    "total_seconds": round(answer.timing.total_seconds, 4),
                    "generation_seconds": round(answer.timing.generation_seconds, 4),
                },
            }
            usage = Usage(answer.timing.generation_seconds, answer.tokens_in, answer.tokens_out)
            return Work(payload, usage, answer.model)

        status, response, replayed = service.billed(
            principal=principal,
            request_id=request.state.request_id,
            endpoint="generate",
            body=body.model_dump(),
            idempotency_key=idempotency_key,
            prompt_bytes=len(body.prompt.encode()),
            max_output_tokens=body.max_length,
            work=work,
        )
        return _json(status, response, replayed)

    # The original clients' path and body; same behaviour.
    router.post("/generate", response_model=GenerateResponse, responses=ERRORS)(generate)

    @router.post("/v1/fix", response_model=FixResponse, responses=ERRORS)
    def fix(
        body: FixRequest,
        request: Request,
        service: Svc,
        authorization: AuthHeader = None,
        idempotency_key: IdemHeader = None,
    ) -> JSONResponse:
        """Repair a BioQL program; returns the code and one sentence per change."""
        service.check_size("code", body.code, service.settings.max_prompt_chars * 5)
        principal = _caller(service, request, authorization, body.api_key)

        def work(assistant: Any) -> Work:
            try:
                result, seconds = timed(lambda: assistant.fix(body.code))
            except Exception as exc:
                raise _assistant_failed(exc) from None
            payload = {
                "code": result.code,
                "changes": list(result.changes),
                "valid": result.valid,
                "model": assistant.model_name,
            }
            return Work(payload, Usage(seconds=seconds), assistant.model_name)

        status, response, replayed = service.billed(
            principal=principal,
            request_id=request.state.request_id,
            endpoint="fix",
            body=body.model_dump(),
            idempotency_key=idempotency_key,
            prompt_bytes=len(body.code.encode()),
            max_output_tokens=None,
            work=work,
        )
        return _json(status, response, replayed)

    @router.post("/v1/complete", response_model=CompleteResponse, responses=ERRORS)
    def complete(
        body: CompleteRequest,
        request: Request,
        service: Svc,
        authorization: AuthHeader = None,
        idempotency_key: IdemHeader = None,
    ) -> JSONResponse:
        """Inline completion for editors: the text to insert at the cursor."""
        service.check_size("prefix + suffix", body.prefix + body.suffix)
        principal = _caller(service, request, authorization, body.api_key)

        def work(assistant: Any) -> Work:
            try:
                result = assistant.complete(body.prefix, body.suffix, max_length=body.max_length)
            except Exception as exc:
                raise _assistant_failed(exc) from None
            payload = {
                "insertion": result.insertion,
                "model": result.model,
                "timing": {
                    "total_seconds": round(result.timing.total_seconds, 4),
                    "generation_seconds": round(result.timing.generation_seconds, 4),
                },
            }
            usage = Usage(seconds=result.timing.generation_seconds)
            return Work(payload, usage, result.model)

        status, response, replayed = service.billed(
            principal=principal,
            request_id=request.state.request_id,
            endpoint="complete",
            body=body.model_dump(),
            idempotency_key=idempotency_key,
            prompt_bytes=len((body.prefix + body.suffix).encode()),
            max_output_tokens=body.max_length,
            work=work,
        )
        return _json(status, response, replayed)

    @router.post("/v1/run", response_model=RunResponse, responses=ERRORS)
    def run(
        body: RunRequest, request: Request, service: Svc, authorization: AuthHeader = None
    ) -> dict[str, Any]:
        """Run the program's quantum() calls on the local simulator (not executed; not billed)."""
        from bioql.server.playground import run_program

        service.check_size("code", body.code, service.settings.max_prompt_chars * 5)
        _caller(service, request, authorization, body.api_key)
        try:
            return run_program(
                body.code,
                max_shots=service.settings.run_max_shots,
                max_calls=service.settings.run_max_calls,
            )
        except BioQLError as exc:
            raise ApiError(422, str(exc)) from None

    @router.get("/v1/account", responses=ERRORS)
    def account(
        request: Request, service: Svc, authorization: AuthHeader = None, limit: int = 20
    ) -> dict[str, Any]:
        """Balance, money held by running requests, prices, and recent ledger entries."""
        principal = _caller(service, request, authorization, None)
        accounts = Accounts(service.db, service.settings)
        available = service.billing.available(principal.user_id)
        pricing = service.settings.pricing
        transactions = list(accounts.ledger_rows(principal.email, limit=max(1, min(limit, 200))))
        balance = service.billing.balance(principal.user_id)
        return {
            "email": principal.email,
            "balance": usd(balance),
            "available_balance": usd(available),
            "key_prefix": principal.key_prefix,
            "pricing": {
                "usd_per_second": str(pricing.usd_per_second),
                "usd_per_million_input_tokens": str(pricing.usd_per_million_input_tokens),
                "usd_per_million_output_tokens": str(pricing.usd_per_million_output_tokens),
                "markup_percent": float(pricing.markup_percent),
                "margin_percent": round(float(pricing.margin_percent), 2),
            },
            "transactions": transactions,
        }

    @router.get("/health")
    def health(service: Svc) -> JSONResponse:
        """Liveness and readiness: database reachable, assistant loaded."""
        try:
            service.db.ping()
            database = {"ok": True, "dialect": service.db.dialect}
        except Exception as exc:
            database = {"ok": False, "error": type(exc).__name__}
        assistant = service.assistant.status()
        ok = database["ok"] and assistant["loaded"]
        body = {
            "status": "ok" if ok else "degraded",
            "version": __version__,
            "database": database,
            "assistant": assistant,
        }
        return JSONResponse(body, 200 if ok else 503)

    @router.get("/metrics", include_in_schema=False)
    def metrics(service: Svc) -> Response:
        return Response(service.metrics.render(), media_type=service.metrics.content_type)

    @router.get("/", include_in_schema=False)
    def playground() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return router
