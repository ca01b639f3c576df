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

``codegen-3`` is ``codegen-2`` plus three categories (``added.py``: ``chemistry``, ``maxcut``,
``screening``), drawn after and apart from codegen-2's stream with generators of their own, so
codegen-2's examples keep their ids, splits and bytes: each split of codegen-3 starts with
codegen-2's split, unchanged (the card records the SHA-256 of that part, ``contains``), and
``--version codegen-2`` builds the shipped model's training data alone. For the same reason
codegen-2's own draws (seed 0) are kept or drawn again as codegen-2's build decided, not as
today's language would (``DRAWN_AGAIN_IN_CODEGEN_2``); one the language no longer reads as its
program is listed in the card (``no_longer_read``), and the evaluation counts it wrong. A request of an added
category that must be refused (an unknown molecule, a negative bond length, a MaxCut graph with
a self-loop, a screen whose box is named without its file) is kept only when the language
refuses it for the reason the example states.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bioql.assistant import reasoning
from bioql.assistant.checking.validate import validate
from bioql.assistant.dataset.added import ADDED_CATEGORIES, ADDED_SHARES, make_added_example
from bioql.assistant.dataset.examples import CATEGORIES, CATEGORY_SHARES, Example, make_example
from bioql.assistant.dataset.expected import satisfied
from bioql.assistant.model.prompt import PROMPT_FORMAT_VERSION
from bioql.assistant.plan.plan import render_code
from bioql.config import bioql_home
from bioql.errors import BioQLAssistantError

DATASET_VERSION = "codegen-3"
#: what each version holds beyond codegen-2's categories (codegen-2: the shipped model's data)
VERSIONS: dict[str, tuple[str, ...]] = {"codegen-2": (), "codegen-3": ADDED_CATEGORIES}
SPLITS = ("train", "valid", "test", "test_novel")
NOVEL_SHARE = 0.1
#: codegen-2's own decisions for seed 0: its build drew 12,542 requests (draws 0 to 12541) and
#: drew again these 113, its language reading them otherwise (``rejected`` in its card). The
#: language has changed since, both ways (it reads typos it did not: 'muéstame', 'imrpime'; it
#: no longer reads some it did: 'sring', 'making'), and each change would shift every later id:
#: so these draws are codegen-2's as it decided them — the shipped model was trained and
#: evaluated on them — and a kept one the language no longer reads as its program is listed in
#: the card (``no_longer_read``) rather than drawn again.
CODEGEN_2_LAST_DRAW: dict[int, int] = {0: 12541}
DRAWN_AGAIN_IN_CODEGEN_2: dict[int, frozenset[int]] = {0: frozenset((
    34, 335, 344, 381, 719, 743, 947, 1028, 1060, 1156, 1259, 1528, 1531, 1551, 1641, 1680,
    1702, 1815, 1933, 2124, 2229, 2313, 2319, 2358, 2511, 2514, 2536, 2872, 3106, 3426,
    3455, 3529, 3645, 3752, 4024, 4165, 4242, 4257, 4326, 4343, 4624, 4643, 4649, 4803,
    4836, 4885, 4902, 5002, 5096, 5207, 5256, 5462, 5464, 5524, 5781, 6169, 6274, 6326,
    6343, 6370, 6404, 6500, 6643, 6769, 7061, 7196, 7354, 7387, 7415, 7635, 7761, 7958,
    7962, 7993, 8054, 8173, 8220, 8257, 8662, 8752, 8844, 8964, 9138, 9246, 9265, 9381,
    9412, 9438, 9548, 9792, 10138, 10229, 10268, 10405, 10477, 10487, 10534, 10540, 10915,
    11015, 11095, 11121, 11170, 11453, 11476, 11552, 11655, 12063, 12232, 12244, 12351,
    12366, 12521
))}  # fmt: skip


def default_dir(version: str = DATASET_VERSION) -> Path:
    return bioql_home() / "datasets" / version


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
        if reading.plan is not None:
            return "a request to refuse that the language reads"
        if example.refuse_because and not re.search(example.refuse_because, reading.error or ""):
            return f"refused for another reason than {example.refuse_because!r}: {reading.error}"
        return None
    if reading.plan is None:
        return f"refused: {reading.error}"
    calls = validate(render_code(example.plan)).calls
    return disagreement(calls, reading) or comparison_differs(example.plan, reading.plan)


