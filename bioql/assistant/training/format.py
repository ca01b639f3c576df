"""The bridge to the ONE prompt format (``bioql.assistant.prompt``); training never forks it.

The trainer and the local model only need three things from the format: its version (saved
with every model and checked on load), the model input for a dataset record, and the target
text the model must learn to emit after it. This module adapts ``bioql.assistant.prompt`` to
that small interface; tests pass their own tiny format with the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from bioql.errors import BioQLAssistantError


class PromptFormat(Protocol):
    version: str

    def render_prompt(self, record: Mapping[str, Any]) -> str: ...

    def render_target(self, record: Mapping[str, Any]) -> str: ...


@dataclass(frozen=True)
class _ProjectFormat:
    version: str

    def render_prompt(self, record: Mapping[str, Any]) -> str:
        from bioql.assistant import prompt

        return prompt.render_prompt(record["instruction"])

    def render_target(self, record: Mapping[str, Any]) -> str:
        from bioql.assistant import prompt

        return prompt.render_target(record)


def project_format() -> PromptFormat:
    """The project's prompt format, or a clear error if it is not importable."""
    try:
        from bioql.assistant import prompt
    except ImportError as exc:
        raise BioQLAssistantError(
            f"The prompt format (bioql.assistant.prompt) is not available: {exc}."
        ) from None
    return _ProjectFormat(version=str(prompt.PROMPT_FORMAT_VERSION))
