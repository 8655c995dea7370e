"""The summary report, checked against figures counted straight from the training files."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from rich.cells import cell_len

from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.commands.report_summary import table
from policeroom.db import Database
from policeroom.formatting import plain_text
from policeroom.models.disputes import DisputeStatus, RiskGrade
from policeroom.resources import fixtures_dir
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound, ValidationError
from policeroom.services.disputes import ledger, warnings
from policeroom.services.disputes.ledger import DisputeQuery
from policeroom.services.org import grids
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentQuery
from policeroom.services.reports.summary import summary
from tests.templates import load_training
from tests.unit.sessions import transactions


def training(name: str) -> dict[str, Any]:
    path = fixtures_dir() / "training" / name
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


ORG, PEOPLE = training("10-org.json"), training("20-people.json")
LEDGER, ROSTER = training("30-disputes.json"), training("40-roster.json")


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return load_training(ServiceContext(db, clock=clock))


def expected(prefix: str = "", first: str = "", last: str = "9999") -> dict[str, Any]:
    """The report's figures counted from the files: grid codes nest by prefix there."""

    def inside(code: str | None) -> bool:
        return code is not None and code.startswith(prefix)

    def within(day: str | None) -> bool:
        return day is not None and first <= day[:10] <= last

    residents = [r for r in PEOPLE["residents"] if inside(r["grid"])]
    visits = [v for v in PEOPLE["visits"] if inside(v.get("grid") or by_number[v["residents"][0]])]
    visits = [v for v in visits if within(v["visit_date"])]
    disputes = [d for d in LEDGER["disputes"] if inside(d["grid"]) and within(d["reported_on"])]
    return {
        "grids": {
            str(level): sum(1 for g in ORG["grids"] if g["level"] == level and inside(g["code"]))
            for level in (1, 2, 3)
        },
        "residents": len(residents),
        "households": sum(1 for h in PEOPLE["households"] if inside(h["grid"])),
        "anti_fraud_installs": sum(
            1 for r in residents if "anti_fraud" in r and within(r["anti_fraud"]["on"])
        ),
        "visits": len(visits),
        "residents_visited": len({key for v in visits for key in v["residents"]}),
        "disputes_total": len(disputes),
        "resolved": sum(1 for d in disputes if d["status"] == "resolved"),
        "mediating": sum(1 for d in disputes if d["status"] == "mediating"),
    }


by_number = {r["id_number"]: r["grid"] for r in PEOPLE["residents"]}


def check(report: dict[str, Any], wanted: dict[str, Any]) -> None:
    assert report["grids"] == wanted["grids"]
    for key in ("residents", "households", "anti_fraud_installs", "visits", "residents_visited"):
        assert report[key] == wanted[key], key
    assert report["disputes"]["total"] == wanted["disputes_total"]
    assert report["disputes"]["resolved"] == wanted["resolved"]
    assert report["disputes"]["by_status"]["mediating"] == wanted["mediating"]
    assert sum(report["disputes"]["by_risk"].values()) == wanted["disputes_total"]


def test_whole_branch(ctx: ServiceContext) -> None:
    with transactions(ctx.db) as begun:
        report = summary(ctx)
    assert len(begun) == 1
    check(report, expected())
    assert report["police_rooms"] == len(ORG["police_rooms"])
    assert report["staff"] == len(ORG["staff"])
    assert report["shifts"] == len(ROSTER["shifts"])
    assert report["early_warnings"] == warnings.count(ctx) > 0
    assert report["disputes"]["open"] == sum(
        report["disputes"]["by_status"][s] for s in ("registered", "investigating", "mediating")
    )


def test_one_grid_rolls_up_its_subtree(ctx: ServiceContext) -> None:
    report = summary(ctx, grid_code="WD01")
    check(report, expected("WD01"))
    assert report["police_rooms"] == 3
    assert report["residents"] < summary(ctx)["residents"]
    block = summary(ctx, grid_code="WD010201")
    check(block, expected("WD010201"))
    assert block["police_rooms"] == 1 and block["grids"] == {"1": 0, "2": 0, "3": 1}


def test_a_period_limits_what_happened_in_it(ctx: ServiceContext) -> None:
    report = summary(ctx, date_from=date(2022, 4, 1), date_to=date(2022, 4, 30))
    check(report, expected(first="2022-04-01", last="2022-04-30"))
    assert report["from"] == "2022-04-01" and report["to"] == "2022-04-30"
    assert 0 < report["shifts"] < len(ROSTER["shifts"])
    assert report["residents"] == len(PEOPLE["residents"])


def test_wrong_grid_or_period_is_refused(ctx: ServiceContext) -> None:
    with pytest.raises(NotFound):
        summary(ctx, grid_code="NOPE")
    with pytest.raises(ValidationError):
        summary(ctx, date_from=date(2022, 5, 1), date_to=date(2022, 4, 1))


