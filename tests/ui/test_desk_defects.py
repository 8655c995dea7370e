"""Issue 13's desk-ready defects, each driven by keys on the training data."""

from __future__ import annotations

from textual.widgets import Static

from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.duty.roster_checks import RosterChecksScreen
from policeroom.ui.duty.roster_pane import RosterPane
from policeroom.ui.org.grid_tree import GridTree
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle
from tests.ui.roster_world import Branch, branch, training_db, training_template

__all__ = ["branch", "training_db", "training_template"]


async def test_the_checks_of_the_week_read_every_room_with_branch_posts(branch: Branch) -> None:
    """Defect 2: a branch-level post (no room) sorted against a room's number failed."""
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        checks = app.screen
        assert isinstance(checks, RosterChecksScreen)
        listed = str(checks.query_one("#roster-list-status", Static).render())
        assert not listed.startswith("Could not read"), listed
        assert checks.items, listed


async def test_leaving_the_zoomed_roster_by_key_shows_the_area_asked_for(branch: Branch) -> None:
    """Defect 3: zoom then 1/2/3/tab left a blank screen whose keys acted on a hidden pane."""
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for key, wanted in (("1", GridTree), ("2", None), ("3", None), ("tab", None)):
            await pilot.press("4")
            await settle(pilot)
            await pilot.press("z")
            await settle(pilot)
            assert isinstance(screen.maximized, RosterPane)
            await pilot.press(key)
            await settle(pilot)
            assert screen.maximized is None, key
            focused = screen.focused
            assert focused is not None and focused.region.area > 0, key
            area = screen.area_of(focused)
            assert area != "roster" or key == "tab", (key, area)
            if wanted is not None:
                assert isinstance(focused, wanted)
