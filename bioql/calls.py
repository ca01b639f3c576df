"""Find the BioQL calls (``quantum(...)``, ``dock(...)``, ``screen(...)``) in Python source.

Used by the code assistant's validator and by the web playground's Run button: both need to
know what a program would do without executing it. User code is parsed with :mod:`ast`,
never executed; only literal arguments are evaluated (``ast.literal_eval``).

Linear in the size of the code: the source text of an argument is cut from offsets computed
once (``ast.get_source_segment`` splits the whole source again for every argument, which made
20 KB of calls take seconds).
"""

from __future__ import annotations

import ast
import io
from dataclasses import dataclass, field
from typing import Any

from bioql.errors import BioQLValueError

BIOQL_FUNCTIONS = frozenset({"quantum", "dock", "screen"})


@dataclass(frozen=True)
class Unresolved:
    """An argument that is not a literal (a variable, an f-string...); keeps its source text."""

    source: str


@dataclass(frozen=True)
class Call:
    """One call to a BioQL function found in the source."""

    func: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    lineno: int = 0

    def argument(self, name: str, position: int, default: Any = None) -> Any:
        """The argument given by keyword ``name`` or at ``position``, else ``default``."""
        if name in self.kwargs:
            return self.kwargs[name]
        return self.args[position] if position < len(self.args) else default


def parse_source(code: str) -> ast.Module:
    """Parse Python source, turning a SyntaxError into a BioQLValueError with its location."""
    try:
        return ast.parse(code)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        raise BioQLValueError(f"The code is not valid Python ({where}): {exc.msg}.") from None
    except ValueError as exc:  # e.g. null bytes
        raise BioQLValueError(f"The code cannot be parsed: {exc}.") from None
    except (RecursionError, MemoryError):
        raise BioQLValueError(
            "The code is nested too deeply to read (thousands of brackets or operators in one "
            "expression); split it into several statements."
        ) from None


class _Source:
    """Source text addressable by the (line, UTF-8 byte column) positions ast reports."""

    def __init__(self, code: str) -> None:
        # Python ends lines at \n, \r\n and \r only (str.splitlines also splits at \f, \u2028...).
        self.lines = [line.encode() for line in io.StringIO(code, newline="")]

    def segment(self, node: ast.AST) -> str | None:
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        if end_line is None or end_col is None:
            return None
        first, last = node.lineno - 1, end_line - 1  # type: ignore[attr-defined]
        if first == last:
            text = self.lines[first][node.col_offset : end_col]  # type: ignore[attr-defined]
        else:
            middle = b"".join(self.lines[first + 1 : last])
            text = self.lines[first][node.col_offset :] + middle + self.lines[last][:end_col]  # type: ignore[attr-defined]
        return text.decode(errors="replace")


def find_calls(code: str | ast.Module) -> list[Call]:
    """Every call to ``quantum``/``dock``/``screen`` (bare or as ``bioql.quantum``), in order."""
    tree = parse_source(code) if isinstance(code, str) else code
    source = _Source(code) if isinstance(code, str) else None
    calls = [
        _to_call(node, source)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _called_name(node) in BIOQL_FUNCTIONS
    ]
    return sorted(calls, key=lambda c: c.lineno)


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _to_call(node: ast.Call, source: _Source | None) -> Call:
    args = tuple(_literal(a, source) for a in node.args)
    kwargs = {kw.arg: _literal(kw.value, source) for kw in node.keywords if kw.arg is not None}
    return Call(func=_called_name(node) or "", args=args, kwargs=kwargs, lineno=node.lineno)


def _literal(node: ast.AST, source: _Source | None) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        text = source.segment(node) if source else None
        return Unresolved(text or _dump(node))


def _dump(node: ast.AST) -> str:
    try:
        return ast.dump(node)
    except RecursionError:
        return f"<{type(node).__name__} nested too deeply to show>"
