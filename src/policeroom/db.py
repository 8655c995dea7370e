"""Engine and sessions: where the database is, how it is opened, and its migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

ENV_VAR = "POLICEROOM_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_sqlite_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``POLICEROOM_DB`` is given."""
    return Path(user_data_dir("policeroom", appauthor=False)) / "policeroom.db"


def training_sqlite_path() -> Path:
    """The separate SQLite file of ``policeroom training``; real records never go here."""
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


# The execution option naming how a SQLite connection's transactions begin: DEFERRED (the
# default: the first read takes the snapshot every later read of the transaction sees) or
# IMMEDIATE (the write lock is taken at BEGIN, before the checks a write runs).
SQLITE_BEGIN = "policeroom_sqlite_begin"


# How long one statement waits for another writer's lock before SQLite says "busy".
BUSY_TIMEOUT_MS = 5000


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling sends BEGIN only before the first INSERT, UPDATE or
    # DELETE: a read is no snapshot, the checks of a write run outside its transaction, and
    # DDL commits as it goes. Switched off here; ``_sqlite_begin`` sends BEGIN itself
    # (SQLAlchemy's documented recipe for the sqlite3 driver before Python 3.12).
    dbapi_connection.isolation_level = None
    # WAL lets HQ read while a desk writes; FULL sync because losing a saved record is
    # worse than a slower save; the busy timeout makes a second writer wait, not fail.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


# How many times BEGIN IMMEDIATE waits out the busy timeout before the write is given up as
# busy. BEGIN is the one statement safe to repeat on its own: nothing has been done yet, and
# once it succeeds this transaction holds the write lock, so no later statement waits.
BEGIN_ATTEMPTS = 3


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    for attempt in range(1, BEGIN_ATTEMPTS + 1):
        try:
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        except OperationalError as error:
            locked = isinstance(error.orig, sqlite3.OperationalError) and (
                getattr(error.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
            )
            if not locked or attempt == BEGIN_ATTEMPTS:
                raise


def make_engine(url: str) -> Engine:
    """Build an engine for ``url``; SQLite files get their folder, pragmas and transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, poolclass=NullPool if _short_lived() else None)


def _short_lived() -> bool:
    return os.environ.get("POLICEROOM_NULLPOOL") == "1"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


SessionFactory = Callable[[], Session]


@dataclass(frozen=True)
class Database:
    """An engine and the sessions made from it; handed to services, the UI and tests."""

    engine: Engine

    @classmethod
    def open(cls, url: str) -> Database:
        return cls(make_engine(url))

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @cached_property
    def _reader(self) -> Engine:
        if is_sqlite(self.engine):
            return self.engine
        # One snapshot for every query of the read, and no write can slip into it.
        return self.engine.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )

    @cached_property
    def _writer(self) -> Engine:
        if is_sqlite(self.engine):
            return self.engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        # READ COMMITTED: a check that must not race another writer locks its row
        # (``SELECT … FOR UPDATE``), as the double-booking check does.
        return self.engine

    def session(self) -> Session:
        """A session in the engine's plain transactions (tests and tools; services use
        ``read`` and ``transaction``)."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read: every query sees the database as it stood at the first; nothing is kept."""
        with Session(self._reader, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work that holds the write lock (SQLite) from its first statement:
        commit on success, roll back everything on any error."""
        with Session(self._writer, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


# --- migrations -------------------------------------------------------------------------


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision``."""
    command.upgrade(alembic_config(engine), revision)


def head_revision() -> str | None:
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    return script.get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class CheckResult:
    """What ``db check`` found."""

    current: str | None
    head: str | None
    integrity: list[str]

    @property
    def at_head(self) -> bool:
        return self.current is not None and self.current == self.head

    @property
    def ok(self) -> bool:
        return self.at_head and not self.integrity


def check(engine: Engine) -> CheckResult:
    """Integrity (SQLite ``integrity_check`` and foreign keys) and schema revision."""
    problems: list[str] = []
    with engine.connect() as connection:
        if is_sqlite(engine):
            for (row,) in connection.execute(text("PRAGMA integrity_check")):
                if row != "ok":
                    problems.append(str(row))
            for row in connection.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"foreign key: table {row[0]} row {row[1]} -> {row[2]}")
        else:
            connection.execute(text("SELECT 1"))
    return CheckResult(current_revision(engine), head_revision(), problems)


class BackupNotSupported(Exception):
    """Raised for servers whose backup is a job for their own tools."""


def backup(
    engine: Engine, target: Path, progress: Callable[[int, int], None] | None = None
) -> None:
    """A consistent copy of a SQLite database through the online backup API."""
    if not is_sqlite(engine):
        raise BackupNotSupported(
            "PostgreSQL databases are backed up with the server's own tool: "
            "pg_dump --format=custom --file=PATH DBNAME"
        )
    source_path = engine.url.database
    if not source_path:
        raise BackupNotSupported("an in-memory database cannot be backed up")
    target = target.expanduser().resolve()
    if target.exists():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path)
    destination = sqlite3.connect(str(target))
    try:

        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        with destination:
            source.backup(destination, pages=256, progress=report)
    finally:
        destination.close()
        source.close()
