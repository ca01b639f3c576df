"""ASGI middleware: request ids and logs, and the body limit counted on the stream.

Pure ASGI (no ``BaseHTTPMiddleware``): the body limit must see the bytes as they arrive, and
the routes must still see ``http.disconnect`` to stop work for a client that went away.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from bioql.server.metrics import Metrics

log = logging.getLogger("bioql.server")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class BodyLimit:
    """Read the whole body before the app (and authentication) sees it, counting the bytes as
    they arrive: over ``limit`` the request is answered 413 without reading the rest, and a
    body that trickles in slower than ``timeout`` seconds is answered 408."""

    def __init__(self, app: ASGIApp, limit: int, timeout: float = 30.0) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self._too_large(send, f"The request body is {declared:,} bytes")
            return
        chunks: list[bytes] = []
        received = 0
        more = True
        with anyio.move_on_after(self.timeout) as scope_timer:
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > self.limit:
                    await self._too_large(send, f"The request body is over {self.limit:,} bytes")
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
        if scope_timer.cancelled_caught:
            detail = f"The request body did not arrive within {self.timeout:g} s; send it at once."
            await send_json(send, 408, {"detail": detail})
            return
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _too_large(self, send: Send, what: str) -> None:
        detail = f"{what}; the limit is {self.limit:,}. Send less."
        await send_json(send, 413, {"detail": detail})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body as one message, then the client's own messages (so a disconnect is seen)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class RequestIds:
    """Unique request ids without a system call per request: a random per-process prefix and
    a counter (a fork gets a new prefix). The ledger keeps them unique across processes."""

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._prefix = secrets.token_hex(10)
        self._counter = itertools.count()

    def next(self) -> str:
        return f"{self._prefix}{next(self._counter):012x}"


REQUEST_IDS = RequestIds()


class Observe:
    """A request id on every response and one log line per request (never a key or a prompt),
    plus the request metrics."""

    def __init__(self, app: ASGIApp, metrics: Callable[[], Metrics]) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = REQUEST_IDS.next()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["key_prefix"] = "-"
        start = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - start)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", "unmatched")
        method = scope.get("method", "-")
        self.metrics().observe_request(route, method, status, seconds)
        log.info(
            "%s %s %s %.1fms request=%s key=%s",
            method,
            route,
            status,
            seconds * 1000,
            scope["state"]["request_id"],
            scope["state"]["key_prefix"],
        )
