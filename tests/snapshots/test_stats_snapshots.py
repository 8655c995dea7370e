"""SVG snapshots of the statistics screen on the training branch, the clock frozen at
2022-05-01: each level (headquarters' stations, a station's rooms, a room's grids) and one
station's rooms ranked by anti-fraud installs, at 80x24 and 200x60, in English and Chinese;
and each of its charts (and one as a table)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from policeroom.models.audit import Role
from policeroom.services.core.context import Actor
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.stats.charts_screen import ChartsScreen
from policeroom.ui.stats.stats_screen import StatsScreen
from policeroom.ui.stats.stats_table import StatsTable
from policeroom.ui.stats.target_form import TargetForm
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


def level(depth: int) -> Any:
    """From the stations, ``enter`` on the first row ``depth`` times: 0 the stations, 1 the
    first station's rooms, 2 its first room's grids."""

    async def run_before(pilot: Pilot[object]) -> None:
        await stations(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StatsScreen)
        for places in range(2, depth + 2):
            await pilot.press("enter")
            for _ in range(400):
                if len(screen.places) == places and screen.shown:
                    break
                await pilot.pause(0.05)
            assert len(screen.places) == places
        await ready(pilot)

    return run_before


@LANGUAGES
@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
@pytest.mark.parametrize("depth", [0, 1, 2], ids=["stations", "rooms", "grids"])
def test_each_level(
    snap_compare: Any, branch: Branch, language: str, size: tuple[int, int], depth: int
) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language=language)
    assert snap_compare(app, terminal_size=size, run_before=level(depth))


@LANGUAGES
def test_rooms_ranked_80x24(snap_compare: Any, branch: Branch, language: str) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language=language)
    assert snap_compare(app, terminal_size=(80, 24), run_before=ranked_rooms)


def test_rooms_ranked_200x60(snap_compare: Any, branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ))
    assert snap_compare(app, terminal_size=(200, 60), run_before=ranked_rooms)


async def scrolled_to_the_end(pilot: Pilot[object]) -> None:
    """From the stations, → to the last column: the view ends on whole columns."""
    await stations(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    table = screen.query_one(StatsTable)
    await pilot.press(*["right"] * (len(table.columns) - 1))
    await ready(pilot)


@LANGUAGES
def test_scrolled_to_the_end_80x24(snap_compare: Any, branch: Branch, language: str) -> None:
    """No tail of a cut figure stands after the units' names ("东安路派出所 %")."""
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language=language)
    assert snap_compare(app, terminal_size=(80, 24), run_before=scrolled_to_the_end)


def charts(keys: str) -> Any:
    """From the stations, ``g`` and then ``keys`` (which chart, ``t`` for its table)."""

    async def run_before(pilot: Pilot[object]) -> None:
        await stations(pilot)
        await pilot.press("g")
        for _ in range(400):
            screen = pilot.app.screen
            if isinstance(screen, ChartsScreen) and screen.found is not None:
                break
            await pilot.pause(0.05)
        await pilot.press(*keys)
        await ready(pilot)

    return run_before


@LANGUAGES
@pytest.mark.parametrize("chart", ["1", "2", "3"])
def test_charts_80x24(snap_compare: Any, branch: Branch, language: str, chart: str) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language=language)
    assert snap_compare(app, terminal_size=(80, 24), run_before=charts(chart))


def test_chart_as_a_table_80x24(snap_compare: Any, branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language="zh")
    assert snap_compare(app, terminal_size=(80, 24), run_before=charts("2t"))


def test_charts_200x60(snap_compare: Any, branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language="zh")
    assert snap_compare(app, terminal_size=(200, 60), run_before=charts("1"))


async def target_form(pilot: Pilot[object]) -> None:
    """A supervisor's station → first room → its first grid's targets (``t``)."""
    await stations(pilot)
    await pilot.press("enter", "enter")
    await ready(pilot)
    await pilot.press("t")
    for _ in range(400):
        screen = pilot.app.screen
        if isinstance(screen, TargetForm) and screen.target is not None:
            break
        await pilot.pause(0.05)
    await ready(pilot)


@LANGUAGES
def test_target_form_80x24(snap_compare: Any, branch: Branch, language: str) -> None:
    boss = Actor("lishaoqing", Role.SUPERVISOR, branch.room("R0102"))
    app = PoliceRoomApp(branch.ctx.as_actor(boss), language=language)
    assert snap_compare(app, terminal_size=(80, 24), run_before=target_form)
