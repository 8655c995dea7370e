"""The statistics screen driven with keys on the training data: ``5`` opens it at the
stations; ``enter`` drills to rooms and grids, ``escape`` comes back; ``p`` steps the period;
``s``/``r`` rank. Its figures are the statistics service's (which test_stats.py proves equal to
``report summary`` and to ``report stats``), on SQLite and PostgreSQL; a desk officer sees
only their own room."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.disputes import ledger
from policeroom.services.reports import stats, targets
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.paged_table import PagedTable
from policeroom.ui.disputes.disputes_pane import DisputesPane
from policeroom.ui.disputes.early_warnings import EarlyWarningsScreen
from policeroom.ui.people.residents_pane import ResidentsPane
from policeroom.ui.people.visit_list import VisitListScreen
from policeroom.ui.shell.figure_records import LISTED
from policeroom.ui.shell.main_screen import MainScreen
from policeroom.ui.stats.period_form import PeriodForm
from policeroom.ui.stats.periods import period
from policeroom.ui.stats.stats_screen import COLUMNS, FIRST_FIGURE, StatsScreen
from policeroom.ui.stats.target_form import TargetForm
from tests.templates import load_training
from tests.ui.conftest import settle, until
from tests.ui.test_stats_table import assert_cursor_column_on_screen

HQ = Actor("hq.mulei", Role.HQ)


def _cells(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [
        [str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]


def _first_number(text: str) -> int:
    return int(text.split()[0])


async def _open(pilot: Pilot[object]) -> StatsScreen:
    await settle(pilot)
    await pilot.press("5")
    await until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    await until(pilot, lambda: screen.snapshot is not None and screen.shown != [])
    return screen


def _month(ctx: ServiceContext) -> tuple[date, date]:
    return period("quarter", ctx.clock.today())


async def test_the_stations_figures_are_the_services_and_drill_down_and_back(
    db: Database, clock: Clock
) -> None:
    ctx = load_training(ServiceContext(db, clock=clock)).as_actor(HQ)
    expected = stats.stats(ctx, "station", *_month(ctx))
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(DataTable)
        rows = _cells(table)
        assert len(rows) == len(expected.rows) + 1  # and the total
        for shown, row in zip(rows, expected.rows, strict=False):
            assert shown[1] == (row.name or row.code)
            for column, key in enumerate(COLUMNS[:-1], start=2):
                assert _first_number(shown[column]) == row.get(key), (row.name, key)
        assert rows[-1][1] == "Total"
        assert _first_number(rows[-1][2]) == expected.total.get("residents")

        station = screen.shown[0]
        await pilot.press("enter")
        await until(pilot, lambda: screen.places[-1].level == "room")
        rooms = stats.stats(ctx, "room", *_month(ctx), station_id=station.id)
        assert [r[1] for r in _cells(table)[:-1]] == [r.name or r.code for r in rooms.rows]
        where = str(screen.query_one("#stats-where", Static).render())
        assert station.name in where

        room = next(i for i, r in enumerate(screen.shown) if r.kind == "room")
        for _ in range(room):
            await pilot.press("down")
        await pilot.press("enter")
        await until(pilot, lambda: screen.places[-1].level == "grid")
        grids = stats.stats(ctx, "grid", *_month(ctx), room_id=rooms.rows[room].id)
        assert len(_cells(table)) == len(grids.rows) + 1

        await pilot.press("escape")
        await until(pilot, lambda: screen.places[-1].level == "room")
        await pilot.press("escape")
        await until(pilot, lambda: len(screen.places) == 1)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_ranking_and_the_period_by_keys(sqlite_db: Database, clock: Clock) -> None:
    ctx = load_training(ServiceContext(sqlite_db, clock=clock)).as_actor(HQ)
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("enter")  # the rooms of the first station
        await until(pilot, lambda: screen.places[-1].level == "room")
        await pilot.press("s")
        await until(pilot, lambda: screen.ranking == "anti_fraud_installs")
        installs = [row.get("anti_fraud_installs") for row in screen.shown]
        assert installs == sorted(installs, reverse=True)
        table = screen.query_one(DataTable)
        assert [r[0] for r in _cells(table)[:-1]] == [str(i + 1) for i in range(len(installs))]
        await pilot.press("r")
        await until(pilot, lambda: not screen.descending)
        installs = [row.get("anti_fraud_installs") for row in screen.shown]
        assert installs == sorted(installs)

        assert screen.period_kind == "quarter"
        await pilot.press("p")
        await until(pilot, lambda: screen.snapshot is not None and screen.period_kind == "year")
        start, end = period("year", ctx.clock.today())
        assert screen.snapshot is not None and screen.snapshot.date_from == start
        assert f"{start:%Y-%m-%d}" in str(screen.query_one("#stats-where", Static).render())
        # the drill-down and the ranking stay when the period changes
        assert screen.places[-1].level == "room" and screen.ranking == "anti_fraud_installs"


async def test_a_desk_officer_sees_only_their_own_room(sqlite_db: Database, clock: Clock) -> None:
    ctx = load_training(ServiceContext(sqlite_db, clock=clock))
    desk = ctx.as_actor(Actor("desk.r0102", Role.DESK, police_room_id=2))
    app = PoliceRoomApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        everyone = stats.stats(ctx.as_actor(HQ), "station", *_month(ctx)).total
        assert screen.report() is not None
        own = screen.report().total  # type: ignore[union-attr]
        assert 0 < own.get("residents") < everyone.get("residents")
        await pilot.press("enter")
        await until(pilot, lambda: screen.places[-1].level == "room")
        rooms = [row for row in screen.shown if row.kind == "room"]
        assert [row.id for row in rooms] == [2]


async def test_a_supervisor_sets_a_grids_targets_and_the_shares_follow(
    db: Database, clock: Clock
) -> None:
    loaded = load_training(ServiceContext(db, clock=clock))
    boss = loaded.as_actor(Actor("lishaoqing", Role.SUPERVISOR, police_room_id=2))
    app = PoliceRoomApp(boss)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert screen.check_action("targets", ()) is False  # a station's row has none
        await pilot.press("enter")  # the station's rooms
        await until(pilot, lambda: screen.places[-1].level == "room")
        await pilot.press("enter")  # the first room's grids
        await until(pilot, lambda: screen.places[-1].level == "grid")
        row = screen.shown[0]
        assert row.kind == "grid" and row.id is not None
        assert screen.check_action("targets", ()) is True
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TargetForm))
        form = app.screen
        assert isinstance(form, TargetForm)
        await until(pilot, lambda: "saving" in str(form.query_one("#form-notice").render()))
        before = form.target
        assert before is not None  # the training set has this quarter's targets
        await pilot.press(*"240", "ctrl+s")  # visits: typed over the value shown
        await until(pilot, lambda: app.screen is screen and screen.snapshot is not None)
        await until(pilot, lambda: screen.shown != [])
        after = targets.of_grid(boss, row.id)
        saved = next(t for t in after if t.id == before.id)
        assert (saved.visits, saved.version) == (240, before.version + 1)
        again = next(r for r in screen.shown if r.id == row.id)
        assert again.targets["visits"] < row.targets["visits"] * 3  # prorated, but larger
        assert again.targets["visits"] > row.targets["visits"]


async def test_headquarters_and_a_desk_have_no_target_key(db: Database, clock: Clock) -> None:
    loaded = load_training(ServiceContext(db, clock=clock))
    for actor in (HQ, Actor("desk.r0102", Role.DESK, police_room_id=2)):
        app = PoliceRoomApp(loaded.as_actor(actor))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot)
            while screen.places[-1].level != "grid":
                await pilot.press("enter")
                await settle(pilot)
            assert screen.check_action("targets", ()) is False
            await pilot.press("t")
            await settle(pilot)
            assert app.screen is screen


async def test_a_period_of_ones_own_choosing(db: Database, clock: Clock) -> None:
    ctx = load_training(ServiceContext(db, clock=clock)).as_actor(HQ)
    march = stats.stats(ctx, "station", date(2022, 3, 1), date(2022, 3, 31))
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, PeriodForm))
        form = app.screen
        assert isinstance(form, PeriodForm)
        # the end before the start: said at the field, and the form stays
        await pilot.press(*"3/31", "tab", *"3/1", "ctrl+s")
        await until(pilot, lambda: bool(form.field("date_to").errors))
        assert "ends before it starts" in " ".join(form.field("date_to").errors)
        assert app.screen is form
        await pilot.press("shift+tab", *"3/1", "tab", *"3/31", "ctrl+s")
        await until(pilot, lambda: app.screen is screen and screen.custom is not None)
        await until(pilot, lambda: screen.snapshot is not None and screen.shown != [])
        where = str(screen.query_one("#stats-where", Static).render())
        assert "2022-03-01 – 2022-03-31" in where
        for shown, row in zip(screen.shown, march.rows, strict=True):
            assert shown.figures == row.figures
        await pilot.press("p")  # back to the periods that step
        await until(pilot, lambda: screen.period_kind == "week")


async def test_enter_on_a_figure_opens_the_records_it_counts(db: Database, clock: Clock) -> None:
    loaded = load_training(ServiceContext(db, clock=clock))
    boss = loaded.as_actor(Actor("lishaoqing", Role.SUPERVISOR, police_room_id=2))
    app = PoliceRoomApp(boss)
    async with app.run_test(size=(120, 40)) as pilot:
        # a search left in the disputes' box must not narrow the figure's records
        await settle(pilot)
        await pilot.press("3", "slash", *"JF-1999", "enter")
        await settle(pilot)
        screen = await _open(pilot)
        await pilot.press("enter")  # the station's rooms
        await until(pilot, lambda: screen.places[-1].level == "room")
        table = screen.query_one(DataTable)
        room = max(
            (i for i, r in enumerate(screen.shown) if r.kind == "room"),
            key=lambda i: screen.shown[i].get("disputes_open"),
        )
        row = screen.shown[room]
        assert row.get("disputes_open") > 0
        for _ in range(room):
            await pilot.press("down")
        # along to the figure, by keys
        for _ in range(2 + COLUMNS.index("disputes_open")):
            await pilot.press("right")
        await settle(pilot)
        assert table.cursor_coordinate == (room, 2 + COLUMNS.index("disputes_open"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        pane = main.query_one(DisputesPane)
        await until(pilot, lambda: pane.grid_id is not None and pane.table.total is not None)
        assert pane.filter.open_only and main.area_of(app.focused) == "disputes"
        assert pane.query_one("#disputes-search", Input).value == ""
        assert pane.table.total == row.get("disputes_open")
        assert ledger.count(boss, pane.ledger_query) == row.get("disputes_open")

        # 5 goes back to the statistics where they were: the same level, row and column
        await pilot.press("5")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen))
        again = app.screen
        assert isinstance(again, StatsScreen) and again is not screen
        await until(pilot, lambda: again.shown != [] and again.cell_wanted is None)
        assert [p.level for p in again.places] == ["station", "room"]
        assert again.shown[room].id == row.id
        again_table = again.query_one(DataTable)
        assert again_table.cursor_coordinate == (room, 2 + COLUMNS.index("disputes_open"))

        # a figure whose list is its own opens over the statistics, and escape comes back
        await _to_cell(pilot, again_table, room, FIRST_FIGURE + COLUMNS.index("visits"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, VisitListScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is again)


async def test_enter_on_residents_visited_lists_them_and_escape_goes_back(
    db: Database, clock: Clock
) -> None:
    """The visited residents of a grid; ``escape`` lifts that narrowing and goes back to the
    statistics where they were, and from there to everyone of the grid."""
    loaded = load_training(ServiceContext(db, clock=clock))
    boss = loaded.as_actor(Actor("lishaoqing", Role.SUPERVISOR, police_room_id=2))
    app = PoliceRoomApp(boss)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("enter")  # the station's rooms
        await until(pilot, lambda: screen.places[-1].level == "room")
        await pilot.press("enter")  # the first room's grids
        await until(pilot, lambda: screen.places[-1].level == "grid")
        row = screen.shown[0]
        assert row.kind == "grid" and 0 < row.get("residents_visited") < row.get("residents")
        for _ in range(2 + COLUMNS.index("residents_visited")):
            await pilot.press("right")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        pane = app.screen.query_one(ResidentsPane)
        await until(
            pilot,
            lambda: pane.query_filter.grid_id == row.id and pane.table.total is not None,
        )
        await settle(pilot)
        assert pane.table.total == row.get("residents_visited")
        assert "visited" in str(pane.query_one("#residents-status", Static).render())
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen))
        again = app.screen
        assert isinstance(again, StatsScreen)
        await until(pilot, lambda: again.shown != [] and again.cell_wanted is None)
        assert [p.level for p in again.places] == ["station", "room", "grid"]
        cursor = again.query_one(DataTable).cursor_coordinate
        assert cursor == (0, FIRST_FIGURE + COLUMNS.index("residents_visited"))
        assert pane.query_filter.visited_in is None
        await _up_to_main(pilot)
        await settle(pilot)
        assert pane.table.total == row.get("residents")  # everyone of the grid again


async def _up_to_main(pilot: Pilot[object]) -> None:
    """``escape`` from the statistics, level by level, to the main screen."""
    while isinstance(screen := pilot.app.screen, StatsScreen):
        depth = len(screen.places)
        await pilot.press("escape")
        await until(
            pilot,
            lambda: pilot.app.screen is not screen or len(screen.places) < depth,  # noqa: B023
        )


async def _to_cell(pilot: Pilot[object], table: DataTable, row: int, column: int) -> None:  # type: ignore[type-arg]
    """Move the statistics table's cell cursor by arrow keys."""
    at_row, at_column = table.cursor_coordinate
    keys = ["down" if row > at_row else "up"] * abs(row - at_row)
    keys += ["right" if column > at_column else "left"] * abs(column - at_column)
    await pilot.press(*keys)
    await until(pilot, lambda: tuple(table.cursor_coordinate) == (row, column))


