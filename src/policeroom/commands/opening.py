"""The database and the context a command at a shell works on."""

from __future__ import annotations

import argparse
import getpass
from dataclasses import replace

from policeroom.commands import CommandError
from policeroom.database_url import DatabaseMissing, resolve_url
from policeroom.db import Database, bring_to_head, require_schema, upgrade
from policeroom.services.core.context import SYSTEM_ACTOR, ServiceContext


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
