"""``bioql admin …``: users, API keys, credits and the ledger of the service's database.

Works on the database named by ``BIOQL_DATABASE_URL`` (default: the SQLite file under
``BIOQL_HOME``), migrating it first when needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from bioql.cli.common import console, print_json, user_errors

admin = typer.Typer(
    help="Manage the service's users, API keys, credits and ledger.", no_args_is_help=True
)
JsonOpt = typer.Option(False, "--json", help="Machine-readable output.")


def register(app: typer.Typer) -> None:
    app.add_typer(admin, name="admin")


@contextmanager
def admin_errors(as_json: bool) -> Iterator[None]:
    """Errors as one sentence (or JSON ``error``) and exit status 1, database trouble included."""
    from sqlalchemy.exc import SQLAlchemyError

    from bioql.errors import BioQLError
    from bioql.server.db import DatabaseBusy, DatabaseUnavailable

    with user_errors(as_json):
        try:
            yield
        except DatabaseBusy:
            raise BioQLError(
                "The database is busy (another process holds a lock); try again in a few seconds."
            ) from None
        except (DatabaseUnavailable, SQLAlchemyError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise BioQLError(
                f"The database refused the command ({reason}); check BIOQL_DATABASE_URL and "
                "that the database is running."
            ) from None


def _accounts() -> Any:
    from bioql.server.accounts import Accounts
    from bioql.server.config import load_settings
    from bioql.server.db import Database

    settings = load_settings()
    db = Database(settings.database_url)
    db.upgrade()
    return Accounts(db, settings)


def _table(rows: list[dict], columns: list[str], title: str) -> None:
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    console.print(table)


@admin.command("create-user")
def create_user(
    email: str = typer.Option(..., "--email", help="The user's email (their login name)."),
    balance: str = typer.Option("0", "--balance", help="Initial balance in USD."),
    as_json: bool = JsonOpt,
) -> None:
    """Create a user with an initial balance; prints their API key once."""
    with admin_errors(as_json):
        result = _accounts().create_user(email, balance)
    if as_json:
        print_json(result)
        return
    console.print(f"Created user {result['user_id']} {result['email']} with ${result['balance']}.")
    console.print(f"API key (shown only now): [bold green]{result['api_key']}[/]")


@admin.command("create-key")
def create_key(
    email: str = typer.Option(..., "--email"),
    name: str = typer.Option("", "--name", help="A label, e.g. 'laptop'."),
    expires_in_days: int | None = typer.Option(None, "--expires-in-days", help="Expiry."),
    as_json: bool = JsonOpt,
) -> None:
    """Issue another API key for a user; printed once."""
    with admin_errors(as_json):
        result = _accounts().create_key(email, name, expires_in_days)
    if as_json:
        print_json(result)
        return
    expiry = f", expires {result['expires_at']}" if result["expires_at"] else ""
    console.print(f"New key for {result['email']}{expiry} (shown only now):")
    console.print(f"[bold green]{result['api_key']}[/]")


@admin.command("revoke-key")
def revoke_key(
    key: str = typer.Argument(..., help="The key, or its public prefix (from `admin users`)."),
    as_json: bool = JsonOpt,
) -> None:
    """Revoke an API key: every later request with it answers 401."""
    with admin_errors(as_json):
        result = _accounts().revoke_key(key)
    if as_json:
        print_json(result)
    else:
        console.print(f"Key {result['prefix']}… revoked at {result['revoked_at']}.")


@admin.command("credit")
def credit(
    email: str = typer.Option(..., "--email"),
    amount: str = typer.Option(..., "--amount", help="USD to add."),
    reference: str = typer.Option(
        ..., "--reference", help="Payment or ticket id: repeating it never credits twice."
    ),
    as_json: bool = JsonOpt,
) -> None:
    """Top up a user's balance (idempotent per --reference)."""
    with admin_errors(as_json):
        result = _accounts().credit(email, amount, reference)
    if as_json:
        print_json(result)
        return
    if result["already_applied"]:
        console.print(f"Reference {reference!r} was already credited; nothing changed.")
    else:
        console.print(f"Credited ${result['amount']} to {result['email']}.")
    console.print(f"Balance: ${result['balance']:.6f}")


@admin.command("users")
def users(as_json: bool = JsonOpt) -> None:
    """List users, balances and their keys (prefixes only)."""
    with admin_errors(as_json):
        rows = _accounts().users()
    if as_json:
        print_json(rows)
        return
    for row in rows:
        row["active keys"] = ", ".join(k["prefix"] for k in row["keys"] if k["active"]) or "-"
    _table(rows, ["user_id", "email", "balance", "active keys", "created_at"], "Users")


@admin.command("usage")
def usage(
    email: str | None = typer.Option(None, "--email", help="Only this user."),
    days: int | None = typer.Option(None, "--days", help="Only the last N days."),
    as_json: bool = JsonOpt,
) -> None:
    """Requests, tokens, compute and money by user and UTC day."""
    with admin_errors(as_json):
        rows = _accounts().usage(email, days)
    if as_json:
        print_json(rows)
        return
    columns = ["email", "day", "requests", "tokens_in", "tokens_out", "compute_seconds"]
    _table(rows, [*columns, "base_cost_usd", "user_cost_usd", "profit_usd"], "Usage")


@admin.command("ledger")
def ledger(
    verify: bool = typer.Option(
        False, "--verify", help="Re-derive every balance from the ledger; exit 1 on a mismatch."
    ),
    email: str | None = typer.Option(None, "--email"),
    limit: int = typer.Option(50, "--limit", help="Entries to show (newest first)."),
    as_json: bool = JsonOpt,
) -> None:
    """Show recent ledger entries, or verify the whole ledger against the balances."""
    if verify:
        _verify(as_json)
        return
    with admin_errors(as_json):
        rows = list(_accounts().ledger_rows(email, limit=limit))
    if as_json:
        print_json(rows)
        return
    columns = ["id", "created_at", "email", "kind", "amount_usd", "balance_after_usd", "model"]
    _table(rows, columns, "Ledger (newest first)")


def _verify(as_json: bool) -> None:
    from bioql.server.billing import verify as verify_ledger

    with admin_errors(as_json):
        report = verify_ledger(_accounts().db).to_dict()
    if as_json:
        print_json(report)
    else:
        console.print(
            f"Checked {report['entries']} ledger entries for {report['users']} users: "
            f"{len(report['mismatches'])} mismatches."
        )
        for problem in report["mismatches"]:
            console.print(f"  [red]user {problem['user_id']}[/]: {problem['problem']}")
    if report["mismatches"]:
        raise typer.Exit(1)


@admin.command("export")
def export(
    output: Path | None = typer.Option(None, "--output", "-o", help="CSV file (default stdout)."),
    email: str | None = typer.Option(None, "--email"),
    as_json: bool = JsonOpt,
) -> None:
    """Export the ledger as CSV (exact decimal amounts); with --json, as JSON rows."""
    import csv
    import sys

    from bioql.server.accounts import LEDGER_FIELDS

    with admin_errors(as_json):
        rows = _accounts().ledger_rows(email)
        if as_json and output is None:
            print_json(list(rows))
            return
        handle = open(output, "w", newline="") if output else sys.stdout  # noqa: SIM115
        try:
            writer = csv.DictWriter(handle, fieldnames=LEDGER_FIELDS)
            writer.writeheader()
            count = 0
            for row in rows:
                writer.writerow(row)
                count += 1
        finally:
            if output:
                handle.close()
    if output:
        if as_json:
            print_json({"path": str(output), "rows": count})
        else:
            console.print(f"Wrote {count} ledger entries to {output}.")
