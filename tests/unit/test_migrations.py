"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from policeroom import models
from policeroom.db import Database, check, current_revision, head_revision


def test_upgrade_head_matches_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, models.metadata) == []


def test_check_reports_head_and_integrity(db: Database) -> None:
    result = check(db.engine)
    assert result.ok, result
    assert current_revision(db.engine) == head_revision()
