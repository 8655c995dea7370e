"""Shared fixtures: a known language and terminal for every test, a real SQLite file and a
real PostgreSQL server, migrated to head; ``--reverse-order`` runs the suite backwards.

Each pytest-xdist worker is a process of its own: it starts its own PostgreSQL server (the
``pg_server`` session fixture) and keeps its own templates (``tests.templates``).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from policeroom import i18n
from policeroom.clock import Clock
from policeroom.db import Database, make_engine, sqlite_url, upgrade
from policeroom.ui.common.terminal import ANIMATIONS_VAR, CURSOR_BLINK_VAR, MOUSE_VAR
from tests import audit_guard, templates
from tests.pg_server import PostgresServer

# The day the tests live in: the report's mediation date, a Sunday in 2022.
FROZEN_NOW = datetime(2022, 5, 1, 9, 30)
_counter = itertools.count()
# What the program reads to choose its language (i18n.detect_language, in this order).
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
LOCALES = {"en": "C.UTF-8", "zh": "zh_CN.UTF-8"}
# Temporary files go to memory when it has room: SQLite syncs every commit to disk
# (synchronous=FULL), which on a busy machine costs the suite a third of its time.
MEMORY = Path("/dev/shm")
MEMORY_NEEDED = 2 * 1024**3


def _memory_folder() -> Path | None:
    try:
        free = shutil.disk_usage(MEMORY).free
    except OSError:
        return None
    return MEMORY if free >= MEMORY_NEEDED and os.access(MEMORY, os.W_OK) else None


def pytest_configure(config: pytest.Config) -> None:
    # The controller's choice reaches the xdist workers: they inherit its environment and
    # their temporary folders are made under its own.
    folder = _memory_folder()
    if folder is not None and config.option.basetemp is None:
        os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", str(folder))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reverse-order",
        action="store_true",
        help="run the tests in the reverse of their usual order (proves no test leans on "
        "what ran before it)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--reverse-order"):
        items.reverse()


@pytest.fixture(autouse=True)
def known_language(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Every test starts in English, or in the language of its ``@pytest.mark.language``.

    The interface language is process-wide: the command line sets it from the locale, and an
    app made with ``language="zh"`` switches the whole process. So each test sets it, and sets
    the locale variables to match, which the command line and ``set_language(None)`` read:
    neither the shell that runs pytest nor the test before decides what a test sees. English
    again afterwards, for the module and session fixtures set up between two tests.
    """
    marker = request.node.get_closest_marker("language")
    language = marker.args[0] if marker else "en"
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", LOCALES[language])
    i18n.set_language(language)
    yield language
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def known_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A local terminal with its cursor steady: an app built without options reads these.

    A blinking cursor would make a drawing depend on the moment it is taken; animations and
    the mouse stay on, as at a desk, even when the tests themselves run over SSH.
    """
    for variable in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv(ANIMATIONS_VAR, "on")
    monkeypatch.setenv(MOUSE_VAR, "on")
    monkeypatch.setenv(CURSOR_BLINK_VAR, "off")


@pytest.fixture(autouse=True)
def every_write_audited(request: pytest.FixtureRequest) -> Iterator[audit_guard.Guard]:
    """Every service transaction any test drives must write audit rows, with the values
    before for what it changed (tests/audit_guard.py); ``@pytest.mark.unaudited`` is for
    the test that proves the guard catches a write without one."""
    with audit_guard.watch() as guard:
        yield guard
    if guard.violations and not request.node.get_closest_marker("unaudited"):
        pytest.fail("writes without audit:\n" + "\n".join(guard.violations))


@pytest.fixture
def clock() -> Clock:
    return Clock.fixed(FROZEN_NOW)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(sqlite_url(path))
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session", autouse=True)
def built_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Worlds built once in this process (``tests.templates``), kept for the session."""
    templates.keep_templates_in(tmp_path_factory.mktemp("templates"))
    yield
    templates.forget_templates()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    if os.environ.get("POLICEROOM_SKIP_PG") == "1":
        pytest.skip("POLICEROOM_SKIP_PG=1")
    server = PostgresServer(_memory_folder()).start()
    try:
        _pg_admin(server, "CREATE DATABASE policeroom_template")
        template = make_engine(server.url("policeroom_template"))
        upgrade(template)
        template.dispose()
        yield server
    finally:
        server.stop()


def _pg_admin(server: PostgresServer, statement: str) -> None:
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


def _sqlite_database(template: Path, tmp_path: Path) -> Database:
    path = tmp_path / "policeroom.db"
    shutil.copyfile(template, path)
    return Database.open(sqlite_url(path))


@contextmanager
def _pg_database(server: PostgresServer) -> Iterator[Database]:
    """A database of its own on the worker's server, dropped afterwards to keep it small."""
    name = f"t{os.getpid()}_{next(_counter)}"
    _pg_admin(server, f"CREATE DATABASE {name} TEMPLATE policeroom_template")
    database = Database.open(server.url(name))
    try:
        yield database
    finally:
        database.dispose()
        _pg_admin(server, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated SQLite file."""
    database = _sqlite_database(sqlite_template, tmp_path)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database: each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "postgresql":
        with _pg_database(request.getfixturevalue("pg_server")) as database:
            yield database
        return
    database = _sqlite_database(sqlite_template, tmp_path)
    yield database
    database.dispose()
