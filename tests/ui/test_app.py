"""The shell: main screen layout, areas and focus, first run, training marker and reset."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Label, Tabs

from policeroom.clock import Clock
from policeroom.commands.tui_cmd import load_fixture
from policeroom.db import Database
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.terminal import ANIMATIONS_VAR, MOUSE_VAR, terminal_options
from policeroom.ui.org.grid_tree import GridTree
from policeroom.ui.shell.first_run import FirstRunScreen
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle, until
from tests.ui.noted_app import NotedApp
from tests.unit.people_world import World


async def test_main_screen_has_the_tree_and_three_panes(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for area in ("grid-tree", "residents", "disputes", "roster"):
            assert hasattr(screen.query_one(f"#{area}"), "filter_grid") or area == "grid-tree"
        assert isinstance(screen.focused, GridTree)
        assert screen.tabbed
        header = screen.query_one("#header-date", Label)
        assert "2022-05-01 Sun" in str(header.render())


async def test_number_keys_and_tab_move_between_areas(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("3")
        await until(pilot, lambda: screen.area_of(screen.focused) == "disputes")
        assert screen.query_one(Tabs).active == "tab-disputes"
        assert screen.query_one("#disputes").display
        assert not screen.query_one("#residents").has_class("-shown")
        await pilot.press("4")
        await until(pilot, lambda: screen.area_of(screen.focused) == "roster")
        await pilot.press("tab")
        await until(pilot, lambda: screen.area_of(screen.focused) == "grid-tree")
        await pilot.press("shift+tab")
        await until(pilot, lambda: screen.area_of(screen.focused) == "roster")
        await pilot.press("1")
        await until(pilot, lambda: isinstance(screen.focused, GridTree))


async def test_wide_terminal_shows_every_pane_without_tabs(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert not screen.tabbed
        assert not screen.query_one(Tabs).display
        for area in ("residents", "disputes", "roster"):
            assert screen.query_one(f"#{area}").region.width > 0


async def test_q_quits_from_the_main_screen(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_empty_database_opens_on_the_first_run_screen(sqlite_db: Database) -> None:
    ctx = ServiceContext(sqlite_db, clock=Clock.fixed(datetime(2022, 5, 1, 9, 30)))
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        text = str(app.screen.query_one("#first-run-text").render())
        assert "policeroom training" in text
        assert "policeroom fixtures load PATH" in text
        await pilot.press("t")
        await pilot.pause()
    assert app.return_value == "training"
    assert grids.children(ctx, None) == []


async def test_training_data_that_cannot_be_loaded_is_told_and_first_run_comes_back(
    sqlite_db: Database,
) -> None:
    def unreadable(ctx: ServiceContext, name: str) -> None:
        raise OSError(f"{name}: permission denied")

    ctx = ServiceContext(sqlite_db, clock=Clock.fixed(datetime(2022, 5, 1, 9, 30)))
    app = NotedApp(ctx, load_fixture=unreadable)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("l")
        await settle(pilot)
        assert app.errors() == ["Could not load the training data: training: permission denied"], (
            app.notes
        )
        assert isinstance(app.screen, FirstRunScreen)  # the database is still empty


async def test_first_run_loads_the_training_data_and_shows_it(sqlite_db: Database) -> None:
    ctx = ServiceContext(sqlite_db, clock=Clock.fixed(datetime(2022, 5, 1, 9, 30)))
    app = NotedApp(ctx, load_fixture=load_fixture)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("l")
        await settle(pilot)
        assert ("Training data loaded.", "information") in app.notes
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await until(pilot, lambda: bool(screen.query_one(GridTree).root.children))
    assert grids.children(ctx, None)


def test_over_ssh_animations_and_mouse_are_off_unless_asked() -> None:
    local = terminal_options({})
    assert (local.animations, local.mouse, local.remote) == (True, True, False)
    remote = terminal_options({"SSH_CONNECTION": "10.0.0.2 50022 10.0.0.1 22"})
    assert (remote.animations, remote.mouse, remote.remote) == (False, False, True)
    asked = terminal_options(
        {"SSH_CONNECTION": "10.0.0.2 50022 10.0.0.1 22", MOUSE_VAR: "on", ANIMATIONS_VAR: "1"}
    )
    assert (asked.animations, asked.mouse) == (True, True)
    quiet = terminal_options({ANIMATIONS_VAR: "off", MOUSE_VAR: "no"})
    assert (quiet.animations, quiet.mouse) == (False, False)


async def test_the_app_follows_the_terminal_options(world: World) -> None:
    remote = terminal_options({"SSH_CONNECTION": "10.0.0.2 50022 10.0.0.1 22"})
    app = PoliceRoomApp(world.ctx, options=remote)
    assert app.animation_level == "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.animation_level == "none"
    assert PoliceRoomApp(world.ctx, options=terminal_options({})).animation_level != "none"
