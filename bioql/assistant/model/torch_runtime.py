"""Load a trained BioQL code model once per process and generate raw text from it.

A model directory is either a full Hugging Face causal LM or a LoRA adapter over a base
model; both carry ``bioql_model.json`` (see :mod:`bioql.assistant.model.metadata`). The
prompt-format version recorded there must equal the running one, or loading is refused —
serving a model with a prompt it was not trained on is how the seeds' model echoed prompts.

This module returns raw text; parsing and validation belong to the generation pipeline.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bioql.assistant.model.metadata import BASE_INFO_FILE, models_dir, read_model_info
from bioql.errors import BioQLAssistantError


@dataclass
class Generation:
    text: str
    tokens_in: int
    tokens_out: int
    seconds: float
    #: True when the model emitted EOS, False when it ran out of ``max_new_tokens``
    finished: bool
    #: the answer's token ids (without EOS) and, under a grammar, where greedy decoding
    #: nearly chose another token (``plan.grammar.Fork``; ``plan.search`` retries those)
    ids: list[int] = field(default_factory=list)
    forks: list[Any] = field(default_factory=list)


class LocalModel:
    """A trained model ready to generate. Greedy unless ``temperature`` > 0; stops at EOS."""

    def __init__(
        self,
        path: Path | str,
        *,
        prompt_format_version: str | None = None,
        threads: int | None = None,
        quantize: bool = False,
        merge_adapter: bool = True,
        prompt_lookup: int = 0,
    ) -> None:
        import torch
        from transformers import AutoTokenizer

        if threads:
            torch.set_num_threads(threads)
        self.path, self.info = open_model_dir(path, prompt_format_version)
        started = time.perf_counter()
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path))
        if self.tokenizer.pad_token_id in (None, self.tokenizer.eos_token_id):
            raise BioQLAssistantError(f"{self.path}'s tokenizer pads with EOS; retrain it.")
        self.model = _load_weights(self.path, self.info, len(self.tokenizer), merge_adapter)
        self.model.eval()
        if quantize:
            self.model = _quantize_int8(self.model)
        #: draft up to this many tokens by copying from the prompt (greedy output unchanged;
        #: an answer that repeats the request costs one forward pass per copied run)
        self.prompt_lookup = prompt_lookup
        self.name = self.info.get("name") or self.path.name
        self.load_seconds = time.perf_counter() - started
        self._lock = threading.Lock()  # one generation at a time: torch already uses all cores

    @property
    def eos_token_id(self) -> int:
        return int(self.tokenizer.eos_token_id)

    def constraint(self, grammar: Any, prefix: Sequence[int] = ()) -> Any:
        from bioql.assistant.plan.grammar import Constraint

        def decode(ids: list[int]) -> str:
            return str(self.tokenizer.decode(ids, skip_special_tokens=True))

        pad = self.tokenizer.pad_token_id
        return Constraint(grammar, decode, self.eos_token_id, banned=[pad], prefix=prefix)

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
        """Continue ``prompt`` (rendered by ``bioql.assistant.model.prompt``) and return the answer.

        ``grammar`` (a ``plan.grammar.Grammar``) keeps the answer inside the plan language,
        and ``prefix`` (token ids, with a grammar) forces its start.
        """
        return self.generate_batch(
            [prompt],
            max_new_tokens=max_new_tokens,
            temperature=temperature,
            seed=seed,
            grammar=grammar,
            prefix=prefix,
        )[0]

    def generate_batch(
        self,
        prompts: list[str],
        *,
        max_new_tokens: int = 96,
        temperature: float = 0.0,
        seed: int | None = None,
        grammar: Any = None,
        prefix: Sequence[int] = (),
    ) -> list[Generation]:
        """Several prompts in one left-padded batch; each answer stops at its own EOS.
        Forks are reported for a single prompt only (the rows share one constraint)."""
        import torch

        from bioql.assistant.model.tokens import encode_prompt, left_pad

        if temperature < 0:
            raise BioQLAssistantError(f"temperature must be ≥ 0, got {temperature}.")
        encoded = [encode_prompt(self.tokenizer, p) for p in prompts]
        batch = left_pad(encoded, self.tokenizer.pad_token_id)
        options: dict[str, Any] = {
            "max_new_tokens": max_new_tokens,
            "eos_token_id": self.eos_token_id,
            "pad_token_id": self.tokenizer.pad_token_id,
            "use_cache": True,
        }
        if temperature > 0:
            options.update(do_sample=True, temperature=temperature, top_k=0, top_p=1.0)
        else:
            options.update(do_sample=False)
            if self.prompt_lookup and len(prompts) == 1 and grammar is None:
                options.update(prompt_lookup_num_tokens=self.prompt_lookup)  # batch-1 only
        constraint = None
        if grammar is not None:
            width = batch["input_ids"].shape[1]
            constraint = self.constraint(grammar, prefix)
            options["logits_processor"] = [_PlanLogits(constraint, width, temperature > 0)]
        with self._lock, torch.inference_mode():
            if seed is not None:
                torch.manual_seed(seed)
            started = time.perf_counter()
            output = self.model.generate(**batch, **options)
            seconds = time.perf_counter() - started
        width = batch["input_ids"].shape[1]
        results = [
            self._result(output[row, width:], len(encoded[row]), seconds)
            for row in range(len(prompts))
        ]
        if constraint is not None and len(prompts) == 1:
            results[0].forks = constraint.forks
        return results

    def _result(self, new_ids: Any, tokens_in: int, seconds: float) -> Generation:
        ids = new_ids.tolist()
        finished = self.eos_token_id in ids
        if finished:
            ids = ids[: ids.index(self.eos_token_id)]
        ids = [i for i in ids if i != self.tokenizer.pad_token_id]
        text = str(self.tokenizer.decode(ids, skip_special_tokens=True))
        return Generation(text, tokens_in, len(ids) + int(finished), seconds, finished, ids)


class _PlanLogits:
    """A transformers logits processor: only tokens that keep each answer a viable plan."""

    def __init__(self, constraint: Any, width: int, sampling: bool) -> None:
        self.constraint = constraint
        self.width = width
        self.sampling = sampling

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        for row in range(scores.shape[0]):
            generated = input_ids[row, self.width :].tolist()
            if self.constraint.eos_id in generated:
                continue  # finished rows only receive padding
            logits = scores[row].float().numpy()
            keep = self.constraint.choices(generated, logits, self.sampling)
            # nothing continues a plan: end here, the validator says why
            keep = keep or [self.constraint.eos_id]
            masked = torch.full_like(scores[row], float("-inf"))
            masked[keep] = scores[row, keep]
            scores[row] = masked
        return scores


def open_model_dir(
    path: Path | str, prompt_format_version: str | None
) -> tuple[Path, dict[str, Any]]:
    """A trained model directory and its ``bioql_model.json``, refused if it is missing or was
    trained with another prompt format (both runtimes load through here)."""
    path = Path(path)
    if not path.is_dir():
        raise BioQLAssistantError(f"Model directory {path} does not exist.")
    info = read_model_info(path)
    check_format(path, info, prompt_format_version)
    return path, info


def check_format(path: Path, info: dict[str, Any], expected: str | None) -> None:
    if expected is None:
        from bioql.assistant.model.format import project_format

        expected = project_format().version
    saved = info.get("prompt_format_version")
    if str(saved) != str(expected):
        raise BioQLAssistantError(
            f"Model {path} was trained with prompt format version {saved!r}, but this BioQL "
            f"renders prompts with version {expected!r}; its answers would not be reliable. "
            "Retrain it with `bioql train` or install the BioQL version it was trained with."
        )


def resolve_base(path: Path, info: dict[str, Any]) -> Path:
    """Where an adapter's base model lives: as recorded, else ``BIOQL_HOME/models/<name>``."""
    recorded = [Path(info["base_model_path"])] if info.get("base_model_path") else []
    candidates = [*recorded, models_dir() / info["base_model"]]
    for candidate in candidates:
        if (candidate / "config.json").is_file():
            _check_base_checksum(candidate, info)
            return candidate
    raise BioQLAssistantError(
        f"The base model {info['base_model']!r} of adapter {path} is not on this machine; "
        "run `bioql model fetch` to provision it."
    )


