"""``bioql train``: a plain PyTorch loop, LoRA through peft, resumable across sessions.

A plain loop (not ``transformers.Trainer``) keeps every step visible: the batch order is a
pure function of (seed, step), so a run stopped at step k and resumed continues with exactly
the batches it would have seen, and a checkpoint is just the trainable weights, the
optimizer, the scheduler and a small JSON state.
"""

from __future__ import annotations

import math
import shutil
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bioql.assistant.model.format import PromptFormat, project_format
from bioql.assistant.model.metadata import weights_sha256, write_model_info
from bioql.assistant.training.augment import filler_words, noisy_prompts, subword_cuts
from bioql.assistant.training.config import TrainConfig
from bioql.assistant.training.data import (
    Encoded,
    add_format_tokens,
    collate,
    encode_records,
    ensure_pad_token,
    file_sha256,
    read_jsonl,
)
from bioql.errors import BioQLAssistantError

CHECKPOINTS = "checkpoints"
STATE_FILE = "state.json"
#: settings that must not change between a checkpoint and its resumption
_RUN_IDENTITY = (
    "base_model",
    "method",
    "lora",
    "scratch",
    "batch_size",
    "grad_accum",
    "seed",
    "max_length",
    "limit_examples",
    "pad_token",
)


@dataclass
class TrainResult:
    output_dir: str
    status: str  # "finished" or "interrupted"
    steps: int
    total_steps: int
    examples: int
    dropped_too_long: int
    train_seconds: float
    examples_per_second: float
    final_loss: float | None
    valid_loss: float | None
    resumed_from: int | None
    trainable_parameters: int
    history: list[dict[str, float]] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("history")
        return data


class _StopFlag:
    """Turns SIGTERM into 'checkpoint after this step and exit', for runs spanning sessions."""

    def __init__(self) -> None:
        self.stop = False
        self._previous: Any = None

    def __enter__(self) -> _StopFlag:
        try:
            self._previous = signal.signal(signal.SIGTERM, self._handle)
        except ValueError:  # not the main thread: no signal handling
            self._previous = None
        return self

    def _handle(self, *_: Any) -> None:
        self.stop = True

    def __exit__(self, *_: Any) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)


def load_model_and_tokenizer(config: TrainConfig, fmt: PromptFormat) -> tuple[Any, Any]:
    """The model to train (LoRA-wrapped, full or scratch) and its tokenizer.

    The tokenizer gets the prompt format's markers as single tokens, the format's end marker
    as EOS, and a pad token distinct from EOS.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = Path(config.base_model)
    if not (base / "config.json").is_file():
        raise BioQLAssistantError(
            f"base_model {base} is not a Hugging Face model directory (no config.json); "
            "run `bioql model fetch` or point it at a local causal-LM directory."
        )
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    new_ids = add_format_tokens(tokenizer, fmt)
    added = ensure_pad_token(tokenizer, config.pad_token)
    if added and config.method == "lora":
        raise BioQLAssistantError(
            "The tokenizer has no special token usable as padding besides EOS, and LoRA "
            "cannot grow a frozen vocabulary; set pad_token to an unused special token."
        )
    torch.manual_seed(config.seed)
    if config.scratch is not None:
        model = _scratch_model(config, tokenizer)
    else:
        model = AutoModelForCausalLM.from_pretrained(str(base), dtype=torch.float32)
    if len(tokenizer) > model.get_input_embeddings().num_embeddings:
        model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    model.config.eos_token_id = tokenizer.eos_token_id
    model.config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    if config.method == "lora":
        from peft import LoraConfig, get_peft_model

        lora = LoraConfig(
            task_type="CAUSAL_LM",
            r=config.lora.r,
            lora_alpha=config.lora.alpha,
            lora_dropout=config.lora.dropout,
            target_modules=list(config.lora.target_modules),
            base_model_name_or_path=str(base),
            # only the rows of the new marker tokens are trained (and saved), not the vocabulary
            trainable_token_indices=_token_rows(model, new_ids),
        )
        model = get_peft_model(model, lora)
        if config.init_adapter:
            _load_adapter(model, Path(config.init_adapter))
    return model, tokenizer


def _load_adapter(model: Any, path: Path) -> None:
    """Start from a trained adapter's weights; refuse one that does not fit this run."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    weights = path / "adapter_model.safetensors"
    if not weights.is_file():
        raise BioQLAssistantError(
            f"init_adapter {path} has no adapter_model.safetensors; point it at a directory "
            "written by `bioql train` (e.g. models/bioql-codegen)."
        )
    state = load_file(str(weights))
    try:
        result = set_peft_model_state_dict(model, state)
    except RuntimeError as exc:  # shape mismatch: another rank or base model
        raise BioQLAssistantError(
            f"init_adapter {path} does not fit this run (other LoRA rank or base model): {exc}"
        ) from None
    unexpected = list(getattr(result, "unexpected_keys", []) or [])
    if unexpected:
        raise BioQLAssistantError(
            f"init_adapter {path} has weights this run does not train ({unexpected[:3]}…); "
            "use the same target_modules as the run that wrote it."
        )


