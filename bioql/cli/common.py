"""Helpers shared by CLI commands: JSON output and turning BioQLError into a clean exit."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def print_json(data: Any) -> None:
    """Machine-readable output on stdout, one JSON document."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


@contextmanager
def user_errors(as_json: bool = False) -> Iterator[None]:
    """Report a BioQLError as a message (or a JSON ``error``) and exit with status 1."""
    from bioql.errors import BioQLError

    try:
        yield
    except BioQLError as exc:
        if as_json:
            print_json({"error": str(exc), "type": type(exc).__name__})
        else:
            err_console.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(1) from None
