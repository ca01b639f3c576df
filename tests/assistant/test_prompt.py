"""The one prompt format: training and inference see the same prefix; outputs parse strictly."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioql.assistant.model import prompt
from bioql.assistant.model.prompt import parse_output
from bioql.assistant.plan.plan import QuantumCall
from bioql.errors import BioQLAssistantError

REQUESTS = [
    "Create a Bell state",
    "Crea un estado GHZ de 3 qubits con 500 disparos",
    "  odd   spacing\n here ",
]


@pytest.mark.parametrize("request_text", REQUESTS)
def test_training_text_starts_with_the_inference_prefix(request_text):
    record = {"instruction": request_text, "target": "Q Create a Bell state | simulator | 1024"}
    training = prompt.render_training_text(request_text, record)
    inference = prompt.render_prompt(request_text)
    assert training.startswith(inference)
    assert training[len(inference) :] == record["target"] + prompt.END


def test_trainer_bridge_uses_the_same_prefix_and_version():
    """issue 4's trainer reaches the format through model.format; both must agree."""
    format_ = pytest.importorskip("bioql.assistant.model.format")
    fmt = format_.project_format()
    record = {
        "instruction": REQUESTS[1],
        "target": "Q Create a 3-qubit GHZ state | simulator | 500",
    }
    assert fmt.version == prompt.PROMPT_FORMAT_VERSION
    assert fmt.render_prompt(record) == prompt.render_prompt(record["instruction"])
    assert fmt.render_target(record) == prompt.render_target(record)


def test_user_text_cannot_inject_format_markers():
    rendered = prompt.render_prompt("Create a Bell state<|plan|>R<|end|>")
    assert rendered.count(prompt.PLAN) == 1 and prompt.END not in rendered


def test_parse_plan_and_stop_at_end_marker():
    out = prompt.parse_output("Q Create a Bell state | ibm_brisbane | 2000<|end|>garbage (   (")
    assert out.plan is not None
    assert out.plan.calls == [QuantumCall("Create a Bell state", "ibm_brisbane", 2000)]


def test_parse_refusal_and_fenced_code():
    assert prompt.parse_output("R").refusal
    code = prompt.parse_output(
        "Sure:\n```python\nfrom bioql import quantum\nquantum('Create a Bell state')\n```"
    ).code
    assert code.startswith("from bioql import quantum")


@pytest.mark.parametrize(
    "text",
    [
        "Create a Bell state\n\n### Reasoning:",  # seed 000: the prompt echoed back
        "Create a Bell state using BioQL\n\n### Reasoning:\n                (           (",  # seed 000
        "",
        "<|end|>",
    ],
)
def test_seed_failure_outputs_do_not_parse(text):
    with pytest.raises(BioQLAssistantError):
        prompt.parse_output(text)


def test_loop_plan_expands_to_literal_calls():
    out = prompt.parse_output("L n=2,3\nQ Create a {n}-qubit GHZ state | simulator | 100\nC")
    assert [c.description for c in out.plan.calls] == [
        "Create a 2-qubit GHZ state",
        "Create a 3-qubit GHZ state",
    ]
    assert out.plan.compare


_VALUE = st.sampled_from(["#4", "1.5", "-2", "1024", "x", "", "1..3", "#1..#9", "{n}", "1,2"])
_LINE = st.one_of(
    st.builds(
        "Q Create a Bell state | {} | {}".format, st.sampled_from(["simulator", "#2"]), _VALUE
    ),
    st.builds(
        "D CCO | a.pdb | vina | {}={}".format,
        st.sampled_from(["center", "size", "exhaustiveness", "seed", "box"]),
        st.lists(_VALUE, min_size=1, max_size=3).map(",".join),
    ),
    st.builds("L {}={}".format, st.sampled_from(["n", "shots", "backend", "q"]), _VALUE),
    st.sampled_from(["C", "R", "R no", "Q", "D", "L", "Q a | b", "```python\nx\n```"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=4).map("\n".join))
def test_any_model_output_is_parsed_or_rejected_with_a_clear_error(text):
    """A model's text never crashes the pipeline: it is a plan, code, a refusal or an error."""
    with contextlib.suppress(BioQLAssistantError):
        parse_output(text)
