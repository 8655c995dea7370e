"""``policeroom [tui]`` and ``policeroom training [FIXTURE]``: open the desk program.

The desk's first frame comes before SQLAlchemy and the services are imported (two thirds of
its start on a station PC): the database is located and its schema revision read with the
driver alone (``database_url``), and opened behind the login screen (``DeskConnection``).
Only a database that is missing, unreadable or behind the program takes the slow way before
the first frame, which names the problem or upgrades the schema.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from policeroom import i18n
from policeroom.commands import CommandError
from policeroom.database_url import (
    SCHEMA_HEAD,
    quick_revision,
    resolve_url,
    sqlite_url,
    training_sqlite_path,
)
from policeroom.services.core.idle_time import DEFAULT_IDLE_MINUTES
from policeroom.ui.common.terminal import TerminalOptions, terminal_options
from policeroom.ui.shell.connection import DeskConnection

if TYPE_CHECKING:
    from policeroom.clock import Clock
    from policeroom.db import Database
    from policeroom.services.core.context import Actor, ServiceContext

FixtureLoader = Callable[["ServiceContext", str], None]
TRAINING = "training"


def load_fixture(ctx: ServiceContext, name: str) -> None:
    """Load a named fixture set (or file) into ``ctx``'s database, all or nothing."""
    # Imported here: the desk's first frame does not need the fixtures package (half a
    # second on a station PC), only training and the first-run screen's loader do.
    from policeroom import fixtures

    fixtures.load(ctx, name)


def idle_minutes(args: argparse.Namespace) -> int:
    """``--idle-lock`` (checked by the parser), else the default idle time."""
    given: int | None = getattr(args, "idle_lock", None)
    return given if given is not None else DEFAULT_IDLE_MINUTES


def _login_context(database: Database) -> ServiceContext:
    """Nobody is a user until the login screen has checked their password; ``--user`` only
    fills in the login."""
    from policeroom.models.audit import Role
    from policeroom.services.core.context import Actor, ServiceContext

    return ServiceContext(database, actor=Actor(login="login", role=Role.DESK))


def desk_connection(args: argparse.Namespace) -> DeskConnection:
    """The desk's database: opened behind the first frame when its schema is current (one
    query with the driver alone), else opened now the slow way, which refuses a missing or
    unreadable database in one line and upgrades a schema behind the program."""
    url = resolve_url(getattr(args, "db", None))
    if url.startswith("postgresql"):
        # psycopg alone takes a fifth of a second to import, as long as the bare app's
        # whole start: on PostgreSQL the revision is read behind the login screen too, and
        # what the slow path would have said before the first frame (no schema, no server)
        # the password check says instead.
        def open_checked() -> ServiceContext:
            if quick_revision(url) == SCHEMA_HEAD:
                from policeroom.db import Database

                return _login_context(Database.open(url))
            from policeroom.commands.opening import open_database
            from policeroom.services.core.errors import ServiceError

            try:
                return _login_context(open_database(args))
            except CommandError as error:  # the one line the shell would have shown
                raise ServiceError(str(error)) from error

        return DeskConnection(open_checked)
    if quick_revision(url) == SCHEMA_HEAD:

        def open_context() -> ServiceContext:
            from policeroom.db import Database

            return _login_context(Database.open(url))

        return DeskConnection(open_context)
    from policeroom.commands.opening import open_database

    database = open_database(args)
    connection = DeskConnection(lambda: _login_context(database))
    connection()
    return connection


def run(args: argparse.Namespace) -> int:
    options = terminal_options()
    idle = idle_minutes(args)
    if args.command == TRAINING:
        return run_training(args.fixture, getattr(args, "user", None), options, idle)
    connection = desk_connection(args)
    try:
        result = _run_app(
            connection,
            options,
            load_fixture=load_fixture,
            login=getattr(args, "user", None) or "",
            idle_minutes=idle,
        )
    finally:
        connection.close()
    if result == TRAINING:
        return run_training(TRAINING, getattr(args, "user", None), options, idle)
    return 0


def run_desk(ctx: ServiceContext, options: TerminalOptions, idle_minutes: int) -> None:
    """The desk program for ``ctx`` as it is (no training switch): the SSH session's. Its
    idle lock asks the password of ``ctx``'s login, as at a station PC."""
    _run_app(ctx, options, idle_minutes=idle_minutes)


