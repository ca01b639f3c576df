"""The plan grammar: it holds every plan the dataset teaches, and decoding under it cannot leave it."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from bioql.assistant.dataset.build import generate_examples
from bioql.assistant.model.prompt import END, render_target, slot_values
from bioql.assistant.plan import grammar as plan_grammar
from bioql.assistant.plan.grammar import Constraint, Grammar
from bioql.assistant.plan.plan import from_text, to_text


@pytest.fixture(scope="module")
def targets() -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for example, _ in generate_examples(3000, seed=11):
        if example.category == "anti_patterns":
            continue
        target = to_text(example.plan) if example.plan is not None else "R"
        slotted = render_target(target, example.instruction).removesuffix(END)
        out.append((slotted, slot_values(example.instruction)))
    return out


def test_every_dataset_target_is_in_its_requests_language(targets):
    rejected = [t for t, values in targets if not Grammar(values).accepts(t)]
    assert not rejected, rejected[:5]
    for target, values in targets[:300]:  # and every prefix of one can still be completed
        grammar = Grammar(values)
        for cut in range(0, len(target), 3):
            assert grammar.viable(target[:cut]), target[:cut]


@pytest.mark.parametrize(
    "text",
    [
        "Q Create a HUQUBA state | simulator | 1024",
        "Q Run Deutsch Joining with a balanced oracle on #1 qubits | simulator | 1024",
        "Q Create a Bell state | ibm_quina | torino",
        "Q Put #1 in uniformality | simulator | #2",
        "Q Create a Bell state | simulator",
        "L n=#1\nQ Create a {n}-qubit GHZ state | simulator | 1024",
        "L n=#1,#2\nQ Create a Bell state | simulator | 1024",  # the loop's {n} is unused
        "D aspirin | 1hsg.pdb | vina",
        "Refuse",
    ],
)
def test_what_the_shipped_model_wrote_wrong_is_outside_it(text):
    assert not Grammar().accepts(text)


def test_slots_fill_only_the_roles_their_values_fit():
    # "fourier transform of |0110> sampling 750 times on the noisy simulator of quebec"
    grammar = Grammar(("0110", "750", "quebec"))
    assert grammar.accepts("Q Apply the QFT to the basis state |#1> | fake_#3 | #2")
    assert not grammar.accepts("Q Apply the QFT to the basis state |#1> | fake_#3 | #3")
    assert not grammar.accepts("Q Apply the QFT to #1 qubits | fake_#3 | #2")  # 0110 is bits
    assert not grammar.accepts("Q Apply the QFT to the basis state |#1> | fake_#2 | #2")
    # a value of the request is written as its slot, never retyped
    assert not grammar.accepts("Q Apply the QFT to the basis state |#1> | fake_#3 | 750")
    assert grammar.accepts("Q Apply the QFT to the basis state |#1> | fake_#3 | 7500")
    docking = Grammar(("1hsg.pdb", "CC(=O)Oc1ccccc1C(=O)O"))
    assert docking.accepts("D #2 | #1 | vina")
    assert not docking.accepts("D #1 | #2 | vina")  # ligand and protein swapped
    assert not Grammar(()).viable("Q Create a #")  # no slots, no slot


def test_prefixes_are_viable_only_while_they_can_still_become_a_plan():
    grammar = Grammar()
    assert grammar.viable("Q Create a #1-qu")
    assert grammar.viable("Q Create the Bell state \ufffd")  # first byte of Φ or Ψ
    assert not grammar.viable("Q Create the Bell state \ufffd\ufffd")
    assert not grammar.viable("Q Run Bernstein-\ufffd")
    assert not grammar.viable("Q Create a HU")
    assert not grammar.viable("Q Create a Bell state | simulator | 10x")


class _Letters:
    """A character-level 'model' whose preferences ignore the grammar."""

    def __init__(self, seed: int):
        letters = "QRLCD #0123456789.,|=-+>{}()/_:*ΦΨÅ\nabcdefghijklmnopqrstuvwxyz"
        self.alphabet = [*sorted(set(letters + letters.upper())), "<eos>"]
        self.eos = len(self.alphabet) - 1
        self.rng = np.random.default_rng(seed)

    def decode(self, ids: list[int]) -> str:
        return "".join(self.alphabet[i] for i in ids if i != self.eos)

    def logits(self) -> np.ndarray:
        return self.rng.normal(size=len(self.alphabet))


@pytest.mark.parametrize("seed", range(12))
def test_greedy_decoding_under_the_constraint_always_ends_in_a_plan(seed):
    model = _Letters(seed)
    constraint = Constraint(Grammar(), model.decode, model.eos)
    out: list[int] = []
    for _ in range(400):
        keep = constraint.allowed(out, plan_grammar.ranked(model.logits()))
        assert keep, model.decode(out)
        if keep[0] == model.eos:
            break
        out.append(keep[0])
    text = model.decode(out)
    if len(out) < 400:  # it stopped: what it wrote is a whole plan BioQL can parse
        assert Grammar().accepts(text)
        if text != "R":
            from_text(re.sub(r"#\d+", "7", text))
    else:
        assert Grammar().viable(text)


@pytest.mark.parametrize(
    "values",
    [("0101", "1000", "2500"), ("CC(=O)Oc1ccccc1C(=O)O", "1hsg.pdb"), ("torino",), ("3", "5"), ()],
)
@pytest.mark.parametrize("seed", range(6))
def test_a_request_s_grammar_has_no_dead_ends(values, seed):
    # "D " with no ligand in the request, "fake_" with no device: a prefix that looks viable
    # but leads nowhere would leave the decoder with no token to take
    model = _Letters(seed)
    grammar = Grammar(values)
    constraint = Constraint(grammar, model.decode, model.eos)
    out: list[int] = []
    for _ in range(300):
        keep = constraint.allowed(out, plan_grammar.ranked(model.logits()))
        assert keep, model.decode(out)
        if keep[0] == model.eos:
            assert grammar.accepts(model.decode(out))
            break
        out.append(keep[0])


def test_a_range_ends_at_a_value_of_the_request():
    grammar = Grammar(("2", "3", "4"))  # "on 2, 3 and 4 qubits" is written n=#1..4
    assert grammar.accepts("L n=#1..4\nQ Create a {n}-qubit GHZ state | simulator | 1024")
    assert not grammar.accepts("L n=#1..5\nQ Create a {n}-qubit GHZ state | simulator | 1024")
    assert not Grammar(("CCO", "a.pdb")).viable("L n=1..")


def test_greedy_choices_record_close_forks_and_follow_a_forced_prefix():
    model = _Letters(0)
    index = model.alphabet.index
    logits = np.full(len(model.alphabet), -10.0)
    logits[index("Q")], logits[index("R")], logits[index("x")] = 3.0, 2.0, 9.0
    constraint = Constraint(Grammar(), model.decode, model.eos)
    assert constraint.choices([], logits, sampling=False) == [index("Q")]  # x is not a plan
    assert constraint.forks == [plan_grammar.Fork(0, index("R"), 1.0)]
    logits[index("R")] = 3.0 - Constraint.FORK_GAP - 0.5  # too far below to be worth a retry
    constraint = Constraint(Grammar(), model.decode, model.eos)
    constraint.choices([], logits, sampling=False)
    assert constraint.forks == []
    forced = Constraint(Grammar(), model.decode, model.eos, prefix=[index("R")])
    assert forced.choices([], logits, sampling=False) == [index("R")]


def test_the_second_byte_of_psi_is_allowed_though_the_text_does_not_grow():
    pieces = [b"Q Create the Bell state ", "Ψ".encode()[:1], "Ψ".encode()[1:], b"+", b""]

    def decode(ids: list[int]) -> str:
        return b"".join(pieces[i] for i in ids).decode("utf-8", errors="replace")

    constraint = Constraint(Grammar(), decode, eos_id=4)
    assert constraint.allowed([0], [1]) == [1]
    assert constraint.allowed([0, 1], [2]) == [2]  # "…state \ufffd" becomes "…state Ψ"
    assert constraint.allowed([0, 1, 2, 3], [4]) == []  # the plan still needs its backend


def test_the_end_token_is_allowed_only_after_a_whole_plan():
    model = _Letters(0)
    constraint = Constraint(Grammar(), model.decode, model.eos)
    text = "Q Create a Bell state | simulator | 10"
    ids = [model.alphabet.index(c) for c in text]
    assert constraint.allowed(ids, [model.eos]) == [model.eos]
    assert constraint.allowed(ids[:-3], [model.eos]) == []


def test_ranking_is_best_first_and_bounded():
    logits = np.random.default_rng(1).normal(size=50_000)
    order = list(plan_grammar.ranked(logits))
    assert order[:200] == np.argsort(-logits)[:200].tolist()
    assert len(order) == len(set(order)) == Constraint.DEPTH
    small = random.Random(0).sample(range(300), 300)
    assert sorted(plan_grammar.ranked(np.array(small, dtype=float))) == list(range(300))
