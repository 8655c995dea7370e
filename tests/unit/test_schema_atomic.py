"""Issue 14: creating a schema is one transaction; a half-made one is repaired."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from policeroom import models
from policeroom.cli import main
from policeroom.db import Database, check, sqlite_url, upgrade

# Kills the process after the Nth CREATE TABLE of the upgrade reaches SQLite.
KILLER = """
import os, signal, sys
from sqlalchemy import event
from policeroom.db import make_engine, upgrade
engine = make_engine("sqlite:///" + sys.argv[1])
made = 0
@event.listens_for(engine, "after_cursor_execute")
def kill(conn, cursor, statement, *args):
    global made
    if statement.lstrip().startswith("CREATE TABLE"):
        made += 1
        if made == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
upgrade(engine)
"""


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        return {name for (name,) in rows}


@pytest.mark.parametrize("after", [1, 5, 20])
def test_a_kill_during_upgrade_leaves_nothing_half_made(after: int, tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    child = subprocess.run([sys.executable, "-c", KILLER, str(path), str(after)], check=False)
    assert child.returncode == -signal.SIGKILL
    assert tables(path) == set(), "a killed upgrade left part of the schema"
    assert main(["db", "upgrade", "--db", str(path)]) == 0
    assert main(["db", "check", "--db", str(path)]) == 0


def test_a_half_made_schema_from_an_older_version_is_repaired(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Old versions committed each CREATE TABLE: some tables, no revision."""
    path = tmp_path / "half.db"
    database = Database.open(sqlite_url(path))
    path.touch()
    with database.engine.begin() as connection:
        for table in models.metadata.sorted_tables[:7]:
            table.create(connection)
    assert main(["report", "summary", "--db", str(path)]) == 1
    assert "policeroom db upgrade" in capsys.readouterr().err
    assert main(["db", "upgrade", "--db", str(path)]) == 0
    result = check(database.engine)
    database.dispose()
    assert result.ok, result
    assert main(["report", "summary", "--db", str(path)]) == 0


def test_a_half_made_schema_with_rows_is_not_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "half.db"
    name = models.metadata.sorted_tables[0].name
    with sqlite3.connect(path) as connection:
        connection.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY)")
        connection.execute(f"INSERT INTO {name} (id) VALUES (1)")
    assert main(["db", "upgrade", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "holds rows" in err and "Traceback" not in err
    with sqlite3.connect(path) as connection:
        assert connection.execute(f"SELECT count(*) FROM {name}").fetchone() == (1,)


def test_upgrade_is_one_transaction_on_each_database(db: Database) -> None:
    """Upgrading an up-to-date schema again changes nothing and keeps it sound."""
    upgrade(db.engine)
    assert check(db.engine).ok
