"""PostgreSQL: a request's reservation and its charge as one statement each
(``bioql_reserve``, ``bioql_settle``).

The functions run the statements of ``Billing._reserve`` and ``Billing.settle_op`` (without an
Idempotency-Key) in the same order, with the same locks, inside the server: the web process
sends one statement instead of seven and five (each a round trip with its own parse, snapshot
and bookkeeping on both sides), and as a statement outside an explicit transaction each is its
own transaction, so there is no BEGIN or COMMIT to send either. Each statement in a PL/pgSQL
function takes a fresh snapshot (READ COMMITTED), so the holds are summed after the account's
lock is held, as in the Python code. They run with the caller's privileges (``bioql_service``
needs nothing it does not already have). SQLite keeps the Python statements.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SERVICE_ROLE = "bioql_service"

RESERVE = """
CREATE OR REPLACE FUNCTION bioql_reserve(
    p_user_id integer,
    p_key_id integer,
    p_request_id varchar,
    p_amount bigint,
    p_now timestamp,
    p_legacy timestamp,
    p_expires timestamp,
    p_owner varchar
) RETURNS TABLE (outcome text, available bigint)
LANGUAGE plpgsql VOLATILE AS $$
-- outcome: 'held', 'insufficient' (available: what the user has), 'revoked' or 'expired' (the
-- key, checked in this transaction). Nothing is held unless the outcome is 'held'.
DECLARE
    k record;
    v_balance bigint;
    v_held bigint;
BEGIN
    IF p_key_id IS NOT NULL THEN
        SELECT user_id, revoked_at, expires_at INTO k FROM api_keys WHERE id = p_key_id;
        IF NOT FOUND OR k.user_id <> p_user_id OR k.revoked_at IS NOT NULL THEN
            RETURN QUERY SELECT 'revoked'::text, 0::bigint;
            RETURN;
        END IF;
        IF k.expires_at IS NOT NULL AND k.expires_at <= p_now THEN
            RETURN QUERY SELECT 'expired'::text, 0::bigint;
            RETURN;
        END IF;
    END IF;
    -- Before the account's lock, as in Python: holds are locked before the account.
    DELETE FROM holds
     WHERE user_id = p_user_id
       AND (expires_at < p_now OR (expires_at IS NULL AND created_at < p_legacy));
    SELECT balance_nano INTO STRICT v_balance FROM users WHERE id = p_user_id FOR UPDATE;
    SELECT coalesce(sum(amount_nano), 0) INTO v_held FROM holds WHERE user_id = p_user_id;
    IF v_balance - v_held < p_amount THEN
        RETURN QUERY SELECT 'insufficient'::text, v_balance - v_held;
        RETURN;
    END IF;
    INSERT INTO holds (request_id, user_id, amount_nano, created_at, expires_at, owner)
    VALUES (p_request_id, p_user_id, p_amount, p_now, p_expires, p_owner);
    RETURN QUERY SELECT 'held'::text, v_balance - v_held - p_amount;
END
$$
"""

SETTLE = """
CREATE OR REPLACE FUNCTION bioql_settle(
    p_user_id integer,
    p_request_id varchar,
    p_base_nano bigint,
    p_user_nano bigint,
    p_endpoint varchar,
    p_model varchar,
    p_tokens_in integer,
    p_tokens_out integer,
    p_compute_us bigint,
    p_now timestamp
) RETURNS TABLE (base_nano bigint, user_nano bigint, balance_nano bigint)
LANGUAGE plpgsql VOLATILE AS $$
-- Charge the cost (at most the hold, base and profit scaled down alike, as Cost.capped) and
-- append it to the ledger; returns what was charged and the balance after.
DECLARE
    v_held bigint;
    v_balance bigint;
    v_base bigint := p_base_nano;
    v_user bigint := p_user_nano;
BEGIN
    DELETE FROM holds WHERE request_id = p_request_id RETURNING amount_nano INTO v_held;
    IF NOT FOUND THEN  -- the hold expired while generating: charge what is still available
        SELECT u.balance_nano INTO STRICT v_balance FROM users u WHERE u.id = p_user_id
           FOR UPDATE;
        SELECT greatest(v_balance - coalesce(sum(h.amount_nano), 0), 0) INTO v_held
          FROM holds h WHERE h.user_id = p_user_id;
    END IF;
    IF v_user > v_held THEN
        v_base := CASE WHEN v_user = 0 THEN 0
                       ELSE div(v_base::numeric * v_held, v_user)::bigint END;
        v_user := v_held;
    END IF;
    -- One statement locks the account and charges it. Until this transaction commits, other
    -- requests still count the deleted hold, so no one can spend this money.
    UPDATE users u SET balance_nano = u.balance_nano - v_user WHERE u.id = p_user_id
    RETURNING u.balance_nano INTO STRICT v_balance;
    INSERT INTO ledger (
        user_id, kind, amount_nano, balance_after_nano, request_id, reference, endpoint, model,
        tokens_in, tokens_out, compute_us, base_cost_nano, user_cost_nano, profit_nano,
        created_at
    ) VALUES (
        p_user_id, 'charge', -v_user, v_balance, p_request_id, NULL, p_endpoint, p_model,
        p_tokens_in, p_tokens_out, p_compute_us, v_base, v_user, v_user - v_base, p_now
    );
    RETURN QUERY SELECT v_base, v_user, v_balance;
END
$$
"""

RESERVE_ARGS = "integer, integer, varchar, bigint, timestamp, timestamp, timestamp, varchar"
SETTLE_ARGS = (
    "integer, varchar, bigint, bigint, varchar, varchar, integer, integer, bigint, timestamp"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(RESERVE)
    op.execute(SETTLE)
    op.execute(f"GRANT EXECUTE ON FUNCTION bioql_reserve({RESERVE_ARGS}) TO {SERVICE_ROLE}")
    op.execute(f"GRANT EXECUTE ON FUNCTION bioql_settle({SETTLE_ARGS}) TO {SERVICE_ROLE}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION IF EXISTS bioql_settle({SETTLE_ARGS})")
    op.execute(f"DROP FUNCTION IF EXISTS bioql_reserve({RESERVE_ARGS})")
