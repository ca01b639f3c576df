"""``bioql eval``: pass@1 of a provider on a dataset split, judged by running the answers.

For each example the provider answers once (greedy). The answer passes when:

* quantum calls — same number and order as the reference; ``backend`` and ``shots`` equal
  exactly; the description, run on ``statevector``, gives the outcome the example expects
  (distribution within total-variation 0.02, or the marked states' mass for Grover);
* VQE / MaxCut calls — the description reads (``read_chemistry``) to the same spec as the
  reference's, with the backend and shots each call runs on (nothing is run: too slow);
* docking calls — ligand (same molecule), protein file, backend and box options equal;
* screening calls — library, protein file and every option equal (as written);
* out-of-domain — the answer is a refusal (``error`` set, no code);
* anti-patterns — ``fix(broken)`` yields a program meeting the same conditions.

Reported: pass@1 for the model alone (``source == "model"``), after the repair turn, and end
to end (with the template generator behind the model); invalid answers (code returned that fails validation:
must be zero); the answers that were not right, as refused (no code where a program was
expected) or wrong (a program that runs something else, or code for a request to refuse); by
category and language; p50 / p95 latency.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from bioql.assistant.api import get_assistant
from bioql.assistant.checking.validate import validate
from bioql.assistant.dataset.expected import satisfied
from bioql.assistant.faithful import call_chemistry
from bioql.calls import Call
from bioql.errors import BioQLAssistantError, BioQLError


def load_split(split: str, dataset: Path | None = None) -> list[dict[str, Any]]:
    from bioql.assistant.dataset.build import SPLITS, build, default_dir

    if split not in SPLITS:
        raise BioQLAssistantError(f"Unknown split {split!r}; choose one of: {', '.join(SPLITS)}.")
    directory = Path(dataset or default_dir())
    path = directory / f"{split}.jsonl"
    if not path.is_file():
        build(out=directory, progress=True)
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@lru_cache(maxsize=8192)
def _probabilities(description: str) -> dict[str, float]:
    from bioql.result import QuantumResult
    from bioql.runtime import quantum

    result = quantum(description, backend="statevector", shots=1)
    # a chemistry request returns energies, not a distribution to compare
    return dict(result.probabilities) if isinstance(result, QuantumResult) else {}


def _same_molecule(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        from rdkit import Chem, RDLogger

        RDLogger.DisableLog("rdApp.*")
        ma, mb = Chem.MolFromSmiles(a), Chem.MolFromSmiles(b)
        return ma is not None and mb is not None and Chem.MolToSmiles(ma) == Chem.MolToSmiles(mb)
    except ImportError:
        return False


def _norm(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(float(v) for v in value)
    return value


def judge(record: dict[str, Any], code: str | None, error: str | None) -> tuple[bool, str]:
    """Whether an answer to ``record`` is right, and why not."""
    if record["code"] is None:
        return (code is None and bool(error)), "expected a refusal"
    if code is None:
        return False, f"refused: {error}"
    got = validate(code).calls
    want = validate(record["code"]).calls
    if len(got) != len(want):
        return False, f"{len(got)} calls instead of {len(want)}"
    expects = iter(record["expect"])
    for g, w in zip(got, want, strict=True):
        if g.func != w.func:
            return False, f"{g.func}() instead of {w.func}()"
        if g.func == "quantum":
            expect: dict[str, Any] = next(expects, {})  # one per quantum() call of the reference
            chemistry = call_chemistry(w)
            ok, why = (
                _judge_chemistry(g, chemistry)
                if chemistry is not None
                else _judge_quantum(g, w, expect)
            )
        elif g.func == "screen":
            ok, why = _judge_screen(g, w)
        else:
            ok, why = _judge_dock(g, w)
        if not ok:
            return False, why
    return True, ""


def _judge_quantum(got: Call, want: Call, expect: dict[str, Any]) -> tuple[bool, str]:
    for key, default in (("backend", "simulator"), ("shots", 1024)):
        if got.kwargs.get(key, default) != want.kwargs.get(key, default):
            return (
                False,
                f"{key}={got.kwargs.get(key, default)!r}, expected {want.kwargs.get(key, default)!r}",
            )
    description = got.argument("description", 0)
    try:
        probabilities = _probabilities(description)
    except BioQLError as exc:
        return False, f"running {description!r} failed: {exc}"
    ok, why = satisfied(expect, probabilities)
    return ok, "" if ok else f"{description!r}: {why}"


def _judge_chemistry(got: Call, want: Any) -> tuple[bool, str]:
    spec = call_chemistry(got)
    if spec == want:
        return True, ""
    wrote = spec.reading if spec is not None else got.argument("description", 0)
    return False, f"{wrote!r} (on {getattr(spec, 'backend', None)}), expected {want.reading!r}"


def _judge_screen(got: Call, want: Call) -> tuple[bool, str]:
    def arguments(call: Call) -> dict[str, Any]:
        out = {
            "ligands": call.argument("ligands", 0),
            "protein_pdb": call.argument("protein_pdb", 1),
        }
        out.update({k: v for k, v in call.kwargs.items() if k not in out})
        return out

    g, w = arguments(got), arguments(want)
    for key in sorted(set(g) | set(w)):
        if _norm(g.get(key)) != _norm(w.get(key)):
            return False, f"{key}={g.get(key)!r}, expected {w.get(key)!r}"
    return True, ""


def _judge_dock(got: Call, want: Call) -> tuple[bool, str]:
    if not _same_molecule(
        str(got.kwargs.get("ligand_smiles")), str(want.kwargs.get("ligand_smiles"))
    ):
        return (
            False,
            f"ligand {got.kwargs.get('ligand_smiles')!r}, expected {want.kwargs.get('ligand_smiles')!r}",
        )
    for key in ("protein_pdb", "backend", "center", "size", "exhaustiveness"):
        if _norm(got.kwargs.get(key)) != _norm(want.kwargs.get(key)):
            return False, f"{key}={got.kwargs.get(key)!r}, expected {want.kwargs.get(key)!r}"
    return True, ""


def _dataset_id(dataset: Path | None) -> str:
    from bioql.assistant.dataset.build import default_dir

    card = Path(dataset or default_dir()) / "card.json"
    if not card.is_file():
        return "unknown"
    data = json.loads(card.read_text(encoding="utf-8"))
    return f"{data['dataset_version']} size {data['size']} seed {data['seed']}, sha256 {data['sha256'][:16]}…"


def stratified_sample(records: list[dict[str, Any]], n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` records with every category × language in proportion to its size (deterministic).

    Each group is shuffled and its members ranked by (position + 0.5) / group size; the ``n``
    smallest ranks overall (each group's first member ahead of the rest, so no group is
    missed) are systematic samples of every group, so a slow provider can be measured on a
    few hundred examples that still cover each category and language.
    """
    import random

    if n >= len(records):
        return list(records)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[(record["category"], record["language"])].append(record)
    ranked = []
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda r: r["id"])
        random.Random(f"{seed}:{key}").shuffle(members)
        ranked += [(i > 0, (i + 0.5) / len(members), r["id"], r) for i, r in enumerate(members)]
    chosen = {t[-1]["id"] for t in sorted(ranked, key=lambda t: t[:3])[:n]}
    return [r for r in records if r["id"] in chosen]


