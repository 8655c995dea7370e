"""SVG snapshots of the lock screen over the desk at 80x24: nothing of the panes shows."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from policeroom.models.audit import Role
from policeroom.services.core.context import Actor
from policeroom.ui.app import PoliceRoomApp
from tests.snapshots.conftest import ready
from tests.unit.people_world import World


async def locked(pilot: Pilot[object]) -> None:
    await ready(pilot)
    await pilot.press("2", "n")  # a resident form, typed into, under the lock
    await ready(pilot)
    await pilot.press(*"孙悟空")
    await pilot.press("f12")
    await ready(pilot)


def test_lock_screen(snap_compare: Any, desk: World) -> None:
    ctx = desk.ctx.as_actor(Actor("wangjg", Role.DESK, desk.room_id))
    assert snap_compare(PoliceRoomApp(ctx), terminal_size=(80, 24), run_before=locked)


def test_lock_screen_in_training_in_chinese(snap_compare: Any, desk: World) -> None:
    ctx = desk.ctx.as_actor(Actor("学员", Role.TRAINER))
    app = PoliceRoomApp(ctx, training=True, language="zh")
    assert snap_compare(app, terminal_size=(80, 24), run_before=locked)
