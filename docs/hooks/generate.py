"""MkDocs hook: pages that restate the code are generated from it at build time.

A page holds a marker such as ``<!-- generated:cli -->``; :func:`on_page_markdown` replaces it
with Markdown built from the running code (the language's canonical examples, the Typer CLI,
the FastAPI app's OpenAPI schema), so these pages cannot drift from what BioQL does.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from collections.abc import Callable
from typing import Any

MARKER = re.compile(r"<!-- generated:([a-z_]+) -->")


def on_page_markdown(markdown: str, **_: Any) -> str:
    return MARKER.sub(lambda m: GENERATORS[m.group(1)](), markdown)


def language_examples() -> str:
    """One row per canonical phrasing: what it compiles to, without running anything."""
    from bioql.language import EXAMPLES, compile_description

    rows = ["| construct | description | qubits | what BioQL builds |", "|---|---|---:|---|"]
    for kind, phrases in EXAMPLES.items():
        for phrase in phrases:
            program = compile_description(phrase)
            reading = getattr(program, "reading", None)
            built = reading or "; ".join(step.text for step in program.steps)
            built = built.replace("|", "\\|")  # a ket's bar would end the table cell
            rows.append(f"| {kind} | `{phrase}` | {program.num_qubits} | {built} |")
    return "\n".join(rows)


def cli_reference() -> str:
    """``bioql --help`` and the help of every command, as an 80-column terminal shows it."""
    import typer
    from typer.testing import CliRunner

    from bioql.cli import app

    runner = CliRunner()
    parts: list[str] = []
    for path in _command_paths(typer.main.get_command(app), []):
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
        title = " ".join(["bioql", *path])
        parts += [f"### `{title}`", "", "```text", shown.output.strip("\n"), "```", ""]
    return "\n".join(parts)


def _command_paths(command: Any, path: list[str]) -> list[list[str]]:
    found = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if not sub.hidden:
            found += _command_paths(sub, [*path, name])
    return found


def http_api() -> str:
    """Every route of the service's OpenAPI schema: method, path, body, responses."""
    schema = openapi_schema()
    parts: list[str] = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            parts += _operation(method.upper(), path, op)
    parts += ["## Schemas", ""]
    for name, body in sorted(schema.get("components", {}).get("schemas", {}).items()):
        parts += _schema(name, body)
    return "\n".join(parts)


def openapi_schema() -> dict[str, Any]:
    """The OpenAPI document of ``create_app()``, built offline in a throwaway BIOQL_HOME."""
    with tempfile.TemporaryDirectory() as home:
        saved = os.environ.get("BIOQL_HOME")
        os.environ["BIOQL_HOME"] = home
        try:
            from bioql.server.app import create_app

            return create_app(migrate=False).openapi()
        finally:
            if saved is None:
                os.environ.pop("BIOQL_HOME", None)
            else:
                os.environ["BIOQL_HOME"] = saved


def _operation(method: str, path: str, op: dict[str, Any]) -> list[str]:
    lines = [f"### `{method} {path}`", "", _inline(op.get("summary", "")), ""]
    if description := op.get("description"):
        lines += [_inline(description), ""]
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    if ref := body.get("schema", {}).get("$ref"):
        name = ref.rsplit("/", 1)[-1]
        lines += [f"Body: [`{name}`](#{name.lower()})", ""]
    responses = op.get("responses", {})
    if responses:
        lines += ["| status | meaning |", "|---|---|"]
        lines += [f"| {code} | {_response(r)} |" for code, r in responses.items()]
        lines.append("")
    return lines


def _response(response: dict[str, Any]) -> str:
    """The status's meaning, and the schema of its JSON body when it has one."""
    text = _inline(response.get("description", ""))
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return f"{text} {_type(schema)}" if "$ref" in schema else text


def _schema(name: str, body: dict[str, Any]) -> list[str]:
    lines = [f"### {name}", ""]
    if description := body.get("description"):
        lines += [description, ""]
    props = body.get("properties", {})
    if props:
        required = set(body.get("required", []))
        lines += ["| field | type | required | description |", "|---|---|---|---|"]
        for field, spec in props.items():
            mark = "yes" if field in required else ""
            text = _inline(spec.get("description", ""))
            lines.append(f"| `{field}` | {_type(spec)} | {mark} | {text} |")
        lines.append("")
    return lines


def _inline(text: str) -> str:
    """Schema prose as one Markdown line: "<key>" stays text, a bar cannot end a table cell."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _type(spec: dict[str, Any]) -> str:
    if ref := spec.get("$ref"):
        name = ref.rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if options := spec.get("anyOf"):
        return " or ".join(_type(o) for o in options)
    if spec.get("type") == "array":
        return f"list of {_type(spec.get('items', {}))}"
    return spec.get("type", "any")


GENERATORS: dict[str, Callable[[], str]] = {
    "language_examples": language_examples,
    "cli": cli_reference,
    "http_api": http_api,
}
