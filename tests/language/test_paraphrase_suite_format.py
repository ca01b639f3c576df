"""The paraphrase suite (tests/data/paraphrases) is well formed. Never evaluates BioQL itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[1] / "data" / "paraphrases"
PARTS = {
    "heldout": "h",
    "dev": "d",
    "heldout2": "h2",
    "heldout3": "h3",
    "heldout4": "h4",
    "heldout5": "h5",
}
CLASSES = {
    "framing",
    "qubit_refs",
    "initial_state",
    "ket_algebra",
    "behaviour",
    "gates",
    "algorithms",
    "partial_measurement",
    "options",
    "plain",
    "refuse",
}
VOICES = {
    "imperative",
    "question",
    "textbook",
    "api_docs",
    "notebook",
    "terse",
    "chatty",
    "typos",
}
REQUIRED = {"id", "class", "voice", "lang", "text", "expect"}
ALLOWED = REQUIRED | {"shots", "backend", "ref"}
BACKEND = re.compile(r"^(simulator|statevector|fake_[a-z0-9_]+|ibm_[a-z0-9_]+|ionq_[a-z0-9_-]+)$")


def _items(part: str) -> list[dict]:
    lines = (SUITE / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()
    items = []
    for number, line in enumerate(lines, 1):
        assert line.strip(), f"{part}.jsonl line {number} is empty"
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            pytest.fail(f"{part}.jsonl line {number} is not JSON: {exc}")
    return items


@pytest.mark.parametrize("part", sorted(PARTS))
def test_every_line_is_a_well_formed_item(part: str) -> None:
    items = _items(part)
    assert len(items) >= 200
    ids = [item.get("id") for item in items]
    assert len(ids) == len(set(ids)), "ids repeat"
    for item in items:
        where = f"{part} {item.get('id')}"
        assert item.keys() >= REQUIRED, f"{where}: missing {REQUIRED - item.keys()}"
        assert item.keys() <= ALLOWED, f"{where}: unknown fields {item.keys() - ALLOWED}"
        assert re.fullmatch(rf"{PARTS[part]}-\d{{3}}", item["id"]), where
        assert item["class"] in CLASSES, where
        assert item["voice"] in VOICES, where
        assert item["lang"] in ("en", "es"), where
        assert isinstance(item["text"], str) and item["text"].strip(), where
        if "shots" in item:
            assert isinstance(item["shots"], int) and item["shots"] > 0, where
        if "backend" in item:
            assert BACKEND.match(item["backend"]), where
        expect = item["expect"]
        if expect == "refuse":
            assert item["class"] == "refuse", where
            assert "ref" not in item, f"{where}: a refusal has no reference circuit"
            continue
        assert item["class"] != "refuse", where
        assert isinstance(expect, dict) and expect, where
        lengths = {len(key) for key in expect}
        assert len(lengths) == 1, f"{where}: bitstrings of different lengths"
        assert all(re.fullmatch(r"[01]+", key) for key in expect), where
        assert all(isinstance(p, (int, float)) and 0.001 <= p <= 1 for p in expect.values()), where
        assert sum(expect.values()) <= 1 + 1e-9, f"{where}: probabilities sum above 1"
        assert sum(expect.values()) >= 0.95, f"{where}: most of the distribution is missing"
        ref = item.get("ref", "")
        assert ref.startswith("OPENQASM 2.0;"), f"{where}: ref is not OpenQASM 2"
        measured = re.findall(r"measure\s+q\[(\d+)\]", ref)
        if measured:
            assert len(measured) == lengths.pop(), f"{where}: measured qubits vs bitstrings"
        else:
            qubits = int(re.search(r"qreg\s+q\[(\d+)\]", ref).group(1))
            assert qubits == lengths.pop(), f"{where}: qubit count vs bitstrings"


def test_no_description_is_in_two_parts() -> None:
    def norm(text: str) -> str:
        return " ".join(text.lower().split())

    seen: dict[str, str] = {}
    shared = []
    for part in sorted(PARTS):
        for item in _items(part):
            key = norm(item["text"])
            if key in seen and seen[key] != part:
                shared.append((seen[key], part, item["text"]))
            seen.setdefault(key, part)
    assert not shared, f"in two parts: {shared}"


@pytest.mark.parametrize("part", sorted(PARTS))
def test_no_description_repeats_within_a_part(part: str) -> None:
    texts = [" ".join(item["text"].lower().split()) for item in _items(part)]
    repeated = sorted({text for text in texts if texts.count(text) > 1})
    assert not repeated, f"{part}: repeated {repeated}"


@pytest.mark.parametrize("part", sorted(PARTS))
def test_the_mix_of_voices_is_kept(part: str) -> None:
    items = _items(part)
    share = {
        "es": sum(item["lang"] == "es" for item in items) / len(items),
        "typos": sum(item["voice"] == "typos" for item in items) / len(items),
        "refuse": sum(item["expect"] == "refuse" for item in items) / len(items),
    }
    assert share["es"] >= 0.25, share
    assert share["typos"] >= 0.10, share
    assert 0.06 <= share["refuse"] <= 0.12, share
