"""audit hash chain: prev_hash/row_hash on audit_log and the locked chain head

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 03:45:00

Rows written before this revision are chained here, in id order, with the same hash the
program uses (copied, not imported: a migration depends on SQLAlchemy and Alembic only).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = hashlib.sha256(b"policeroom audit chain").hexdigest()


def _hash(prev: str, row: sa.Row[tuple[object, ...]]) -> str:
    at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
    payload = json.dumps(
        [
            prev,
            row.id,
            at.isoformat(),
            row.user_login,
            str(row.action),
            row.table_name,
            row.record_id,
            row.field,
            row.before,
            row.after,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("row_hash", sa.String(length=64), nullable=False, server_default="")
        )
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    bind = op.get_bind()
    names = "id user_login action table_name record_id field before after prev_hash row_hash"
    log = sa.table(
        "audit_log", sa.column("at", sa.DateTime()), *(sa.column(name) for name in names.split())
    )
    prev, last_id = SEED, 0
    for row in bind.execute(sa.select(log).order_by(log.c.id)).all():
        own = _hash(prev, row)
        bind.execute(log.update().where(log.c.id == row.id).values(prev_hash=prev, row_hash=own))
        prev, last_id = own, row.id
    if last_id:  # a new database stays empty: the first audit row makes the head
        op.bulk_insert(head, [{"id": 1, "last_id": last_id, "last_hash": prev}])


def downgrade() -> None:
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
