"""Alembic environment: the engine comes from policeroom.db, never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Engine

from policeroom import models

config = context.config
target_metadata = models.metadata


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    if engine is None:
        from policeroom.db import make_engine, resolve_url

        engine = make_engine(resolve_url(None))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
