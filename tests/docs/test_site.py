"""The reference pages generated at build time (docs/hooks/generate.py) cover what they claim.

`make docs` builds the whole site with --strict; these tests pin down that the generated
pages list every command, every route and every canonical example, so a reference page
cannot silently lose an entry.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

HOOK = Path(__file__).resolve().parents[2] / "docs" / "hooks" / "generate.py"


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", HOOK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_marker_is_replaced_and_an_unknown_one_fails(hook: ModuleType) -> None:
    page = "intro\n<!-- generated:language_examples -->\nend"
    assert "generated:" not in hook.on_page_markdown(page)
    with pytest.raises(KeyError):
        hook.on_page_markdown("<!-- generated:no_such_page -->")


def test_every_canonical_example_is_listed_with_its_qubits(hook: ModuleType) -> None:
    from bioql.language import EXAMPLES, compile_description

    table = hook.language_examples()
    for phrases in EXAMPLES.values():
        for phrase in phrases:
            qubits = compile_description(phrase).num_qubits
            assert f"| `{phrase}` | {qubits} |" in table


def test_every_cli_command_has_its_help(hook: ModuleType) -> None:
    import typer

    from bioql.cli import app

    page = hook.cli_reference()
    root = typer.main.get_command(app)
    for name, command in root.commands.items():
        assert f"### `bioql {name}`" in page
        assert "Usage: bioql " + name in page
        for sub in getattr(command, "commands", {}):
            assert f"### `bioql {name} {sub}`" in page


def test_every_api_route_is_documented(hook: ModuleType) -> None:
    schema = hook.openapi_schema()
    page = hook.http_api()
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"### `{method.upper()} {path}`" in page
    assert "### GenerateRequest" in page
