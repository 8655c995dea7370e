"""Engine and sessions: where the database is, how it is opened, and its migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, func, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

# Where the database is and its revision are known without SQLAlchemy (the desk's first
# frame); every command imports them from here as before.
from policeroom.database_url import (  # noqa: F401 - re-exported
    ENV_VAR,
    SCHEMA_HEAD,
    DatabaseMissing,
    default_sqlite_path,
    resolve_url,
    sqlite_url,
    training_sqlite_path,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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


# Files that hold personal data (the database, its -wal/-shm, backups, exports) are the
# owner's alone; SQLite gives -wal and -shm the database file's own mode.
PRIVATE_FILE_MODE = 0o600


def sqlite_path(engine: Engine) -> Path | None:
    """The file of a SQLite engine; None for a server or an in-memory database."""
    if not is_sqlite(engine):
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def create_private_file(path: Path) -> None:
    """Create ``path`` (and its folder) empty and readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE))


def make_engine(url: str) -> Engine:
    """Build an engine for ``url``; SQLite files get their pragmas and transactions.

    Nothing is created here: a missing file is the caller's to refuse (``require_schema``)
    or to create (``upgrade``).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
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
SERVICE_WRITE = "service_write"
"""``Session.info`` key set on every session made by ``Database.transaction``: the one door
services write through, which the suite's audit guard (tests/audit_guard.py) watches."""


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
        with Session(self._writer, expire_on_commit=False, info={SERVICE_WRITE: True}) as session:
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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` in one transaction.

    A new SQLite file is created readable by its owner only. On SQLite the whole upgrade
    runs in one ``BEGIN IMMEDIATE`` transaction (db.py sends BEGIN itself, so pysqlite
    commits nothing before DDL): a kill leaves no schema or the whole one. A half-made
    schema left by an older version (tables, no revision, no rows) is dropped and made anew.
    """
    path = sqlite_path(engine)
    if path is not None and not path.exists():
        create_private_file(path)
    if is_sqlite(engine):
        engine = engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    repair_half_made(engine)
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


class HalfMadeWithData(Exception):
    """Tables without a schema revision that hold rows: not ours to drop."""


def repair_half_made(engine: Engine) -> list[str]:
    """Drop the tables of a schema creation that an older version left half done.

    Recognised by our tables being there with no ``alembic_version`` row; nothing can have
    been saved in them (every command failed on "table already exists"), and that is checked:
    a table with rows is refused, not dropped. Returns the tables dropped.
    """
    from policeroom import models

    with engine.begin() as connection:
        names = set(sa_inspect(connection).get_table_names())
        if "alembic_version" in names:
            if connection.execute(text("SELECT count(*) FROM alembic_version")).scalar():
                return []
        ours = [table for table in reversed(models.metadata.sorted_tables) if table.name in names]
        if not ours:
            return []
        for table in ours:
            if connection.execute(select(func.count()).select_from(table)).scalar():
                raise HalfMadeWithData(
                    f"table {table.name} holds rows but the database has no schema revision; "
                    "restore a backup (`policeroom db restore PATH`)"
                )
        for table in ours:
            table.drop(connection)
        if "alembic_version" in names:
            connection.execute(text("DROP TABLE alembic_version"))
        return [table.name for table in ours]


def require_schema(engine: Engine) -> str:
    """Refuse a missing SQLite file or an empty schema: one line naming the path and the
    command that creates it (a mistyped ``--db`` must not become a new empty database)."""
    path = sqlite_path(engine)
    where = str(path) if path is not None else engine.url.render_as_string(hide_password=True)
    fix = f"create it with `policeroom db upgrade --db {where}`"
    if path is not None and path.is_dir():
        raise DatabaseMissing(f"{where} is a folder, not a database file")
    if path is not None and not path.is_file():
        raise DatabaseMissing(f"no database at {where}; {fix}")
    revision = current_revision(engine)
    if revision is None:
        raise DatabaseMissing(f"the database at {where} has no schema; {fix}")
    return revision


def bring_to_head(engine: Engine) -> None:
    """Refuse a missing database (``require_schema``); upgrade one behind the program.

    One query when the schema is current, which is every start but the first after an update.
    """
    if require_schema(engine) != SCHEMA_HEAD:
        upgrade(engine)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    return script.get_current_head()


def current_revision(engine: Engine) -> str | None:
    path = sqlite_path(engine)
    if path is not None and not path.exists():
        return None  # never create the file by looking
    with engine.connect() as connection:
        if not sa_inspect(connection).has_table("alembic_version"):
            return None
        # The chain is linear, so there is one row at most (Alembic's own reader, without
        # importing Alembic).
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


@dataclass(frozen=True)
class CheckResult:
    """What ``db check`` (or the start-up check) found."""

    current: str | None
    head: str | None
    integrity: list[str]

    @property
    def at_head(self) -> bool:
        return self.current is not None and self.current == self.head

    @property
    def ok(self) -> bool:
        return self.at_head and not self.integrity

    def summary(self) -> str:
        """The one-line answer; the problems go on the lines below it."""
        if self.integrity:
            return (
                f"DAMAGED: {len(self.integrity)} integrity problem(s); back up what can be read "
                "(`policeroom db backup PATH`) and restore the last good backup "
                "(`policeroom db restore PATH`)"
            )
        if self.current is None:
            return "EMPTY: no schema; run `policeroom db upgrade`"
        if not self.at_head:
            return (
                f"OLD: schema {self.current}, program needs {self.head}; "
                "run `policeroom db upgrade`"
            )
        return f"ok: schema {self.current}, integrity ok"


def check_path(engine: Engine) -> None:
    """Refuse a SQLite path that is missing or a folder, creating nothing."""
    path = sqlite_path(engine)
    if path is None:
        return
    if path.is_dir():
        raise DatabaseMissing(f"{path} is a folder, not a database file")
    if not path.exists():
        raise DatabaseMissing(
            f"no database at {path}; create it with `policeroom db upgrade --db {path}`"
        )


def check(engine: Engine, quick: bool = False) -> CheckResult:
    """Integrity (SQLite ``integrity_check`` or the faster ``quick_check``, and foreign keys)
    and schema revision. Never creates a missing file."""
    check_path(engine)
    problems: list[str] = []
    with engine.connect() as connection:
        if is_sqlite(engine):
            pragma = "quick_check" if quick else "integrity_check"
            try:
                for (row,) in connection.execute(text(f"PRAGMA {pragma}")):
                    if row != "ok":
                        problems.append(str(row))
                if not quick:
                    for row in connection.execute(text("PRAGMA foreign_key_check")):
                        problems.append(f"foreign key: table {row[0]} row {row[1]} -> {row[2]}")
            except DBAPIError as error:
                if not _is_damage(error):
                    raise
                # So damaged that the check itself stops: that is its finding.
                problems.append(str(error.orig))
        else:
            connection.execute(text("SELECT 1"))
    try:
        current = current_revision(engine)
    except DBAPIError as error:
        if not problems or not _is_damage(error):
            raise
        current = None
    return CheckResult(current, head_revision(), problems)


def _is_damage(error: DBAPIError) -> bool:
    return isinstance(error.orig, sqlite3.DatabaseError) and "malformed" in str(error.orig)


class BackupNotSupported(Exception):
    """Raised for servers whose backup is a job for their own tools."""


class RestoreRefused(Exception):
    """The backup is damaged or of another schema, or the database is in use."""


def _existing_folder(target: Path) -> Path:
    target = target.expanduser().resolve()
    if not target.parent.is_dir():
        raise FileNotFoundError(f"no folder {target.parent}; create it first")
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder; give a file name")
    return target


def _temporary_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.partial")


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def backup(
    engine: Engine, target: Path, progress: Callable[[int, int], None] | None = None
) -> None:
    """A consistent copy of a SQLite database, however busy the desks are.

    The online backup API copies every page in one step (``pages=-1``): a step holds a read
    snapshot, so writers (WAL) go on and the copy never restarts, as a paged copy does on
    every write. It goes to a hidden temporary name in the target's folder, created 0600,
    synced, and is renamed over ``target`` only when complete: a kill leaves no half file.
    """
    path = sqlite_path(engine)
    if not is_sqlite(engine):
        raise BackupNotSupported(
            "PostgreSQL databases are backed up with the server's own tool: "
            "pg_dump --format=custom --file=PATH DBNAME"
        )
    if path is None:
        raise BackupNotSupported("an in-memory database cannot be backed up")
    check_path(engine)
    target = _existing_folder(target)
    partial = _temporary_beside(target)
    try:
        partial.unlink(missing_ok=True)
        create_private_file(partial)
    except OSError as error:
        # Named by the path the officer typed, not the hidden temporary beside it.
        raise OSError(error.errno, f"cannot write there ({error.strerror})", str(target)) from error
    source = sqlite3.connect(str(path))
    destination = sqlite3.connect(str(partial))
    try:
        source.execute("PRAGMA busy_timeout=5000")

        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        source.backup(destination, pages=-1, progress=report)
        destination.execute("PRAGMA journal_mode=DELETE")
        destination.commit()
    except BaseException:
        destination.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        destination.close()
        source.close()
    with open(partial, "rb+") as written:
        os.fsync(written.fileno())
    os.replace(partial, target)
    _fsync_folder(target.parent)


def restore(engine: Engine, backup_file: Path) -> Path:
    """Put ``backup_file`` in place of the engine's SQLite database.

    Refused when the backup is not a sound database at this program's schema revision, or
    when another program has the database open (its write lock cannot be taken alone). The
    old file is kept as ``NAME.before-restore`` until the new one is in place. Returns the
    kept file.
    """
    target = sqlite_path(engine)
    if target is None:
        raise BackupNotSupported(
            "PostgreSQL databases are restored with the server's own tool: pg_restore"
        )
    backup_file = backup_file.expanduser().resolve()
    if not backup_file.is_file():
        raise RestoreRefused(f"no backup file at {backup_file}")
    probe = make_engine(sqlite_url(backup_file))
    try:
        found = check(probe)
    except Exception as error:  # a file that is not a database at all
        raise RestoreRefused(f"{backup_file} is not a readable database: {error}") from error
    finally:
        probe.dispose()
    if found.integrity:
        raise RestoreRefused(f"{backup_file} is damaged: {found.integrity[0]}")
    if not found.at_head:
        raise RestoreRefused(
            f"{backup_file} has schema {found.current or 'none'}, this program needs "
            f"{found.head}; restore it with the version that made it, then `db upgrade`"
        )
    if target.exists():
        _take_alone(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _temporary_beside(target)
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    with closing(sqlite3.connect(str(backup_file))) as source:
        with closing(sqlite3.connect(str(partial))) as copy:
            source.backup(copy, pages=-1)
    kept = target.with_name(target.name + ".before-restore")
    if target.exists():
        os.replace(target, kept)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(partial, target)
    _fsync_folder(target.parent)
    return kept


def _take_alone(path: Path) -> None:
    """Refuse when another connection has ``path`` open: in WAL mode a checkpoint that
    truncates the log and an exclusive lock both need every other reader gone."""
    connection = sqlite3.connect(str(path), timeout=0.5, isolation_level=None)
    try:
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            connection.execute("PRAGMA journal_mode=DELETE")
            connection.execute("PRAGMA locking_mode=EXCLUSIVE")
            connection.execute("BEGIN EXCLUSIVE")
            connection.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            raise RestoreRefused(
                f"{path} is in use (a desk or HQ has it open): close them first ({error})"
            ) from error
        if busy:
            raise RestoreRefused(f"{path} is in use (a desk or HQ has it open): close them first")
    finally:
        connection.close()
