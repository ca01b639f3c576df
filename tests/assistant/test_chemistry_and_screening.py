"""The assistant knows chemistry (VQE, MaxCut by QAOA) and virtual screening (issues 19 and 20).

A request is read by the language (``read_chemistry``, ``read_screening``); the answer is the
reading rendered as ``quantum("<chemistry reading>")`` or ``screen(...)``, it validates, its
``interpreted_as`` is the reading, and a model's answer that runs something else is replaced.
Nothing is run: VQE and docking are too slow for these tests, the readings and arguments are
what is checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import pytest
from typer.testing import CliRunner

from bioql.assistant import faithful
from bioql.assistant.api import get_assistant
from bioql.assistant.checking.validate import validate
from bioql.assistant.contract import Reply
from bioql.assistant.model.prompt import END, decode_output, render_target, slot_values
from bioql.assistant.pipeline import Pipeline
from bioql.assistant.plan.grammar import Grammar
from bioql.assistant.plan.plan import (
    ChemistryCall,
    DockCall,
    Plan,
    QuantumCall,
    ScreenCall,
    from_text,
    render_code,
    to_text,
)
from bioql.assistant.reading import read_request
from bioql.calls import find_calls
from bioql.cli import app
from bioql.language.chemistry import read_chemistry
from bioql.language.screening import read_screening


@pytest.fixture(scope="module")
def assistant():
    return get_assistant("template")


H2 = "Estimate the ground-state energy of H2 at 0.735 Å with VQE"
RING = "Solve MaxCut on a 6-node ring with QAOA of depth 2"
SCREEN = "screen library.smi against receptor.pdb around the bound ligand ligand.sdf"

CHEMISTRY = [
    H2,
    "Estima la energía del estado fundamental de H2 a 0.735 Å con VQE",
    "LiH at a bond length of 1.6 angstrom",
    "Calcula la energía de LiH con una longitud de enlace de 1.6 angstrom",
    "water with an active space of 4 electrons in 4 orbitals",
    "agua con un espacio activo de 4 electrones en 4 orbitales",
    "the dissociation curve of H2 from 0.5 to 2.5 Å in 10 steps",
    "Calcula la curva de disociación de H2 desde 0.5 hasta 2.5 Å en 10 pasos",
    RING,
    "Resuelve MaxCut en un anillo de 6 nodos con QAOA de profundidad 2",
    "MaxCut for the edges 0-1, 1-2, 2-0, 2-3",
    "Corte máximo para las aristas 0-1, 1-2, 2-0, 2-3 con QAOA",
]


def _single_call(code: str):
    checked = validate(code)
    assert checked.ok, checked.message
    (call,) = checked.calls
    return call


@pytest.mark.parametrize("request_text", CHEMISTRY)
def test_chemistry_request_becomes_quantum_of_its_reading(assistant, request_text):
    spec = read_chemistry(request_text)
    answer = assistant.generate(request_text)
    assert answer.valid and answer.error is None, answer.error
    call = _single_call(answer.code)
    assert call.func == "quantum"
    # no backend / shots defaults: a chemistry request runs exactly on statevector
    assert call.kwargs == {} and len(call.args) == 1
    assert "backend=" not in answer.code and "shots=" not in answer.code
    (description,) = call.args
    assert description == spec.reading
    assert read_chemistry(description) == spec  # quantum() runs the same spec as the request
    assert answer.interpreted_as == [spec.reading]
    assert answer.code.startswith("from bioql import quantum\n")


def test_a_backend_and_shots_the_request_names_stay_in_the_description(assistant):
    request_text = f"{H2} on fake_manila with 4000 shots"
    answer = assistant.generate(request_text)
    call = _single_call(answer.code)
    spec = read_chemistry(call.args[0])
    assert (spec.backend, spec.shots) == ("fake_manila", 4000)
    assert spec == read_chemistry(request_text) and call.kwargs == {}


SCREENS = [
    (
        SCREEN,
        "library.smi",
        "receptor.pdb",
        {"reference_ligand": "ligand.sdf"},
    ),
    (
        "Criba library.smi contra receptor.pdb alrededor del ligando unido ligand.sdf",
        "library.smi",
        "receptor.pdb",
        {"reference_ligand": "ligand.sdf"},
    ),
    (
        "Run a virtual screening of data/zinc_subset.csv against 1abc_protein.pdb using "
        "1abc_ligand.sdf as the reference ligand, exhaustiveness 16, 8 workers, 5 poses per "
        "ligand, seed 3",
        "data/zinc_subset.csv",
        "1abc_protein.pdb",
        {
            "reference_ligand": "1abc_ligand.sdf",
            "exhaustiveness": 16,
            "num_poses": 5,
            "seed": 3,
            "workers": 8,
        },
    ),
    (
        "Haz un cribado virtual de compuestos.smi frente a diana.pdb con una caja de 22 Å "
        "centrada en (10.5, -3, 4.25) y guarda los resultados en hits/",
        "compuestos.smi",
        "diana.pdb",
        {"center": (10.5, -3.0, 4.25), "size": (22.0, 22.0, 22.0), "out": "hits/"},
    ),
    (
        "screen actives.sdf into receptor.pdb around NDP on the cluster tcp://10.0.0.5:8786 "
        "and write the results to screen_out",
        "actives.sdf",
        "receptor.pdb",
        {"box_from": "NDP", "cluster": "tcp://10.0.0.5:8786", "out": "screen_out"},
    ),
    (
        "Screen the library Library_v2.SMI against ./Targets/EGFR.pdb with a 20 Å box centered "
        "at (1, 2, 3) and 4 cores",
        "Library_v2.SMI",
        "./Targets/EGFR.pdb",
        {"center": (1.0, 2.0, 3.0), "size": (20.0, 20.0, 20.0), "workers": 4},
    ),
]


@pytest.mark.parametrize(("request_text", "ligands", "protein", "options"), SCREENS)
def test_screening_request_becomes_a_screen_call(
    assistant, request_text, ligands, protein, options
):
    answer = assistant.generate(request_text)
    assert answer.valid and answer.error is None, answer.error
    call = _single_call(answer.code)
    assert call.func == "screen"
    assert answer.code.startswith("from bioql.docking import screen\n")
    # files and values exactly as written, every option stated and nothing else
    assert call.kwargs == {"ligands": ligands, "protein_pdb": protein, **options}
    reading = read_screening(request_text)
    assert reading is not None
    assert answer.interpreted_as == [reading.reading]
    assert answer.interpreted_as[0].startswith(f"screen {ligands} against {protein}")


@pytest.mark.parametrize(
    ("request_text", "named"),
    [
        # the box cannot be guessed: the words are named, not dropped
        ("Screen library.smi against receptor.pdb around the bound ligand", ["around", "bound"]),
        ("screen library.smi against receptor.pdb and make a Bell state", ["Bell", "state"]),
        ("Criba library.smi contra receptor.pdb con magia", ["magia"]),
        (f"{H2} and a Bell state", ["Bell"]),
        ("Estimate the ground-state energy of unobtainium with VQE", ["unobtainium"]),
    ],
)
def test_words_the_readers_cannot_place_are_refused_by_name(assistant, request_text, named):
    answer = assistant.generate(request_text)
    assert answer.code is None and not answer.valid
    for word in named:
        assert repr(word) in answer.error


def test_docking_requests_still_read_as_docking():
    plan = read_request("Dock CCO into 1hsg.pdb with the QAOA docking backend").plan
    assert plan is not None and plan.calls == [DockCall("CCO", "1hsg.pdb", "quantum")]
    plan = read_request("Dock CCO into 1hsg.pdb with a 20 Å box centered at (1, 2, 3)").plan
    assert plan is not None and isinstance(plan.calls[0], DockCall)


# ---------------------------------------------------------------- a model's answer is checked


@dataclass
class _Scripted:
    """A model backend that answers with fixed text (no repair turn)."""

    text: str
    name: str = "scripted"
    pricing_unit: Literal["second", "token"] = "second"
    repairs: bool = False

    def ask(self, request: str, *, temperature: float, max_tokens: int) -> Reply:
        return Reply(self.text)

    def repair(self, request, previous, feedback, *, temperature, max_tokens) -> Reply:
        return Reply(self.text)


def _reading(text: str) -> str:
    spec = read_chemistry(text)
    assert spec is not None
    return spec.reading


@pytest.mark.parametrize(
    ("request_text", "model_text"),
    [
        (H2, f"V {_reading('Estimate the ground-state energy of H2 at 0.735 Å with VQE')}"),
        (H2, f'```python\nfrom bioql import quantum\n\nprint(quantum("{H2}"))\n```'),
        (RING, f"V {RING}"),
        (SCREEN, "S library.smi | receptor.pdb | reference_ligand=ligand.sdf"),
        (
            SCREEN,
            "```python\nfrom bioql.docking import screen\n\nsummary = screen('library.smi', "
            "'receptor.pdb', reference_ligand='ligand.sdf')\nprint(summary.top)\n```",
        ),
    ],
)
def test_a_model_answer_that_runs_the_request_is_kept(request_text, model_text):
    answer = Pipeline(_Scripted(model_text)).generate(request_text)
    assert answer.valid and answer.source == "model", answer
    wanted = read_request(request_text).plan.calls[0]
    expected = wanted.description if isinstance(wanted, ChemistryCall) else None
    if expected is not None:
        assert answer.interpreted_as == [expected]


@pytest.mark.parametrize(
    ("request_text", "model_text", "why"),
    [
        # another molecule, another bond length, another graph
        (H2, f"V {_reading('Estimate the ground-state energy of LiH at 1.6 Å with VQE')}", "LiH"),
        (H2, f"V {_reading('Estimate the ground-state energy of H2 at 0.74 Å with VQE')}", "0.74"),
        (RING, "V Solve MaxCut on a 6-node ring with QAOA of depth 1.", "depth 1"),
        # the defaults a circuit gets would turn exact energies into 1024-shot estimates
        (H2, f"Q {_reading(H2)} | simulator | 1024", "statevector"),
        # a circuit for a chemistry request, and a chemistry run for a circuit request
        (H2, "Q Create a Bell state | simulator | 1024", "something else"),
        ("Create a Bell state", f"V {_reading(H2)}", "no VQE or MaxCut run"),
        # another receptor, another library, an option not asked for, a docking instead
        (SCREEN, "S library.smi | other.pdb | reference_ligand=ligand.sdf", "protein_pdb"),
        (SCREEN, "S library.sdf | receptor.pdb | reference_ligand=ligand.sdf", "ligands"),
        (SCREEN, "S library.smi | receptor.pdb", "reference_ligand"),
        (
            SCREEN,
            "S library.smi | receptor.pdb | reference_ligand=ligand.sdf | workers=2",
            "workers",
        ),
        (SCREEN, "D CCO | receptor.pdb | vina", "screening run"),
    ],
)
def test_a_model_answer_that_runs_something_else_is_replaced(request_text, model_text, why):
    reading = read_request(request_text)
    calls = validate(render_code(from_text(model_text))).calls
    message = faithful.disagreement(calls, reading)
    assert message is not None and why in message, message
    answer = Pipeline(_Scripted(model_text)).generate(request_text)
    assert answer.valid and answer.source == "fallback"  # the reading's own code instead
    assert find_calls(answer.code) == find_calls(render_code(reading.plan))


# ---------------------------------------------------------------- validation and plan text


def test_validate_checks_screen_calls():
    ok = validate(
        "from bioql.docking import screen\n\n"
        "summary = screen('lib.smi', 'r.pdb', center=(1, 2, 3), size=(20, 20, 20), workers=2)\n"
        "print(summary.docked, summary.report, summary.top)\n"
    )
    assert ok.ok, ok.message
    bad = validate(
        "from bioql.docking import screen\n\n"
        "summary = screen('lib.smi', 'r.sdf', center=(1, 2, 3), workerz=2, exhaustiveness=0)\n"
        "print(summary.energy)\n"
    )
    message = bad.message
    assert "no argument 'workerz'; did you mean workers=?" in message
    assert "protein_pdb must be a .pdb" in message
    assert "both center= and size=" in message
    assert "exhaustiveness must be a positive whole number" in message
    assert "no attribute 'energy'" in message
    unimported = validate("result = screen('lib.smi', 'r.pdb')\n")
    assert "add 'from bioql.docking import screen'" in unimported.message


def test_validate_reads_chemistry_descriptions_with_the_chemistry_reader():
    ok = validate(
        f'from bioql import quantum\n\nresult = quantum("{H2}")\n'
        "print(result.energy_hartree, result.error_mha)\n"
    )
    assert ok.ok and ok.chemistry == [read_chemistry(H2)] and ok.programs == []
    bad = validate('from bioql import quantum\n\nquantum("Estimate the energy of XeF6 with VQE")\n')
    assert not bad.ok and "does not read" in bad.message
    clash = validate(
        f'from bioql import quantum\n\nquantum("{H2} on fake_manila", backend="simulator")\n'
    )
    assert "the description says backend 'fake_manila'" in clash.message


def test_plan_text_round_trips_the_new_calls_and_keeps_the_old_lines():
    plan = Plan(
        [
            ChemistryCall(_reading(H2)),
            ScreenCall(
                "data/lib.smi",
                "r.pdb",
                (("reference_ligand", "ref.sdf"), ("center", (1.5, -2.0, 3.0)), ("workers", 4)),
            ),
        ]
    )
    text = to_text(plan)
    assert text.splitlines() == [
        f"V {_reading(H2)}",
        "S data/lib.smi | r.pdb | reference_ligand=ref.sdf | center=1.5,-2.0,3.0 | workers=4",
    ]
    assert from_text(text).calls == plan.calls
    old = Plan([QuantumCall("Create a Bell state"), DockCall("CCO", "1hsg.pdb")])
    assert to_text(old) == "Q Create a Bell state | simulator | 1024\nD CCO | 1hsg.pdb | vina"


def test_generate_json_shows_interpreted_as():
    runner = CliRunner()
    for request_text, reading in (
        (H2, _reading(H2)),
        (SCREEN, "screen library.smi against receptor.pdb around the reference ligand ligand.sdf"),
    ):
        result = runner.invoke(app, ["generate", request_text, "--json", "--provider", "template"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["valid"] is True and data["interpreted_as"] == [reading]


@pytest.mark.parametrize(
    "request_text",
    [
        *CHEMISTRY,
        f"{H2} on fake_manila with 4000 shots",
        "Compute the dissociation curve of LiH from 1 to 3 Å in 8 points in the 6-31G basis with "
        "the hardware-efficient ansatz with 3 layers and the COBYLA optimizer",
        "Solve MaxCut for the edges 0-1 with weight 2.5, 1-2, 2-3 with QAOA of depth 3",
        "MaxCut on 5 nodes with the edges 0-1, 1-2, 2-3",  # node 4 isolated
        *(s[0] for s in SCREENS),
    ],
)
def test_the_model_s_plan_language_holds_the_new_lines(request_text):
    # what a model trained on these requests would write: the reading's plan, values as slots
    plan = read_request(request_text).plan
    assert plan is not None
    slotted = render_target(to_text(plan), request_text).removesuffix(END)
    grammar = Grammar(slot_values(request_text))
    assert grammar.accepts(slotted), slotted
    assert all(grammar.viable(slotted[:cut]) for cut in range(len(slotted)))
    assert from_text(decode_output(slotted, request_text)).calls == plan.calls
    if isinstance(plan.calls[0], ScreenCall):  # files and folders are copied, never retyped
        assert not grammar.accepts(slotted.replace("#1", "library.smi", 1))


def test_eval_judges_chemistry_and_screening_without_running_them(assistant):
    from bioql.assistant.evaluate import judge

    for request_text, wrong in (
        (H2, f"V {_reading('Estimate the ground-state energy of LiH at 1.6 Å with VQE')}"),
        (H2, f"Q {_reading(H2)} | simulator | 1024"),
        (SCREEN, "S library.smi | receptor.pdb | reference_ligand=ligand.sdf | workers=2"),
    ):
        record = {"code": render_code(read_request(request_text).plan), "expect": [{}]}
        assert judge(record, assistant.generate(request_text).code, None) == (True, "")
        ok, why = judge(record, render_code(from_text(wrong)), None)
        assert not ok and why
