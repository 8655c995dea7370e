"""What each CLI command does; ``cli.py`` only parses and dispatches here."""

from __future__ import annotations

import argparse

from policeroom.db import Database, resolve_url, upgrade


class CommandError(Exception):
    """A failed command: one line for stderr and the exit code (1 data, 2 usage)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def open_database(args: argparse.Namespace, migrate: bool = True) -> Database:
    """The database named by ``--db`` / ``POLICEROOM_DB`` / the default, at schema head."""
    database = Database.open(resolve_url(getattr(args, "db", None)))
    if migrate:
        upgrade(database.engine)
    return database
