"""Latency and training throughput of the base code model (SmolLM2-135M) on this CPU.

    .venv/bin/python benchmarks/model/bench_model.py            # all sections, writes RESULTS.md
    .venv/bin/python benchmarks/model/bench_model.py --only generate --reps 5

Sections:
  load      cold load of the HF directory written by `bioql model fetch`
  generate  greedy decoding, KV cache, forced to N new tokens (EOS suppressed), fp32 vs
            dynamic int8, 1 vs 2 torch threads; plus the obvious alternatives in the same run:
            no KV cache, and transformers' generate() instead of a bare loop
  chunk     cost of one forward pass over k new tokens on a warm cache — what speculative /
            prompt-lookup decoding could save when the answer copies the request
  train     LoRA (r=16, alpha=32, q/k/v/o) training throughput, examples/s, 1 vs 2 threads

Configurations are interleaved rep by rep, so load from other processes on this shared
machine hits all of them alike; the load average is recorded with the results.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

HERE = Path(__file__).parent
REQUEST = "Create a Bell state and run it 2000 times on IBM Brisbane"

# Request → plan pairs shaped like the dataset's (prompt.py's bioql-plan/1 target).
PAIRS = [
    (
        "Create a Bell state and run it {s} times on IBM Brisbane",
        "Q Create a Bell state | ibm_brisbane | {s}",
    ),
    ("make a {n}-qubit GHZ state, {s} shots", "Q Create a {n}-qubit GHZ state | simulator | {s}"),
    (
        "Run Grover search for 101 on the fake Torino device with {s} shots",
        "Q Run Grover search for 101 | fake_torino | {s}",
    ),
    ("apply the QFT to {n} qubits and measure", "Q Apply QFT to {n} qubits | simulator | 1024"),
    (
        "Put {n} qubits in superposition and sample {s} times",
        "Q Put {n} qubits in superposition | simulator | {s}",
    ),
    (
        "crea un estado de Bell y ejecútalo {s} veces en el simulador",
        "Q Create a Bell state | simulator | {s}",
    ),
    (
        "compare GHZ states of 2, 3 and 4 qubits",
        "L n=2,3,4\nQ Create a {{n}}-qubit GHZ state | simulator | 1024\nC",
    ),
    (
        "Bernstein-Vazirani with secret 1011 on IonQ's simulator, {s} shots",
        "Q Run Bernstein-Vazirani with secret 1011 | ionq_simulator | {s}",
    ),
    ("what's the weather tomorrow?", "R I can only write BioQL programs."),
    (
        "teleport a qubit in state |1> with {s} shots",
        "Q Teleport a qubit prepared in state 1 | simulator | {s}",
    ),
    (
        "estimate the phase 0.375 with {n} counting qubits",
        "Q Estimate the phase 0.375 with {n} counting qubits | simulator | 1024",
    ),
    ("W state on {n} qubits, statevector", "Q Create a {n}-qubit W state | statevector | 1024"),
]


def base_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    from bioql.assistant.training.fetch import default_base_dir

    path = default_base_dir()
    if not (path / "config.json").is_file():
        sys.exit(f"No base model at {path}; run `bioql model fetch` first.")
    return path


def load_model(path: Path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(path))
    model = AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32)
    model.eval()
    return model, tokenizer


def prompt_ids(tokenizer) -> torch.Tensor:
    from bioql.assistant.model.prompt import SPECIAL_TOKENS, render_prompt

    tokenizer.add_special_tokens({"additional_special_tokens": list(SPECIAL_TOKENS)})
    return tokenizer(render_prompt(REQUEST), return_tensors="pt")["input_ids"]


def quantized(model):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=False)


@torch.inference_mode()
def greedy_loop(model, ids: torch.Tensor, n: int, cache: bool = True) -> float:
    """Seconds to produce exactly ``n`` greedy tokens (prefill included)."""
    start = time.perf_counter()
    if cache:
        out = model(input_ids=ids, use_cache=True)
        past, token = out.past_key_values, out.logits[:, -1:].argmax(-1)
        for _ in range(n - 1):
            out = model(input_ids=token, past_key_values=past, use_cache=True)
            past, token = out.past_key_values, out.logits[:, -1:].argmax(-1)
    else:
        seq = ids
        for _ in range(n):
            token = model(input_ids=seq, use_cache=False).logits[:, -1:].argmax(-1)
            seq = torch.cat([seq, token], dim=1)
    return time.perf_counter() - start


@torch.inference_mode()
def hf_generate(model, ids: torch.Tensor, n: int) -> float:
    start = time.perf_counter()
    model.generate(
        input_ids=ids,
        attention_mask=torch.ones_like(ids),
        max_new_tokens=n,
        min_new_tokens=n,
        do_sample=False,
        pad_token_id=0,
    )
    return time.perf_counter() - start


def section_load(path: Path, reps: int) -> dict:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        load_model(path)
        times.append(time.perf_counter() - start)
    return {"load_seconds_median": statistics.median(times), "runs": times}


def section_generate(path: Path, reps: int, tokens: list[int]) -> dict:
    model, tokenizer = load_model(path)
    ids = prompt_ids(tokenizer)
    model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    variants = {"fp32": model, "int8": quantized(model)}
    configs = [(v, t, n) for v in variants for t in (1, 2) for n in tokens]
    extra = [("fp32-nocache", 1, 20), ("fp32-hf-generate", 1, 20), ("fp32-hf-generate", 1, 60)]
    results: dict[tuple, list[float]] = {c: [] for c in configs + extra}
    for v in variants:  # warm-up: first calls allocate
        greedy_loop(variants[v], ids, 5)
    for _ in range(reps):
        for variant, threads, n in results:
            torch.set_num_threads(threads)
            if variant == "fp32-nocache":
                seconds = greedy_loop(model, ids, n, cache=False)
            elif variant == "fp32-hf-generate":
                seconds = hf_generate(model, ids, n)
            else:
                seconds = greedy_loop(variants[variant], ids, n)
            results[(variant, threads, n)].append(seconds)
    rows = [
        {
            "variant": v,
            "threads": t,
            "new_tokens": n,
            "median_s": statistics.median(s),
            "min_s": min(s),
            "ms_per_token": 1000 * statistics.median(s) / n,
        }
        for (v, t, n), s in results.items()
    ]
    return {"prompt_tokens": int(ids.shape[1]), "rows": rows}


def section_agreement(path: Path) -> dict:
    """Teacher-forced top-1 agreement of int8 variants with fp32, and their decode speed.

    The text is a chat request followed by a BioQL program, so every position is scored.
    """
    import warnings

    from torch.ao.quantization import per_channel_dynamic_qconfig

    model, tokenizer = load_model(path)
    torch.set_num_threads(1)

    def layers(*parts: str) -> dict:
        return {
            f"model.layers.{i}.{p}": per_channel_dynamic_qconfig
            for i in range(model.config.num_hidden_layers)
            for p in parts
        }

    attn = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj")
    variants = {
        "every Linear incl. lm_head (per-tensor)": {torch.nn.Linear},
        "attention + MLP, per-channel": layers(
            *attn, "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"
        ),
        "attention + gate/up (no down_proj)": layers(*attn, "mlp.gate_proj", "mlp.up_proj"),
        "gate/up only": layers("mlp.gate_proj", "mlp.up_proj"),
    }
    program = 'from bioql import quantum\nresult = quantum("Create a Bell state", shots=1000)\n'
    texts = [
        tokenizer.apply_chat_template(
            [{"role": "user", "content": r.format(s=1000, n=3)}],
            add_generation_prompt=True,
            tokenize=False,
        )
        + program
        for r, _ in PAIRS[:8]
    ]
    batch = [tokenizer(t, return_tensors="pt")["input_ids"] for t in texts]
    rows = []
    with torch.inference_mode():
        reference = [model(input_ids=b).logits[0].argmax(-1) for b in batch]
        base_speed = statistics.median(greedy_loop(model, batch[0][:, :24], 20) for _ in range(3))
        for name, spec in variants.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from torch.ao.quantization import quantize_dynamic

                small = quantize_dynamic(model, spec, dtype=torch.qint8, inplace=False)
            agree = total = 0
            for b, ref in zip(batch, reference, strict=True):
                agree += int((small(input_ids=b).logits[0].argmax(-1) == ref).sum())
                total += int(ref.numel())
            speed = statistics.median(greedy_loop(small, batch[0][:, :24], 20) for _ in range(3))
            rows.append(
                {"variant": name, "top1_agreement": agree / total, "speedup": base_speed / speed}
            )
    return {"rows": rows, "positions": total}


def section_chunk(path: Path, reps: int) -> dict:
    """Forward cost of k tokens at once after the prompt is cached, 1 thread, fp32."""
    model, tokenizer = load_model(path)
    ids = prompt_ids(tokenizer)
    model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    torch.set_num_threads(1)
    times: dict[int, list[float]] = {k: [] for k in (1, 4, 8, 16)}
    with torch.inference_mode():
        for _ in range(reps):
            for k in times:
                out = model(input_ids=ids, use_cache=True)
                chunk = ids[:, -k:] if k <= ids.shape[1] else ids.repeat(1, 2)[:, :k]
                start = time.perf_counter()
                model(input_ids=chunk, past_key_values=out.past_key_values, use_cache=True)
                times[k].append(time.perf_counter() - start)
    return {"rows": [{"k": k, "median_ms": 1000 * statistics.median(s)} for k, s in times.items()]}


def training_records(n: int) -> list[dict]:
    records = []
    for i in range(n):
        request, target = PAIRS[i % len(PAIRS)]
        values = {"s": 100 * (i + 3), "n": 2 + i % 5}
        records.append({"request": request.format(**values), "target": target.format(**values)})
    return records


def section_train(path: Path, steps: int, data: Path | None) -> dict:
    from bioql.assistant.training.config import TrainConfig
    from bioql.assistant.training.trainer import train

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        train_file = Path(tmp) / "train.jsonl"
        if data is not None:
            lines = data.read_text().splitlines()[:64]
            train_file.write_text("\n".join(lines) + "\n")
        else:
            records = training_records(64)
            train_file.write_text("\n".join(json.dumps(r) for r in records) + "\n")
        for threads in (1, 2, 1, 2):
            config = TrainConfig(
                base_model=str(path),
                train_file=str(train_file),
                output_dir=f"{tmp}/run-{threads}-{len(rows)}",
                batch_size=8,
                max_steps=steps,
                threads=threads,
                save_every=10_000,
                warmup_steps=1,
            )
            result = train(config, show_progress=False)
            timed = result.history[1:]  # the first step pays one-off allocation
            per_step = statistics.median(h["seconds"] for h in timed)
            rows.append(
                {
                    "threads": threads,
                    "steps": steps,
                    "batch_size": 8,
                    "examples_per_s": 8 / per_step,
                    "first_loss": result.history[0]["loss"],
                    "last_loss": result.history[-1]["loss"],
                }
            )
    return {"rows": rows, "data": str(data) if data else "built-in request/plan pairs"}


SECTION_TITLES = {
    "load": "## Load",
    "generate": "## Greedy generation",
    "agreement": "## int8 vs fp32",
    "chunk": "## One forward pass",
    "train": "## LoRA training",
}


def write_results(results: dict, path: Path) -> None:
    lines = [
        "# Code model benchmarks (SmolLM2-135M-Instruct, CPU)",
        "",
        f"Last run {results['date']} on {os.cpu_count()} cores, torch {torch.__version__}; "
        "each section says when it ran and the 1/5/15-min load average then (the machine is "
        "shared by several engineers: compare rows within a section, and prefer min over median "
        "when the load was high).",
        "",
        "Command: `.venv/bin/python benchmarks/model/bench_model.py` "
        f"(`{' '.join(results['argv'])}`)",
        "",
    ]
    if "load" in results:
        lines += [
            "## Load",
            "",
            f"HF directory (fp32 safetensors) → model + tokenizer: "
            f"**{results['load']['load_seconds_median']:.2f} s** median.",
            "",
        ]
    if "generate" in results:
        g = results["generate"]
        lines += [
            "## Greedy generation (prompt of "
            f"{g['prompt_tokens']} tokens, N new tokens forced, KV cache unless stated)",
            "",
            "| variant | threads | N | median s | min s | ms/token |",
            "|---|---|---|---|---|---|",
        ]
        for r in g["rows"]:
            lines.append(
                f"| {r['variant']} | {r['threads']} | {r['new_tokens']} | {r['median_s']:.3f} "
                f"| {r['min_s']:.3f} | {r['ms_per_token']:.1f} |"
            )
        lines.append("")
    if "agreement" in results:
        a = results["agreement"]
        lines += [
            "## int8 vs fp32 (dynamic quantization, teacher-forced top-1 agreement)",
            "",
            "| quantized | top-1 agreement with fp32 | decode speed-up (20 tokens, 1 thread) |",
            "|---|---|---|",
        ]
        lines += [
            f"| {r['variant']} | {100 * r['top1_agreement']:.0f}% | {r['speedup']:.2f}× |"
            for r in a["rows"]
        ]
        lines.append("")
    if "chunk" in results:
        lines += [
            "## One forward pass over k tokens on a warm cache (fp32, 1 thread)",
            "",
            "| k | median ms |",
            "|---|---|",
        ]
        lines += [f"| {r['k']} | {r['median_ms']:.1f} |" for r in results["chunk"]["rows"]]
        lines.append("")
    if "train" in results:
        t = results["train"]
        lines += [
            f"## LoRA training throughput ({t['data']}, batch 8, r=16 q/k/v/o)",
            "",
            "| threads | steps | examples/s | first loss | last loss |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['threads']} | {r['steps']} | {r['examples_per_s']:.2f} "
            f"| {r['first_loss']:.3f} | {r['last_loss']:.3f} |"
            for r in t["rows"]
        ]
        lines.append("")
    for key, title in SECTION_TITLES.items():
        if key in results and "ran" in results[key]:
            index = next((i for i, ln in enumerate(lines) if ln.startswith(title)), None)
            if index is not None:
                lines.insert(index + 1, f"\n_Ran {results[key]['ran']}._")
    llamacpp = HERE / "llamacpp_results.json"
    if llamacpp.is_file():  # written by an earlier llama.cpp script, not kept; see bench_runtime.py
        lines += [
            "## llama.cpp (llama-cpp-python 0.3.36, built from source in a throwaway venv)",
            "",
            "Measured by an earlier session's script (not kept; `bench_runtime.py` measures the "
            "runtimes now): same kind of request, prefill + N greedy tokens, median of 5.",
            "",
            "| GGUF | threads | prompt | N | median s | min s |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['gguf']} | {r['threads']} | {r['prompt_tokens']} | {r['new_tokens']} "
            f"| {r['median_s']:.3f} | {r['min_s']:.3f} |"
            for r in json.loads(llamacpp.read_text())
        ]
        lines.append("")
    notes = HERE / "NOTES.md"
    if notes.is_file():
        lines += [notes.read_text()]
    path.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="HF model dir (default: the fetched base)")
    parser.add_argument(
        "--only", choices=["load", "generate", "agreement", "chunk", "train"], action="append"
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--tokens", default="10,20,40,60")
    parser.add_argument("--train-steps", type=int, default=4)
    parser.add_argument("--data", type=Path, help="dataset JSONL for the training section")
    parser.add_argument("--render", action="store_true", help="only rewrite RESULTS.md")
    args = parser.parse_args()
    if args.render:
        write_results(json.loads((HERE / "results.json").read_text()), HERE / "RESULTS.md")
        return
    path = base_dir(args.model)
    sections = args.only or ["load", "generate", "agreement", "chunk", "train"]
    previous = HERE / "results.json"
    # sections not run this time keep their last figures (each records when it ran)
    results: dict = json.loads(previous.read_text()) if previous.is_file() and args.only else {}
    results.update(
        {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "argv": sys.argv[1:],
            "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        }
    )
    if "load" in sections:
        results["load"] = section_load(path, args.reps)
    if "generate" in sections:
        tokens = [int(x) for x in args.tokens.split(",")]
        results["generate"] = section_generate(path, args.reps, tokens)
    if "agreement" in sections:
        results["agreement"] = section_agreement(path)
    if "chunk" in sections:
        results["chunk"] = section_chunk(path, max(5, args.reps))
    if "train" in sections:
        results["train"] = section_train(path, args.train_steps, args.data)
    results["load_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    for name in sections:
        results[name]["ran"] = f"{results['date']}, load {results['load_before']}"
    (HERE / "results.json").write_text(json.dumps(results, indent=2))
    write_results(results, HERE / "RESULTS.md")
    print((HERE / "RESULTS.md").read_text())


if __name__ == "__main__":
    main()
