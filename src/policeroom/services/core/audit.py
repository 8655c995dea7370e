"""The audit trail: every change and every reveal of personal data, inside the same transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from policeroom.models.audit import AuditAction, AuditLog
from policeroom.services.core.context import ServiceContext


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(record: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """The JSON-able field values of a table row (all columns, or ``fields``)."""
    names = fields or [column.name for column in record.__table__.columns]
    return {name: _plain(getattr(record, name)) for name in names}


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, old and new."""
    changed = [key for key in after if before.get(key) != after.get(key)]
    skip = {"version", "updated_at"}
    return (
        {key: before.get(key) for key in changed if key not in skip},
        {key: after.get(key) for key in changed if key not in skip},
    )


def record(
    session: Session,
    ctx: ServiceContext,
    action: AuditAction,
    table_name: str,
    record_id: int | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    field: str = "",
) -> None:
    """Add one audit row to the caller's transaction (it commits or rolls back with it)."""
    session.add(
        AuditLog(
            at=ctx.clock.now(),
            user_login=ctx.actor.login,
            action=action,
            table_name=table_name,
            record_id=record_id,
            field=field,
            before=json.dumps(dict(before or {}), ensure_ascii=False, default=str),
            after=json.dumps(dict(after or {}), ensure_ascii=False, default=str),
        )
    )


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user_login: str
    action: AuditAction
    table_name: str
    record_id: int | None
    field: str
    before: str
    after: str


def history(
    ctx: ServiceContext, table_name: str, record_id: int, limit: int = 100
) -> list[AuditEntry]:
    """The newest ``limit`` audit rows of one record."""
    with ctx.read() as session:
        rows = session.exec(
            select(AuditLog)
            .where(AuditLog.table_name == table_name, AuditLog.record_id == record_id)
            .order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
            .limit(limit)
        ).all()
        return [
            AuditEntry(
                r.at, r.user_login, r.action, r.table_name, r.record_id, r.field, r.before, r.after
            )
            for r in rows
        ]