def _check_base_checksum(base: Path, info: dict[str, Any]) -> None:
    expected = info.get("base_model_sha256")
    record = base / BASE_INFO_FILE
    if not expected or not record.is_file():
        return
    actual = json.loads(record.read_text()).get("weights_sha256")
    if actual and actual != expected:
        raise BioQLAssistantError(
            f"The base model at {base} (SHA-256 {actual[:12]}…) is not the one the adapter was "
            f"trained on ({expected[:12]}…); run `bioql model fetch --force`."
        )


def _load_weights(path: Path, info: dict[str, Any], vocab: int, merge_adapter: bool) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    if info.get("kind") != "adapter":
        return AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32)
    base = AutoModelForCausalLM.from_pretrained(str(resolve_base(path, info)), dtype=torch.float32)
    embeddings: Any = base.get_input_embeddings()  # an nn.Embedding for every causal LM we load
    if vocab > embeddings.num_embeddings:
        # the format's marker tokens: their rows come from the adapter's trainable tokens
        base.resize_token_embeddings(vocab, mean_resizing=False)
    if merge_adapter:
        from bioql.assistant.model.merge import merge_adapter as merge_without_peft

        if merge_without_peft(base, path):  # avoids importing peft (> 2 s of cold start)
            return base
    from peft import PeftModel

    model = PeftModel.from_pretrained(base, str(path))
    # Merging folds the adapter into the weights: same outputs, no extra matmuls per token.
    return model.merge_and_unload() if merge_adapter else model


def _quantize_int8(model: Any) -> Any:
    """Dynamic int8 on the linear layers that tolerate it (benchmarks/model/RESULTS.md).

    ``down_proj`` inputs carry activation outliers and ``lm_head`` decides every token: both
    stay fp32 (agreement with fp32 and the speed-up of each choice are in that results file).
    Off by default; enable only if the eval holds up.
    """
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao's deprecation notice; it still works
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        spec = {
            name: per_channel_dynamic_qconfig
            for name, module in model.named_modules()
            if isinstance(module, torch.nn.Linear) and not name.endswith(("down_proj", "lm_head"))
        }
        return quantize_dynamic(model, spec, dtype=torch.qint8)


_CACHE: dict[tuple[Any, ...], Any] = {}
_CACHE_LOCK = threading.Lock()


def load_once(factory: Any, path: Path | str, **options: Any) -> Any:
    """The process-wide ``factory(path, **options)`` (a model runtime), created on first use."""
    key = (factory.__name__, str(Path(path).resolve()), tuple(sorted(options.items())))
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = factory(path, **options)
        return _CACHE[key]


def loaded_models() -> list[Any]:
    with _CACHE_LOCK:
        return list(_CACHE.values())


def load_local_model(path: Path | str, **options: Any) -> LocalModel:
    """The process-wide :class:`LocalModel` for ``path`` (loaded on first use)."""
    return load_once(LocalModel, path, **options)
