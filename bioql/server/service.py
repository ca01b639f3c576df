"""What one API call does, independent of routes: authenticate, rate-limit, and the
reserve → work → settle chain every billed endpoint goes through (:meth:`Service.billed`)."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio

from bioql.assistant.api import Assistant
from bioql.server.assistant_runner import ASSISTANT_JOBS, AssistantRunner
from bioql.server.auth import AuthError, KeyCache, Principal, authenticate
from bioql.server.billing import (
    Billing,
    Cost,
    IdempotencyConflict,
    IdempotencyKey,
    InsufficientFunds,
    KeyRevoked,
    PricingUnit,
    Usage,
    price,
    request_hash,
    usd,
)
from bioql.server.config import Settings
from bioql.server.db import Database
from bioql.server.errors import ApiError
from bioql.server.metrics import Metrics
from bioql.server.ratelimit import RateLimiter
from bioql.server.recovery import process_identity
from bioql.server.workers import WorkerPool

log = logging.getLogger("bioql.server")
WARM_UP = "bioql.server.simulation:warm_up"
#: An assistant worker is replaced after this many answers. Starting one costs about a
#: CPU-second (imports and a warm-up answer): after every 1,000 template answers (of a
#: millisecond or two each), as simulation workers are, that was a fifth of the workers' time.
#: Its memory is still bounded by the pool's limit.
ASSISTANT_JOBS_PER_WORKER = 20_000


@dataclass
class Work:
    """What a billed call produced: the payload (without cost/user), usage and model name."""

    payload: dict[str, Any]
    usage: Usage
    model: str


@dataclass(frozen=True)
class BilledCall:
    """One billed request: who, which endpoint, its most expensive outcome and its deadline."""

    caller: Principal
    request_id: str
    endpoint: str
    body: dict[str, Any]
    idempotency_key: str | None
    max_cost: Cost
    unit: PricingUnit
    #: The request is over by then (answered or failed): the hold's lease is this plus grace.
    deadline_seconds: float


@dataclass
class KeySlots:
    """At most ``limit`` requests of one key at a time (per process)."""

    limit: int
    _busy: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextlib.contextmanager
    def take(self, key: str) -> Iterator[None]:
        with self._lock:
            if self._busy.get(key, 0) >= self.limit:
                raise ApiError(
                    429,
                    f"This API key already has {self.limit} run(s) in progress; wait for one "
                    "to finish.",
                    {"Retry-After": "2"},
                )
            self._busy[key] = self._busy.get(key, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._busy[key] -= 1
                if not self._busy[key]:
                    del self._busy[key]


class Service:
    def __init__(
        self, settings: Settings, db: Database, assistant: Assistant | None = None
    ) -> None:
        self.settings = settings
        self.db = db
        self.billing = Billing(db, settings.pricing, settings.idempotency_ttl_seconds)
        self.limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
        self.anonymous_limiter = RateLimiter(
            settings.anonymous_rate_limit_per_minute, settings.anonymous_rate_limit_per_minute
        )
        self.metrics = Metrics()
        run = settings.run
        self.workers = WorkerPool(run.workers, run.memory_mb * 2**20, run.queue, preload=(WARM_UP,))
        self.assistant_workers = WorkerPool(
            settings.assistant_workers,
            run.memory_mb * 2**20,
            settings.assistant_queue,
            preload=(f"{ASSISTANT_JOBS}:warm_up",),
            jobs_per_worker=ASSISTANT_JOBS_PER_WORKER,
        )
        self.assistant = AssistantRunner(assistant, self.assistant_workers)
        self.run_slots = KeySlots(run.per_key)
        self.keys = KeyCache(settings.secret, settings.key_cache_seconds)
        self.owner = process_identity()

    # --- steps ------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the worker processes."""
        self.workers.close()
        self.assistant_workers.close()

    def authenticate(self, key: str | None) -> Principal:
        with self.db.read() as session:
            return authenticate(session, key, self.settings.secret)

    async def caller(self, key: str | None, address: str, *, fresh: bool = False) -> Principal:
        """The key's principal; 401 for a bad key, 429 when an address sends too many.

        A key seen in the last ``key_cache_seconds`` is not looked up again unless ``fresh``:
        billed requests re-check it in their reservation's transaction (a revoked key is
        refused there, before any work), and reads that need no reservation ask ``fresh``.
        """
        try:
            principal = None if fresh else self.keys.get(key)
            if principal is None:
                principal = await anyio.to_thread.run_sync(self.authenticate, key)
                self.keys.put(key, principal)
        except AuthError as exc:
            self._limit(self.anonymous_limiter, f"address:{address}", "from this address")
            raise ApiError(401, str(exc), {"WWW-Authenticate": "Bearer"}) from None
        self._limit(self.limiter, principal.key_prefix, "for this API key")
        return principal

    def _limit(self, limiter: RateLimiter, bucket: str, whose: str) -> None:
        wait = limiter.acquire(bucket)
        if wait > 0:
            per_minute = round(limiter.rate * 60)
            raise ApiError(
                429,
                f"Too many requests {whose} (limit {per_minute} per minute); "
                f"retry in {wait:.1f} s.",
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

    # --- the reserve → work → settle chain ----------------------------------------------------

    async def billed(
        self, call: BilledCall, work: Callable[[], Awaitable[Work]]
    ) -> tuple[int, dict[str, Any], bool]:
        """Reserve ``call.max_cost``, run ``work()`` by the deadline, charge what it used.

        Returns (status, body, replayed). Work that fails, or outlives the deadline, is not
        charged and its hold is released.
        """
        replay = await self._reserve(call)
        if replay is not None:
            return replay[0], replay[1], True
        try:
            # A second beyond the deadline: work in a worker is stopped at the deadline itself.
            with anyio.fail_after(call.deadline_seconds + 1):
                done = await work()
        except TimeoutError:
            await self._release(call)
            raise ApiError(
                503,
                f"The request did not finish within its {call.deadline_seconds:g}-second "
                "deadline; you were not charged.",
                {"Retry-After": "5"},
            ) from None
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self._release(call)
            raise
        return 200, await self._settle(call, done), False

    async def _reserve(self, call: BilledCall) -> tuple[int, dict[str, Any]] | None:
        idem = None
        if call.idempotency_key is not None:
            idem = IdempotencyKey(call.idempotency_key, request_hash(call.endpoint, call.body))
        lease = call.deadline_seconds + self.settings.hold_grace_seconds
        try:
            replay = await self.billing.reserve_async(
                call.caller.user_id,
                call.request_id,
                call.max_cost.user_nano,
                idem,
                lease_seconds=lease,
                owner=self.owner,
                key_id=call.caller.key_id,
            )
        except InsufficientFunds as exc:
            raise ApiError(
                402,
                str(exc),
                available_usd=usd(exc.available_nano),
                required_usd=usd(exc.needed_nano),
            ) from None
        except IdempotencyConflict as exc:
            raise ApiError(409, str(exc)) from None
        except KeyRevoked as exc:
            self.keys.forget(call.caller.key_id)
            raise ApiError(401, str(exc), {"WWW-Authenticate": "Bearer"}) from None
        return None if replay is None else (replay.status_code, replay.body)

    async def _release(self, call: BilledCall) -> None:
        with contextlib.suppress(Exception):  # the sweeper frees it otherwise
            await self.billing.release_async(call.caller.user_id, call.request_id)

    async def _settle(self, call: BilledCall, done: Work) -> dict[str, Any]:
        cost = price(done.usage, call.unit, self.settings.pricing)

        def respond(charged: Cost, balance_nano: int) -> dict[str, Any]:
            return done.payload | {
                "cost": charged.to_dict(self.settings.pricing),
                "user": {"email": call.caller.email, "balance": usd(balance_nano)},
                "request_id": call.request_id,
            }

        def settle() -> Awaitable[tuple[Cost, dict[str, Any]]]:
            return self.billing.settle_async(
                call.caller.user_id,
                call.request_id,
                cost,
                endpoint=call.endpoint,
                model=done.model,
                usage=done.usage,
                respond=respond,
                idempotent=call.idempotency_key is not None,
            )

        try:
            charged, response = await settle()
        except Exception as exc:  # the charge was rolled back: do not hand out unpaid work
            log.error("settlement failed request=%s: %s", call.request_id, type(exc).__name__)
            await self._release(call)
            raise ApiError(
                503,
                "The charge could not be recorded, so nothing was charged; retry.",
                {"Retry-After": "5"},
            ) from None
        self._count(call.endpoint, charged, done.usage)
        return response

    def _count(self, endpoint: str, charged: Cost, usage: Usage) -> None:
        self.metrics.charges.labels(endpoint).inc()
        self.metrics.charged_usd.labels(endpoint).inc(usd(charged.user_nano))
        self.metrics.tokens.labels("in").inc(usage.tokens_in)
        self.metrics.tokens.labels("out").inc(usage.tokens_out)
        self.metrics.generation_seconds.labels(endpoint).observe(usage.seconds)
