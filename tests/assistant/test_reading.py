"""One reader: every request, of one run or several, is read by bioql.language."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioql.assistant.plan.plan import DockCall
from bioql.assistant.reading import REFUSAL_OUT_OF_DOMAIN, in_domain, read_request
from bioql.errors import BioQLError
from bioql.language.docking import read_docking
from bioql.language.segments import plain_text, read_steps, separate_runs
from tests.language.test_no_silent_drop import CLAUSES, _insert


def _runs(text: str) -> list[tuple[list[str], int, int | None, str | None]]:
    reading = read_request(text)
    assert reading.plan is not None, reading.error
    return [(p.kinds, p.num_qubits, p.shots, p.backend) for p in reading.programs if p]


@pytest.mark.parametrize(
    ("text", "vary", "runs"),
    [
        ("Create GHZ states on 2, 3 and 4 qubits", "n",
         [(["ghz"], n, None, None) for n in (2, 3, 4)]),
        ("Sweep GHZ states from 4 to 7 qubits with 300 shots", "n",
         [(["ghz"], n, 300, None) for n in (4, 5, 6, 7)]),
        ("Recorre 6, 7 y 8 qubits y prepara estados GHZ", "n",
         [(["ghz"], n, None, None) for n in (6, 7, 8)]),
        ("Run a Bell state with 100, 1000 and 10000 shots", "shots",
         [(["bell"], 2, s, None) for s in (100, 1000, 10000)]),
        ("Compare a Bell state on the simulator and on fake_brisbane with 1000 shots", "backend",
         [(["bell"], 2, 1000, "simulator"), (["bell"], 2, 1000, "fake_brisbane")]),
        ("Compare a Bell state and a GHZ state", "description",
         [(["bell"], 2, None, None), (["ghz"], 3, None, None)]),
        ("Create a 3-qubit GHZ state and also run Bernstein-Vazirani with secret 0101 on 500 shots",
         "description", [(["ghz"], 3, 500, None), (["bv"], 5, 500, None)]),
    ],
)  # fmt: skip
def test_several_runs_are_read_run_by_run(text, vary, runs):
    reading = read_request(text)
    assert reading.plan is not None and reading.plan.loop_var == vary
    assert _runs(text) == runs
    assert reading.plan.compare == text.startswith("Compare")


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Compare a Bell state, a GHZ state and a W state",
         [(["bell"], 2), (["ghz"], 3), (["w"], 3)]),
        ("a Bell state versus a GHZ state", [(["bell"], 2), (["ghz"], 3)]),
        ("Compara un estado de Bell con un estado GHZ de 4 qubits", [(["bell"], 2), (["ghz"], 4)]),
        ("Compare the GHZ state with 4 qubits and the W state with 4 qubits",
         [(["ghz"], 4), (["w"], 4)]),
        ("Compare H on qubit 0 and 1 with X on qubit 0", [(["gate"], 2), (["gate"], 1)]),
    ],
)  # fmt: skip
def test_a_comparison_is_cut_where_each_run_reads(text, runs):
    assert [(kinds, n) for kinds, n, _, _ in _runs(text)] == runs
    assert read_request(text).plan.compare  # type: ignore[union-attr]


def test_one_circuit_joined_by_and_also_stays_one_circuit():
    assert separate_runs("H on qubit 0 and also X on qubit 1") is None
    assert _runs("H on qubit 0 and also X on qubit 1") == [(["gate", "gate"], 2, None, None)]
    assert read_steps("Create a Bell state") is None  # nothing of several runs


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Compare a Bell state", "compare"),  # one run: nothing to compare
        ("Compare a Bell state and a GHZ frobnicator", "frobnicator"),
        ("Create a Bell state and also a flux capacitor", "flux"),
    ],
)
def test_a_run_that_cannot_be_read_is_refused_naming_the_words(text, named):
    reading = read_request(text)
    assert reading.plan is None and named in (reading.error or "").lower()


def test_a_grid_of_sizes_and_shots_is_refused():
    with pytest.raises(BioQLError, match="one sweep at a time"):
        read_steps("GHZ states on 2 and 3 qubits with 100 and 1000 shots")


def test_docking_reads_ligand_receptor_and_box():
    dock = read_docking(
        "Fit CCO into the pocket of my_protein.pdb, box centered at (4.8, -6.2, 3.7) with size 20 Å, exhaustiveness 16"
    )
    assert dock is not None
    assert (dock.ligand, dock.receptor, dock.backend) == ("CCO", "my_protein.pdb", "vina")
    assert dict(dock.options) == {
        "center": (4.8, -6.2, 3.7),
        "size": (20.0,) * 3,
        "exhaustiveness": 16,
    }
    quantum = read_docking(
        "Haz un docking de aspirina contra 1s3v.pdb con el backend de docking cuántico"
    )
    assert (
        quantum is not None and quantum.backend == "quantum" and quantum.ligand.startswith("CC(=O)")
    )
    assert read_docking("Create a Bell state") is None
    reading = read_request("Dock aspirin into 1s3v.pdb")
    assert reading.plan is not None and isinstance(reading.plan.calls[0], DockCall)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Create a Bell state and dock CCO into receptor.pdb", "Bell"),
        ("Dock CCO into receptor.pdb 5 times", "5"),
        ("Dock CCO into receptor.pdb with size 20", "size"),  # a box size without its centre
    ],
)
def test_docking_refuses_what_it_would_drop(text, named):
    with pytest.raises(BioQLError) as raised:
        read_docking(text)
    assert named in str(raised.value)


def test_out_of_domain_and_in_domain():
    assert read_request("Write a poem about the sea").error == REFUSAL_OUT_OF_DOMAIN
    assert not in_domain("What's the weather in Madrid?")
    assert in_domain("Dock aspirin into 1s3v.pdb") and in_domain("a Bell pair")


def test_plain_text_is_one_spelling_per_meaning():
    assert plain_text("Dos mil quinientos disparos, 2.000 o 3k") == "2500 disparos, 2000 o 3000"
    assert plain_text("Dock the ligand") == "dock the ligand"  # not "doce"


MULTI_STEP = [
    "Create GHZ states on 2, 3 and 4 qubits",
    "Sweep GHZ states from 4 to 7 qubits with 300 shots",
    "Run a Bell state with 100, 1000 and 10000 shots",
    "Compare a Bell state on the simulator and on fake_brisbane with 1000 shots",
    "Compare a Bell state and a GHZ state",
    "a Bell state versus a GHZ state on 4 qubits",
    "Create a 3-qubit GHZ state and also run Bernstein-Vazirani with secret 0101",
    "Dock aspirin into 1s3v.pdb with a 20 Å box centered at (1.5, -2, 3)",
]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.sampled_from(MULTI_STEP), st.sampled_from(CLAUSES), st.integers(0, 30))
def test_an_inserted_clause_in_several_runs_is_never_dropped(base, clause, at) -> None:
    """Every run is read whole, so a clause put anywhere changes some run or is refused."""
    before = read_request(base)
    assert before.plan is not None
    after = read_request(_insert(base, clause, at))
    if after.plan is None:
        assert after.error
        return
    assert after.plan.calls != before.plan.calls or _stated_twice(base, clause), (
        f"{_insert(base, clause, at)!r} read as {after.plan.calls}"
    )


def _stated_twice(base: str, clause: str) -> bool:
    """A clause that says again what the request says ("on 4 qubits" beside "4 qubits")."""
    return any(w.isdigit() and w in base.split() for w in clause.split())
