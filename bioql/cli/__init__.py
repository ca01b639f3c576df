"""The ``bioql`` command line: one Typer app, one module per area.

Each ``bioql/cli/<area>.py`` defines ``register(app)``. Heavy libraries (qiskit, torch, rdkit)
are imported inside the commands, not at module import, so ``bioql --help`` stays fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="bioql",
    help="Natural-language quantum programming for the life sciences.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Order here is the order in `bioql --help`.
_AREAS = ("run", "dock", "screen", "assistant", "train", "server", "admin")


def _register_all() -> None:
    for area in _AREAS:
        try:
            module = importlib.import_module(f"bioql.cli.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bioql.cli.{area}":
                continue  # that area is not built yet
            raise
        module.register(app)


_register_all()


def main() -> None:
    app()
