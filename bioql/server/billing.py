"""Prices, reservations, charges, credits and the ledger check.

A billed request goes through three short transactions:

1. ``reserve``: lock the account (``BEGIN IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` on
   PostgreSQL), check that balance − open holds ≥ the request's maximum price, record a hold
   and, with an ``Idempotency-Key``, a pending idempotency record (unique per user and key).
2. generation, outside any transaction;
3. ``settle``: lock the account again, delete the hold, append the charge (exact cost, at most
   the hold) to the ledger, lower the balance and store the response under the idempotency
   key — all in one transaction. Or ``release`` when generation failed: nothing is charged.

On PostgreSQL, requests without an Idempotency-Key reserve and settle with one statement each:
the functions ``bioql_reserve`` and ``bioql_settle`` (migration 0003) run the same statements in
the same order inside the server, sent from the event loop (:class:`~bioql.server.db.PgLane`).

So concurrent requests can never spend the same money twice, and a balance never goes negative
(the database also refuses it with CHECK constraints). A request that dies between 1 and 3 (its
process killed) leaves a hold that ``sweep`` frees: at once if its process is gone, else when its
lease (the request's deadline plus a grace period) ends; its idempotency record goes with it,
so a retry with the same key runs. Answers kept for replay expire after 24 hours.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, cast

import anyio
from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, NoResultFound
from sqlalchemy.orm import Session

from bioql.server.config import NANO_PER_USD, Pricing
from bioql.server.db import Database, DbapiWork
from bioql.server.models import ApiKey, Hold, IdempotencyRecord, LedgerEntry, User, utcnow

PricingUnit = Literal["second", "token"]
#: Tokens a provider's system prompt may add to the user's prompt (token-priced providers).
PROMPT_OVERHEAD_TOKENS = 1024


# --- prices ---------------------------------------------------------------------------------


def to_nano(usd: Decimal) -> int:
    return int((usd * NANO_PER_USD).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def usd(nano: int) -> float:
    """For JSON output only; the ledger itself stays in integers."""
    return float(Decimal(nano) / NANO_PER_USD)


@dataclass(frozen=True)
class Usage:
    seconds: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0


@dataclass(frozen=True)
class Cost:
    base_nano: int
    user_nano: int

    @property
    def profit_nano(self) -> int:
        return self.user_nano - self.base_nano

    def capped(self, limit_nano: int) -> Cost:
        """This cost, scaled down (base and profit alike) when it exceeds ``limit_nano``."""
        if self.user_nano <= limit_nano:
            return self
        base = self.base_nano * limit_nano // self.user_nano if self.user_nano else 0
        return Cost(base_nano=base, user_nano=limit_nano)

    def to_dict(self, pricing: Pricing) -> dict[str, float]:
        return {
            "base_cost_usd": usd(self.base_nano),
            "user_cost_usd": usd(self.user_nano),
            "profit_usd": usd(self.profit_nano),
            "markup_percent": float(pricing.markup_percent),
            "margin_percent": float(pricing.margin_percent.quantize(Decimal("0.01"))),
        }


def price(usage: Usage, unit: PricingUnit, pricing: Pricing) -> Cost:
    """The base cost of ``usage`` and the user's price (base + markup), in nano-dollars."""
    if unit == "token":
        base = (
            usage.tokens_in * pricing.usd_per_million_input_tokens
            + usage.tokens_out * pricing.usd_per_million_output_tokens
        ) / 1_000_000
    else:
        base = Decimal(repr(max(usage.seconds, 0.0))) * pricing.usd_per_second
    base_nano = to_nano(base)
    user = Decimal(base_nano) * (100 + pricing.markup_percent) / 100
    return Cost(base_nano, int(user.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def max_price(
    unit: PricingUnit,
    pricing: Pricing,
    *,
    max_seconds: int,
    prompt_bytes: int,
    max_output_tokens: int,
) -> Cost:
    """The most a request can cost: what is reserved before generating."""
    worst = Usage(
        seconds=float(max_seconds),
        tokens_in=prompt_bytes + PROMPT_OVERHEAD_TOKENS,
        tokens_out=max_output_tokens,
    )
    return price(worst, unit, pricing)


# --- errors ---------------------------------------------------------------------------------


class InsufficientFunds(Exception):
    def __init__(self, available_nano: int, needed_nano: int) -> None:
        super().__init__(
            f"Your available balance is ${usd(available_nano):.6f}; this request may cost up to "
            f"${usd(needed_nano):.6f}. Top up your account to continue."
        )
        self.available_nano = available_nano
        self.needed_nano = needed_nano


class IdempotencyConflict(Exception):
    """The key is in use by a request still running, or was used for a different request."""


@dataclass(frozen=True)
class Replay:
    """The stored first response to an idempotent request."""

    status_code: int
    body: dict[str, Any]


@dataclass(frozen=True)
class IdempotencyKey:
    key: str
    request_hash: str


def request_hash(endpoint: str, body: dict[str, Any]) -> str:
    """Fingerprint of a request (the key itself left out) to spot a reused Idempotency-Key."""
    fields = {k: v for k, v in body.items() if k != "api_key"}
    canonical = json.dumps([endpoint, fields], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- the ledger -----------------------------------------------------------------------------

#: Lease of a hold taken without one, and of holds written before leases existed.
LEGACY_HOLD_SECONDS = 900


def _expired(now: datetime) -> ColumnElement[bool]:
    legacy = now - timedelta(seconds=LEGACY_HOLD_SECONDS)
    return (Hold.expires_at < now) | (Hold.expires_at.is_(None) & (Hold.created_at < legacy))


def _is_expired(hold: Hold, now: datetime) -> bool:
    if hold.expires_at is None:
        return hold.created_at < now - timedelta(seconds=LEGACY_HOLD_SECONDS)
    return hold.expires_at < now


# The per-request statements, built once and run on the transaction's connection (Core, not
# the ORM's unit of work: the ORM's bookkeeping was most of the CPU a request spent in the
# database). Same SQL, same locks, same transaction boundaries.
_users = cast(Table, User.__table__)
_holds = cast(Table, Hold.__table__)
_idempotency = cast(Table, IdempotencyRecord.__table__)
_ledger = cast(Table, LedgerEntry.__table__)
_keys = cast(Table, ApiKey.__table__)
_LOCK_BALANCE = (
    select(_users.c.balance_nano).where(_users.c.id == bindparam("user_id")).with_for_update()
)
_HELD = select(func.coalesce(func.sum(_holds.c.amount_nano), 0)).where(
    _holds.c.user_id == bindparam("user_id")
)
_DROP_EXPIRED = delete(_holds).where(
    _holds.c.user_id == bindparam("user_id"),
    (_holds.c.expires_at < bindparam("now"))
    | (_holds.c.expires_at.is_(None) & (_holds.c.created_at < bindparam("legacy"))),
)
_INSERT_HOLD = insert(_holds)
_INSERT_PENDING = insert(_idempotency)
_TAKE_HOLD = (
    delete(_holds)
    .where(_holds.c.request_id == bindparam("request_id"))
    .returning(_holds.c.amount_nano)
)
_CHARGE = (
    update(_users)
    .where(_users.c.id == bindparam("user_id"))
    .values(balance_nano=_users.c.balance_nano - bindparam("amount"))
    .returning(_users.c.balance_nano)
)
_INSERT_ENTRY = insert(_ledger)
_STORE_RESPONSE = (  # (an UPDATE's bind names must differ from its columns')
    update(_idempotency)
    .where(
        _idempotency.c.user_id == bindparam("for_user"),
        _idempotency.c.request_id == bindparam("for_request"),
    )
    .values(status_code=200, response=bindparam("stored_response"))
)
_DROP_HOLD = delete(_holds).where(_holds.c.request_id == bindparam("request_id"))
_DROP_PENDING = delete(_idempotency).where(
    _idempotency.c.user_id == bindparam("user_id"),
    _idempotency.c.request_id == bindparam("request_id"),
    _idempotency.c.response.is_(None),
)
_KEY_STATE = select(_keys.c.user_id, _keys.c.revoked_at, _keys.c.expires_at).where(
    _keys.c.id == bindparam("key_id")
)


# PostgreSQL: the same reservation and charge as one statement each (migration 0003), for
# requests without an Idempotency-Key (whose record must be read and written in the same
# transaction, by the statements above).
_PG_RESERVE = (
    "SELECT outcome, available FROM bioql_reserve(%s::integer, %s::integer, %s::varchar, "
    "%s::bigint, %s::timestamp, %s::timestamp, %s::timestamp, %s::varchar)"
)
_PG_SETTLE = (
    "SELECT base_nano, user_nano, balance_nano FROM bioql_settle(%s::integer, %s::varchar, "
    "%s::bigint, %s::bigint, %s::varchar, %s::varchar, %s::integer, %s::integer, %s::bigint, "
    "%s::timestamp)"
)


# SQLite: the same statements through ``sqlite3`` itself (see DbapiWork), for requests without
# an Idempotency-Key. Times are written as SQLAlchemy writes them (text, always microseconds).
_SQLITE_KEY_STATE = (
    "SELECT user_id, revoked_at IS NOT NULL, expires_at IS NOT NULL AND expires_at <= ? "
    "FROM api_keys WHERE id = ?"
)
_SQLITE_DROP_EXPIRED = (
    "DELETE FROM holds WHERE user_id = ? "
    "AND (expires_at < ? OR (expires_at IS NULL AND created_at < ?))"
)
_SQLITE_BALANCE = "SELECT balance_nano FROM users WHERE id = ?"
_SQLITE_HELD = "SELECT coalesce(sum(amount_nano), 0) FROM holds WHERE user_id = ?"
_SQLITE_INSERT_HOLD = (
    "INSERT INTO holds (request_id, user_id, amount_nano, created_at, expires_at, owner) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_SQLITE_TAKE_HOLD = "DELETE FROM holds WHERE request_id = ? RETURNING amount_nano"
_SQLITE_CHARGE = (
    "UPDATE users SET balance_nano = balance_nano - ? WHERE id = ? RETURNING balance_nano"
)
_SQLITE_INSERT_ENTRY = (
    "INSERT INTO ledger (user_id, kind, amount_nano, balance_after_nano, request_id, "
    "reference, endpoint, model, tokens_in, tokens_out, compute_us, base_cost_nano, "
    "user_cost_nano, profit_nano, created_at) "
    "VALUES (?, 'charge', ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _sqlite_time(moment: datetime) -> str:
    """A naive UTC time as SQLAlchemy's SQLite DateTime stores it (so text order is time order)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _one(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> Any:
    rows = conn.execute(sql, params).fetchall()  # (fetchall: the statement runs to its end)
    return rows[0] if rows else None


def _reserve_sqlite(conn: sqlite3.Connection, hold: dict[str, Any], key_id: int | None) -> None:
    """:meth:`Billing._reserve` without an Idempotency-Key, statement for statement."""
    user_id = hold["user_id"]
    now = utcnow()
    at = _sqlite_time(now)
    if key_id is not None:
        row = _one(conn, _SQLITE_KEY_STATE, (at, key_id))
        if row is None or row[0] != user_id or row[1]:
            raise KeyRevoked("This API key has been revoked; ask for a new one.")
        if row[2]:
            raise KeyRevoked("This API key has expired; ask for a new one.")
    legacy = _sqlite_time(now - timedelta(seconds=LEGACY_HOLD_SECONDS))
    conn.execute(_SQLITE_DROP_EXPIRED, (user_id, at, legacy))
    balance = _one(conn, _SQLITE_BALANCE, (user_id,))
    if balance is None:
        raise NoResultFound(f"no user {user_id}")
    available = balance[0] - _one(conn, _SQLITE_HELD, (user_id,))[0]
    if available < hold["amount_nano"]:
        raise InsufficientFunds(available, hold["amount_nano"])
    conn.execute(
        _SQLITE_INSERT_HOLD,
        (
            hold["request_id"],
            user_id,
            hold["amount_nano"],
            _sqlite_time(hold["created_at"]),
            _sqlite_time(hold["expires_at"]),
            hold["owner"],
        ),
    )


def _settle_sqlite(
    conn: sqlite3.Connection,
    user_id: int,
    request_id: str,
    cost: Cost,
    endpoint: str,
    model: str,
    usage: Usage,
    respond: Any,
) -> tuple[Cost, dict[str, Any]]:
    """:meth:`Billing.settle_op` without an Idempotency-Key, statement for statement."""
    taken = _one(conn, _SQLITE_TAKE_HOLD, (request_id,))
    if taken is not None:
        held = taken[0]
    else:  # the hold expired while generating: charge what is still available
        balance_now = _one(conn, _SQLITE_BALANCE, (user_id,))[0]
        held = max(balance_now - _one(conn, _SQLITE_HELD, (user_id,))[0], 0)
    charged = cost.capped(held)
    balance = _one(conn, _SQLITE_CHARGE, (charged.user_nano, user_id))[0]
    conn.execute(
        _SQLITE_INSERT_ENTRY,
        (
            user_id,
            -charged.user_nano,
            balance,
            request_id,
            endpoint,
            model[:200],
            usage.tokens_in,
            usage.tokens_out,
            round(usage.seconds * 1_000_000),
            charged.base_nano,
            charged.user_nano,
            charged.profit_nano,
            _sqlite_time(utcnow()),
        ),
    )
    return charged, respond(charged, balance)


class KeyRevoked(Exception):
    """The request's API key was revoked (or expired) after it was authenticated."""


def _held_on(conn: Connection, user_id: int) -> int:
    return int(conn.execute(_HELD, {"user_id": user_id}).scalar() or 0)


@dataclass(frozen=True)
class SweepReport:
    """What one pass of the sweeper freed."""

    holds: int
    idempotency_records: int


class Billing:
    def __init__(
        self, db: Database, pricing: Pricing, idempotency_ttl_seconds: int = 86_400
    ) -> None:
        self.db = db
        self.pricing = pricing
        self.idempotency_ttl = timedelta(seconds=idempotency_ttl_seconds)

    def _lock_user(self, session: Session, user_id: int) -> User:
        # FOR UPDATE on PostgreSQL; SQLite ignores it (BEGIN IMMEDIATE already serialises).
        # populate_existing: a batch may have changed the row since this session last read it.
        return session.execute(
            select(User)
            .where(User.id == user_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()

    def _held(self, session: Session, user_id: int) -> int:
        total = session.scalar(
            select(func.coalesce(func.sum(Hold.amount_nano), 0)).where(Hold.user_id == user_id)
        )
        return int(total or 0)

    def balance(self, user_id: int) -> int:
        with self.db.read() as session:
            return session.scalar(select(User.balance_nano).where(User.id == user_id)) or 0

    def available(self, user_id: int) -> int:
        with self.db.read() as session:
            balance = session.scalar(select(User.balance_nano).where(User.id == user_id)) or 0
            return balance - self._held(session, user_id)

    def reserve(
        self,
        user_id: int,
        request_id: str,
        amount_nano: int,
        idempotency: IdempotencyKey | None = None,
        *,
        lease_seconds: float = LEGACY_HOLD_SECONDS,
        owner: str | None = None,
        key_id: int | None = None,
    ) -> Replay | None:
        """Hold ``amount_nano`` for ``request_id`` until settled, released, or ``lease_seconds``
        have passed; a Replay when the Idempotency-Key was already answered.

        With ``key_id``, the key is checked in the same transaction: a key revoked (or expired)
        since the caller was authenticated raises :class:`KeyRevoked` and nothing is held.
        """
        op = self._reserve_op(
            user_id, request_id, amount_nano, idempotency, lease_seconds, owner, key_id
        )
        try:
            return self.db.batched(op)
        except IntegrityError:
            if idempotency is None:
                raise
            return self._raced(user_id, idempotency)

    async def reserve_async(
        self,
        user_id: int,
        request_id: str,
        amount_nano: int,
        idempotency: IdempotencyKey | None = None,
        *,
        lease_seconds: float = LEGACY_HOLD_SECONDS,
        owner: str | None = None,
        key_id: int | None = None,
    ) -> Replay | None:
        """:meth:`reserve` for the event loop (no thread waits for the commit)."""
        if self.db.lane is not None and idempotency is None:
            await self._reserve_in_one(
                user_id, request_id, amount_nano, lease_seconds, owner, key_id
            )
            return None
        op = self._reserve_op(
            user_id, request_id, amount_nano, idempotency, lease_seconds, owner, key_id
        )
        try:
            return await self.db.batched_async(op)
        except IntegrityError:
            if idempotency is None:
                raise
            return await anyio.to_thread.run_sync(self._raced, user_id, idempotency)

    def _reserve_op(
        self,
        user_id: int,
        request_id: str,
        amount_nano: int,
        idempotency: IdempotencyKey | None,
        lease_seconds: float,
        owner: str | None,
        key_id: int | None,
    ) -> Callable[[Session], Replay | None]:
        now = utcnow()
        hold = {
            "request_id": request_id,
            "user_id": user_id,
            "amount_nano": amount_nano,
            "created_at": now,
            "expires_at": now + timedelta(seconds=lease_seconds),
            "owner": owner,
        }
        if idempotency is None and self.db.dialect == "sqlite":
            return DbapiWork(lambda conn: self._reserve(conn, hold, None, key_id))
        return lambda session: self._reserve(session, hold, idempotency, key_id)

    async def _reserve_in_one(
        self,
        user_id: int,
        request_id: str,
        amount_nano: int,
        lease_seconds: float,
        owner: str | None,
        key_id: int | None,
    ) -> None:
        """:meth:`_reserve` without an Idempotency-Key as one statement (``bioql_reserve``)."""
        assert self.db.lane is not None
        now = utcnow()
        outcome, available = await self.db.lane.fetchone(
            _PG_RESERVE,
            (
                user_id,
                key_id,
                request_id,
                amount_nano,
                now,
                now - timedelta(seconds=LEGACY_HOLD_SECONDS),
                now + timedelta(seconds=lease_seconds),
                owner,
            ),
        )
        if outcome == "revoked":
            raise KeyRevoked("This API key has been revoked; ask for a new one.")
        if outcome == "expired":
            raise KeyRevoked("This API key has expired; ask for a new one.")
        if outcome == "insufficient":
            raise InsufficientFunds(available, amount_nano)

    def _raced(self, user_id: int, idempotency: IdempotencyKey) -> Replay:
        """Another request with the same Idempotency-Key committed first."""
        with self.db.read() as session:
            replay = self._lookup(session, user_id, idempotency, reclaim=False)
        if replay is None:
            raise IdempotencyConflict(
                "A request with this Idempotency-Key is still being processed; retry later."
            ) from None
        return replay

    def _reserve(
        self,
        session: Session | sqlite3.Connection,
        hold: dict[str, Any],
        idempotency: IdempotencyKey | None,
        key_id: int | None = None,
    ) -> Replay | None:
        """The reservation's transaction: on the ORM session, or, on SQLite without an
        Idempotency-Key, on the ``sqlite3`` connection itself (the same statements)."""
        if isinstance(session, sqlite3.Connection):
            _reserve_sqlite(session, hold, key_id)
            return None
        conn = session.connection()
        user_id = hold["user_id"]
        if key_id is not None:
            _check_key(conn, key_id, user_id)
        # Before the account lock, so the lock is held for fewer statements (PostgreSQL); the
        # holds are then locked before the account, the order settlement takes them in too.
        now = utcnow()
        legacy = now - timedelta(seconds=LEGACY_HOLD_SECONDS)
        conn.execute(_DROP_EXPIRED, {"user_id": user_id, "now": now, "legacy": legacy})
        balance = conn.execute(_LOCK_BALANCE, {"user_id": user_id}).scalar_one()
        if idempotency is not None:
            replay = self._lookup(session, user_id, idempotency, reclaim=True)
            if replay is not None:
                return replay
        available = balance - _held_on(conn, user_id)
        if available < hold["amount_nano"]:
            raise InsufficientFunds(available, hold["amount_nano"])
        conn.execute(_INSERT_HOLD, hold)
        if idempotency is not None:
            conn.execute(
                _INSERT_PENDING,
                {
                    "user_id": user_id,
                    "key": idempotency.key,
                    "request_hash": idempotency.request_hash,
                    "request_id": hold["request_id"],
                    "created_at": now,
                },
            )
        return None

    def _lookup(
        self, session: Session, user_id: int, idempotency: IdempotencyKey, *, reclaim: bool
    ) -> Replay | None:
        """The stored answer for this key, None when the key is free (or freed, if ``reclaim``:
        expired records and those of requests whose hold is gone are deleted)."""
        # populate_existing: statements of this batch may have changed the row since this
        # session last read it.
        record = session.scalar(
            select(IdempotencyRecord)
            .where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == idempotency.key)
            .execution_options(populate_existing=True)
        )
        if record is None:
            return None
        if record.created_at < utcnow() - self.idempotency_ttl or self._abandoned(session, record):
            if reclaim:
                session.delete(record)
                session.flush()
            return None
        if record.request_hash != idempotency.request_hash:
            raise IdempotencyConflict(
                "This Idempotency-Key was already used for a different request; "
                "use a new key for a new request."
            )
        if record.response is not None:
            return Replay(record.status_code or 200, json.loads(record.response))
        raise IdempotencyConflict(
            "A request with this Idempotency-Key is still being processed; retry later."
        )

    @staticmethod
    def _abandoned(session: Session, record: IdempotencyRecord) -> bool:
        """A pending record whose request no longer holds money: its process died."""
        if record.response is not None:
            return False
        hold = session.get(Hold, record.request_id, populate_existing=True)
        return hold is None or _is_expired(hold, utcnow())

    def sweep(self, owner_alive: Callable[[str], bool]) -> SweepReport:
        """Free the holds of requests that died and forget what they left behind.

        A hold goes when its lease expired or when ``owner_alive(owner)`` says its process is
        gone; then pending idempotency records without a hold, and records past their TTL.
        """
        now = utcnow()
        with self.db.write() as session:
            dead = [
                request_id
                for request_id, owner in session.execute(select(Hold.request_id, Hold.owner))
                if owner and not owner_alive(owner)
            ]
            holds = session.execute(
                delete(Hold).where(_expired(now) | Hold.request_id.in_(dead))
            ).rowcount  # type: ignore[attr-defined]  # a DELETE returns a CursorResult
            live = select(Hold.request_id)
            records = session.execute(
                delete(IdempotencyRecord).where(
                    (
                        IdempotencyRecord.response.is_(None)
                        & IdempotencyRecord.request_id.not_in(live)
                    )
                    | (IdempotencyRecord.created_at < now - self.idempotency_ttl)
                )
            ).rowcount  # type: ignore[attr-defined]  # a DELETE returns a CursorResult
        return SweepReport(int(holds or 0), int(records or 0))

    def release(self, user_id: int, request_id: str) -> None:
        """Generation failed: drop the hold and the pending idempotency record, charge nothing."""
        self.db.batched(self._release_op(user_id, request_id))

    async def release_async(self, user_id: int, request_id: str) -> None:
        await self.db.batched_async(self._release_op(user_id, request_id))

    @staticmethod
    def _release_op(user_id: int, request_id: str) -> Callable[[Session], None]:
        def apply(session: Session) -> None:
            conn = session.connection()
            conn.execute(_DROP_HOLD, {"request_id": request_id})
            conn.execute(_DROP_PENDING, {"user_id": user_id, "request_id": request_id})

        return apply

    def settle(self, *args: Any, **kwargs: Any) -> tuple[Cost, dict[str, Any]]:
        """Charge ``cost`` (at most the hold) and store ``respond(cost, balance)`` for replays.

        Arguments as :meth:`settle_op`."""
        return self.db.batched(self.settle_op(*args, **kwargs))

    async def settle_async(self, *args: Any, **kwargs: Any) -> tuple[Cost, dict[str, Any]]:
        """:meth:`settle` for the event loop (no thread waits for the commit)."""
        if self.db.lane is not None and not kwargs.get("idempotent", False):
            return await self._settle_in_one(*args, **kwargs)
        return await self.db.batched_async(self.settle_op(*args, **kwargs))

    async def _settle_in_one(
        self,
        user_id: int,
        request_id: str,
        cost: Cost,
        *,
        endpoint: str,
        model: str,
        usage: Usage,
        respond: Any,
        idempotent: bool = False,
    ) -> tuple[Cost, dict[str, Any]]:
        """The settlement without an Idempotency-Key as one statement (``bioql_settle``)."""
        assert self.db.lane is not None and not idempotent
        base, user, balance = await self.db.lane.fetchone(
            _PG_SETTLE,
            (
                user_id,
                request_id,
                cost.base_nano,
                cost.user_nano,
                endpoint,
                model[:200],
                usage.tokens_in,
                usage.tokens_out,
                round(usage.seconds * 1_000_000),
                utcnow(),
            ),
        )
        charged = Cost(base_nano=base, user_nano=user)
        return charged, respond(charged, balance)

    def settle_op(
        self,
        user_id: int,
        request_id: str,
        cost: Cost,
        *,
        endpoint: str,
        model: str,
        usage: Usage,
        respond: Any,
        idempotent: bool = False,
    ) -> Callable[[Session], tuple[Cost, dict[str, Any]]]:
        """The settlement of ``request_id`` as one write operation: charge ``cost`` (at most
        the hold) and store ``respond(cost, balance)`` for replays."""
        if not idempotent and self.db.dialect == "sqlite":
            return DbapiWork(
                lambda conn: _settle_sqlite(
                    conn, user_id, request_id, cost, endpoint, model, usage, respond
                )
            )

        def apply(session: Session) -> tuple[Cost, dict[str, Any]]:
            conn = session.connection()
            held = conn.execute(_TAKE_HOLD, {"request_id": request_id}).scalar()
            if held is None:  # the hold expired while generating: charge what is still available
                balance_now = conn.execute(_LOCK_BALANCE, {"user_id": user_id}).scalar_one()
                held = max(balance_now - _held_on(conn, user_id), 0)
            charged = cost.capped(held)
            # One statement locks the account and charges it. Until this transaction commits,
            # other requests still count the deleted hold, so no one can spend this money.
            balance = conn.execute(
                _CHARGE, {"user_id": user_id, "amount": charged.user_nano}
            ).scalar_one()
            conn.execute(
                _INSERT_ENTRY,
                {
                    "user_id": user_id,
                    "kind": "charge",
                    "amount_nano": -charged.user_nano,
                    "balance_after_nano": balance,
                    "request_id": request_id,
                    "reference": None,
                    "endpoint": endpoint,
                    "model": model[:200],
                    "tokens_in": usage.tokens_in,
                    "tokens_out": usage.tokens_out,
                    "compute_us": round(usage.seconds * 1_000_000),
                    "base_cost_nano": charged.base_nano,
                    "user_cost_nano": charged.user_nano,
                    "profit_nano": charged.profit_nano,
                    "created_at": utcnow(),
                },
            )
            body = respond(charged, balance)
            if idempotent:
                conn.execute(
                    _STORE_RESPONSE,
                    {
                        "for_user": user_id,
                        "for_request": request_id,
                        "stored_response": json.dumps(body),
                    },
                )
            return charged, body

        return apply

    def credit(self, user_id: int, amount_nano: int, reference: str) -> tuple[LedgerEntry, bool]:
        """Add money once per ``reference``; returns the entry and whether it already existed."""
        if amount_nano <= 0:
            raise ValueError("A credit must be a positive amount.")
        with self.db.write() as session:
            existing = session.scalar(select(LedgerEntry).where(LedgerEntry.reference == reference))
            if existing is not None:
                if existing.user_id != user_id or existing.amount_nano != amount_nano:
                    raise IdempotencyConflict(
                        f"Reference {reference!r} was already used for a different credit."
                    )
                return existing, True
            user = self._lock_user(session, user_id)
            user.balance_nano += amount_nano
            entry = LedgerEntry(
                user_id=user_id,
                kind="credit",
                amount_nano=amount_nano,
                balance_after_nano=user.balance_nano,
                reference=reference,
            )
            session.add(entry)
            session.flush()
            return entry, False


def _check_key(conn: Connection, key_id: int, user_id: int) -> None:
    row = conn.execute(_KEY_STATE, {"key_id": key_id}).first()
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        raise KeyRevoked("This API key has been revoked; ask for a new one.")
    if row.expires_at is not None and row.expires_at <= utcnow():
        raise KeyRevoked("This API key has expired; ask for a new one.")


# --- verification ---------------------------------------------------------------------------


@dataclass
class VerifyReport:
    users: int = 0
    entries: int = 0
    mismatches: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"users": self.users, "entries": self.entries, "mismatches": self.mismatches or []}


def verify(db: Database) -> VerifyReport:
    """Re-derive every balance from the ledger and check each entry's arithmetic."""
    report = VerifyReport(mismatches=[])
    problems = report.mismatches
    assert problems is not None
    with db.read() as session:
        running: dict[int, int] = {}
        for entry in session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).yield_per(2000):
            report.entries += 1
            for problem in _entry_problems(entry, running.get(entry.user_id, 0)):
                problems.append(
                    {"user_id": entry.user_id, "entry_id": entry.id, "problem": problem}
                )
            running[entry.user_id] = running.get(entry.user_id, 0) + entry.amount_nano
        for user in session.scalars(select(User).order_by(User.id)):
            report.users += 1
            derived = running.get(user.id, 0)
            if derived != user.balance_nano:
                problems.append(
                    {
                        "user_id": user.id,
                        "email": user.email,
                        "problem": f"balance is {user.balance_nano} nano-USD but the ledger "
                        f"sums to {derived}",
                    }
                )
    return report


def _entry_problems(entry: LedgerEntry, before: int) -> list[str]:
    found = []
    if entry.balance_after_nano != before + entry.amount_nano:
        found.append(
            f"balance_after {entry.balance_after_nano} ≠ previous {before} + amount "
            f"{entry.amount_nano}"
        )
    if entry.kind == "credit" and entry.amount_nano <= 0:
        found.append("credit with a non-positive amount")
    if entry.kind == "charge":
        if entry.amount_nano != -entry.user_cost_nano:
            found.append("charge amount ≠ −user cost")
        if entry.user_cost_nano != entry.base_cost_nano + entry.profit_nano:
            found.append("user cost ≠ base cost + profit")
    return found
