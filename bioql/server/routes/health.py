"""GET /health (liveness and readiness, including the database) and GET /metrics (Prometheus,
for loopback clients or with ``Authorization: Bearer $BIOQL_METRICS_TOKEN``)."""

from __future__ import annotations

import hmac
import time
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response

from bioql import __version__
from bioql.server.deps import ServiceDep, bearer_key
from bioql.server.errors import ApiError
from bioql.server.service import Service

router = APIRouter()
#: /health answers within this even when the database hangs.
PING_SECONDS = 1.0
# Pings get their own threads: requests waiting on a lock must not delay the health check.
_PING_THREADS = anyio.CapacityLimiter(4)
LOOPBACK = frozenset({"127.0.0.1", "::1"})


@router.get("/health")
async def health(service: ServiceDep) -> JSONResponse:
    """Liveness and readiness: database reachable (and how fast), assistant loaded."""
    database = await _database(service)
    assistant = service.assistant.status()
    ok = database["ok"] and assistant["loaded"]
    body = {
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "database": database,
        "assistant": assistant,
    }
    return JSONResponse(body, 200 if ok else 503)


async def _database(service: Service) -> dict[str, Any]:
    start = time.perf_counter()
    status: dict[str, Any] = {"dialect": service.db.dialect}
    with anyio.move_on_after(PING_SECONDS):
        try:
            await anyio.to_thread.run_sync(
                service.db.ping, abandon_on_cancel=True, limiter=_PING_THREADS
            )
        except Exception as exc:
            return status | {"ok": False, "error": type(exc).__name__}
        return status | {"ok": True, "latency_ms": round((time.perf_counter() - start) * 1000, 1)}
    return status | {"ok": False, "error": f"no answer within {PING_SECONDS:g} s"}


@router.get("/metrics", include_in_schema=False)
async def metrics(
    request: Request,
    service: ServiceDep,
    authorization: Annotated[str | None, Header(alias="Authorization")] = None,
) -> Response:
    """Prometheus metrics. They include revenue: only for loopback or with the metrics token."""
    token = service.settings.metrics_token
    if token:
        given = bearer_key(authorization) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(
                401,
                "The metrics need 'Authorization: Bearer <BIOQL_METRICS_TOKEN>'.",
                {"WWW-Authenticate": "Bearer"},
            )
    elif (request.client.host if request.client else "") not in LOOPBACK:
        raise ApiError(
            403,
            "The metrics are served only to this machine; set BIOQL_METRICS_TOKEN on the "
            "server to scrape them from elsewhere with that token.",
        )
    return Response(service.metrics.render(), media_type=service.metrics.content_type)
