"""API keys: ``bioql_`` + 43 URL-safe random characters (256 bits), shown once.

The database keeps only a short public prefix (to find the row) and HMAC-SHA256 of the whole key
under the server secret, compared in constant time. A key can be revoked or expire.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bioql.server.models import ApiKey, User, utcnow

KEY_PREFIX = "bioql_"
PUBLIC_PREFIX_CHARS = 10


class AuthError(Exception):
    """The key is missing, unknown, revoked or expired (HTTP 401)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user and the key they used (identified by its public prefix)."""

    user_id: int
    email: str
    key_id: int
    key_prefix: str
    #: When the key expires (None: never); a cached principal is not used past it.
    expires_at: datetime | None = field(default=None, compare=False)


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def public_prefix(key: str) -> str:
    return key[len(KEY_PREFIX) : len(KEY_PREFIX) + PUBLIC_PREFIX_CHARS]


def hash_key(key: str, secret: bytes) -> str:
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


def looks_like_key(key: str) -> bool:
    return key.startswith(KEY_PREFIX) and len(key) >= len(KEY_PREFIX) + 32


def issue_key(
    session: Session,
    user: User,
    secret: bytes,
    *,
    name: str = "",
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create a key for ``user``; returns the row and the plaintext key (never stored)."""
    while True:
        key = new_key()
        prefix = public_prefix(key)
        if session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)) is None:
            break
    row = ApiKey(
        user_id=user.id,
        prefix=prefix,
        key_hash=hash_key(key, secret),
        name=name,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row, key


def authenticate(session: Session, key: str | None, secret: bytes) -> Principal:
    """The principal for ``key``, or :class:`AuthError` saying what is wrong with it."""
    if not key:
        raise AuthError(
            "No API key: send 'Authorization: Bearer bioql_…' or an 'api_key' field in the body."
        )
    if not looks_like_key(key):
        raise AuthError("The API key is not valid: BioQL keys start with 'bioql_'.")
    row = session.execute(
        select(ApiKey, User).join(User).where(ApiKey.prefix == public_prefix(key))
    ).first()
    # Hash even when the prefix is unknown so timing does not reveal which prefixes exist.
    digest = hash_key(key, secret)
    if row is None or not hmac.compare_digest(digest, row.ApiKey.key_hash):
        raise AuthError("The API key is not valid.")
    api_key, user = row.ApiKey, row.User
    now = utcnow()
    if api_key.revoked_at is not None:
        raise AuthError("This API key has been revoked; ask for a new one.")
    if api_key.expires_at is not None and api_key.expires_at <= now:
        raise AuthError("This API key has expired; ask for a new one.")
    return Principal(user.id, user.email, api_key.id, api_key.prefix, api_key.expires_at)


class KeyCache:
    """Principals of keys authenticated in the last ``ttl`` seconds, found by the key's HMAC
    (the plaintext key is not kept), so a busy key is not looked up in the database on every
    request. At most ``size`` keys; ``ttl`` 0 turns the cache off.

    A revocation reaches a cached key within ``ttl`` seconds, and at once for billed requests:
    their reservation checks the key in its own transaction (``Billing.reserve(key_id=…)``).
    Only successful lookups are cached; an unknown key is looked up (and rate-limited) each time.
    """

    def __init__(self, secret: bytes, ttl: float, size: int = 10_000) -> None:
        self._secret = secret
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
        self._lock = threading.Lock()

    def _digest(self, key: str | None) -> str | None:
        if self.ttl <= 0 or not key or not looks_like_key(key):
            return None
        return hash_key(key, self._secret)

    def get(self, key: str | None) -> Principal | None:
        digest = self._digest(key)
        if digest is None:
            return None
        with self._lock:
            entry = self._entries.get(digest)
        if entry is None:
            return None
        until, principal = entry
        if time.monotonic() >= until or (
            principal.expires_at is not None and principal.expires_at <= utcnow()
        ):
            with self._lock:
                self._entries.pop(digest, None)
            return None
        return principal

    def put(self, key: str | None, principal: Principal) -> None:
        digest = self._digest(key)
        if digest is None:
            return
        with self._lock:
            self._entries[digest] = (time.monotonic() + self.ttl, principal)
            self._entries.move_to_end(digest)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget(self, key_id: int) -> None:
        """Drop the key with this id (it was found revoked)."""
        with self._lock:
            for digest, (_, principal) in list(self._entries.items()):
                if principal.key_id == key_id:
                    del self._entries[digest]
