"""Rich display in Jupyter: what a scientist sees when a cell ends with a result."""

from __future__ import annotations

import base64
import re
from html import escape

import pytest

from bioql.result import QuantumResult

PNG = re.compile(r'<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture(scope="module")
def bell() -> QuantumResult:
    from bioql import quantum

    return quantum("Create a Bell state", backend="simulator", shots=600, seed=11)


def test_shows_the_reading_first(bell: QuantumResult, monkeypatch: pytest.MonkeyPatch) -> None:
    if not getattr(bell, "reading", None):  # results without a reading yet: give this one one
        monkeypatch.setattr(bell, "reading", "Create a Bell state <on qubits 0, 1>", raising=False)
    html = bell._repr_html_()
    assert f"Interpreted as:</b> {escape(bell.reading)}" in html
    assert html.index("Interpreted as") < html.index("<table")


def test_shows_every_count_and_the_interpretation(bell: QuantumResult) -> None:
    html = bell._repr_html_()
    for outcome, count in bell.counts.items():
        assert f"<td><code>{outcome}</code></td><td>{count}</td>" in html
    assert escape(bell.interpretation) in html
    assert f"{bell.backend} · {bell.shots} shots" in html


def test_shows_the_histogram_as_an_inline_png(bell: QuantumResult) -> None:
    match = PNG.search(bell._repr_html_())
    assert match, "no inline PNG in the HTML"
    png = base64.b64decode(match.group(1))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 200 and height > 150


def test_long_tables_are_cut_and_say_how_many_are_hidden() -> None:
    from bioql import quantum
    from bioql.display import TABLE_ROWS

    result = quantum("Put 5 qubits in uniform superposition", backend="statevector", seed=2)
    html = result._repr_html_()
    assert html.count("<td><code>") == TABLE_ROWS
    assert f"… {32 - TABLE_ROWS} more outcomes" in html


def test_user_text_is_escaped() -> None:
    from bioql import quantum

    result = quantum("Prepare |101>", backend="statevector", seed=1)
    html = result._repr_html_()
    assert "“Prepare |101&gt;”" in html
    assert "|101>" not in html
