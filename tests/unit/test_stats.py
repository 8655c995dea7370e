"""Headquarters statistics on the training data, on SQLite and PostgreSQL: every level adds up
to the level above and to ``report summary``; the CLI prints the service's figures."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from sqlalchemy import event

from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.models.org import Grid, PoliceRoom
from policeroom.services.core import scope
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import NotFound, ValidationError
from policeroom.services.duty import response
from policeroom.services.reports import stats, stats_series
from policeroom.services.reports.stats import StatsRow
from policeroom.services.reports.stats_counts import FIGURES, PERIOD_FIGURES, sweep_weeks
from policeroom.services.reports.summary import summary
from tests.templates import load_training

YEAR = (date(2022, 1, 1), date(2022, 12, 31))
SPRING = (date(2022, 3, 1), date(2022, 5, 31))


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return load_training(ServiceContext(db, clock=clock))


def _sum(rows: tuple[StatsRow, ...] | list[StatsRow]) -> dict[str, int]:
    total: dict[str, int] = {}
    for row in rows:
        for name in FIGURES:
            total[name] = total.get(name, 0) + row.get(name)
    return total


def _figures(row: StatsRow) -> dict[str, int]:
    return {name: row.get(name) for name in FIGURES}


def _as_summary(figures: dict[str, int]) -> dict[str, Any]:
    return {
        "residents": figures["residents"],
        "households": figures["households"],
        "visits": figures["visits"],
        "residents_visited": figures["residents_visited"],
        "anti_fraud_installs": figures["anti_fraud_installs"],
        "disputes_total": figures["disputes_registered"],
        "disputes_resolved": figures["disputes_resolved"],
        "early_warnings": figures["early_warnings"],
    }


def _summary(ctx: ServiceContext, period: tuple[date, date], grid: str | None = None) -> Any:
    found = summary(ctx, grid, *period)
    return {
        "residents": found["residents"],
        "households": found["households"],
        "visits": found["visits"],
        "residents_visited": found["residents_visited"],
        "anti_fraud_installs": found["anti_fraud_installs"],
        "disputes_total": found["disputes"]["total"],
        "disputes_resolved": found["disputes"]["resolved"],
        "early_warnings": found["early_warnings"],
    }


@pytest.mark.parametrize("period", [YEAR, SPRING])
def test_every_level_adds_up_to_the_summary(ctx: ServiceContext, period: tuple[date, date]) -> None:
    reports = {level: stats.stats(ctx, level, *period) for level in stats.LEVELS}
    totals = {level: _figures(report.total) for level, report in reports.items()}
    assert totals["station"] == totals["room"] == totals["grid"]
    for report in reports.values():
        assert _sum(report.rows) == _figures(report.total)
    assert _as_summary(totals["station"]) == _summary(ctx, period)
    # Not a vacuous sum: the training data has something in every family.
    assert all(totals["station"][name] > 0 for name in FIGURES)


def test_rooms_add_up_to_their_station_and_grids_to_their_room(ctx: ServiceContext) -> None:
    stations = stats.stats(ctx, "station", *YEAR)
    for station in stations.rows:
        rooms = stats.stats(ctx, "room", *YEAR, station_id=station.id)
        assert rooms.rows, station.code
        assert _figures(rooms.total) == _figures(station)
        assert rooms.total.targets == station.targets
        for room in rooms.rows:
            grids = stats.stats(ctx, "grid", *YEAR, room_id=room.id)
            assert _figures(grids.total) == _figures(room), room.code
            assert grids.total.targets == room.targets


def test_a_grid_drills_down_to_its_children_and_matches_its_summary(ctx: ServiceContext) -> None:
    villages = stats.stats(ctx, "grid", *YEAR)
    village = next(row for row in villages.rows if row.kind == "grid" and row.has_children)
    children = stats.stats(ctx, "grid", *YEAR, grid_code=village.code)
    assert children.parent == village.code
    assert len(children.rows) > 1
    assert _figures(children.total) == _figures(village)
    on_grids = _summary(ctx, YEAR, village.code)
    mine = _as_summary(_figures(village))
    for name in ("residents", "households", "visits", "anti_fraud_installs", "disputes_total"):
        assert mine[name] == on_grids[name], name


def test_a_grid_keeps_the_rooms_and_stations_to_its_subtree(ctx: ServiceContext) -> None:
    villages = stats.stats(ctx, "grid", *YEAR)
    village = next(row for row in villages.rows if row.kind == "grid")
    rooms = stats.stats(ctx, "room", *YEAR, grid_code=village.code)
    assert len(rooms.rows) == 1
    assert rooms.total.get("residents") == village.get("residents")
    assert rooms.total.get("disputes_registered") == village.get("disputes_registered")


def test_the_previous_period_is_the_one_before(ctx: ServiceContext) -> None:
    now = stats.stats(ctx, "room", *SPRING)
    assert (now.previous_from, now.previous_to) == (date(2021, 11, 29), date(2022, 2, 28))
    before = stats.stats(ctx, "room", now.previous_from, now.previous_to)
    for row, earlier in zip(now.rows, before.rows, strict=True):
        for name in PERIOD_FIGURES:
            assert row.previous.get(name, 0) == earlier.get(name)
            assert row.change(name) == row.get(name) - earlier.get(name)
        assert row.change("residents") is None


def test_calls_in_time_agree_with_the_response_log(ctx: ServiceContext) -> None:
    total = stats.stats(ctx, "station", *YEAR).total
    tiers = response.compliance(ctx, None, *YEAR)
    assert total.get("arrivals") == sum(tier.dispatched for tier in tiers)
    assert total.get("arrivals_met") == sum(tier.within for tier in tiers)
    series = stats_series.series(ctx, *YEAR)
    assert [(t.sent, t.met) for t in series.tiers] == [(t.dispatched, t.within) for t in tiers]


def test_missing_sweeps_count_the_weeks_not_confirmed(ctx: ServiceContext) -> None:
    report = stats.stats(ctx, "room", *YEAR)
    weeks = len(sweep_weeks(*YEAR, ctx.clock.today()))
    assert weeks > 4  # the frozen today lies well into 2022
    for row in report.rows:
        assert 0 < row.get("missing_sweeps") <= weeks
    # Training rooms confirmed some weeks: not every week is missing everywhere.
    assert report.total.get("missing_sweeps") < weeks * len(report.rows)


def test_targets_count_in_proportion_to_the_days_shared(ctx: ServiceContext) -> None:
    year = stats.stats(ctx, "grid", *YEAR)
    assert year.total.targets["anti_fraud_installs"] > 0
    half = stats.stats(ctx, "grid", date(2022, 1, 1), date(2022, 6, 30))
    for whole, part in zip(year.rows, half.rows, strict=True):
        for name, value in part.targets.items():
            assert value <= whole.targets[name]
    row = next(row for row in year.rows if row.targets.get("visits"))
    assert row.progress("visits") == row.get("visits") / row.targets["visits"]


def test_ranking_orders_rooms_by_any_column(ctx: ServiceContext) -> None:
    rows = stats.stats(ctx, "room", *YEAR).rows
    ranked = stats.ranking(rows, "anti_fraud_installs")
    values = [row.get("anti_fraud_installs") for row in ranked]
    assert values == sorted(values, reverse=True) and values[0] > values[-1]
    shares = [row.sort_value("share_met") for row in stats.ranking(rows, "share_met", False)]
    assert shares == sorted(shares)
    with pytest.raises(ValidationError):
        stats.ranking(rows, "nonsense")


def test_series_add_up_to_the_report(ctx: ServiceContext) -> None:
    total = stats.stats(ctx, "station", *YEAR).total
    series = stats_series.series(ctx, *YEAR)
    assert [month.month.month for month in series.months] == list(range(1, 13))
    assert sum(month.total for month in series.months) == total.get("disputes_registered")
    assert sum(week.installs for week in series.weeks) == total.get("anti_fraud_installs")
    targets = stats.targets_of(ctx, *YEAR)["anti_fraud_installs"]
    assert abs(sum(week.target for week in series.weeks) - targets) <= len(series.weeks)


def test_wrong_period_and_grid(ctx: ServiceContext) -> None:
    with pytest.raises(ValidationError):
        stats.stats(ctx, "room", date(2022, 2, 1), date(2022, 1, 1))
    with pytest.raises(NotFound):
        stats.stats(ctx, "grid", *YEAR, grid_code="NOPE")


def _cli(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    url = db.engine.url.render_as_string(hide_password=False)
    code = main(["report", "stats", "--db", url, *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_cli_prints_the_services_figures(
    ctx: ServiceContext, db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    period = ["--from", "2022-01-01", "--to", "2022-12-31"]
    live = ServiceContext(db)  # the command's own clock: warnings and sweeps count to today
    for level in stats.LEVELS:
        report = stats.stats(live, level, *YEAR)
        found = json.loads(_cli(db, capsys, "--by", level, "--format", "json", *period))
        assert [row["figures"] for row in found["rows"]] == [_figures(r) for r in report.rows]
        assert found["total"]["figures"] == _figures(report.total)
    rows = list(
        csv.reader(io.StringIO(_cli(db, capsys, "--by", "station", *period, "--format", "csv")))
    )
    assert rows[-1][0] == "Total"
    assert int(rows[-1][2]) == report.total.get("residents")
    table = _cli(db, capsys, "--by", "room", *period)
    assert "Total" in table and "345" in table
    output = tmp_path / "stats.xlsx"
    _cli(db, capsys, *period, "--format", "xlsx", "--output", str(output))
    book = load_workbook(output)
    assert book.sheetnames == ["Stations", "Police rooms", "Grids", "Charts"]
    assert book["Police rooms"].max_row == len(stats.stats(ctx, "room", *YEAR).rows) + 2
    with zipfile.ZipFile(output) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 3


def test_a_desk_officer_counts_their_room_and_a_supervisor_their_station(
    ctx: ServiceContext,
) -> None:
    """Scope is the service's: a limited actor's report has their rooms' rows and figures."""
    everyone = stats.stats(ctx, "room", *YEAR)
    desk = ctx.as_actor(Actor("desk.r0102", Role.DESK, police_room_id=2))
    own = stats.stats(desk, "room", *YEAR)
    assert [row.id for row in own.rows] == [2]
    room = next(row for row in everyone.rows if row.id == 2)
    assert _figures(own.rows[0]) == _figures(room)
    assert own.total.get("residents") == room.get("residents") < everyone.total.get("residents")
    assert [row.kind for row in stats.stats(desk, "station", *YEAR).rows] == ["station"]
    other = next(row.id for row in everyone.rows if row.id not in (None, 2))
    with pytest.raises(NotFound):
        stats.stats(desk, "grid", *YEAR, room_id=other)

    boss = ctx.as_actor(Actor("lishaoqing", Role.SUPERVISOR, police_room_id=2))
    station_rooms = stats.stats(boss, "room", *YEAR).rows
    assert 2 in {row.id for row in station_rooms}
    assert len(station_rooms) < len([row for row in everyone.rows if row.kind == "room"])
    assert all(row.kind == "room" for row in station_rooms)


