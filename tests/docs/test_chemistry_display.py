"""ChemistryResult and OptimizationResult in Jupyter: the reading, the key numbers, the plot.

Tiny problems (H2 in STO-3G on two qubits, a 4-node ring) keep these to a few seconds.
"""

from __future__ import annotations

import base64
import re
from html import escape

import pytest

from bioql import quantum
from bioql.chemistry import ChemistryResult, OptimizationResult

pytest.importorskip("pyscf")

PNG = re.compile(r'<img alt="([^"]+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def inline_png(html: str) -> tuple[str, bytes]:
    match = PNG.search(html)
    assert match, "no inline PNG in the HTML"
    png = base64.b64decode(match.group(2))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 300 and height > 200
    return match.group(1), png


def row(label: str, value: str) -> str:
    return f'{escape(label)}</th><td style="text-align:left">{escape(value)}</td>'


@pytest.fixture(scope="module")
def h2() -> ChemistryResult:
    result = quantum("Estimate the ground-state energy of H2 at 0.735 Å with VQE", seed=3)
    assert isinstance(result, ChemistryResult)
    return result


@pytest.fixture(scope="module")
def ring() -> OptimizationResult:
    result = quantum("Solve MaxCut on a 4-node ring with QAOA", seed=3)
    assert isinstance(result, OptimizationResult)
    return result


def test_vqe_shows_the_reading_first_then_the_numbers(h2: ChemistryResult) -> None:
    html = h2._repr_html_()
    assert f"<b>Interpreted as:</b> {escape(h2.reading)}" in html
    assert html.index("Interpreted as") < html.index("<table")
    assert f"“{escape(h2.description)}” — VQE · statevector · {h2.optimizer}" in html


def test_vqe_shows_energy_against_the_exact_reference(h2: ChemistryResult) -> None:
    html = h2._repr_html_()
    assert row("energy", f"{h2.energy_hartree:.6f} Ha") in html
    assert row("exact", f"{h2.reference_hartree:.6f} Ha (FCI)") in html
    assert "mHa — within chemical accuracy (1.6 mHa)" in html
    error = re.search(r"error</th><td[^>]*>([+-][0-9.e+-]+) mHa", html)
    assert error and float(error.group(1)) == pytest.approx(h2.error_mha, abs=1e-3)
    assert row("qubits / parameters", f"{h2.num_qubits} / {h2.num_parameters}") in html


def test_vqe_shows_its_plot_inline(h2: ChemistryResult) -> None:
    alt, _ = inline_png(h2._repr_html_())
    assert alt == "VQE convergence"


def test_a_scan_shows_its_curve_and_largest_error() -> None:
    result = quantum("the dissociation curve of H2 from 0.6 to 1.2 Å in 2 steps", seed=3)
    assert isinstance(result, ChemistryResult) and result.is_scan
    html = result._repr_html_()
    assert f"Ha at {result.bond_length:g} Å (lowest of the curve)" in html
    assert "2 points, largest |error|" in html
    alt, _ = inline_png(html)
    assert alt == "VQE curve against the exact one"


def test_qaoa_shows_the_reading_cut_value_optimum_and_ratio(ring: OptimizationResult) -> None:
    html = ring._repr_html_()
    assert f"<b>Interpreted as:</b> {escape(ring.reading)}" in html
    assert html.index("Interpreted as") < html.index("<table")
    sides = [[i for i, b in enumerate(ring.cut) if b == side] for side in "01"]
    assert row("cut", f"{ring.cut} (nodes {sides[0]} | {sides[1]})") in html
    assert ring.is_optimal and row("cut value", f"{ring.cut_value:g} — optimal") in html
    assert row("optimum", "4 (brute force)") in html
    ratio = f"{ring.approximation_ratio:.3f} (expected cut {ring.expected_cut_value:.3f})"
    assert row("approximation ratio", ratio) in html
    assert "QAOA depth 1" in html


def test_qaoa_shows_the_graph_and_curve_inline(ring: OptimizationResult) -> None:
    alt, _ = inline_png(ring._repr_html_())
    assert alt == "the cut on the graph and the curve"


def test_every_result_type_shares_one_layout(h2: ChemistryResult) -> None:
    from bioql.display import reading_html

    bell = quantum("Create a Bell state", backend="statevector", seed=1)
    style = bell._repr_html_().split("</style>")[0]
    for html in (h2._repr_html_(), bell._repr_html_()):
        assert html.startswith(style) and '<div class="bioql-result">' in html
    assert reading_html(h2) in h2._repr_html_()


def test_user_text_is_escaped(ring: OptimizationResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ring, "description", "MaxCut <b>now</b> & then")
    html = ring._repr_html_()
    assert "“MaxCut &lt;b&gt;now&lt;/b&gt; &amp; then”" in html
    assert "<b>now</b>" not in html
