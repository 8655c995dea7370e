"""Columns every editable record shares."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Field, SQLModel

# Named constraints so Alembic can alter them the same way on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Local wall-clock time without a zone (Asia/Shanghai has no daylight saving); explicit so
# that SQLModel versions that default to timezone-aware columns do not change the schema.
LocalDateTime = sa.DateTime(timezone=False)


def ordered_key(length: int) -> sa.types.TypeEngine[str]:
    """A search or tree key compared byte by byte.

    PostgreSQL servers often collate by locale (``en_US``), which ignores punctuation, so
    ``/1/2/`` would sort after ``/10/`` and a prefix range would miss rows; the ``C``
    collation keeps ranges on ``path``, pinyin and reversed digits exact. SQLite already
    compares bytes.
    """
    return sa.String(length).with_variant(postgresql.VARCHAR(length, collation="C"), "postgresql")


def enum_type(enum_class: type[StrEnum]) -> sa.Enum:
    """Store an enumeration as its stable English value in a plain string column."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Tracked(SQLModel):
    """A row version for optimistic locking and the time of its last write.

    Services bump ``version`` with ``UPDATE … WHERE id = ? AND version = ?``; a second
    saver whose version is stale is told instead of overwriting the first.
    """

    version: int = Field(default=1, nullable=False)
    created_at: datetime | None = Field(sa_type=LocalDateTime, default=None)
    updated_at: datetime | None = Field(sa_type=LocalDateTime, default=None)
