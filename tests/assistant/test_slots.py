"""Slots: the model sees every copyable value as #k, and the values come back exactly."""

from __future__ import annotations

import re

import pytest

from bioql.assistant.model.prompt import decode_output, render_prompt, render_target
from bioql.assistant.model.slots import delexicalise
from bioql.assistant.plan.plan import from_text, render_code


@pytest.mark.parametrize(
    ("request_text", "plan"),
    [
        ("Build a GHZ state over ten qubits, 7500 shots, on the noisy simulator of IBM Torino",
         "Q Create a 10-qubit GHZ state | fake_torino | 7500"),
        ("Lanza Grover que encuentre 01101 con dos mil quinientos disparos",
         "Q Run Grover search for 01101 | simulator | 2500"),
        ("QPE of theta = 3/16 with 5 bits of precision",
         "Q Estimate the phase 0.1875 with 5 counting qubits | simulator | 1024"),
        ("Bell pair in the Φ- state on the IonQ Forte QPU over 3000 shots",
         "Q Create the Bell state Φ- | ionq_forte-1 | 3000"),
        ("Dock paracetamol into structures/6LU7.pdb, box centered at (10.5, -3, 4) with size 22 Å",
         "D CC(=O)NC1=CC=C(C=C1)O | structures/6LU7.pdb | vina | center=10.5,-3.0,4.0 | size=22.0,22.0,22.0"),
        ("Sweep GHZ states from 4 to 7 qubits with 300 shots",
         "L n=4..7\nQ Create a {n}-qubit GHZ state | simulator | 300"),
    ],
)  # fmt: skip
def test_values_become_slots_and_come_back(request_text, plan):
    slots = delexicalise(request_text)
    encoded = slots.encode(plan)
    # the model's side of the format holds no value the request stated
    visible = re.sub(r"#\d+", "#", slots.text)
    for value in slots.values:
        assert value.lower() not in visible
    decoded = render_code(from_text(slots.decode(encoded)))
    # the request's spelling comes back: "4" where the reference plan wrote 4.0
    assert decoded == re.sub(r"(?<=\d)\.0\b", "", render_code(from_text(plan)))


def test_the_model_input_is_normalised_and_slotted():
    slots = delexicalise("Build a GHZ state over TEN qubits on IBM Torino, two thousand shots")
    assert slots.text == "build a ghz state over #1 qubits on ibm #2, #3 shots"
    assert slots.values == ("10", "torino", "2000")
    assert render_prompt("Build a GHZ state over TEN qubits on IBM Torino, two thousand shots") == (
        "<|bioql|><|user|>build a ghz state over #1 qubits on ibm #2, #3 shots<|plan|>"
    )


def test_a_value_that_appears_twice_is_one_slot_and_bit_strings_keep_their_zeros():
    slots = delexicalise("Mark 0010 on 4 qubits with 4 repetitions")
    assert slots.values == ("0010", "4")
    assert slots.encode("Q Run Grover search for 0010 | simulator | 4") == (
        "Q Run Grover search for #1 | simulator | #2"
    )


def test_numbers_match_by_value_but_bit_strings_by_text():
    slots = delexicalise("Dock CCO into a.pdb with size 24 Å and 10 qubits")
    encoded = slots.encode("D CCO | a.pdb | vina | size=24.0,24.0,24.0")
    assert encoded == "D #2 | #1 | vina | size=#3,#3,#3"
    assert delexicalise("prepare |010> and 10 shots").encode("Q |010> | simulator | 10") == (
        "Q |#1> | simulator | #2"
    )


def test_user_text_cannot_forge_a_slot():
    slots = delexicalise("Create a Bell state, ticket #2, 100 shots")
    assert slots.values == ("2", "100")
    assert "#2" not in slots.text.replace("#1", "").replace("#2 shots", "")
    assert slots.decode("Q Create a Bell state | simulator | #9") == (
        "Q Create a Bell state | simulator | #9"  # unknown slot: left for the validator to reject
    )


def test_capital_words_outside_docking_are_not_ligands():
    slots = delexicalise("KINDLY CARRY OUT THE QFT OVER A REGISTER OF 5 QUBITS")
    assert slots.values == ("5",)


def test_training_target_and_inference_decoding_agree():
    request = "Create a 7-qubit GHZ state on fake_quebec with 1500 shots"
    target = render_target("Q Create a 7-qubit GHZ state | fake_quebec | 1500", request)
    assert target == "Q Create a #1-qubit GHZ state | fake_#2 | #3<|end|>"
    assert decode_output(target, request) == (
        "Q Create a 7-qubit GHZ state | fake_quebec | 1500<|end|>"
    )


def test_hey_there_is_not_the_number_three():
    assert delexicalise("Hey there, make a Bell pair").values == ()


def test_slot_mentions_count_how_often_the_request_states_each_value():
    from bioql.assistant.model.prompt import request_slots

    assert request_slots("Run a 5-qubit GHZ state with 5 shots on IBM Torino").mentions == (2, 1)
    assert request_slots("Create a GHZ state of ten qubits").mentions == (1,)
    assert request_slots("Create a Bell state").mentions == ()
