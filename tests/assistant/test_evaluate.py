"""The judge: answers are compared by running them, arguments exactly."""

from __future__ import annotations

from bioql.assistant.dataset.expected import expectation
from bioql.assistant.evaluate import judge

REF = 'from bioql import quantum\n\nresult = quantum("Create a 3-qubit GHZ state", backend="simulator", shots=500)\nprint(result)\n'
RECORD = {"code": REF, "expect": [expectation("ghz", {"n": 3})]}


def _code(description, backend="simulator", shots=500):
    return f'from bioql import quantum\nr = quantum("{description}", backend="{backend}", shots={shots})\n'


def test_same_outcome_in_other_words_passes():
    assert judge(RECORD, _code("Crea un estado GHZ de tres qubits"), None)[0]


def test_wrong_circuit_shots_or_backend_fail():
    assert not judge(RECORD, _code("Create a 4-qubit GHZ state"), None)[0]
    assert not judge(RECORD, _code("Create a 3-qubit W state"), None)[0]
    assert "shots" in judge(RECORD, _code("Create a 3-qubit GHZ state", shots=1000), None)[1]
    assert (
        "backend"
        in judge(RECORD, _code("Create a 3-qubit GHZ state", backend="statevector"), None)[1]
    )


def test_refusals():
    ood = {"code": None, "expect": []}
    assert judge(ood, None, "Outside BioQL.")[0]
    assert not judge(ood, REF, None)[0]
    assert not judge(RECORD, None, "refused")[0]


def test_stratified_sample_covers_every_category_and_language_in_proportion():
    from collections import Counter

    from bioql.assistant.evaluate import stratified_sample

    records = [
        {"id": f"ex{i:04d}", "category": cat, "language": lang}
        for i, (cat, lang) in enumerate(
            [("bell", "en")] * 60
            + [("bell", "es")] * 30
            + [("qft", "en")] * 8
            + [("qft", "es")] * 2
        )
    ]
    picked = stratified_sample(records, 20)
    counts = Counter((r["category"], r["language"]) for r in picked)
    assert len(picked) == 20 and len({r["id"] for r in picked}) == 20
    assert len(counts) == 4  # every category × language, even one of 2 examples
    assert counts["bell", "en"] > counts["bell", "es"] > counts["qft", "en"] >= counts["qft", "es"]
    assert 10 <= counts["bell", "en"] <= 13
    assert stratified_sample(records, 20) == picked  # deterministic
    assert [r["id"] for r in picked] == sorted(r["id"] for r in picked)  # split order kept
    assert stratified_sample(records, 500) == records


def test_the_report_gives_model_alone_per_category_apart_from_end_to_end():
    from bioql.assistant.evaluate import summarise

    def row(category, source, ok):
        return {"id": "x", "category": category, "language": "en", "source": source, "ok": ok,
                "invalid": False, "why": "", "seconds": 0.1, "instruction": "…"}  # fmt: skip

    rows = [row("grover", "model", True), row("grover", "fallback", True),
            row("grover", "fallback", True), row("grover", "model", False),
            row("anti_patterns", "fix", True)]  # fmt: skip
    report = summarise(rows, "local", "test_novel", "tiny")
    grover = report["by_category_language"]["grover/en"]
    assert (grover["end_to_end"], grover["model_alone"]) == (0.75, 0.25)
    assert report["by_category_language"]["anti_patterns/en"]["model_alone"] is None
    assert "| grover | 75.0% (4) | – | 25.0% | – |" in report["markdown"]
    template = summarise(rows[1:3], "template", "test_novel", "t")
    assert "model alone |" not in template["markdown"].split("| category")[1].splitlines()[0]


def test_the_report_tells_refused_answers_from_wrong_ones():
    from bioql.assistant.evaluate import summarise

    def row(outcome):
        return {"id": "x", "category": "chemistry", "language": "es", "source": "fallback",
                "ok": outcome == "right", "invalid": False, "why": "", "outcome": outcome,
                "seconds": 0.1, "instruction": "…"}  # fmt: skip

    report = summarise([row("right"), row("right"), row("refused"), row("wrong")], "template",
                       "test", "t")  # fmt: skip
    assert report["outcomes"] == {"right": 2, "refused": 1, "wrong": 1}
    group = report["by_category_language"]["chemistry/es"]
    assert (group["end_to_end"], group["refused"], group["wrong"]) == (0.5, 1, 1)
    assert "| chemistry | – | 50.0% (4) | 1 | 1 |" in report["markdown"]
    assert "- answers: right 2, refused 1" in report["markdown"]
