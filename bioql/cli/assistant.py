"""``bioql generate``, ``bioql fix``, ``bioql dataset build``, ``bioql eval``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from bioql.cli.common import console, err_console, print_json, user_errors

dataset_app = typer.Typer(
    help="Build the code assistant's training / evaluation dataset.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)
    app.command("fix")(fix)
    app.command("eval")(evaluate)
    app.add_typer(dataset_app, name="dataset")


def generate(
    prompt: str = typer.Argument(None, help="What the program should do, in English or Spanish."),
    input_file: Path = typer.Option(
        None, "--input", help="A file with one prompt a line (one JSON answer a line)."
    ),
    provider: str = typer.Option(
        None, "--provider", help="template, local, openai or anthropic (default: BIOQL_PROVIDER)."
    ),
    no_reasoning: bool = typer.Option(False, "--no-reasoning", help="Leave the explanation out."),
    temperature: float = typer.Option(0.0, "--temperature", min=0.0, max=2.0, help="0 = greedy."),
    max_length: int = typer.Option(
        None, "--max-length", min=1, help="Most tokens the model may write."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Turn a request into BioQL code (every answer is validated before it is shown)."""
    from bioql.assistant.api import get_assistant
    from bioql.errors import BioQLValueError

    with user_errors(as_json):
        if (prompt is None) == (input_file is None):
            raise BioQLValueError(
                'Give either a PROMPT or --input FILE, e.g. bioql generate "Create a Bell state".'
            )
        assistant = get_assistant(provider)
        if input_file is not None:
            if not input_file.is_file():
                raise BioQLValueError(f"--input {input_file} is not a readable file.")
            prompts = [
                ln.strip()
                for ln in input_file.read_text(encoding="utf-8").splitlines()
                if ln.strip()
            ]
        else:
            prompts = [prompt]
        failed = False
        for text in prompts:
            answer = assistant.generate(
                text,
                include_reasoning=not no_reasoning,
                max_length=max_length,
                temperature=temperature,
            )
            failed |= answer.code is None
            if as_json or input_file is not None:
                print_json(answer.to_dict(include_reasoning=not no_reasoning))
            else:
                _show_answer(answer, not no_reasoning)
        if failed and input_file is None:
            raise typer.Exit(1)


def _show_answer(answer, include_reasoning: bool) -> None:
    from rich.syntax import Syntax

    if answer.code is None:
        err_console.print(f"[bold yellow]{answer.error}[/]")
        return
    console.print(Syntax(answer.code, "python", theme="ansi_dark"))
    if include_reasoning and answer.reasoning:
        console.print(f"[dim]{answer.reasoning}[/]")
    console.print(
        f"[dim]{answer.model} · source: {answer.source} · {answer.timing.total_seconds:.3f} s[/]"
    )


def fix(
    file: Path = typer.Argument(..., help="A Python file using BioQL ('-' for stdin)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    write: bool = typer.Option(False, "--write", help="Overwrite FILE with the repaired program."),
) -> None:
    """Repair common BioQL mistakes; prints the program and one sentence per change."""
    from bioql.assistant.editor.fix import fix as fix_code
    from bioql.errors import BioQLValueError

    with user_errors(as_json):
        if str(file) == "-":
            source = sys.stdin.read()
        elif not file.is_file():
            raise BioQLValueError(f"{file} is not a readable file.")
        else:
            source = file.read_text(encoding="utf-8")
        # the program's relative paths (dock()'s receptor files) are read from where it runs
        result = fix_code(source, files=Path.cwd())
        if write and str(file) != "-":
            file.write_text(result.code, encoding="utf-8")
        if as_json:
            print_json(result.to_dict())
            return
        from rich.syntax import Syntax

        console.print(Syntax(result.code, "python", theme="ansi_dark"))
        for change in result.changes or ["Nothing to change."]:
            console.print(f"• {change}")
        if not result.valid:
            err_console.print(f"[bold yellow]{result.remaining}[/]")
            raise typer.Exit(1)


@dataset_app.command("build")
def dataset_build(
    size: int = typer.Option(
        12000,
        "--size",
        min=100,
        help="Examples of codegen-2's categories; codegen-3's added categories come on top "
        "(chemistry 7%, maxcut 5%, screening 6% of it).",
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed (the build is deterministic)."),
    version: str = typer.Option(
        None,
        "--version",
        help="codegen-3 (default), or codegen-2: the shipped model's training data alone.",
    ),
    out: Path = typer.Option(
        None, "--out", help="Output directory (default: BIOQL_HOME/datasets/<version>)."
    ),
    execute: int = typer.Option(
        400, "--execute", min=0, help="Examples to run on statevector to check outcomes."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable summary."),
) -> None:
    """Build train / valid / test / test_novel JSONL files and a dataset card."""
    from bioql.assistant.dataset.build import DATASET_VERSION, build, default_dir

    version = version or DATASET_VERSION
    with user_errors(as_json):
        card = build(
            size=size,
            seed=seed,
            out=out or default_dir(version),
            execute=execute,
            progress=not as_json,
            version=version,
        )
        if as_json:
            print_json(card)
        else:
            console.print(
                f"[green]Wrote {card['total']} examples to {card['path']}[/] (sha256 {card['sha256'][:16]}…)"
            )
            console.print(json.dumps(card["splits"]))


def evaluate(
    provider: str = typer.Option(
        "template", "--provider", help="template, local, openai or anthropic."
    ),
    split: str = typer.Option("test_novel", "--split", help="train, valid, test or test_novel."),
    limit: int = typer.Option(None, "--limit", min=1, help="Evaluate only the first N examples."),
    sample: int = typer.Option(
        None, "--sample", min=1, help="Evaluate N examples sampled across category × language."
    ),
    dataset: Path = typer.Option(None, "--dataset", help="Dataset directory (built if missing)."),
    results: Path = typer.Option(
        Path("benchmarks/codegen/RESULTS.md"), "--results", help="Where to write the report."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Execute every answer on a split and compare outcomes with the reference programs."""
    from bioql.assistant.evaluate import run_eval

    with user_errors(as_json):
        report = run_eval(
            provider=provider,
            split=split,
            limit=limit,
            sample=sample,
            dataset=dataset,
            results=results,
            progress=not as_json,
        )
        if as_json:
            print_json(report)
        else:
            console.print(report["markdown"])
