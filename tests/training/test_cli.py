"""The `bioql train` and `bioql model` commands, JSON output and clean errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bioql.cli import app


@pytest.fixture
def tiny_format(monkeypatch, fmt):
    """The CLI uses the project's prompt format; here, the tiny test one."""
    import bioql.assistant.training.trainer as trainer

    monkeypatch.setattr(trainer, "project_format", lambda: fmt)


def test_train_from_yaml_with_overrides_resumes_and_reports_json(
    make_config, tiny_format, tmp_path
):
    config = make_config(max_steps=3)
    config.to_yaml(tmp_path / "run.yaml")
    runner = CliRunner()
    first = runner.invoke(
        app, ["train", "--config", str(tmp_path / "run.yaml"), "--stop-after", "2", "--json"]
    )
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["status"] == "interrupted" and data["steps"] == 2
    second = runner.invoke(
        app, ["train", "--config", str(tmp_path / "run.yaml"), "--max-steps", "4", "--json"]
    )
    assert second.exit_code == 0, second.output
    data = json.loads(second.stdout)
    assert data["status"] == "finished" and data["resumed_from"] == 2 and data["steps"] == 4
    info = runner.invoke(app, ["model", "info", config.output_dir, "--json"])
    assert json.loads(info.stdout)["prompt_format_version"] == "test-1"


def test_train_errors_are_sentences_not_tracebacks(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--json"])
    assert result.exit_code == 1
    assert "--train-file" in json.loads(result.stdout)["error"]
    (tmp_path / "bad.yaml").write_text("base_model: x\ntrain_file: y\noutput_dir: z\nbatch: 3\n")
    result = runner.invoke(app, ["train", "--config", str(tmp_path / "bad.yaml"), "--json"])
    assert result.exit_code == 1 and "Unknown config setting" in json.loads(result.stdout)["error"]


def test_model_fetch_json_with_a_local_gguf(tmp_path):
    from .conftest import build_tiny_base
    from .test_fetch import write_gguf

    gguf_path = tmp_path / "tiny.gguf"
    write_gguf(build_tiny_base(tmp_path / "src"), gguf_path)
    result = CliRunner().invoke(app, ["model", "fetch", "--gguf", str(gguf_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cached"] is False and len(data["weights_sha256"]) == 64


def test_model_info_refuses_an_untrained_directory(tmp_path):
    result = CliRunner().invoke(app, ["model", "info", str(tmp_path), "--json"])
    assert result.exit_code == 1 and "bioql_model.json" in json.loads(result.stdout)["error"]
