"""Fixtures shared by every test module."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_bioql_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the developer's ~/.bioql: each test gets its own BIOQL_HOME."""
    home = tmp_path_factory.mktemp("bioql_home")
    monkeypatch.setenv("BIOQL_HOME", str(home))
    return home
