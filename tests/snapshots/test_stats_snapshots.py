"""SVG snapshots of the statistics screen on the training branch, the clock frozen at
2022-05-01: headquarters' stations and one station's rooms ranked by anti-fraud installs, at
80x24 and 200x60, in English and Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from policeroom.models.audit import Role
from policeroom.services.core.context import Actor
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.stats.stats_screen import StatsScreen
from tests.snapshots.conftest import ready
from tests.ui.roster_world import Branch, branch, training_db, training_template

__all__ = ["branch", "training_db", "training_template"]

LANGUAGES = pytest.mark.parametrize("language", ["en", "zh"])
HQ = Actor("hq.mulei", Role.HQ)


async def stations(pilot: Pilot[object]) -> None:
    await ready(pilot)
    await pilot.press("5")
    for _ in range(400):
        screen = pilot.app.screen
        if isinstance(screen, StatsScreen) and screen.shown:
            break
        await pilot.pause(0.05)
    await ready(pilot)


async def ranked_rooms(pilot: Pilot[object]) -> None:
    await stations(pilot)
    await pilot.press("enter", "s")
    await ready(pilot)


@LANGUAGES
def test_stations_80x24(snap_compare: Any, branch: Branch, language: str) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language=language)
    assert snap_compare(app, terminal_size=(80, 24), run_before=stations)


@LANGUAGES
def test_rooms_ranked_80x24(snap_compare: Any, branch: Branch, language: str) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language=language)
    assert snap_compare(app, terminal_size=(80, 24), run_before=ranked_rooms)


def test_rooms_ranked_200x60(snap_compare: Any, branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ))
    assert snap_compare(app, terminal_size=(200, 60), run_before=ranked_rooms)