def _token_rows(model: Any, new_ids: list[int]) -> dict[str, list[int]] | None:
    """Which embedding rows to train: the new tokens', in the output layer too if untied."""
    if not new_ids:
        return None
    rows = {"embed_tokens": new_ids}
    if not model.config.tie_word_embeddings:
        rows["lm_head"] = new_ids  # else EOS's output row would stay random
    return rows


def _scratch_model(config: TrainConfig, tokenizer: Any) -> Any:
    from transformers import LlamaConfig, LlamaForCausalLM

    s = config.scratch
    assert s is not None
    llama = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=s.hidden,
        intermediate_size=s.intermediate,
        num_hidden_layers=s.layers,
        num_attention_heads=s.heads,
        num_key_value_heads=s.kv_heads,
        max_position_embeddings=s.max_positions,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
    return LlamaForCausalLM(llama)


def batch_indices(step: int, per_step: int, n: int, seed: int) -> list[int]:
    """Example indices of optimizer step ``step``: epochs are seeded permutations, concatenated."""
    import torch

    out: list[int] = []
    position = step * per_step
    while len(out) < per_step:
        epoch, offset = divmod(position, n)
        generator = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
        order = torch.randperm(n, generator=generator).tolist()
        take = min(per_step - len(out), n - offset)
        out.extend(order[offset : offset + take])
        position += take
    return out


def total_steps(config: TrainConfig, n_examples: int) -> int:
    if config.max_steps is not None:
        return config.max_steps
    return max(1, math.ceil(config.epochs * n_examples / config.examples_per_step))


def _lr_lambda(warmup: int, total: int) -> Callable[[int], float]:
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / max(1, warmup)
        remaining = max(1, total - warmup)
        return max(0.1, 1.0 - 0.9 * (step - warmup) / remaining)

    return factor


def _trainable_state(model: Any) -> dict[str, Any]:
    return {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}


def latest_checkpoint(output_dir: Path) -> Path | None:
    root = Path(output_dir) / CHECKPOINTS
    found = sorted(root.glob("step-*")) if root.is_dir() else []
    complete = [c for c in found if (c / STATE_FILE).is_file()]
    return complete[-1] if complete else None


def _save_checkpoint(run: _Run, step: int) -> Path:
    import json

    import torch
    from safetensors.torch import save_file

    root = Path(run.config.output_dir) / CHECKPOINTS
    final = root / f"step-{step:07d}"
    tmp = root / f".tmp-step-{step:07d}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file(_trainable_state(run.model), str(tmp / "trainable.safetensors"))
    torch.save(run.optimizer.state_dict(), tmp / "optimizer.pt")
    torch.save(run.scheduler.state_dict(), tmp / "scheduler.pt")
    state = {
        "step": step,
        "history": run.history,
        "train_seconds": run.train_seconds,
        "config": run.config.to_dict(),
        "data_sha256": run.data_sha256,
    }
    (tmp / STATE_FILE).write_text(json.dumps(state))
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)  # a checkpoint appears complete or not at all
    for old in sorted(root.glob("step-*"))[: -run.config.keep_checkpoints]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _load_checkpoint(run: _Run, path: Path) -> int:
    import json

    import torch
    from safetensors.torch import load_file

    state = json.loads((path / STATE_FILE).read_text())
    saved = state["config"]
    changed = [k for k in _RUN_IDENTITY if saved.get(k) != run.config.to_dict().get(k)]
    if state.get("data_sha256") != run.data_sha256:
        changed.append("train_file contents")
    if changed:
        raise BioQLAssistantError(
            f"Checkpoint {path} belongs to a different run (changed: {', '.join(changed)}); "
            "use a new output_dir, or pass --no-resume to start over there."
        )
    weights = load_file(str(path / "trainable.safetensors"))
    params = dict(run.model.named_parameters())
    with torch.no_grad():
        for name, value in weights.items():
            params[name].copy_(value)
    run.optimizer.load_state_dict(torch.load(path / "optimizer.pt", weights_only=True))
    run.scheduler.load_state_dict(torch.load(path / "scheduler.pt", weights_only=True))
    run.history = state["history"]
    run.train_seconds = state["train_seconds"]
    return int(state["step"])


