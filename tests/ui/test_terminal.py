"""The terminal options: a text cursor that blinks only where asked, steady from the start."""

from __future__ import annotations

from textual.widgets import Input

from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.terminal import CURSOR_BLINK_VAR, TerminalOptions, terminal_options
from tests.ui.conftest import settle
from tests.unit.people_world import World

SSH = {"SSH_CONNECTION": "10.0.0.2 50022 10.0.0.1 22"}


def test_the_cursor_blinks_at_a_local_desk_only_unless_asked() -> None:
    assert terminal_options({}).cursor_blink
    assert not terminal_options(SSH).cursor_blink
    assert terminal_options({**SSH, CURSOR_BLINK_VAR: "on"}).cursor_blink
    assert not terminal_options({CURSOR_BLINK_VAR: "off"}).cursor_blink


async def focused_inputs(app: PoliceRoomApp) -> list[Input]:
    """The residents' search box, then the command palette's: each focused in its turn."""
    seen: list[Input] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash")
        await settle(pilot)
        assert isinstance(app.focused, Input)
        seen.append(app.focused)
        await pilot.press("escape", "ctrl+p")
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused not in seen
        seen.append(app.focused)
    return seen


async def test_a_steady_cursor_does_not_blink_on_any_screen(world: World) -> None:
    steady = PoliceRoomApp(world.ctx, options=TerminalOptions(cursor_blink=False))
    assert [field.cursor_blink for field in await focused_inputs(steady)] == [False, False]
    blinking = PoliceRoomApp(world.ctx, options=TerminalOptions(cursor_blink=True))
    assert [field.cursor_blink for field in await focused_inputs(blinking)] == [True, True]


async def test_the_app_follows_the_terminal_it_runs_in(world: World) -> None:
    # The suite's terminal (tests/conftest.py known_terminal) asks for a steady cursor.
    assert not PoliceRoomApp(world.ctx).options.cursor_blink
