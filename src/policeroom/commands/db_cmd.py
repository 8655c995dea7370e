"""``policeroom db upgrade | check | backup PATH | restore PATH``."""

from __future__ import annotations

import argparse
from pathlib import Path

from policeroom import db as dbmod
from policeroom.commands import CommandError
from policeroom.commands.opening import create_database
from policeroom.commands.progress import Progress
from policeroom.database_url import DatabaseMissing, resolve_url
from policeroom.db import Database


def run(args: argparse.Namespace) -> int:
    if args.db_command == "upgrade":
        return _upgrade(args)
    database = Database.open(resolve_url(getattr(args, "db", None)))
    try:
        if args.db_command == "check":
            return _check(database)
        if args.db_command == "restore":
            return _restore(database, Path(args.path))
        return _backup(database, Path(args.path))
    except (DatabaseMissing, dbmod.BackupNotSupported, dbmod.RestoreRefused) as error:
        raise CommandError(str(error)) from error
    finally:
        database.dispose()


def _upgrade(args: argparse.Namespace) -> int:
    try:
        database = create_database(args)
    except dbmod.HalfMadeWithData as error:
        raise CommandError(str(error)) from error
    try:
        print(f"schema at {dbmod.current_revision(database.engine)} ({database.url})")
    finally:
        database.dispose()
    return 0


def _check(database: Database) -> int:
    """One line that answers; the details (if any) below it."""
    result = dbmod.check(database.engine)
    print(f"{result.summary()} ({database.url})")
    print(
        f"schema: {result.current or 'empty'} (head {result.head})"
        + ("" if result.at_head else " — run `policeroom db upgrade`")
    )
    for problem in result.integrity:
        print(f"integrity: {problem}")
    print("integrity: ok" if not result.integrity else "integrity: FAILED")
    return 0 if result.ok else 1


def _backup(database: Database, target: Path) -> int:
    with Progress("backup") as progress:
        dbmod.backup(database.engine, target, progress=progress.update)
    print(f"backup written to {target}")
    return 0


def _restore(database: Database, source: Path) -> int:
    database.dispose()
    kept = dbmod.restore(database.engine, source)
    print(f"restored {source} to {database.url}; the previous file is kept as {kept}")
    return 0
