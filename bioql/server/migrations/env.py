"""Alembic environment: migrates the connection handed over by bioql.server.db.upgrade, or the
database named by ``sqlalchemy.url`` / ``BIOQL_DATABASE_URL`` / the default SQLite file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bioql.server.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    import os

    from bioql.server.config import default_database_url

    return (
        config.get_main_option("sqlalchemy.url")
        or os.environ.get("BIOQL_DATABASE_URL")
        or default_database_url()
    )


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from bioql.server.db import make_engine

    engine = make_engine(_url())
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
