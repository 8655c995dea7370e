"""Counting the transactions a use case opens: one read, or one write, is the contract."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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


@contextmanager
def statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent to ``db`` inside the ``with``, with its parameters, in order."""
    sent: list[tuple[str, Any]] = []

    def record(
        _conn: Connection, _cursor: object, statement: str, parameters: Any, *_: Any
    ) -> None:
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


_OFFSET = re.compile(r"\bOFFSET\s+(\?|%\((\w+)\)s|%s|\d+)", re.IGNORECASE)


def rows_skipped(statement: str, parameters: Any) -> int:
    """The rows ``statement`` skips with OFFSET (SQLite's dialect writes ``OFFSET 0`` after
    every LIMIT; PostgreSQL's only when an offset is asked for)."""
    found = _OFFSET.search(statement)
    if found is None:
        return 0
    placeholder, name = found.group(1), found.group(2)
    if placeholder.isdigit():
        return int(placeholder)
    if name is not None:
        return int(parameters[name])
    marker = "?" if placeholder == "?" else "%s"
    return int(parameters[statement[: found.start(1)].count(marker)])
