"""``bioql dataset build``: generate, validate, execute-check, split and document the dataset.

Deterministic for a given ``size`` and ``seed`` (every example draws from its own seeded
generator). Every example is validated with the same validator that guards the assistant's
answers; ``execute`` of them (spread evenly) are also run on the ``statevector`` backend
and their exact outcome compared with the outcome computed independently from the spec.
Anything that fails aborts the build: a dataset that teaches wrong programs is worse than
none.

Every request is also read by the language (:func:`bioql.assistant.reading.read_request`, the
reader ``quantum()`` and every provider's answers are checked against): an example is kept only
when the language reads its request as exactly the example's program (same runs in the same
order, shots, backends, comparison), or, for an out-of-domain example, refuses it. A request
the language reads otherwise — most often a typo the reader does not correct — is drawn again;
the card counts them per category (``rejected``).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bioql.assistant import reasoning
from bioql.assistant.checking.validate import validate
from bioql.assistant.dataset.examples import CATEGORY_SHARES, Example, make_example
from bioql.assistant.dataset.expected import satisfied
from bioql.assistant.model.prompt import PROMPT_FORMAT_VERSION
from bioql.assistant.plan.plan import render_code
from bioql.config import bioql_home
from bioql.errors import BioQLAssistantError

DATASET_VERSION = "codegen-2"
SPLITS = ("train", "valid", "test", "test_novel")
NOVEL_SHARE = 0.1


def default_dir() -> Path:
    return bioql_home() / "datasets" / DATASET_VERSION


def _split_for(instruction: str, family: str) -> str:
    if family == "novel":
        return "test_novel"
    bucket = int(hashlib.sha256(instruction.lower().encode()).hexdigest()[:8], 16) % 100
    return "valid" if bucket < 5 else "test" if bucket < 10 else "train"


def language_disagrees(example: Example) -> str | None:
    """Why the language does not read ``example``'s request as its program, else None.

    ``anti_patterns`` requests are code to fix (judged through ``fix``), not read."""
    from bioql.assistant.faithful import comparison_differs, disagreement
    from bioql.assistant.reading import read_request

    if example.category == "anti_patterns":
        return None
    reading = read_request(example.instruction)
    if example.plan is None:
        return None if reading.plan is None else "an out-of-domain request the language reads"
    if reading.plan is None:
        return f"refused: {reading.error}"
    calls = validate(render_code(example.plan)).calls
    return disagreement(calls, reading) or comparison_differs(example.plan, reading.plan)


def generate_examples(
    size: int, seed: int, rejected: Counter[str] | None = None
) -> list[tuple[Example, str]]:
    """``size`` distinct examples with their split, deterministic in (size, seed); requests the
    language does not read as their program are drawn again (counted in ``rejected``)."""
    categories = list(CATEGORY_SHARES)
    weights = [CATEGORY_SHARES[c] for c in categories]
    out: list[tuple[Example, str]] = []
    seen: set[str] = set()
    attempt = 0
    while len(out) < size:
        if attempt > size * 20:
            raise BioQLAssistantError(f"The grammar produced only {len(out)} distinct examples.")
        rng = random.Random(f"{seed}:{attempt}")
        attempt += 1
        category = rng.choices(categories, weights)[0]
        lang = "en" if rng.random() < 0.5 else "es"
        family = "novel" if rng.random() < NOVEL_SHARE else "train"
        example = make_example(category, lang, family, rng)
        key = example.instruction.lower()
        if key in seen:
            continue
        seen.add(key)
        if language_disagrees(example) is not None:
            if rejected is not None:
                rejected[f"{family}:{category}"] += 1
            continue
        out.append((example, _split_for(example.instruction, family)))
    return out


def check_record(record: dict[str, Any]) -> None:
    """Validate one record like an answer; raise with the example's id if it fails."""
    if record["code"] is None:
        return
    checked = validate(record["code"], prompt=record["instruction"])
    if not checked.ok:
        raise BioQLAssistantError(
            f"Example {record['id']} ({record['instruction']!r}) is invalid: {checked.message}"
        )
    record["reasoning"] = reasoning.for_calls(checked.calls)
    if record["broken"] is not None and validate(record["broken"], strict=False).ok:
        raise BioQLAssistantError(
            f"Example {record['id']}: its 'broken' program is actually valid."
        )


def execute_record(record: dict[str, Any]) -> None:
    """Run each quantum call's description on statevector and compare with the expectation."""
    from bioql.result import QuantumResult
    from bioql.runtime import quantum

    calls = [c for c in validate(record["code"]).calls if c.func == "quantum"]
    for call, expect in zip(calls, record["expect"], strict=True):
        result = quantum(
            call.argument("description", 0),
            backend="statevector",
            shots=call.kwargs.get("shots", 1024),
        )
        # a chemistry request returns energies, not a distribution the expectation could judge
        probabilities = result.probabilities if isinstance(result, QuantumResult) else {}
        ok, why = satisfied(expect, probabilities)
        if not ok:
            raise BioQLAssistantError(
                f"Example {record['id']} ({call.argument('description', 0)!r}) runs wrong: {why}."
            )


