"""The desk's first frame needs Textual and the login screen's code, nothing else.

SQLAlchemy, SQLModel, pydantic and the services are two thirds of the start on a station PC;
Alembic, the fixtures package and openpyxl cost a noticeable part of a second more. The
login screen is drawn without any of them: the database's revision is read with the driver
alone, and the services load behind the login screen, from its first key. Checked in a fresh
interpreter, as a user's start is, so an import added at module level anywhere on the path
shows up here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from policeroom.database_url import SCHEMA_HEAD, quick_revision
from policeroom.db import Database, sqlite_url, upgrade

HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "psycopg",
    "alembic",
    "policeroom.services.core.context",
    "policeroom.models",
    "policeroom.fixtures",
    "openpyxl",
    "docx",
    "pypinyin",
)

# The command line's own path to the first frame, in a headless terminal: the desk's
# connection as `policeroom --db URL` makes it, the app, and its login screen on show.
FIRST_FRAME = f"""
import asyncio, sys
from policeroom import cli
from policeroom.commands import tui_cmd
from policeroom.ui.app import PoliceRoomApp

args = cli.build_parser().parse_args(["--db", sys.argv[1], "--user", "desk.r0102"])
connection = tui_cmd.desk_connection(args)
app = PoliceRoomApp(connection, login=args.user, idle_minutes=None)

async def first_frame() -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(type(app.screen).__name__)
        print(" ".join(sorted(m for m in {HEAVY!r} if m in sys.modules)) or "-")

asyncio.run(first_frame())
"""


def _current(tmp_path: Path) -> str:
    url = sqlite_url(tmp_path / "desk.db")
    database = Database.open(url)
    upgrade(database.engine)
    database.dispose()
    return url


def test_the_login_screen_is_drawn_before_the_database_layers_are_imported(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, _current(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    screen, imported = done.stdout.split()[-2:]
    assert screen == "LoginScreen"
    assert imported == "-"


def test_the_revision_is_read_without_sqlalchemy_and_never_creates_a_file(
    tmp_path: Path,
) -> None:
    assert quick_revision(_current(tmp_path)) == SCHEMA_HEAD
    missing = tmp_path / "nowhere" / "desk.db"
    # No verdict for what is not there: the slow path names it, and nothing is made.
    assert quick_revision(sqlite_url(missing)) is None
    assert not missing.parent.exists()
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("值班记录\n", encoding="utf-8")
    assert quick_revision(sqlite_url(not_a_database)) is None
    assert quick_revision(sqlite_url(tmp_path)) is None  # a folder


def test_the_revision_is_read_on_either_database(db: Database) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    assert quick_revision(url) == SCHEMA_HEAD


def test_on_postgresql_too_the_login_screen_needs_no_database_layer(db: Database) -> None:
    """psycopg included: on PostgreSQL the revision is read behind the login screen."""
    url = db.engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, url], capture_output=True, text=True, check=True
    )
    screen, imported = done.stdout.split()[-2:]
    assert screen == "LoginScreen"
    assert imported == "-"