@dataclass
class _Run:
    config: TrainConfig
    model: Any
    tokenizer: Any
    optimizer: Any
    scheduler: Any
    data_sha256: str
    history: list[dict[str, float]] = field(default_factory=list)
    train_seconds: float = 0.0


def train(
    config: TrainConfig,
    *,
    fmt: PromptFormat | None = None,
    resume: bool = True,
    show_progress: bool = True,
    stop_after: int | None = None,
) -> TrainResult:
    """Run (or resume) the training described by ``config``; write the model to output_dir.

    ``stop_after`` stops (with a checkpoint) after that many steps in this call, the way an
    interrupted session would; the next call resumes from there.
    """
    import torch

    if config.threads:
        torch.set_num_threads(config.threads)
    fmt = fmt or project_format()
    output_dir = Path(config.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)

    model, tokenizer = load_model_and_tokenizer(config, fmt)
    records = read_jsonl(config.train_file, config.limit_examples)
    render_prompt: Callable[[Mapping[str, Any]], str] = fmt.render_prompt
    if config.noise.share > 0:
        words = filler_words(tokenizer)
        markers = getattr(fmt, "special_tokens", ())
        cuts = subword_cuts(tokenizer) if config.noise.split_at == "subword" else None
        render_prompt = noisy_prompts(
            render_prompt, markers, config.noise, words, config.seed, cuts
        )
    examples, dropped = encode_records(
        tokenizer, records, render_prompt, fmt.render_target, config.max_length
    )
    if not examples:
        raise BioQLAssistantError(
            f"All {len(records)} training examples are longer than max_length="
            f"{config.max_length} tokens; raise max_length."
        )
    valid = _valid_examples(config, tokenizer, fmt)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=config.weight_decay)
    steps = total_steps(config, len(examples))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _lr_lambda(config.warmup_steps, steps))
    run = _Run(config, model, tokenizer, optimizer, scheduler, file_sha256(config.train_file))
    start_step = 0
    checkpoint = latest_checkpoint(output_dir) if resume else None
    if checkpoint is not None:
        start_step = _load_checkpoint(run, checkpoint)
    elif not resume:
        shutil.rmtree(output_dir / CHECKPOINTS, ignore_errors=True)
    config.to_yaml(output_dir / "train_config.yaml")

    status, step = _loop(run, examples, valid, start_step, steps, show_progress, stop_after)
    valid_loss = _evaluate(run, valid) if valid and status == "finished" else None
    if status == "finished":
        _write_model(run, fmt, step, steps, len(examples), valid_loss)
    from bioql.assistant.training.plot import plot_loss

    plot_loss(run.history, output_dir / "loss_curve.png")
    seen = (step - start_step) * config.examples_per_step
    return TrainResult(
        output_dir=str(output_dir),
        status=status,
        steps=step,
        total_steps=steps,
        examples=len(examples),
        dropped_too_long=dropped,
        train_seconds=run.train_seconds,
        examples_per_second=_rate(run, seen, start_step, step),
        final_loss=run.history[-1]["loss"] if run.history else None,
        valid_loss=valid_loss,
        resumed_from=start_step if checkpoint is not None else None,
        trainable_parameters=sum(p.numel() for p in params),
        history=run.history,
    )


def _rate(run: _Run, seen: int, start_step: int, step: int) -> float:
    this_call = [h["seconds"] for h in run.history if start_step < h["step"] <= step]
    spent = sum(this_call)
    return seen / spent if spent > 0 else 0.0


def _valid_examples(config: TrainConfig, tokenizer: Any, fmt: PromptFormat) -> list[Encoded]:
    if not config.valid_file or config.valid_examples <= 0:
        return []
    records = read_jsonl(config.valid_file, config.valid_examples)
    kept, _ = encode_records(
        tokenizer, records, fmt.render_prompt, fmt.render_target, config.max_length
    )
    return kept


def _evaluate(run: _Run, valid: list[Encoded]) -> float:
    """Mean answer-token loss on the validation examples."""
    import torch

    run.model.eval()
    total, count = 0.0, 0
    pad = run.tokenizer.pad_token_id
    with torch.no_grad():
        for i in range(0, len(valid), run.config.batch_size):
            batch = collate(valid[i : i + run.config.batch_size], pad)
            tokens = int((batch["labels"][:, 1:] != -100).sum())
            total += float(run.model(**batch).loss) * tokens
            count += tokens
    run.model.train()
    return total / max(1, count)


