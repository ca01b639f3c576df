"""FastAPI dependencies shared by the routes: the service, the caller, the Idempotency-Key."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from bioql.server.auth import Principal
from bioql.server.errors import ApiError
from bioql.server.service import Service


# The dependencies are coroutines: FastAPI runs a plain ``def`` dependency in a thread, a
# hand-off per dependency per request.
async def get_service(request: Request) -> Service:
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]


def bearer_key(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


async def _body_key(request: Request) -> str | None:
    """The seed clients' ``api_key`` field, for requests without an Authorization header."""
    if request.method != "POST":
        return None
    try:
        body: Any = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None  # the body's own validation says what is wrong with it
    key = body.get("api_key") if isinstance(body, dict) else None
    return key if isinstance(key, str) else None


async def get_caller(
    request: Request,
    service: ServiceDep,
    authorization: Annotated[str | None, Header(alias="Authorization")] = None,
) -> Principal:
    """The authenticated caller (401 otherwise); also applies the rate limits.

    The key may come from the service's short-lived key cache: for billed routes only, whose
    reservation re-checks the key in its transaction."""
    return await _caller(request, service, authorization, fresh=False)


async def get_fresh_caller(
    request: Request,
    service: ServiceDep,
    authorization: Annotated[str | None, Header(alias="Authorization")] = None,
) -> Principal:
    """As :func:`get_caller`, with the key looked up in the database on every request (for
    routes that take no reservation, so a revoked key is refused at once)."""
    return await _caller(request, service, authorization, fresh=True)


async def _caller(
    request: Request, service: Service, authorization: str | None, *, fresh: bool
) -> Principal:
    key = bearer_key(authorization) or await _body_key(request)
    address = request.client.host if request.client else "unknown"
    principal = await service.caller(key, address, fresh=fresh)
    request.state.key_prefix = principal.key_prefix
    return principal


#: The caller of a billed route (the key is re-checked in the reservation).
Caller = Annotated[Principal, Depends(get_caller)]
#: The caller of a route without a reservation.
FreshCaller = Annotated[Principal, Depends(get_fresh_caller)]


async def get_idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=255,
            description="Retry-safe: a request repeated with the same key is charged once.",
        ),
    ] = None,
) -> str | None:
    if key is not None and not key.strip():
        raise ApiError(
            422,
            "The Idempotency-Key header is empty; send a unique value per request (e.g. a "
            "UUID), or leave the header out.",
        )
    return key


IdempotencyKeyDep = Annotated[str | None, Depends(get_idempotency_key)]
