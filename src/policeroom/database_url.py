"""Where the database is, and which schema revision it holds, without SQLAlchemy.

The desk program draws its first frame before it imports SQLAlchemy, SQLModel and the
services (two thirds of its start on a station PC). What it must know before that frame —
which database, and that it exists at the schema this program expects — is read here with
the driver alone, in one query. ``db.py`` builds its engines on the same URLs.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

ENV_VAR = "POLICEROOM_DB"

# The newest revision in migrations/versions. The desk program compares the database with
# this at start in one query, so Alembic (a third of a second to import on a station PC) is
# loaded only when an upgrade is due; a test keeps it equal to Alembic's own head.
SCHEMA_HEAD = "0011_resident_day_tallies"

# How long the start waits for a PostgreSQL server before it takes the slow path, which
# names the problem.
CONNECT_TIMEOUT_SECONDS = 5


class DatabaseMissing(Exception):
    """The SQLite file (or its schema) is not there; only ``db upgrade`` creates one."""


def default_sqlite_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``POLICEROOM_DB`` is given."""
    from platformdirs import user_data_dir  # only when no database is named

    return Path(user_data_dir("policeroom", appauthor=False)) / "policeroom.db"


def training_sqlite_path() -> Path:
    """The separate SQLite file of ``policeroom training``; real records never go here."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("policeroom", appauthor=False)) / "training.db"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def resolve_url(cli_value: str | None = None) -> str:
    """``--db``, then ``POLICEROOM_DB``, then the per-user SQLite file.

    A bare path is accepted as a SQLite file; ``postgresql://`` is routed to psycopg 3.
    """
    raw = cli_value or os.environ.get(ENV_VAR) or sqlite_url(default_sqlite_path())
    if "://" not in raw:
        raw = sqlite_url(Path(raw).expanduser().resolve())
    if raw.startswith("postgresql://") or raw.startswith("postgres://"):
        raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


def quick_revision(url: str) -> str | None:
    """The schema revision of the database at ``url``, read with its driver in one query;
    None whenever that cannot be told quickly and for sure.

    None is no verdict: the caller then opens the database the slow way (SQLAlchemy), which
    refuses a missing file or schema in the words every command uses, and upgrades a schema
    behind the program. Nothing is created or written here.
    """
    try:
        if url.startswith("sqlite:///"):
            return _sqlite_revision(url.removeprefix("sqlite:///"))
        if url.startswith("postgresql+psycopg://"):
            return _postgresql_revision("postgresql://" + url.split("://", 1)[1])
    except Exception:  # noqa: BLE001 - any doubt is the slow path's to name
        return None
    return None


def _sqlite_revision(location: str) -> str | None:
    if not location or location == ":memory:" or location.startswith("file:") or "?" in location:
        return None
    path = Path(location)
    if not path.is_file():
        return None
    # Read-only, so that looking never creates or changes the file.
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return str(row[0]) if row else None


def _postgresql_revision(conninfo: str) -> str | None:
    import psycopg

    with psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT_SECONDS) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None
