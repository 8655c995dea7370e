"""The paper ledger: CSV (one row per dispute), XLSX with totals, and ``report disputes``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import event
from sqlalchemy.engine import Connection

from policeroom import i18n
from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeStatus,
    MediationCreate,
    MediationMethod,
    MediationResult,
    PartyInput,
    StatusMove,
)
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import ledger, mediation
from policeroom.services.disputes.ledger import DisputeQuery
from tests.unit.dispute_world import DisputeWorld, build_dispute_world
from tests.unit.sessions import transactions
from tests.unit.table_text import starts


@pytest.fixture
def world(db: Database, clock: Clock) -> DisputeWorld:
    world = build_dispute_world(db, clock)
    family = world.register(
        parties=[PartyInput(resident_id=world.zhang), PartyInput(resident_id=world.liu)],
        category=DisputeCategory.MARRIAGE_FAMILY,
        description="离婚后抚养费纠纷",
        reported_on=date(2022, 4, 28),
    )
    mediation.record(
        world.ctx,
        family.id,
        MediationCreate(
            held_on=date(2022, 5, 1),
            place="光明路社区警务室",
            method=MediationMethod.NEGOTIATION,
            mediators="李少卿",
            result=MediationResult.AGREEMENT,
            agreement="每月支付抚养费800元",
        ),
    )
    disputes.move(
        world.ctx,
        family.id,
        StatusMove(to_status=DisputeStatus.RESOLVED, reason="达成协议"),
        family.version + 1,
    )
    world.register(reported_on=date(2022, 3, 2), description="排水沟堵塞，报告人电话13812345678")
    world.register(
        reported_on=date(2022, 4, 2), grid_id=world.base.group2.id, description="宅基地界线"
    )
    return world


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh")
    try:
        yield
    finally:
        i18n.set_language("en")


def _csv(world: DisputeWorld, q: DisputeQuery | None = None) -> list[list[str]]:
    stream = io.StringIO()
    written = ledger.export_csv(world.ctx, stream, q)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert written == len(rows) - 1
    return rows


def test_csv_is_one_row_per_dispute_oldest_first(world: DisputeWorld) -> None:
    header, *rows = _csv(world)
    assert header[:3] == ["No.", "Number", "Reported on"] and len(header) == 15
    assert [row[0] for row in rows] == ["1", "2", "3"]
    # a phone typed into the free text leaves the database masked, as on every export
    assert [row[7] for row in rows] == [
        "排水沟堵塞，报告人电话*******5678",
        "宅基地界线",
        "离婚后抚养费纠纷",
    ]
    family = dict(zip(header, rows[2], strict=True))
    # The paper ledger names each party's role (申请人, 被申请人 …).
    assert family["Parties"] == "张某 (Applicant)、刘某 (Respondent)"
    assert family["Category"] == "Marriage and family"
    assert "李少卿" in family["Mediation"] and "每月支付抚养费800元" in family["Mediation"]
    assert family["Status"] == "Resolved" and family["Resolved on"] == "2022-05-01"
    assert family["Follow-ups"] == "2022-05-08 due；2022-05-31 due"
    assert (family["Officer"], family["Grid"]) == ("王建国", "光明路一组")
    _, *street = _csv(world, DisputeQuery(grid_id=world.base.street.id))
    assert [row[7] for row in street] == ["排水沟堵塞，报告人电话*******5678", "离婚后抚养费纠纷"]
    _, *april = _csv(world, DisputeQuery(date_from=date(2022, 4, 1), date_to=date(2022, 4, 30)))
    assert len(april) == 2


def test_chinese_headers_and_labels(world: DisputeWorld, chinese: None) -> None:
    header, *rows = _csv(world)
    assert header == [
        "序号",
        "编号",
        "登记日期",
        "类别",
        "当事人",
        "所属网格",
        "来源",
        "纠纷简要情况",
        "风险等级",
        "调解情况",
        "状态",
        "化解日期",
        "回访情况",
        "责任民警",
        "包案领导",
    ]
    assert (rows[2][3], rows[2][10]) == ("婚姻家庭", "已化解")


def test_xlsx_has_the_ledger_and_its_totals(world: DisputeWorld, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    with transactions(world.ctx.db) as begun:
        assert ledger.export_xlsx(world.ctx, path) == 3
    assert len(begun) == 2  # one read for the whole ledger, one write for its audit row
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["Ledger", "Totals"]
    rows = list(book["Ledger"].iter_rows(values_only=True))
    assert rows[0][:2] == ("No.", "Number") and [r[0] for r in rows[1:]] == [1, 2, 3]
    sums = {row[0]: row[1] for row in book["Totals"].iter_rows(values_only=True) if row}
    assert (sums["Registered"], sums["Resolved"], sums["Mediating"]) == (2, 1, 0)
    assert (sums["Marriage and family"], sums["Neighbours"], sums["Total"]) == (1, 2, 3)
    summary = ledger.totals(world.ctx, DisputeQuery(grid_id=world.base.street2.id))
    assert summary.total == 1 and dict(summary.by_status)[DisputeStatus.REGISTERED] == 1


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_report_command(
    world: DisputeWorld, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _url(db)
    assert main(["report", "disputes", "--db", url]) == 0
    table = capsys.readouterr().out
    header, *rows, blank, total, by_status, _by_category = table.splitlines()
    headings = ["No.", "Number", "Reported on", "Category", "Parties", "Grid", "Risk", "Status"]
    family = ["3", "JF-2022-0001", "2022-04-28", "Marriage an…", "张某 (Applicant)", "光明路一组"]
    family += ["Low"]
    family += ["Resolved", "2022-05-01"]
    neighbours = [
        "1",
        "JF-2022-0002",
        "2022-03-02",
        "Neighbours",
        "赵大妈 (Applicant)",
        "光明路一组",
    ]
    neighbours += ["Low", "Registered"]
    assert len(rows) == 3 and blank == "" and "\x1b" not in table
    # Each value sits under its heading, Chinese parties and grids or not; long ones are cut.
    assert starts(rows[2], family) == starts(header, [*headings, "Resolved on"])
    assert starts(rows[0], neighbours) == starts(header, headings)
    assert total == "Total: 3" and by_status == "By status: Registered 2; Resolved 1"
    assert main(["report", "disputes", "--db", url, "--format", "csv", "--grid", "XH02"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2 and rows[1][7] == "宅基地界线"
    out = tmp_path / "ledger.csv"
    args = ["report", "disputes", "--db", url, "--format", "csv", "--output", str(out)]
    assert main([*args, "--from", "2022-04-01", "--to", "2022-04-30"]) == 0
    assert "2 disputes written" in capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as stream:
        assert len(list(csv.reader(stream))) == 3
    book = tmp_path / "ledger.xlsx"
    assert main(["report", "disputes", "--db", url, "--format", "xlsx", "--output", str(book)]) == 0
    assert load_workbook(book).sheetnames == ["Ledger", "Totals"]
    capsys.readouterr()


def test_report_table_lines_up_in_chinese(
    world: DisputeWorld, db: Database, chinese: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "disputes", "--db", _url(db), "--lang", "zh"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    headings = ["序号", "编号", "登记日期", "类别", "当事人", "所属网格", "风险等级", "状态"]
    family = ["3", "JF-2022-0001", "2022-04-28", "婚姻家庭", "张某（申请人）", "光明路一组", "低"]
    assert starts(rows[2], [*family, "已化解", "2022-05-01"]) == starts(
        header, [*headings, "化解日期"]
    )


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (["--format", "xlsx"], 2, "--format xlsx needs --output FILE"),
        (["--grid", "NOPE"], 1, "--grid: no grid with code NOPE"),
        (["--from", "2022-13-01"], 1, "--from 2022-13-01"),
        (["--from", "2022-05-01", "--to", "2022-04-01"], 1, "is after --to"),
    ],
)
def test_report_command_refusals(
    sqlite_db: Database,
    extra: list[str],
    code: int,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", "disputes", "--db", _url(sqlite_db), *extra]) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and message in captured.err


def test_rows_and_totals_agree_while_another_desk_registers(
    world: DisputeWorld, db: Database, clock: Clock
) -> None:
    other = Database.open(_url(db))
    desk = ServiceContext(other, world.ctx.actor, clock)
    registered: list[int] = []

    def register_once(_conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        # Between the totals and the rows, another desk registers a dispute.
        if not registered and "GROUP BY" in statement:
            registered.append(world.register(description="刚登记的纠纷", ctx=desk).id)

    event.listen(db.engine, "after_cursor_execute", register_once)
    try:
        with ledger.paper_ledger(world.ctx, DisputeQuery()) as paper:
            rows = list(paper.rows)
    finally:
        event.remove(db.engine, "after_cursor_execute", register_once)
        other.dispose()
    assert registered
    assert len(rows) == paper.totals.total == 3
    assert ledger.totals(world.ctx, DisputeQuery()).total == 4