async def _enter_on(
    pilot: Pilot[object], station: int, room: int, grid: int | None, figure: str
) -> None:
    """From the main screen: ``5``, down to the room (and its grid, unless None), ``enter`` on
    ``figure`` of that row."""
    screen = await _open(pilot)
    table = screen.query_one(DataTable)
    while len(screen.places) > 1:  # 5 opens where the statistics were: up to the stations
        await pilot.press("escape")
        await until(pilot, lambda: screen.shown != [])
    await _to_cell(pilot, table, next(i for i, r in enumerate(screen.shown) if r.id == station), 1)
    await pilot.press("enter")
    await until(pilot, lambda: screen.places[-1].level == "room")
    await _to_cell(pilot, table, next(i for i, r in enumerate(screen.shown) if r.id == room), 1)
    if grid is not None:
        await pilot.press("enter")
        await until(pilot, lambda: screen.places[-1].level == "grid")
        row = next(i for i, r in enumerate(screen.shown) if r.id == grid and r.kind == "grid")
        await _to_cell(pilot, table, row, 1)
    await _to_cell(pilot, table, table.cursor_row, FIRST_FIGURE + COLUMNS.index(figure))
    await pilot.press("enter")


async def _back_to_main(
    pilot: Pilot[object], main: MainScreen, figure: str = "early_warnings"
) -> None:
    """``escape`` from a figure's records (the early warnings, or a narrowing of the
    residents): the statistics where they were (the row's ``figure``), then up level by
    level to the main screen."""
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
    stats_screen = pilot.app.screen
    assert isinstance(stats_screen, StatsScreen)
    await until(pilot, lambda: stats_screen.shown != [] and stats_screen.cell_wanted is None)
    table = stats_screen.query_one(DataTable)
    assert table.cursor_column == FIRST_FIGURE + COLUMNS.index(figure)
    await _up_to_main(pilot)
    assert pilot.app.screen is main


