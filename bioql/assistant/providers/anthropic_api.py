"""The ``anthropic`` provider: Claude through the official ``anthropic`` SDK (the seeds'
fallback idea), behind the same validator as every other provider.

Environment: ``ANTHROPIC_API_KEY``, ``ANTHROPIC_BASE_URL`` (read by the SDK; a proxy or a
local stand-in), ``BIOQL_ANTHROPIC_MODEL`` (default claude-sonnet-4-5).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal

from bioql.assistant.contract import Reply
from bioql.assistant.providers.chat import repair_message, system_prompt
from bioql.errors import BioQLAssistantError, BioQLCredentialsError


@dataclass
class AnthropicModel:
    model: str
    client: Any = field(repr=False)
    pricing_unit: Literal["second", "token"] = "token"
    repairs = True

    @property
    def name(self) -> str:
        return self.model

    @classmethod
    def from_env(cls) -> AnthropicModel:
        try:
            import anthropic
        except ImportError:
            raise BioQLAssistantError(
                "The anthropic provider needs the SDK: pip install 'bioql[assistant]'."
            ) from None
        key = os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise BioQLCredentialsError(
                "The anthropic provider needs ANTHROPIC_API_KEY in the environment."
            )
        client = anthropic.Anthropic(api_key=key, max_retries=1, timeout=60.0)
        return cls(
            model=os.environ.get("BIOQL_ANTHROPIC_MODEL", "claude-sonnet-4-5"), client=client
        )

    def ask(self, request: str, *, temperature: float, max_tokens: int) -> Reply:
        return self._send([{"role": "user", "content": request}], temperature, max_tokens)

    def repair(
        self, request: str, previous: str, feedback: str, *, temperature: float, max_tokens: int
    ) -> Reply:
        messages = [
            {"role": "user", "content": request},
            {"role": "assistant", "content": previous},
            {"role": "user", "content": repair_message(feedback)},
        ]
        return self._send(messages, temperature, max_tokens)

    def _send(self, messages: list[dict[str, str]], temperature: float, max_tokens: int) -> Reply:
        import anthropic

        try:
            # This SDK generation has no `temperature` argument; the Messages API still takes it.
            response = self.client.messages.create(
                model=self.model, system=system_prompt(), messages=messages,
                max_tokens=max_tokens, extra_body={"temperature": min(temperature, 1.0)},
            )  # fmt: skip
        except anthropic.APIError as exc:
            raise BioQLAssistantError(f"The Anthropic API failed: {exc}.") from None
        text = "".join(
            block.text for block in response.content if getattr(block, "type", "") == "text"
        )
        usage = response.usage
        return Reply(text=text, tokens_in=usage.input_tokens, tokens_out=usage.output_tokens)
