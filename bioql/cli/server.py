"""``bioql serve``: run the HTTP service (FastAPI on uvicorn).

On an empty database the first start creates an admin user. Its API key is written to a file
only its owner can read (``BIOQL_HOME/bootstrap-admin-key``) and shown on the terminal, never
written to standard output when that is a log file or a pipe.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer

from bioql.cli.common import console, print_json, user_errors

BOOTSTRAP_EMAIL = "admin@localhost"
BOOTSTRAP_BALANCE_USD = "10"
BOOTSTRAP_KEY_FILE = "bootstrap-admin-key"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, min=1, help="Worker processes (each has its own rate limits)."),
    bootstrap: bool = typer.Option(
        True,
        help=f"On an empty database, create {BOOTSTRAP_EMAIL} with "
        f"${BOOTSTRAP_BALANCE_USD}; its key goes to a private file (and the terminal).",
    ),
    log_level: str = typer.Option("info", help="uvicorn log level."),
    as_json: bool = typer.Option(False, "--json", help="Print the startup summary as JSON."),
) -> None:
    """Serve the code assistant API, the playground (/) and the docs (/docs)."""
    import logging

    import uvicorn

    from bioql.config import bioql_home
    from bioql.server.config import load_settings
    from bioql.server.db import Database

    with user_errors(as_json):
        settings = load_settings()
        db = Database(settings.database_url)
        db.upgrade()
        admin = _bootstrap(db, settings, bioql_home()) if bootstrap else None
        db.dispose()
    url = f"http://{host}:{port}"
    database = _redacted(settings.database_url)
    key = admin.pop("api_key") if admin else None
    if as_json:
        print_json({"url": url, "database": database, "workers": workers, "admin": admin})
    else:
        console.print(f"BioQL service on [bold]{url}[/] (docs {url}/docs) · database {database}")
        if admin:
            console.print(
                f"Created [bold]{admin['email']}[/] with ${admin['balance']:.2f}; its API key "
                f"is in {admin['api_key_file']} (readable only by you)."
            )
    if key and sys.stderr.isatty():
        print(f"Admin API key (shown only on this terminal): {key}", file=sys.stderr)
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


def _bootstrap(db: Any, settings: Any, home: Path) -> dict[str, Any] | None:
    from sqlalchemy import func, select

    from bioql.server.accounts import Accounts
    from bioql.server.models import User

    with db.read() as session:
        if session.scalar(select(func.count(User.id))):
            return None
    created = Accounts(db, settings).create_user(BOOTSTRAP_EMAIL, BOOTSTRAP_BALANCE_USD)
    path = home / BOOTSTRAP_KEY_FILE
    _write_private(path, created["api_key"] + "\n")
    return created | {"api_key_file": str(path)}


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # a stale file from an earlier database
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
