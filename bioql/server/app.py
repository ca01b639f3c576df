"""The BioQL HTTP service: ``create_app()`` builds the FastAPI app (``bioql serve`` runs it).

Endpoints (one module each under ``routes/``): POST /v1/generate (and the seed-compatible
POST /generate), /v1/fix, /v1/complete, /v1/run (the playground's Run button), GET
/v1/account, /health, /metrics, the playground at /, OpenAPI at /docs. Logs carry the request
id and the key's public prefix, never a key or a prompt.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from bioql import __version__
from bioql.assistant.api import Assistant
from bioql.server import errors
from bioql.server.config import Settings, load_settings
from bioql.server.db import Database
from bioql.server.errors import ApiError
from bioql.server.middleware import BodyLimit, Observe
from bioql.server.recovery import sweep_forever, sweep_once
from bioql.server.routes import account, health, playground, run
from bioql.server.routes import assistant as assistant_routes
from bioql.server.routes.playground import STATIC
from bioql.server.service import Service


def create_app(
    settings: Settings | None = None,
    *,
    assistant: Assistant | None = None,
    database: Database | None = None,
    migrate: bool = True,
) -> FastAPI:
    """The app. ``assistant`` defaults to ``bioql.assistant.get_assistant()`` (loaded at start)."""
    settings = settings or load_settings()
    db = database or Database(
        settings.database_url,
        settings.db_timeout_seconds,
        settings.db_statement_seconds,
        lane=settings.pg_event_loop,
    )
    if migrate:
        db.upgrade()
    service = Service(settings, db, assistant)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with contextlib.suppress(ApiError):  # /health says why; requests answer 503
            await service.assistant.info()
        with contextlib.suppress(Exception):  # a busy database is swept on the next round
            await anyio.to_thread.run_sync(sweep_once, service.billing)
        async with anyio.create_task_group() as background:
            background.start_soon(sweep_forever, service.billing)
            try:
                yield
            finally:
                background.cancel_scope.cancel()
        service.close()
        if database is None:
            db.dispose()

    app = FastAPIOffline(
        title="BioQL",
        version=__version__,
        description="Code assistant for BioQL with API keys, per-request cost and balances.",
        lifespan=lifespan,
    )
    app.state.service = service
    errors.install(app)
    for module in (assistant_routes, run, account, health, playground):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(Observe, metrics=lambda: service.metrics)
    return app
