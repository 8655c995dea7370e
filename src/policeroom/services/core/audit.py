"""The audit trail: every change and every reveal of personal data, inside the same transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.audit import (
    CHAIN_SEED,
    AuditAction,
    AuditChainHead,
    AuditLog,
    Role,
    chain_hash,
)
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import Forbidden
from policeroom.services.core.paging import clamp_page_size
from policeroom.services.core.redact import mask_values

_ONE_DAY = timedelta(days=1)


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
    """Add one audit row to the caller's transaction (it commits or rolls back with it).

    The row is chained: it carries the hash of the row before it and its own hash. The chain
    head is locked first, so a second writer waits for this transaction and then chains from
    this row, never from the same predecessor.
    """
    head = _lock_head(session)
    row = AuditLog(
        at=ctx.clock.now(),
        user_login=ctx.actor.login,
        action=action,
        table_name=table_name,
        record_id=record_id,
        field=field,
        # Supervisors read this log: personal numbers are kept masked, as a card shows them.
        before=json.dumps(mask_values(before or {}), ensure_ascii=False, default=str),
        after=json.dumps(mask_values(after or {}), ensure_ascii=False, default=str),
        prev_hash=head.last_hash,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    row.row_hash = _hash_of(row)
    head.last_id = row.id
    head.last_hash = row.row_hash
    session.add(head)
    session.flush()


def _lock_head(session: Session) -> AuditChainHead:
    head = session.exec(
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if head is not None:
        return head
    # The first audit row of a new database: the migrations add no rows, so the head is made
    # here. Two desks may get here at once: the loser's insert does nothing, and its
    # ``FOR UPDATE`` below waits for the winner and then chains from the winner's row.
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(AuditChainHead)
        .values(id=1, last_id=0, last_hash=CHAIN_SEED)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    return session.exec(
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _hash_of(row: AuditLog) -> str:
    assert row.id is not None
    return chain_hash(
        row.prev_hash,
        row.id,
        row.at,
        row.user_login,
        row.action,
        row.table_name,
        row.record_id,
        row.field,
        row.before,
        row.after,
    )


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of ``verify``: how many rows were checked and the first broken one."""

    rows: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None and not self.reason


