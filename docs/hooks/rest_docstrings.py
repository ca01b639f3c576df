"""Griffe extension: BioQL's docstrings use reST markup; the API pages render Markdown.

Two reST habits would otherwise show up raw on the site: roles such as
``:class:`~bioql.errors.BioQLError``` (rendered here as inline code of the name a reader
sees) and doctest examples (``>>>`` lines, which Markdown reads as nested quotes; they are
fenced as Python). A paragraph ending in ``::`` ends in ``:``, as reST displays it.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|func|meth|mod|attr|exc|data|obj):`~?([\w.]+)`")


def to_markdown(text: str) -> str:
    text = ROLE.sub(lambda m: f"`{_shown(m)}`", text)
    text = re.sub(r"(\S)::$", r"\1:", text, flags=re.MULTILINE)
    return _fence_doctests(text)


def _shown(match: re.Match[str]) -> str:
    """reST shows ``~a.b.C`` as ``C`` and ``a.b.C`` in full."""
    name = match.group(1)
    return name.rsplit(".", 1)[-1] if match.group(0).count("~") else name


def _fence_doctests(text: str) -> str:
    """A doctest runs from its first ``>>>`` line to the next blank line."""
    out: list[str] = []
    in_doctest = False
    for line in text.splitlines():
        starts = line.lstrip().startswith(">>>")
        if starts and not in_doctest:
            out.append("```python")
            in_doctest = True
        elif in_doctest and not line.strip():
            out.append("```")
            in_doctest = False
        out.append(line)
    if in_doctest:
        out.append("```")
    return "\n".join(out)


class ReSTDocstrings(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **_: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)
