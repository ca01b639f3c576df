"""The fast runtime: the GGUF export computes what PyTorch computes, and answers the same."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from bioql.assistant.model.export_gguf import export_gguf, rotary_permute
from bioql.assistant.model.llamacpp_runtime import LlamaCppModel, gguf_path
from bioql.assistant.model.tokens import encode_prompt
from bioql.assistant.model.torch_runtime import LocalModel
from bioql.assistant.plan.grammar import Grammar
from bioql.errors import BioQLAssistantError

llama_cpp = pytest.importorskip("llama_cpp")

PROMPTS = ("make a bell state", "run grover for 101", "teleport a qubit", "qubits a ghz")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("BIOQL_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _last_logits(gguf_file, ids):
    llm = llama_cpp.Llama(model_path=str(gguf_file), n_ctx=256, verbose=False, logits_all=True)
    try:
        llm.eval(ids)
        return np.array(llm.scores[len(ids) - 1])
    finally:
        llm.close()


@pytest.mark.parametrize("tie", [True, False], ids=["tied", "untied"])
def test_f32_gguf_gives_the_pytorch_logits(tie, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from .conftest import build_tiny_base

    base = build_tiny_base(tmp_path / "base", tie=tie)
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(base)
    out = export_gguf(model, base, tmp_path / "tiny.gguf", "F32")
    ids = tokenizer("build a ghz state on 3 qubits please")["input_ids"]
    with torch.no_grad():
        expected = model(torch.tensor([ids])).logits[0, -1].numpy()
    np.testing.assert_allclose(_last_logits(out, ids), expected, atol=1e-4)


def test_rotary_permutation_pairs_the_two_halves_of_each_head():
    # one head of 4 rows: HF rotates (r0, r2) and (r1, r3); llama.cpp rotates adjacent rows
    rows = np.arange(8).reshape(8, 1)
    assert rotary_permute(rows, heads=2).ravel().tolist() == [0, 2, 1, 3, 4, 6, 5, 7]


@pytest.fixture
def runtimes(memorized, home):
    """The memorized tiny model on PyTorch and, from its F32 GGUF, on llama.cpp."""
    config, _ = memorized
    reference = LocalModel(config.output_dir, prompt_format_version="test-1")
    out = gguf_path(config.output_dir, "F32")
    export_gguf(reference.model, config.output_dir, out, "F32")
    fast = LlamaCppModel(config.output_dir, prompt_format_version="test-1", gguf_file=out)
    yield reference, fast
    fast.llm.close()


def test_llamacpp_answers_exactly_like_pytorch(runtimes, fmt):
    reference, fast = runtimes
    for instruction in PROMPTS:
        prompt = fmt.render_prompt({"instruction": instruction})
        want = reference.generate(prompt, max_new_tokens=40)
        got = fast.generate(prompt, max_new_tokens=40)
        assert fast.encode(prompt) == encode_prompt(reference.tokenizer, prompt)
        assert (got.text, got.finished, got.tokens_out) == (
            want.text,
            want.finished,
            want.tokens_out,
        )


def test_both_runtimes_decode_inside_the_plan_grammar_alike(runtimes, fmt):
    # this tiny model was taught to write code, not plans: only the constraint makes a plan
    reference, fast = runtimes
    for instruction in PROMPTS[:2]:
        prompt = fmt.render_prompt({"instruction": instruction})
        grammar = Grammar(("3", "101"))
        free = reference.generate(prompt, max_new_tokens=30)
        want = reference.generate(prompt, max_new_tokens=30, grammar=grammar)
        got = fast.generate(prompt, max_new_tokens=30, grammar=grammar)
        assert free.text.startswith("quantum(") and not grammar.viable(free.text)
        assert grammar.viable(want.text) and want.text.startswith(("Q ", "L ", "D ", "R"))
        assert (got.text, got.tokens_out) == (want.text, want.tokens_out)


def test_a_retry_from_a_fork_is_the_same_on_both_runtimes_and_reuses_no_stale_cache(runtimes, fmt):
    reference, fast = runtimes
    prompt = fmt.render_prompt({"instruction": PROMPTS[0]})
    grammar = Grammar(("3", "101"))
    first = fast.generate(prompt, max_new_tokens=30, grammar=grammar)
    assert first.forks and first.ids
    for fork in first.forks[:3]:
        prefix = [*first.ids[: fork.position], fork.token]
        got = fast.generate(prompt, max_new_tokens=30, grammar=grammar, prefix=prefix)
        want = reference.generate(prompt, max_new_tokens=30, grammar=grammar, prefix=prefix)
        assert got.ids[: len(prefix)] == prefix and grammar.viable(got.text)
        assert (got.text, got.tokens_out) == (want.text, want.tokens_out)
    # after those retries the cache holds another answer: the first one comes back unchanged
    again = fast.generate(prompt, max_new_tokens=30, grammar=grammar)
    assert (again.text, again.ids) == (first.text, first.ids)


def test_the_q8_0_file_is_built_once_and_cached_by_checksum(memorized, fmt, home):
    config, _ = memorized
    first = LlamaCppModel(config.output_dir, prompt_format_version="test-1")
    assert first.gguf_file.is_file() and first.gguf_file.is_relative_to(home)
    built = first.gguf_file.stat().st_mtime_ns
    answer = first.generate(fmt.render_prompt({"instruction": "make a bell state"}))
    assert answer.finished and answer.text == 'quantum("Create a Bell state", shots=100)'
    first.llm.close()
    again = LlamaCppModel(config.output_dir, prompt_format_version="test-1")
    assert again.gguf_file == first.gguf_file and again.gguf_file.stat().st_mtime_ns == built
    again.llm.close()


def test_stops_at_max_new_tokens_and_rejects_bad_settings(memorized, fmt, home):
    config, _ = memorized
    model = LlamaCppModel(config.output_dir, prompt_format_version="test-1")
    prompt = fmt.render_prompt({"instruction": "make a bell state"})
    short = model.generate(prompt, max_new_tokens=2)
    assert not short.finished and short.tokens_out == 2
    with pytest.raises(BioQLAssistantError, match="temperature"):
        model.generate(prompt, temperature=-1)
    with pytest.raises(BioQLAssistantError, match="context"):
        model.generate(prompt * 400, max_new_tokens=8)
    model.llm.close()


def test_a_model_saved_with_another_prompt_format_is_refused(memorized, home):
    config, _ = memorized
    with pytest.raises(BioQLAssistantError, match="prompt format version"):
        LlamaCppModel(config.output_dir, prompt_format_version="bioql-plan/999")


def test_only_llama_models_and_known_types_are_exported(tmp_path):
    from transformers import GPT2Config, GPT2LMHeadModel

    gpt2 = GPT2LMHeadModel(GPT2Config(n_layer=1, n_embd=32, n_head=2, vocab_size=64))
    with pytest.raises(BioQLAssistantError, match="Llama"):
        export_gguf(gpt2, tmp_path, tmp_path / "x.gguf")
    with pytest.raises(BioQLAssistantError, match="Q8_0"):
        export_gguf(gpt2, tmp_path, tmp_path / "x.gguf", "Q2_K")
