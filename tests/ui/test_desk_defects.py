"""Issue 13's desk-ready defects, each driven by keys on the training data."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import Static

from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.too_small import TooSmallScreen
from policeroom.ui.duty.leave_form import LeaveForm
from policeroom.ui.duty.roster_checks import RosterChecksScreen
from policeroom.ui.duty.roster_pane import RosterPane
from policeroom.ui.org.grid_tree import GridTree
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle
from tests.ui.roster_world import (
    Branch,
    branch,
    calm,
    cursor_to,
    open_room,
    training_db,
    training_template,
)

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


async def test_the_roster_beside_the_tree_shows_whole_names_and_moves_its_days(
    branch: Branch,
) -> None:
    """Defect 9: at 80x24 names were cut to two characters (宋丽 for 宋丽娟). At 80x24 the
    whole week now shows (tests/ui/test_roster_80x24.py); at 70x20 fewer days do."""
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(70, 20)) as pilot:
        pane = await open_room(pilot)
        grid = pane.week.grid
        assert grid.view is not None
        assert 1 < grid.days_shown < 7  # fewer days, each whole
        patrol = branch.post("R0101-BEAT")  # 宋丽娟, Monday to Friday
        # 2022-05-01 (today, a Sunday) is on show: the last days of the week
        assert grid.shown_days[-1] == date(2022, 5, 1)
        await cursor_to(pilot, pane, "", date(2022, 4, 25))  # left past the edge
        assert grid.shown_days[0] == date(2022, 4, 25)
        texts = [grid.cell_text(patrol, day) for day in grid.shown_days]
        assert "宋丽娟" in texts, texts
        assert all(text in ("", "宋丽娟") for text in texts), texts
        await cursor_to(pilot, pane, "", date(2022, 5, 1))  # and right again
        assert grid.shown_days[-1] == date(2022, 5, 1)


async def test_below_the_smallest_size_the_desk_says_so(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx, language="zh")
    async with app.run_test(size=(69, 20)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        said = str(app.screen.query_one("#too-small", Static).render())
        assert said == "终端窗口太小：至少需要 70×20"
        await pilot.press("4", "n")  # keys typed meanwhile act on nothing hidden
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.shown_pane == "residents"


async def test_leave_from_today_leaves_a_shift_already_running_to_its_person(
    branch: Branch,
) -> None:
    """Defect 14: 卢永强 is at the desk since 08:30 (it is 09:30); leave from today emptied
    that shift, and the week's gap count went wrong."""
    today = date(2022, 5, 1)
    running = branch.shift("R0101-DESK", datetime(2022, 5, 1, 8, 30))
    lu = branch.staff("卢永强")
    assert running.staff_id == lu
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("v")  # by person
        await settle(pilot)
        await cursor_to(pilot, pane, "卢永强", today)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LeaveForm) and form.field("staff_id").value == lu
        assert running.id not in [row.id for row in form.vacating]
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert not isinstance(app.screen, LeaveForm)
    assert branch.shift("R0101-DESK", datetime(2022, 5, 1, 8, 30)).staff_id == lu
