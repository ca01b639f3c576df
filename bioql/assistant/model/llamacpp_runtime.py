"""Serve a trained BioQL code model with llama.cpp: the fast runtime of the ``local`` provider.

The model directory (adapter or full model, see ``torch_runtime.py``) is turned once into an
8-bit GGUF file cached under ``BIOQL_HOME/models/gguf/`` (keyed by the weights' checksum, so
retraining rebuilds it); later processes load only that file — no PyTorch import, which is
what keeps `bioql generate` under its 5 s cold-start budget. Prompts are tokenized with the
model's own ``tokenizer.json`` (the tokenizer training used) and llama.cpp receives token ids;
decoding is greedy and stops at EOS, like :class:`~bioql.assistant.model.torch_runtime.LocalModel`.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bioql.assistant.model.metadata import models_dir
from bioql.assistant.model.torch_runtime import Generation, load_once, loaded_models, open_model_dir
from bioql.assistant.plan.grammar import Constraint
from bioql.errors import BioQLAssistantError

CONTEXT_TOKENS = 2048
GGUF_TYPE = "Q8_0"


def gguf_path(model_dir: Path | str, qtype: str = GGUF_TYPE) -> Path:
    """Where the GGUF build of ``model_dir`` is cached (a new build for new weights)."""
    model_dir = Path(model_dir)
    digest = hashlib.sha256()
    for name in ("adapter_model.safetensors", "model.safetensors", "tokenizer.json"):
        path = model_dir / name
        if path.is_file():
            digest.update(path.read_bytes())
    return (
        models_dir() / "gguf" / f"{model_dir.name}-{digest.hexdigest()[:12]}-{qtype.lower()}.gguf"
    )


def build_gguf(
    model_dir: Path, out: Path, qtype: str = GGUF_TYPE, prompt_format_version: str | None = None
) -> Path:
    """Merge the adapter in PyTorch and write the GGUF file (once per trained model)."""
    from bioql.assistant.model.export_gguf import export_gguf
    from bioql.assistant.model.torch_runtime import LocalModel

    torch_model = LocalModel(model_dir, prompt_format_version=prompt_format_version)
    return export_gguf(torch_model.model, model_dir, out, qtype)


class LlamaCppModel:
    """A trained model running in llama.cpp; same ``generate`` contract as ``LocalModel``."""

    def __init__(
        self,
        path: Path | str,
        *,
        prompt_format_version: str | None = None,
        threads: int | None = None,
        gguf_file: Path | str | None = None,
    ) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise BioQLAssistantError(
                f"llama.cpp is not installed ({exc}); install the [assistant] extra or set "
                "BIOQL_RUNTIME=torch."
            ) from None
        from tokenizers import Tokenizer

        self.path, self.info = open_model_dir(path, prompt_format_version)
        started = time.perf_counter()
        self.gguf_file = Path(gguf_file) if gguf_file else gguf_path(self.path)
        if not self.gguf_file.is_file():
            build_gguf(self.path, self.gguf_file, prompt_format_version=prompt_format_version)
        self.tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        self._eos = self._special_id("eos_token")
        self._pad = self._special_id("pad_token")
        self.llm = Llama(
            model_path=str(self.gguf_file),
            n_ctx=CONTEXT_TOKENS,
            n_batch=512,
            n_threads=threads or os.cpu_count() or 1,
            verbose=False,
        )
        self.name = self.info.get("name") or self.path.name
        self.load_seconds = time.perf_counter() - started
        self._lock = threading.Lock()  # one llama.cpp context: one generation at a time

    @property
    def eos_token_id(self) -> int:
        return self._eos

    def _special_id(self, key: str) -> int:
        import json

        config = json.loads((self.path / "tokenizer_config.json").read_text(encoding="utf-8"))
        token = config.get(key)
        token = token.get("content") if isinstance(token, dict) else token
        index = self.tokenizer.token_to_id(token) if token else None
        if index is None:
            raise BioQLAssistantError(f"{self.path}'s tokenizer has no {key}; retrain the model.")
        return int(index)

    def encode(self, prompt: str) -> list[int]:
        """Token ids of a rendered prompt, exactly as ``model.tokens.encode_prompt``."""
        return list(self.tokenizer.encode(prompt, add_special_tokens=True).ids)

    def generate(
        self,
        prompt: str,
        *,
        max_new_tokens: int = 96,
        temperature: float = 0.0,
        seed: int | None = None,
        grammar: Any = None,
        prefix: Sequence[int] = (),
    ) -> Generation:
        """Continue ``prompt``; ``grammar`` (a ``plan.grammar.Grammar``) keeps the answer
        inside the plan language, and ``prefix`` (token ids, with a grammar) forces its start."""
        if temperature < 0:
            raise BioQLAssistantError(f"temperature must be ≥ 0, got {temperature}.")
        ids = self.encode(prompt)
        if len(ids) + max_new_tokens > CONTEXT_TOKENS:
            raise BioQLAssistantError(
                f"The prompt is {len(ids)} tokens; with {max_new_tokens} new tokens it exceeds "
                f"the model's {CONTEXT_TOKENS}-token context. Shorten the request."
            )
        with self._lock:
            started = time.perf_counter()
            forks: list[Any] = []
            if grammar is not None:
                constraint = Constraint(
                    grammar, self._decode, self._eos, banned=[self._pad], prefix=prefix
                )
                out, finished = self._constrained(
                    ids, max_new_tokens, temperature, seed, constraint
                )
                forks = constraint.forks
            else:
                out, finished = self._free(ids, max_new_tokens, temperature, seed)
            seconds = time.perf_counter() - started
        text = self._decode(out)
        return Generation(text, len(ids), len(out) + int(finished), seconds, finished, out, forks)

    def _decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode([t for t in ids if t != self._pad], skip_special_tokens=True)

    def _free(
        self, ids: list[int], limit: int, temperature: float, seed: int | None
    ) -> tuple[list[int], bool]:
        sampling: dict[str, Any] = (
            {"temp": temperature, "top_k": 0, "top_p": 1.0, "min_p": 0.0}
            if temperature > 0
            else {"temp": 0.0, "top_k": 1}
        )
        if seed is not None:
            self.llm.set_seed(seed)
        out: list[int] = []
        for token in self.llm.generate(ids, repeat_penalty=1.0, reset=True, **sampling):
            if token == self._eos:
                return out, True
            out.append(int(token))
            if len(out) >= limit:
                break
        return out, False

    def _feed(self, tokens: list[int]) -> None:
        """Evaluate ``tokens``, keeping the cache of the longest start already evaluated (a
        retry from a fork of the previous answer re-reads neither the prompt nor the prefix)."""
        cached = self.llm.input_ids[: self.llm.n_tokens].tolist()
        same = 0
        limit = min(len(cached), len(tokens) - 1)  # at least one token is evaluated: its logits
        while same < limit and cached[same] == tokens[same]:
            same += 1
        self.llm.n_tokens = same
        self.llm.eval(tokens[same:])

    def _constrained(
        self, ids: list[int], limit: int, temperature: float, seed: int | None, constraint: Any
    ) -> tuple[list[int], bool]:
        """Token by token from llama.cpp's logits, keeping only tokens the grammar allows."""
        import llama_cpp
        import numpy as np

        rng = np.random.default_rng(seed)
        out = list(constraint.prefix)
        self._feed([*ids, *out])
        while len(out) < limit:
            # the last position's logits (Llama.scores is only filled with logits_all=True)
            row = llama_cpp.llama_get_logits_ith(self.llm.ctx, -1)
            logits = np.ctypeslib.as_array(row, shape=(self.llm.n_vocab(),)).astype(np.float64)
            keep = constraint.choices(out, logits, sampling=temperature > 0)
            if not keep:  # nothing continues a plan: stop, the validator says why
                break
            token = keep[0]
            if temperature > 0 and len(keep) > 1:
                weights = np.exp((logits[keep] - logits[keep].max()) / temperature)
                token = int(rng.choice(keep, p=weights / weights.sum()))
            if token == self._eos:
                return out, True
            out.append(token)
            self.llm.eval([token])
        return out, False


@atexit.register
def _close_all() -> None:
    # llama.cpp's own finalizer fails once the interpreter has torn its bindings down
    for model in loaded_models():
        if isinstance(model, LlamaCppModel):
            model.llm.close()


def load_llamacpp_model(path: Path | str, **options: Any) -> LlamaCppModel:
    """The process-wide :class:`LlamaCppModel` for ``path`` (loaded on first use)."""
    return load_once(LlamaCppModel, path, **options)
