"""Holds expire and name their process; idempotency records by age; TRUNCATE refused on the
ledger; on PostgreSQL, the least-privilege role ``bioql_service``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SERVICE_ROLE = "bioql_service"


def upgrade() -> None:
    with op.batch_alter_table("holds") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("owner", sa.String(200), nullable=True))
    op.create_index("ix_holds_expires_at", "holds", ["expires_at"])
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger "
            "FOR EACH STATEMENT EXECUTE FUNCTION bioql_ledger_append_only()"
        )
        _service_role()


def _service_role() -> None:
    """A role that may read what the service reads and only append to the ledger.

    Roles belong to the whole PostgreSQL cluster, so it is created once (concurrent first
    migrations of two databases may race: the loser finds it there). Log-in roles are made
    members of it by the operator (docs/service.md).
    """
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SERVICE_ROLE}') THEN
                CREATE ROLE {SERVICE_ROLE} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END
        $$
        """
    )
    op.execute(
        f"DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO {SERVICE_ROLE}', "
        "current_database()); END $$"
    )
    for statement in (
        f"GRANT USAGE ON SCHEMA public TO {SERVICE_ROLE}",
        f"GRANT SELECT ON alembic_version TO {SERVICE_ROLE}",
        f"GRANT SELECT, INSERT ON ledger TO {SERVICE_ROLE}",
        f"GRANT SELECT, INSERT, UPDATE ON users, api_keys TO {SERVICE_ROLE}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON holds, idempotency_keys TO {SERVICE_ROLE}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {SERVICE_ROLE}",
    ):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_no_truncate ON ledger")
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {SERVICE_ROLE}")
        op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {SERVICE_ROLE}")
    op.drop_index("ix_idempotency_keys_created_at", "idempotency_keys")
    op.drop_index("ix_holds_expires_at", "holds")
    with op.batch_alter_table("holds") as batch:
        batch.drop_column("owner")
        batch.drop_column("expires_at")
