"""Every endpoint and status code through the ASGI app, with a fake assistant."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from bioql.server.billing import verify
from tests.server.conftest import bearer
from tests.server.fakes import FakeAssistant

PRICE_PER_SECOND = Decimal("0.000306")


def client(env) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(env.app)


def test_generate_response_has_exactly_the_spec_fields_and_charges_the_balance(env):
    user = env.user(balance="1")
    response = client(env).post(
        "/v1/generate", json={"prompt": "Bell state"}, headers=bearer(user["api_key"])
    )
    assert response.status_code == 200
    body = response.json()
    assert {"code", "reasoning", "model", "timing", "cost", "user"} <= set(body)
    assert set(body["timing"]) == {"total_seconds", "generation_seconds"}
    assert set(body["cost"]) == {
        "base_cost_usd",
        "user_cost_usd",
        "profit_usd",
        "markup_percent",
        "margin_percent",
    }
    assert body["user"]["email"] == "ada@example.org"
    assert "quantum(" in body["code"]
    # 0.5 s at $0.000306/s, +40%: base 153 µ$, price 214.2 µ$, profit 61.2 µ$
    cost = body["cost"]
    assert Decimal(str(cost["base_cost_usd"])) == PRICE_PER_SECOND * Decimal("0.5")
    assert Decimal(str(cost["user_cost_usd"])) == Decimal("0.0002142")
    assert Decimal(str(cost["profit_usd"])) == Decimal("0.0000612")
    assert cost["markup_percent"] == 40.0
    assert cost["margin_percent"] == 28.57
    assert cost["profit_usd"] / cost["user_cost_usd"] == pytest.approx(0.2857, abs=1e-4)
    assert body["user"]["balance"] == pytest.approx(1 - 0.0002142, abs=1e-12)
    assert env.balance_nano(user["user_id"]) == 1_000_000_000 - 214_200
    assert response.headers["X-Request-ID"] == body["request_id"]


def test_seed_compatible_path_takes_the_key_in_the_body(env):
    user = env.user()
    body = {
        "api_key": user["api_key"],
        "prompt": "Create a Bell state",
        "include_reasoning": False,
        "max_length": 200,
        "temperature": 0.1,
    }
    response = client(env).post("/generate", json=body)
    assert response.status_code == 200
    assert response.json()["reasoning"] == ""
    assert response.json()["cost"]["user_cost_usd"] > 0


def test_token_priced_provider_is_charged_per_token(make_env):
    env = make_env(assistant=FakeAssistant(pricing_unit="token", tokens=(1000, 2000)))
    user = env.user()
    cost = (
        client(env)
        .post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"]))
        .json()["cost"]
    )
    # 1000 × $3/M + 2000 × $15/M = $0.033, +40% = $0.0462
    assert cost["base_cost_usd"] == pytest.approx(0.033, abs=1e-12)
    assert cost["user_cost_usd"] == pytest.approx(0.0462, abs=1e-12)


@pytest.mark.parametrize(
    ("headers", "body_key", "fragment"),
    [
        ({}, None, "No API key"),
        ({"Authorization": "Bearer nope"}, None, "start with 'bioql_'"),
        ({"Authorization": "Bearer bioql_" + "x" * 43}, None, "not valid"),
        ({}, "bioql_" + "y" * 43, "not valid"),
    ],
)
def test_missing_or_unknown_key_is_401(env, headers, body_key, fragment):
    env.user()
    body = {"prompt": "Bell"} | ({"api_key": body_key} if body_key else {})
    response = client(env).post("/v1/generate", json=body, headers=headers)
    assert response.status_code == 401
    assert fragment in response.json()["detail"]
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert env.ledger_count() == 1  # only the initial credit


def test_revoked_and_expired_keys_are_401(env):
    from sqlalchemy import update

    from bioql.server.models import ApiKey, utcnow

    user = env.user()
    c = client(env)
    assert (
        c.post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"])).status_code
        == 200
    )
    env.accounts.revoke_key(user["api_key"])
    response = c.post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"]))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]

    other = env.accounts.create_key(user["email"], expires_in_days=30)
    assert c.get("/v1/account", headers=bearer(other["api_key"])).status_code == 200
    with env.db.write() as session:
        session.execute(
            update(ApiKey).where(ApiKey.prefix == other["prefix"]).values(expires_at=utcnow())
        )
    response = c.get("/v1/account", headers=bearer(other["api_key"]))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_balance_below_the_maximum_price_is_402_and_changes_nothing(env):
    user = env.user(balance="0.001")  # the reservation is 30 s × $0.000306 × 1.4 ≈ $0.0129
    response = client(env).post(
        "/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"])
    )
    assert response.status_code == 402
    body = response.json()
    assert "Top up" in body["detail"]
    assert body["available_usd"] == 0.001
    assert body["required_usd"] == pytest.approx(30 * 0.000306 * 1.4)
    assert env.assistant.calls == 0
    assert env.balance_nano(user["user_id"]) == 1_000_000
    assert env.ledger_count() == 1


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{"prompt": "Bell"', "not valid JSON"),
        (b"", "body is missing"),
        (b"[1, 2]", "JSON object"),
        (b'{"prompt": "Bell", "colour": "red"}', "Unknown field 'colour'"),
        (b'{"prompt": 42}', "'prompt' is invalid"),
        (b'{"prompt": "Bell", "temperature": "hot"}', "'temperature' is invalid"),
        (b'{"prompt": "Bell", "include_reasoning": "yes"}', "'include_reasoning' is invalid"),
        (b'{"prompt": "Bell", "max_length": 0}', "'max_length' is invalid"),
        (b'{"prompt": ""}', "'prompt' is invalid"),
        (b'{"temperature": 0.2}', "'prompt' is required"),
    ],
)
def test_bad_input_is_422_with_a_sentence_and_writes_nothing(env, content, fragment):
    user = env.user()
    headers = bearer(user["api_key"]) | {"Content-Type": "application/json"}
    response = client(env).post("/v1/generate", content=content, headers=headers)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and fragment in detail and detail.endswith(".")
    assert env.assistant.calls == 0
    assert env.ledger_count() == 1
    assert env.balance_nano(user["user_id"]) == 1_000_000_000


def test_prompt_over_the_limit_is_413(make_env):
    env = make_env(max_prompt_chars=100)
    user = env.user()
    c = client(env)
    response = c.post("/v1/generate", json={"prompt": "x" * 101}, headers=bearer(user["api_key"]))
    assert response.status_code == 413
    assert "101 characters; the limit is 100" in response.json()["detail"]
    assert (
        c.post(
            "/v1/generate", json={"prompt": "x" * 100}, headers=bearer(user["api_key"])
        ).status_code
        == 200
    )
    huge = json.dumps({"prompt": "x" * 2_000_000})
    response = c.post(
        "/v1/generate",
        content=huge,
        headers=bearer(user["api_key"]) | {"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert env.assistant.calls == 1


def test_rate_limit_is_429_with_retry_after(make_env):
    env = make_env(rate_limit_per_minute=6, rate_limit_burst=2)
    user = env.user()
    c = client(env)
    statuses = [c.get("/v1/account", headers=bearer(user["api_key"])).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = c.post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"]))
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 10
    assert "per minute" in response.json()["detail"]
    other = env.user("bob@example.org")  # another key has its own bucket
    assert c.get("/v1/account", headers=bearer(other["api_key"])).status_code == 200


@pytest.mark.parametrize("mode", ["raise", "refuse"])
def test_failed_generation_is_not_charged_and_releases_the_reservation(make_env, mode):
    env = make_env(assistant=FakeAssistant(mode=mode))
    user = env.user(balance="0.02")
    c = client(env)
    response = c.post(
        "/v1/generate",
        json={"prompt": "Bell"},
        headers=bearer(user["api_key"]) | {"Idempotency-Key": "k1"},
    )
    assert response.status_code == (503 if mode == "raise" else 422)
    assert "not charged" in response.json()["detail"]
    assert env.balance_nano(user["user_id"]) == 20_000_000
    assert env.accounts.billing.available(user["user_id"]) == 20_000_000  # hold released
    assert env.ledger_count() == 1
    # the idempotency key was not consumed by the failure: a retry runs again
    env.assistant.mode = "ok"
    retry = c.post(
        "/v1/generate",
        json={"prompt": "Bell"},
        headers=bearer(user["api_key"]) | {"Idempotency-Key": "k1"},
    )
    assert retry.status_code == 200


def test_idempotent_retry_returns_the_first_response_and_charges_once(env):
    user = env.user()
    c = client(env)
    headers = bearer(user["api_key"]) | {"Idempotency-Key": "order-1"}
    first = c.post("/v1/generate", json={"prompt": "Bell"}, headers=headers)
    second = c.post("/v1/generate", json={"prompt": "Bell"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert env.assistant.calls == 1
    assert env.ledger_count() == 2
    assert env.balance_nano(user["user_id"]) == 1_000_000_000 - 214_200
    # the same key for a different request is refused, not replayed
    other = c.post("/v1/generate", json={"prompt": "GHZ"}, headers=headers)
    assert other.status_code == 409
    assert "different request" in other.json()["detail"]
    # keys are per user
    bob = env.user("bob@example.org")
    assert (
        c.post(
            "/v1/generate",
            json={"prompt": "Bell"},
            headers=bearer(bob["api_key"]) | {"Idempotency-Key": "order-1"},
        ).status_code
        == 200
    )


def test_fix_complete_account_health_metrics_docs_playground(env):
    user = env.user()
    c = client(env)
    key = bearer(user["api_key"])
    fixed = c.post("/v1/fix", json={"code": "quantom('Bell')"}, headers=key)
    assert fixed.status_code == 200
    assert fixed.json()["code"] == "quantum('Bell')"
    assert fixed.json()["changes"] == ["Renamed quantom."]
    assert fixed.json()["cost"]["user_cost_usd"] >= 0

    completion = c.post("/v1/complete", json={"prefix": "quantum(", "suffix": ""}, headers=key)
    assert completion.status_code == 200
    assert completion.json()["insertion"] == '"Create a Bell state")'

    account = c.get("/v1/account", headers=key).json()
    assert account["email"] == user["email"]
    kinds = [t["kind"] for t in account["transactions"]]
    assert kinds == ["charge", "charge", "credit"]
    assert Decimal(account["transactions"][0]["balance_after_usd"]) == Decimal(
        str(account["balance"])
    )
    assert account["pricing"]["margin_percent"] == 28.57

    health = c.get("/health")
    assert health.status_code == 200
    assert health.json()["database"]["ok"] and health.json()["assistant"]["model"] == "fake-model"

    metrics = TestClient(env.app, client=("127.0.0.1", 5000)).get("/metrics").text
    assert 'bioql_http_requests_total{method="POST",route="/v1/fix",status="200"} 1.0' in metrics
    assert 'bioql_charges_total{endpoint="complete"} 1.0' in metrics
    assert 'bioql_tokens_total{direction="in"}' in metrics

    assert c.get("/docs").status_code == 200
    paths = c.get("/openapi.json").json()["paths"]
    assert {
        "/v1/generate",
        "/generate",
        "/v1/fix",
        "/v1/complete",
        "/v1/account",
        "/health",
    } <= set(paths)
    page = c.get("/")
    assert page.status_code == 200 and "BioQL playground" in page.text
    assert c.get("/static/app.js").status_code == 200


def test_metrics_count_errors_by_code(env):
    c = client(env)
    c.post("/v1/generate", json={"prompt": "Bell"})
    c.post("/v1/generate", json={"prompt": 1}, headers=bearer(env.user()["api_key"]))
    metrics = TestClient(env.app, client=("127.0.0.1", 5000)).get("/metrics").text
    assert 'bioql_http_errors_total{status="401"} 1.0' in metrics
    assert 'bioql_http_errors_total{status="422"} 1.0' in metrics


def test_no_key_or_prompt_in_the_logs(env, caplog):
    user = env.user()
    secret_prompt = "my-unpublished-target-sequence-XYZ"
    with caplog.at_level("DEBUG"):
        client(env).post(
            "/v1/generate", json={"prompt": secret_prompt}, headers=bearer(user["api_key"])
        )
        client(env).post(
            "/generate", json={"prompt": secret_prompt, "api_key": user["api_key"], "x": 1}
        )
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/v1/generate 200" in text
    assert user["api_key"] not in text and secret_prompt not in text


def test_ledger_verifies_after_traffic(env):
    user = env.user()
    c = client(env)
    for i in range(5):
        c.post("/v1/generate", json={"prompt": f"Bell {i}"}, headers=bearer(user["api_key"]))
    report = verify(env.db)
    assert report.mismatches == [] and report.entries == 6


def test_a_charge_that_cannot_be_recorded_is_503_and_not_charged(env, monkeypatch):
    user = env.user()
    billing = env.app.state.service.billing

    def broken_settlement(session):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    # The settlement's write operation fails inside the database transaction.
    monkeypatch.setattr(billing, "settle_op", lambda *args, **kwargs: broken_settlement)
    response = client(env).post(
        "/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"])
    )
    assert response.status_code == 503 and "nothing was charged" in response.json()["detail"]
    assert billing.available(user["user_id"]) == env.balance_nano(user["user_id"]) == 10**9


def test_a_body_not_sent_as_json_is_422_saying_so(env):
    user = env.user()
    response = client(env).post(
        "/v1/generate",
        content=b'{"prompt": "Bell"}',
        headers=bearer(user["api_key"]) | {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert "Content-Type: application/json" in response.json()["detail"]
    assert env.assistant.calls == 0


def test_a_template_answer_reserves_its_two_second_deadline_not_thirty(make_env):
    from bioql.assistant.api import get_assistant

    env = make_env(assistant=get_assistant("template"))
    # $0.001 is below a 30-second reservation ($0.012852) but above 2 seconds' ($0.0008568)
    user = env.user(balance="0.001")
    response = client(env).post(
        "/v1/generate", json={"prompt": "Create a Bell state"}, headers=bearer(user["api_key"])
    )
    assert response.status_code == 200, response.text
    assert response.json()["cost"]["user_cost_usd"] < 0.0008568
    poor = env.user("bob@example.org", balance="0.0008")
    refused = client(env).post(
        "/v1/generate", json={"prompt": "Create a Bell state"}, headers=bearer(poor["api_key"])
    )
    assert refused.status_code == 402
    assert refused.json()["required_usd"] == pytest.approx(2 * 0.000306 * 1.4)


def test_http_answers_have_the_cli_shape_and_say_how_the_request_was_read(make_env):
    from bioql.assistant.api import get_assistant

    assistant = get_assistant("template")
    env = make_env(assistant=assistant)
    user = env.user()
    prompt = "Create a Bell state and measure it 1000 times"
    body = (
        client(env)
        .post("/v1/generate", json={"prompt": prompt}, headers=bearer(user["api_key"]))
        .json()
    )
    cli = assistant.generate(prompt).to_dict()  # what `bioql generate --json` prints
    assert set(body) - {"cost", "user", "request_id"} == set(cli)
    assert body["interpreted_as"] == cli["interpreted_as"] and body["interpreted_as"]
    assert body["code"] == cli["code"]
