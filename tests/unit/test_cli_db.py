"""``policeroom db upgrade | check | backup``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from policeroom import fixtures
from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.db import Database, head_revision, sqlite_url
from policeroom.services.core.context import ServiceContext


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_upgrade_then_check_a_new_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new" / "desk.db"
    assert main(["db", "check", "--db", str(path)]) == 1
    assert "run `policeroom db upgrade`" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", str(path)]) == 0
    head = head_revision()
    assert capsys.readouterr().out.startswith(f"schema at {head}")
    assert main(["db", "check", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"schema: {head} (head {head})" in out and "integrity: ok" in out


def test_check_a_fresh_database(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", url_of(db), "db", "check"]) == 0
    assert "integrity: ok" in capsys.readouterr().out


def test_db_given_before_the_command_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POLICEROOM_DB", str(tmp_path / "from-env.db"))
    path = tmp_path / "given.db"
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    assert str(path) in capsys.readouterr().out
    assert path.exists() and not (tmp_path / "from-env.db").exists()


def test_backup_is_a_readable_consistent_copy(
    sqlite_db: Database, clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = ServiceContext(sqlite_db, clock=clock)
    fixtures.load(ctx, "training")
    target = tmp_path / "copies" / "backup.db"
    assert main(["db", "backup", str(target), "--db", url_of(sqlite_db)]) == 0
    assert f"backup written to {target}" in capsys.readouterr().out
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
    copied = Database.open(sqlite_url(target))
    try:
        original, restored = tmp_path / "original.json", tmp_path / "restored.json"
        fixtures.export(ctx, original)
        fixtures.export(ServiceContext(copied, clock=clock), restored)
    finally:
        copied.dispose()
    assert restored.read_text(encoding="utf-8") == original.read_text(encoding="utf-8")
    assert main(["db", "check", "--db", str(target)]) == 0


def test_backup_of_each_kind_of_database(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite is copied; PostgreSQL is the server's job, and the message names pg_dump."""
    target = tmp_path / "backup.db"
    code = main(["db", "backup", str(target), "--db", url_of(db)])
    if db.engine.dialect.name == "sqlite":
        assert code == 0 and target.exists()
        return
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "pg_dump" in err[0]
    assert not target.exists()
