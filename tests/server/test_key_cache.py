"""The short-lived key cache: a busy key is not looked up on every request, yet a revoked key is
refused at once by billed routes (their reservation re-checks it) and by the routes without a
reservation (they look it up each time), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from bioql.server.auth import KeyCache, Principal
from bioql.server.models import utcnow
from tests.server.conftest import bearer
from tests.server.fakes import FakeAssistant


def _counting_lookups(env, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    service = env.app.state.service
    lookups: list[int] = []
    real = service.authenticate

    def counted(key):  # type: ignore[no-untyped-def]
        lookups.append(1)
        return real(key)

    monkeypatch.setattr(service, "authenticate", counted)
    return lookups


def test_a_cached_key_revoked_elsewhere_is_refused_before_any_work(make_env, db_url):
    fake = FakeAssistant()
    env = make_env(db_url, assistant=fake, rate_limit_per_minute=10_000, rate_limit_burst=10_000)
    user = env.user()
    c = TestClient(env.app)
    ok = c.post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"]))
    assert ok.status_code == 200  # the key is now cached
    balance, entries, calls = env.balance_nano(user["user_id"]), env.ledger_count(), fake.calls

    env.accounts.revoke_key(user["api_key"])  # as `bioql admin revoke-key` does, elsewhere
    for path, body in [("/v1/generate", {"prompt": "Bell"}), ("/v1/complete", {"prefix": "q"})]:
        refused = c.post(path, json=body, headers=bearer(user["api_key"]))
        assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
        assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert c.get("/v1/account", headers=bearer(user["api_key"])).status_code == 401
    run = c.post("/v1/run", json={"code": "print(1)"}, headers=bearer(user["api_key"]))
    assert run.status_code == 401
    assert fake.calls == calls  # no work was done for the revoked key
    assert env.balance_nano(user["user_id"]) == balance and env.ledger_count() == entries
    assert env.accounts.billing.available(user["user_id"]) == balance  # no hold left behind


def test_a_busy_key_is_looked_up_once_per_ttl_and_a_wrong_key_never_hits_the_cache(
    make_env, monkeypatch
):
    env = make_env(rate_limit_per_minute=10_000, rate_limit_burst=10_000)
    lookups = _counting_lookups(env, monkeypatch)
    user = env.user()
    c = TestClient(env.app)
    for _ in range(5):
        r = c.post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"]))
        assert r.status_code == 200
    assert len(lookups) == 1
    # same public prefix, different secret part: looked up, and refused
    wrong = user["api_key"][:-4] + ("AAAA" if not user["api_key"].endswith("AAAA") else "BBBB")
    r = c.post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(wrong))
    assert r.status_code == 401 and len(lookups) == 2
    assert env.ledger_count() == 6  # the credit and five charges


def test_with_the_cache_off_every_request_looks_the_key_up(make_env, monkeypatch):
    env = make_env(rate_limit_per_minute=10_000, rate_limit_burst=10_000, key_cache_seconds=0)
    lookups = _counting_lookups(env, monkeypatch)
    user = env.user()
    c = TestClient(env.app)
    for _ in range(3):
        c.post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"]))
    assert len(lookups) == 3


def test_a_cached_principal_is_dropped_at_its_ttl_and_at_the_keys_own_expiry(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("bioql.server.auth.time.monotonic", lambda: clock[0])
    cache = KeyCache(b"secret", ttl=5)
    key, other = "bioql_" + "a" * 43, "bioql_" + "b" * 43
    cache.put(key, Principal(1, "a@example.org", 7, "aaaaaaaaaa"))
    soon = utcnow() + timedelta(seconds=1)
    cache.put(other, Principal(2, "b@example.org", 8, "bbbbbbbbbb", expires_at=soon))
    assert cache.get(key) is not None and cache.get(other) is not None
    assert cache.get("bioql_" + "c" * 43) is None
    clock[0] += 4.9
    assert cache.get(key) is not None
    clock[0] += 0.2
    assert cache.get(key) is None  # past the TTL
    cache.put(other, Principal(2, "b@example.org", 8, "bbbbbbbbbb", expires_at=utcnow()))
    assert cache.get(other) is None  # the key itself has expired
    cache.put(key, Principal(1, "a@example.org", 7, "aaaaaaaaaa"))
    cache.forget(7)
    assert cache.get(key) is None
