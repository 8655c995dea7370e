"""Progress for long commands: a rich bar on a terminal, plain lines otherwise.

The bar is drawn on stderr and vanishes when the work ends. Without a terminal (a pipe, a
log file, a test) progress goes to stdout as plain lines, at most one per tenth of a phase
and only for phases of some size, so that stderr keeps to the one line an error gets.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

# Phases smaller than this finish too fast to be worth a line of a log.
PLAIN_MIN_TOTAL = 1_000


class Progress:
    """``with Progress("load") as p: p.step("residents"); p.update(done, total)``."""

    def __init__(
        self, label: str, terminal: TextIO | None = None, plain: TextIO | None = None
    ) -> None:
        self.label = label
        self.terminal = terminal or sys.stderr
        self.plain = plain or sys.stdout
        self.interactive = self.terminal.isatty()
        self._rich: RichProgress | None = None
        self._task: TaskID | None = None
        self._phase = ""
        self._last_tenth = -1

    def __enter__(self) -> Progress:
        if self.interactive:
            self._rich = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.terminal),
                transient=True,
            )
            self._rich.start()
            self._task = self._rich.add_task(self.label, total=None)
        return self

    def step(self, label: str) -> None:
        """A new phase of the work (``residents``, ``disputes`` …)."""
        self._phase = label
        self._last_tenth = -1
        if self._rich is not None and self._task is not None:
            self._rich.update(
                self._task, description=f"{self.label}: {label}", completed=0, total=None
            )

    def update(self, done: int, total: int) -> None:
        if self._rich is not None and self._task is not None:
            self._rich.update(self._task, completed=done, total=total)
            return
        if total < PLAIN_MIN_TOTAL:
            return
        tenth = 10 * done // total
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            phase = f" {self._phase}" if self._phase else ""
            print(
                f"{self.label}:{phase} {done}/{total} ({100 * done // total}%)",
                file=self.plain,
                flush=True,
            )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._rich is not None:
            self._rich.stop()
