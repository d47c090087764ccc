"""Feedback while building: a progress bar for slow builds, and a summary line."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported only when the bar appears
    from rich.progress import Progress, TaskID

SHOW_AFTER_SECONDS = 1.0


class ProgressBar:
    """A rich progress bar that appears only once a build has taken about a second.

    Nothing is drawn when the terminal is not interactive (a log, CI) or
    when ``enabled`` is false; rich is imported only when the bar appears.
    """

    def __init__(self, enabled: bool = True, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and getattr(self.stream, "isatty", lambda: False)()
        self.start = time.perf_counter()
        self.bar: Progress | None = None
        self.task: TaskID  # set when the bar appears

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.perf_counter() - self.start < SHOW_AFTER_SECONDS:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("rendering"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("pages", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def summary(result, kind: str, where: str) -> str:
    """One line: what was written and what stayed, and how long it took."""
    parts = [
        f"{result.written} file{'s' if result.written != 1 else ''} written",
        f"{result.unchanged} unchanged",
    ]
    if result.removed:
        parts.append(f"{result.removed} removed")
    return (
        f"built {kind} in {result.seconds:.2f} s: {', '.join(parts)} "
        f"({result.pages} pages, {result.rendered} rendered) → {where}/"
    )


def timings(result) -> str:
    stages = ", ".join(f"{stage} {seconds:.3f} s" for stage, seconds in result.timings.items())
    return f"stages: {stages}"
