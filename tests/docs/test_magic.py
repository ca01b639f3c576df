"""The %%bioql cell magic, driven through a real IPython shell."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from bioql.result import QuantumResult


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "bioql")
    yield ip
    InteractiveShell.clear_instance()


def test_runs_the_cell_as_a_description(shell: InteractiveShell) -> None:
    line = "--backend statevector --shots 500 --seed 3 --name bell"
    result = shell.run_cell_magic("bioql", line, "Create a Bell\nstate\n")
    assert isinstance(result, QuantumResult)
    assert (result.backend, result.shots, result.seed) == ("statevector", 500, 3)
    assert sorted(result.counts) == ["00", "11"]
    assert shell.user_ns["bell"] is result


def test_shots_stated_in_the_text_apply_without_a_flag(shell: InteractiveShell) -> None:
    result = shell.run_cell_magic("bioql", "--seed 1", "Create a GHZ state on 3 qubits, 300 shots")
    assert result.shots == 300
    assert sum(result.counts.values()) == 300


def test_a_flag_overrides_the_text(shell: InteractiveShell) -> None:
    result = shell.run_cell_magic("bioql", "-s 200 --seed 1", "Create a Bell state, 300 shots")
    assert result.shots == 200


def test_unknown_words_are_one_sentence_not_a_traceback(shell: InteractiveShell) -> None:
    with pytest.raises(UsageError, match="did not understand 'protein'"):
        shell.run_cell_magic("bioql", "", "Create a Bell state for my protein")


def test_an_empty_cell_says_what_to_write(shell: InteractiveShell) -> None:
    with pytest.raises(UsageError, match="empty"):
        shell.run_cell_magic("bioql", "--seed 1", "  \n")


def test_a_bad_flag_is_a_usage_error(shell: InteractiveShell) -> None:
    with pytest.raises(UsageError):
        shell.run_cell_magic("bioql", "--shots many", "Create a Bell state")
