"""Greedy decoding that retries its closest calls when the answer ignores a value of the request.

Every value a request states (a size, a shot count, a bit string, a device, the ligand) is a
slot the plan should use: a plan that leaves one out has almost always misread the request.
On ``test_novel`` the stage-2 model's greedy answers that left a slot unaccounted for were
wrong 224 times in 265; those that used every slot were right 626 times in 852 ("an
amplitude amplification that finds #1 and #2" answered with Bernstein-Vazirani on #1 only,
"recorre #1 y #2 qubits" with one run on #1, a GHZ state on #1 qubits answered with a Bell
state). So when the greedy answer leaves a slot unaccounted for, the decoder goes back to the
steps where its runner-up token came closest (:class:`plan.grammar.Fork`, recorded during the
greedy pass), takes the runner-up there, continues greedily, and keeps the first answer that
accounts for every slot — else the greedy one. This uses only the slots, never the words of
the request, so the model still decides what the request means.

A value the request states once fills one argument: a call line that uses a slot more often
than the request mentions it ("a GHZ state of ten qubits" answered ``Q Create a #1-qubit GHZ
state | ibm_torino | #1``, ten shots) is retried the same way. On the dataset's 17,268 target
call lines this never happens, outside a device name.

A slot is accounted for when the plan writes it, writes its value out, or its value is a size
the plan covers: inside a loop's range ("2, 3 and 4 qubits" is ``n=#1..4``: ``Slots.encode``
leaves the end literal) or the size of a run ("2 qubits in a Bell state", "1 qubit in |+>").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from bioql.assistant.model.slots import SLOT
from bioql.errors import BioQLError

#: forks retried at most (each costs one more decode from that point: ≈ 10 ms per token)
TRIES = 3


def unaccounted(plan: str, values: Sequence[str]) -> list[int]:
    """The slots (1-based) of ``values`` that ``plan`` (slot form) does not account for."""
    plan = plan.strip()
    if not values or not plan or plan.startswith("R"):
        return []
    written = {int(k) for k in SLOT.findall(plan)}
    plain = SLOT.sub(" ", plan)
    missing = [
        k for k, v in enumerate(values, 1) if k not in written and not _written_out(v, plain)
    ]
    if missing:
        sizes = _run_sizes(plan, values) | _range_sizes(plan, values)
        missing = [
            k for k in missing if not (values[k - 1].isdigit() and int(values[k - 1]) in sizes)
        ]
    return missing


def overused(plan: str, mentions: Sequence[int]) -> list[int]:
    """The slots some call line of ``plan`` uses more often than the request mentions them
    (``mentions[k - 1]`` times for ``#k``); a device name in the backend field is not counted."""
    found = set()
    for line in plan.splitlines():
        if line[:2] not in ("Q ", "D "):
            continue
        fields = line[2:].split(" | ")
        used = SLOT.findall(" ".join(fields[:1] + fields[2:]))
        found |= {int(k) for k in used if used.count(k) > _count(mentions, int(k))}
    return sorted(found)


def _count(mentions: Sequence[int], k: int) -> int:
    return mentions[k - 1] if 1 <= k <= len(mentions) else 0


def _acceptable(generation: Any, values: Sequence[str], mentions: Sequence[int] | None) -> bool:
    return (
        generation.finished
        and not unaccounted(generation.text, values)
        and not (mentions is not None and overused(generation.text, mentions))
    )


def _written_out(value: str, plan: str) -> bool:
    """The value itself, whole, in the plan ("ibm_brisbane", "2000"; not the 2 of "2.5")."""
    whole = rf"(?<![a-z0-9.]){re.escape(value)}(?![a-z0-9]|\.[0-9])"
    return re.search(whole, plan, re.IGNORECASE) is not None


def _range_sizes(plan: str, values: Sequence[str]) -> set[int]:
    """Every size a loop range covers ("2, 3 and 4 qubits" is written n=#1..4)."""
    found = re.match(r"L n=(#?\d+)\.\.(#?\d+)$", plan.splitlines()[0])
    if not found:
        return set()
    ends = [_value(values, int(e[1:])) if e.startswith("#") else e for e in found.groups()]
    if not all(e.isdigit() for e in ends):
        return set()
    return set(range(int(ends[0]), int(ends[1]) + 1))


def _run_sizes(plan: str, values: Sequence[str]) -> set[int]:
    """Qubit counts of the plan's runs that need no loop variable."""
    from bioql.language import compile_description

    sizes = set()
    for line in plan.splitlines():
        description = line[2:].split(" | ")[0]
        if not line.startswith("Q ") or "{" in description:
            continue
        description = SLOT.sub(lambda m: _value(values, int(m.group(1))), description)
        try:
            sizes.add(compile_description(description).num_qubits)
        except BioQLError:
            continue
    return sizes


def _value(values: Sequence[str], k: int) -> str:
    return values[k - 1] if 1 <= k <= len(values) else f"#{k}"


def search(
    generate: Callable[[Sequence[int]], Any],
    values: Sequence[str],
    tries: int = TRIES,
    mentions: Sequence[int] | None = None,
) -> Any:
    """The greedy answer, or — when it leaves a slot unaccounted for, uses one more often than
    ``mentions`` allows, or does not finish — the first finished answer from its ``tries``
    closest forks that has none of these defects.

    ``generate(prefix)`` decodes greedily under the grammar with the answer's first tokens
    forced to ``prefix`` and returns a ``Generation`` (``text``, ``ids``, ``forks``,
    ``finished``). Token and time counts of the retries are added to the answer returned.
    """
    first = generate(())
    if _acceptable(first, values, mentions):
        return first  # (an unfinished answer ran into a dead end or the length limit)
    spent_tokens, spent_seconds = first.tokens_out, first.seconds
    for fork in sorted(first.forks, key=lambda f: f.gap)[:tries]:
        retry = generate([*first.ids[: fork.position], fork.token])
        spent_tokens += retry.tokens_out
        spent_seconds += retry.seconds
        if _acceptable(retry, values, mentions):
            retry.tokens_out, retry.seconds = spent_tokens, spent_seconds
            return retry
    first.tokens_out, first.seconds = spent_tokens, spent_seconds
    return first
