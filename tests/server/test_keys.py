"""API keys: format, stored only as a keyed hash, found by prefix."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from bioql.server.auth import hash_key, new_key, public_prefix
from bioql.server.models import ApiKey
from tests.server.conftest import bearer


def test_keys_are_bioql_plus_43_url_safe_random_characters():
    keys = {new_key() for _ in range(200)}
    assert len(keys) == 200
    for key in keys:
        assert re.fullmatch(r"bioql_[A-Za-z0-9_-]{43}", key)


def test_database_holds_no_plaintext_key_only_an_hmac(env, tmp_path):
    user = env.user()
    extra = env.accounts.create_key(user["email"], name="laptop")
    secret_parts = [user["api_key"], extra["api_key"], user["api_key"][16:], extra["api_key"][16:]]
    dumped = []
    with env.db.read() as session:
        for table in inspect(env.db.engine).get_table_names():
            dumped += [repr(row) for row in session.execute(text(f"SELECT * FROM {table}"))]
        rows = session.scalars(select(ApiKey)).all()
    blob = "\n".join(dumped)
    for part in secret_parts:
        assert part not in blob
    # the SQLite file itself, and its write-ahead log
    raw = Path(env.db.engine.url.database).read_bytes()
    wal = tmp_path / "bioql.db-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    for part in secret_parts:
        assert part.encode() not in raw
    stored = {row.prefix: row.key_hash for row in rows}
    assert stored[public_prefix(user["api_key"])] == hash_key(user["api_key"], env.settings.secret)
    assert len(public_prefix(user["api_key"])) == 10


def test_keys_stop_working_when_the_server_secret_changes(make_env):
    env = make_env()
    user = env.user()
    assert (
        TestClient(env.app).get("/v1/account", headers=bearer(user["api_key"])).status_code == 200
    )
    other = make_env(secret=b"another-secret")
    response = TestClient(other.app).get("/v1/account", headers=bearer(user["api_key"]))
    assert response.status_code == 401


def test_server_secret_is_kept_private_under_bioql_home(_isolated_bioql_home, monkeypatch):
    from bioql.server.config import server_secret

    monkeypatch.delenv("BIOQL_SERVER_SECRET", raising=False)
    first = server_secret()
    assert server_secret() == first and len(first) == 64
    path = _isolated_bioql_home / "server_secret"
    assert path.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("BIOQL_SERVER_SECRET", "from-the-environment")
    assert server_secret() == b"from-the-environment"
