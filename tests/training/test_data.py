"""Tokenization: what the loss sees, EOS, padding — the causes of the seeds' broken model."""

from __future__ import annotations

from transformers import AutoTokenizer

from bioql.assistant.model.tokens import encode_prompt, left_pad
from bioql.assistant.training.data import (
    IGNORE_INDEX,
    collate,
    encode_example,
    ensure_pad_token,
)


def _tok(tiny_base):
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_base))
    ensure_pad_token(tokenizer)
    return tokenizer


def test_labels_mask_the_prompt_and_keep_the_answer_and_eos(tiny_base, fmt):
    tokenizer = _tok(tiny_base)
    record = {"instruction": "make a bell state", "code": 'quantum("Create a Bell state")'}
    prompt, target = fmt.render_prompt(record), fmt.render_target(record)
    item = encode_example(tokenizer, prompt, target, max_length=200)
    n_prompt = len(encode_prompt(tokenizer, prompt))
    assert item.labels[:n_prompt] == [IGNORE_INDEX] * n_prompt
    answer = item.labels[n_prompt:]
    assert IGNORE_INDEX not in answer
    assert answer == item.input_ids[n_prompt:]
    assert answer[-1] == tokenizer.eos_token_id
    assert tokenizer.decode(answer[:-1]) == target
    # the model input starts with exactly the tokens inference feeds it
    assert item.input_ids[:n_prompt] == encode_prompt(tokenizer, prompt)


def test_pad_token_is_an_existing_special_token_distinct_from_eos(tiny_base):
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_base))
    assert tokenizer.pad_token_id == tokenizer.eos_token_id  # the trap, as in SmolLM2's GGUF
    size = len(tokenizer)
    added = ensure_pad_token(tokenizer)
    assert not added and len(tokenizer) == size
    assert tokenizer.pad_token_id != tokenizer.eos_token_id
    assert tokenizer.pad_token_id != tokenizer.bos_token_id


def test_preferred_pad_token_must_exist(tiny_base):
    import pytest

    from bioql.errors import BioQLValueError

    tokenizer = AutoTokenizer.from_pretrained(str(tiny_base))
    ensure_pad_token(tokenizer, "<extra>")
    assert tokenizer.pad_token == "<extra>"
    with pytest.raises(BioQLValueError, match="not in the tokenizer"):
        ensure_pad_token(tokenizer, "<nope>")


def test_too_long_examples_are_dropped_not_truncated(tiny_base):
    tokenizer = _tok(tiny_base)
    assert encode_example(tokenizer, "make a bell state", "quantum(" * 40, max_length=20) is None


def test_training_batch_is_right_padded_with_pad_and_ignored(tiny_base):
    tokenizer = _tok(tiny_base)
    short = encode_example(tokenizer, "a", "b", 50)
    long = encode_example(tokenizer, "make a bell state", "quantum()", 50)
    batch = collate([short, long], tokenizer.pad_token_id)
    n = len(short.input_ids)
    assert batch["input_ids"][0, n:].eq(tokenizer.pad_token_id).all()
    assert batch["labels"][0, n:].eq(IGNORE_INDEX).all()
    assert batch["attention_mask"][0].tolist() == [1] * n + [0] * (batch["input_ids"].shape[1] - n)
    assert batch["attention_mask"][1].all()


def test_generation_batch_is_left_padded(tiny_base):
    tokenizer = _tok(tiny_base)
    a, b = encode_prompt(tokenizer, "a"), encode_prompt(tokenizer, "make a bell state")
    batch = left_pad([a, b], tokenizer.pad_token_id)
    width = batch["input_ids"].shape[1]
    assert batch["input_ids"][0, width - len(a) :].tolist() == a
    assert batch["input_ids"][0, : width - len(a)].eq(tokenizer.pad_token_id).all()
    assert batch["attention_mask"][0].tolist() == [0] * (width - len(a)) + [1] * len(a)


def test_format_markers_are_single_tokens_and_the_end_marker_is_the_only_eos(tiny_base, fmt):
    from bioql.assistant.training.data import add_format_tokens

    tokenizer = AutoTokenizer.from_pretrained(str(tiny_base))
    new_ids = add_format_tokens(tokenizer, fmt)
    ensure_pad_token(tokenizer)
    assert len(new_ids) == 3 and tokenizer.eos_token == "<|end|>"
    assert tokenizer.pad_token_id not in (tokenizer.eos_token_id, *new_ids)
    record = {"instruction": "make a bell state", "code": 'quantum("Create a Bell state")'}
    item = encode_example(tokenizer, fmt.render_prompt(record), fmt.render_target(record), 200)
    assert item.input_ids.count(tokenizer.eos_token_id) == 1
    assert item.labels[-1] == tokenizer.eos_token_id
    prompt_ids = encode_prompt(tokenizer, fmt.render_prompt(record))
    assert prompt_ids[0] == new_ids[0] and prompt_ids[-1] == new_ids[1]
