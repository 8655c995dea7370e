"""``escape`` from a list that a statistics figure narrowed goes back to the statistics where
they were, the narrowing lifted; a search or filter the officer chose keeps ``escape``'s own
meaning there (clear it, stay in the pane). In Chinese at 80x24, as a supervisor's desk."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.disputes.dispute_filter import DisputeFilter
from policeroom.ui.disputes.disputes_pane import DisputesPane
from policeroom.ui.people.residents_pane import ResidentsPane
from policeroom.ui.shell.main_screen import MainScreen
from policeroom.ui.stats.stats_screen import COLUMNS, FIRST_FIGURE, StatsScreen
from tests.templates import load_training
from tests.ui.conftest import settle, until
from tests.ui.test_stats_screen import _open, _to_cell, _up_to_main

BOSS = Actor("lishaoqing", Role.SUPERVISOR, police_room_id=2)


async def _figure_of_a_room(pilot: Pilot[object], figure: str) -> tuple[int, int]:
    """From the main screen: ``5``, the first station's rooms, ``enter`` on ``figure`` of the
    room with most of it; the row and column where it was."""
    screen = await _open(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: screen.places[-1].level == "room")
    row = max(
        (i for i, r in enumerate(screen.shown) if r.kind == "room"),
        key=lambda i: screen.shown[i].get(figure),
    )
    assert screen.shown[row].get(figure) > 0
    column = FIRST_FIGURE + COLUMNS.index(figure)
    await _to_cell(pilot, screen.query_one(DataTable), row, column)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
    await settle(pilot)
    return row, column


async def _statistics_at(pilot: Pilot[object], levels: list[str], cell: tuple[int, int]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    await until(pilot, lambda: screen.shown != [] and screen.cell_wanted is None)
    assert [place.level for place in screen.places] == levels
    assert tuple(screen.query_one(DataTable).cursor_coordinate) == cell


def _status(pane: DisputesPane) -> str:
    return str(pane.query_one("#disputes-status", Static).render())


async def test_escape_from_a_figures_disputes_goes_back_to_the_statistics(
    sqlite_db: Database, clock: Clock
) -> None:
    boss = load_training(ServiceContext(sqlite_db, clock=clock)).as_actor(BOSS)
    app = PoliceRoomApp(boss, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        cell = await _figure_of_a_room(pilot, "disputes_open")
        pane = app.screen.query_one(DisputesPane)
        await until(pilot, lambda: pane.filter.open_only and pane.table.total is not None)
        assert "esc：返回统计" in _status(pane)
        await pilot.press("escape")
        await _statistics_at(pilot, ["station", "room"], cell)
        assert pane.filter == DisputeFilter()

        # a filter the supervisor changed is theirs: escape lifts it and stays in the pane
        await _up_to_main(pilot)
        cell = await _figure_of_a_room(pilot, "disputes_open")
        await pilot.press("exclamation_mark")  # needs action, on top of the figure's "open"
        await until(pilot, lambda: pane.filter.needs_action and pane.table.total is not None)
        assert "esc：返回统计" not in _status(pane) and "esc 清除" in _status(pane)
        await pilot.press("escape")
        await until(pilot, lambda: not pane.filter.active)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_escape_clears_ones_own_search_first_then_goes_back(
    sqlite_db: Database, clock: Clock
) -> None:
    boss = load_training(ServiceContext(sqlite_db, clock=clock)).as_actor(BOSS)
    app = PoliceRoomApp(boss, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        cell = await _figure_of_a_room(pilot, "residents_not_visited")
        pane = app.screen.query_one(ResidentsPane)
        await until(pilot, lambda: pane.query_filter.not_visited)
        status = pane.query_one("#residents-status", Static)
        assert "esc：返回统计" in str(status.render())
        await pilot.press("slash", "z")
        await until(pilot, lambda: pane.query_filter.text == "z")
        await pilot.press("escape")  # the search typed goes; the figure's narrowing stays
        await until(pilot, lambda: pane.query_filter.text == "")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and pane.query_filter.not_visited
        await pilot.press("escape")
        await _statistics_at(pilot, ["station", "room"], cell)
        assert not pane.query_filter.not_visited and pane.query_filter.visited_in is None


async def test_a_filter_of_ones_own_escape_clears_it_and_stays(
    sqlite_db: Database, clock: Clock
) -> None:
    boss = load_training(ServiceContext(sqlite_db, clock=clock)).as_actor(BOSS)
    app = PoliceRoomApp(boss)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "exclamation_mark")
        pane = app.screen.query_one(DisputesPane)
        await until(pilot, lambda: pane.filter.needs_action and pane.table.total is not None)
        assert "(esc clears)" in _status(pane)
        await pilot.press("escape")
        await until(pilot, lambda: not pane.filter.active)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
