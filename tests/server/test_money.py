"""Money under concurrency, on SQLite and on the real PostgreSQL: no double spend, no negative
balance, charged once per Idempotency-Key, ledger re-derives every balance."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bioql.server.billing import Cost, InsufficientFunds, Usage, max_price, price, verify
from bioql.server.config import Pricing
from tests.server.conftest import bearer
from tests.server.fakes import FakeAssistant


async def _burst(app, requests: list[tuple[str, dict, dict]]) -> list[httpx.Response]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as c:
        return await asyncio.gather(
            *(c.post(path, json=body, headers=h) for path, body, h in requests)
        )


def _rich_enough_for(env, n: int) -> str:  # type: ignore[no-untyped-def]
    """A balance (USD) that pays for exactly ``n`` requests at the maximum price."""
    hold = max_price(
        "second",
        env.settings.pricing,
        max_seconds=env.settings.max_charge_seconds,
        prompt_bytes=0,
        max_output_tokens=0,
    )
    return str(n * hold.user_nano / 10**9)


def test_forty_concurrent_requests_from_a_user_who_can_afford_five(make_env, db_url):
    # each request really costs its maximum price, so "can afford 5" is exact
    fake = FakeAssistant(seconds=30.0, delay=0.2)
    env = make_env(db_url, assistant=fake, rate_limit_per_minute=10_000, rate_limit_burst=10_000)
    user = env.user(balance=_rich_enough_for(env, 5))
    requests = [
        ("/v1/generate", {"prompt": f"Bell {i}"}, bearer(user["api_key"])) for i in range(40)
    ]
    responses = asyncio.run(_burst(env.app, requests))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 5, 402: 35}
    assert env.balance_nano(user["user_id"]) == 0
    assert fake.calls == 5
    balances = sorted(r.json()["user"]["balance"] for r in responses if r.status_code == 200)
    assert balances[0] == 0.0 and len(set(balances)) == 5
    report = verify(env.db)
    assert report.mismatches == [] and report.entries == 6


def test_concurrent_retries_with_one_idempotency_key_are_charged_once(make_env, db_url):
    fake = FakeAssistant(seconds=1.0, delay=0.3)
    env = make_env(db_url, assistant=fake, rate_limit_per_minute=10_000, rate_limit_burst=10_000)
    user = env.user(balance="1")
    headers = bearer(user["api_key"]) | {"Idempotency-Key": "same"}
    responses = asyncio.run(_burst(env.app, [("/v1/generate", {"prompt": "Bell"}, headers)] * 8))
    statuses = Counter(r.status_code for r in responses)
    # one runs; the others either wait it out (replay) or are told it is still running
    assert statuses[200] >= 1 and set(statuses) <= {200, 409}
    assert fake.calls == 1
    assert len({r.json()["request_id"] for r in responses if r.status_code == 200}) == 1
    again = asyncio.run(_burst(env.app, [("/v1/generate", {"prompt": "Bell"}, headers)]))[0]
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert env.ledger_count() == 2
    assert verify(env.db).mismatches == []


def test_balances_and_keys_persist_across_a_restart(make_env, db_url):
    first = make_env(db_url)
    user = first.user(balance="1")
    response = asyncio.run(
        _burst(
            first.app,
            [
                (
                    "/v1/generate",
                    {"prompt": "Bell"},
                    bearer(user["api_key"]) | {"Idempotency-Key": "p"},
                )
            ],
        )
    )[0]
    assert response.status_code == 200
    balance = response.json()["user"]["balance"]
    first.db.dispose()

    second = make_env(db_url)  # a new process would do exactly this: new engine, migrate, serve
    replay = asyncio.run(
        _burst(
            second.app,
            [
                (
                    "/v1/generate",
                    {"prompt": "Bell"},
                    bearer(user["api_key"]) | {"Idempotency-Key": "p"},
                )
            ],
        )
    )[0]
    assert replay.json() == response.json()
    assert second.balance_nano(user["user_id"]) == round(balance * 10**9)
    assert second.assistant.calls == 0
    assert verify(second.db).mismatches == []


def test_ledger_is_append_only_and_verify_finds_tampering(make_env, db_url):
    env = make_env(db_url)
    user = env.user(balance="1")
    asyncio.run(_burst(env.app, [("/v1/generate", {"prompt": "Bell"}, bearer(user["api_key"]))]))
    with pytest.raises(DBAPIError, match="append-only"), env.db.write() as session:
        session.execute(text("UPDATE ledger SET amount_nano = 0"))
    with pytest.raises(DBAPIError, match="append-only"), env.db.write() as session:
        session.execute(text("DELETE FROM ledger"))
    assert verify(env.db).mismatches == []
    with env.db.write() as session:  # someone edits a balance behind the ledger's back
        session.execute(text("UPDATE users SET balance_nano = balance_nano + 5"))
    problems = verify(env.db).mismatches
    assert len(problems) == 1 and "ledger sums to" in problems[0]["problem"]


def test_negative_balance_is_refused_by_the_database(make_env, db_url):
    env = make_env(db_url)
    user = env.user(balance="0")
    with pytest.raises(DBAPIError), env.db.write() as session:
        session.execute(
            text("UPDATE users SET balance_nano = -1 WHERE id = :id"), {"id": user["user_id"]}
        )


def test_credit_is_idempotent_per_reference(make_env, db_url):
    env = make_env(db_url)
    user = env.user(balance="0")
    first = env.accounts.credit(user["email"], "2.50", "stripe-pi-1")
    again = env.accounts.credit(user["email"], "2.50", "stripe-pi-1")
    assert first["already_applied"] is False and again["already_applied"] is True
    assert env.balance_nano(user["user_id"]) == 2_500_000_000
    from bioql.server.billing import IdempotencyConflict

    with pytest.raises(IdempotencyConflict):
        env.accounts.credit(user["email"], "3", "stripe-pi-1")


def test_prices_are_exact_integers_and_markup_is_not_margin():
    pricing = Pricing(markup_percent=pricing_markup())
    cost = price(Usage(seconds=5.319), "second", pricing)
    assert cost.base_nano == 1_627_614  # 5.319 s × $0.000306
    assert cost.user_nano == 2_278_660  # × 1.4
    assert cost.profit_nano == cost.user_nano - cost.base_nano
    out = cost.to_dict(pricing)
    assert out["markup_percent"] == 40.0 and out["margin_percent"] == 28.57
    capped = Cost(base_nano=1000, user_nano=1400).capped(700)
    assert capped.user_nano == 700 and capped.base_nano + capped.profit_nano == 700


def pricing_markup():  # type: ignore[no-untyped-def]
    from decimal import Decimal

    return Decimal("40")


def test_a_reservation_abandoned_by_a_crashed_process_is_freed_after_its_lease(make_env, db_url):
    env = make_env(db_url)
    user = env.user(balance="0.000001")  # 1000 nano-dollars
    billing = env.accounts.billing
    assert billing.reserve(user["user_id"], "crashed", 1000, lease_seconds=0.2) is None
    with pytest.raises(InsufficientFunds):
        billing.reserve(user["user_id"], "next", 1000)
    time.sleep(0.3)  # the crashed request's deadline (and grace) passed
    assert billing.reserve(user["user_id"], "next", 1000) is None
    # the crashed request's late settlement can only take what is still free: nothing
    charged, _ = billing.settle(
        user["user_id"],
        "crashed",
        Cost(500, 700),
        endpoint="generate",
        model="m",
        usage=Usage(1.0),
        respond=lambda c, b: {},
    )
    assert charged.user_nano == 0
    charged, _ = billing.settle(
        user["user_id"],
        "next",
        Cost(500, 700),
        endpoint="generate",
        model="m",
        usage=Usage(1.0),
        respond=lambda c, b: {},
    )
    assert charged.user_nano == 700 and env.balance_nano(user["user_id"]) == 300
    assert verify(env.db).mismatches == []


def test_the_sweeper_frees_holds_of_dead_processes_at_once_and_their_idempotency_keys(
    make_env, db_url
):
    from bioql.server.billing import IdempotencyKey
    from bioql.server.recovery import owner_alive, process_identity

    env = make_env(db_url)
    user = env.user(balance="0.000002")
    billing = env.accounts.billing
    host = process_identity().rsplit(":", 2)[0]
    dead = f"{host}:999999999:12345"  # no such pid on this host
    key = IdempotencyKey("order-7", "hash")
    billing.reserve(user["user_id"], "dead", 1000, key, lease_seconds=3600, owner=dead)
    billing.reserve(user["user_id"], "alive", 1000, lease_seconds=3600, owner=process_identity())
    assert billing.available(user["user_id"]) == 0
    report = billing.sweep(owner_alive)
    assert (report.holds, report.idempotency_records) == (1, 1)
    assert billing.available(user["user_id"]) == 1000  # the live request keeps its hold
    # the dead request's key is free again: a retry reserves instead of answering 409
    assert billing.reserve(user["user_id"], "retry", 1000, key) is None


def test_idempotency_records_expire_after_their_ttl(make_env, db_url):
    from bioql.server.billing import Billing, IdempotencyKey

    env = make_env(db_url)
    user = env.user(balance="0.001")
    billing = Billing(env.db, env.settings.pricing, idempotency_ttl_seconds=1)
    key = IdempotencyKey("k", "hash")
    billing.reserve(user["user_id"], "first", 10, key)
    billing.settle(
        user["user_id"],
        "first",
        Cost(5, 7),
        endpoint="generate",
        model="m",
        usage=Usage(0.1),
        respond=lambda c, b: {"answer": 1},
        idempotent=True,
    )
    assert billing.reserve(user["user_id"], "again", 10, key).body == {"answer": 1}
    time.sleep(1.2)
    assert billing.reserve(user["user_id"], "later", 10, key) is None  # a new request now
    billing.release(user["user_id"], "later")
    billing.reserve(user["user_id"], "other", 10, IdempotencyKey("k2", "h"))
    billing.settle(
        user["user_id"],
        "other",
        Cost(5, 7),
        endpoint="generate",
        model="m",
        usage=Usage(0.1),
        respond=lambda c, b: {},
        idempotent=True,
    )
    time.sleep(1.2)
    assert billing.sweep(lambda owner: True).idempotency_records == 1  # k2's expired answer


def test_group_commit_isolates_a_failing_operation_from_the_others_in_its_batch(make_env, db_url):
    from concurrent.futures import ThreadPoolExecutor

    env = make_env(db_url)
    user = env.user(balance="0.000005")  # 5000 nano-dollars: room for five holds of 1000
    billing = env.accounts.billing

    def reserve(i: int) -> str:
        try:
            billing.reserve(user["user_id"], f"r{i}", 1000)
            return "held"
        except InsufficientFunds:
            return "refused"

    with ThreadPoolExecutor(16) as pool:
        outcomes = Counter(pool.map(reserve, range(16)))
    assert outcomes == {"held": 5, "refused": 11}
    assert billing.available(user["user_id"]) == 0
    for i in range(16):
        billing.release(user["user_id"], f"r{i}")
    assert billing.available(user["user_id"]) == 5000


def test_sixty_concurrent_paid_requests_are_each_charged_once_and_exactly(make_env, db_url):
    """The billing path under load: reservations and charges of concurrent requests share
    commits (SQLite) or run in parallel transactions (PostgreSQL); every charge is exact."""
    fake = FakeAssistant(seconds=0.0137, delay=0.01)
    env = make_env(db_url, assistant=fake, rate_limit_per_minute=10_000, rate_limit_burst=10_000)
    user = env.user(balance="1")
    start = env.balance_nano(user["user_id"])
    requests = [
        ("/v1/generate", {"prompt": f"Bell {i}"}, bearer(user["api_key"])) for i in range(60)
    ]
    responses = asyncio.run(_burst(env.app, requests))
    assert Counter(r.status_code for r in responses) == {200: 60}
    each = price(Usage(seconds=0.0137), "second", env.settings.pricing).user_nano
    assert env.balance_nano(user["user_id"]) == start - 60 * each
    assert env.accounts.billing.available(user["user_id"]) == start - 60 * each  # no holds
    # every answer saw its own charge: 60 different balances, one per request id
    assert len({r.json()["user"]["balance"] for r in responses}) == 60
    assert len({r.json()["request_id"] for r in responses}) == 60
    report = verify(env.db)
    assert report.mismatches == [] and report.entries == 61


def test_reservations_and_charges_from_the_event_loop_match_on_both_databases(make_env, db_url):
    """Without an Idempotency-Key, PostgreSQL reserves and charges in one statement each
    (``bioql_reserve``, ``bioql_settle``, sent from the event loop); SQLite runs the Python
    statements. An expired hold, a cost above its hold and a revoked key give the same
    amounts and refusals on both, and the ledger re-derives every balance."""
    from datetime import timedelta

    from sqlalchemy import update

    from bioql.server.billing import KeyRevoked
    from bioql.server.models import ApiKey, utcnow

    env = make_env(db_url)
    assert (env.db.lane is not None) == db_url.startswith("postgresql")
    billing = env.accounts.billing
    user = env.user(balance="0.000001")  # 1000 nano-dollars
    uid = user["user_id"]

    def settle(request_id: str, cost: Cost):  # type: ignore[no-untyped-def]
        return billing.settle_async(
            uid,
            request_id,
            cost,
            endpoint="generate",
            model="m",
            usage=Usage(1.0),
            respond=lambda charged, balance: {"balance": balance},
        )

    async def scenario() -> None:
        # A hold whose lease ended is dropped by the next reservation; its late settlement
        # can only take what is still free.
        assert await billing.reserve_async(uid, "crashed", 1000, lease_seconds=0.2) is None
        with pytest.raises(InsufficientFunds) as refused:
            await billing.reserve_async(uid, "next", 1000)
        assert refused.value.available_nano == 0
        await asyncio.sleep(0.3)
        assert await billing.reserve_async(uid, "next", 1000) is None
        charged, body = await settle("crashed", Cost(500, 700))
        assert charged.user_nano == 0 and body == {"balance": 1000}
        # A cost above its hold is scaled down to it, base and profit alike (Cost.capped).
        charged, body = await settle("next", Cost(1000, 1400))
        assert charged == Cost(1000, 1400).capped(1000) == Cost(714, 1000)
        assert body == {"balance": 0}
        billing.credit(uid, 1000, "top-up")
        assert await billing.reserve_async(uid, "cheap", 300) is None
        charged, body = await settle("cheap", Cost(100, 140))
        assert charged == Cost(100, 140) and body == {"balance": 860}
        assert billing.available(uid) == 860
        # The key is checked in the reservation's transaction.
        key_id = _key_id(env, uid)
        assert await billing.reserve_async(uid, "k1", 10, key_id=key_id) is None
        with env.db.write() as session:
            session.execute(
                update(ApiKey)
                .where(ApiKey.id == key_id)
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
        with pytest.raises(KeyRevoked, match="expired"):
            await billing.reserve_async(uid, "k2", 10, key_id=key_id)
        with env.db.write() as session:
            session.execute(update(ApiKey).where(ApiKey.id == key_id).values(revoked_at=utcnow()))
        with pytest.raises(KeyRevoked, match="revoked"):
            await billing.reserve_async(uid, "k3", 10, key_id=key_id)
        with pytest.raises(KeyRevoked, match="revoked"):
            await billing.reserve_async(uid + 1, "k4", 10, key_id=key_id)  # not this user's
        await billing.release_async(uid, "k1")

    asyncio.run(scenario())
    assert billing.available(uid) == env.balance_nano(uid) == 860
    report = verify(env.db)
    assert report.mismatches == [] and report.entries == 5  # two credits, three charges


def _key_id(env, user_id: int) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from bioql.server.models import ApiKey

    with env.db.read() as session:
        return session.scalar(select(ApiKey.id).where(ApiKey.user_id == user_id))  # type: ignore[return-value]


@pytest.mark.postgres
def test_connections_the_server_closed_are_replaced_without_an_error(make_env, pg_url):
    """No query checks a pooled connection before use (that was two round trips a request):
    an idle connection the server closed (a restart, an administrator) has something to read,
    and is replaced when it is taken, in SQLAlchemy's pool and in the event loop's."""
    import psycopg
    from fastapi.testclient import TestClient

    env = make_env(pg_url)
    user = env.user()
    admin = "host=127.0.0.1 port=5432 dbname=test user=postgres"
    database = pg_url.rsplit("/", 1)[1]
    with TestClient(env.app) as client:
        for _ in range(2):
            generated = client.post(
                "/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"])
            )
            assert generated.status_code == 200, generated.text
            assert client.get("/v1/account", headers=bearer(user["api_key"])).status_code == 200
            with psycopg.connect(admin, autocommit=True) as conn:
                killed = conn.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s",
                    (database,),
                ).fetchone()
            assert killed is not None and killed[0] >= 2
            time.sleep(0.3)  # the server's goodbye reaches the sockets
    assert verify(env.db).mismatches == [] and env.ledger_count() == 3


def test_a_charge_refused_midway_in_a_shared_commit_leaves_nothing_behind(make_env, db_url):
    """In a group commit each operation has its own savepoint (SQLite's hot path takes it on
    the sqlite3 connection itself): a charge whose ledger entry is refused after it lowered
    the balance (a second settlement of one request) leaves neither, and the charge committed
    with it stays exact."""
    from bioql.server.db import WriteBatcher, _Operation

    env = make_env(db_url)
    user = env.user(balance="0.00001")  # 10,000 nano-dollars
    uid = user["user_id"]
    billing = env.accounts.billing

    def settle_op(request_id: str):  # type: ignore[no-untyped-def]
        return billing.settle_op(
            uid,
            request_id,
            Cost(500, 700),
            endpoint="generate",
            model="m",
            usage=Usage(1.0),
            respond=lambda charged, balance: balance,
        )

    billing.reserve(uid, "first", 1000)
    assert (
        billing.settle(
            uid,
            "first",
            Cost(500, 700),
            endpoint="generate",
            model="m",
            usage=Usage(1.0),
            respond=lambda charged, balance: balance,
        )[1]
        == 9300
    )
    billing.reserve(uid, "second", 1000)
    again, second = _Operation(settle_op("first")), _Operation(settle_op("second"))
    batcher = WriteBatcher(env.db)
    try:
        batcher._commit([again, second])  # one transaction, as concurrent requests share it
    finally:
        batcher.stop()
    assert again.error is not None and "UNIQUE" in str(again.error).upper()
    assert second.error is None and second.result[1] == 8600
    assert env.balance_nano(uid) == billing.available(uid) == 8600
    report = verify(env.db)
    assert report.mismatches == [] and report.entries == 3


@pytest.mark.postgres
def test_the_one_statement_event_loop_path_can_be_turned_off(pg_url, monkeypatch):
    """``BIOQL_PG_EVENT_LOOP=0``: the same billing as several statements from a thread."""
    from fastapi.testclient import TestClient

    from bioql.server.accounts import Accounts
    from bioql.server.app import create_app
    from bioql.server.config import load_settings

    monkeypatch.setenv("BIOQL_PG_EVENT_LOOP", "0")
    settings = load_settings().with_(database_url=pg_url)
    assert settings.pg_event_loop is False
    app = create_app(settings, assistant=FakeAssistant())
    db = app.state.service.db
    try:
        assert db.lane is None
        user = Accounts(db, settings).create_user("ada@example.org", "1")
        with TestClient(app) as client:
            response = client.post(
                "/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"])
            )
        assert response.status_code == 200, response.text
        assert verify(db).mismatches == []
    finally:
        app.state.service.close()
        db.dispose()
