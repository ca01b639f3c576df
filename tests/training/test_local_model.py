"""The served model: the adapter it loads is the one trained, in the format it was trained on."""

from __future__ import annotations

import json

import pytest
import torch

from bioql.assistant.model.tokens import encode_prompt
from bioql.assistant.model.torch_runtime import LocalModel, load_local_model
from bioql.assistant.training.trainer import load_model_and_tokenizer
from bioql.errors import BioQLAssistantError


def test_adapter_save_then_load_gives_identical_logits(trained, fmt):
    config, _ = trained
    # Rebuild the in-memory trained model from the last checkpoint, as the trainer held it.
    from safetensors.torch import load_file

    model, tokenizer = load_model_and_tokenizer(config, fmt)
    weights = load_file(f"{config.output_dir}/checkpoints/step-0000005/trainable.safetensors")
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, value in weights.items():
            params[name].copy_(value)
    model.eval()
    ids = torch.tensor([encode_prompt(tokenizer, fmt.render_prompt({"instruction": "x y"}))])
    with torch.no_grad():
        expected = model(input_ids=ids).logits

    unmerged = LocalModel(config.output_dir, prompt_format_version="test-1", merge_adapter=False)
    merged = LocalModel(config.output_dir, prompt_format_version="test-1")
    with torch.no_grad():
        assert torch.equal(unmerged.model(input_ids=ids).logits, expected)
        torch.testing.assert_close(merged.model(input_ids=ids).logits, expected)
        # and the adapter matters: the bare base model answers differently
        base = model.get_base_model() if hasattr(model, "get_base_model") else None
        with model.disable_adapter():
            assert not torch.allclose(model(input_ids=ids).logits, expected)
    assert base is not None


def test_the_trained_model_answers_and_stops_at_eos_without_echoing(memorized, fmt):
    config, result = memorized
    assert result.final_loss < 0.2, result.final_loss
    model = LocalModel(config.output_dir, prompt_format_version="test-1")
    prompt = fmt.render_prompt({"instruction": "make a bell state"})
    answer = model.generate(prompt, max_new_tokens=60)
    assert answer.finished, answer.text
    assert answer.text == 'quantum("Create a Bell state", shots=100)'
    assert "make a bell state" not in answer.text
    assert answer.tokens_in == len(encode_prompt(model.tokenizer, prompt))


def test_batched_left_padded_generation_equals_one_by_one(memorized, fmt):
    config, _ = memorized
    model = LocalModel(config.output_dir, prompt_format_version="test-1")
    prompts = [
        fmt.render_prompt({"instruction": i})
        for i in ("make a bell state", "run grover for 101", "teleport a qubit")
    ]
    batched = [g.text for g in model.generate_batch(prompts, max_new_tokens=40)]
    single = [model.generate(p, max_new_tokens=40).text for p in prompts]
    assert batched == single


def test_temperature_is_honoured_and_greedy_is_deterministic(memorized, fmt):
    config, _ = memorized
    model = LocalModel(config.output_dir, prompt_format_version="test-1")
    prompt = fmt.render_prompt({"instruction": "qubits a ghz"})
    greedy = {model.generate(prompt, max_new_tokens=12).text for _ in range(2)}
    assert len(greedy) == 1
    hot = {
        model.generate(prompt, max_new_tokens=12, temperature=5.0, seed=s).text for s in range(4)
    }
    assert len(hot) > 1
    with pytest.raises(BioQLAssistantError, match="temperature"):
        model.generate(prompt, temperature=-1)


def test_a_model_saved_with_another_prompt_format_is_refused(trained):
    config, _ = trained
    with pytest.raises(BioQLAssistantError) as excinfo:
        LocalModel(config.output_dir, prompt_format_version="test-2")
    message = str(excinfo.value)
    assert "'test-1'" in message and "'test-2'" in message and "bioql train" in message


def test_a_directory_without_metadata_is_refused(tiny_base):
    with pytest.raises(BioQLAssistantError, match="prompt-format version is unknown"):
        LocalModel(tiny_base, prompt_format_version="test-1")


def test_missing_base_model_says_how_to_fetch_it(trained, tmp_path):
    import shutil

    config, _ = trained
    copy = tmp_path / "adapter"
    shutil.copytree(config.output_dir, copy, ignore=shutil.ignore_patterns("checkpoints"))
    info = json.loads((copy / "bioql_model.json").read_text())
    info["base_model_path"] = str(tmp_path / "gone")
    info["base_model"] = "gone"
    (copy / "bioql_model.json").write_text(json.dumps(info))
    with pytest.raises(BioQLAssistantError, match="bioql model fetch"):
        LocalModel(copy, prompt_format_version="test-1")


def test_loaded_once_per_process(trained):
    config, _ = trained
    first = load_local_model(config.output_dir, prompt_format_version="test-1")
    assert load_local_model(config.output_dir, prompt_format_version="test-1") is first


def test_prompt_lookup_decoding_gives_the_same_greedy_answers(memorized, fmt):
    config, _ = memorized
    plain = LocalModel(config.output_dir, prompt_format_version="test-1")
    lookup = LocalModel(config.output_dir, prompt_format_version="test-1", prompt_lookup=4)
    for instruction in ("make a bell state", "run grover for 101", "qubits in a ghz"):
        prompt = fmt.render_prompt({"instruction": instruction})
        a = plain.generate(prompt, max_new_tokens=40)
        b = lookup.generate(prompt, max_new_tokens=40)
        assert (a.text, a.finished, a.tokens_out) == (b.text, b.finished, b.tokens_out)


@pytest.mark.parametrize("tie", [True, False], ids=["tied", "untied"])
def test_merging_without_peft_matches_peft(tie, tiny_data, tmp_path, fmt):
    """The peft-free merge (fast cold start) gives peft's outputs, tied head or not."""
    from .conftest import build_tiny_base, run_tiny_training

    base = build_tiny_base(tmp_path / "base", tie=tie)
    config, _ = run_tiny_training(
        base, tiny_data, tmp_path / "run", max_steps=3, learning_rate=1e-2
    )
    info = json.loads((tmp_path / "run" / "adapter_config.json").read_text())
    assert ("lm_head" in str(info["trainable_token_indices"])) is not tie
    fast = LocalModel(config.output_dir, prompt_format_version="test-1")
    exact = LocalModel(config.output_dir, prompt_format_version="test-1", merge_adapter=False)
    assert type(fast.model).__name__ == "LlamaForCausalLM"
    ids = torch.tensor([encode_prompt(fast.tokenizer, fmt.render_prompt({"instruction": "a"}))])
    with torch.no_grad():
        torch.testing.assert_close(
            fast.model(input_ids=ids).logits, exact.model(input_ids=ids).logits
        )


def test_int8_keeps_down_proj_and_the_output_layer_in_fp32(memorized, fmt):
    config, _ = memorized
    model = LocalModel(config.output_dir, prompt_format_version="test-1", quantize=True)
    kinds = {name: type(m).__module__ for name, m in model.model.named_modules()}
    assert "quantized" in kinds["model.layers.0.self_attn.q_proj"]
    assert "quantized" not in kinds["model.layers.0.mlp.down_proj"]
    assert "quantized" not in kinds["lm_head"]
    answer = model.generate(fmt.render_prompt({"instruction": "make a bell state"}))
    assert answer.tokens_out > 0
