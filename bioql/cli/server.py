"""``bioql serve``: run the HTTP service (FastAPI on uvicorn)."""

from __future__ import annotations

import typer

from bioql.cli.common import console, print_json, user_errors

BOOTSTRAP_EMAIL = "admin@localhost"
BOOTSTRAP_BALANCE_USD = "10"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, min=1, help="Worker processes (each has its own rate limits)."),
    bootstrap: bool = typer.Option(
        True,
        help=f"On an empty database, create {BOOTSTRAP_EMAIL} with "
        f"${BOOTSTRAP_BALANCE_USD} and print its key once.",
    ),
    log_level: str = typer.Option("info", help="uvicorn log level."),
    as_json: bool = typer.Option(False, "--json", help="Print the startup summary as JSON."),
) -> None:
    """Serve the code assistant API, the playground (/) and the docs (/docs)."""
    import logging

    import uvicorn

    from bioql.server.config import load_settings
    from bioql.server.db import Database

    with user_errors(as_json):
        settings = load_settings()
        db = Database(settings.database_url)
        db.upgrade()
        admin = _bootstrap(db, settings) if bootstrap else None
        db.dispose()
    url = f"http://{host}:{port}"
    database = _redacted(settings.database_url)
    if as_json:
        print_json({"url": url, "database": database, "workers": workers, "admin": admin})
    else:
        console.print(f"BioQL service on [bold]{url}[/] (docs {url}/docs) · database {database}")
        if admin:
            console.print(
                f"Created [bold]{admin['email']}[/] with ${admin['balance']:.2f}. "
                "Its API key is shown only this once:\n"
                f"  [bold green]{admin['api_key']}[/]"
            )
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # each worker re-checks the schema
    uvicorn.run(
        "bioql.server.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=False,  # bioql.server logs each request with its id, never keys or prompts
    )


def _bootstrap(db, settings) -> dict | None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from bioql.server.accounts import Accounts
    from bioql.server.models import User

    with db.read() as session:
        if session.scalar(select(func.count(User.id))):
            return None
    return Accounts(db, settings).create_user(BOOTSTRAP_EMAIL, BOOTSTRAP_BALANCE_USD)


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
