"""The audit log's hash chain: verify, tampering found at the first broken row, two writers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, Role
from policeroom.services.core import audit
from policeroom.services.core.context import Actor, ServiceContext


def _write_rows(ctx: ServiceContext, count: int) -> None:
    for number in range(count):
        with ctx.transaction() as session:
            audit.record(session, ctx, AuditAction.UPDATE, "resident", number, {"a": 1}, {"a": 2})


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    context = ServiceContext(db, Actor("wangjg", Role.DESK), clock)
    _write_rows(context, 5)
    return context


def _ids(db: Database) -> list[int]:
    with db.engine.connect() as connection:
        return list(connection.execute(sa.text("SELECT id FROM audit_log ORDER BY id")).scalars())


def _run(db: Database, sql: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(sa.text(sql))


def test_a_clean_chain_verifies(ctx: ServiceContext) -> None:
    result = audit.check_chain(ctx)
    assert (result.ok, result.rows) == (True, 5)


def test_a_changed_row_is_named(ctx: ServiceContext, db: Database) -> None:
    third = _ids(db)[2]
    _run(db, f"UPDATE audit_log SET after = '{{}}' WHERE id = {third}")
    result = audit.check_chain(ctx)
    assert (result.broken_id, result.reason) == (
        third,
        "its values were changed after it was written",
    )


def test_a_deleted_row_breaks_the_next(ctx: ServiceContext, db: Database) -> None:
    ids = _ids(db)
    _run(db, f"DELETE FROM audit_log WHERE id = {ids[1]}")
    result = audit.check_chain(ctx)
    assert result.broken_id == ids[2]
    assert "deleted or inserted" in result.reason


def test_deleting_the_newest_rows_is_found(ctx: ServiceContext, db: Database) -> None:
    ids = _ids(db)
    _run(db, f"DELETE FROM audit_log WHERE id >= {ids[3]}")
    result = audit.check_chain(ctx)
    assert result.broken_id == ids[4]
    assert "deleted from the end" in result.reason


def test_a_row_inserted_out_of_chain_is_named(ctx: ServiceContext, db: Database) -> None:
    last = _ids(db)[-1]
    # A copy of a genuine row, hashes and all, appended behind the program's back.
    _run(
        db,
        "INSERT INTO audit_log (id, at, user_login, action, table_name, record_id, field,"
        " before, after, prev_hash, row_hash) SELECT id + 100, at, user_login, action,"
        f" table_name, record_id, field, before, after, prev_hash, row_hash FROM audit_log"
        f" WHERE id = {last}",
    )
    result = audit.check_chain(ctx)
    assert result.broken_id == last + 100


def test_verify_command_exits_1_and_names_the_row(
    ctx: ServiceContext, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "audit", "verify"]) == 0
    assert "ok (5 rows)" in capsys.readouterr().out
    first = _ids(db)[0]
    _run(db, f"UPDATE audit_log SET user_login = 'nobody' WHERE id = {first}")
    assert main(["--db", url, "audit", "verify"]) == 1
    assert f"BROKEN at row {first}" in capsys.readouterr().err


def test_export_command_writes_csv_and_is_audited(
    ctx: ServiceContext, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    target = tmp_path / "audit.csv"
    assert main(["--db", url, "audit", "export", "--user", "wangjg", "--output", str(target)]) == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,at,user_login,action")
    assert len(lines) == 1 + 5
    assert main(["--db", url, "audit", "export", "--user", "nobody", "--output", str(target)]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1
    with db.engine.connect() as connection:
        exports = connection.execute(
            sa.select(AuditLog.table_name, AuditLog.after).where(
                AuditLog.action == AuditAction.EXPORT
            )
        ).all()
    assert [name for name, _ in exports] == ["audit_log", "audit_log"]
    assert '"records": 5' in exports[0][1]
    assert audit.check_chain(ctx).ok


_WRITER = textwrap.dedent(
    """
    import sys
    from policeroom.db import Database
    from policeroom.models.audit import AuditAction, Role
    from policeroom.services.core import audit
    from policeroom.services.core.context import Actor, ServiceContext

    url, login, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    database = Database.open(url)
    ctx = ServiceContext(database, Actor(login, Role.DESK))
    print("ready", flush=True)
    sys.stdin.readline()
    for number in range(count):
        with ctx.transaction() as session:
            audit.record(session, ctx, AuditAction.UPDATE, "resident", number, {}, {"n": number})
    database.dispose()
    """
)


def test_two_writer_processes_form_one_chain(ctx: ServiceContext, db: Database) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    count = 150
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, url, login, str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for login in ("desk-a", "desk-b")
    ]
    for writer in writers:  # both connected and waiting: then both start at once
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.close()
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    result = audit.check_chain(ctx)
    assert (result.ok, result.reason, result.rows) == (True, "", 5 + 2 * count)


def test_the_migration_chains_rows_written_before_it(db: Database, clock: Clock) -> None:
    from alembic import command

    from policeroom.db import alembic_config, upgrade

    command.downgrade(alembic_config(db.engine), "0001")
    with db.engine.begin() as connection:
        for number in range(3):
            connection.execute(
                sa.text(
                    "INSERT INTO audit_log (at, user_login, action, table_name, record_id,"
                    " field, before, after) VALUES (:at, 'old', 'update', 'resident', :n, '',"
                    " '{}', '{\"名\": \"王\"}')"
                ),
                {"at": clock.now(), "n": number},
            )
    upgrade(db.engine)
    ctx = ServiceContext(db, Actor("wangjg", Role.DESK), clock)
    _write_rows(ctx, 2)
    result = audit.check_chain(ctx)
    assert (result.ok, result.rows) == (True, 5)