def run_eval(
    provider: str = "template",
    split: str = "test_novel",
    limit: int | None = None,
    sample: int | None = None,
    dataset: Path | None = None,
    results: Path | None = Path("benchmarks/codegen/RESULTS.md"),
    progress: bool = True,
) -> dict[str, Any]:
    from rich.progress import Progress

    every = load_split(split, dataset)
    records = stratified_sample(every, sample) if sample else every[:limit]
    assistant = get_assistant(provider)
    rows: list[dict[str, Any]] = []
    with Progress(transient=True, disable=not progress) as bar:
        task = bar.add_task(f"Evaluating {provider} on {split}", total=len(records))
        for record in records:
            rows.append(_evaluate_one(assistant, record))
            bar.advance(task)
    report = summarise(rows, provider, split, getattr(assistant, "model_name", provider))
    report["dataset"] = _dataset_id(dataset)
    if len(records) < len(every):
        how = "stratified sample (category × language)" if sample else "first examples"
        report["selection"] = f"{len(records)} of {len(every)}, {how}"
    report["markdown"] = to_markdown(report)
    if results is not None:
        write_results(Path(results), report)
    return report


def _evaluate_one(assistant: Any, record: dict[str, Any]) -> dict[str, Any]:
    start = time.perf_counter()
    if record["category"] == "anti_patterns":
        fixed = assistant.fix(record["broken"])
        code, error, source = fixed.code, None, "fix"
        seconds = time.perf_counter() - start
    else:
        answer = assistant.generate(record["instruction"])
        code, error, source = answer.code, answer.error, answer.source
        seconds = answer.timing.total_seconds
    invalid = (
        code is not None
        and not validate(code, prompt=None, strict=record["category"] != "anti_patterns").ok
    )
    ok, why = judge(record, code, error)
    right = ok and not invalid
    outcome = "right" if right else "refused" if code is None else "wrong"
    return {
        "id": record["id"], "category": record["category"], "language": record["language"],
        "source": source, "ok": right, "invalid": invalid, "why": why, "outcome": outcome,
        "seconds": seconds, "instruction": record["instruction"],
    }  # fmt: skip


