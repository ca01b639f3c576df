"""SQLAlchemy 2 models of the billing database. The schema itself is created by Alembic.

Money is an integer number of nano-dollars (1 USD = 10⁹), never a float: a template
generation costs a few micro-dollars and must still add up exactly. Times are naive UTC.
The ledger is append-only (the migrations install triggers that refuse UPDATE, DELETE and, on
PostgreSQL, TRUNCATE);
``users.balance_nano`` is a cache of the ledger's sum that ``bioql admin ledger --verify``
re-derives.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("balance_nano >= 0", name="ck_users_balance_nonnegative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    balance_nano: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The first characters after ``bioql_``: shown in listings, used to find the row.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    #: HMAC-SHA256 of the whole key under the server secret, hex.
    key_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class LedgerEntry(Base):
    """One credit (amount > 0) or charge (amount < 0). Never updated, never deleted."""

    __tablename__ = "ledger"
    __table_args__ = (
        CheckConstraint("kind IN ('credit', 'charge')", name="ck_ledger_kind"),
        CheckConstraint("balance_after_nano >= 0", name="ck_ledger_balance_nonnegative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount_nano: Mapped[int] = mapped_column(BigInteger)
    balance_after_nano: Mapped[int] = mapped_column(BigInteger)
    #: The HTTP request a charge belongs to.
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    #: The caller's reference for a credit (payment id...): a repeated credit is a no-op.
    reference: Mapped[str | None] = mapped_column(String(128), unique=True, nullable=True)
    endpoint: Mapped[str | None] = mapped_column(String(32), nullable=True)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    compute_us: Mapped[int] = mapped_column(BigInteger, default=0)
    base_cost_nano: Mapped[int] = mapped_column(BigInteger, default=0)
    user_cost_nano: Mapped[int] = mapped_column(BigInteger, default=0)
    profit_nano: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Hold(Base):
    """Money reserved for a request being generated; released when it is settled.

    A hold whose request died (its process was killed) is freed by the sweeper: at once when
    ``owner`` names a process of this host that no longer runs, else at ``expires_at`` (the
    request's deadline plus a grace period).
    """

    __tablename__ = "holds"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount_nano: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    #: ``host:pid:start-time`` of the server process that took the hold.
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)


class IdempotencyRecord(Base):
    """The first response to a request sent with an ``Idempotency-Key``."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(255))
    #: SHA-256 of the endpoint and body: the same key with another request is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
