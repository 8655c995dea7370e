"""Every file the program writes with personal data leaves an audit row: who, what, how many
records and where to; the audit chain stays valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from policeroom import fixtures
from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, Role
from policeroom.services.core import audit
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.disputes import ledger


def _exports(db: Database) -> list[tuple[str, str, dict[str, object]]]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            sa.select(AuditLog.user_login, AuditLog.table_name, AuditLog.after)
            .where(AuditLog.action == AuditAction.EXPORT)
            .order_by(AuditLog.id)
        ).all()
    return [(who, what, json.loads(after)) for who, what, after in rows]


@pytest.fixture
def loaded(db: Database, clock: Clock) -> ServiceContext:
    ctx = ServiceContext(db, Actor("trainer", Role.TRAINER), clock)
    fixtures.load(ctx, "training")
    return ctx


def test_every_cli_export_is_audited(
    loaded: ServiceContext, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    fixture_file = tmp_path / "all.json"
    ledger_csv, ledger_xlsx, roster_html = (tmp_path / n for n in ("l.csv", "l.xlsx", "r.html"))
    assert main(["--user", "zhaoq", "--db", url, "fixtures", "export", str(fixture_file),
                 "--unmasked", "--reason", "移交分局"]) == 0  # fmt: skip
    assert main(["--user", "zhaoq", "--db", url, "report", "disputes", "--format", "csv",
                 "--output", str(ledger_csv)]) == 0  # fmt: skip
    assert main(["--user", "zhaoq", "--db", url, "report", "disputes", "--format", "xlsx",
                 "--output", str(ledger_xlsx)]) == 0  # fmt: skip
    assert main(["--user", "zhaoq", "--db", url, "report", "roster", "--week", "2026-11-02",
                 "--format", "html", "--output", str(roster_html)]) == 0  # fmt: skip
    figures = tmp_path / "stats.csv"
    assert main(["--user", "zhaoq", "--db", url, "report", "stats", "--by", "room",
                 "--format", "csv", "--output", str(figures)]) == 0  # fmt: skip
    capsys.readouterr()
    found = _exports(db)
    assert [(who, what) for who, what, _ in found] == [
        ("zhaoq", "fixtures"),
        ("zhaoq", "dispute_ledger"),
        ("zhaoq", "dispute_ledger"),
        ("zhaoq", "roster"),
        ("zhaoq", "statistics"),
    ]
    disputes = len(ledger_csv.read_text(encoding="utf-8-sig").splitlines()) - 1
    assert disputes > 0
    assert found[0][2]["to"] == str(fixture_file.resolve())
    assert (found[0][2]["unmasked"], found[0][2]["reason"]) == (True, "移交分局")
    assert [found[1][2]["records"], found[2][2]["records"]] == [disputes, disputes]
    assert found[1][2]["to"] == str(ledger_csv.resolve())
    assert found[3][2]["records"] == 12  # the training set's police rooms
    assert found[4][2]["records"] == len(figures.read_text(encoding="utf-8").splitlines()) - 2
    assert audit.check_chain(loaded).ok


def test_a_ledger_export_to_a_stream_is_audited(loaded: ServiceContext, db: Database) -> None:
    import io

    written = ledger.export_csv(loaded, io.StringIO())
    assert _exports(db) == [
        ("trainer", "dispute_ledger", {"records": written, "to": "StringIO", "unmasked": False})
    ]
