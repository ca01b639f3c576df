"""The language page's table of real readings is real: each row compiles to the reading shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bioql.language import compile_description

PAGE = Path(__file__).resolve().parents[2] / "docs" / "language.md"


def _rows() -> list[tuple[str, str]]:
    rows = []
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) == 3 and cells[0].startswith("`") and not cells[1].startswith("`"):
            written = cells[0].strip("`").replace("\\|", "|")
            rows.append((written, cells[1].replace("\\|", "|")))
    return rows


def test_the_page_has_a_table_of_readings() -> None:
    assert len(_rows()) >= 10


@pytest.mark.parametrize(("written", "reading"), _rows())
def test_each_written_description_reads_as_shown(written: str, reading: str) -> None:
    assert compile_description(written).reading == reading
