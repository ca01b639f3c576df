"""Tokenization for training and inference, written once so the two cannot drift.

A training example is ``encode_prompt(prompt) + answer tokens + [EOS]``; the loss only sees
the answer and the EOS (prompt labels are -100), so the model learns to answer and to stop —
the seeds' model learned neither and echoed the prompt. The prompt is tokenized on its own,
exactly as at inference, so the boundary between prompt and answer is tokenized identically.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bioql.assistant.model.tokens import encode_prompt
from bioql.errors import BioQLAssistantError, BioQLValueError

IGNORE_INDEX = -100


@dataclass
class Encoded:
    input_ids: list[int]
    labels: list[int]

    @property
    def prompt_length(self) -> int:
        return sum(1 for label in self.labels if label == IGNORE_INDEX)


def add_format_tokens(tokenizer: Any, fmt: Any) -> list[int]:
    """Make each marker of the prompt format one token and its end marker the EOS.

    Returns the ids of tokens that were not in the vocabulary (their embeddings must be
    trained). A marker split into five sub-word pieces would cost five decoding steps per
    answer and could be produced half-way; as one token it is one step and unambiguous.
    """
    vocab = tokenizer.get_vocab()
    new = [t for t in getattr(fmt, "special_tokens", ()) if t not in vocab]
    if new:
        tokenizer.add_special_tokens({"additional_special_tokens": new})
    end = getattr(fmt, "end_token", None)
    if end:
        tokenizer.eos_token = end
    return [int(tokenizer.convert_tokens_to_ids(t)) for t in new]


def ensure_pad_token(tokenizer: Any, preferred: str | None = None) -> bool:
    """Give ``tokenizer`` a pad token distinct from EOS; True when a new token was added.

    Padding with EOS makes EOS look like noise to be ignored, and a model that never learns
    EOS never stops. An existing special token (the preferred one, else UNK, else another
    unused special) is reused so the vocabulary — and a frozen base model — stays unchanged.
    """
    if tokenizer.eos_token_id is None:
        raise BioQLAssistantError("The tokenizer has no EOS token; the model could never stop.")
    if preferred is not None:
        if preferred not in tokenizer.get_vocab():
            raise BioQLValueError(f"pad_token {preferred!r} is not in the tokenizer's vocabulary.")
        tokenizer.pad_token = preferred
    if tokenizer.pad_token_id is not None and tokenizer.pad_token_id != tokenizer.eos_token_id:
        return False
    avoid = {tokenizer.eos_token_id, tokenizer.bos_token_id}
    candidates = [tokenizer.unk_token, *getattr(tokenizer, "all_special_tokens", [])]
    for token in candidates:
        if token and tokenizer.convert_tokens_to_ids(token) not in avoid:
            tokenizer.pad_token = token
            return False
    tokenizer.add_special_tokens({"pad_token": "<|pad|>"})
    return True


def encode_example(tokenizer: Any, prompt: str, target: str, max_length: int) -> Encoded | None:
    """Prompt + answer + EOS with the prompt masked; None if it does not fit ``max_length``.

    Over-long examples are dropped, not truncated: a truncated answer would teach the model
    to stop mid-program (or, cut before EOS, never to stop).
    """
    prompt_ids = encode_prompt(tokenizer, prompt)
    answer_ids = list(tokenizer(target, add_special_tokens=False)["input_ids"])
    if not answer_ids or answer_ids[-1] != tokenizer.eos_token_id:
        answer_ids.append(tokenizer.eos_token_id)  # the format's end marker already is EOS
    if len(prompt_ids) + len(answer_ids) > max_length:
        return None
    return Encoded(
        input_ids=prompt_ids + answer_ids,
        labels=[IGNORE_INDEX] * len(prompt_ids) + answer_ids,
    )


def collate(batch: Sequence[Encoded], pad_id: int) -> dict[str, Any]:
    """Right-pad a training batch (positions then start at 0 for every row, as at inference)."""
    import torch

    width = max(len(item.input_ids) for item in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE_INDEX, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, item in enumerate(batch):
        n = len(item.input_ids)
        ids[row, :n] = torch.tensor(item.input_ids)
        labels[row, :n] = torch.tensor(item.labels)
        mask[row, :n] = 1
    return {"input_ids": ids, "labels": labels, "attention_mask": mask}


def read_jsonl(path: Path | str, limit: int | None = None) -> list[dict[str, Any]]:
    path = Path(path)
    if not path.is_file():
        raise BioQLValueError(
            f"Dataset file {path} does not exist; build it with `bioql dataset build`."
        )
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise BioQLValueError(f"{path}:{number} is not valid JSON: {exc}.") from None
            if limit is not None and len(records) >= limit:
                break
    if not records:
        raise BioQLValueError(f"Dataset file {path} holds no examples.")
    return records


def file_sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def encode_records(
    tokenizer: Any,
    records: Iterable[Mapping[str, Any]],
    render_prompt: Any,
    render_target: Any,
    max_length: int,
) -> tuple[list[Encoded], int]:
    """Encode every record; returns the examples and how many were too long to keep."""
    kept: list[Encoded] = []
    dropped = 0
    for record in records:
        item = encode_example(tokenizer, render_prompt(record), render_target(record), max_length)
        if item is None:
            dropped += 1
        else:
            kept.append(item)
    return kept, dropped
