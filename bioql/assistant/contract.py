"""The code assistant's contract: what it answers, what an assistant offers, what a model adds.

Shared by the CLI, the HTTP service (through ``bioql.assistant.api``), the pipeline and the
providers; it imports nothing else from the assistant, so every part can depend on it. Costs
are computed by the service from ``timing`` (local models: per second) or the token counts
(API providers: per token), so every answer reports both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol

#: Which path produced an answer (docs/conventions.md): the model's first draft, its repair turn, or
#: the template generator that backs every provider ("fallback", kept for the HTTP contract).
Source = Literal["model", "model+repair", "fallback"]


@dataclass
class Timing:
    total_seconds: float
    generation_seconds: float


@dataclass
class Answer:
    """One generated program. ``code`` is None exactly when ``error`` holds a refusal.

    ``interpreted_as`` says how each call of the program reads the request, in order (empty
    when there is no code), so a user can see what was understood without reading the code.
    """

    code: str | None
    reasoning: str
    model: str
    valid: bool
    source: Source
    timing: Timing
    tokens_in: int = 0
    tokens_out: int = 0
    error: str | None = None
    interpreted_as: list[str] = field(default_factory=list)

    def to_dict(self, include_reasoning: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not include_reasoning:
            data["reasoning"] = ""
        if self.error is None:
            data.pop("error")
        return data


@dataclass
class FixResult:
    """A repaired program, one sentence per change made and, when it is still not valid,
    ``remaining``: what is left for the user to do (empty when ``valid``)."""

    code: str
    changes: list[str] = field(default_factory=list)
    valid: bool = True
    remaining: str = ""

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


@dataclass
class Reply:
    """One raw completion from a model."""

    text: str
    tokens_in: int = 0
    tokens_out: int = 0


class ModelBackend(Protocol):
    """What a provider adds to the pipeline: a way to ask a model for an answer."""

    @property
    def name(self) -> str: ...

    @property
    def pricing_unit(self) -> Literal["second", "token"]: ...

    @property
    def repairs(self) -> bool:
        """Whether a rejected answer gets the repair turn (a model never trained on repair
        prompts rarely uses it well; see providers/local.py)."""
        ...

    def ask(self, request: str, *, temperature: float, max_tokens: int) -> Reply: ...

    def repair(
        self, request: str, previous: str, feedback: str, *, temperature: float, max_tokens: int
    ) -> Reply: ...
