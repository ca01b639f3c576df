"""The code assistant's contract, shared by the CLI, the HTTP service and the providers.

The service (``bioql.server``) depends only on this module: it asks :func:`get_assistant`
for the process-wide assistant and calls ``generate`` / ``fix`` / ``complete``. Costs are
computed by the service from ``timing`` (local models: per second) or the token counts
(API providers: per token), so every answer reports both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol

Source = Literal["model", "model+repair", "fallback"]


@dataclass
class Timing:
    total_seconds: float
    generation_seconds: float


@dataclass
class Answer:
    """One generated program. ``code`` is None exactly when ``error`` holds a refusal."""

    code: str | None
    reasoning: str
    model: str
    valid: bool
    source: Source
    timing: Timing
    tokens_in: int = 0
    tokens_out: int = 0
    error: str | None = None

    def to_dict(self, include_reasoning: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not include_reasoning:
            data["reasoning"] = ""
        if self.error is None:
            data.pop("error")
        return data


@dataclass
class FixResult:
    """A repaired program and one sentence per change made."""

    code: str
    changes: list[str] = field(default_factory=list)
    valid: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Completion:
    """Text to insert at the cursor (may be empty when there is nothing useful to add)."""

    insertion: str
    model: str
    timing: Timing

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Assistant(Protocol):
    """What every provider (template, local, openai, anthropic) offers after validation."""

    model_name: str
    #: "second" for local compute priced per second, "token" for API providers priced per token
    pricing_unit: Literal["second", "token"]

    def generate(
        self,
        prompt: str,
        *,
        include_reasoning: bool = True,
        max_length: int | None = None,
        temperature: float = 0.0,
    ) -> Answer: ...

    def fix(self, code: str) -> FixResult: ...

    def complete(
        self, prefix: str, suffix: str = "", *, max_length: int | None = None
    ) -> Completion: ...


def get_assistant(provider: str | None = None) -> Assistant:
    """The assistant for ``provider`` (default: ``BIOQL_PROVIDER`` or the best available).

    Loaded once per process and cached. Implemented in ``bioql.assistant.providers``.
    """
    from bioql.assistant.providers import load_provider

    return load_provider(provider)
