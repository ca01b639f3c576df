"""Providers: where an answer's first draft comes from. All of them go through the same
pipeline (``pipeline.Pipeline``): validation, one repair turn, then the template generator.

``template``  the template generator alone (``template.py``, no model)
``local``     the code model trained by ``bioql train`` (issue 4), on this machine
``openai``    any OpenAI-compatible server (vLLM, llama.cpp server, OpenAI itself)
``anthropic`` Claude through the anthropic SDK

The default is ``BIOQL_PROVIDER``, else :data:`DEFAULT_PROVIDER`, chosen by measurement: every
provider's answer is checked against the language's reading of the request
(``faithful.py``), so end to end they are right equally often on the paraphrase suite
(benchmarks/language/RESULTS.md) and on ``test_novel`` (models/bioql-codegen/README.md), and
the template answers far faster; the figures live in those files.
"""

from __future__ import annotations

import os
import threading

from bioql.assistant.contract import Assistant
from bioql.errors import BioQLAssistantError

PROVIDERS = ("template", "local", "openai", "anthropic")
DEFAULT_PROVIDER = "template"
_cache: dict[str, Assistant] = {}
_lock = threading.Lock()


def default_provider() -> str:
    name = os.environ.get("BIOQL_PROVIDER", "").strip().lower()
    return name or DEFAULT_PROVIDER


def load_provider(name: str | None = None) -> Assistant:
    """The assistant for provider ``name``, created once per process."""
    name = (name or default_provider()).strip().lower()
    if name not in PROVIDERS:
        raise BioQLAssistantError(
            f"Unknown provider {name!r}; choose one of: {', '.join(PROVIDERS)}."
        )
    with _lock:
        if name not in _cache:
            _cache[name] = _create(name)
        return _cache[name]


def _create(name: str) -> Assistant:
    from bioql.assistant.pipeline import Pipeline

    if name == "template":
        return Pipeline()
    if name == "local":
        from bioql.assistant.providers.local import LocalBackend

        return Pipeline(LocalBackend.from_env())
    if name == "openai":
        from bioql.assistant.providers.openai_compat import OpenAICompatible

        return Pipeline(OpenAICompatible.from_env())
    from bioql.assistant.providers.anthropic_api import AnthropicModel

    return Pipeline(AnthropicModel.from_env())


def clear_cache() -> None:
    """Forget loaded providers (tests, or after changing the environment)."""
    with _lock:
        _cache.clear()
