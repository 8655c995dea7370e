"""A retry never makes a second record.

Every create from a form carries a key (the form's draft id, on ``ctx.request_key``), every
record of a fixture its natural key. The first create with a key writes a ``RequestKey`` row
beside its record, in the same transaction; the same key sent again (the answer to the first
was lost, the officer pressed ctrl+s twice, a script re-ran) finds that row and hands back the
record it made. One table rather than a key column per table: one rule, one index, and a
create that writes several rows (a dispute and its parties, a call and its arrivals) is
remembered once, by its main record.

Two creates with the same key at once: on SQLite the write lock (``BEGIN IMMEDIATE``) orders
them; on PostgreSQL the key is locked (a transaction-level advisory lock) before it is looked
up, so the second waits for the first to commit and then finds its row.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from policeroom.models.audit import RequestKey
from policeroom.services.core.context import ServiceContext


def lock(session: Session, name: str) -> None:
    """Hold ``name`` until this transaction ends (PostgreSQL; SQLite's writer holds the
    whole database already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": name}
        )


def earlier(session: Session, ctx: ServiceContext, kind: str) -> int | None:
    """The record an earlier create of ``kind`` made with this context's key, if any."""
    key = ctx.request_key
    if not key:
        return None
    lock(session, f"request:{kind}:{key}")
    return session.exec(
        select(RequestKey.record_id).where(col(RequestKey.kind) == kind, col(RequestKey.key) == key)
    ).first()


def remember(session: Session, ctx: ServiceContext, kind: str, record_id: int | None) -> None:
    """Note that this context's key made ``record_id`` (nothing without a key)."""
    if ctx.request_key and record_id is not None:
        session.add(
            RequestKey(
                kind=kind, key=ctx.request_key, record_id=record_id, created_at=ctx.clock.now()
            )
        )
