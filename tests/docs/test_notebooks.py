"""The example notebooks run from top to bottom with the current code.

Each notebook is executed in a fresh kernel from examples/ (so relative paths work as they do
for a reader), and a cell that raises fails the test with the cell's error. The saved
outputs are not compared: they are what a reader sees on GitHub, refreshed with
``BIOQL_UPDATE_NOTEBOOKS=1 pytest tests/docs/test_notebooks.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
CELL_TIMEOUT = 300  # seconds; the docking cell is the slowest


def test_the_examples_are_there() -> None:
    names = [path.stem for path in NOTEBOOKS]
    assert names == [
        "01_language_tour",
        "02_backends",
        "03_docking",
        "04_assistant",
        "05_chemistry",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()
    for cell in notebook.cells:
        errors = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
        assert not errors, f"{path.name}: {cell.source[:60]!r} raised {errors[0]['ename']}"
    if os.environ.get("BIOQL_UPDATE_NOTEBOOKS") == "1":
        nbformat.write(notebook, path)
