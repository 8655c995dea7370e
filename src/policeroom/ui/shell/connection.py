"""The desk's database, opened on first use rather than before the first frame."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policeroom.services.core.context import ServiceContext


class DeskConnection:
    """Calls ``open_context`` once, on first use, and hands out what it made.

    Opening imports SQLAlchemy, SQLModel and the services: two thirds of the start on a
    station PC. The login screen is drawn without them; the first key typed into it starts
    the opening in a worker thread, and the password check, in another, waits for it here.
    """

    def __init__(self, open_context: Callable[[], ServiceContext]) -> None:
        self._open_context = open_context
        self._lock = threading.Lock()
        self._ctx: ServiceContext | None = None
        self._owned = True

    @classmethod
    def ready(cls, ctx: ServiceContext) -> DeskConnection:
        """A connection already open on ``ctx`` (training, SSH sessions, tests)."""
        connection = cls(lambda: ctx)
        connection._ctx = ctx
        connection._owned = False  # its maker disposes of it
        return connection

    def __call__(self) -> ServiceContext:
        with self._lock:
            if self._ctx is None:
                self._ctx = self._open_context()
            return self._ctx

    def warm(self, load: Callable[[], object]) -> None:
        """Open, then ``load`` (the code of the desk to come) before anyone else may use the
        connection: whoever waits here finds everything imported, and no two threads import
        at once (CPython's imports from several threads can deadlock, bpo-38884)."""
        with self._lock:
            if self._ctx is None:
                self._ctx = self._open_context()
            load()

    @property
    def opened(self) -> ServiceContext | None:
        return self._ctx

    def close(self) -> None:
        """Let the database go, if it was ever opened."""
        with self._lock:
            if self._ctx is not None and self._owned:
                self._ctx.db.dispose()
