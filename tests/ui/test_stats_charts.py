"""The statistics charts driven with keys: ``g`` on the statistics screen opens the charts of
its period and place; ``1``/``2``/``3`` and ``n`` pick the chart, ``t`` shows its figures as a
table, which are the charts service's (test_stats.py proves those equal to the report's);
where a chart has no room the table is shown instead; ``escape`` goes back."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.reports import stats_series
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.stats.charts_screen import ChartPlot, ChartsScreen
from policeroom.ui.stats.periods import period
from policeroom.ui.stats.stats_screen import StatsScreen
from tests.templates import load_training
from tests.ui.conftest import settle, until

HQ = Actor("hq.mulei", Role.HQ)


def _rows(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [
        [str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]


async def _charts(pilot: object, size_ok: bool = True) -> ChartsScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await pilot.press("5")
    await until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
    stats_screen = pilot.app.screen
    assert isinstance(stats_screen, StatsScreen)
    await until(pilot, lambda: stats_screen.shown != [])
    await pilot.press("g")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChartsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ChartsScreen)
    await until(pilot, lambda: screen.found is not None)
    await settle(pilot)
    return screen


async def test_each_chart_by_key_and_its_figures_as_a_table(db: Database, clock: Clock) -> None:
    ctx = load_training(ServiceContext(db, clock=clock)).as_actor(HQ)
    found = stats_series.series(ctx, *period("quarter", ctx.clock.today()))
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _charts(pilot)
        plot = screen.query_one(ChartPlot)
        table = screen.query_one("#chart-table", DataTable)
        assert plot.display and not table.display
        assert screen.query_one("#chart-box").border_title == "Disputes per month, by category"
        assert plot.chart is not None and plot.chart.stacked
        months = [f"{m.month:%Y-%m}" for m in found.months]
        assert list(plot.chart.xs) == months
        await pilot.press("t")
        await settle(pilot)
        assert table.display and not plot.display
        rows = _rows(table)
        assert [r[0] for r in rows] == months
        # each month's row adds up to the disputes registered that month
        assert [sum(int(n) for n in r[1:]) for r in rows] == [m.total for m in found.months]

        await pilot.press("2")
        await settle(pilot)
        assert [[int(n) for n in r[1:]] for r in _rows(table)] == [
            [w.installs, w.target] for w in found.weeks
        ]
        await pilot.press("n")
        await settle(pilot)
        assert screen.kind == "arrivals"
        assert [[int(n) for n in r[1:]] for r in _rows(table)] == [
            [t.sent, t.met] for t in found.tiers
        ]
        await pilot.press("t")
        await settle(pilot)
        assert plot.display and "In time" in str(screen.query_one("#chart-legend", Static).render())
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen))


async def test_a_chart_with_no_room_for_its_bars_is_a_table(db: Database, clock: Clock) -> None:
    # a year of weekly installs: 53 bars cannot be drawn two cells wide in 80 columns
    ctx = load_training(ServiceContext(db, clock=clock)).as_actor(HQ)
    today = ctx.clock.today()
    year = (today.replace(year=today.year - 1), today)
    found = stats_series.series(ctx, *year)
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ChartsScreen(ctx, *year, "Branch"))
        await until(pilot, lambda: isinstance(app.screen, ChartsScreen))
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        await until(pilot, lambda: screen.found is not None)
        await pilot.press("2")
        await settle(pilot)
        table = screen.query_one("#chart-table", DataTable)
        assert table.display and not screen.query_one(ChartPlot).display
        assert len(_rows(table)) == len(found.weeks) >= 52
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        assert screen.query_one(ChartPlot).display and not table.display
        await pilot.press("1")  # twelve months fit in 80 columns
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert screen.query_one(ChartPlot).display


async def test_a_desk_officers_charts_are_their_rooms(db: Database, clock: Clock) -> None:
    loaded = load_training(ServiceContext(db, clock=clock))
    desk = loaded.as_actor(Actor("desk.r0102", Role.DESK, police_room_id=2))
    mine = stats_series.series(desk, *period("quarter", desk.clock.today()))
    everyone = stats_series.series(loaded, *period("quarter", desk.clock.today()))
    assert sum(m.total for m in mine.months) < sum(m.total for m in everyone.months)
    app = PoliceRoomApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _charts(pilot)
        await pilot.press("t")
        await settle(pilot)
        rows = _rows(screen.query_one("#chart-table", DataTable))
        assert [sum(int(n) for n in r[1:]) for r in rows] == [m.total for m in mine.months]
