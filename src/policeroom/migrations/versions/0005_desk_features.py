"""a dispute party's role as a stable value; a mediation's agreement document

Revision ID: 0005_desk_features
Revises: 0004
Create Date: 2026-12-05 07:40:00

The role was free text (``申请人``, ``被申请人``, or empty from the desk's form). Known names
become their value; an empty or unknown role takes the rule new parties follow: the
dispute's first party applies, the others respond.

A mediation session keeps the name and time of the agreement document (人民调解协议书)
last written from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_desk_features"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Prefixes: the free text often said who the party was too (``被申请人（前夫）``).
NAMES = {
    "被申请人": "respondent",
    "申请人": "applicant",
    "第三人": "third_party",
    "子女": "child",
    "被抚养人": "child",
}
VALUES = ("applicant", "respondent", "third_party", "child")
LABELS = {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人", "child": "子女"}


def upgrade() -> None:
    party = sa.table(
        "dispute_party",
        sa.column("id", sa.Integer),
        sa.column("dispute_id", sa.Integer),
        sa.column("role", sa.String),
    )
    for name, value in NAMES.items():
        op.execute(party.update().where(party.c.role.like(f"{name}%")).values(role=value))
    unknown = ~party.c.role.in_(VALUES)
    firsts = sa.select(sa.func.min(party.c.id)).group_by(party.c.dispute_id)
    op.execute(party.update().where(unknown, party.c.id.in_(firsts)).values(role="applicant"))
    op.execute(party.update().where(unknown).values(role="respondent"))
    with op.batch_alter_table("dispute_party", schema=None) as batch_op:
        batch_op.alter_column(
            "role", existing_type=sa.String(length=50), type_=sa.String(length=24)
        )
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("document_name", sa.String(length=255), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("document_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.drop_column("document_at")
        batch_op.drop_column("document_name")
    with op.batch_alter_table("dispute_party", schema=None) as batch_op:
        batch_op.alter_column(
            "role", existing_type=sa.String(length=24), type_=sa.String(length=50)
        )
    party = sa.table("dispute_party", sa.column("role", sa.String))
    for value, name in LABELS.items():
        op.execute(party.update().where(party.c.role == value).values(role=name))
