"""Editor completion: short insertions that leave the file valid."""

from __future__ import annotations

import ast

from bioql.assistant.api import get_assistant


def complete(prefix, suffix=""):
    return get_assistant("template").complete(prefix, suffix).insertion


def test_finishes_an_open_description_and_call():
    prefix = 'from bioql import quantum\n\nresult = quantum("Create a 3-qubit GH'
    insertion = complete(prefix)
    ast.parse(prefix + insertion)
    assert insertion.startswith('Z state"') and insertion.endswith(")")


def test_turns_a_comment_into_the_call():
    prefix = "from bioql import quantum\n\n# grover search for 101 with 500 shots\n"
    insertion = complete(prefix)
    assert 'quantum("Grover search for 101", backend="simulator", shots=500)' in insertion
    ast.parse(prefix + insertion)


def test_completes_imports_and_proposes_print():
    assert complete("from bioql import qu") == "antum\n"
    assert (
        complete('from bioql import quantum\nr = quantum("Create a Bell state")\n') == "print(r)\n"
    )


def test_nothing_useful_means_empty():
    assert complete("x = 1\n") == ""
