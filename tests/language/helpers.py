"""Shared helpers: compile a description and get its exact output distribution."""

from __future__ import annotations

import pytest

from bioql.circuits.qiskit import ideal_probabilities
from bioql.language import compile_description


def dist(text: str) -> dict[str, float]:
    """Exact probabilities (display order, qubit 0 leftmost), rounded to 6 decimals."""
    program = compile_description(text)
    return {k: round(v, 6) for k, v in ideal_probabilities(program).items()}


def assert_dist(text: str, expected: dict[str, float]) -> None:
    got = dist(text)
    assert set(got) == set(expected), f"{text!r}: {got}"
    for key, p in expected.items():
        assert got[key] == pytest.approx(p, abs=1e-6), f"{text!r}: {got}"
