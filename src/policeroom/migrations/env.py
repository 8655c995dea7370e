"""Alembic environment: the engine comes from policeroom.db, never from an ini file.

Migrations depend on SQLAlchemy and Alembic only: SQLModel's ``AutoString`` (what a ``str``
field becomes) is written as the plain ``sa.String`` it stands for, so a migration keeps
working whatever SQLModel does to its internals later.
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Engine
from sqlmodel.sql.sqltypes import AutoString

from policeroom import models

config = context.config
target_metadata = models.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """``sa.String(length=50)`` for SQLModel's ``AutoString(length=50)``; the rest as usual."""
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.{sa.String(length=obj.length, collation=obj.collation)!r}"
    return False


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    if engine is None:
        from policeroom.database_url import resolve_url
        from policeroom.db import make_engine

        engine = make_engine(resolve_url(None))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
