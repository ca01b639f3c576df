"""One source for each figure: every number in the README's figures table is in the results
file that row links to, so a re-run benchmark that changes a figure fails here until the README
says the same."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def figure_rows() -> list[tuple[str, list[str]]]:
    """(figure cell, linked files) for each row of the table under '## Current figures'."""
    section = README.split("## Current figures", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "](" in line]
    return [
        (line.split(" | ")[1], re.findall(r"\]\(([^)#\s]+)\)", line.split(" | ")[2]))
        for line in rows
    ]


def numbers(cell: str) -> set[str]:
    # 1.2×10⁻³ is written 1.2e-03 in the results files
    cell = re.sub(
        r"(\d+(?:\.\d+)?)×10([⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)",
        lambda m: f"{m[1]}e{int(m[2].translate(SUPERSCRIPT)):+03d}",
        cell,
    )
    scientific = set(re.findall(r"\d+(?:\.\d+)?e[+-]\d+", cell))
    rest = re.sub(r"\d+(?:\.\d+)?e[+-]\d+", " ", cell)
    return scientific | set(NUMBER.findall(rest))


def test_the_table_has_a_source_for_every_row() -> None:
    rows = figure_rows()
    assert len(rows) >= 8
    for cell, sources in rows:
        assert sources, cell
        for source in sources:
            assert (ROOT / source).is_file(), source
            assert re.search(r"RESULTS[^/]*\.md$", source), source


def test_every_figure_is_in_its_results_file() -> None:
    missing = []
    for cell, sources in figure_rows():
        text = "\n".join((ROOT / s).read_text(encoding="utf-8") for s in sources)
        for number in numbers(cell):
            if not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text):
                missing.append(f"{number} ({cell[:40]}…) not in {', '.join(sources)}")
    assert not missing, "\n".join(missing)
