"""Jupyter integration: ``%load_ext bioql`` adds the ``%%bioql`` cell magic.

The body of a ``%%bioql`` cell is a description, run with :func:`bioql.quantum`; the cell's
value is the :class:`~bioql.result.QuantumResult`, which Jupyter shows with its reading,
counts and histogram::

    %%bioql --shots 2000 --seed 7 --name bell
    Create a Bell state

A description that BioQL cannot run is reported as one sentence, without a traceback.
"""

from __future__ import annotations

from typing import Any

from IPython.core import magic_arguments
from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, magics_class

from bioql.errors import BioQLError


@magics_class
class BioQLMagics(Magics):
    @magic_arguments.magic_arguments()
    @magic_arguments.argument(
        "--backend", "-b", help="Backend name (default: the text's, else simulator)."
    )
    @magic_arguments.argument(
        "--shots", "-s", type=int, help="Shots (default: the text's, else 1024)."
    )
    @magic_arguments.argument("--seed", type=int, help="Seed for reproducible sampling.")
    @magic_arguments.argument("--name", "-n", help="Also store the result in this variable.")
    @cell_magic
    def bioql(self, line: str, cell: str) -> Any:
        """Run the cell's description with bioql.quantum() and show the result."""
        from bioql.runtime import quantum

        args = magic_arguments.parse_argstring(self.bioql, line)
        description = " ".join(cell.split())
        if not description:
            raise UsageError(
                "The %%bioql cell is empty: write a description such as 'Create a Bell state'."
            )
        # Only the flags given are passed, so a backend or shot count stated in the text applies.
        given = {k: v for k, v in vars(args).items() if v is not None and k != "name"}
        try:
            result = quantum(description, **given)
        except BioQLError as exc:
            raise UsageError(str(exc)) from None
        if args.name and self.shell is not None:  # a registered magic always has its shell
            self.shell.user_ns[args.name] = result
        return result


def load_ipython_extension(ipython: Any) -> None:
    """Called by ``%load_ext bioql``."""
    ipython.register_magics(BioQLMagics)