async def test_every_figure_with_a_list_opens_as_many_records_as_it_counts(
    db: Database, clock: Clock
) -> None:
    """Each figure that a desk list shows (``LISTED``), on a grid's row: the list opened by
    ``enter`` holds as many records as the figure, and ``escape`` lifts the narrowing of the
    residents; early warnings on a police room's row count its missing sweep too."""
    ctx = load_training(ServiceContext(db, clock=clock)).as_actor(HQ)
    read = stats.snapshot(ctx, *_month(ctx))
    rooms = stats.rows_of(read, "room").rows
    room_grids = {
        room.id: stats.rows_of(read, "grid", room_id=room.id).rows
        for room in rooms
        if room.id is not None
    }
    # a room whose grid has every figure, and one that has not confirmed last week's sweep
    full = next(rows[0] for rows in room_grids.values() if all(rows[0].get(f) > 0 for f in LISTED))
    unswept = next(
        room
        for room in rooms
        if any(r.kind == "room_itself" and r.get("early_warnings") for r in room_grids[room.id])
    )
    room_of = {rows[0].id: room_id for room_id, rows in room_grids.items()}
    station_of = {room_id: read.units.rooms[room_id][2] for room_id in room_grids}
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        await settle(pilot)
        assert isinstance(main, MainScreen)
        residents = main.query_one(ResidentsPane)
        disputes = main.query_one(DisputesPane)
        room_id = room_of[full.id]
        for figure in sorted(LISTED):
            await _enter_on(pilot, station_of[room_id], room_id, full.id, figure)
            if figure == "early_warnings":
                await until(pilot, lambda: isinstance(app.screen, EarlyWarningsScreen))
                await settle(pilot)
                warned = app.screen.query_one("#warnings-table", PagedTable)
                assert warned.total == full.get(figure)
                await _back_to_main(pilot, main)
                continue
            await until(pilot, lambda: app.screen is main)
            await settle(pilot)
            if figure.startswith("disputes"):
                assert disputes.grid_id == full.id and disputes.filter.active
                assert disputes.table.total == full.get(figure), figure
                continue
            assert residents.query_filter.grid_id == full.id
            assert residents.table.total == full.get(figure), figure
            status = str(residents.query_one("#residents-status", Static).render())
            if figure != "residents":
                assert "esc: statistics" in status
                # back to the statistics, and from there the grid's residents, all of them
                await _back_to_main(pilot, main, figure)
                assert residents.query_filter.visited_in is None
                assert residents.query_filter.installed_in is None
                await settle(pilot)
                assert residents.table.total == full.get("residents")

        # a room's row: its warnings and its missing sweep; its grid's row: the warnings only
        grid = room_grids[unswept.id][0]
        assert unswept.get("early_warnings") > grid.get("early_warnings")
        for row, on_grid in ((unswept, None), (grid, grid.id)):
            assert unswept.id is not None
            await _enter_on(pilot, station_of[unswept.id], unswept.id, on_grid, "early_warnings")
            await until(pilot, lambda: isinstance(app.screen, EarlyWarningsScreen))
            await settle(pilot)
            warned = app.screen.query_one("#warnings-table", PagedTable)
            assert warned.total == row.get("early_warnings")
            await _back_to_main(pilot, main)


