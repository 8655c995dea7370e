"""The printed week: aligned text, escaped HTML, an XLSX that opens; the CLI around them."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len

from policeroom import cli
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.roster import LeaveCreate, PostUpdate
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import patterns, roster, shifts
from policeroom.services.duty import printing as roster_print
from tests.unit.roster_org import RosterOrg, build

MAY_2 = date(2022, 5, 2)


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


@pytest.fixture
def org(db: Database, ctx: ServiceContext) -> RosterOrg:
    built = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, None, MAY_2 - timedelta(days=1), MAY_2 + timedelta(days=6))
    # A gap on Tuesday, and a name that must be escaped in HTML.
    shifts.add_leave(
        ctx,
        LeaveCreate(
            staff_id=built.staff["陈静"], starts_on=date(2022, 5, 3), ends_on=date(2022, 5, 3)
        ),
    )
    guard = next(p for p in patterns.posts(ctx, built.east) if p.id == built.guard)
    patterns.update_post(ctx, guard.id, PostUpdate(name="<东关小学>护学岗"), guard.version)
    return built


def _table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and line[0] in "+|"]


def test_text_columns_line_up_by_display_width(ctx: ServiceContext, org: RosterOrg) -> None:
    view = roster.week(ctx, org.east, MAY_2)
    text = roster_print.text([view])
    lines = _table_lines(text)
    assert len({cell_len(line) for line in lines}) == 1
    # Chinese takes two columns each: len() would not line up.
    assert len({len(line) for line in lines}) > 1
    assert "东关社区警务室" in text.splitlines()[0]
    assert "张伟" in text and "欧阳明" not in text
    assert "! 08-20 auxiliary police×1" in text

    # Column borders sit at the same display column on every line.
    def borders(line: str) -> list[int]:
        return [cell_len(line[:i]) for i, ch in enumerate(line) if ch in "|+"]

    assert len({tuple(borders(line)) for line in lines}) == 1
    people = roster_print.text([roster.week(ctx, org.east, MAY_2, by="staff")])
    assert len({cell_len(line) for line in _table_lines(people)}) == 1
    assert "on leave" in people


def test_a_room_without_posts_prints_its_days_and_says_so(
    ctx: ServiceContext, org: RosterOrg
) -> None:
    view = replace(roster.week(ctx, org.east, MAY_2), rows=[], findings=[])
    lines = roster_print.text([view]).splitlines()
    rule = lines[2]
    assert lines[2:] == [rule, lines[3], rule, "no posts"]
    assert lines[3].split(" | ")[1:3] == ["Mon 5/2", "Tue 5/3"]


def test_html_is_a_standalone_escaped_page(ctx: ServiceContext, org: RosterOrg) -> None:
    views = [roster.week(ctx, room.id, MAY_2) for room in roster.police_rooms(ctx)]
    page = roster_print.html_page(views)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "&lt;东关小学&gt;护学岗" in page and "<东关小学>" not in page
    assert page.count("<section>") == 2
    assert 'class="gap"' in page


def test_xlsx_opens_with_one_sheet_per_room(ctx: ServiceContext, org: RosterOrg) -> None:
    views = [roster.week(ctx, room.id, MAY_2) for room in roster.police_rooms(ctx)]
    buffer = io.BytesIO()
    roster_print.xlsx(views, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["JWS01", "JWS02"]
    sheet = book["JWS01"]
    assert sheet["B3"].value == "Mon 5/2"
    assert sheet["A4"].value.startswith("值班台")
    assert "张伟" in sheet["B4"].value
    assert sheet["C4"].fill.start_color.rgb.endswith("FFDDDD")


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_cli_prints_every_room_to_stdout(
    db: Database, org: RosterOrg, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["report", "roster", "--db", _url(db), "--week", "2022-05-04"]) == 0
    out = capsys.readouterr().out
    assert "东关社区警务室" in out and "西街社区警务室" in out
    assert out.index("东关社区警务室") < out.index("西街社区警务室")
    assert (
        cli.main(["report", "roster", "--db", _url(db), "--week", "2022-05-04", "--room", "JWS02"])
        == 0
    )
    out = capsys.readouterr().out
    assert "西街社区警务室" in out and "东关社区警务室" not in out


def test_cli_writes_html_and_xlsx_files(
    db: Database, org: RosterOrg, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "roster.html"
    book = tmp_path / "roster.xlsx"
    base = ["report", "roster", "--db", _url(db), "--week", "2022-05-02", "--room", "JWS01"]
    assert cli.main([*base, "--format", "html", "--output", str(page)]) == 0
    assert "&lt;东关小学&gt;" in page.read_text(encoding="utf-8")
    assert cli.main([*base, "--format", "xlsx", "--output", str(book)]) == 0
    assert load_workbook(book).sheetnames == ["JWS01"]
    assert capsys.readouterr().out == ""


def test_cli_errors_exit_with_one_line(
    db: Database, org: RosterOrg, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["report", "roster", "--db", _url(db)]
    assert cli.main([*base, "--week", "2022-05-02", "--format", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err
    assert cli.main([*base, "--week", "2022-05-02", "--room", "JWS99"]) == 1
    err = capsys.readouterr().err
    assert "JWS99" in err and err.count("\n") == 1
    assert cli.main([*base, "--week", "2022-02-30"]) == 1
    err = capsys.readouterr().err
    assert "2022-02-30" in err and err.count("\n") == 1
    missing_dir = tmp_path / "no" / "such" / "dir" / "r.html"
    assert (
        cli.main([*base, "--week", "2022-05-02", "--format", "html", "--output", str(missing_dir)])
        == 1
    )
    assert capsys.readouterr().err.count("\n") == 1
    with pytest.raises(SystemExit) as usage:
        cli.main(["report", "roster", "--db", _url(db)])
    assert usage.value.code == 2
