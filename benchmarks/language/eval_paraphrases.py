"""Evaluate BioQL on the paraphrase suite (``tests/data/paraphrases``, issue 14).

Every item is a description with its exact expected distribution (or ``"refuse"``). Two targets:

* ``language`` — ``bioql.language.compile_description(text)``, then the compiled program is run
  on the exact backend (``quantum(program, backend="statevector")``);
* ``assistant`` — ``get_assistant(provider).generate(text)``; every ``quantum(...)`` call of the
  generated code is found with :func:`bioql.calls.find_calls`, its description compiled and run
  the same way, and its ``shots=`` / ``backend=`` arguments (else what its description states)
  compared with the item's.

Each item ends as one of:

* ``correct`` — the distribution over the measured qubits matches (each outcome within 1e-3), the
  number of measured qubits matches, and so do shots and backend; for a ``"refuse"`` item,
  correct means BioQL refused;
* ``refused`` — a ``BioQLError`` (language), or an answer with ``error`` set / no code, or code
  whose description BioQL refuses to compile (assistant);
* ``wrong`` — anything that runs but differs from the expectation (and, for a ``"refuse"`` item,
  anything that runs at all); also an unexpected crash (an exception that is not a BioQLError).

Shots and backend: with the language target the program must hold exactly what the text states;
when the text states nothing, shots must be ``None`` (a shot count read from nowhere is a
misreading) and the backend ``None`` or a noiseless local simulator (``simulator`` /
``statevector``). With the assistant they are checked only when the text states them (generated
code may always pass a default).

Writes ``RESULTS.md`` and ``results.json`` next to this file; runs of other targets/providers
already recorded there are kept, so both targets can be run one after the other::

    python benchmarks/language/eval_paraphrases.py --part all --target language
    python benchmarks/language/eval_paraphrases.py --part heldout --target assistant --provider template
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SUITE = ROOT / "tests" / "data" / "paraphrases"
PARTS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5")
OUTCOMES = ("correct", "refused", "wrong")
TOLERANCE = 1e-3  # per outcome; expectations are rounded to 4 decimals
LISTED = 1e-3  # outcomes below this are not listed in "expect"
# a noiseless local simulator gives what was asked when the text names no backend
LOCAL = (None, "simulator", "statevector")


# --------------------------------------------------------------------------- the suite


def load(part: str) -> list[dict[str, Any]]:
    path = SUITE / f"{part}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def qreg_size(qasm: str) -> int:
    match = re.search(r"qreg\s+q\[(\d+)\]", qasm)
    return int(match.group(1)) if match else 0


# --------------------------------------------------------------------------- comparisons


def compare_distribution(expect: dict[str, float], got: dict[str, float]) -> str | None:
    """None when ``got`` matches ``expect``; else a short reason."""
    width = len(next(iter(expect)))
    widths = {len(k) for k in got}
    if widths != {width}:
        return f"{sorted(widths)} measured qubit(s), expected {width}"
    for key in sorted(set(expect) | set(got)):
        e, g = expect.get(key, 0.0), got.get(key, 0.0)
        allowed = TOLERANCE + (LISTED if key not in expect else 0.0)
        if abs(e - g) > allowed:
            return f"P({key}) = {g:.4f}, expected {e:.4f}"
    return None


def short_distribution(probs: dict[str, float], limit: int = 6) -> dict[str, float]:
    top = sorted(probs.items(), key=lambda kv: (-kv[1], kv[0]))
    return {k: round(v, 4) for k, v in top[:limit] if v >= LISTED}


def check_run(
    item: dict[str, Any],
    program: Any,
    shots: Any,
    backend: Any,
    strict_options: bool,
) -> tuple[str, str, dict[str, Any]]:
    """Run ``program`` exactly and judge it against ``item``: (outcome, reason, what came back)."""
    from bioql import quantum
    from bioql.errors import BioQLError

    got: dict[str, Any] = {
        "reading": getattr(program, "reading", ""),
        "num_qubits": program.num_qubits,
        "measured": list(program.measured),
        "shots": shots,
        "backend": backend,
    }
    try:
        result = quantum(program, backend="statevector")
    except BioQLError as exc:
        got["error"] = f"{type(exc).__name__}: {exc}"
        return "refused", "refused when run", got
    got["probabilities"] = short_distribution(result.probabilities)
    if item["expect"] == "refuse":
        return "wrong", "ran a program where a refusal was expected", got
    problems = []
    reason = compare_distribution(item["expect"], result.probabilities)
    if reason:
        problems.append(reason)
    if item["class"] == "partial_measurement" and program.num_qubits != qreg_size(item["ref"]):
        problems.append(f"{program.num_qubits} qubits, expected {qreg_size(item['ref'])}")
    for name, value in (("shots", shots), ("backend", backend)):
        wanted = item.get(name)
        if wanted is None and (not strict_options or (name == "backend" and value in LOCAL)):
            continue
        if value != wanted:
            problems.append(f"{name} {value!r}, expected {wanted!r}")
    if problems:
        return "wrong", "; ".join(problems), got
    return "correct", "", got


# --------------------------------------------------------------------------- the two targets


def evaluate_language(item: dict[str, Any]) -> dict[str, Any]:
    from bioql.errors import BioQLError
    from bioql.language import compile_description

    start = time.perf_counter()
    try:
        program = compile_description(item["text"])
    except BioQLError as exc:
        seconds = time.perf_counter() - start
        outcome = "correct" if item["expect"] == "refuse" else "refused"
        return {
            "outcome": outcome,
            "reason": "" if outcome == "correct" else "compile error",
            "got": {"error": f"{type(exc).__name__}: {exc}"},
            "compile_seconds": seconds,
        }
    except Exception as exc:  # a crash is not a refusal
        return {
            "outcome": "wrong",
            "reason": f"crashed: {type(exc).__name__}",
            "got": {"error": f"{type(exc).__name__}: {exc}"},
        }
    seconds = time.perf_counter() - start
    try:
        outcome, reason, got = check_run(
            item, program, program.shots, program.backend, strict_options=True
        )
    except Exception as exc:
        outcome, reason, got = "wrong", f"crashed when run: {type(exc).__name__}", {}
        got["error"] = f"{type(exc).__name__}: {exc}"
    if item["expect"] == "refuse" and outcome == "refused":
        outcome, reason = "correct", ""
    return {"outcome": outcome, "reason": reason, "got": got, "compile_seconds": seconds}


def evaluate_assistant(item: dict[str, Any], assistant: Any) -> dict[str, Any]:
    from bioql.calls import Unresolved, find_calls
    from bioql.errors import BioQLAssistantError, BioQLError
    from bioql.language import compile_description

    refusal_expected = item["expect"] == "refuse"
    start = time.perf_counter()
    try:
        answer = assistant.generate(item["text"])
    except BioQLAssistantError:
        raise  # the provider itself is unusable (no model...): not a refusal of this request
    except BioQLError as exc:
        answer, error = None, f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a crash is not a refusal
        return {
            "outcome": "wrong",
            "reason": f"generate crashed: {type(exc).__name__}",
            "got": {"error": f"{type(exc).__name__}: {exc}"},
        }
    else:
        error = answer.error
    seconds = time.perf_counter() - start
    base = {"generate_seconds": seconds}
    if answer is None or error or not answer.code:
        return {
            **base,
            "outcome": "correct" if refusal_expected else "refused",
            "reason": "" if refusal_expected else "the assistant refused",
            "got": {"error": error or "no code"},
        }
    got_code = {"code": answer.code, "interpreted_as": list(answer.interpreted_as)}
    try:
        calls = [c for c in find_calls(answer.code) if c.func == "quantum"]
    except BioQLError as exc:
        return {
            **base,
            "outcome": "wrong",
            "reason": f"code does not parse: {exc}",
            "got": got_code,
        }
    if not calls:
        return {**base, "outcome": "wrong", "reason": "no quantum() call", "got": got_code}
    per_call = []
    for call in calls:
        description = call.argument("description", 0)
        shots = call.argument("shots", 2)
        backend = call.argument("backend", 1)
        if isinstance(description, Unresolved) or not isinstance(description, str):
            per_call.append(("wrong", "description is not a literal string", {}))
            continue
        try:
            program = compile_description(description)
        except BioQLError as exc:
            err = {"description": description, "error": f"{type(exc).__name__}: {exc}"}
            per_call.append(("refused", "the code's description does not compile", err))
            continue
        except Exception as exc:
            err = {"description": description, "error": f"{type(exc).__name__}: {exc}"}
            per_call.append(("wrong", f"crashed: {type(exc).__name__}", err))
            continue
        shots = program.shots if shots is None else shots
        backend = program.backend if backend is None else backend
        if isinstance(shots, Unresolved) or isinstance(backend, Unresolved):
            per_call.append(("wrong", "shots/backend are not literals", {}))
            continue
        try:
            outcome, reason, got = check_run(item, program, shots, backend, strict_options=False)
        except Exception as exc:
            outcome, reason, got = "wrong", f"crashed when run: {type(exc).__name__}", {}
        got["description"] = description
        per_call.append((outcome, reason, got))
    outcomes = [o for o, _, _ in per_call]
    if refusal_expected:
        outcome = "wrong" if any(o != "refused" for o in outcomes) else "correct"
    else:
        outcome = next((o for o in ("wrong", "refused") if o in outcomes), "correct")
    reasons = "; ".join(r for o, r, _ in per_call if r and o != "correct")
    if refusal_expected and outcome == "wrong" and not reasons:
        reasons = "generated a program where a refusal was expected"
    return {
        **base,
        "outcome": outcome,
        "reason": reasons if outcome != "correct" else "",
        "got": {**got_code, "calls": [g for _, _, g in per_call]},
    }


# --------------------------------------------------------------------------- reporting


def tally(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, int]]:
    table: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        table[row[key]][row["outcome"]] += 1
    return {k: {o: table[k][o] for o in OUTCOMES} for k in sorted(table)}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    totals = Counter(row["outcome"] for row in rows)
    summary: dict[str, Any] = {
        "items": len(rows),
        **{o: totals[o] for o in OUTCOMES},
        "per_class": tally(rows, "class"),
        "per_voice": tally(rows, "voice"),
        "per_lang": tally(rows, "lang"),
    }
    timings = [r["compile_seconds"] for r in rows if "compile_seconds" in r]
    if timings:
        summary["median_compile_ms"] = round(statistics.median(timings) * 1000, 3)
    timings = [r["generate_seconds"] for r in rows if "generate_seconds" in r]
    if timings:
        summary["median_generate_ms"] = round(statistics.median(timings) * 1000, 1)
    return summary


def _pct(n: int, total: int) -> str:
    return f"{n} ({100 * n / total:.1f}%)" if total else "0"


def _table(title: str, table: dict[str, dict[str, int]]) -> list[str]:
    lines = [f"| {title} | n | correct | refused | wrong |", "|---|---:|---:|---:|---:|"]
    for name, counts in table.items():
        n = sum(counts.values())
        cells = " | ".join(_pct(counts[o], n) for o in OUTCOMES)
        lines.append(f"| {name} | {n} | {cells} |")
    return lines


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _what_came_back(row: dict[str, Any]) -> str:
    got = row.get("got", {})
    parts = []
    for call in got.get("calls", [got]):
        bits = []
        if call.get("description"):
            bits.append(f"description {call['description']!r}")
        if call.get("reading"):
            bits.append(f"read as {call['reading']!r}")
        if "probabilities" in call:
            bits.append(f"P = {json.dumps(call['probabilities'])}")
        for name in ("shots", "backend"):
            if call.get(name) is not None:
                bits.append(f"{name} {call[name]!r}")
        if call.get("error"):
            bits.append(call["error"])
        parts.append(", ".join(bits))
    return _clip(" / ".join(p for p in parts if p) or got.get("error", ""), 400)


def render(results: dict[str, Any]) -> str:
    out = [
        "# Paraphrase suite results (issue 14)",
        "",
        "Written by `benchmarks/language/eval_paraphrases.py`; the suite and how its expectations",
        "were derived are described in `tests/data/paraphrases/README.md`. `correct` = the exact",
        "distribution over the measured qubits matches (each outcome within 1e-3) and so do shots",
        "and backend when the text states them; `refused` = a BioQLError (language) or an answer",
        "with no code (assistant); `wrong` = it runs but does something else than asked (for the",
        "`refuse` class: it runs at all). Each part records when and on which commit it ran.",
        "",
    ]
    for run_key in sorted(results):
        run = results[run_key]
        out += [f"## {run_key}", ""]
        for part in PARTS:
            if part not in run["parts"]:
                continue
            summary = run["parts"][part]["summary"]
            n = summary["items"]
            when = f"{run['parts'][part]['when']}, commit `{run['parts'][part]['commit']}`"
            line = (
                f"**{part}** ({n} items; {when}): correct {_pct(summary['correct'], n)}, "
                f"refused {_pct(summary['refused'], n)}, wrong {_pct(summary['wrong'], n)}"
            )
            if "median_compile_ms" in summary:
                line += f"; median compile {summary['median_compile_ms']} ms"
            if "median_generate_ms" in summary:
                line += f"; median generate {summary['median_generate_ms']} ms"
            out += [line, ""]
        for part in PARTS:
            if part not in run["parts"]:
                continue
            data = run["parts"][part]
            out += [f"### {run_key} · {part}", ""]
            out += [*_table("class", data["summary"]["per_class"]), ""]
            out += [*_table("voice", data["summary"]["per_voice"]), ""]
            out += [*_table("lang", data["summary"]["per_lang"]), ""]
            wrong = [r for r in data["items"] if r["outcome"] == "wrong"]
            out += [f"**Wrong ({len(wrong)})**", ""]
            if wrong:
                out += ["| id | class | text | why | what came back |", "|---|---|---|---|---|"]
                out += [
                    f"| {r['id']} | {r['class']} | {_clip(r['text'], 120)} | "
                    f"{_clip(r['reason'], 160)} | {_what_came_back(r)} |"
                    for r in wrong
                ]
            else:
                out.append("None.")
            refused = [r for r in data["items"] if r["outcome"] == "refused"]
            out += ["", f"<details><summary>Refused ({len(refused)})</summary>", ""]
            out += [
                f"- {r['id']} ({r['class']}) {_clip(r['text'], 120)} — {_what_came_back(r)}"
                for r in refused
            ]
            out += ["", "</details>", ""]
    return "\n".join(out) + "\n"


BLIND = HERE / "BLIND_RESULTS.md"


def blind_heading(part: str, run_key: str) -> str:
    return f"## {part} · {run_key}"


def _blind_text() -> str:
    return BLIND.read_text(encoding="utf-8") if BLIND.exists() else ""


def record_blind(part: str, run_key: str, data: dict[str, Any]) -> None:
    """Append a part's one blind evaluation. The file is only ever appended to: later runs of
    the same part (no longer blind) go to RESULTS.md, never here."""
    s = data["summary"]
    n = s["items"]
    lines = [
        "",
        blind_heading(part, run_key),
        "",
        f"{data['when']}, commit `{data['commit']}`: **correct {_pct(s['correct'], n)}, "
        f"refused {_pct(s['refused'], n)}, wrong {_pct(s['wrong'], n)}** of {n}.",
        "",
        *_table("class", s["per_class"]),
        "",
    ]
    wrong = [r for r in data["items"] if r["outcome"] == "wrong"]
    for row in wrong:
        lines.append(f"- wrong `{row['id']}`: {_clip(row['text'], 160)} → {_what_came_back(row)}")
    BLIND.write_text(_blind_text() + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"appended the blind run to {BLIND.relative_to(ROOT)}")


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --------------------------------------------------------------------------- driver


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=(*PARTS, "all"), default="dev")
    parser.add_argument("--target", choices=("language", "assistant"), default="language")
    parser.add_argument("--provider", default="template", help="assistant provider")
    parser.add_argument("--limit", type=int, default=0, help="only the first N items per part")
    parser.add_argument("--no-write", action="store_true", help="print, do not write results")
    parser.add_argument(
        "--blind",
        action="store_true",
        help="the part's one blind evaluation: also appended to BLIND_RESULTS.md (refused if "
        "that file already records this part and target)",
    )
    args = parser.parse_args(argv)
    if args.blind and (args.part == "all" or args.limit or args.no_write):
        parser.error("--blind evaluates one whole part and records it")

    parts = PARTS if args.part == "all" else (args.part,)
    assistant = None
    run_key = args.target
    if args.target == "assistant":
        from bioql.assistant.api import get_assistant

        assistant = get_assistant(args.provider)
        run_key = f"assistant ({args.provider})"
    if args.blind and blind_heading(args.part, run_key) in _blind_text():
        parser.error(f"{args.part} was already evaluated blind for {run_key}; see {BLIND.name}")

    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    run: dict[str, Any] = {"parts": {}}
    for part in parts:
        items = load(part)
        if args.limit:
            items = items[: args.limit]
        rows = []
        for item in items:
            if assistant is None:
                verdict = evaluate_language(item)
            else:
                verdict = evaluate_assistant(item, assistant)
            rows.append(
                {k: item[k] for k in ("id", "class", "voice", "lang", "text")}
                | {"expect": item["expect"]}
                | {k: item[k] for k in ("shots", "backend") if k in item}
                | verdict
            )
        summary = summarise(rows)
        run["parts"][part] = {
            "when": when,
            "commit": git_commit(),
            "summary": summary,
            "items": rows,
        }
        n = summary["items"]
        print(
            f"{run_key} · {part}: {n} items · correct {summary['correct']} · "
            f"refused {summary['refused']} · wrong {summary['wrong']}"
        )
        for name, counts in summary["per_class"].items():
            print(f"  {name:20s} " + "  ".join(f"{o} {counts[o]:3d}" for o in OUTCOMES))

    if args.no_write:
        return 0
    json_path = HERE / "results.json"
    results = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {}
    previous = results.get(run_key, {"parts": {}})
    # keep the other part of an earlier run of the same target when only one part was run now
    for part, data in previous.get("parts", {}).items():
        if part not in run["parts"] and not args.limit:
            run["parts"][part] = data
    if args.limit:
        print("(--limit: results not written)")
        return 0
    if args.blind:
        record_blind(args.part, run_key, run["parts"][args.part])
    results[run_key] = run
    json_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    (HERE / "RESULTS.md").write_text(render(results), encoding="utf-8")
    print(f"wrote {json_path.relative_to(ROOT)} and RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
