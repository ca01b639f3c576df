"""The screen's progress bar: ligands done of total, rate in ligands per hour, time left."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

# Called with (ligands finished in this run, ligands to do in this run).
OnProgress = Callable[[int, int], None]


class _PerHour(ProgressColumn):
    """Docking rates are ligands per hour; rich's own speed column shows per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-- lig/h" if speed is None else f"{speed * 3600:,.0f} lig/h", style="cyan")


@contextmanager
def progress_bar(total: int, label: str, enabled: bool) -> Iterator[OnProgress]:
    """A callback that advances a bar on stderr (or does nothing when not ``enabled``)."""
    if not enabled or total == 0:
        yield lambda _done, _total: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _PerHour(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done, _total: bar.update(task, completed=done)
