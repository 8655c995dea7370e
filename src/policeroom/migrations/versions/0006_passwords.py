"""passwords and lockout of logins

Revision ID: 0006_passwords
Revises: 0005_desk_features
Create Date: 2026-12-05 08:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_passwords"
down_revision: str | None = "0005_desk_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        # Existing logins get no password: an administrator sets one with `user passwd`.
        batch_op.add_column(
            sa.Column("password_hash", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("failed_since", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_since")
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("password_hash")
