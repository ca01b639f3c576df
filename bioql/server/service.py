"""What one API call does, independent of HTTP: authenticate, rate-limit, reserve, work, settle."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bioql.server.auth import AuthError, Principal, authenticate
from bioql.server.billing import (
    Billing,
    Cost,
    IdempotencyConflict,
    IdempotencyKey,
    InsufficientFunds,
    PricingUnit,
    Usage,
    max_price,
    price,
    request_hash,
    usd,
)
from bioql.server.config import Settings
from bioql.server.db import Database
from bioql.server.metrics import Metrics
from bioql.server.ratelimit import RateLimiter

log = logging.getLogger("bioql.server")


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


@dataclass
class Work:
    """What a billed call produced: the payload (without cost/user), usage and model name."""

    payload: dict[str, Any]
    usage: Usage
    model: str


class AssistantHolder:
    """The code assistant, given (tests) or loaded once on first use (``get_assistant()``)."""

    def __init__(self, assistant: Any = None) -> None:
        self._assistant = assistant
        self._error: str | None = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._assistant is None:
            with self._lock:
                if self._assistant is None:
                    self._load()
        return self._assistant

    def _load(self) -> None:
        from bioql.assistant.api import get_assistant

        try:
            assistant = get_assistant()
            # One throw-away generation pays the first call's imports and caches, so the
            # first user is not billed for warming up the process.
            with contextlib.suppress(Exception):
                assistant.generate("Create a Bell state", include_reasoning=False)
            self._assistant = assistant
            self._error = None
        except Exception as exc:  # reported by /health and as 503
            self._error = f"{type(exc).__name__}: {exc}"
            log.exception("could not load the code assistant")
            raise ApiError(503, "The code assistant is not available on this server.") from exc

    def status(self) -> dict[str, Any]:
        if self._assistant is not None:
            return {
                "loaded": True,
                "model": self._assistant.model_name,
                "pricing_unit": self._assistant.pricing_unit,
            }
        return {"loaded": False, "error": self._error}


class Service:
    def __init__(self, settings: Settings, db: Database, assistant: Any = None) -> None:
        self.settings = settings
        self.db = db
        self.billing = Billing(db, settings.pricing, settings.hold_ttl_seconds)
        self.limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
        self.metrics = Metrics()
        self.assistant = AssistantHolder(assistant)

    # --- steps ------------------------------------------------------------------------------

    def authenticate(self, key: str | None) -> Principal:
        try:
            with self.db.read() as session:
                return authenticate(session, key, self.settings.secret)
        except AuthError as exc:
            raise ApiError(401, str(exc), {"WWW-Authenticate": "Bearer"}) from None

    def rate_limit(self, principal: Principal) -> None:
        wait = self.limiter.acquire(principal.key_prefix)
        if wait > 0:
            raise ApiError(
                429,
                f"Too many requests for this API key (limit {self.settings.rate_limit_per_minute}"
                f" per minute); retry in {wait:.1f} s.",
                {"Retry-After": RateLimiter.retry_after_header(wait)},
            )

    def check_size(self, field: str, text: str, limit: int | None = None) -> None:
        limit = limit or self.settings.max_prompt_chars
        if len(text) > limit:
            raise ApiError(
                413,
                f"The {field} is {len(text):,} characters; the limit is {limit:,}. "
                f"Shorten it and try again.",
            )

    # --- a billed call ----------------------------------------------------------------------

    def billed(
        self,
        *,
        principal: Principal,
        request_id: str,
        endpoint: str,
        body: dict[str, Any],
        idempotency_key: str | None,
        prompt_bytes: int,
        max_output_tokens: int | None,
        work: Callable[[Any], Work],
    ) -> tuple[int, dict[str, Any], bool]:
        """Run ``work(assistant)`` with its money reserved first; (status, body, replayed)."""
        assistant = self.assistant.get()
        unit: PricingUnit = assistant.pricing_unit
        hold = max_price(
            unit,
            self.settings.pricing,
            max_seconds=self.settings.max_charge_seconds,
            prompt_bytes=prompt_bytes,
            max_output_tokens=max_output_tokens or self.settings.max_output_tokens,
        )
        idem = None
        if idempotency_key is not None:
            idem = IdempotencyKey(idempotency_key, request_hash(endpoint, body))
        try:
            replay = self.billing.reserve(principal.user_id, request_id, hold.user_nano, idem)
        except InsufficientFunds as exc:
            raise ApiError(
                402,
                str(exc),
                available_usd=usd(exc.available_nano),
                required_usd=usd(exc.needed_nano),
            ) from None
        except IdempotencyConflict as exc:
            raise ApiError(409, str(exc)) from None
        if replay is not None:
            return replay.status_code, replay.body, True

        try:
            done = work(assistant)
        except BaseException:
            self.billing.release(principal.user_id, request_id)
            raise

        cost = price(done.usage, unit, self.settings.pricing)

        def respond(charged: Cost, balance_nano: int) -> dict[str, Any]:
            return done.payload | {
                "cost": charged.to_dict(self.settings.pricing),
                "user": {"email": principal.email, "balance": usd(balance_nano)},
                "request_id": request_id,
            }

        try:
            charged, response = self.billing.settle(
                principal.user_id,
                request_id,
                cost,
                endpoint=endpoint,
                model=done.model,
                usage=done.usage,
                respond=respond,
                idempotent=idem is not None,
            )
        except Exception as exc:  # the charge was rolled back: do not hand out unpaid work
            log.error("settlement failed request=%s: %s", request_id, type(exc).__name__)
            with contextlib.suppress(Exception):
                self.billing.release(principal.user_id, request_id)
            raise ApiError(
                503, "The charge could not be recorded, so nothing was charged; retry."
            ) from None
        self._count(endpoint, charged, done.usage)
        return 200, response, False

    def _count(self, endpoint: str, charged: Cost, usage: Usage) -> None:
        self.metrics.charges.labels(endpoint).inc()
        self.metrics.charged_usd.labels(endpoint).inc(usd(charged.user_nano))
        self.metrics.tokens.labels("in").inc(usage.tokens_in)
        self.metrics.tokens.labels("out").inc(usage.tokens_out)
        self.metrics.generation_seconds.labels(endpoint).observe(usage.seconds)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start
