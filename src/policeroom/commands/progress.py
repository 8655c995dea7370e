"""Progress for long commands: a rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress


class Progress:
    """``with Progress("load") as p: p.update(done, total)``; ``p.step(label)`` for phases."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self._rich: RichProgress | None = None
        self._task: TaskID | None = None
        self._last_percent = -1

    def __enter__(self) -> Progress:
        if self.interactive:
            self._rich = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            )
            self._rich.start()
            self._task = self._rich.add_task(self.label, total=None)
        return self

    def step(self, label: str) -> None:
        """A new phase of the work (``residents``, ``disputes`` …)."""
        self._last_percent = -1
        if self._rich is not None and self._task is not None:
            self._rich.update(self._task, description=f"{self.label}: {label}", completed=0)
        else:
            print(f"{self.label}: {label}", file=self.stream, flush=True)

    def update(self, done: int, total: int) -> None:
        if self._rich is not None and self._task is not None:
            self._rich.update(self._task, completed=done, total=total)
            return
        percent = 100 * done // total if total else 100
        if percent // 10 != self._last_percent // 10 or done == total:
            self._last_percent = percent
            print(f"{self.label}: {done}/{total} ({percent}%)", file=self.stream, flush=True)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._rich is not None:
            self._rich.stop()
