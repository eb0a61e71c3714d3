"""Build progress: a rich progress bar on a terminal, nothing otherwise (the summary line is printed by the CLI)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class Progress:
    """Silent progress: the interface the build reports to."""

    def start(self, stage: str, total: int) -> None:
        """A stage of `total` steps begins."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more steps of the current stage are done."""

    def close(self) -> None:
        """The build is over."""


class BarProgress(Progress):
    """A rich progress bar on standard error."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), transient=True)
        self._bar.start()
        self._task: int | None = None

    def start(self, stage: str, total: int) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)  # type: ignore[arg-type]
        self._task = self._bar.add_task(stage, total=total)

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, steps)  # type: ignore[arg-type]

    def close(self) -> None:
        self._bar.stop()


@dataclass(slots=True)
class Stopwatch:
    """Adds the time spent in each `with clock("stage"):` block to `timings`."""

    timings: dict[str, float]

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started
