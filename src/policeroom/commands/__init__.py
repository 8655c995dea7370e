"""What each CLI command does; ``cli.py`` only parses and dispatches here."""

from __future__ import annotations

import argparse
import getpass
from dataclasses import replace
from pathlib import Path

from policeroom.db import (
    Database,
    DatabaseMissing,
    bring_to_head,
    require_schema,
    resolve_url,
    upgrade,
)
from policeroom.services.core.context import SYSTEM_ACTOR, ServiceContext


class CommandError(Exception):
    """A failed command: one line for stderr and the exit code (1 data, 2 usage)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def output_path(value: str, where: str) -> Path:
    """The file a command will write, refused before any work when its folder is missing or
    it names a folder: a typo in a path must not make folders nobody asked for, nor fail
    half-way through a long export."""
    target = Path(value).expanduser()
    folder = target.resolve().parent
    if not folder.is_dir():
        raise CommandError(f"{where}: no folder {folder}; create it first")
    if target.is_dir():
        raise CommandError(f"{where}: {target} is a folder; give a file name")
    return target


def open_database(args: argparse.Namespace, migrate: bool = True) -> Database:
    """The database named by ``--db`` / ``POLICEROOM_DB`` / the default, at schema head.

    Only ``db upgrade`` (``create=True`` through ``create_database``) and training make a
    database: a missing SQLite file or an empty schema is refused with the path and the
    command that creates it. An existing schema behind the program is upgraded.
    """
    database = Database.open(resolve_url(getattr(args, "db", None)))
    try:
        if migrate:
            bring_to_head(database.engine)
        else:
            require_schema(database.engine)
    except DatabaseMissing as error:
        database.dispose()
        raise CommandError(str(error)) from error
    except BaseException:
        database.dispose()
        raise
    return database


def create_database(args: argparse.Namespace) -> Database:
    """The database named by the arguments, created or upgraded to the schema head."""
    database = Database.open(resolve_url(getattr(args, "db", None)))
    try:
        upgrade(database.engine)
    except BaseException:
        database.dispose()
        raise
    return database


def cli_context(database: Database, args: argparse.Namespace) -> ServiceContext:
    """The context of a command run at a shell: the system's rights, as before, but the audit
    rows it writes (exports, loads) name the person: ``--user LOGIN``, else the OS user."""
    login = getattr(args, "user", None)
    if not login:
        try:
            login = getpass.getuser()
        except (KeyError, OSError):
            login = SYSTEM_ACTOR.login
    return ServiceContext(database, replace(SYSTEM_ACTOR, login=login))