def test_a_desk_officers_charts_and_targets_are_their_rooms(ctx: ServiceContext) -> None:
    """The charts' series and the targets keep to the actor's rooms, as the table does."""
    desk = ctx.as_actor(Actor("desk.r0102", Role.DESK, police_room_id=2))
    own = stats.stats(desk, "station", *YEAR).total
    series = stats_series.series(desk, *YEAR)
    everyone = stats_series.series(ctx, *YEAR)
    registered = sum(month.total for month in series.months)
    assert registered == own.get("disputes_registered")
    assert registered < sum(month.total for month in everyone.months)
    assert sum(week.installs for week in series.weeks) == own.get("anti_fraud_installs")
    assert sum(t.sent for t in series.tiers) <= sum(t.sent for t in everyone.tiers)
    targets = stats.targets_of(desk, *YEAR)["anti_fraud_installs"]
    assert 0 < targets < stats.targets_of(ctx, *YEAR)["anti_fraud_installs"]
    assert abs(sum(week.target for week in series.weeks) - targets) <= len(series.weeks)


def test_charts_of_a_station_and_of_a_room_are_their_rows(ctx: ServiceContext) -> None:
    """The charts follow the statistics screen down its levels: a station's, a room's."""
    stations = stats.stats(ctx, "station", *YEAR).rows
    station = next(row for row in stations if row.kind == "station")
    shown = stats_series.series(ctx, *YEAR, station_id=station.id)
    assert sum(m.total for m in shown.months) == station.get("disputes_registered")
    assert sum(w.installs for w in shown.weeks) == station.get("anti_fraud_installs")
    rooms = stats.stats(ctx, "room", *YEAR, station_id=station.id).rows
    room = max((r for r in rooms if r.kind == "room"), key=lambda r: r.get("disputes_registered"))
    mine = stats_series.series(ctx, *YEAR, room_id=room.id)
    assert sum(m.total for m in mine.months) == room.get("disputes_registered") > 0
    assert sum(w.installs for w in mine.weeks) == room.get("anti_fraud_installs")
    room_target = stats.targets_of(ctx, *YEAR, room_id=room.id)["anti_fraud_installs"]
    assert 0 < room_target < stats.targets_of(ctx, *YEAR)["anti_fraud_installs"]


