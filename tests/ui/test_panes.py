"""The disputes and roster panes: real rows, filtered by the selected grid, searchable."""

from __future__ import annotations

from policeroom.services.org.grids import room_of_grid
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.disputes.disputes_pane import DisputesPane
from policeroom.ui.duty.roster_pane import RosterPane
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle
from tests.unit.people_world import World


async def test_disputes_follow_the_grid_and_the_search(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        pane = screen.query_one(DisputesPane)
        assert pane.table.total is None  # behind its tab: nothing read until shown
        await pilot.press("3", "1")  # the disputes on show beside the tree
        await settle(pilot)
        assert pane.table.total == 2
        await pilot.press("down", "down")  # 矿工路街道: no disputes there
        await settle(pilot)
        assert pane.table.total == 0
        await pilot.press("up")  # 西市场街道: both
        await settle(pilot)
        assert pane.table.total == 2
        await pilot.press("3", "slash")
        await settle(pilot)
        await pilot.press(*"zs")  # 张三 by pinyin initials
        await settle(pilot)
        assert pane.table.total == 1
        row = pane.table.highlighted
        assert row is not None and "张三" in row.parties
        await pilot.press("escape")
        await settle(pilot)
        assert pane.table.total == 2


async def test_roster_shows_the_room_of_the_selected_grid(world: World) -> None:
    assert room_of_grid(world.ctx, world.group.id) == world.room_id  # inherited from the village
    assert room_of_grid(world.ctx, world.street.id) is None
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4", "1", "down", "right")  # the roster on show beside the tree
        await settle(pilot)
        await pilot.press("down")  # 光明路社区, whose room is 光明路社区警务室
        await settle(pilot)
        roster = app.screen.query_one(RosterPane)
        assert roster.last_read is not None
        assert roster.last_read.room_name == "光明路社区警务室"
