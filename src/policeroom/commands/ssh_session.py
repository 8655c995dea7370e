"""``policeroom ssh session LOGIN``: the forced command of an officer's SSH key.

It opens the desk as LOGIN and does nothing else: a command asked for by the client (a
shell, ``scp``, the ``sftp`` subsystem) arrives in ``SSH_ORIGINAL_COMMAND`` and is refused,
and without a terminal there is no desk to open.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from policeroom.commands import CommandError
from policeroom.commands.opening import open_database
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError
from policeroom.services.core.remote import Origin, open_remote_session
from policeroom.ui.common.terminal import terminal_options

ORIGINAL_COMMAND = "SSH_ORIGINAL_COMMAND"


def run(args: argparse.Namespace) -> int:
    asked = os.environ.get(ORIGINAL_COMMAND)
    if asked is not None:
        raise CommandError(f"this key opens the desk program only; it runs no command ({asked!r})")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CommandError("the desk program needs a terminal: connect with ssh -t")
    exports = Path(args.exports) if args.exports else None
    database = open_database(args)
    try:
        ctx = ServiceContext(database)
        origin = Origin(key=args.key or "", client=_client(os.environ.get("SSH_CONNECTION", "")))
        try:
            actor = open_remote_session(ctx, args.login, origin)
        except ServiceError as error:
            raise CommandError(f"ssh session {args.login}: {error}") from error
        if exports is not None:
            _make_folder(exports)
        from policeroom.commands.tui_cmd import idle_minutes, run_desk

        run_desk(
            ServiceContext(database, actor, ctx.clock, exports),
            terminal_options(),
            idle_minutes(args),
        )
    finally:
        database.dispose()
    return 0


def _client(connection: str) -> str:
    """``SSH_CONNECTION`` is "client-ip client-port server-ip server-port"."""
    parts = connection.split()
    return f"{parts[0]}:{parts[1]}" if len(parts) >= 2 else ""


def _make_folder(folder: Path) -> None:
    try:
        # Only the program's account: the folder holds exports of personal data.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"--exports {folder}: cannot make the folder ({error})") from error
