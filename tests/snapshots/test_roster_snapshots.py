"""SVG snapshots of the duty roster on the training branch, the clock frozen at 2022-05-01
09:30: the week at 80x24 (in its tab, and zoomed to the whole screen), at 200x60 zoomed with
who is on duty beside it, and the on-duty list at 80x24."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from policeroom.ui.app import PoliceRoomApp
from tests.snapshots.conftest import ready
from tests.ui.roster_world import Branch, branch, open_room, training_db, training_template

__all__ = ["branch", "training_db", "training_template"]


async def room(pilot: Pilot[object]) -> None:
    await open_room(pilot)
    await ready(pilot)


async def zoomed(pilot: Pilot[object]) -> None:
    await room(pilot)
    await pilot.press("z")
    await ready(pilot)


def test_roster_week_in_its_tab_80x24(snap_compare: Any, branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    assert snap_compare(app, terminal_size=(80, 24), run_before=room)


def test_roster_week_80x24(snap_compare: Any, branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    assert snap_compare(app, terminal_size=(80, 24), run_before=zoomed)


def test_roster_week_200x60(snap_compare: Any, branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    assert snap_compare(app, terminal_size=(200, 60), run_before=zoomed)


def test_roster_on_duty_now_80x24(snap_compare: Any, branch: Branch) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await zoomed(pilot)
        await pilot.press("o")
        await ready(pilot)

    app = PoliceRoomApp(branch.ctx)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