def verify(session: Session, batch: int = 1000) -> ChainCheck:
    """Walk the whole log in id order, recomputing every hash; stop at the first break.

    Reads ``batch`` rows at a time (keyset paging on ``id``), so memory stays flat on a
    log of millions of rows.
    """
    expected = CHAIN_SEED
    last_id = 0
    count = 0
    while True:
        rows = session.exec(
            select(AuditLog)
            .where(col(AuditLog.id) > last_id)
            .order_by(col(AuditLog.id))
            .limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            assert row.id is not None
            count += 1
            if row.prev_hash != expected:
                return ChainCheck(
                    count,
                    row.id,
                    "does not chain from the row before it (a row was deleted or inserted)",
                )
            if row.row_hash != _hash_of(row):
                return ChainCheck(count, row.id, "its values were changed after it was written")
            expected = row.row_hash
            last_id = row.id
        session.expunge_all()
    head = session.get(AuditChainHead, 1)
    head_id, head_hash = (head.last_id, head.last_hash) if head else (0, CHAIN_SEED)
    if (head_id, head_hash) != (last_id, expected):
        return ChainCheck(
            count,
            head_id or None,
            f"the log ends at row {last_id} but its newest row was {head_id}"
            " (rows were deleted from the end)",
        )
    return ChainCheck(count)


@dataclass(frozen=True)
class AuditEntry:
    """One audit row as the screens show it (its values already masked when written)."""

    at: datetime
    user_login: str
    action: AuditAction
    table_name: str
    record_id: int | None
    field: str
    before: str
    after: str
    id: int = 0


def _entry(row: AuditLog) -> AuditEntry:
    return AuditEntry(
        row.at,
        row.user_login,
        row.action,
        row.table_name,
        row.record_id,
        row.field,
        row.before,
        row.after,
        row.id or 0,
    )


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
        return [_entry(r) for r in rows]


def check_chain(ctx: ServiceContext) -> ChainCheck:
    """``verify`` on one read snapshot of the whole log."""
    with ctx.read() as session:
        return verify(session)


EXPORT_COLUMNS = (
    "id",
    "at",
    "user_login",
    "action",
    "table_name",
    "record_id",
    "field",
    "before",
    "after",
    "prev_hash",
    "row_hash",
)


def export_rows(
    ctx: ServiceContext,
    date_from: date | None = None,
    date_to: date | None = None,
    user_login: str | None = None,
    batch: int = 1000,
) -> Iterator[tuple[Any, ...]]:
    """The log rows of a period (``date_to`` inclusive) and optionally one user, in id order.

    One read snapshot, ``batch`` rows at a time; the caller writes them out as they come.
    """
    with ctx.read() as session:
        last_id = 0
        while True:
            query = select(AuditLog).where(col(AuditLog.id) > last_id)
            if date_from is not None:
                query = query.where(
                    col(AuditLog.at) >= datetime.combine(date_from, datetime.min.time())
                )
            if date_to is not None:
                query = query.where(
                    col(AuditLog.at) < datetime.combine(date_to, datetime.min.time()) + _ONE_DAY
                )
            if user_login:
                query = query.where(AuditLog.user_login == user_login)
            rows = session.exec(query.order_by(col(AuditLog.id)).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield tuple(_plain(getattr(row, name)) for name in EXPORT_COLUMNS)
            last_id = rows[-1].id or last_id
            session.expunge_all()


def record_export(
    ctx: ServiceContext,
    what: str,
    count: int,
    where: str,
    unmasked: bool = False,
    reason: str = "",
) -> None:
    """One audit row for a file the program wrote: who, what, how many records, where to,
    and for a file with full ID numbers, why."""
    after: dict[str, Any] = {"records": count, "to": where, "unmasked": unmasked}
    if reason:
        after["reason"] = reason
    with ctx.transaction() as session:
        record(session, ctx, AuditAction.EXPORT, what, None, after=after)


def target_name(target: object) -> str:
    """Where an export went, for its audit row: a file's full path, else the stream's name."""
    if isinstance(target, Path):
        return str(target.resolve())
    return str(getattr(target, "name", "") or type(target).__name__)


# --- the audit screen: who did what, to which record, on which day ---------------------------

READER_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
"""Who may read the log on the audit screen (a desk officer's own acts are in it too)."""


@dataclass(frozen=True)
class AuditQuery:
    """Which rows the audit screen lists: any of one user, one record (table and id, or every
    record of a table) and one day; empty fields do not filter."""

    user_login: str = ""
    table_name: str = ""
    record_id: int | None = None
    day: date | None = None


def require_reader(ctx: ServiceContext) -> None:
    """Refuse anyone but a supervisor or an administrator, at every door."""
    if ctx.actor.role not in READER_ROLES:
        raise Forbidden(
            _("user {login} ({role}) may not read the audit log").format(
                login=ctx.actor.login, role=label(ctx.actor.role)
            )
        )


def _filtered(query: AuditQuery) -> list[Any]:
    conditions: list[Any] = []
    if query.user_login:
        conditions.append(col(AuditLog.user_login) == query.user_login)
    if query.table_name:
        conditions.append(col(AuditLog.table_name) == query.table_name)
    if query.record_id is not None:
        conditions.append(col(AuditLog.record_id) == query.record_id)
    if query.day is not None:
        start = datetime.combine(query.day, datetime.min.time())
        conditions += [col(AuditLog.at) >= start, col(AuditLog.at) < start + _ONE_DAY]
    return conditions


def count(ctx: ServiceContext, query: AuditQuery) -> int:
    """How many rows ``query`` lists."""
    require_reader(ctx)
    with ctx.read() as session:
        statement = select(func.count()).select_from(AuditLog).where(*_filtered(query))
        return int(session.exec(statement).one())


def window(ctx: ServiceContext, query: AuditQuery, offset: int, limit: int) -> list[AuditEntry]:
    """``limit`` rows of ``query`` from ``offset``, newest first (one page; never the log)."""
    require_reader(ctx)
    with ctx.read() as session:
        rows = session.exec(
            select(AuditLog)
            .where(*_filtered(query))
            .order_by(col(AuditLog.id).desc())
            .offset(max(0, offset))
            .limit(clamp_page_size(limit))
        ).all()
        return [_entry(row) for row in rows]