async def test_the_figures_scroll_sideways_by_whole_columns(
    sqlite_db: Database, clock: Clock
) -> None:
    """At 80 columns → scrolls the figures under the fixed rank and name; a figure is never
    cut at their edge, where its tail read as another number under the heading, nor at the
    end, where the scroll stops (the last column takes up what is left)."""
    ctx = load_training(ServiceContext(sqlite_db, clock=clock)).as_actor(HQ)
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(DataTable)
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        left = sum(widths[:FIRST_FIGURE])
        starts = {left + sum(widths[FIRST_FIGURE:i]) for i in range(FIRST_FIGURE, len(widths))}
        scrolled = set()
        for column in range(1, len(widths)):
            await pilot.press("right")
            await until(pilot, lambda: table.scroll_x == table.scroll_target_x)
            assert table.cursor_column == column
            assert table.scroll_x + left in starts, (column, table.scroll_x)
            scrolled.add(table.scroll_x)
        assert len(scrolled) > 2  # it did scroll, more than once
        assert table.scroll_x == table.max_scroll_x  # and to its end


async def test_at_80_columns_the_residents_narrowing_keeps_its_words(
    sqlite_db: Database, clock: Clock
) -> None:
    """The status line under the residents says what a figure narrowed them to, in Chinese
    at 80x24 too: it takes a second line rather than cut the words after the dates."""
    loaded = load_training(ServiceContext(sqlite_db, clock=clock))
    boss = loaded.as_actor(Actor("lishaoqing", Role.SUPERVISOR, police_room_id=2))
    app = PoliceRoomApp(boss, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: screen.places[-1].level == "room")
        await pilot.press("enter")
        await until(pilot, lambda: screen.places[-1].level == "grid")
        table = screen.query_one(DataTable)
        await _to_cell(pilot, table, 0, FIRST_FIGURE + COLUMNS.index("residents_not_visited"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        pane = app.screen.query_one(ResidentsPane)
        await until(pilot, lambda: pane.query_filter.not_visited)
        await settle(pilot)
        status = pane.query_one("#residents-status", Static)
        assert "未走访" in str(status.render()) and "esc" in str(status.render())
        assert status.region.height == 2, status.region


async def test_the_area_keys_leave_the_statistics_and_5_comes_back_where_they_were(
    sqlite_db: Database, clock: Clock
) -> None:
    """1 to 4 choose an area from the statistics as from the main screen (the statistics
    are the fifth area, not a screen to back out of first); ``5`` then finds them at the
    same period, level, ranking and cell."""
    ctx = load_training(ServiceContext(sqlite_db, clock=clock)).as_actor(HQ)
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("enter", "p", "s", "down", *["right"] * len(COLUMNS))
        await until(pilot, lambda: screen.period_kind == "year" and screen.ranking is not None)
        await until(pilot, lambda: screen.snapshot is not None and screen.cell_wanted is None)
        await settle(pilot)
        where = screen.view()
        assert where.places[-1].level == "room" and where.cell != (0, 0)
        assert_cursor_column_on_screen(screen.query_one(DataTable))

        main = app.main_screen
        assert main is not None
        for key, area in (("2", "residents"), ("3", "disputes"), ("1", "grid-tree")):
            await pilot.press(key)
            await until(pilot, lambda: app.screen is main)
            await until(pilot, lambda area=area: main.area_of(app.focused) == area)  # type: ignore[misc]
            await pilot.press("5")
            await until(pilot, lambda: isinstance(app.screen, StatsScreen))
            back = app.screen
            assert isinstance(back, StatsScreen)
            await until(pilot, lambda s=back: s.snapshot is not None and s.cell_wanted is None)  # type: ignore[misc]
            await settle(pilot)
            assert back.view() == where
            # and scrolled to it by whole columns: the cursor's column wholly on screen
            assert_cursor_column_on_screen(back.query_one(DataTable))
