"""Fixtures for the service: databases (SQLite file, a fresh PostgreSQL database), apps, users."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bioql.server.accounts import Accounts
from bioql.server.app import create_app
from bioql.server.config import Settings, load_settings
from bioql.server.db import Database
from tests.server.fakes import FakeAssistant

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_available() -> bool:
    import psycopg

    try:
        psycopg.connect(
            "host=127.0.0.1 port=5432 dbname=test user=postgres", connect_timeout=3
        ).close()
        return True
    except psycopg.OperationalError:
        return False


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'bioql.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A database of its own on the local PostgreSQL, dropped afterwards."""
    if not _pg_available():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 (database 'test').")
    import psycopg

    name = f"bioql_test_{uuid.uuid4().hex[:12]}"
    admin = "host=127.0.0.1 port=5432 dbname=test user=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request) -> str:  # type: ignore[no-untyped-def]
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@dataclass
class Env:
    """An app wired to a database and a fake assistant, plus an admin handle on the same DB."""

    app: Any
    db: Database
    settings: Settings
    accounts: Accounts
    assistant: FakeAssistant

    def user(self, email: str = "ada@example.org", balance: str = "1") -> dict[str, Any]:
        return self.accounts.create_user(email, balance)

    def balance_nano(self, user_id: int) -> int:
        return self.accounts.billing.balance(user_id)

    def ledger_count(self) -> int:
        from sqlalchemy import func, select

        from bioql.server.models import LedgerEntry

        with self.db.read() as session:
            return session.scalar(select(func.count(LedgerEntry.id))) or 0


@pytest.fixture
def make_env(sqlite_url) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """``make_env(url=None, assistant=None, **settings)`` → Env; disposed after the test."""
    made: list[Database] = []
    apps: list[Any] = []

    def make(
        url: str | None = None, assistant: FakeAssistant | None = None, **overrides: Any
    ) -> Env:
        settings = load_settings().with_(database_url=url or sqlite_url, **overrides)
        db = Database(
            settings.database_url, settings.db_timeout_seconds, settings.db_statement_seconds
        )
        made.append(db)
        assistant = assistant or FakeAssistant()
        app = create_app(settings, assistant=assistant, database=db)
        apps.append(app)
        return Env(app, db, settings, Accounts(db, settings), assistant)

    yield make
    for app in apps:  # tests without a lifespan still stop their simulation workers
        app.state.service.close()
    for db in made:
        db.dispose()


@pytest.fixture
def env(make_env) -> Env:  # type: ignore[no-untyped-def]
    return make_env(rate_limit_per_minute=10_000, rate_limit_burst=10_000)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
