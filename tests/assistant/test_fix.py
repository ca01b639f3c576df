"""``fix`` repairs each anti-pattern people write, with one sentence per change, and says
what remains when it cannot make a program valid."""

from __future__ import annotations

import pytest

from bioql.assistant.checking.validate import validate
from bioql.assistant.editor.fix import fix
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


@pytest.mark.parametrize("line", ["from bioq import quantum", "from BioQL import quantum"])
def test_misspelled_module_in_an_import(line):
    result = fix(f'{line}\nr = quantum("Create a Bell state")\nprint(r)\n')
    assert result.code.startswith("from bioql import quantum\n") and result.valid
    assert len(result.changes) == 1 and "import" in result.changes[0]


def test_a_misspelled_imported_name_is_renamed_at_every_use():
    broken = (
        "from bioql import quantm\n"
        'a = quantm("Create a Bell state")\n'
        'b = quantm("Create a 3-qubit GHZ state", shots=100)\n'
        'print("quantm is a typo", a, b)\n'
    )
    result = fix(broken)
    assert result.valid, result.remaining
    assert [c.func for c in find_calls(result.code)] == ["quantum", "quantum"]
    assert 'print("quantm is a typo", a, b)' in result.code  # strings are not code
    assert "Renamed 2 uses of quantm to quantum." in result.changes


def test_a_misspelled_module_is_renamed_at_every_use():
    result = fix('import bioq\nr = bioq.quantum("Create a Bell state")\n')
    assert result.code == 'import bioql\nr = bioql.quantum("Create a Bell state")\n'
    assert result.valid


def test_other_libraries_imports_are_left_alone():
    code = 'from json import dumps\nfrom bioql import quantum\nprint(dumps(quantum("Create a Bell state").counts))\n'
    assert fix(code).code == code


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
    assert not result.valid and result.remaining.startswith("Still to do: ")
    assert "quantum() and dock()" in result.remaining


def test_unrepairable_syntax_says_where():
    result = fix('from bioql import quantum\nr = quantum("Create a Bell state"))\n')
    assert not result.valid and "line 2" in result.remaining


def test_extra_positional_arguments_become_keywords():
    result = fix('from bioql import quantum\nr = quantum("Create a Bell state", 2000, "aer")\n')
    call = _only_call(result.code)
    assert call.args == ("Create a Bell state",)
    assert call.kwargs == {"shots": 2000, "backend": "simulator"} and result.valid


def test_an_unknown_positional_argument_is_removed_and_said():
    result = fix('from bioql import quantum\nr = quantum("Create a Bell state", None)\n')
    assert _only_call(result.code).args == ("Create a Bell state",) and result.valid
    assert result.changes == [
        "Removed the positional argument None, which quantum() does not take."
    ]


@pytest.mark.parametrize(
    ("arguments", "kind", "qubits"),
    [
        ('"Grover search", target="101"', "grover", 3),
        ('"Grover search", n_qubits=3, marked=["101", "011"]', "grover", 3),
        ('"Grover search", marked=[5], n_qubits=4', "grover", 4),
        ('"Bernstein-Vazirani", secret="1011"', "bv", 5),  # 4 + the oracle's ancilla
        ('"Create a GHZ state", n_qubits=3', "ghz", 3),
    ],
)
def test_circuit_keywords_move_into_a_description_that_compiles(arguments, kind, qubits):
    result = fix(f"from bioql import quantum\nr = quantum({arguments})\n")
    assert result.valid, result.remaining
    call = _only_call(result.code)
    assert set(call.kwargs) <= {"shots", "backend"}
    program = compile_description(call.args[0])
    assert program.kinds == [kind] and program.num_qubits == qubits


def test_marked_states_reach_the_circuit():
    result = fix('from bioql import quantum\nr = quantum("Grover search", marked=["110"])\n')
    assert "110" in _only_call(result.code).args[0]


def test_target_naming_a_backend_stays_the_backend():
    result = fix('from bioql import quantum\nr = quantum("Create a Bell state", target="aer")\n')
    assert _only_call(result.code).kwargs == {"backend": "simulator"} and result.valid


