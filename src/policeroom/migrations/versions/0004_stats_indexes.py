"""indexes for the headquarters statistics

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 03:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dispute_grid_stats", ["grid_id", "status", "reported_on", "due_on"], unique=False
        )
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resident_stats",
            ["grid_id", "archived", "anti_fraud_installed", "anti_fraud_on"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_index("ix_resident_stats")
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.drop_index("ix_dispute_grid_stats")
