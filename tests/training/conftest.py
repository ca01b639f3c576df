"""A tiny Llama and tokenizer built here, so no test trains or downloads the real model."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")

EXAMPLES = [
    ("make a bell state", 'quantum("Create a Bell state", shots=100)'),
    ("build a ghz state on 3 qubits", 'quantum("Create a 3-qubit GHZ state", shots=200)'),
    ("run grover for 101", 'quantum("Run Grover search for 101", shots=300)'),
    ("apply qft to 4 qubits", 'quantum("Apply QFT to 4 qubits", shots=400)'),
    ("put 2 qubits in superposition", 'quantum("Put 2 qubits in superposition", shots=500)'),
    ("teleport a qubit", 'quantum("Teleport a qubit", shots=600)'),
]


@dataclass(frozen=True)
class TinyFormat:
    """Stands in for bioql.assistant.model.prompt: a version, a prompt and a target renderer."""

    version: str = "test-1"
    special_tokens: tuple[str, ...] = ("<|q|>", "<|a|>", "<|end|>")
    end_token: str | None = "<|end|>"

    def render_prompt(self, record: Mapping[str, Any]) -> str:
        return f"<|q|>{record['instruction']}<|a|>"

    def render_target(self, record: Mapping[str, Any]) -> str:
        return record["code"] + "<|end|>"


def _tokenizer(directory: Path) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<extra>"]
    tok = Tokenizer(models.BPE(unk_token="<|endoftext|>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=300,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    lines = [text for pair in EXAMPLES for text in pair] + ["user assistant"]
    tok.train_from_iterator(lines, trainer)
    # Like SmolLM2's GGUF tokenizer: pad is EOS out of the box, which the trainer must fix.
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        unk_token="<|endoftext|>",
        pad_token="<|im_end|>",
        additional_special_tokens=["<extra>"],
    )
    fast.save_pretrained(directory)
    return fast


def build_tiny_base(directory: Path, tie: bool = True) -> Path:
    from transformers import LlamaConfig, LlamaForCausalLM

    directory.mkdir(parents=True, exist_ok=True)
    tokenizer = _tokenizer(directory)
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=tie,
    )
    LlamaForCausalLM(config).save_pretrained(directory)
    return directory


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_base(tmp_path_factory.mktemp("tiny_base"))


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny_data") / "train.jsonl"
    with open(path, "w") as handle:
        for instruction, code in EXAMPLES:
            handle.write(json.dumps({"instruction": instruction, "code": code}) + "\n")
    return path


@pytest.fixture
def fmt() -> TinyFormat:
    return TinyFormat()


@pytest.fixture
def make_config(tiny_base: Path, tiny_data: Path, tmp_path: Path):
    from bioql.assistant.training.config import TrainConfig

    def make(**overrides: Any) -> TrainConfig:
        settings: dict[str, Any] = {
            "base_model": str(tiny_base),
            "train_file": str(tiny_data),
            "output_dir": str(tmp_path / "run"),
            "batch_size": 2,
            "max_steps": 4,
            "learning_rate": 1e-2,
            "warmup_steps": 0,
            "save_every": 2,
            "max_length": 96,
            "threads": 1,
        }
        settings.update(overrides)
        return TrainConfig(**settings)

    return make


def run_tiny_training(tiny_base: Path, tiny_data: Path, out: Path, **settings: Any) -> Any:
    from bioql.assistant.training.config import TrainConfig
    from bioql.assistant.training.trainer import train

    config = TrainConfig(
        base_model=str(tiny_base),
        train_file=str(tiny_data),
        output_dir=str(out),
        batch_size=6,
        warmup_steps=0,
        save_every=1000,
        max_length=96,
        threads=1,
        **settings,
    )
    return config, train(config, fmt=TinyFormat(), show_progress=False)


@pytest.fixture(scope="session")
def trained(tiny_base, tiny_data, tmp_path_factory):
    """A short LoRA run (seeds' r=16, alpha=32) on the tiny random model."""
    out = tmp_path_factory.mktemp("lora") / "run"
    return run_tiny_training(tiny_base, tiny_data, out, max_steps=5, learning_rate=1e-2)


@pytest.fixture(scope="session")
def memorized(tiny_base, tiny_data, tmp_path_factory):
    """Full training until the tiny model knows its six answers and when to stop.

    (LoRA on attention alone cannot teach a *random* base anything; the real base is
    pretrained, the tiny one is not.)
    """
    out = tmp_path_factory.mktemp("full") / "run"
    return run_tiny_training(
        tiny_base, tiny_data, out, method="full", max_steps=150, learning_rate=1e-2
    )
