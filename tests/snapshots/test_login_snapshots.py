"""SVG snapshots of the login screen at 80x24, in English and in Chinese, after a refusal."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from policeroom.ui.app import PoliceRoomApp
from tests.snapshots.conftest import ready
from tests.unit.people_world import World


async def refused(pilot: Pilot[object]) -> None:
    await ready(pilot)
    await pilot.press(*"不对的口令-2026", "enter")
    await ready(pilot)


def test_login_screen(snap_compare: Any, desk: World) -> None:
    app = PoliceRoomApp(desk.ctx, login="wangjg")
    assert snap_compare(app, terminal_size=(80, 24), run_before=refused)


def test_login_screen_in_chinese(snap_compare: Any, desk: World) -> None:
    app = PoliceRoomApp(desk.ctx, language="zh", login="wangjg")
    assert snap_compare(app, terminal_size=(80, 24), run_before=refused)
