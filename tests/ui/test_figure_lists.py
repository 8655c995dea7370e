"""``enter`` on the statistics' visits, missing sweeps, 1-3-5 calls and in-time figures, by
keys on the training data, on SQLite and PostgreSQL: a list of their own opens over the
statistics holding as many records as the figure counts, for a station's, a room's and a
grid's row; ``escape`` comes back to the same level, row and column. From the lists, a visit
opens its resident's card, a call the 1-3-5 log, and ``c`` confirms a missing week."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.reports import stats
from policeroom.services.reports.stats import StatsRow
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.help import HelpScreen
from policeroom.ui.common.record_list import RecordListScreen
from policeroom.ui.disputes.sweep_form import SweepForm
from policeroom.ui.disputes.sweep_weeks import SweepWeeksScreen
from policeroom.ui.duty.response_log import ResponseLogScreen
from policeroom.ui.people.resident_card import ResidentCardScreen
from policeroom.ui.people.visit_list import VisitListScreen
from policeroom.ui.stats.call_list import CallListScreen
from policeroom.ui.stats.periods import period
from policeroom.ui.stats.stats_screen import COLUMNS, FIRST_FIGURE, StatsScreen
from tests.templates import load_training
from tests.ui.conftest import settle, until

HQ = Actor("hq.mulei", Role.HQ)
OWN = ("visits", "calls", "share_met", "missing_sweeps")


async def _open_stats(pilot: Pilot[object]) -> StatsScreen:
    await settle(pilot)
    await pilot.press("5")
    await until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    await until(pilot, lambda: screen.snapshot is not None and screen.shown != [])
    return screen


async def _to_cell(pilot: Pilot[object], table: DataTable, row: int, column: int) -> None:  # type: ignore[type-arg]
    at_row, at_column = table.cursor_coordinate
    keys = ["down" if row > at_row else "up"] * abs(row - at_row)
    keys += ["right" if column > at_column else "left"] * abs(column - at_column)
    await pilot.press(*keys)
    await until(pilot, lambda: tuple(table.cursor_coordinate) == (row, column))


async def _down_to(pilot: Pilot[object], screen: StatsScreen, kind: str, unit_id: int) -> None:
    """``enter`` on the name of the row ``kind`` ``unit_id`` (one level down)."""
    table = screen.query_one(DataTable)
    depth = len(screen.places)
    at = next(i for i, r in enumerate(screen.shown) if r.kind == kind and r.id == unit_id)
    await _to_cell(pilot, table, at, 1)
    await pilot.press("enter")
    await until(pilot, lambda: len(screen.places) == depth + 1)


async def _list_of(
    pilot: Pilot[object], screen: StatsScreen, row: StatsRow, figure: str
) -> RecordListScreen[object]:
    """``enter`` on ``figure`` of ``row``: the list it opens, read and counted."""
    table = screen.query_one(DataTable)
    at = next(i for i, r in enumerate(screen.shown) if r.kind == row.kind and r.id == row.id)
    await _to_cell(pilot, table, at, FIRST_FIGURE + COLUMNS.index(figure))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, RecordListScreen))
    shown = pilot.app.screen
    assert isinstance(shown, RecordListScreen)
    await until(pilot, lambda: shown.total is not None)
    await settle(pilot)
    return shown


async def _check(
    pilot: Pilot[object], screen: StatsScreen, row: StatsRow, figure: str
) -> RecordListScreen[object]:
    """The list of ``figure`` holds the figure's records; ``escape`` comes back as it was."""
    table = screen.query_one(DataTable)
    places = list(screen.places)
    listed = await _list_of(pilot, screen, row, figure)
    where = tuple(table.cursor_coordinate)
    if figure == "visits":
        assert isinstance(listed, VisitListScreen)
        assert listed.total == row.get("visits")
    elif figure == "calls":
        assert isinstance(listed, CallListScreen) and listed.shown == "calls"
        assert listed.total == row.get("calls")
    elif figure == "share_met":
        assert isinstance(listed, CallListScreen) and listed.shown == "arrivals"
        assert listed.total == row.get("arrivals")
        await pilot.press("i")  # those in time only
        await until(pilot, lambda: listed.table.total is not None and listed.in_time_only)
        await settle(pilot)
        assert listed.table.total == row.get("arrivals_met")
        assert "in time" in str(listed.table.border_subtitle)
    else:
        assert isinstance(listed, SweepWeeksScreen)
        await until(pilot, lambda: listed.missing is not None)
        assert listed.missing == row.get("missing_sweeps")
        assert str(row.get("missing_sweeps")) in str(listed.table.border_subtitle)
    await pilot.press("escape")
    await until(pilot, lambda: pilot.app.screen is screen)
    await settle(pilot)
    assert screen.places == places and tuple(table.cursor_coordinate) == where
    return listed


