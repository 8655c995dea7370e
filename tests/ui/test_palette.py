"""ctrl+p: every action by name, and jumps to a grid by code or name."""

from __future__ import annotations

from textual.command import CommandPalette

from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.disputes.disputes_pane import DisputesPane
from policeroom.ui.org.grid_form import GridForm
from policeroom.ui.org.grid_tree import GridTree
from policeroom.ui.people.resident_card import ResidentCardScreen
from policeroom.ui.people.residents_pane import ResidentsPane
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle
from tests.unit.people_world import World


async def palette_choose(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*text)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_palette_jumps_to_a_grid_by_name(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette_choose(pilot, "曹镇村三组")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        tree = screen.query_one(GridTree)
        assert tree.grid is not None and tree.grid.id == world.group2.id
        assert screen.focused is tree
        assert screen.query_one(ResidentsPane).query_filter.grid_id == world.group2.id
        await pilot.press("3")  # a pane hidden behind its tab reads the grid once shown
        await settle(pilot)
        assert screen.query_one(DisputesPane).grid_id == world.group2.id


async def test_palette_jumps_to_a_grid_by_code(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette_choose(pilot, "XH01-01-02")
        tree = app.screen.query_one(GridTree)
        assert tree.grid is not None and tree.grid.name == "光明路二组"


async def test_palette_runs_a_key_action(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # from another area: the palette goes to the tree first
        await settle(pilot)
        await palette_choose(pilot, "Add a grid under")
        assert isinstance(app.screen, GridForm)
        assert app.screen.level == 1


async def test_palette_jumps_to_a_resident_by_pinyin(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette_choose(pilot, "zhangxiaohong")
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        assert "张小红" in " ".join(str(w.render()) for w in card.query("Static"))
