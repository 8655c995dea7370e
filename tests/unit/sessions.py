"""Counting the transactions a use case opens: one read, or one write, is the contract."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Connection

from policeroom.db import Database


@contextmanager
def transactions(db: Database) -> Iterator[list[Connection]]:
    """The connections that began a transaction on ``db`` inside the ``with``, one entry per
    transaction (reads and writes alike)."""
    begun: list[Connection] = []

    def count(connection: Connection) -> None:
        begun.append(connection)

    event.listen(db.engine, "begin", count)
    try:
        yield begun
    finally:
        event.remove(db.engine, "begin", count)
