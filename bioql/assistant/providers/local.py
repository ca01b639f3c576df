"""The ``local`` provider: the code model trained by ``bioql train`` (issue 4), on this machine.

The model directory is ``BIOQL_MODEL_DIR`` if set, else ``models/bioql-codegen`` in the
repository / working directory. Loading (``bioql.assistant.local_model.LocalModel``) refuses a
model whose saved prompt-format version differs from :data:`prompt.PROMPT_FORMAT_VERSION`;
the input is always ``prompt.render_prompt`` — the same prefix the model was trained on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from bioql.assistant import prompt
from bioql.assistant.generate import Reply
from bioql.errors import BioQLAssistantError

MODEL_INFO = "bioql_model.json"
#: Most tokens the model may write. The longest plan in the dataset is 68 tokens; a model
#: that has not stopped by then is rambling, and each extra token costs ~70 ms on a CPU
#: (256 tokens made a bad answer take ~30 s before the fallback could answer).
MAX_NEW_TOKENS = 80


def model_dir() -> Path:
    env = os.environ.get("BIOQL_MODEL_DIR")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parents[3] / "models" / "bioql-codegen"
    return packaged if packaged.is_dir() else Path.cwd() / "models" / "bioql-codegen"


def model_available() -> bool:
    return (model_dir() / MODEL_INFO).is_file()


class LocalBackend:
    """Adapts a loaded local model to the pipeline's ``ask`` / ``repair``."""

    pricing_unit: Literal["second", "token"] = "second"

    def __init__(self, model: Any):
        self.model = model
        self.name = str(getattr(model, "name", "bioql-local"))

    @classmethod
    def from_env(cls) -> LocalBackend:
        path = model_dir()
        if not (path / MODEL_INFO).is_file():
            raise BioQLAssistantError(
                f"No trained code model at {path} (no {MODEL_INFO}); train one with `bioql train`, "
                "set BIOQL_MODEL_DIR, or use --provider template."
            )
        try:
            from bioql.assistant.local_model import LocalModel
        except ImportError as exc:
            raise BioQLAssistantError(
                f"The local provider needs the [train] extra: {exc}."
            ) from None
        threads = int(os.environ.get("BIOQL_THREADS", "0")) or None
        return cls(
            LocalModel(path, prompt_format_version=prompt.PROMPT_FORMAT_VERSION, threads=threads)
        )

    def ask(self, request: str, *, temperature: float, max_tokens: int) -> Reply:
        return self._run(prompt.render_prompt(request), temperature, max_tokens)

    def repair(
        self, request: str, previous: str, feedback: str, *, temperature: float, max_tokens: int
    ) -> Reply:
        return self._run(
            prompt.render_repair_prompt(request, previous, feedback), temperature, max_tokens
        )

    def _run(self, text: str, temperature: float, max_tokens: int) -> Reply:
        limit = min(max_tokens, MAX_NEW_TOKENS)
        out = self.model.generate(text, max_new_tokens=limit, temperature=temperature)
        return Reply(text=out.text, tokens_in=out.tokens_in, tokens_out=out.tokens_out)
