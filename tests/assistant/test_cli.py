"""The CLI contracts (docs/conventions.md): generate / fix / dataset build / eval, with --json."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bioql.cli import app
from bioql.language import compile_description

runner = CliRunner()
ANSWER_KEYS = {
    "code", "reasoning", "model", "valid", "source", "timing", "tokens_in", "tokens_out",
    "interpreted_as",
}  # fmt: skip


def test_generate_json_shape():
    result = runner.invoke(
        app, ["generate", "Create a Bell state", "--json", "--provider", "template"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= ANSWER_KEYS and "error" not in data
    assert set(data["timing"]) == {"total_seconds", "generation_seconds"}
    assert data["valid"] is True and data["source"] == "fallback"
    assert data["code"].startswith("from bioql import quantum")
    (reading,) = data["interpreted_as"]
    assert compile_description(reading).kinds == ["bell"]


def test_generate_refusal_has_error_and_no_code():
    result = runner.invoke(
        app, ["generate", "Write a SQL query for my users", "--json", "--provider", "template"]
    )
    data = json.loads(result.stdout)
    assert data["code"] is None and data["error"] and data["valid"] is False
    assert data["interpreted_as"] == []


def test_generate_input_file_one_json_line_per_prompt(tmp_path):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text(
        "Create a Bell state\n\nWhat's the weather?\nCrea un estado GHZ de 3 qubits\n"
    )
    result = runner.invoke(
        app,
        ["generate", "--input", str(prompts), "--json", "--no-reasoning", "--provider", "template"],
    )
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [bool(x["code"]) for x in lines] == [True, False, True]
    assert all(x["reasoning"] == "" for x in lines)


def test_generate_needs_a_prompt_or_a_file():
    result = runner.invoke(app, ["generate", "--json"])
    assert result.exit_code == 1 and "PROMPT" in json.loads(result.stdout)["error"]


def test_fix_json(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text('from bioq import quantum\nr = quantum("QFT", 4, shots="100")\nprint(r)\n')
    result = runner.invoke(app, ["fix", str(path), "--json"])
    data = json.loads(result.stdout)
    assert set(data) == {"code", "changes", "valid", "remaining"} and data["valid"]
    assert data["remaining"] == ""
    assert (
        len(data["changes"]) == 4
        and "shots=100" in data["code"]
        and "QFT on 4 qubits" in data["code"]
    )


def test_fix_json_says_what_remains(tmp_path):
    path = tmp_path / "docking.py"
    path.write_text(
        'from bioql.docking import dock\nr = dock(ligand_smiles="CCO", protein_pdb="1ABC")\n'
    )
    result = runner.invoke(app, ["fix", str(path), "--json"])
    data = json.loads(result.stdout)
    assert data["valid"] is False and "1ABC" in data["remaining"]


def test_dataset_build_and_eval_json(tmp_path):
    out = tmp_path / "ds"
    built = runner.invoke(
        app,
        [
            "dataset",
            "build",
            "--size",
            "200",
            "--seed",
            "1",
            "--out",
            str(out),
            "--execute",
            "10",
            "--json",
        ],
    )
    assert built.exit_code == 0, built.output
    card = json.loads(built.stdout)
    assert card["total"] == 236 and (out / "test_novel.jsonl").is_file()  # 200 + 36 added
    results = tmp_path / "RESULTS.md"
    evaluated = runner.invoke(
        app, ["eval", "--split", "test", "--dataset", str(out), "--results", str(results), "--json"]
    )
    assert evaluated.exit_code == 0, evaluated.output
    report = json.loads(evaluated.stdout)
    assert report["invalid_answers"] == 0 and report["n"] == card["splits"]["test"]
    assert set(report["pass_at_1"]) == {"model_alone", "after_repair", "end_to_end"}
    assert "<!-- eval:template:test -->" in results.read_text()
