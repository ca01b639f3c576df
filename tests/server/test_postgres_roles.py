"""PostgreSQL: the ledger refuses TRUNCATE too, and the service can run as a login role that is
a member of ``bioql_service`` (created by the migrations): it may append to the ledger but not
rewrite, delete or empty it, nor drop tables."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from fastapi.testclient import TestClient

from bioql.server.billing import verify
from tests.server.conftest import bearer

pytestmark = pytest.mark.postgres


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg", "postgresql")


def test_truncate_of_the_ledger_is_refused_even_for_the_owner(make_env, pg_url):
    env = make_env(pg_url)
    env.user()
    with psycopg.connect(_libpq(pg_url)) as conn, pytest.raises(psycopg.errors.RaiseException):
        conn.execute("TRUNCATE ledger CASCADE")
    assert env.ledger_count() == 1


def test_the_service_runs_as_a_least_privilege_role(make_env, pg_url):
    owner_env = make_env(pg_url)  # migrates as the owner, creating bioql_service
    user = owner_env.user(balance="1")
    admin = "host=127.0.0.1 port=5432 dbname=test user=postgres"
    name = f"bioql_app_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN IN ROLE bioql_service")
    try:
        limited_url = pg_url.replace("postgres@", f"{name}@")
        env = make_env(limited_url)  # start-up checks the schema with the limited role
        client = TestClient(env.app)
        response = client.post(
            "/v1/generate",
            json={"prompt": "Bell"},
            headers=bearer(user["api_key"]) | {"Idempotency-Key": "k"},
        )
        assert response.status_code == 200, response.text
        with psycopg.connect(_libpq(limited_url), autocommit=True) as conn:
            for statement in (
                "UPDATE ledger SET amount_nano = 0",
                "DELETE FROM ledger",
                "TRUNCATE ledger CASCADE",
                "DROP TABLE ledger CASCADE",
                "CREATE TABLE evil (x int)",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
        assert verify(owner_env.db).mismatches == [] and owner_env.ledger_count() == 2
        env.db.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{name}'"
            )
            conn.execute(f"DROP ROLE IF EXISTS {name}")


def test_the_least_privilege_role_runs_the_one_statement_reservation_and_charge(make_env, pg_url):
    """Without an Idempotency-Key a request reserves and is charged by ``bioql_reserve`` and
    ``bioql_settle`` (migration 0003), which run with the caller's privileges: the service's
    role may execute them and needs nothing more."""
    owner_env = make_env(pg_url)
    user = owner_env.user(balance="1")
    admin = "host=127.0.0.1 port=5432 dbname=test user=postgres"
    name = f"bioql_app_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN IN ROLE bioql_service")
    try:
        env = make_env(pg_url.replace("postgres@", f"{name}@"))
        assert env.db.lane is not None
        with TestClient(env.app) as client:
            for _ in range(3):
                response = client.post(
                    "/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"])
                )
                assert response.status_code == 200, response.text
        assert verify(owner_env.db).mismatches == [] and owner_env.ledger_count() == 4
        env.db.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{name}'"
            )
            conn.execute(f"DROP ROLE IF EXISTS {name}")