@contextmanager
def _rows_read(db: Database) -> Iterator[list[tuple[str, int]]]:
    """Each statement run on ``db`` inside the block, with how many rows it returns (run
    again afterwards on a connection of its own: the driver's cursor says nothing before
    its rows are fetched)."""
    run: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            run.append((statement, parameters))

    found: list[tuple[str, int]] = []
    event.listen(db.engine, "after_cursor_execute", seen)
    try:
        yield found
    finally:
        event.remove(db.engine, "after_cursor_execute", seen)
    with db.engine.connect() as connection:
        for statement, parameters in run:
            rows = connection.exec_driver_sql(statement, parameters).fetchall()
            found.append((statement, len(rows)))


def test_the_first_screen_reads_rows_per_room_not_per_grid(ctx: ServiceContext) -> None:
    """The first screen's counts are summed per police room in SQL, and a drill-down reads
    its room's grids only: no query returns a row per grid of the branch (55 grids, 12
    rooms in the training data; targets are read as they are, a few per room)."""
    with ctx.read() as session:
        rooms = session.scalar(sa.select(sa.func.count()).select_from(PoliceRoom))
        grid_count = session.scalar(sa.select(sa.func.count()).select_from(Grid))
    assert rooms is not None and grid_count is not None and grid_count > 3 * rooms
    with _rows_read(ctx.db) as found:
        read = stats.snapshot(ctx, *YEAR)
        shown = stats.rows_of(read, "room")
    assert len(shown.rows) == rooms
    for statement, count in found:
        if "FROM target" not in statement:
            assert count <= rooms + 1, statement

    room = max(shown.rows, key=lambda row: row.get("residents"))
    assert room.id is not None
    with ctx.read() as session:
        owned = len(session.scalars(scope.grids_of_rooms(sa.select(sa.literal(room.id)))).all())
    with _rows_read(ctx.db) as found:
        grids = stats.rows_of(read, "grid", room_id=room.id)
    assert grids.rows and found
    for statement, count in found:
        assert count <= owned, (statement, count, owned)
    # read once: ranking and going back ask the database nothing
    with _rows_read(ctx.db) as found:
        stats.rows_of(read, "grid", room_id=room.id)
        stats.rows_of(read, "room")
    assert found == []
