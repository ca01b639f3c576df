"""The loss curve of a run, saved as a PNG next to the model."""

from __future__ import annotations

from pathlib import Path


def plot_loss(history: list[dict[str, float]], path: Path) -> Path | None:
    """Training loss per step (and validation loss where measured); None if nothing to plot."""
    if not history:
        return None
    import matplotlib

    matplotlib.use("Agg")  # headless: training runs in the background, without a display
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    steps = [h["step"] for h in history]
    ax.plot(steps, [h["loss"] for h in history], lw=1, label="train loss (answer tokens)")
    evals = [(h["step"], h["valid_loss"]) for h in history if "valid_loss" in h]
    if evals:
        ax.plot(*zip(*evals, strict=True), "o-", lw=1.5, label="validation loss")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("cross-entropy")
    losses = [h["loss"] for h in history if h["loss"] > 0]
    if losses and max(losses) / min(losses) > 20:  # log only when it spans decades
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return Path(path)
