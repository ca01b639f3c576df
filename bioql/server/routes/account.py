"""GET /v1/account: balance, money held by running requests, prices and recent ledger entries."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter

from bioql.server.accounts import Accounts
from bioql.server.billing import usd
from bioql.server.deps import FreshCaller, ServiceDep
from bioql.server.errors import ERRORS
from bioql.server.service import Service

router = APIRouter()


@router.get("/v1/account", responses=ERRORS)
async def account(service: ServiceDep, caller: FreshCaller, limit: int = 20) -> dict[str, Any]:
    """Balance, money held by running requests, prices, and recent ledger entries."""
    return await anyio.to_thread.run_sync(_account, service, caller.user_id, caller, limit)


def _account(service: Service, user_id: int, caller: Any, limit: int) -> dict[str, Any]:
    accounts = Accounts(service.db, service.settings)
    pricing = service.settings.pricing
    rows = accounts.ledger_rows(caller.email, limit=max(1, min(limit, 200)))
    return {
        "email": caller.email,
        "balance": usd(service.billing.balance(user_id)),
        "available_balance": usd(service.billing.available(user_id)),
        "key_prefix": caller.key_prefix,
        "pricing": {
            "usd_per_second": str(pricing.usd_per_second),
            "usd_per_million_input_tokens": str(pricing.usd_per_million_input_tokens),
            "usd_per_million_output_tokens": str(pricing.usd_per_million_output_tokens),
            "markup_percent": float(pricing.markup_percent),
            "margin_percent": round(float(pricing.margin_percent), 2),
        },
        "transactions": list(rows),
    }
