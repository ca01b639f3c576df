"""Noise on training requests: it changes plain words only, never the format or a slot."""

from __future__ import annotations

import random
import re

import pytest

from bioql.assistant.training.augment import filler_words, noisy_prompts, noisy_text, subword_cuts
from bioql.assistant.training.config import NoiseSettings
from bioql.errors import BioQLValueError

WORDS = ["apple", "river", "stone"]
REQUEST = "prepare a #1-qubit ghz state on fake_#2 with #3 shots, then measure everything please"


def test_noise_touches_plain_words_and_keeps_slots_numbers_and_symbols():
    loud = NoiseSettings(share=1.0, replace=0.5, split=0.3, insert=0.5)
    changed = 0
    for seed in range(50):
        text = noisy_text(REQUEST, loud, WORDS, random.Random(seed))
        assert re.findall(r"#\d|fake_#2|#1-qubit", text) == re.findall(
            r"#\d|fake_#2|#1-qubit", REQUEST
        )
        changed += text != REQUEST
    assert changed >= 45
    assert (
        noisy_text(REQUEST, NoiseSettings(replace=0, split=0, insert=0), WORDS, random.Random(0))
        == REQUEST
    )


def test_only_the_share_of_prompts_gets_noise_between_the_markers_and_the_same_seed_repeats():
    def render(record):
        return f"<|q|>{record['instruction']}<|a|>"

    settings = NoiseSettings(share=0.5, replace=0.3, split=0.0, insert=0.3)
    records = [{"instruction": REQUEST}] * 400
    once = noisy_prompts(render, ("<|q|>", "<|a|>"), settings, WORDS, 7)
    first = [once(r) for r in records]
    again = noisy_prompts(render, ("<|q|>", "<|a|>"), settings, WORDS, 7)
    assert [again(r) for r in records] == first
    assert all(p.startswith("<|q|>") and p.endswith("<|a|>") for p in first)
    share = sum(p != render(records[0]) for p in first) / len(first)
    assert 0.4 < share < 0.6


def test_filler_words_are_whole_lower_case_words_of_the_vocabulary(make_config, fmt):
    from bioql.assistant.training.trainer import load_model_and_tokenizer

    _, tokenizer = load_model_and_tokenizer(make_config(), fmt)
    words = filler_words(tokenizer)
    assert words and all(re.fullmatch(r"[a-z]{3,10}", w) for w in words)


def test_noise_rates_out_of_range_are_refused(make_config):
    with pytest.raises(BioQLValueError, match="noise rates"):
        make_config(noise={"share": 1.5})
    config = make_config(noise={"share": 0.5})
    assert config.noise == NoiseSettings(share=0.5)


def test_subword_split_cuts_a_word_only_where_the_tokenizer_does(make_config, fmt):
    from bioql.assistant.training.trainer import load_model_and_tokenizer

    _, tokenizer = load_model_and_tokenizer(make_config(), fmt)
    cuts = subword_cuts(tokenizer)
    word = "superposition"  # a few pieces in the tiny test vocabulary
    pieces = tokenizer.tokenize(" " + word)
    assert len(pieces) > 1 and cuts(word)
    inner = {c for c in cuts(word) if 2 <= c <= len(word) - 2}
    split_only = NoiseSettings(share=1.0, replace=0, split=1.0, insert=0, split_at="subword")
    seen = set()
    for seed in range(30):
        left, right = noisy_text(word, split_only, WORDS, random.Random(seed), cuts).split(" ")
        assert left + right == word
        seen.add(len(left))
    assert seen and seen <= inner  # never a cut inside a piece


def test_split_place_must_be_known(make_config):
    with pytest.raises(BioQLValueError, match="split_at"):
        make_config(noise={"share": 0.5, "split_at": "middle"})
