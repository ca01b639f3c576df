"""Noise on training requests, so wording the model never saw does not derail it.

The dataset's requests come from a finite grammar; users (and ``test_novel``) write frames,
verbs and fillers it does not have. A model that has only seen clean requests learns to read
every word; one that has seen requests with stray words, replaced words and words split in
two learns to rely on the words that decide the plan. The noise is generic — random words of
the base model's own vocabulary at random places, any word split in two (at any point, or
where the tokenizer already splits it, as BPE-dropout varies segmentation) — never a phrase
chosen to match an evaluation split. It touches only the request text between the
prompt format's markers, never a slot (``#k``), a number or a symbol, so the target plan is
still the right answer. Validation examples stay clean.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[a-z]{3,10}")


def filler_words(tokenizer: Any, limit: int = 20000) -> list[str]:
    """Whole lower-case words of the tokenizer's vocabulary (word-initial pieces)."""
    words = set()
    for piece in tokenizer.get_vocab():
        text = tokenizer.convert_tokens_to_string([piece])
        if text.startswith(" ") and _WORD.fullmatch(text[1:]):
            words.add(text[1:])
    return sorted(words)[:limit]


def subword_cuts(tokenizer: Any) -> Callable[[str], list[int]]:
    """Where the tokenizer splits a word ("statevector" → [5]: "state" + "vector")."""

    @lru_cache(maxsize=65536)
    def cuts(word: str) -> list[int]:
        encoded = tokenizer(" " + word, add_special_tokens=False, return_offsets_mapping=True)
        starts = {max(start - 1, 0) for start, _ in encoded["offset_mapping"]}
        return sorted(c for c in starts if 0 < c < len(word))

    return cuts


def noisy_text(
    text: str,
    settings: Any,
    words: Sequence[str],
    rng: random.Random,
    cuts: Callable[[str], list[int]] | None = None,
) -> str:
    """``text`` with some plain words replaced, split in two, or followed by a stray word.

    With ``cuts`` (see :func:`subword_cuts`) a word the tokenizer splits is split at one of
    its token boundaries, so the halves are pieces the model knows; otherwise anywhere."""
    out: list[str] = []
    for word in text.split(" "):
        if not word.isalpha():
            out.append(word.replace("-", " ") if _split_hyphen(word, settings, rng) else word)
            continue
        roll = rng.random()
        if roll < settings.replace:
            word = rng.choice(words)
        elif roll < settings.replace + settings.split and len(word) >= 6:
            inner = [c for c in cuts(word) if 2 <= c <= len(word) - 2] if cuts else []
            cut = rng.choice(inner) if inner else rng.randrange(2, len(word) - 2)
            word = f"{word[:cut]} {word[cut:]}"
        out.append(word)
        if rng.random() < settings.insert:
            out.append(rng.choice(words))
    return " ".join(out)


def _split_hyphen(word: str, settings: Any, rng: random.Random) -> bool:
    parts = word.split("-")
    return len(parts) > 1 and all(p.isalpha() for p in parts) and rng.random() < settings.split


def noisy_prompts(
    render_prompt: Callable[[Mapping[str, Any]], str],
    markers: Sequence[str],
    settings: Any,
    words: Sequence[str],
    seed: int,
    cuts: Callable[[str], list[int]] | None = None,
) -> Callable[[Mapping[str, Any]], str]:
    """``render_prompt`` that adds noise to a ``settings.share`` of the records it renders
    (deterministic for a seed, so a resumed run encodes the same examples)."""
    rng = random.Random(f"noise:{seed}")
    split = re.compile("(" + "|".join(re.escape(m) for m in markers) + ")") if markers else None

    def render(record: Mapping[str, Any]) -> str:
        prompt = render_prompt(record)
        if rng.random() >= settings.share:
            return prompt
        pieces = split.split(prompt) if split else [prompt]
        return "".join(
            p if p in markers or not p else noisy_text(p, settings, words, rng, cuts)
            for p in pieces
        )

    return render
