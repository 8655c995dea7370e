"""The desk's first frame needs Textual and the first pane's code, nothing else.

Alembic, the fixtures package and openpyxl each cost a noticeable part of a second on a
station PC; they are imported when first used. Checked in a fresh interpreter, as a user's
start is, so an import added at module level anywhere on the path shows up here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from policeroom.db import Database, sqlite_url, upgrade

START = """
import sys
from argparse import Namespace
from policeroom.commands import open_database
from policeroom.commands import tui_cmd
from policeroom.ui.app import PoliceRoomApp
database = open_database(Namespace(db=sys.argv[1]))
database.dispose()
print(" ".join(sorted(m for m in ("alembic", "policeroom.fixtures", "openpyxl", "docx")
                      if m in sys.modules)))
"""


def test_a_current_database_opens_without_alembic_fixtures_openpyxl_or_docx(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "desk.db")
    database = Database.open(url)
    upgrade(database.engine)
    database.dispose()
    done = subprocess.run(
        [sys.executable, "-c", START, url], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
