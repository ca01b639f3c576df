import pytest

from bioql.calls import Unresolved, find_calls
from bioql.errors import BioQLValueError

PROGRAM = """
from bioql import quantum
import bioql

for n in [2, 3]:
    r = quantum(f"GHZ on {n} qubits", backend="simulator", shots=100)
result = bioql.quantum("Create a Bell state", shots=2000, backend="statevector")
print(result)
"""


def test_finds_calls_in_order_with_literal_and_unresolved_arguments():
    calls = find_calls(PROGRAM)
    assert [c.func for c in calls] == ["quantum", "quantum"]
    first, second = calls
    assert isinstance(first.args[0], Unresolved)
    assert first.args[0].source.startswith('f"GHZ')
    assert first.kwargs == {"backend": "simulator", "shots": 100}
    assert second.argument("description", 0) == "Create a Bell state"
    assert second.argument("shots", 2) == 2000
    assert second.lineno == 7


def test_ignores_other_calls_and_never_executes_code():
    assert find_calls("import os\nos.system('echo hacked')\nprint(1)") == []


def test_syntax_error_names_the_line():
    with pytest.raises(BioQLValueError, match="line 2"):
        find_calls('from bioql import quantum\nquantum("Bell", 2 qubits)')
