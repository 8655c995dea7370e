"""Only the pane on show reads (issue 11): below 120 columns the residents, disputes and roster
are tabs, and a pane behind its tab reads nothing at start nor when the tree's cursor moves;
it reads the grid chosen meanwhile when it is shown, and shows that grid's rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from policeroom.services.disputes import ledger
from policeroom.services.duty import roster
from policeroom.services.org.grids import room_of_grid
from policeroom.services.people import residents
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.disputes.disputes_pane import DisputesPane
from policeroom.ui.duty.roster_pane import RosterPane
from policeroom.ui.people.residents_pane import ResidentsPane
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle
from tests.ui.roster_world import Branch, branch, training_db, training_template

__all__ = ["branch", "training_db", "training_template"]


@dataclass
class Reads:
    """The grids (residents, disputes) and rooms (roster) each pane's list was read for."""

    residents: list[int | None] = field(default_factory=list)
    disputes: list[int | None] = field(default_factory=list)
    roster: list[int | None] = field(default_factory=list)

    def clear(self) -> None:
        self.residents.clear()
        self.disputes.clear()
        self.roster.clear()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    """Every read of the three lists, noted on its way to the real service call."""
    seen = Reads()

    def noting(
        module: Any, name: str, into: list[int | None], key: Callable[..., int | None]
    ) -> None:
        real = getattr(module, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            into.append(key(*args, **kwargs))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, call)

    noting(residents, "window", seen.residents, lambda _ctx, query, *_: query.grid_id)
    noting(ledger, "window", seen.disputes, lambda _ctx, query, *_: query.grid_id)
    noting(roster, "week", seen.roster, lambda _ctx, room_id, *_, **__: room_id)
    return seen


def grid_on_show(screen: MainScreen) -> int | None:
    return screen.grid.id if screen.grid is not None else None


async def test_a_pane_behind_its_tab_reads_only_when_shown(branch: Branch, reads: Reads) -> None:
    app = PoliceRoomApp(branch.ctx)  # headquarters: the roster's week would be every room's
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.tabbed
        start = grid_on_show(screen)
        # At start only the residents on show read, once, for the tree's first grid.
        assert reads.residents == [start]
        assert (reads.disputes, reads.roster) == ([], [])
        disputes, roster_pane = screen.query_one(DisputesPane), screen.query_one(RosterPane)
        assert disputes.table.total is None and roster_pane.last_read is None

        # Into the first street, on its first village (which has a police room): the
        # residents read each grid the cursor rests on, the hidden panes nothing.
        moved: list[int | None] = []
        for key in ("down", "right", "down"):
            await pilot.press(key)
            await settle(pilot)
            if grid_on_show(screen) != (moved[-1] if moved else start):
                moved.append(grid_on_show(screen))
        grid = moved[-1]
        assert grid is not None and grid != start
        assert reads.residents == [start, *moved]
        assert (reads.disputes, reads.roster) == ([], [])

        # Shown, the roster reads the room of the grid chosen meanwhile, and only that room.
        reads.clear()
        await pilot.press("4")
        await settle(pilot)
        room = room_of_grid(branch.ctx, grid)
        assert reads.roster == [room]
        assert (reads.residents, reads.disputes) == ([], [])
        found = roster_pane.last_read
        assert found is not None and found.room_id == room
        assert {row.police_room_id for row in found.week.rows} == {room}

        # The disputes, shown, read that grid; the roster behind its tab stays as it was.
        reads.clear()
        await pilot.press("3")
        await settle(pilot)
        assert reads.disputes == [grid]
        assert (reads.residents, reads.roster) == ([], [])
        shown = [row.id for row in disputes.table.loaded_rows]
        expected = ledger.window(branch.ctx, ledger.DisputeQuery(grid_id=grid), 0, len(shown))
        assert shown and shown == [row.id for row in expected]
        assert disputes.table.total == ledger.count(branch.ctx, ledger.DisputeQuery(grid_id=grid))

        # Back in the tree, a move reads the disputes on show only; the residents catch up
        # when shown, once, with the grid the cursor rests on.
        reads.clear()
        await pilot.press("1", "up")
        await settle(pilot)
        before = grid_on_show(screen)
        assert before != grid
        assert reads.disputes == [before]
        assert (reads.residents, reads.roster) == ([], [])
        await pilot.press("2")
        await settle(pilot)
        assert reads.residents == [before]
        shown_residents = screen.query_one(ResidentsPane).table.loaded_rows
        expected_residents = residents.window(
            branch.ctx, residents.ResidentQuery(grid_id=before), 0, len(shown_residents)
        )
        assert [row.id for row in shown_residents] == [row.id for row in expected_residents]


async def test_wide_every_pane_reads_the_grid_at_once(branch: Branch, reads: Reads) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and not screen.tabbed
        start = grid_on_show(screen)
        # Every pane read the first grid (a list may read a second window as it is laid out).
        assert set(reads.residents) == {start} and set(reads.disputes) == {start}
        assert reads.roster
        reads.clear()
        await pilot.press("down")
        await settle(pilot)
        grid = grid_on_show(screen)
        assert grid != start
        assert set(reads.residents) == {grid} and set(reads.disputes) == {grid}
