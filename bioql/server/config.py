"""The service's settings: database, server secret, pricing, limits.

Everything is read from the environment (``BIOQL_*``) with embedded defaults, so ``bioql serve``
works with no configuration. Prices are :class:`~decimal.Decimal` parsed from text, never floats.

Pricing. A local model is priced per second of generation (default: $0.000306/s, an A10G-class
GPU hour at $1.10); an API provider per token (default: $3 per million input tokens, $15 per
million output tokens). The user pays base cost × (1 + markup), markup 40% by default, which is
a 28.57% margin (profit ÷ price).

Affordability. Cost is known only after generating, so each request first reserves its maximum
price (its deadline's worth of compute, or the prompt limit plus ``max_length`` tokens, with
markup), answers 402 when the available balance is below it, then charges the exact cost (never
more than the reservation) and releases the rest. The deadline depends on the provider: the
template generator answers in milliseconds, a local model in seconds (``deadline_for``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from bioql.config import bioql_home
from bioql.errors import BioQLValueError

NANO_PER_USD = 10**9
#: The template provider's model names (``bioql.assistant.template.MODEL_NAME``, and the
#: earlier ``bioql-template-1``).
TEMPLATE_MODELS = frozenset({"template", "bioql-template-1"})


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default).strip() or default


def _decimal(name: str, default: str) -> Decimal:
    text = _env(name, default)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BioQLValueError(f"{name}={text!r} is not a number; use e.g. {default}.") from None
    if not value.is_finite() or value < 0:
        raise BioQLValueError(f"{name} must be a non-negative number, got {text!r}.")
    return value


def _int(name: str, default: int, minimum: int = 1) -> int:
    text = _env(name, str(default))
    try:
        value = int(text)
    except ValueError:
        raise BioQLValueError(f"{name}={text!r} is not an integer; use e.g. {default}.") from None
    if value < minimum:
        raise BioQLValueError(f"{name} must be at least {minimum}, got {value}.")
    return value


@dataclass(frozen=True)
class Pricing:
    """Prices in USD (Decimal). ``markup_percent`` is added on top of the base cost."""

    usd_per_second: Decimal = Decimal("0.000306")
    usd_per_million_input_tokens: Decimal = Decimal("3")
    usd_per_million_output_tokens: Decimal = Decimal("15")
    markup_percent: Decimal = Decimal("40")

    @property
    def margin_percent(self) -> Decimal:
        """Profit as a share of the price: markup 40% → margin 28.57%."""
        return self.markup_percent * 100 / (100 + self.markup_percent)


@dataclass(frozen=True)
class RunLimits:
    """Fixed limits of POST /v1/run: the same on every host, whatever its free memory."""

    #: Non-Clifford programs run on a dense statevector: 2**20 amplitudes = 16 MiB.
    max_qubits: int = 20
    #: Clifford programs run on the stabilizer method, polynomial in the width.
    max_clifford_qubits: int = 200
    max_gates: int = 5_000
    max_shots: int = 4096
    max_calls: int = 8
    #: CPU-seconds one request may use over all its calls; what is reserved and at most charged.
    cpu_seconds: float = 10.0
    #: Wall-clock seconds per call (a worker may wait for a core on a busy host).
    wall_seconds: float = 20.0
    memory_mb: int = 2048
    workers: int = 2
    #: Jobs that may wait for a worker before the service answers 503.
    queue: int = 8
    per_key: int = 2


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret: bytes = field(repr=False)
    pricing: Pricing = Pricing()
    max_prompt_chars: int = 4000
    max_body_bytes: int = 1_000_000
    #: Worst-case billable compute per request; the reservation taken before generating.
    max_charge_seconds: int = 30
    #: Worst-case output tokens when a request gives no max_length (token-priced providers).
    max_output_tokens: int = 2048
    #: Deadline of a template (rule-based) answer; models get ``max_charge_seconds``.
    template_deadline_seconds: int = 2
    #: A reservation outlives its request's deadline by this much before the sweeper frees it.
    hold_grace_seconds: int = 15
    #: How long a stored response answers a retry with the same Idempotency-Key.
    idempotency_ttl_seconds: int = 86_400
    rate_limit_per_minute: int = 60
    rate_limit_burst: int = 20
    #: Requests without a valid key, per client address (guessing keys, floods before auth).
    anonymous_rate_limit_per_minute: int = 30
    #: SQLite busy timeout, PostgreSQL lock_timeout, and the wait for a pooled connection.
    db_timeout_seconds: float = 5.0
    #: PostgreSQL statement_timeout.
    db_statement_seconds: float = 15.0
    #: GET /metrics needs ``Authorization: Bearer <token>``; unset, only loopback clients.
    metrics_token: str | None = field(default=None, repr=False)
    run: RunLimits = RunLimits()
    #: A key authenticated this many seconds ago is not looked up again (0: every request).
    #: Billed requests re-check the key in their reservation, so a revoked key is refused at
    #: once there; other reads see the revocation within this time.
    key_cache_seconds: float = 5.0
    #: Processes that run the assistant when the service loads it (``bioql serve``).
    assistant_workers: int = 2
    #: Assistant calls that may wait for a worker before the service answers 503.
    assistant_queue: int = 64
    #: PostgreSQL: reservations and charges without an Idempotency-Key are one statement each,
    #: sent from the event loop (False: the same work as several statements from a thread).
    pg_event_loop: bool = True

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def deadline_for(model_name: str, settings: Settings) -> int:
    """The longest a generation may take with this model, which sizes its reservation."""
    if model_name in TEMPLATE_MODELS:
        return settings.template_deadline_seconds
    return settings.max_charge_seconds


def default_database_url() -> str:
    return f"sqlite:///{bioql_home() / 'bioql.db'}"


def server_secret() -> bytes:
    """``BIOQL_SERVER_SECRET``, else a random secret kept in ``BIOQL_HOME/server_secret``.

    API keys are stored as HMAC-SHA256(secret, key): a leaked database alone cannot be used to
    test guessed keys. Every process serving one database must share this secret.
    """
    from_env = os.environ.get("BIOQL_SERVER_SECRET", "").strip()
    if from_env:
        return from_env.encode()
    path = bioql_home() / "server_secret"
    if not path.exists():
        _write_private(path, secrets.token_hex(32))
    return path.read_text().strip().encode()


def _write_private(path: Path, text: str) -> None:
    # O_EXCL: two workers starting together must not overwrite each other's secret.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")


def load_settings() -> Settings:
    """Settings from the environment, with the embedded defaults."""
    pricing = Pricing(
        usd_per_second=_decimal("BIOQL_PRICE_PER_SECOND_USD", "0.000306"),
        usd_per_million_input_tokens=_decimal("BIOQL_PRICE_PER_MILLION_INPUT_TOKENS_USD", "3"),
        usd_per_million_output_tokens=_decimal("BIOQL_PRICE_PER_MILLION_OUTPUT_TOKENS_USD", "15"),
        markup_percent=_decimal("BIOQL_MARKUP_PERCENT", "40"),
    )
    return Settings(
        database_url=_env("BIOQL_DATABASE_URL", "") or default_database_url(),
        secret=server_secret(),
        pricing=pricing,
        max_prompt_chars=_int("BIOQL_MAX_PROMPT_CHARS", 4000),
        max_charge_seconds=_int("BIOQL_MAX_CHARGE_SECONDS", 30),
        max_output_tokens=_int("BIOQL_MAX_OUTPUT_TOKENS", 2048),
        template_deadline_seconds=_int("BIOQL_TEMPLATE_DEADLINE_SECONDS", 2),
        rate_limit_per_minute=_int("BIOQL_RATE_LIMIT_PER_MINUTE", 60),
        rate_limit_burst=_int("BIOQL_RATE_LIMIT_BURST", 20),
        anonymous_rate_limit_per_minute=_int("BIOQL_ANONYMOUS_RATE_LIMIT_PER_MINUTE", 30),
        db_timeout_seconds=float(_decimal("BIOQL_DB_TIMEOUT_SECONDS", "5")),
        metrics_token=os.environ.get("BIOQL_METRICS_TOKEN", "").strip() or None,
        assistant_workers=_int("BIOQL_ASSISTANT_WORKERS", 2),
        key_cache_seconds=float(_decimal("BIOQL_KEY_CACHE_SECONDS", "5")),
        pg_event_loop=os.environ.get("BIOQL_PG_EVENT_LOOP", "1").strip().lower()
        not in ("0", "false", "no", "off"),
        run=RunLimits(
            max_qubits=_int("BIOQL_RUN_MAX_QUBITS", 20),
            max_shots=_int("BIOQL_RUN_MAX_SHOTS", 4096),
            cpu_seconds=float(_int("BIOQL_RUN_CPU_SECONDS", 10)),
            wall_seconds=float(_int("BIOQL_RUN_WALL_SECONDS", 20)),
            memory_mb=_int("BIOQL_RUN_MEMORY_MB", 2048, minimum=256),
            workers=_int("BIOQL_RUN_WORKERS", 2),
            per_key=_int("BIOQL_RUN_PER_KEY", 2),
        ),
    )
