"""`bioql admin …` on the default SQLite database under BIOQL_HOME (and BIOQL_DATABASE_URL)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bioql.cli import app as cli
from tests.server.conftest import bearer

runner = CliRunner()


def admin(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["admin", *args])
    assert result.exit_code == code, result.output
    return result


def admin_json(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    return json.loads(admin(*args, "--json", code=code).stdout)


def _serve_once(key: str, prompt: str = "Bell") -> dict:
    from bioql.server.app import create_app
    from tests.server.fakes import FakeAssistant

    app = create_app(assistant=FakeAssistant())
    return TestClient(app).post("/v1/generate", json={"prompt": prompt}, headers=bearer(key)).json()


def test_admin_lifecycle_with_json(_isolated_bioql_home, tmp_path):
    created = admin_json("create-user", "--email", "Ada@Example.org", "--balance", "5")
    assert set(created) >= {"user_id", "email", "api_key"}
    assert created["email"] == "ada@example.org" and created["api_key"].startswith("bioql_")
    assert (_isolated_bioql_home / "bioql.db").exists()

    duplicate = admin_json("create-user", "--email", "ada@example.org", code=1)
    assert "already exists" in duplicate["error"]

    key2 = admin_json(
        "create-key", "--email", "ada@example.org", "--name", "ci", "--expires-in-days", "7"
    )
    assert key2["api_key"] != created["api_key"] and key2["expires_at"]

    charged = _serve_once(created["api_key"])
    assert charged["user"]["balance"] < 5

    credit = admin_json(
        "credit", "--email", "ada@example.org", "--amount", "1.25", "--reference", "inv-9"
    )
    again = admin_json(
        "credit", "--email", "ada@example.org", "--amount", "1.25", "--reference", "inv-9"
    )
    assert credit["already_applied"] is False and again["already_applied"] is True
    assert again["balance"] == credit["balance"] == pytest.approx(charged["user"]["balance"] + 1.25)

    users = admin_json("users")
    assert [u["email"] for u in users] == ["ada@example.org"]
    assert {k["prefix"] for k in users[0]["keys"]} == {created["api_key"][6:16], key2["prefix"]}
    assert all(created["api_key"] not in json.dumps(u) for u in users)

    usage = admin_json("usage")
    assert len(usage) == 1 and usage[0]["requests"] == 1
    assert usage[0]["user_cost_usd"] == charged["cost"]["user_cost_usd"]

    assert admin_json("ledger", "--verify") == {"users": 1, "entries": 3, "mismatches": []}
    entries = admin_json("ledger", "--limit", "2")
    assert [e["kind"] for e in entries] == ["credit", "charge"]

    revoked = admin_json("revoke-key", created["api_key"][:16])
    assert revoked["prefix"] == created["api_key"][6:16]
    assert _serve_once(created["api_key"])["detail"].startswith("This API key has been revoked")
    assert admin_json("revoke-key", "nosuchprefix", code=1)["error"].startswith("No API key")

    out = tmp_path / "ledger.csv"
    assert admin_json("export", "--output", str(out)) == {"path": str(out), "rows": 3}
    rows = list(csv.DictReader(out.open()))
    total = sum(Decimal(r["amount_usd"]) for r in rows)
    assert total == Decimal(str(users[0]["balance"])).quantize(Decimal("1e-9"))
    stdout_csv = admin("export").stdout
    first_row = next(csv.DictReader(io.StringIO(stdout_csv)))
    assert first_row["kind"] == "credit"


def test_ledger_verify_exits_1_on_a_mismatch(_isolated_bioql_home):
    from sqlalchemy import text

    from bioql.server.config import default_database_url
    from bioql.server.db import Database

    admin_json("create-user", "--email", "a@b.org", "--balance", "1")
    db = Database(default_database_url())
    with db.write() as session:
        session.execute(text("UPDATE users SET balance_nano = 7"))
    db.dispose()
    report = admin_json("ledger", "--verify", code=1)
    assert len(report["mismatches"]) == 1
    assert (
        "Checked 1 ledger entries for 1 users: 1 mismatches"
        in admin("ledger", "--verify", code=1).stdout
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["create-user", "--email", "not-an-email"], "not an email address"),
        (["create-user", "--email", "x@y.org", "--balance", "ten"], "not a number"),
        (["create-user", "--email", "x@y.org", "--balance", "-1"], "zero or more"),
        (["credit", "--email", "nobody@y.org", "--amount", "1", "--reference", "r"], "No user"),
    ],
)
def test_bad_admin_input_is_a_clear_error_and_changes_nothing(args, fragment):
    assert fragment in admin_json(*args, code=1)["error"]
    assert admin_json("users") == []


def test_admin_uses_bioql_database_url(monkeypatch, pg_url):
    monkeypatch.setenv("BIOQL_DATABASE_URL", pg_url)
    created = admin_json("create-user", "--email", "pg@example.org", "--balance", "3")
    assert admin_json("users")[0]["email"] == "pg@example.org"
    assert _serve_once(created["api_key"])["user"]["email"] == "pg@example.org"
    assert admin_json("ledger", "--verify")["mismatches"] == []
    [day] = admin_json("usage")
    assert day["requests"] == 1 and len(day["day"]) == 10  # YYYY-MM-DD on PostgreSQL too
    assert [row["kind"] for row in admin_json("export")] == ["credit", "charge"]