def _rate(rows: list[dict[str, Any]], sources: tuple[str, ...] | None) -> float:
    if not rows:
        return 0.0
    good = [r for r in rows if r["ok"] and (sources is None or r["source"] in sources)]
    return len(good) / len(rows)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summarise(rows: list[dict[str, Any]], provider: str, split: str, model: str) -> dict[str, Any]:
    generated = [r for r in rows if r["source"] != "fix"]
    fixes = [r for r in rows if r["source"] == "fix"]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[f"{r['category']}/{r['language']}"].append(r)
    by_category = {
        key: {
            "n": len(g),
            "end_to_end": round(_rate(g, None), 4),
            # what the model got right itself, where it was asked (not for anti-patterns)
            "model_alone": round(_rate(asked, ("model",)), 4)
            if (asked := [r for r in g if r["source"] != "fix"])
            else None,
            "refused": sum(r.get("outcome") == "refused" for r in g),
            "wrong": sum(r.get("outcome") == "wrong" for r in g),
        }
        for key, g in sorted(groups.items())
    }
    latencies = [r["seconds"] for r in rows if r["source"] != "fix"]
    report = {
        "provider": provider,
        "model": model,
        "split": split,
        "n": len(rows),
        # model alone / after repair: over generate requests; end to end: every example
        "pass_at_1": {
            "model_alone": round(_rate(generated, ("model",)), 4),
            "after_repair": round(_rate(generated, ("model", "model+repair")), 4),
            "end_to_end": round(_rate(rows, None), 4),
        },
        "has_model": any(r["source"] in ("model", "model+repair") for r in rows)
        or provider != "template",
        "fix_pass": round(_rate(fixes, None), 4) if fixes else None,
        "invalid_answers": sum(r["invalid"] for r in rows),
        "outcomes": {
            k: sum(r.get("outcome") == k for r in rows) for k in ("right", "refused", "wrong")
        },
        "sources": {
            s: sum(r["source"] == s for r in rows) for s in sorted({r["source"] for r in rows})
        },
        "latency_seconds": {
            "p50": round(_pct(latencies, 0.5), 4),
            "p95": round(_pct(latencies, 0.95), 4),
            "mean": round(statistics.fmean(latencies), 4) if latencies else 0.0,
        },
        "by_category_language": by_category,
        "failures": [
            {k: r[k] for k in ("id", "category", "language", "instruction", "why")}
            for r in rows
            if not r["ok"]
        ][:50],
    }
    report["markdown"] = to_markdown(report)
    return report