def generate_examples(
    size: int,
    seed: int,
    rejected: Counter[str] | None = None,
    version: str = DATASET_VERSION,
    no_longer_read: dict[str, str] | None = None,
) -> list[tuple[Example, str]]:
    """``size`` distinct examples of codegen-2's categories with their split, deterministic in
    (size, seed), then the version's added categories (``size`` × their share each, from
    streams of their own); requests the language does not read as their program are drawn
    again (counted in ``rejected``), except in codegen-2's own draws (seed 0), which stay as
    codegen-2 decided them (``no_longer_read``: the ids of those the language reads otherwise
    now, and why)."""
    if version not in VERSIONS:
        raise BioQLAssistantError(
            f"Unknown dataset version {version!r}; choose one of: {', '.join(VERSIONS)}."
        )
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
        if attempt - 1 <= CODEGEN_2_LAST_DRAW.get(seed, -1):  # codegen-2's decision stands
            if attempt - 1 in DRAWN_AGAIN_IN_CODEGEN_2[seed]:
                if rejected is not None:
                    rejected[f"{family}:{category}"] += 1
                continue
            why = language_disagrees(example)
            if why is not None and no_longer_read is not None:
                no_longer_read[f"ex{len(out):06d}"] = why
        elif language_disagrees(example) is not None:
            if rejected is not None:
                rejected[f"{family}:{category}"] += 1
            continue
        out.append((example, _split_for(example.instruction, family)))
    for category in VERSIONS[version]:
        out += _added(category, round(size * ADDED_SHARES[category]), seed, seen, rejected)
    return out


def _added(
    category: str, count: int, seed: int, seen: set[str], rejected: Counter[str] | None
) -> list[tuple[Example, str]]:
    """``count`` examples of an added category, from its own seeded stream."""
    from bioql.assistant.reading import read_request

    out: list[tuple[Example, str]] = []
    attempt = 0
    while len(out) < count:
        if attempt > count * 20 + 100:
            raise BioQLAssistantError(
                f"The grammar produced only {len(out)} distinct {category} examples."
            )
        rng = random.Random(f"{seed}:{category}:{attempt}")
        attempt += 1
        lang = "en" if rng.random() < 0.5 else "es"
        family = "novel" if rng.random() < NOVEL_SHARE else "train"
        example = make_added_example(category, lang, family, rng)
        key = example.instruction.lower()
        if key in seen:
            continue
        seen.add(key)
        if language_disagrees(example) is not None:
            if rejected is not None:
                rejected[f"{family}:{category}"] += 1
            continue
        if example.plan is None:  # the language's own sentence, the reason checked above
            example.refusal = read_request(example.instruction).error
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
    version: str = DATASET_VERSION,
) -> dict[str, Any]:
    """Write ``<out>/{train,valid,test,test_novel}.jsonl`` and ``card.json`` / ``CARD.md``."""
    started = time.perf_counter()
    out = Path(out or default_dir(version))
    out.mkdir(parents=True, exist_ok=True)
    rejected: Counter[str] = Counter()
    no_longer_read: dict[str, str] = {}
    examples = generate_examples(size, seed, rejected, version, no_longer_read)
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
        text = _jsonl(by_split[split])
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
        version,
    )
    card["split_sha256"] = split_sha
    card["no_longer_read"] = no_longer_read
    if VERSIONS[version]:
        # codegen-2's examples, unchanged at the head of each split: their SHA-256 is the one
        # codegen-2's own build gives (same size and seed)
        card["contains"] = {
            "codegen-2": {
                split: hashlib.sha256(
                    _jsonl([r for r in by_split[split] if r["category"] in CATEGORIES]).encode()
                ).hexdigest()
                for split in SPLITS
            }
        }
    (out / "card.json").write_text(
        json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "CARD.md").write_text(card_markdown(card), encoding="utf-8")
    return card


