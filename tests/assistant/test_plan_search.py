"""Retrying a greedy answer that ignores a value of the request from its closest forks."""

from __future__ import annotations

from dataclasses import dataclass, field

from bioql.assistant.plan.grammar import Fork
from bioql.assistant.plan.search import overused, search, unaccounted

GROVER = ("0101", "1000", "2500")  # "amplitude amplification that finds 0101 and 1000, 2500 shots"


def test_a_plan_accounts_for_a_value_by_slot_literal_or_run_size():
    assert unaccounted("Q Run Grover search for #1 and #2 | simulator | #3", GROVER) == []
    assert unaccounted("Q Run Bernstein-Vazirani with secret #1 | simulator | #3", GROVER) == [2]
    assert unaccounted("Q Create a Bell state | simulator | 1024", GROVER) == [1, 2, 3]
    # the end of a range stays literal in training targets
    loop = "L n=#1..4\nQ Create a {n}-qubit GHZ state | simulator | #4"
    assert unaccounted(loop, ("2", "3", "4", "500")) == []
    # "2 qubits in a Bell state", "1 qubit in |+>": the value is the run's size
    assert unaccounted("Q Create a Bell state | simulator | #2", ("2", "300")) == []
    assert unaccounted("Q Prepare the state |+> | simulator | 1024", ("1",)) == []
    assert unaccounted("Q Create a Bell state | simulator | 1024", ("3",)) == [1]
    assert unaccounted("R", GROVER) == []
    # a value written out rather than slotted still counts
    assert unaccounted("Q Create a Bell state | ibm_brisbane | 2000", ("2000", "brisbane")) == []


@dataclass
class _Gen:
    text: str
    ids: list[int]
    forks: list[Fork] = field(default_factory=list)
    finished: bool = True
    tokens_out: int = 5
    seconds: float = 0.1


class _Model:
    """Answers by forced prefix, remembering what it was asked."""

    def __init__(self, answers: dict[tuple[int, ...], _Gen]):
        self.answers = answers
        self.asked: list[tuple[int, ...]] = []

    def __call__(self, prefix):
        self.asked.append(tuple(prefix))
        return self.answers[tuple(prefix)]


def test_the_closest_fork_that_accounts_for_every_value_wins():
    bv = _Gen(
        "Q Run Bernstein-Vazirani with secret #1 | simulator | #3",
        [1, 2, 3, 4],
        forks=[Fork(3, 9, 2.5), Fork(1, 7, 0.4), Fork(2, 8, 1.0)],
    )
    model = _Model(
        {
            (): bv,
            (1, 7): _Gen("Q Create a Bell state | simulator | #3", [1, 7, 5]),
            (1, 2, 8): _Gen("Q Run Grover search for #1 and #2 | simulator | #3", [1, 2, 8, 6]),
        }
    )
    answer = search(model, GROVER)
    assert answer.text.startswith("Q Run Grover search for #1 and #2")
    assert model.asked == [(), (1, 7), (1, 2, 8)]  # closest fork first; stops at the first fit
    assert answer.tokens_out == 15  # the retries' cost is counted


def test_an_answer_that_uses_every_value_is_not_retried_and_a_failed_search_keeps_it():
    good = _Gen("Q Run Grover search for #1 and #2 | simulator | #3", [1], forks=[Fork(0, 2, 0.1)])
    model = _Model({(): good})
    assert search(model, GROVER) is good and model.asked == [()]
    bad = _Gen("Q Create a Bell state | simulator | #3", [1, 2], forks=[Fork(0, 3, 0.1)])
    model = _Model({(): bad, (3,): _Gen("Q Create a Bell state | statevector | #3", [3, 4])})
    assert search(model, GROVER).text == bad.text
    assert search(model, GROVER, tries=0).text == bad.text


def test_an_unfinished_answer_is_retried():
    stuck = _Gen("L n=1..4\nQ Run ", [1, 2], forks=[Fork(0, 9, 0.5)], finished=False)
    dock = _Gen("D #2 | #1 | vina", [9, 3])
    model = _Model({(): stuck, (9,): dock})
    assert search(model, ("CCO", "my_protein.pdb")) is dock


def test_a_call_may_not_use_a_value_more_often_than_the_request_states_it():
    ghz = "Q Create a #1-qubit GHZ state | ibm_#2 | #1"  # "a GHZ of ten qubits on IBM Torino"
    assert overused(ghz, (1, 1)) == [1]
    assert overused(ghz, (2, 1)) == []  # "5 qubits ... 5 shots" mentions it twice
    gates = "Q Apply H to qubit #1, then CNOT from #1 to #2, then measure all | simulator | 1024"
    assert overused(gates, (2, 1)) == [] and overused(gates, (1, 1)) == [1]
    # one mention may serve several calls, and a device name is not an argument use
    assert overused("Q Create a Bell state | sim | #1\nQ Create a W state | sim | #1", (1,)) == []
    assert overused("Q Prepare the state |#1> | ionq_forte-#1 | #2", (1, 1)) == []


def test_search_retries_an_answer_that_reuses_a_value():
    twice = _Gen(
        "Q Create a #1-qubit GHZ state | simulator | #1", [1, 2, 3], forks=[Fork(2, 8, 0.3)]
    )
    once = _Gen("Q Create a #1-qubit GHZ state | simulator | 1024", [1, 2, 8])
    model = _Model({(): twice, (1, 2, 8): once})
    assert search(model, ("10",), mentions=(1,)) is once
    assert search(_Model({(): twice}), ("10",)) is twice  # without mention counts: as before