def test_a_description_that_cannot_take_the_moved_keyword_is_reported():
    result = fix('from bioql import quantum\nr = quantum("Create a Bell state", secret="1011")\n')
    assert not result.valid
    assert "1011" in _only_call(result.code).args[0]  # kept, not silently dropped
    assert result.remaining.startswith("Still to do: ") and "does not compile" in result.remaining


@pytest.mark.parametrize(
    ("wrong", "right"), [("num_shots", "shots"), ("shots_count", "shots"), ("device", "backend")]
)
def test_more_wrong_keyword_names(wrong, right):
    value = "500" if right == "shots" else '"simulator"'
    result = fix(
        f'from bioql import quantum\nr = quantum("Create a Bell state", {wrong}={value})\n'
    )
    assert set(_only_call(result.code).kwargs) == {right} and result.valid


@pytest.mark.parametrize(
    ("written", "shots"), [('"1,000"', 1000), ("2000.0", 2000), ('"300 shots"', 300)]
)
def test_string_and_float_shots_become_whole_numbers(written, shots):
    result = fix(
        f'from bioql import quantum\nr = quantum("Create a Bell state", shots={written})\n'
    )
    assert _only_call(result.code).kwargs["shots"] == shots and result.valid


def test_fractional_shots_are_reported_not_guessed():
    result = fix('from bioql import quantum\nr = quantum("Create a Bell state", shots=10.5)\n')
    assert not result.valid and "shots" in result.remaining
    assert _only_call(result.code).kwargs["shots"] == 10.5


DOCK = "from bioql.docking import dock\nr = dock({})\n"


def test_dock_positional_ligand_and_receptor_become_keywords(tmp_path):
    (tmp_path / "receptor.pdb").write_text("ATOM\n")
    result = fix(DOCK.format('"CCO", "receptor.pdb"'), files=tmp_path)
    assert result.valid, result.remaining
    assert _only_call(result.code).kwargs == {"ligand_smiles": "CCO", "protein_pdb": "receptor.pdb"}


def test_dock_with_a_pdb_id_points_to_the_local_file(tmp_path):
    (tmp_path / "1hsg.pdb").write_text("ATOM\n")
    result = fix(DOCK.format('ligand_smiles="CCO", protein_pdb="1HSG"'), files=tmp_path)
    assert _only_call(result.code).kwargs["protein_pdb"] == "1hsg.pdb" and result.valid


def test_dock_with_a_pdb_id_and_no_file_says_how_to_get_one(tmp_path):
    result = fix(DOCK.format('ligand_smiles="CCO", protein_pdb="1HSG"'), files=tmp_path)
    assert not result.valid
    assert "https://files.rcsb.org/download/1HSG.pdb" in result.remaining


def test_dock_with_a_missing_file_is_reported(tmp_path):
    result = fix(DOCK.format('ligand_smiles="CCO", protein_pdb="receptor.pdb"'), files=tmp_path)
    assert not result.valid and "'receptor.pdb' does not exist" in result.remaining


def test_dock_receptor_in_another_case_is_found(tmp_path):
    (tmp_path / "Receptor.PDB").write_text("ATOM\n")
    result = fix(DOCK.format('ligand_smiles="CCO", protein_pdb="receptor.pdb"'), files=tmp_path)
    assert _only_call(result.code).kwargs["protein_pdb"] == "Receptor.PDB" and result.valid


def test_without_a_folder_receptor_files_are_not_checked():
    result = fix(DOCK.format('ligand_smiles="CCO", protein_pdb="receptor.pdb"'))
    assert result.valid and result.changes == []


def test_quantum_imported_from_docking_keeps_its_calls():
    result = fix('from bioql.docking import quantum\nr = quantum("Create a Bell state")\n')
    assert [c.func for c in find_calls(result.code)] == ["quantum"]
    assert "from bioql import quantum" in result.code and result.valid


def test_a_program_nested_too_deeply_is_reported_not_crashed() -> None:
    from bioql.assistant.editor.fix import fix

    result = fix("x = " + "1+" * 6000 + "1")
    assert not result.valid and "nested too deeply" in result.remaining
