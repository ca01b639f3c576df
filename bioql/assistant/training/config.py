"""One training run = one :class:`TrainConfig`, loadable from and saved as YAML.

The config is saved next to every checkpoint, so a resumed run can check that it continues
the same run (same base, data and schedule) rather than silently mixing two.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from bioql.errors import BioQLValueError

DEFAULT_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj")
PATH_FIELDS = ("base_model", "train_file", "valid_file", "output_dir", "init_adapter")


def expand_path(value: str) -> str:
    """``${BIOQL_HOME}`` (even when unset: its default), other ``$VARS`` and ``~`` in paths."""
    if "${BIOQL_HOME}" in value or "$BIOQL_HOME" in value:
        from bioql.config import bioql_home

        home = str(bioql_home())
        value = value.replace("${BIOQL_HOME}", home).replace("$BIOQL_HOME", home)
    return os.path.expanduser(os.path.expandvars(value))


@dataclass
class LoraSettings:
    """The seeds' LoRA configuration by default: r=16, alpha=32, dropout 0.05 on q/k/v/o."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: list[str] = field(default_factory=lambda: list(DEFAULT_TARGETS))


@dataclass
class ScratchSettings:
    """A small Llama initialised at random (for tests and the from-scratch baseline)."""

    layers: int = 2
    hidden: int = 64
    heads: int = 4
    kv_heads: int = 2
    intermediate: int = 128
    max_positions: int = 512


SPLIT_AT = ("random", "subword")


@dataclass
class NoiseSettings:
    """Noise on training requests (``augment.py``); ``share`` 0 turns it off."""

    #: fraction of training examples given noise
    share: float = 0.0
    #: per plain word: chance it is replaced by a random word, split in two, or followed by one
    replace: float = 0.06
    split: float = 0.04
    insert: float = 0.06
    #: where a split word is cut: "random" (any point) or "subword" (a token boundary of
    #: the base tokenizer when the word has one)
    split_at: str = "random"


@dataclass
class TrainConfig:
    train_file: str
    output_dir: str
    #: a local Hugging Face causal-LM directory (its tokenizer is used for scratch runs too);
    #: empty = the SmolLM2 provisioned by `bioql model fetch`
    base_model: str = ""
    valid_file: str | None = None
    #: "lora" trains adapters on a frozen base; "full" trains every weight (scratch runs)
    method: Literal["lora", "full"] = "lora"
    lora: LoraSettings = field(default_factory=LoraSettings)
    #: a trained adapter directory (LoRA runs) to start from instead of fresh adapters:
    #: continued fine-tuning on more data without paying again for the steps already taken
    init_adapter: str = ""
    #: set to build a fresh random model with the base's tokenizer instead of loading weights
    scratch: ScratchSettings | None = None
    noise: NoiseSettings = field(default_factory=NoiseSettings)
    epochs: float = 1.0
    max_steps: int | None = None
    batch_size: int = 8
    grad_accum: int = 1
    learning_rate: float = 2e-4
    warmup_steps: int = 10
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    max_length: int = 384
    limit_examples: int | None = None
    valid_examples: int = 64
    seed: int = 0
    #: torch intra-op threads; on a busy 2-core machine 1 can beat 2
    threads: int | None = None
    save_every: int = 50
    eval_every: int = 0
    keep_checkpoints: int = 2
    #: a special token to pad with when the tokenizer's pad token is missing or equals EOS
    pad_token: str | None = None

    def __post_init__(self) -> None:
        for name in PATH_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str) and value:
                setattr(self, name, expand_path(value))
        if not self.base_model:
            from bioql.assistant.training.fetch import default_base_dir

            self.base_model = str(default_base_dir())
        if isinstance(self.lora, dict):
            self.lora = _build(LoraSettings, self.lora, "lora")
        if isinstance(self.scratch, dict):
            self.scratch = _build(ScratchSettings, self.scratch, "scratch")
        if isinstance(self.noise, dict):
            self.noise = _build(NoiseSettings, self.noise, "noise")
        self.validate()

    def validate(self) -> None:
        problems = []
        if self.method not in ("lora", "full"):
            problems.append(f"method must be 'lora' or 'full', not {self.method!r}")
        if self.scratch is not None and self.method != "full":
            problems.append("a scratch model has nothing pretrained to freeze: use method: full")
        for name in ("batch_size", "grad_accum", "max_length", "save_every", "keep_checkpoints"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be ≥ 1, got {getattr(self, name)}")
        if self.max_steps is not None and self.max_steps < 1:
            problems.append(f"max_steps must be ≥ 1, got {self.max_steps}")
        if self.epochs <= 0:
            problems.append(f"epochs must be > 0, got {self.epochs}")
        if not 0 < self.learning_rate < 1:
            problems.append(f"learning_rate must be in (0, 1), got {self.learning_rate}")
        if self.threads is not None and self.threads < 1:
            problems.append(f"threads must be ≥ 1, got {self.threads}")
        if self.init_adapter and self.method != "lora":
            problems.append("init_adapter continues a LoRA run: use method: lora")
        if self.lora.r < 1 or not 0 <= self.lora.dropout < 1 or not self.lora.target_modules:
            problems.append("lora needs r ≥ 1, 0 ≤ dropout < 1 and at least one target module")
        rates = (self.noise.share, self.noise.replace, self.noise.split, self.noise.insert)
        if not all(0 <= r <= 1 for r in rates) or self.noise.replace + self.noise.split > 1:
            problems.append("noise rates must be between 0 and 1 (replace + split at most 1)")
        if self.noise.split_at not in SPLIT_AT:
            problems.append(f"noise.split_at must be one of {', '.join(SPLIT_AT)}")
        if problems:
            raise BioQLValueError("Invalid training config: " + "; ".join(problems) + ".")

    @property
    def examples_per_step(self) -> int:
        return self.batch_size * self.grad_accum

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_yaml(self, path: Path) -> None:
        import yaml

        Path(path).write_text(yaml.safe_dump(self.to_dict(), sort_keys=False))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        return _build(cls, data, "config")

    @classmethod
    def from_yaml(cls, path: Path | str) -> TrainConfig:
        import yaml

        path = Path(path)
        if not path.is_file():
            raise BioQLValueError(f"Training config {path} does not exist.")
        try:
            data = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as exc:
            raise BioQLValueError(f"Training config {path} is not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise BioQLValueError(f"Training config {path} must be a mapping of settings.")
        return cls.from_dict(data)

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with ``changes`` applied (None values are ignored, as from unset CLI flags)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise BioQLValueError(
            f"Unknown {where} setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}."
        )
    try:
        return cls(**data)
    except TypeError as exc:
        raise BioQLValueError(f"Incomplete {where}: {exc}.") from None
