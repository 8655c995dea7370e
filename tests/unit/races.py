"""Two desks at once: separate engines (their own pools and connections) on one database,
held at a barrier before their first statement so that they really do start together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from policeroom.db import Database

# Only a safety net against a hang: nothing waits this long when the code is right.
STUCK = 60


class Race:
    """Holds each racer before the first statement it sends (``BEGIN IMMEDIATE`` on SQLite,
    the first query on PostgreSQL) until every other racer has got there too."""

    def __init__(self, *databases: Database) -> None:
        self.barrier = threading.Barrier(len(databases), timeout=STUCK)
        self.armed = threading.local()
        self.databases = databases

    def _hold(self, *_args: object) -> None:
        if getattr(self.armed, "on", False):
            self.armed.on = False
            self.barrier.wait()

    def __enter__(self) -> Race:
        for database in self.databases:
            event.listen(database.engine, "before_cursor_execute", self._hold)
        return self

    def __exit__(self, *_exc: object) -> None:
        for database in self.databases:
            event.remove(database.engine, "before_cursor_execute", self._hold)

    def run(self, *calls: Callable[[], Any]) -> list[Any]:
        """Each call in a thread of its own; what it returned, or the error it raised."""
        results: list[Any] = [RuntimeError("did not run")] * len(calls)

        def racer(index: int) -> None:
            self.armed.on = True
            try:
                results[index] = calls[index]()
            except BaseException as error:  # handed to the test to assert on
                results[index] = error

        threads = [threading.Thread(target=racer, args=(i,)) for i in range(len(calls))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(STUCK)
            assert not thread.is_alive()
        return results