def build(
    size: int = 12000,
    seed: int = 0,
    out: Path | None = None,
    execute: int = 400,
    progress: bool = True,
) -> dict[str, Any]:
    """Write ``<out>/{train,valid,test,test_novel}.jsonl`` and ``card.json`` / ``CARD.md``."""
    started = time.perf_counter()
    out = Path(out or default_dir())
    out.mkdir(parents=True, exist_ok=True)
    rejected: Counter[str] = Counter()
    examples = generate_examples(size, seed, rejected)
    records = [ex.to_record(i, split) for i, (ex, split) in enumerate(examples)]
    runnable = [r for r in records if r["expect"]]
    step = max(1, len(runnable) // execute) if execute else 0
    to_run = {r["id"] for r in runnable[::step][:execute]} if execute else set()
    _validate_all(records, to_run, progress)
    by_split: dict[str, list[dict[str, Any]]] = {s: [] for s in SPLITS}
    for r in records:
        by_split[r["split"]].append(r)
    digest = hashlib.sha256()
    split_sha: dict[str, str] = {}
    for split in SPLITS:
        text = "".join(
            json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in by_split[split]
        )
        (out / f"{split}.jsonl").write_text(text, encoding="utf-8")
        digest.update(text.encode())
        split_sha[split] = hashlib.sha256(text.encode()).hexdigest()
    card = _card(
        records,
        by_split,
        digest.hexdigest(),
        size,
        seed,
        len(to_run),
        time.perf_counter() - started,
        out,
        rejected,
    )
    card["split_sha256"] = split_sha
    (out / "card.json").write_text(
        json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "CARD.md").write_text(card_markdown(card), encoding="utf-8")
    return card


def _validate_all(records: list[dict[str, Any]], to_run: set[str], progress: bool) -> None:
    from rich.progress import Progress

    with Progress(transient=True, disable=not progress) as bar:
        task = bar.add_task("Validating examples", total=len(records))
        for record in records:
            check_record(record)
            if record["id"] in to_run:
                execute_record(record)
            bar.advance(task)


def _card(records, by_split, sha, size, seed, executed, seconds, out, rejected) -> dict[str, Any]:
    table: dict[str, dict[str, int]] = {}
    for r in records:
        table.setdefault(r["category"], Counter())[r["language"]] += 1
    return {
        "dataset_version": DATASET_VERSION,
        "prompt_format_version": PROMPT_FORMAT_VERSION,
        "size": size,
        "seed": seed,
        "total": len(records),
        "sha256": sha,
        "path": str(out),
        "splits": {s: len(v) for s, v in by_split.items()},
        "categories": {c: dict(sorted(v.items())) for c, v in sorted(table.items())},
        "novel_frames": sorted({r["frame"] for r in records if r["family"] == "novel"}),
        "validated": len(records),
        "executed_on_statevector": executed,
        "read_by_language": sum(1 for r in records if r["category"] != "anti_patterns"),
        "rejected": dict(sorted(rejected.items())),
        "build_seconds": round(seconds, 1),
    }


def card_markdown(card: dict[str, Any]) -> str:
    lines = [
        f"# BioQL code-assistant dataset `{card['dataset_version']}`",
        "",
        f"- examples: **{card['total']}** (size {card['size']}, seed {card['seed']}), sha256 `{card['sha256']}`",
        f"- prompt format: `{card['prompt_format_version']}`; target = plan text (see bioql/assistant/plan.py)",
        f"- splits: {', '.join(f'{k} {v}' for k, v in card['splits'].items())}",
        f"- every example validated (parse, API, every description compiled); "
        f"{card['executed_on_statevector']} executed on `statevector` and their exact outcome checked",
        f"- every request read by the language as its example's program (or, out of domain, refused); "
        f"{sum(card['rejected'].values())} drawn requests it read otherwise were drawn again",
        "- `test_novel` uses only held-out frames, verbs, noun phrases, backend/shot phrases, "
        "politeness, devices and value ranges (larger sizes, other shot counts, longer bitstrings)",
        "",
        "| category | en | es | total |",
        "|---|---:|---:|---:|",
    ]
    for cat, counts in card["categories"].items():
        lines.append(
            f"| {cat} | {counts.get('en', 0)} | {counts.get('es', 0)} | {sum(counts.values())} |"
        )
    return "\n".join(lines) + "\n"
