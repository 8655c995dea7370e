"""``policeroom fixtures …`` through ``cli.main`` and through the installed program."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from policeroom.cli import main
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog
from policeroom.models.people import Resident

PROGRAM = Path(sys.executable).parent / "policeroom"


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _residents(db: Database) -> list[Resident]:
    with db.read() as session:
        return list(session.exec(select(Resident)).all())


def residents_in(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(
            connection.execute(sa.select(sa.func.count()).select_from(Resident)).scalar_one()
        )


def test_load_training_then_export(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fixtures", "load", "training", "--db", url_of(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("loaded training (5 files):") and "residents" in out[-1]
    target = tmp_path / "all.json"
    assert main(["fixtures", "export", str(target), "--db", url_of(db)]) == 0
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert len(exported["residents"]) == residents_in(db)


def test_an_export_is_masked_unless_asked_with_a_reason(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fixtures", "load", "training", "--db", url_of(db)]) == 0
    masked, full = tmp_path / "masked.json", tmp_path / "full.json"
    assert main(["fixtures", "export", str(masked), "--db", url_of(db)]) == 0
    assert "masked" in capsys.readouterr().out
    text = masked.read_text(encoding="utf-8")
    shown = json.loads(text)
    assert shown["masked"] is True
    numbers = [r["id_number"] for r in shown["residents"] if r.get("id_number")]
    phones = [r["phone"] for r in shown["residents"] if r.get("phone")]
    assert numbers and all("********" in n for n in numbers)
    assert phones and all("****" in p for p in phones)
    # nowhere in the file (a visit names its residents by ID number) is a whole number
    assert not re.search(r"(?<![0-9*])\d{17}[0-9X](?![0-9])", text)
    assert not re.search(r"(?<![0-9*])1\d{10}(?![0-9])", text)
    # a masked file is for reading: loading it says why, in one line
    assert main(["fixtures", "load", str(masked), "--db", url_of(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "masked" in err[0] and "--unmasked" in err[0]
    # the full copy needs a reason, which the audit keeps
    assert main(["fixtures", "export", str(full), "--unmasked", "--db", url_of(db)]) == 2
    assert "--reason" in capsys.readouterr().err
    reason = "移交分局备份"
    command = ["fixtures", "export", str(full), "--unmasked", "--reason", reason]
    assert main([*command, "--db", url_of(db)]) == 0
    whole = json.loads(full.read_text(encoding="utf-8"))
    assert "masked" not in whole
    assert sorted(r["id_number"] for r in whole["residents"] if r.get("id_number")) == sorted(
        r.id_number for r in _residents(db) if r.id_number
    )
    with db.read() as session:
        rows = session.exec(
            select(AuditLog).where(col(AuditLog.action) == AuditAction.EXPORT)
        ).all()
    assert [json.loads(row.after or "{}").get("reason") for row in rows] == [None, reason]
    assert [json.loads(row.after or "{}")["unmasked"] for row in rows] == [False, True]


def test_broken_file_exits_1_with_one_line(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"grids": [{"code": "X", "name": "甲", "level": 4}]}', encoding="utf-8")
    assert main(["fixtures", "load", str(path), "--db", url_of(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"policeroom: {path}: grids[0] X: level: a grid is at level 1, 2 or 3 (4)"]


def test_schema_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fixtures", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "FixtureFile"


def test_export_to_a_missing_folder_exits_1(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "folder.json"
    assert main(["fixtures", "export", str(target), "--db", url_of(db)]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_the_installed_program(sqlite_db: Database, tmp_path: Path) -> None:
    env = dict(os.environ, POLICEROOM_DB=url_of(sqlite_db))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PROGRAM), *args], capture_output=True, text=True, env=env, timeout=120
        )

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    failed = run("fixtures", "load", str(broken))
    assert failed.returncode == 1, failed.stderr
    assert failed.stderr.count("\n") == 1 and "not valid JSON" in failed.stderr
    assert residents_in(sqlite_db) == 0
    usage = run("fixtures", "generate", "--scale", "huge")
    assert usage.returncode == 2 and "invalid choice" in usage.stderr
    loaded = run("fixtures", "load", "training")
    assert loaded.returncode == 0, loaded.stderr
    # One bar over every record, named by the section being checked and written.
    assert loaded.stderr == "" and "load: residents " in loaded.stdout
    assert residents_in(sqlite_db) >= 300


def test_generate_small_then_refuse_a_second_time(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    url = url_of(db)
    assert main(["--db", url, "fixtures", "generate", "--scale", "small", "--seed", "7"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("generated scale small, seed 7:") and "2000 resident," in out[-1]
    assert residents_in(db) == 2000
    assert main(["--db", url, "fixtures", "generate", "--scale", "small", "--seed", "7"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "policeroom: generate: the database already holds records (branch); "
        "generate into an empty one"
    ]
    assert residents_in(db) == 2000


def test_plain_progress_keeps_stderr_for_errors() -> None:
    import io

    from policeroom.commands.progress import Progress

    terminal, plain = io.StringIO(), io.StringIO()
    with Progress("generate", terminal=terminal, plain=plain) as progress:
        progress.step("organisation")
        progress.update(40, 40)  # too small a phase to be worth a line
        progress.step("residents")
        for done in range(0, 300_001, 10_000):
            progress.update(done, 300_000)
    lines = plain.getvalue().splitlines()
    assert terminal.getvalue() == ""
    assert lines[0] == "generate: residents 0/300000 (0%)"
    assert lines[-1] == "generate: residents 300000/300000 (100%)"
    assert len(lines) == 11
