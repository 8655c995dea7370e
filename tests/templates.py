"""Worlds built once per test process, then copied into each test's database.

Building a small branch through the services takes a second on PostgreSQL, and the training
set longer; copying the finished rows takes milliseconds. A builder decorated with
``@templated`` runs for real the first time this process sees it with the same arguments on
the same kind of database. Its database is then kept as a template (a file on SQLite, a
template database on PostgreSQL) beside a copy of what it returned. When a later test calls
it on a fresh database, the template's rows are put into that database and the builder's
result comes back pointing at it: the test gets the same rows and ids, in its own database.

Only a database still empty is filled from a template; anything else is built for real.
"""

from __future__ import annotations

import copy
import functools
import itertools
import operator
import os
import sqlite3
import tempfile
from collections.abc import Callable, Hashable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine

from policeroom import fixtures, models
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.services.core.context import ServiceContext

P = ParamSpec("P")
T = TypeVar("T")

_names = itertools.count()


@dataclass(frozen=True)
class _Template:
    location: str  # the SQLite file, or the PostgreSQL template database's name
    result: Any  # what the builder returned, copied, still pointing at ``handles``
    handles: tuple[Any, ...]  # the builder's database, contexts and clocks of the first call


_templates: dict[Hashable, _Template] = {}
_folder: Path | None = None


def templated(builder: Callable[P, T]) -> Callable[P, T]:
    """Build once per process with these arguments, copy the rows for every later call."""

    @functools.wraps(builder)
    def build(*args: P.args, **kwargs: P.kwargs) -> T:
        values = [*args, *(kwargs[name] for name in sorted(kwargs))]
        database = _database_of(values)
        if database is None:
            return builder(*args, **kwargs)
        key = (
            builder.__module__,
            builder.__qualname__,
            tuple(_fingerprint(a) for a in args),
            tuple((name, _fingerprint(kwargs[name])) for name in sorted(kwargs)),
        )
        handles = _handles(values)
        template = _templates.get(key)
        empty = _is_empty(database)
        if template is not None and empty:
            _restore(template.location, database)
            memo = {id(old): new for old, new in zip(template.handles, handles, strict=True)}
            restored: T = copy.deepcopy(template.result, memo)
            return restored
        result = builder(*args, **kwargs)
        if template is None and empty:
            # The copy keeps the handles themselves, so their ids stay theirs while kept.
            kept = copy.deepcopy(result, {id(h): h for h in handles})
            _templates[key] = _Template(_save(database), kept, handles)
        return result

    return build


def _database_of(values: list[Any]) -> Database | None:
    for value in values:
        if isinstance(value, Database):
            return value
        if isinstance(value, ServiceContext):
            return value.db
    return None


def _fingerprint(value: Any) -> Hashable:
    if isinstance(value, Database):
        return ("database", value.engine.dialect.name)
    if isinstance(value, ServiceContext):
        return ("context", _fingerprint(value.db), value.actor, value.clock.now())
    if isinstance(value, Clock):
        return ("clock", value.now())
    hash(value)  # anything else must be a plain value to be part of the key
    return value


def _handles(values: list[Any]) -> tuple[Any, ...]:
    """What the result may point at, in the order of the arguments, to be swapped for the new."""
    found: list[Any] = []
    for value in values:
        if isinstance(value, ServiceContext):
            found += [value, value.db, value.clock]
        elif isinstance(value, (Database, Clock)):
            found.append(value)
    return tuple(found)


def _is_empty(database: Database) -> bool:
    """No row in any table: a database as the migrations left it (they add no rows)."""
    counts = [
        select(func.count()).select_from(table).scalar_subquery()
        for table in models.metadata.sorted_tables
    ]
    with database.engine.connect() as connection:
        return connection.execute(select(functools.reduce(operator.add, counts))).scalar_one() == 0


def _save(database: Database) -> str:
    engine = database.engine
    if engine.dialect.name == "sqlite":
        path = _template_folder() / f"template-{next(_names)}.db"
        with (
            closing(sqlite3.connect(_sqlite_path(engine))) as source,
            closing(sqlite3.connect(path)) as target,
        ):
            source.backup(target)
        return str(path)
    name = f"template_{os.getpid()}_{next(_names)}"
    # CREATE DATABASE … TEMPLATE needs the source to have no connections, the pool's too.
    engine.dispose()
    _admin(engine, f'CREATE DATABASE "{name}" TEMPLATE "{engine.url.database}"')
    return name


def _restore(location: str, database: Database) -> None:
    engine = database.engine
    engine.dispose()
    if engine.dialect.name == "sqlite":
        with (
            closing(sqlite3.connect(location)) as source,
            closing(sqlite3.connect(_sqlite_path(engine))) as target,
        ):
            source.backup(target)
        return
    name = engine.url.database
    _admin(engine, f'DROP DATABASE "{name}" WITH (FORCE)')
    _admin(engine, f'CREATE DATABASE "{name}" TEMPLATE "{location}"')


def _admin(engine: Engine, statement: str) -> None:
    admin = create_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    assert path and path != ":memory:", "a template needs a SQLite file"
    return path


def _template_folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="policeroom-templates-"))
    return _folder


def keep_templates_in(folder: Path) -> None:
    """Where SQLite templates are written (the session's temporary folder)."""
    global _folder
    _folder = folder


def forget_templates() -> None:
    """Forget every template: the session that held them (and its servers) is over."""
    global _folder
    _templates.clear()
    _folder = None


@templated
def load_training(ctx: ServiceContext) -> ServiceContext:
    """``ctx`` with the training set loaded into its database, as ``fixtures load training``."""
    fixtures.load(ctx, "training")
    return ctx
