"""The README's links lead somewhere, and each capability has a section others can fill."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTIONS = (
    "language",
    "backends",
    "docking",
    "screening",
    "chemistry",
    "assistant",
    "service",
    "extension",
)


def test_relative_links_point_at_files_in_the_repository() -> None:
    targets = re.findall(r"\]\((?!https?://|#)([^)#\s]+)", README)
    assert targets, "the README links to nothing"
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert not missing


def test_each_capability_has_one_section_between_markers() -> None:
    for name in SECTIONS:
        opening, closing = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
        assert README.count(opening) == 1 and README.count(closing) == 1, name
        assert README.index(opening) < README.index(closing), name
