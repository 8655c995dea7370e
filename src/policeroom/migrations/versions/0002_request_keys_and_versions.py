"""request keys and versions

A table of request keys (one row per create that carried a key) and a version on the two
editable tables that had none, response tiers and settings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 03:18:11.789979
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_key",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_request_key")),
    )
    # Rows that exist already start at version 1, as new ones do.
    with op.batch_alter_table("response_tier", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )


def downgrade() -> None:
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("response_tier", schema=None) as batch_op:
        batch_op.drop_column("version")
    op.drop_table("request_key")
