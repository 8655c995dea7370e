"""Issue 14: a backup finishes while desks write, and it restores."""

from __future__ import annotations

import sqlite3
import stat
import threading
from contextlib import closing
from pathlib import Path

import pytest

from policeroom.cli import main
from policeroom.db import Database, backup, check, sqlite_path, sqlite_url


def writer(path: Path, stop: threading.Event, written: list[int]) -> None:
    """A desk saving as fast as it can, one committed transaction per row."""
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=10000")
    number = 0
    while not stop.is_set() or number < 50:
        number += 1
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO probe (n, pad) VALUES (?, randomblob(2000))", (number,))
        connection.execute("COMMIT")
        written.append(number)
    connection.close()


@pytest.fixture
def busy_file(sqlite_db: Database) -> Path:
    path = sqlite_path(sqlite_db.engine)
    assert path is not None
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE probe (n INTEGER PRIMARY KEY, pad BLOB)")
        connection.executemany(
            "INSERT INTO probe (n, pad) VALUES (-?, randomblob(2000))", [(i,) for i in range(3000)]
        )
        connection.commit()
    return path


def test_backup_while_a_desk_writes_is_consistent_and_restores(
    sqlite_db: Database, busy_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stop, written = threading.Event(), []
    thread = threading.Thread(target=writer, args=(busy_file, stop, written))
    thread.start()
    try:
        while len(written) < 20:  # the desk is writing before the backup starts
            stop.wait(0.01)
        copy = tmp_path / "copy.db"
        backup(sqlite_db.engine, copy)
        during = len(written)
    finally:
        stop.set()
        thread.join()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".copy.db*")), "no temporary file left"
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        numbers = [n for (n,) in connection.execute("SELECT n FROM probe WHERE n > 0 ORDER BY n")]
    # A snapshot: every row up to some point, none missing in between.
    assert numbers == list(range(1, len(numbers) + 1)) and 20 <= len(numbers) <= during
    later = len(written)

    # In use (another program has it open): refused, and the database is untouched.
    sqlite_db.dispose()
    holder = sqlite3.connect(busy_file)
    holder.execute("SELECT count(*) FROM probe").fetchone()
    try:
        assert main(["db", "restore", str(copy), "--db", str(busy_file)]) == 1
        assert "in use" in capsys.readouterr().err
    finally:
        holder.close()

    assert main(["db", "restore", str(copy), "--db", str(busy_file)]) == 0
    assert "before-restore" in capsys.readouterr().out
    with closing(sqlite3.connect(busy_file)) as connection:
        restored = connection.execute("SELECT count(*) FROM probe WHERE n > 0").fetchone()[0]
    assert restored == len(numbers)
    kept = busy_file.with_name(busy_file.name + ".before-restore")
    with closing(sqlite3.connect(kept)) as connection:
        assert connection.execute("SELECT count(*) FROM probe WHERE n > 0").fetchone()[0] == later
    restored_db = Database.open(sqlite_url(busy_file))
    assert check(restored_db.engine).ok
    restored_db.dispose()


def test_restore_refuses_a_damaged_or_foreign_file(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    sqlite_db.dispose()
    junk = tmp_path / "junk.db"
    junk.write_text("not a database " * 500)
    assert main(["db", "restore", str(junk), "--db", url]) == 1
    assert "not a readable database" in capsys.readouterr().err
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
    assert main(["db", "restore", str(other), "--db", url]) == 1
    assert "schema none" in capsys.readouterr().err
    assert main(["db", "check", "--db", url]) == 0
