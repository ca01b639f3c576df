"""The training loop: LoRA trains only adapters, checkpoints resume exactly, runs are recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from bioql.assistant.training.config import TrainConfig
from bioql.assistant.training.data import collate, encode_records, read_jsonl
from bioql.assistant.training.trainer import (
    batch_indices,
    latest_checkpoint,
    load_model_and_tokenizer,
    train,
)
from bioql.errors import BioQLAssistantError, BioQLValueError


def test_one_lora_step_changes_adapters_and_leaves_the_base_frozen(make_config, fmt):
    config = make_config()
    model, tokenizer = load_model_and_tokenizer(config, fmt)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    # LoRA matrices, plus the embedding rows of the format's new marker tokens
    assert trainable and all("lora_" in n or "trainable_tokens" in n for n in trainable)
    assert {n.split(".lora_A")[0].split(".")[-1] for n in trainable if "lora_A" in n} == {
        "q_proj",
        "k_proj",
        "v_proj",
        "o_proj",
    }
    examples, _ = encode_records(
        tokenizer, read_jsonl(config.train_file), fmt.render_prompt, fmt.render_target, 96
    )
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    model(**collate(examples[:2], tokenizer.pad_token_id)).loss.backward()
    optimizer.step()
    after = dict(model.named_parameters())
    changed = {n for n in before if not torch.equal(before[n], after[n])}
    # lora_B starts at zero, so lora_A gets no gradient on the first step: B must move.
    assert any("lora_B" in n for n in changed)
    assert any("trainable_tokens" in n for n in changed)
    assert changed <= trainable
    frozen = set(before) - trainable
    assert frozen and not changed & frozen


def test_training_writes_adapter_tokenizer_metadata_and_loss_curve(make_config, fmt):
    config = make_config(valid_file=make_config().train_file, eval_every=2)
    result = train(config, fmt=fmt, show_progress=False)
    out = config.output_dir
    assert result.status == "finished" and result.steps == 4
    info = json.loads(Path(out, "bioql_model.json").read_text())
    assert info["prompt_format_version"] == "test-1"
    assert info["kind"] == "adapter"
    assert len(info["dataset_sha256"]) == 64 and len(info["base_model_sha256"]) == 64
    assert info["pad_token"] != info["eos_token"]
    adapter = load_file(f"{out}/adapter_model.safetensors")
    # adapters and the 3 new marker rows only — never a copy of the whole vocabulary
    assert adapter and all("lora_" in k or "trainable_tokens_delta" in k for k in adapter)
    assert all(v.shape[0] == 3 for k, v in adapter.items() if "trainable_tokens" in k)
    with open(f"{out}/loss_curve.png", "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert result.valid_loss is not None and any("valid_loss" in h for h in result.history)
    assert result.trainable_parameters < 0.5 * sum(
        t.numel() for t in load_file(f"{config.base_model}/model.safetensors").values()
    )


def test_batch_order_is_a_function_of_seed_and_step():
    per_epoch = [i for s in range(3) for i in batch_indices(s, 2, 6, seed=1)]
    assert sorted(per_epoch) == list(range(6))  # one epoch covers every example once
    assert batch_indices(5, 4, 6, seed=1) == batch_indices(5, 4, 6, seed=1)
    assert batch_indices(0, 6, 6, seed=1) != batch_indices(0, 6, 6, seed=2)


def test_resume_continues_at_the_right_step_with_the_same_result(make_config, fmt, tmp_path):
    straight = make_config(output_dir=str(tmp_path / "straight"))
    train(straight, fmt=fmt, show_progress=False)

    split = make_config(output_dir=str(tmp_path / "split"))
    first = train(split, fmt=fmt, show_progress=False, stop_after=2)
    assert first.status == "interrupted" and first.steps == 2
    assert latest_checkpoint(tmp_path / "split").name == "step-0000002"
    second = train(split, fmt=fmt, show_progress=False)
    assert second.resumed_from == 2 and second.steps == 4
    assert [h["step"] for h in second.history] == [1, 2, 3, 4]

    a = load_file(str(tmp_path / "straight" / "adapter_model.safetensors"))
    b = load_file(str(tmp_path / "split" / "adapter_model.safetensors"))
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=1e-5, atol=1e-6)


def test_checkpoint_of_another_run_is_refused(make_config, fmt):
    train(make_config(), fmt=fmt, show_progress=False, stop_after=2)
    with pytest.raises(BioQLAssistantError, match=r"different run \(changed: lora"):
        train(make_config(lora={"r": 4}), fmt=fmt, show_progress=False)


def test_full_training_of_a_scratch_model(make_config, fmt):
    config = make_config(method="full", scratch={"layers": 1, "hidden": 32, "heads": 2})
    result = train(config, fmt=fmt, show_progress=False)
    assert result.status == "finished"
    info = json.loads(Path(config.output_dir, "bioql_model.json").read_text())
    assert info["kind"] == "full" and info["base_model_sha256"] is None


def test_config_yaml_round_trip_and_clear_errors(make_config, tmp_path):
    config = make_config(lora={"r": 8, "target_modules": ["q_proj", "v_proj"]})
    config.to_yaml(tmp_path / "run.yaml")
    again = TrainConfig.from_yaml(tmp_path / "run.yaml")
    assert again == config and again.lora.r == 8
    (tmp_path / "bad.yaml").write_text("base_model: x\ntrain_file: y\noutput_dir: z\nlr: 1\n")
    with pytest.raises(BioQLValueError, match=r"Unknown config setting.*lr"):
        TrainConfig.from_yaml(tmp_path / "bad.yaml")
    with pytest.raises(BioQLValueError, match="method: full"):
        make_config(scratch={"layers": 1})
    with pytest.raises(BioQLValueError, match="batch_size must be ≥ 1"):
        make_config(batch_size=0)


def test_shipped_config_loads_with_bioql_home_paths_and_the_seeds_lora(_isolated_bioql_home):
    from importlib.resources import files

    shipped = files("bioql.assistant.training") / "configs" / "smollm2-lora.yaml"
    config = TrainConfig.from_yaml(Path(str(shipped)))
    home = str(_isolated_bioql_home)
    assert config.train_file.startswith(home) and config.output_dir.startswith(home)
    assert config.base_model == f"{home}/models/smollm2-135m-instruct"
    assert (config.lora.r, config.lora.alpha, config.lora.dropout) == (16, 32, 0.05)
    assert config.lora.target_modules == ["q_proj", "k_proj", "v_proj", "o_proj"]


def test_background_runs_log_plain_lines(make_config, fmt, capsys):
    """Without a terminal (nohup, a log file), progress is written as one line per 10 steps."""
    result = train(make_config(max_steps=10, save_every=100), fmt=fmt, show_progress=True)
    assert result.status == "finished"
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("step ")]
    assert lines and lines[-1].startswith("step 10/10 loss ")
    assert "ex/s" in lines[-1] and "eta" in lines[-1]


def test_init_adapter_starts_from_a_trained_adapter_and_refuses_one_that_does_not_fit(
    make_config, fmt, trained
):
    from peft import get_peft_model_state_dict

    done, _ = trained
    config = make_config(init_adapter=done.output_dir)
    model, _ = load_model_and_tokenizer(config, fmt)
    saved = load_file(str(Path(done.output_dir, "adapter_model.safetensors")))
    now = get_peft_model_state_dict(model)
    assert saved and all(torch.equal(now[k], v) for k, v in saved.items())
    assert any(v.abs().sum() > 0 for k, v in saved.items() if "lora_B" in k)  # not a fresh init

    with pytest.raises(BioQLAssistantError, match=r"does not fit|does not train"):
        load_model_and_tokenizer(make_config(init_adapter=done.output_dir, lora={"r": 4}), fmt)
    with pytest.raises(BioQLAssistantError, match=r"adapter_model\.safetensors"):
        load_model_and_tokenizer(make_config(init_adapter=str(Path(done.output_dir).parent)), fmt)
    with pytest.raises(BioQLValueError, match="init_adapter"):
        make_config(init_adapter=done.output_dir, method="full")
