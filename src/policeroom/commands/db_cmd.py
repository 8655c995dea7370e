"""``policeroom db upgrade | check | backup PATH``."""

from __future__ import annotations

import argparse
from pathlib import Path

from policeroom import db as dbmod
from policeroom.commands import CommandError, open_database
from policeroom.commands.progress import Progress


def run(args: argparse.Namespace) -> int:
    database = open_database(args, migrate=args.db_command == "upgrade")
    try:
        if args.db_command == "upgrade":
            print(f"schema at {dbmod.current_revision(database.engine)} ({database.url})")
            return 0
        if args.db_command == "check":
            result = dbmod.check(database.engine)
            print(f"database: {database.url}")
            print(
                f"schema: {result.current or 'empty'} (head {result.head})"
                + ("" if result.at_head else " — run `policeroom db upgrade`")
            )
            for problem in result.integrity:
                print(f"integrity: {problem}")
            print("integrity: ok" if not result.integrity else "integrity: FAILED")
            return 0 if result.ok else 1
        target = Path(args.path)
        with Progress("backup") as progress:
            try:
                dbmod.backup(database.engine, target, progress=progress.update)
            except dbmod.BackupNotSupported as error:
                raise CommandError(str(error)) from error
        print(f"backup written to {target}")
        return 0
    finally:
        database.dispose()
