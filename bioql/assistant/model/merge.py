"""Fold a saved LoRA adapter into a base model without importing peft.

``import peft`` alone takes over 2 s here, most of the `bioql generate` cold-start budget
(≤ 5 s). For the adapters ``bioql train`` writes — plain LoRA on linear layers plus trainable
token rows — merging is a few lines: ``W += (B @ A) · alpha / r`` and copying the trained
rows into the (tied) embedding. Anything else (DoRA, rsLoRA, per-module ranks, bias, extra
saved modules) returns False so the caller falls back to peft. A test checks this against
peft's own merge.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PREFIX = "base_model.model."
_UNSUPPORTED = {
    "use_dora": True,
    "use_rslora": True,
    "fan_in_fan_out": True,
    "lora_bias": True,
}


def can_merge(config: dict[str, Any]) -> bool:
    if config.get("peft_type") != "LORA" or config.get("bias", "none") != "none":
        return False
    if any(config.get(k) == v for k, v in _UNSUPPORTED.items()):
        return False
    if config.get("rank_pattern") or config.get("alpha_pattern") or config.get("modules_to_save"):
        return False
    return not config.get("layers_to_transform") and not config.get("target_parameters")


def merge_adapter(model: Any, adapter_dir: Path | str) -> bool:
    """Merge the adapter in ``adapter_dir`` into ``model`` in place; False if unsupported."""
    import torch
    from safetensors.torch import load_file

    adapter_dir = Path(adapter_dir)
    config = json.loads((adapter_dir / "adapter_config.json").read_text())
    if not can_merge(config):
        return False
    weights = load_file(str(adapter_dir / "adapter_model.safetensors"))
    scale = config["lora_alpha"] / config["r"]
    with torch.no_grad():
        for key, a in weights.items():
            if not key.endswith(".lora_A.weight"):
                continue
            path = key[len(PREFIX) : -len(".lora_A.weight")]
            b = weights[key.replace(".lora_A.", ".lora_B.")]
            layer = model.get_submodule(path)
            layer.weight += (b @ a) * scale
        _copy_token_rows(model, weights, config.get("trainable_token_indices"))
    return True


def _copy_token_rows(model: Any, weights: dict[str, Any], indices: Any) -> None:
    """Trained rows of new tokens replace the base rows (peft stores values, not deltas)."""
    if not indices:
        return
    by_module = indices if isinstance(indices, dict) else {"embed_tokens": indices}
    for key, rows in weights.items():
        if not key.endswith(".token_adapter.trainable_tokens_delta"):
            continue
        path = key[len(PREFIX) : -len(".token_adapter.trainable_tokens_delta")]
        name = path.rsplit(".", 1)[-1]
        index = by_module.get(name)
        if index is None:
            continue
        layer = model.get_submodule(path)
        layer.weight[list(index)] = rows.to(layer.weight.dtype)