def _run_app(
    ctx: ServiceContext | DeskConnection,
    options: TerminalOptions,
    *,
    training: bool = False,
    fixture: str = TRAINING,
    reset: Callable[[], None] | None = None,
    load_fixture: FixtureLoader | None = None,
    login: str | None = None,
    idle_minutes: int | None = None,
) -> str | None:
    """``login`` not None: the desk opens on the login screen, that login filled in."""
    from policeroom.ui.app import PoliceRoomApp

    app = PoliceRoomApp(
        ctx,
        training=training,
        language=i18n.current_language(),
        fixture=fixture,
        reset_training=reset,
        load_fixture=load_fixture,
        options=options,
        login=login,
        idle_minutes=idle_minutes,
    )
    result = app.run(mouse=options.mouse)
    if app.return_code:
        # Textual has printed its (masked) report of the error above; the shell and whoever
        # runs the desk from a script learn from the status that it did not end normally.
        raise CommandError("the desk program stopped on an error; its report is above")
    return result


def reset_training(database: Database, fixture: str, loader: FixtureLoader) -> None:
    """Empty the running desk's training database in place and load ``fixture`` again.

    The file stays: the desk's other readers (the list, the header) may run while this does,
    and a file deleted under them was created again empty by the first to connect ("no such
    table"), which the load then failed on. Emptied in one transaction, they see the old data
    or none, then the new.
    """
    from sqlmodel import SQLModel

    from policeroom.models.audit import AuditAction, Role
    from policeroom.services.core import audit
    from policeroom.services.core.context import Actor, ServiceContext

    trainer = ServiceContext(database, actor=Actor(login=TRAINER_LOGIN, role=Role.TRAINER))
    kept = {"audit_log", "audit_chain_head"}  # the log of the class goes on, its chain whole
    with database.transaction() as session:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name not in kept:
                session.execute(table.delete())
        audit.record(
            session, trainer, AuditAction.DELETE, "training", None, None, {"reset": fixture}
        )
    loader(trainer, fixture)


def fresh_training(database: Database, fixture: str, loader: FixtureLoader) -> None:
    """Throw the training database away and load ``fixture`` into a new one."""
    from policeroom.db import upgrade
    from policeroom.models.audit import Role
    from policeroom.services.core.context import Actor, ServiceContext

    path = Path(database.engine.url.database or "")
    database.dispose()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    upgrade(database.engine)
    loader(ServiceContext(database, actor=Actor(login="trainer", role=Role.TRAINER)), fixture)


def training_clock(fixture: str, system: Clock | None = None) -> Clock:
    """Time as it runs, on the day the training story is written around.

    The training set's follow-ups, deadlines and roster weeks are dated around its
    reference day; on today's date every case would be years overdue and the roster empty.
    """
    from policeroom import fixtures
    from policeroom.clock import SYSTEM_CLOCK

    system = system or SYSTEM_CLOCK
    reference = fixtures.reference_date(fixture)
    if reference is None:
        return system
    return system.shifted(timedelta(days=(reference - system.today()).days))


TRAINER_LOGIN = "trainer"


def training_actor(ctx: ServiceContext, login: str | None) -> Actor:
    """Who a training desk acts as: ``login``'s role and police room as the training data
    has them (a desk officer's class sees their own room), else the trainer, who sees all.

    Nobody types a password in training: the copy is thrown away and holds only the
    training set, and trainees have no passwords in it.
    """
    from policeroom.models.audit import Role
    from policeroom.services.core import users
    from policeroom.services.core.context import Actor
    from policeroom.services.core.errors import ServiceError

    if not login:
        return Actor(login=TRAINER_LOGIN, role=Role.TRAINER)

    try:
        return users.actor_for(ctx, login)
    except ServiceError as error:
        raise CommandError(f"training --user {login}: {error}") from error


def run_training(
    fixture: str, login: str | None, options: TerminalOptions, idle_minutes: int
) -> int:
    """The desk on a fresh copy of the training data, in its own database file."""
    from policeroom.db import Database
    from policeroom.services.core.context import ServiceContext
    from policeroom.services.core.errors import ServiceError

    loader = load_fixture
    database = Database.open(sqlite_url(training_sqlite_path()))
    try:
        # the trainee's first line, before the desk: in the desk's language like the desk
        print(
            i18n._("Preparing the training data ({fixture}) …").format(fixture=fixture),
            file=sys.stderr,
        )
        try:
            fresh_training(database, fixture, loader)
        except ServiceError as error:
            raise CommandError(f"training data {fixture}: {error}") from error
        ctx = ServiceContext(database, clock=training_clock(fixture))
        ctx = ctx.as_actor(training_actor(ctx, login))
        _run_app(
            ctx,
            options,
            training=True,
            fixture=fixture,
            reset=lambda: reset_training(database, fixture, loader),
            idle_minutes=idle_minutes,
        )
    finally:
        database.dispose()
    return 0
