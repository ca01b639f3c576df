"""``fix`` repairs each anti-pattern the seeds listed, with one sentence per change."""

from __future__ import annotations

import pytest

from bioql.assistant.fix import fix
from bioql.assistant.validate import validate
from bioql.calls import find_calls
from bioql.language import compile_description


def _only_call(code):
    (call,) = find_calls(code)
    return call


@pytest.mark.parametrize(
    ("broken", "kind", "qubits"),
    [
        ('from bioql import quantum\nresult = quantum("QFT", 4)\n', "qft", 4),
        ('from bioql import quantum\nresult = quantum("Bell", 2 qubits)\n', "bell", 2),
        ('from bioql import quantum\nresult = quantum("GHZ", qubits=5, shots=100)\n', "ghz", 5),
    ],
)
def test_qubit_counts_move_into_the_description(broken, kind, qubits):
    result = fix(broken)
    assert result.valid, result.changes
    call = _only_call(result.code)
    assert len(call.args) == 1 and "qubits" not in call.kwargs
    program = compile_description(call.args[0])
    assert program.kinds == [kind] and program.num_qubits == qubits
    assert validate(result.code).ok
    assert any("description" in c for c in result.changes)


def test_string_shots_become_numbers():
    result = fix('from bioql import quantum\nr = quantum("Create a Bell state", shots="2000")\n')
    assert _only_call(result.code).kwargs["shots"] == 2000
    assert result.changes == ["Changed shots from the string '2000' to the number 2000."]


@pytest.mark.parametrize(
    ("wrong", "right"),
    [("shot", "shots"), ("n_shots", "shots"), ("device", "backend"), ("backend_name", "backend")],
)
def test_wrong_keyword_names(wrong, right):
    value = "500" if right == "shots" else '"simulator"'
    result = fix(
        f'from bioql import quantum\nr = quantum("Create a Bell state", {wrong}={value})\n'
    )
    assert right in _only_call(result.code).kwargs and result.valid
    assert f"Renamed {wrong}= to {right}=." in result.changes


@pytest.mark.parametrize(
    "line", ["from bioq import quantum", "from bioql import quantm", "from BioQL import quantum"]
)
def test_misspelled_imports(line):
    result = fix(f'{line}\nr = quantum("Create a Bell state")\nprint(r)\n')
    assert result.code.startswith("from bioql import quantum\n") and result.valid
    assert len(result.changes) == 1 and "import" in result.changes[0]


def test_unclosed_call_is_closed():
    result = fix(
        'from bioql import quantum\nr = quantum("Create a Bell state", shots=100\nprint(r)\n'
    )
    assert result.valid and _only_call(result.code).kwargs["shots"] == 100
    assert any("Closed" in c for c in result.changes)


def test_missing_import_and_backend_spelling():
    result = fix('r = quantum("Create a Bell state", backend="IBM Brisbane")\n')
    assert result.code.startswith("from bioql import quantum")
    assert _only_call(result.code).kwargs["backend"] == "ibm_brisbane"
    assert result.valid and len(result.changes) == 2


def test_correct_code_is_left_alone_and_comments_survive():
    code = '# my experiment\nfrom bioql import quantum\n\nr = quantum("Create a Bell state", shots=10)  # ten\n'
    result = fix(code)
    assert result.code == code and result.changes == [] and result.valid


def test_generic_database_code_is_reported_not_valid():
    result = fix("conn = BioQL.connect('localhost')\ncursor = conn.cursor()\n")
    assert not result.valid
