"""The ``local`` provider: the code model trained by ``bioql train`` (issue 4), on this machine.

The model directory is ``BIOQL_MODEL_DIR`` if set, else ``models/bioql-codegen`` in the
repository / working directory. It runs on llama.cpp (``model/llamacpp_runtime.py``, an 8-bit GGUF
built once from the trained weights) when llama-cpp-python is installed, else on PyTorch
(``model/torch_runtime.py``); ``BIOQL_RUNTIME`` forces one. Loading refuses a model whose saved
prompt-format version differs from :data:`prompt.PROMPT_FORMAT_VERSION`; the input is always
``prompt.render_prompt`` — the same prefix the model was trained on — and the slots of its
answer are filled back from the request (``prompt.decode_output``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from bioql.assistant.contract import Reply
from bioql.assistant.model import prompt
from bioql.assistant.model.metadata import MODEL_INFO_FILE
from bioql.assistant.plan import search as plan_search
from bioql.assistant.plan.grammar import Grammar
from bioql.errors import BioQLAssistantError

#: Most tokens the model may write. The longest plan in the dataset is 68 tokens; a model
#: that has not stopped by then is rambling, and each extra token costs ~70 ms on a CPU
#: (256 tokens made a bad answer take ~30 s before the template generator could answer).
MAX_NEW_TOKENS = 80


def model_dir() -> Path:
    env = os.environ.get("BIOQL_MODEL_DIR")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parents[3] / "models" / "bioql-codegen"
    return packaged if packaged.is_dir() else Path.cwd() / "models" / "bioql-codegen"


RUNTIMES = ("auto", "llama.cpp", "torch")


def runtime() -> str:
    """``BIOQL_RUNTIME``: llama.cpp (fast, the default when installed) or torch."""
    name = os.environ.get("BIOQL_RUNTIME", "auto").strip().lower() or "auto"
    if name not in RUNTIMES:
        raise BioQLAssistantError(
            f"BIOQL_RUNTIME must be one of {', '.join(RUNTIMES)}, got {name!r}."
        )
    return name


def load_model(path: Path, name: str, threads: int | None) -> Any:
    """The model in ``path`` on runtime ``name``, loaded once per process.

    ``auto`` takes llama.cpp when it is installed (faster per answer; the measured ratio is in
    benchmarks/model/RESULTS.md) and PyTorch otherwise; both answer with the same weights.
    """
    version = prompt.PROMPT_FORMAT_VERSION
    if name != "torch":
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            if name == "llama.cpp":
                raise BioQLAssistantError(
                    "BIOQL_RUNTIME=llama.cpp but llama-cpp-python is not installed; install "
                    "the [assistant] extra or set BIOQL_RUNTIME=torch."
                ) from None
        else:
            from bioql.assistant.model.llamacpp_runtime import load_llamacpp_model

            return load_llamacpp_model(path, prompt_format_version=version, threads=threads)
    try:
        from bioql.assistant.model.torch_runtime import load_local_model
    except ImportError as exc:
        raise BioQLAssistantError(f"The local provider needs the [train] extra: {exc}.") from None
    return load_local_model(path, prompt_format_version=version, threads=threads)


def model_available() -> bool:
    return (model_dir() / MODEL_INFO_FILE).is_file()


class LocalBackend:
    """Adapts a loaded local model to the pipeline's ``ask`` / ``repair``."""

    pricing_unit: Literal["second", "token"] = "second"

    def __init__(self, model: Any):
        self.model = model
        # The shipped model was trained on first answers only: on test_novel its repair turn
        # turned 18 of ~470 rejected answers into right ones while doubling their latency, so
        # a rejected answer goes straight to the template generator (BIOQL_LOCAL_REPAIR=1 restores it).
        self.repairs = os.environ.get("BIOQL_LOCAL_REPAIR", "0") == "1"
        # Decoding inside the plan language (plan/grammar.py): the model cannot write a plan BioQL
        # could not read. BIOQL_CONSTRAINED=0 shows what the model writes unconstrained.
        self.constrained = os.environ.get("BIOQL_CONSTRAINED", "1") != "0"
        # A greedy answer that leaves a value of the request unused is retried from its
        # closest forks (plan/search.py). BIOQL_PLAN_SEARCH=0 keeps the plain greedy answer.
        self.search = os.environ.get("BIOQL_PLAN_SEARCH", "1") != "0"
        self.name = str(getattr(model, "name", "bioql-local"))

    @classmethod
    def from_env(cls) -> LocalBackend:
        path = model_dir()
        if not (path / MODEL_INFO_FILE).is_file():
            raise BioQLAssistantError(
                f"No trained code model at {path} (no {MODEL_INFO_FILE}); train one with `bioql train`, "
                "set BIOQL_MODEL_DIR, or use --provider template."
            )
        threads = int(os.environ.get("BIOQL_THREADS", "0")) or None
        return cls(load_model(path, runtime(), threads))

    def ask(self, request: str, *, temperature: float, max_tokens: int) -> Reply:
        return self._run(request, prompt.render_prompt(request), temperature, max_tokens)

    def repair(
        self, request: str, previous: str, feedback: str, *, temperature: float, max_tokens: int
    ) -> Reply:
        text = prompt.render_repair_prompt(request, previous, feedback)
        return self._run(request, text, temperature, max_tokens)

    def _run(self, request: str, text: str, temperature: float, max_tokens: int) -> Reply:
        limit = min(max_tokens, MAX_NEW_TOKENS)
        slots = prompt.request_slots(request)
        values = slots.values
        grammar = Grammar(values) if self.constrained else None

        def generate(prefix: Sequence[int] = ()) -> Any:
            return self.model.generate(
                text, max_new_tokens=limit, temperature=temperature, grammar=grammar, prefix=prefix
            )

        if grammar is not None and temperature == 0 and self.search:
            out = plan_search.search(generate, values, mentions=slots.mentions)
        else:
            out = generate()
        answer = prompt.decode_output(out.text, request)
        return Reply(text=answer, tokens_in=out.tokens_in, tokens_out=out.tokens_out)
