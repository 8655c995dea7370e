"""Optimistic locking: a write names the version it read; a stale version is refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from policeroom.services.core.errors import NotFound, StaleRecord


def save_versioned(
    session: Session, table: Any, record_id: int, expected_version: int, values: dict[str, Any]
) -> int:
    """``UPDATE … SET values, version = version + 1 WHERE id AND version``; returns the new
    version, or raises ``StaleRecord`` when another user saved first (nothing is written)."""
    statement = (
        update(table)
        .where(table.id == record_id, table.version == expected_version)
        .values(**values, version=expected_version + 1)
    )
    result = session.execute(statement)
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return expected_version + 1
    if session.get(table, record_id) is None:
        raise NotFound(f"{table.__tablename__} {record_id} does not exist")
    raise StaleRecord(
        f"{table.__tablename__} {record_id} was changed by someone else since you opened it"
    )
