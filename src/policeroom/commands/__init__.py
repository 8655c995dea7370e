"""What each CLI command does; ``cli.py`` only parses and dispatches here.

This package's own module holds only what every command shares and the desk's start
needs before its first frame (no database, no services): ``opening`` opens the database.
"""

from __future__ import annotations

from pathlib import Path


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