def test_empty_database_reports_zeros(db: Database) -> None:
    report = summary(ServiceContext(db))
    assert report["residents"] == 0 and report["disputes"]["total"] == 0
    assert report["grids"] == {"1": 0, "2": 0, "3": 0}


# --- the command --------------------------------------------------------------------------


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_json_and_csv_formats(ctx: ServiceContext, capsys: pytest.CaptureFixture[str]) -> None:
    url = url_of(ctx.db)
    assert main(["report", "summary", "--format", "json", "--grid", "WD02", "--db", url]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["grid"] == "WD02" and report["residents"] == expected("WD02")["residents"]
    assert main(["report", "summary", "--format", "csv", "--db", url]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["key", "value"]
    assert ["disputes.by_status.resolved", str(expected()["resolved"])] in rows
    assert ["grids.3", str(expected()["grids"]["3"])] in rows


def test_table_lines_up_in_chinese(ctx: ServiceContext) -> None:
    from policeroom import i18n

    report = summary(ctx)
    i18n.set_language("zh")
    try:
        text = plain_text(table(report))
    finally:
        i18n.set_language("en")
    lines = text.splitlines()
    assert lines[0].startswith("警务室") and lines[1] == "网格"
    assert lines[2].startswith("  一级（街道/乡镇）") and lines[2].endswith(
        f" {report['grids']['1']}"
    )
    residents = next(line for line in lines if line.startswith("居民 "))
    assert residents.endswith(f" {report['residents']:,}")
    # Figures are right-aligned on one display column though the labels are hanzi.
    figures = [line for line in lines if line[-1].isdigit()]
    assert len(figures) > 10 and len({cell_len(line) for line in figures}) == 1
    assert all(line == line.rstrip() and "\x1b" not in line for line in lines)


def test_table_command_prints_labels_and_figures(
    ctx: ServiceContext, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "summary", "--db", url_of(ctx.db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    residents = next(line for line in lines if line.startswith("Residents "))
    assert residents.split() == ["Residents", str(summary(ctx)["residents"])]
    assert "  level 3 (group/block)" in lines[lines.index("Grids") + 3]
    big = plain_text(table({"residents": 12000, "grids": {"3": 1234567}})).splitlines()
    assert [line.split() for line in big] == [
        ["Residents", "12,000"],
        ["Grids"],
        ["level", "3", "(group/block)", "1,234,567"],
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2022-02-30"], "policeroom: --from 2022-02-30: "),
        (["--to", "soon"], "policeroom: --to soon: "),
        (["--grid", "NOPE"], "policeroom: --grid NOPE: no grid with code NOPE"),
        (["--from", "2022-05-01", "--to", "2022-04-01"], "policeroom: --to 2022-04-01: "),
    ],
)
def test_bad_options_exit_1_with_one_line(
    db: Database, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["report", "summary", *args, "--db", url_of(db)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(message), err


@pytest.mark.parametrize(
    ("grid_code", "date_from", "date_to"),
    [(None, None, None), ("WD01", None, None), (None, date(2022, 4, 1), date(2022, 4, 30))],
)
def test_summary_counts_match_the_ledger(
    ctx: ServiceContext, grid_code: str | None, date_from: date | None, date_to: date | None
) -> None:
    """What headquarters reads in the summary is what the ledger lists and exports."""
    grid_id = None
    if grid_code is not None:
        grid_id = next(g.id for g in grids.find(ctx, grid_code, 5) if g.code == grid_code)
    report = summary(ctx, grid_code=grid_code, date_from=date_from, date_to=date_to)["disputes"]
    q = DisputeQuery(grid_id=grid_id, date_from=date_from, date_to=date_to)
    listed = ledger.totals(ctx, q)
    assert report["total"] == listed.total == ledger.count(ctx, q) > 0
    assert report["by_status"] == {status.value: n for status, n in listed.by_status}
    for status in DisputeStatus:
        assert ledger.count(ctx, replace(q, status=status)) == report["by_status"][status.value]
    for risk in RiskGrade:
        assert ledger.count(ctx, replace(q, risk=risk)) == report["by_risk"][risk.value]


def test_archived_residents_leave_the_branch_counts(ctx: ServiceContext) -> None:
    # The branch's residents are counted as all less the archived ones, and its installs a
    # grid at a time: archiving one who installed the app takes one from each.
    before = summary(ctx)
    installed = next(
        row for row in residents.window(ctx, ResidentQuery(), 0, 500) if row.anti_fraud_installed
    )
    residents.archive(ctx, installed.id, expected_version=installed.version)
    after = summary(ctx)
    assert after["residents"] == before["residents"] - 1 == len(PEOPLE["residents"]) - 1
    assert after["anti_fraud_installs"] == before["anti_fraud_installs"] - 1