def _loop(
    run: _Run,
    examples: list[Encoded],
    valid: list[Encoded],
    start: int,
    steps: int,
    show_progress: bool,
    stop_after: int | None,
) -> tuple[str, int]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    config = run.config
    console = Console(stderr=True)
    # In a background run (nohup, log file) a live bar prints nothing useful: log lines instead.
    log_lines = show_progress and not console.is_terminal
    progress = Progress(
        TextColumn("[bold]train"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]}"),
        TextColumn("{task.fields[rate]} ex/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not show_progress or log_lines,
    )
    run.model.train()
    step = start
    with progress, _StopFlag() as flag:
        task = progress.add_task("train", total=steps, completed=start, loss="-", rate="-")
        try:
            while step < steps:
                if flag.stop or (stop_after is not None and step - start >= stop_after):
                    _save_checkpoint(run, step)
                    return "interrupted", step
                record = _one_step(run, examples, step)
                step += 1
                record["step"] = step
                if config.eval_every and valid and step % config.eval_every == 0:
                    record["valid_loss"] = _evaluate(run, valid)
                run.history.append(record)
                run.train_seconds += record["seconds"]
                rate = config.examples_per_step / record["seconds"]
                progress.update(task, advance=1, loss=f"{record['loss']:.3f}", rate=f"{rate:.2f}")
                if log_lines and (step % 10 == 0 or step == steps):
                    _log_line(console, run, step, steps, rate)
                if step % config.save_every == 0 or step == steps:
                    _save_checkpoint(run, step)
        except KeyboardInterrupt:
            _save_checkpoint(run, step)
            return "interrupted", step
    return "finished", step


def _log_line(console: Any, run: _Run, step: int, steps: int, rate: float) -> None:
    recent = run.history[-10:]
    loss = sum(h["loss"] for h in recent) / len(recent)
    per_step = sum(h["seconds"] for h in recent) / len(recent)
    valid = next((h["valid_loss"] for h in reversed(run.history) if "valid_loss" in h), None)
    console.print(
        f"step {step}/{steps} loss {loss:.4f}"
        + (f" valid {valid:.4f}" if valid is not None else "")
        + f" {rate:.2f} ex/s eta {per_step * (steps - step) / 60:.0f} min",
        highlight=False,
        soft_wrap=True,
    )


def _one_step(run: _Run, examples: list[Encoded], step: int) -> dict[str, float]:
    import torch

    config = run.config
    started = time.perf_counter()
    indices = batch_indices(step, config.examples_per_step, len(examples), config.seed)
    torch.manual_seed(config.seed * 7919 + step)  # dropout masks reproducible on resume
    run.optimizer.zero_grad(set_to_none=True)
    loss_sum = 0.0
    for i in range(config.grad_accum):
        chunk = indices[i * config.batch_size : (i + 1) * config.batch_size]
        batch = collate([examples[j] for j in chunk], run.tokenizer.pad_token_id)
        loss = run.model(**batch).loss / config.grad_accum
        loss.backward()
        loss_sum += float(loss.detach())
    params = [p for p in run.model.parameters() if p.requires_grad]
    torch.nn.utils.clip_grad_norm_(params, config.max_grad_norm)
    run.optimizer.step()
    run.scheduler.step()
    return {
        "loss": loss_sum,
        "lr": run.scheduler.get_last_lr()[0],
        "seconds": time.perf_counter() - started,
    }


def _write_model(
    run: _Run,
    fmt: PromptFormat,
    step: int,
    steps: int,
    n_examples: int,
    valid_loss: float | None,
) -> None:
    """Save adapter (or full model), tokenizer and the metadata checked on load."""
    config = run.config
    out = Path(config.output_dir)
    if config.method == "lora":
        # the new marker rows travel as trainable tokens; never the whole vocabulary
        run.model.save_pretrained(out, safe_serialization=True, save_embedding_layers=False)
    else:
        run.model.save_pretrained(out, safe_serialization=True)
    run.tokenizer.save_pretrained(out)
    base = Path(config.base_model)
    write_model_info(
        out,
        {
            "prompt_format_version": fmt.version,
            "kind": "adapter" if config.method == "lora" else "full",
            "base_model": base.name,
            "base_model_path": str(base.resolve()),
            "base_model_sha256": None if config.scratch else weights_sha256(base),
            "dataset_file": Path(config.train_file).name,
            "dataset_sha256": run.data_sha256,
            "examples": n_examples,
            "steps": step,
            "total_steps": steps,
            "train_seconds": round(run.train_seconds, 1),
            "threads": config.threads,
            "final_loss": run.history[-1]["loss"] if run.history else None,
            "valid_loss": valid_loss,
            "eos_token": run.tokenizer.eos_token,
            "pad_token": run.tokenizer.pad_token,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "config": config.to_dict(),
        },
    )
