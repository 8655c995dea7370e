"""SVG snapshots at 80x24, in English and Chinese: the audit log of a supervisor narrowed to
one record, and the reason asked before a reveal."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from policeroom.clock import Clock
from policeroom.models.audit import Role
from policeroom.models.people import ResidentUpdate
from policeroom.services.core.context import Actor
from policeroom.services.people import residents
from policeroom.ui.app import PoliceRoomApp
from tests.snapshots.conftest import ready
from tests.unit.people_world import World

SIZE = (80, 24)
LANGUAGES = pytest.mark.parametrize("language", ["en", "zh"])


def _changed(desk: World) -> None:
    rid = desk.resident("张三", phone="13800138000")
    for day, login, address in ((2, "wangjg", "光明路1号"), (3, "lixl", "光明路2号")):
        ctx = replace(
            desk.ctx.as_actor(Actor(login, Role.DESK, desk.room_id)),
            clock=Clock.fixed(datetime(2022, 5, day, 10)),
        )
        version = residents.card(ctx, rid).version
        residents.update(ctx, rid, ResidentUpdate(address=address), version)


@LANGUAGES
def test_audit_log_by_record(snap_compare: Any, desk: World, language: str) -> None:
    _changed(desk)

    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await pilot.press("u")
        await ready(pilot)
        await pilot.press("r")  # the newest row's record: 张三's history
        await ready(pilot)

    app = PoliceRoomApp(desk.ctx.as_actor(Actor("zhaoq", Role.SUPERVISOR)), language=language)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@LANGUAGES
def test_reveal_reason(snap_compare: Any, desk: World, language: str) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await pilot.press("2", "enter")  # the first resident's card
        await ready(pilot)
        await pilot.press("r", "o")  # asked why; "other" wants the words
        await ready(pilot)

    app = PoliceRoomApp(
        desk.ctx.as_actor(Actor("wangjg", Role.DESK, desk.room_id)), language=language
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
