"""SVG snapshots of the shell: main screen (80x24 English and Chinese, 200x60), grid card,
grid form, the grid's move picker and assign form, and help screen."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from policeroom.ui.app import PoliceRoomApp
from tests.snapshots.conftest import ready
from tests.unit.people_world import World


async def open_village(pilot: Pilot[object]) -> None:
    await ready(pilot)
    await pilot.press("down", "right")
    await ready(pilot)
    await pilot.press("down", "right")
    await ready(pilot)


def test_main_screen(snap_compare: Any, desk: World) -> None:
    assert snap_compare(PoliceRoomApp(desk.ctx), terminal_size=(80, 24), run_before=open_village)


def test_main_screen_in_chinese(snap_compare: Any, desk: World) -> None:
    app = PoliceRoomApp(desk.ctx, language="zh")
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_village)


def test_main_screen_wide(snap_compare: Any, desk: World) -> None:
    assert snap_compare(PoliceRoomApp(desk.ctx), terminal_size=(200, 60), run_before=open_village)


def test_grid_card(snap_compare: Any, desk: World) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_village(pilot)
        await pilot.press("enter")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(desk.ctx), terminal_size=(80, 24), run_before=run_before)


def test_grid_form(snap_compare: Any, desk: World) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_village(pilot)
        await pilot.press("n")
        await ready(pilot)
        await pilot.press(*"03", "tab", *"光明路三组[东区]")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(desk.ctx), terminal_size=(80, 24), run_before=run_before)


def test_help_screen(snap_compare: Any, desk: World) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await pilot.press("f1")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(desk.ctx), terminal_size=(80, 24), run_before=run_before)


def test_grid_move_picker(snap_compare: Any, desk: World) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_village(pilot)
        await pilot.press("m")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(desk.ctx), terminal_size=(80, 24), run_before=run_before)


def test_grid_assign_form(snap_compare: Any, desk: World) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_village(pilot)
        await pilot.press("a")
        await ready(pilot)
        await pilot.press("tab", "tab", "tab", *"王")  # a second administrator, by name
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(desk.ctx), terminal_size=(80, 24), run_before=run_before)
