import ast
import time

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


@pytest.mark.parametrize(
    "code",
    [
        'quantum(x + "é" * 2, shots=n)\nquantum(f"{a}\\u2028{b}")',
        'x = "\x0c"; quantum(d["k"])\r\nquantum(\n  a\n  + b,\r  shots=c)',
        'quantum("日本語" + y)\n\x0cquantum(z[0:2])',
    ],
)
def test_unresolved_arguments_keep_their_exact_source_text(code):
    """Non-ASCII text and unusual line breaks (form feed, \\r, U+2028 in strings) included."""
    expected = [
        ast.get_source_segment(code, arg)
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "quantum"
        for arg in [*node.args, *(k.value for k in node.keywords)]
        if not isinstance(arg, ast.Constant)
    ]
    found = [
        value.source
        for call in find_calls(code)
        for value in [*call.args, *call.kwargs.values()]
        if isinstance(value, Unresolved)
    ]
    assert sorted(found) == sorted(expected) and found


def test_twenty_kilobytes_of_calls_are_read_in_linear_time():
    # 1,200 calls with variable arguments: 7 CPU-seconds before (the source was split again
    # for every argument), about 40 ms now; the budget leaves a wide margin for a busy host.
    code = "".join(f"quantum(d{i}, shots=n{i})\n" for i in range(1200))
    start = time.process_time()
    calls = find_calls(code)
    assert time.process_time() - start < 2.0
    assert len(calls) == 1200 and calls[-1].args[0] == Unresolved("d1199")


def test_deep_nesting_is_a_sentence_not_a_crash():
    with pytest.raises(BioQLValueError, match="nested too deeply"):
        find_calls("quantum(" + "1+" * 200_000 + "1)")
