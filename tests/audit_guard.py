"""Every service write leaves audit rows with before/after in its own transaction.

``watch`` listens to every session the program makes with ``Database.transaction`` (the one
door services write through) and notes which tables each transaction inserted into, updated
or deleted from, by the unit of work (``after_flush``) and by statements (``do_orm_execute``).
At commit, a transaction that changed a record and wrote no audit row, or updated one and
wrote no audit row carrying the old values, is a violation. The root ``conftest`` turns it on
for the whole suite, so every service write the suite drives is checked, and a write added
without its audit row fails the tests that drive it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from policeroom.db import SERVICE_WRITE
from policeroom.models.audit import AuditAction, AuditLog

# Bookkeeping that is not a record of its own: the chain itself, the keys that make a create
# idempotent, a resident's search keys (derived from the audited name).
EXEMPT = frozenset({"audit_log", "audit_chain_head", "request_key", "resident_name_gram"})
_STATE = "audit_guard"
# Where a transaction is only opened: a test that writes its set-up straight through them is
# no program write path (and checks what it wrote itself).
# Updated by statement as a counter (the ledger's next number, in its register's transaction).
COUNTERS = frozenset({"setting"})
OPENERS = (f"{os.sep}db.py", f"services{os.sep}core{os.sep}context.py")


@dataclass
class _Writes:
    inserted: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)
    # Rows inserted or deleted by a statement (a week of shifts generated), and counters
    # bumped: an audit row of the action is enough.
    by_statement: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    audits: list[AuditLog] = field(default_factory=list)
    # Objects made in this transaction: a later change to one (a grid's path set once its id
    # is known) is part of its creation, not an update.
    made: set[int] = field(default_factory=set)


@dataclass
class Guard:
    """The violations found while it watched: one line per transaction at fault."""

    violations: list[str] = field(default_factory=list)
    checked: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, problem: str) -> None:
        with self.lock:
            self.violations.append(problem)


def _writes(session: Session, key: str) -> _Writes | None:
    if not session.info.get(SERVICE_WRITE):
        return None
    found = session.info.get(key)
    if found is None:
        found = session.info[key] = _Writes()
    assert isinstance(found, _Writes)
    return found


def _writer() -> str:
    """The outermost program function on the stack: the write path at fault."""
    found = ""
    frame = sys._getframe(1)
    while frame is not None:
        path = frame.f_code.co_filename
        if f"policeroom{os.sep}" in path and not path.endswith(OPENERS):
            module = path.rsplit(f"policeroom{os.sep}", 1)[1].removesuffix(".py")
            found = f"{module.replace(os.sep, '.')}.{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return found


def _bump_only(state: ORMExecuteState) -> bool:
    """An UPDATE that sets only ``version``/``updated_at``: a parent locked while its child
    row (a party, an arrival) is written and audited, no value of its own changed."""
    # ``_values`` is the statement's SET clause; SQLAlchemy has no public reader for it.
    values = getattr(state.statement, "_values", None) or {}
    names = {str(getattr(column, "key", column)) for column in values}
    return bool(names) and names <= {"version", "updated_at"}


def _table(entity: Any) -> str:
    return str(getattr(entity, "__tablename__", None) or entity.__table__.name)


@contextmanager
def watch() -> Iterator[Guard]:
    """Watch every service transaction while inside; yields the violations found."""
    guard = Guard()
    key = f"{_STATE}-{id(guard)}"  # a guard inside another keeps its own notes

    def after_flush(session: Session, _context: UOWTransaction) -> None:
        writes = _writes(session, key)
        if writes is not None:
            note_pending(session, writes)

    def note_pending(session: Session, writes: _Writes) -> None:
        for entity in session.new:
            if isinstance(entity, AuditLog):
                writes.audits.append(entity)
            else:
                writes.inserted.add(_table(entity))
                writes.made.add(id(entity))
        for entity in session.dirty:
            if id(entity) in writes.made:
                continue
            if session.is_modified(entity, include_collections=False):
                writes.updated.add(_table(entity))
        writes.deleted.update(_table(entity) for entity in session.deleted)

    def do_orm_execute(state: ORMExecuteState) -> None:
        writes = _writes(state.session, key)
        if writes is None or not (state.is_insert or state.is_update or state.is_delete):
            return
        table = str(state.statement.table.name)  # type: ignore[attr-defined]
        if state.is_update and table not in COUNTERS and not _bump_only(state):
            writes.updated.add(table)  # save_versioned: UPDATE … WHERE id AND version
        else:
            writes.by_statement.add(table)

    def before_commit(session: Session) -> None:
        writes = _writes(session, key)
        if writes is None:
            return
        note_pending(session, writes)  # commit flushes after this event: what is still pending
        session.info.pop(key, None)
        changed = (writes.inserted | writes.updated | writes.deleted | writes.by_statement) - EXEMPT
        writer = _writer()
        if not changed or not writer:
            return  # nothing changed, or a test's own set-up wrote it
        with guard.lock:
            guard.checked += 1
        if not writes.audits:
            guard.note(f"{writer}: wrote {sorted(changed)} with no audit row")
            return
        updated = (writes.updated | writes.deleted) - EXEMPT
        # A save that changed no value says so: one UPDATE row with nothing before or after.
        unchanged = all(
            row.action == AuditAction.UPDATE and row.before == row.after == "{}"
            for row in writes.audits
        )
        if updated and not unchanged and not any(json.loads(row.before) for row in writes.audits):
            guard.note(
                f"{writer}: changed {sorted(updated)} but no audit row has the values before "
                f"({[(row.action, row.table_name) for row in writes.audits]})"
            )

    def after_rollback(session: Session) -> None:
        session.info.pop(key, None)

    listeners = (
        ("after_flush", after_flush),
        ("do_orm_execute", do_orm_execute),
        ("before_commit", before_commit),
        ("after_rollback", after_rollback),
    )
    for name, listener in listeners:
        event.listen(Session, name, listener)
    try:
        yield guard
    finally:
        for name, listener in listeners:
            event.remove(Session, name, listener)
