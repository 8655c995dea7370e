"""The lists behind the statistics figures no desk pane shows (visits, 1-3-5 calls and
arrivals, weekly sweeps), on the training data, on SQLite and PostgreSQL: for every row of
every level the list holds as many records as the figure counts, read a window at a time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.disputes import sweeps
from policeroom.services.reports import figure_lists, stats
from policeroom.services.reports.figure_lists import Unit
from policeroom.services.reports.stats import StatsRow
from policeroom.services.reports.stats_counts import sweep_weeks
from tests.templates import load_training

HQ = Actor("hq.mulei", Role.HQ)
YEAR = (date(2022, 1, 1), date(2022, 5, 1))
QUARTER = (date(2022, 4, 1), date(2022, 5, 1))
# calls and visits lie on either side of these days: a list that ignores an end shows more
DAYS = (date(2022, 4, 19), date(2022, 4, 28))


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return load_training(ServiceContext(db, clock=clock))


def _units(read: stats.StatsSnapshot) -> list[tuple[Unit, StatsRow]]:
    """Every station, room and grid row, and each room's own remainder, with its unit."""
    found: list[tuple[Unit, StatsRow]] = []
    for row in stats.rows_of(read, "station").rows:
        if row.kind == "station" and row.id is not None:
            found.append((Unit("station", row.id), row))
    for room in stats.rows_of(read, "room").rows:
        if room.kind != "room" or room.id is None:
            continue
        found.append((Unit("room", room.id), room))
        for row in stats.rows_of(read, "grid", room_id=room.id).rows:
            if row.kind == "grid" and row.id is not None:
                found.append((Unit("grid", row.id), row))
            elif row.kind == "room_itself":
                found.append((Unit("room_itself", room.id), row))
    return found


def _paged(window, total: int) -> list[object]:  # type: ignore[no-untyped-def]
    """Every row of a list, read three at a time as the paged table would."""
    rows: list[object] = []
    for offset in range(0, total + 3, 3):
        rows += window(offset, 3)
    return rows


@pytest.mark.parametrize("days", [QUARTER, YEAR, DAYS])
def test_every_rows_list_counts_as_its_figure(ctx: ServiceContext, days: tuple[date, date]) -> None:
    hq = ctx.as_actor(HQ)
    read = stats.snapshot(hq, *days)
    units = _units(read)
    assert {unit.kind for unit, _row in units} == {"station", "room", "grid", "room_itself"}
    some = {"visits": 0, "calls": 0, "arrivals": 0, "arrivals_met": 0, "missing_sweeps": 0}
    for unit, row in units:
        visits = figure_lists.visit_count(hq, unit, *days)
        calls = figure_lists.call_count(hq, unit, *days)
        arrivals = figure_lists.arrival_count(hq, unit, *days)
        met = figure_lists.arrival_count(hq, unit, *days, in_time_only=True)
        missing = figure_lists.missing_sweep_count(hq, unit, *days)
        assert (visits, calls, arrivals, met, missing) == (
            row.get("visits"),
            row.get("calls"),
            row.get("arrivals"),
            row.get("arrivals_met"),
            row.get("missing_sweeps"),
        ), unit
        for name, number in zip(some, (visits, calls, arrivals, met, missing), strict=True):
            some[name] += number
        # the windows hold the count's records, each once, newest first
        shown = _paged(lambda o, n, u=unit: figure_lists.visit_window(hq, u, *days, o, n), visits)
        assert len({v.id for v in shown}) == len(shown) == visits  # type: ignore[attr-defined]
        assert [v.visit_date for v in shown] == sorted(  # type: ignore[attr-defined]
            (v.visit_date for v in shown),  # type: ignore[attr-defined]
            reverse=True,
        )
        assert all(days[0] <= v.visit_date <= days[1] for v in shown)  # type: ignore[attr-defined]
        called = _paged(lambda o, n, u=unit: figure_lists.call_window(hq, u, *days, o, n), calls)
        assert len({c.call_id for c in called}) == calls  # type: ignore[attr-defined]
        assert sum(c.tiers_sent for c in called) == arrivals  # type: ignore[attr-defined]
        assert sum(c.tiers_in_time for c in called) == met  # type: ignore[attr-defined]
        sent = _paged(
            lambda o, n, u=unit: figure_lists.arrival_window(hq, u, *days, o, n), arrivals
        )
        assert len(sent) == arrivals
        assert sum(a.in_time for a in sent) == met  # type: ignore[attr-defined]
        in_time = _paged(
            lambda o, n, u=unit: figure_lists.arrival_window(hq, u, *days, o, n, in_time_only=True),
            met,
        )
        assert len(in_time) == met and all(a.in_time for a in in_time)  # type: ignore[attr-defined]
        lines = figure_lists.sweep_week_count(hq, unit, *days)
        weeks = _paged(
            lambda o, n, u=unit: figure_lists.sweep_week_window(hq, u, *days, o, n), lines
        )
        assert len(weeks) == lines
        assert sum(not w.confirmed for w in weeks) == missing  # type: ignore[attr-defined]
    # the training data has records of each kind, so no list is proved only by emptiness
    assert all(some.values()) or days == DAYS, some


def test_a_week_confirmed_leaves_the_missing_and_a_supervisor_sees_their_station(
    ctx: ServiceContext,
) -> None:
    hq = ctx.as_actor(HQ)
    read = stats.snapshot(hq, *YEAR)
    room = next(r for r in stats.rows_of(read, "room").rows if r.get("missing_sweeps"))
    assert room.id is not None
    unit = Unit("room", room.id)
    lines = figure_lists.sweep_week_window(hq, unit, *YEAR, 0, 100)
    assert len(lines) == len(sweep_weeks(*YEAR, ctx.clock.today()))
    week = next(line.week_start for line in lines if not line.confirmed)
    sweeps.confirm_sweep(
        ctx.as_actor(Actor("trainer", Role.TRAINER)), room.id, week, nil_report=True
    )
    assert figure_lists.missing_sweep_count(hq, unit, *YEAR) == room.get("missing_sweeps") - 1
    again = figure_lists.sweep_week_window(hq, unit, *YEAR, 0, 100)
    assert next(line for line in again if line.week_start == week).nil_report

    # a supervisor of room 2's station: the other stations' rooms are not theirs
    boss = ctx.as_actor(Actor("lishaoqing", Role.SUPERVISOR, police_room_id=2))
    theirs = stats.snapshot(boss, *YEAR)
    for station in stats.rows_of(read, "station").rows:
        if station.id is None:
            continue
        mine = next((r for r in stats.rows_of(theirs, "station").rows if r.id == station.id), None)
        unit = Unit("station", station.id)
        expected = mine.get("visits") if mine is not None else 0
        assert figure_lists.visit_count(boss, unit, *YEAR) == expected
        expected = mine.get("calls") if mine is not None else 0
        assert figure_lists.call_count(boss, unit, *YEAR) == expected


def test_a_period_with_no_whole_week_has_no_sweep_lines(ctx: ServiceContext) -> None:
    hq = ctx.as_actor(HQ)
    today = ctx.clock.today()
    days = (today - timedelta(days=2), today)
    room = Unit("room", 1)
    assert figure_lists.sweep_week_count(hq, room, *days) == 0
    assert figure_lists.sweep_week_window(hq, room, *days, 0, 10) == []
    assert figure_lists.missing_sweep_count(hq, room, *days) == 0
