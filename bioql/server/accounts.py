"""Account administration shared by ``bioql admin`` and the service: users, keys, reports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bioql.errors import BioQLValueError
from bioql.server.auth import KEY_PREFIX, PUBLIC_PREFIX_CHARS, issue_key
from bioql.server.billing import Billing, usd
from bioql.server.config import NANO_PER_USD, Settings
from bioql.server.db import Database
from bioql.server.models import ApiKey, LedgerEntry, User, utcnow

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
#: The largest amount one command may move; far below what the ledger's 64-bit integers hold.
MAX_AMOUNT_USD = Decimal(1_000_000)


def parse_usd(text: str | float | Decimal, what: str = "amount") -> int:
    """A USD amount given by a person (e.g. "10", "0.25") → nano-dollars."""
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        raise BioQLValueError(
            f"The {what} {text!r} is not a number; give dollars, e.g. 10 or 2.50."
        ) from None
    if not value.is_finite() or value < 0:
        raise BioQLValueError(f"The {what} must be zero or more dollars, got {text}.")
    if value > MAX_AMOUNT_USD:
        raise BioQLValueError(
            f"The {what} {text} is more than ${MAX_AMOUNT_USD:,}, the most one command may add; "
            "split it into several credits with their own references."
        )
    nano = value * NANO_PER_USD
    if nano != nano.to_integral_value():
        raise BioQLValueError(f"The {what} {text} has more than 9 decimal places.")
    return int(nano)


class Accounts:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.billing = Billing(db, settings.pricing, settings.idempotency_ttl_seconds)

    # --- users and keys -------------------------------------------------------------------

    def create_user(self, email: str, balance_usd: str | Decimal = "0") -> dict[str, Any]:
        email = email.strip().lower()
        if not EMAIL.match(email):
            raise BioQLValueError(f"{email!r} is not an email address; use e.g. ada@example.org.")
        balance = parse_usd(balance_usd, "balance")
        try:
            with self.db.write() as session:
                user = User(email=email, balance_nano=0)
                session.add(user)
                session.flush()
                _, key = issue_key(session, user, self.settings.secret, name="default")
                user_id = user.id
        except IntegrityError:
            raise BioQLValueError(f"A user with email {email} already exists.") from None
        if balance:
            self.billing.credit(user_id, balance, reference=f"initial-balance:user-{user_id}")
        return {"user_id": user_id, "email": email, "api_key": key, "balance": usd(balance)}

    def user_by_email(self, email: str) -> User:
        with self.db.read() as session:
            user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise BioQLValueError(f"No user with email {email}; see `bioql admin users`.")
        return user

    def create_key(
        self, email: str, name: str = "", expires_in_days: int | None = None
    ) -> dict[str, Any]:
        user = self.user_by_email(email)
        if expires_in_days is not None and expires_in_days <= 0:
            raise BioQLValueError("--expires-in-days must be a positive number of days.")
        expires = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
        with self.db.write() as session:
            row, key = issue_key(session, user, self.settings.secret, name=name, expires_at=expires)
            return {
                "key_id": row.id,
                "email": user.email,
                "prefix": row.prefix,
                "api_key": key,
                "expires_at": _iso(expires),
            }

    def revoke_key(self, key_or_prefix: str) -> dict[str, Any]:
        text = key_or_prefix.strip()
        prefix = text[len(KEY_PREFIX) :] if text.startswith(KEY_PREFIX) else text
        prefix = prefix[:PUBLIC_PREFIX_CHARS]
        with self.db.write() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
            if row is None:
                raise BioQLValueError(
                    f"No API key with prefix {prefix!r}; `bioql admin users --json` lists them."
                )
            if row.revoked_at is None:
                row.revoked_at = utcnow()
            return {"prefix": row.prefix, "revoked_at": _iso(row.revoked_at)}

    def credit(self, email: str, amount_usd: str, reference: str) -> dict[str, Any]:
        user = self.user_by_email(email)
        amount = parse_usd(amount_usd)
        if amount == 0:
            raise BioQLValueError("A credit must be more than $0.")
        if not reference.strip():
            raise BioQLValueError("Give a --reference (a payment or ticket id) so a retry is safe.")
        entry, replayed = self.billing.credit(user.id, amount, reference.strip())
        return {
            "email": user.email,
            "amount": usd(amount),
            "reference": reference.strip(),
            "ledger_id": entry.id,
            "already_applied": replayed,
            "balance": usd(self._balance(user.id)),
        }

    def _balance(self, user_id: int) -> int:
        with self.db.read() as session:
            return session.scalar(select(User.balance_nano).where(User.id == user_id)) or 0

    # --- reports --------------------------------------------------------------------------

    def users(self) -> list[dict[str, Any]]:
        with self.db.read() as session:
            users = session.scalars(select(User).order_by(User.id)).all()
            keys = session.scalars(select(ApiKey).order_by(ApiKey.id)).all()
        now = utcnow()
        return [
            {
                "user_id": u.id,
                "email": u.email,
                "balance": usd(u.balance_nano),
                "created_at": _iso(u.created_at),
                "keys": [
                    {
                        "prefix": k.prefix,
                        "name": k.name,
                        "active": k.revoked_at is None
                        and (k.expires_at is None or k.expires_at > now),
                        "expires_at": _iso(k.expires_at),
                        "revoked_at": _iso(k.revoked_at),
                    }
                    for k in keys
                    if k.user_id == u.id
                ],
            }
            for u in users
        ]

    def usage(self, email: str | None = None, days: int | None = None) -> list[dict[str, Any]]:
        """Charges grouped by user and UTC day."""
        day = func.date(LedgerEntry.created_at)
        query = (
            select(
                User.email,
                day.label("day"),
                func.count(LedgerEntry.id),
                func.sum(LedgerEntry.tokens_in),
                func.sum(LedgerEntry.tokens_out),
                func.sum(LedgerEntry.compute_us),
                func.sum(LedgerEntry.base_cost_nano),
                func.sum(LedgerEntry.user_cost_nano),
                func.sum(LedgerEntry.profit_nano),
            )
            .join(User, User.id == LedgerEntry.user_id)
            .where(LedgerEntry.kind == "charge")
            .group_by(User.email, day)
            .order_by(User.email, day)
        )
        if email:
            query = query.where(User.id == self.user_by_email(email).id)
        if days:
            query = query.where(LedgerEntry.created_at >= utcnow() - timedelta(days=days))
        with self.db.read() as session:
            rows = session.execute(query).all()
        return [
            {
                "email": r[0],
                "day": str(r[1]),
                "requests": int(r[2]),
                "tokens_in": int(r[3] or 0),
                "tokens_out": int(r[4] or 0),
                "compute_seconds": int(r[5] or 0) / 1_000_000,
                "base_cost_usd": usd(int(r[6] or 0)),
                "user_cost_usd": usd(int(r[7] or 0)),
                "profit_usd": usd(int(r[8] or 0)),
            }
            for r in rows
        ]

    def ledger_rows(self, email: str | None = None, limit: int | None = None) -> Iterator[dict]:
        query = select(LedgerEntry, User.email).join(User, User.id == LedgerEntry.user_id)
        if email:
            query = query.where(User.id == self.user_by_email(email).id)
        query = query.order_by(LedgerEntry.id.desc() if limit else LedgerEntry.id)
        if limit:
            query = query.limit(limit)
        with self.db.read() as session:
            for entry, user_email in session.execute(query).yield_per(2000):
                yield ledger_dict(entry, user_email)


LEDGER_FIELDS = [
    "id",
    "created_at",
    "email",
    "kind",
    "amount_usd",
    "balance_after_usd",
    "request_id",
    "reference",
    "endpoint",
    "model",
    "tokens_in",
    "tokens_out",
    "compute_seconds",
    "base_cost_usd",
    "user_cost_usd",
    "profit_usd",
]


def ledger_dict(entry: LedgerEntry, email: str) -> dict[str, Any]:
    # Exact decimal strings for money: a CSV export must add up to the cent and beyond.
    return {
        "id": entry.id,
        "created_at": _iso(entry.created_at),
        "email": email,
        "kind": entry.kind,
        "amount_usd": _dec(entry.amount_nano),
        "balance_after_usd": _dec(entry.balance_after_nano),
        "request_id": entry.request_id,
        "reference": entry.reference,
        "endpoint": entry.endpoint,
        "model": entry.model,
        "tokens_in": entry.tokens_in,
        "tokens_out": entry.tokens_out,
        "compute_seconds": entry.compute_us / 1_000_000,
        "base_cost_usd": _dec(entry.base_cost_nano),
        "user_cost_usd": _dec(entry.user_cost_nano),
        "profit_usd": _dec(entry.profit_nano),
    }


def _dec(nano: int) -> str:
    return str((Decimal(nano) / NANO_PER_USD).quantize(Decimal("0.000000001")))


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"
