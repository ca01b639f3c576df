"""The package's import graph: no cycles, and serving never reaches the training code.

The graph is read from the source with :mod:`ast`, so it sees every import — including the
ones inside functions, which run only when that function does and which a test that merely
imports modules would miss. Imports under ``if TYPE_CHECKING:`` are left out: they never run.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

import bioql

PACKAGE_ROOT = Path(bioql.__file__).parent
Graph = dict[str, set[str]]


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = PACKAGE_ROOT) -> Graph:
    """Each module of the package at ``root`` → the package's modules it imports anywhere."""
    files = {module_name(path, root): path for path in root.rglob("*.py")}
    return {
        name: imported_modules(path, name, set(files), path.name == "__init__.py")
        for name, path in files.items()
    }


def imported_modules(path: Path, name: str, modules: set[str], is_package: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            # `from a import b` imports the module a.b when there is one, else a name from a
            found.update(
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            )
    return {module for module in found if module in modules and module != name}


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    nodes: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            if not (isinstance(child, ast.If) and _is_type_checking(child.test)):
                pending.append(child)
    return nodes


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def reachable(graph: Graph, start: str) -> set[str]:
    seen: set[str] = set()
    pending = [start]
    while pending:
        module = pending.pop()
        if module not in seen:
            seen.add(module)
            pending.extend(graph.get(module, ()))
    return seen


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph()


def cycle_in(graph: Graph) -> list[str]:
    """One import cycle of ``graph`` (its first module repeated at the end), else []."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        return list(exc.args[1])
    return []


def test_the_package_has_no_import_cycle(graph: Graph) -> None:
    cycle = cycle_in(graph)
    assert not cycle, (
        f"Import cycle: {' → '.join(cycle)}. Move what both sides share into a module of its own."
    )


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg import b\n")
    (package / "b.py").write_text("from . import a\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import f\n"
    )
    graph = import_graph(package)
    assert graph == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": set()}
    assert sorted(set(cycle_in(graph))) == ["pkg.a", "pkg.b"]


#: what answers users (the assistant, the HTTP service, the CLI); the dataset builder and the
#: evaluation harness are tools for training and measuring, so they may reach it
NOT_SERVING = ("bioql.assistant.training", "bioql.assistant.dataset", "bioql.assistant.evaluate")


def serving_modules(graph: Graph) -> list[str]:
    return sorted(
        module
        for module in graph
        if module.startswith(("bioql.assistant", "bioql.server", "bioql.cli.assistant"))
        and not module.startswith(NOT_SERVING)
    )


def test_serving_never_imports_the_training_code(graph: Graph) -> None:
    serving = serving_modules(graph)
    assert "bioql.assistant.model.torch_runtime" in serving
    offenders = {
        module: sorted(m for m in reachable(graph, module) if m.startswith(NOT_SERVING[0]))
        for module in serving
    }
    offenders = {module: found for module, found in offenders.items() if found}
    assert not offenders, (
        f"Serving code reaches the training code: {offenders}. "
        "Share what both need through bioql.assistant.model."
    )
