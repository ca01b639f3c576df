"""The ``openai`` provider: any server speaking OpenAI's HTTP API (vLLM, llama.cpp server,
OpenAI itself), through httpx.

Two modes. ``chat`` (default) sends ``/v1/chat/completions`` with the system prompt of
``chat.py``. ``completions`` sends ``/v1/completions`` with the project's own prompt format
(``prompt.render_prompt``, stop at ``<|end|>``): this is how a GPU server that serves the
model trained by ``bioql train`` is used, byte-for-byte the prompt it was trained on.

Environment: ``BIOQL_OPENAI_BASE_URL`` (or ``OPENAI_BASE_URL``; default
https://api.openai.com/v1), ``OPENAI_API_KEY`` (optional for local servers),
``BIOQL_OPENAI_MODEL`` (default gpt-4o-mini), ``BIOQL_OPENAI_MODE`` (chat | completions),
``BIOQL_OPENAI_TIMEOUT`` seconds (default 60).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal

from bioql.assistant.contract import Reply
from bioql.assistant.model import prompt
from bioql.assistant.providers.chat import repair_message, system_prompt
from bioql.errors import BioQLAssistantError


@dataclass
class OpenAICompatible:
    base_url: str
    model: str
    api_key: str | None = None
    mode: Literal["chat", "completions"] = "chat"
    timeout: float = 60.0
    pricing_unit: Literal["second", "token"] = "token"
    repairs = True

    @property
    def name(self) -> str:
        return self.model

    @classmethod
    def from_env(cls) -> OpenAICompatible:
        mode = os.environ.get("BIOQL_OPENAI_MODE", "chat").strip().lower()
        if mode not in ("chat", "completions"):
            raise BioQLAssistantError(
                f"BIOQL_OPENAI_MODE must be 'chat' or 'completions', got {mode!r}."
            )
        base = (
            os.environ.get("BIOQL_OPENAI_BASE_URL")
            or os.environ.get("OPENAI_BASE_URL")
            or "https://api.openai.com/v1"
        )
        return cls(
            base_url=base.rstrip("/"),
            model=os.environ.get("BIOQL_OPENAI_MODEL", "gpt-4o-mini"),
            api_key=os.environ.get("OPENAI_API_KEY") or None,
            mode=mode,  # type: ignore[arg-type]
            timeout=float(os.environ.get("BIOQL_OPENAI_TIMEOUT", "60")),
        )

    def ask(self, request: str, *, temperature: float, max_tokens: int) -> Reply:
        if self.mode == "completions":
            reply = self._complete(prompt.render_prompt(request), temperature, max_tokens)
            return _decoded(reply, request)
        messages = [
            {"role": "system", "content": system_prompt()},
            {"role": "user", "content": request},
        ]
        return self._chat(messages, temperature, max_tokens)

    def repair(
        self, request: str, previous: str, feedback: str, *, temperature: float, max_tokens: int
    ) -> Reply:
        if self.mode == "completions":
            text = prompt.render_repair_prompt(request, previous, feedback)
            return _decoded(self._complete(text, temperature, max_tokens), request)
        messages = [
            {"role": "system", "content": system_prompt()},
            {"role": "user", "content": request},
            {"role": "assistant", "content": previous},
            {"role": "user", "content": repair_message(feedback)},
        ]
        return self._chat(messages, temperature, max_tokens)

    # ------------------------------------------------------------ HTTP

    def _chat(self, messages: list[dict[str, str]], temperature: float, max_tokens: int) -> Reply:
        body = {
            "model": self.model,
            "messages": messages,
            "temperature": temperature,
            "max_tokens": max_tokens,
        }
        data = self._post("/chat/completions", body)
        try:
            text = data["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise BioQLAssistantError(
                f"{self.base_url} answered without choices[0].message.content."
            ) from None
        return _reply(text, data)

    def _complete(self, text: str, temperature: float, max_tokens: int) -> Reply:
        body = {
            "model": self.model, "prompt": text, "temperature": temperature,
            "max_tokens": max_tokens, "stop": [prompt.END],
        }  # fmt: skip
        data = self._post("/completions", body)
        try:
            out = data["choices"][0]["text"] or ""
        except (KeyError, IndexError, TypeError):
            raise BioQLAssistantError(
                f"{self.base_url} answered without choices[0].text."
            ) from None
        return _reply(out, data)

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            response = httpx.post(
                self.base_url + path, json=body, headers=headers, timeout=self.timeout
            )
        except httpx.HTTPError as exc:
            raise BioQLAssistantError(
                f"Could not reach the OpenAI-compatible server at {self.base_url}: {exc}."
            ) from None
        if response.status_code == 401:
            raise BioQLAssistantError(
                f"{self.base_url} refused the API key (401); set OPENAI_API_KEY."
            )
        if response.status_code >= 400:
            raise BioQLAssistantError(
                f"{self.base_url}{path} returned HTTP {response.status_code}: {response.text[:200]}"
            )
        try:
            return response.json()
        except ValueError:
            raise BioQLAssistantError(f"{self.base_url}{path} did not return JSON.") from None


def _reply(text: str, data: dict[str, Any]) -> Reply:
    usage = data.get("usage") or {}
    return Reply(
        text=text,
        tokens_in=int(usage.get("prompt_tokens", 0)),
        tokens_out=int(usage.get("completion_tokens", 0)),
    )


def _decoded(reply: Reply, request: str) -> Reply:
    """A completion in the trained prompt format writes slots; put the request's values back."""
    reply.text = prompt.decode_output(reply.text, request)
    return reply