@pytest.mark.parametrize("kind", ["quarter", "week"])
async def test_each_figures_list_counts_as_the_figure_for_a_station_a_room_and_a_grid(
    db: Database, clock: Clock, kind: str
) -> None:
    """This quarter has missing sweeps; this week leaves out most calls and visits, so a list
    that ignored the period would hold more than its figure."""
    ctx = load_training(ServiceContext(db, clock=clock)).as_actor(HQ)
    read = stats.snapshot(ctx, *period(kind, ctx.clock.today()))
    quarter = stats.snapshot(ctx, *period("quarter", ctx.clock.today()))

    def most(rows: tuple[StatsRow, ...], kind: str) -> StatsRow:
        found = [r for r in rows if r.kind == kind]
        every = ("visits", "calls", "arrivals")
        return max(
            found,
            key=lambda r: (all(r.get(f) for f in every), r.get("missing_sweeps"), r.get("calls")),
        )

    station = most(stats.rows_of(read, "station").rows, "station")
    assert station.id is not None
    room = most(stats.rows_of(read, "room", station_id=station.id).rows, "room")
    assert room.id is not None
    grid = most(stats.rows_of(read, "grid", room_id=room.id).rows, "grid")
    for row in (station, room, grid):
        assert all(row.get(f) for f in ("visits", "calls", "arrivals")), row
        if kind == "week":  # fewer than the quarter: the period narrows each list
            wider = stats.rows_of(quarter, "station").total
            assert row.get("calls") < wider.get("calls")
    if kind == "quarter":
        assert station.get("missing_sweeps") and room.get("missing_sweeps")
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_stats(pilot)
        while screen.period_kind != kind:
            await pilot.press("p")
            await until(pilot, lambda: screen.snapshot is not None)
        await settle(pilot)
        for figure in OWN:
            await _check(pilot, screen, station, figure)
        await _down_to(pilot, screen, "station", station.id)
        for figure in OWN:
            await _check(pilot, screen, room, figure)
        await _down_to(pilot, screen, "room", room.id)
        for figure in OWN:
            listed = await _check(pilot, screen, grid, figure)
        # a grid's row counts no sweep, and its list says whose sweeps they are
        assert isinstance(listed, SweepWeeksScreen) and listed.total == 0
        if kind != "quarter":
            return
        # the room's own remainder: its missing sweep
        itself = next(r for r in screen.shown if r.kind == "room_itself")
        table = screen.query_one(DataTable)
        await _to_cell(pilot, table, screen.shown.index(itself), FIRST_FIGURE)
        listed = await _list_of(pilot, screen, itself, "missing_sweeps")
        assert isinstance(listed, SweepWeeksScreen)
        await until(pilot, lambda: listed.missing is not None)
        assert listed.missing == itself.get("missing_sweeps") == room.get("missing_sweeps")


async def test_a_visit_opens_its_resident_a_call_the_log_and_c_confirms_a_missing_week(
    sqlite_db: Database, clock: Clock
) -> None:
    ctx = load_training(ServiceContext(sqlite_db, clock=clock)).as_actor(
        Actor("trainer", Role.TRAINER)
    )
    read = stats.snapshot(ctx, *period("quarter", ctx.clock.today()))
    station = next(
        r for r in stats.rows_of(read, "station").rows if r.get("missing_sweeps") and r.id
    )
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_stats(pilot)
        visits = await _list_of(pilot, screen, station, "visits")
        first = visits.table.highlighted
        assert first is not None
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResidentCardScreen))
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        assert card.resident_id == first.resident_ids[0]  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is visits)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        calls = await _list_of(pilot, screen, station, "calls")
        call = calls.table.highlighted
        assert call is not None
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResponseLogScreen))
        log = app.screen
        assert isinstance(log, ResponseLogScreen)
        assert log.police_room_id == call.police_room_id  # type: ignore[attr-defined]
        first_day, last_day = log.period
        assert first_day <= call.called_at.date() <= last_day  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is calls)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        sweeps = await _list_of(pilot, screen, station, "missing_sweeps")
        assert isinstance(sweeps, SweepWeeksScreen)
        await until(pilot, lambda: sweeps.missing == station.get("missing_sweeps"))
        while (line := sweeps.table.highlighted) is None or line.confirmed:
            await pilot.press("down")
        # the key is in the palette and on the help screen as well as in the footer
        titles = [command.title for command in app.get_system_commands(sweeps)]
        assert any(title.startswith("Confirm the highlighted missing week") for title in titles)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen) and "c" in help_screen.listed_keys
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is sweeps)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, SweepForm))
        form = app.screen
        assert isinstance(form, SweepForm)
        assert form.field("police_room_id").value == line.police_room_id
        assert form.week_start == line.week_start
        nil = form.query_one("#sweep-nil")
        while app.focused is not nil:
            await pilot.press("tab")
        await pilot.press("space", "ctrl+s")
        await until(pilot, lambda: app.screen is sweeps)
        await until(pilot, lambda: sweeps.missing == station.get("missing_sweeps") - 1)
        await settle(pilot)
        assert sweeps.check_action("confirm", ()) is None  # the week is confirmed now

        # back on the statistics, read again where they were: one missing week fewer
        cell = tuple(screen.query_one(DataTable).cursor_coordinate)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await until(pilot, lambda: screen.snapshot is not None and screen.cell_wanted is None)
        await settle(pilot)
        again = next(r for r in screen.shown if r.kind == "station" and r.id == station.id)
        assert again.get("missing_sweeps") == station.get("missing_sweeps") - 1
        assert tuple(screen.query_one(DataTable).cursor_coordinate) == cell
