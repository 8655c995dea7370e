"""Issue 14 / 13 (4): only `db upgrade` creates a database; database errors are one line."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from policeroom.cli import main
from policeroom.db import Database, sqlite_url


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


@pytest.mark.parametrize(
    "command",
    [
        ["report", "summary"],
        ["fixtures", "load", "training"],
        ["fixtures", "export", "out.json"],
        ["user", "list"],
        ["report", "disputes"],
    ],
)
def test_a_mistyped_db_is_refused_and_not_created(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo" / "deks.db"
    assert main([*command, "--db", str(path)]) == 1
    line = one_line(capsys)
    assert str(path) in line and "policeroom db upgrade" in line
    assert not path.parent.exists()


def test_the_desk_program_refuses_a_missing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deks.db"
    assert main(["tui", "--db", str(path)]) == 1
    assert "no database at" in one_line(capsys)
    assert not path.exists()


def test_an_empty_schema_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert main(["report", "summary", "--db", str(path)]) == 1
    assert "has no schema" in one_line(capsys)


def test_db_check_on_a_file_that_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all " * 200)
    assert main(["db", "check", "--db", str(path)]) == 1
    assert "not a database" in one_line(capsys)


def test_db_check_on_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "check", "--db", str(tmp_path)]) == 1
    assert "is a folder" in one_line(capsys)


def test_db_check_on_an_unreachable_postgresql(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://nobody:secret@127.0.0.1:9/none?connect_timeout=2"
    assert main(["db", "check", "--db", url]) == 1
    line = one_line(capsys)
    assert line.startswith("policeroom: database error:") and "secret" not in line


def test_backup_to_a_path_it_cannot_write(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        assert main(["db", "backup", str(locked / "b.db"), "--db", url_of(sqlite_db)]) == 1
        assert "Permission denied" in one_line(capsys)
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("kind", ["backup", "export", "report"])
def test_a_missing_output_folder_is_refused(
    kind: str, sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nowhere" / "out.file"
    url = url_of(sqlite_db)
    command = {
        "backup": ["db", "backup", str(target)],
        "export": ["fixtures", "export", str(target)],
        "report": ["report", "disputes", "--format", "csv", "--output", str(target)],
    }[kind]
    assert main([*command, "--db", url]) == 1
    line = one_line(capsys)
    assert "nowhere" in line
    assert not target.parent.exists()


def test_a_closed_pipe_is_one_line(sqlite_db: Database) -> None:
    """``report summary | head -c 600``: the reader is gone before the program writes."""
    import subprocess

    from policeroom import fixtures
    from policeroom.services.core.context import ServiceContext

    fixtures.load(ServiceContext(sqlite_db), "training")
    child = subprocess.Popen(
        [sys.executable, "-m", "policeroom.cli", "report", "summary", "--db", url_of(sqlite_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader went away
    err = child.stderr.read().decode()
    assert child.wait() == 1
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert "output closed" in err


def test_files_with_personal_data_are_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "desk.db"
        assert main(["db", "upgrade", "--db", str(path)]) == 0
        assert main(["fixtures", "load", "training", "--db", str(path)]) == 0
        assert main(["db", "backup", str(tmp_path / "copy.db"), "--db", str(path)]) == 0
        assert main(["fixtures", "export", str(tmp_path / "all.json"), "--db", str(path)]) == 0
        out = tmp_path / "ledger.csv"
        assert (
            main(["report", "disputes", "--format", "csv", "--output", str(out), "--db", str(path)])
            == 0
        )
        database = Database.open(sqlite_url(path))
        with database.engine.connect() as connection:  # the WAL files exist while open
            connection.exec_driver_sql("SELECT 1")
            files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
            files += [tmp_path / "copy.db", tmp_path / "all.json", out]
            modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files if f.exists()}
        database.dispose()
    finally:
        os.umask(old)
    assert len(modes) == 6, modes
    assert set(modes.values()) == {0o600}, modes


def test_db_check_on_a_damaged_file_answers_in_one_line_then_details(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3
    from contextlib import closing

    path = tmp_path / "desk.db"
    assert main(["db", "upgrade", "--db", str(path)]) == 0
    assert main(["fixtures", "load", "training", "--db", str(path)]) == 0
    with closing(sqlite3.connect(path)) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type='index' AND rootpage > 1 "
            "ORDER BY rootpage DESC LIMIT 1"
        ).fetchone()
    with open(path, "r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 64)
    capsys.readouterr()
    assert main(["db", "check", "--db", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    first, *details = captured.out.splitlines()
    assert first.startswith("DAMAGED:") and "db restore" in first
    assert "integrity: FAILED" in details


def run_cli(*arguments: str) -> tuple[int, str]:
    """The real program in its own process: what an officer's shell sees, including what
    Python prints while shutting down (an unfinished XLSX writer's traceback)."""
    import subprocess

    child = subprocess.run(
        [sys.executable, "-m", "policeroom.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return child.returncode, child.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["report", "disputes", "--format", "xlsx", "--output"],
        ["report", "stats", "--format", "csv", "--output"],
        ["report", "roster", "--week", "2026-12-01", "--output"],
        ["audit", "export", "--output"],
        ["fixtures", "export"],
    ],
    ids=["disputes-xlsx", "stats", "roster", "audit", "fixtures"],
)
def test_every_output_refuses_a_missing_folder_in_one_line(
    command: list[str], sqlite_db: Database, tmp_path: Path
) -> None:
    target = tmp_path / "nowhere" / "out.file"
    code, err = run_cli(*command, str(target), "--db", url_of(sqlite_db))
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "no folder" in err and "create it first" in err
    assert not target.parent.exists()


def test_an_output_that_is_a_folder_is_refused(sqlite_db: Database, tmp_path: Path) -> None:
    code, err = run_cli(
        "report",
        "disputes",
        "--format",
        "csv",
        "--output",
        str(tmp_path),
        "--db",
        url_of(sqlite_db),
    )
    assert code == 1 and err.count("\n") == 1
    assert "is a folder; give a file name" in err


def test_backup_where_nothing_can_be_written_names_the_typed_path(sqlite_db: Database) -> None:
    # /proc takes no new files, whoever runs the test (root may write anywhere else).
    code, err = run_cli("db", "backup", "/proc/policeroom-backup.db", "--db", url_of(sqlite_db))
    assert code == 1 and err.count("\n") == 1, err
    assert "/proc/policeroom-backup.db: cannot write there" in err
    assert ".partial" not in err


def test_a_folder_given_as_the_database_is_named_a_folder(tmp_path: Path) -> None:
    for command in (["report", "summary"], ["tui"], ["db", "check"]):
        code, err = run_cli(*command, "--db", str(tmp_path))
        assert code == 1 and err.count("\n") == 1, err
        assert "is a folder, not a database file" in err
