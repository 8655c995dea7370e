"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from policeroom import models
from policeroom.db import (
    MIGRATIONS,
    SCHEMA_HEAD,
    Database,
    alembic_config,
    bring_to_head,
    check,
    current_revision,
    head_revision,
    make_engine,
    sqlite_url,
    upgrade,
)


def drift(engine: sa.Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, models.metadata))


def test_upgrade_head_matches_models(db: Database) -> None:
    assert drift(db.engine) == []


def test_check_reports_head_and_integrity(db: Database) -> None:
    result = check(db.engine)
    assert result.ok, result
    assert current_revision(db.engine) == head_revision()


def test_downgrade_to_base_leaves_an_empty_schema_and_upgrade_rebuilds_it(db: Database) -> None:
    command.downgrade(alembic_config(db.engine), "base")
    inspector = sa.inspect(db.engine)
    assert inspector.get_table_names() == ["alembic_version"]
    if db.engine.dialect.name == "postgresql":
        assert inspector.get_sequence_names() == []
    assert current_revision(db.engine) is None
    upgrade(db.engine)
    assert drift(db.engine) == []
    assert current_revision(db.engine) == head_revision()


def test_migrations_use_plain_sqlalchemy_types() -> None:
    """SQLModel's internals (``AutoString``) may change; a migration must not follow them."""
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        assert "sqlmodel" not in script.read_text(encoding="utf-8"), script.name


def test_autogenerate_writes_plain_types_that_build_the_models(tmp_path: Path) -> None:
    """A new migration from ``alembic revision --autogenerate`` imports SQLAlchemy only."""
    engine = make_engine(sqlite_url(tmp_path / "empty.db"))
    config = alembic_config(engine)
    versions = tmp_path / "versions"
    versions.mkdir()
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(versions))
    command.revision(config, message="everything", autogenerate=True, rev_id="probe")
    (written,) = versions.glob("probe_*.py")
    source = written.read_text(encoding="utf-8")
    assert "sqlmodel" not in source and "AutoString" not in source
    assert "sa.String(length=50)" in source and "sa.String()" in source
    command.upgrade(config, "head")
    assert drift(engine) == []
    engine.dispose()


def test_the_schema_head_the_desk_compares_with_is_alembics() -> None:
    """A new migration must move ``SCHEMA_HEAD`` too, or every start would upgrade (or none)."""
    assert SCHEMA_HEAD == head_revision()


def test_open_database_upgrades_a_schema_behind_the_program(db: Database) -> None:
    command.downgrade(alembic_config(db.engine), "0001")
    assert current_revision(db.engine) == "0001"
    bring_to_head(db.engine)
    assert current_revision(db.engine) == SCHEMA_HEAD
    assert drift(db.engine) == []