def to_markdown(report: dict[str, Any]) -> str:
    p = report["pass_at_1"]
    lat = report["latency_seconds"]
    lines = [
        f"### `{report['provider']}` ({report['model']}) on `{report['split']}` — {report['n']} examples",
        "",
        *([f"- evaluated: {report['selection']}"] if report.get("selection") else []),
        f"- dataset: {report.get('dataset', 'unknown')}",
        f"- pass@1 end to end: **{p['end_to_end']:.1%}** · "
        + (
            f"model alone: {p['model_alone']:.1%} · after repair: {p['after_repair']:.1%}"
            if report["has_model"]
            else "model alone / after repair: n/a (the template provider has no model)"
        )
        + (
            f" · fix (anti-patterns): {report['fix_pass']:.1%}"
            if report["fix_pass"] is not None
            else ""
        ),
        f"- invalid answers returned: **{report['invalid_answers']}**",
        *(
            [
                f"- answers: right {o['right']}, refused {o['refused']} (no program where one "
                f"was expected), wrong {o['wrong']} (another program, or one for a request to "
                "refuse)"
            ]
            if (o := report.get("outcomes"))
            else []
        ),
        f"- answer sources: {', '.join(f'{k} {v}' for k, v in report['sources'].items())}",
        f"- latency per prompt: p50 {lat['p50'] * 1000:.1f} ms, p95 {lat['p95'] * 1000:.1f} ms",
        "",
        *_category_table(report),
    ]
    if report["failures"]:
        lines += ["", "First failures:", ""]
        lines += [
            f"- `{f['id']}` {f['category']}/{f['language']}: {f['instruction'][:80]!r} — {f['why']}"
            for f in report["failures"][:10]
        ]
    return "\n".join(lines) + "\n"


def _category_table(report: dict[str, Any]) -> list[str]:
    """End to end per category and language; with a model, also what it got right alone."""
    alone = report["has_model"]
    head = "| category | en | es |" + (" en, model alone | es, model alone |" if alone else "")
    head += " refused | wrong |"
    lines = [head, "|---|---:|---:|" + ("---:|---:|" if alone else "") + "---:|---:|"]
    groups = report["by_category_language"]
    for cat in sorted({k.split("/")[0] for k in groups}):
        rows = [groups.get(f"{cat}/{lang}") for lang in ("en", "es")]
        cells = [f"{g['end_to_end']:.1%} ({g['n']})" if g else "–" for g in rows]
        if alone:
            cells += [
                f"{g['model_alone']:.1%}" if g and g.get("model_alone") is not None else "–"
                for g in rows
            ]
        cells += [str(sum(g.get(k, 0) for g in rows if g)) for k in ("refused", "wrong")]
        lines.append(f"| {cat} | " + " | ".join(cells) + " |")
    return lines


def write_results(path: Path, report: dict[str, Any]) -> None:
    """Replace this provider/split's section of RESULTS.md, keeping the others."""
    # local models are told apart by name (the shipped model vs a from-scratch baseline)
    who = report["provider"] + (f":{report['model']}" if report["provider"] == "local" else "")
    marker = f"<!-- eval:{who}:{report['split']} -->"
    header = (
        "# Code assistant evaluation\n\nWritten by `bioql eval` (bioql/assistant/evaluate.py): each answer is "
        "executed on `statevector` and its outcome compared with the expected one; arguments must match "
        "exactly. Re-run: `bioql eval --provider template --split test_novel`.\n\n"
    )
    replace_section(path, marker, report["markdown"], header)


def replace_section(path: Path, marker: str, body: str, header: str = "") -> None:
    """Put ``body`` between two ``marker`` lines of ``path``, keeping the rest of the file."""
    text = path.read_text(encoding="utf-8") if path.is_file() else header
    section = f"{marker}\n{body}{marker}\n"
    if marker in text:
        start = text.index(marker)
        end = text.index(marker, start + len(marker)) + len(marker) + 1
        text = text[:start] + section + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
