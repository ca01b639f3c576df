"""Write a trained Llama-family model (adapter merged) as a GGUF file for llama.cpp.

PyTorch eager spends ≈ 69 ms per generated token on this model (mostly per-operator
overhead on 30 small layers); llama.cpp with 8-bit weights (Q8_0: blocks of 32 weights
sharing one scale, activations kept in float) spends ≈ 10 ms — the difference between a
1.5 s and a 0.2 s answer (benchmarks/model/RESULTS.md). The file is built from the merged
weights and the tokenizer the model was trained with; BioQL tokenizes with that same
tokenizer in Python and hands llama.cpp token ids, so the prompt prefix is byte-for-byte the
one used in training.

Layout notes: llama.cpp's Llama graph applies rotary embeddings to interleaved pairs, while
Hugging Face's ``LlamaAttention`` rotates the two halves of each head; the Q and K rows are
permuted to match (a test compares logits with PyTorch).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from bioql.errors import BioQLAssistantError

#: GGUF tensor types a user can ask for: 8-bit blocks (default), 16- or 32-bit floats
QUANTIZATIONS = ("Q8_0", "F16", "F32")
_LAYER = {
    "input_layernorm": "attn_norm",
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "post_attention_layernorm": "ffn_norm",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}


def rotary_permute(weight: Any, heads: int) -> Any:
    """Rows of a Q/K projection from half-split rotary order to interleaved pairs."""
    rows = weight.shape[0]
    return (
        weight.reshape(heads, 2, rows // heads // 2, *weight.shape[1:])
        .swapaxes(1, 2)
        .reshape(weight.shape)
    )


def export_gguf(
    model: Any, tokenizer_dir: Path | str, out: Path | str, qtype: str = "Q8_0"
) -> Path:
    """Write ``model`` (a ``LlamaForCausalLM``, adapter already merged) to ``out``."""
    import gguf

    if qtype not in QUANTIZATIONS:
        raise BioQLAssistantError(
            f"GGUF type {qtype!r} is not supported; use one of {QUANTIZATIONS}."
        )
    config = model.config
    if getattr(config, "model_type", "") != "llama":
        raise BioQLAssistantError(
            f"Only Llama-family models can be exported for llama.cpp, not {config.model_type!r}; "
            "serve this model with BIOQL_RUNTIME=torch."
        )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(
        f"{out.name}.{os.getpid()}.partial"
    )  # concurrent builders don't collide
    writer = gguf.GGUFWriter(str(partial), arch="llama")
    _write_hparams(writer, config, qtype)
    _write_tokenizer(writer, Path(tokenizer_dir), config)
    for name, array in _tensors(model):
        _add_tensor(writer, name, array, qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    partial.replace(out)  # a crash never leaves a truncated file under the real name
    return out


def _write_hparams(writer: Any, config: Any, qtype: str) -> None:
    import gguf

    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    writer.add_name("bioql-codegen")
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_rope_dimension_count(head_dim)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    theta = getattr(config, "rope_theta", None) or (
        (getattr(config, "rope_parameters", None) or {}).get("rope_theta", 10000.0)
    )
    writer.add_rope_freq_base(float(theta))
    writer.add_vocab_size(config.vocab_size)
    writer.add_file_type(
        {"Q8_0": gguf.LlamaFileType.MOSTLY_Q8_0, "F16": gguf.LlamaFileType.MOSTLY_F16}.get(
            qtype, gguf.LlamaFileType.ALL_F32
        )
    )


def _write_tokenizer(writer: Any, directory: Path, config: Any) -> None:
    """The byte-level BPE vocabulary (llama.cpp needs one to load, though BioQL tokenizes)."""
    import gguf

    path = directory / "tokenizer.json"
    if not path.is_file():
        raise BioQLAssistantError(
            f"{directory} has no tokenizer.json (a fast tokenizer is needed)."
        )
    data = json.loads(path.read_text(encoding="utf-8"))
    model = data.get("model", {})
    if model.get("type") != "BPE":
        raise BioQLAssistantError("Only byte-level BPE tokenizers can be exported for llama.cpp.")
    size = config.vocab_size
    tokens = [f"[PAD{i}]" for i in range(size)]
    types = [gguf.TokenType.UNUSED] * size
    for token, index in model["vocab"].items():
        if index < size:
            tokens[index], types[index] = token, gguf.TokenType.NORMAL
    for added in data.get("added_tokens", []):
        if added["id"] < size:
            tokens[added["id"]] = added["content"]
            types[added["id"]] = (
                gguf.TokenType.CONTROL if added.get("special") else gguf.TokenType.USER_DEFINED
            )
    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    special = json.loads((directory / "tokenizer_config.json").read_text(encoding="utf-8"))
    ids = {t["content"]: t["id"] for t in data.get("added_tokens", [])}
    for key, add in (("eos_token", writer.add_eos_token_id), ("pad_token", writer.add_pad_token_id),
                     ("bos_token", writer.add_bos_token_id)):  # fmt: skip
        token = special.get(key)
        token = token.get("content") if isinstance(token, dict) else token
        if token in ids:
            add(ids[token])
    writer.add_add_bos_token(False)


def _tensors(model: Any) -> Any:
    """(GGUF name, float32 array) for every weight, Q/K rows permuted for llama.cpp's rotary."""
    config = model.config
    state = {k: v.detach().float().cpu().numpy() for k, v in model.state_dict().items()}
    yield "token_embd.weight", state["model.embed_tokens.weight"]
    yield "output_norm.weight", state["model.norm.weight"]
    tied = getattr(config, "tie_word_embeddings", False)
    if not tied and "lm_head.weight" in state:
        yield "output.weight", state["lm_head.weight"]
    for i in range(config.num_hidden_layers):
        for hf, name in _LAYER.items():
            weight = state[f"model.layers.{i}.{hf}.weight"]
            if name == "attn_q":
                weight = rotary_permute(weight, config.num_attention_heads)
            elif name == "attn_k":
                weight = rotary_permute(weight, config.num_key_value_heads)
            yield f"blk.{i}.{name}.weight", weight


def _add_tensor(writer: Any, name: str, array: Any, qtype: str) -> None:
    import gguf
    import numpy as np
    from gguf.quants import quantize

    array = np.ascontiguousarray(array, dtype=np.float32)
    if array.ndim == 2 and qtype == "Q8_0" and array.shape[-1] % 32 == 0:
        kind = gguf.GGMLQuantizationType.Q8_0
        writer.add_tensor(name, quantize(array, kind), raw_dtype=kind)
    elif array.ndim == 2 and qtype == "F16":
        writer.add_tensor(name, array.astype(np.float16))
    else:
        writer.add_tensor(name, array)  # norms stay float32, as llama.cpp expects
