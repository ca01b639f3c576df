"""The bridge to the ONE prompt format (``model/prompt.py``); training never forks it.

The trainer and the local model only need three things from the format: its version (saved
with every model and checked on load), the model input for a dataset record, and the target
text the model must learn to emit after it. This module adapts ``model/prompt.py`` to that
small interface; tests pass their own tiny format with the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from bioql.errors import BioQLAssistantError


class PromptFormat(Protocol):
    version: str
    #: markers the format uses; each becomes one token (added to the vocabulary if missing)
    special_tokens: tuple[str, ...]
    #: the marker that ends an answer; it becomes the tokenizer's EOS, so the model stops on it
    end_token: str | None

    def render_prompt(self, record: Mapping[str, Any]) -> str: ...

    def render_target(self, record: Mapping[str, Any]) -> str: ...


REQUEST_FIELDS = ("request", "instruction", "prompt")


def request_of(record: Mapping[str, Any]) -> str:
    """The user's request in a dataset record (the field name differs between datasets)."""
    for name in REQUEST_FIELDS:
        if name in record:
            return str(record[name])
    raise BioQLAssistantError(
        f"A dataset record has none of the fields {', '.join(REQUEST_FIELDS)}: "
        f"{sorted(record)[:8]}."
    )


@dataclass
class _ProjectFormat:
    version: str
    special_tokens: tuple[str, ...]
    end_token: str | None

    def render_prompt(self, record: Mapping[str, Any]) -> str:
        from bioql.assistant.model import prompt

        return prompt.render_prompt(request_of(record))

    def render_target(self, record: Mapping[str, Any]) -> str:
        from bioql.assistant.model import prompt

        return prompt.render_target(record, request_of(record))


def project_format() -> PromptFormat:
    """The project's prompt format, or a clear error if it is not importable."""
    try:
        from bioql.assistant.model import prompt
    except ImportError as exc:
        raise BioQLAssistantError(
            f"The prompt format (bioql.assistant.model.prompt) is not available: {exc}."
        ) from None
    return _ProjectFormat(
        version=str(prompt.PROMPT_FORMAT_VERSION),
        special_tokens=tuple(getattr(prompt, "SPECIAL_TOKENS", ())),
        end_token=getattr(prompt, "END", None),
    )
