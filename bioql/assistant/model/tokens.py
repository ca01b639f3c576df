"""Prompt tokenization, written once for training and generation so the two cannot drift.

The prompt is tokenized on its own, exactly as at inference, so the boundary between the
prompt and the answer is tokenized identically in both (``training.data`` builds on this).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def encode_prompt(tokenizer: Any, prompt: str) -> list[int]:
    """Token ids of a rendered prompt — the same call in training and in generation."""
    return list(tokenizer(prompt, add_special_tokens=True)["input_ids"])


def left_pad(prompts: Sequence[Sequence[int]], pad_id: int) -> dict[str, Any]:
    """Left-pad prompts for batched generation, so every row's next token is at the end."""
    import torch

    width = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(prompts), width), dtype=torch.long)
    for row, prompt in enumerate(prompts):
        ids[row, width - len(prompt) :] = torch.tensor(list(prompt))
        mask[row, width - len(prompt) :] = 1
    return {"input_ids": ids, "attention_mask": mask}