def _jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)


def _validate_all(records: list[dict[str, Any]], to_run: set[str], progress: bool) -> None:
    from rich.progress import Progress

    with Progress(transient=True, disable=not progress) as bar:
        task = bar.add_task("Validating examples", total=len(records))
        for record in records:
            check_record(record)
            if record["id"] in to_run:
                execute_record(record)
            bar.advance(task)


def _card(
    records, by_split, sha, size, seed, executed, seconds, out, rejected, version
) -> dict[str, Any]:
    table: dict[str, dict[str, int]] = {}
    per_split: dict[str, dict[str, int]] = {}
    refusals: Counter[str] = Counter()
    for r in records:
        table.setdefault(r["category"], Counter())[r["language"]] += 1
        per_split.setdefault(r["category"], Counter())[r["split"]] += 1
        if r["code"] is None:
            refusals[r["category"]] += 1
    return {
        "dataset_version": version,
        "prompt_format_version": PROMPT_FORMAT_VERSION,
        "size": size,
        "seed": seed,
        "total": len(records),
        "sha256": sha,
        "path": str(out),
        "splits": {s: len(v) for s, v in by_split.items()},
        "categories": {c: dict(sorted(v.items())) for c, v in sorted(table.items())},
        "category_splits": {
            c: {s: v.get(s, 0) for s in SPLITS} for c, v in sorted(per_split.items())
        },
        "refusals": dict(sorted(refusals.items())),
        "added_categories": list(VERSIONS[version]),
        "novel_frames": sorted({r["frame"] for r in records if r["family"] == "novel"}),
        "validated": len(records),
        "executed_on_statevector": executed,
        "read_by_language": sum(1 for r in records if r["category"] != "anti_patterns"),
        "rejected": dict(sorted(rejected.items())),
        "build_seconds": round(seconds, 1),
    }


def card_markdown(card: dict[str, Any]) -> str:
    added = card.get("added_categories", [])
    lines = [
        f"# BioQL code-assistant dataset `{card['dataset_version']}`",
        "",
        f"- examples: **{card['total']}** (size {card['size']}, seed {card['seed']}), sha256 `{card['sha256']}`",
        f"- prompt format: `{card['prompt_format_version']}`; target = plan text "
        "(see bioql/assistant/plan/plan.py)",
        f"- splits: {', '.join(f'{k} {v}' for k, v in card['splits'].items())}",
        f"- every example validated (parse, API, every description compiled); "
        f"{card['executed_on_statevector']} executed on `statevector` and their exact outcome checked",
        f"- every request read by the language as its example's program (or, to be refused, refused "
        f"by it: out of domain, or for the reason the example states); "
        f"{sum(card['rejected'].values())} drawn requests it read otherwise were drawn again",
        *(
            [
                f"- codegen-2's own draws kept as it decided them: {len(stale)} of its examples "
                f"the language no longer reads as their program ({', '.join(sorted(stale))}; "
                "`no_longer_read` in `card.json` says why)"
            ]
            if (stale := card.get("no_longer_read"))
            else []
        ),
        "- `test_novel` uses only held-out frames, verbs, noun phrases, backend/shot phrases, "
        "politeness, devices and value ranges (larger sizes, other shot counts, longer bitstrings)",
    ]
    if added:
        lines.append(
            f"- {', '.join(f'`{c}`' for c in added)} added to codegen-2 from seeded streams of "
            "their own: codegen-2's examples head each split unchanged (SHA-256 of that part in "
            "`card.json`, `contains`)"
        )
    lines += [
        "",
        "| category | en | es | total | train | valid | test | test_novel | to refuse |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    splits = card.get("category_splits", {})
    refusals = card.get("refusals", {})
    for cat, counts in card["categories"].items():
        per = [str(splits.get(cat, {}).get(s, "–")) for s in SPLITS]
        lines.append(
            f"| {cat} | {counts.get('en', 0)} | {counts.get('es', 0)} | {sum(counts.values())} | "
            + " | ".join(per)
            + f" | {refusals.get(cat, 0)} |"
        )
    return "\n".join(lines) + "\n"
