"""SVG snapshots of the lists behind the statistics' visits, 1-3-5 calls, in-time and missing
sweeps figures, opened with ``enter`` on a station's row of the training branch (the clock
frozen at 2022-05-01, this quarter), at 80x24 in English and Chinese, and at 200x60 in
Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from policeroom.models.audit import Role
from policeroom.services.core.context import Actor
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.record_list import RecordListScreen
from policeroom.ui.disputes.sweep_weeks import SweepWeeksScreen
from policeroom.ui.stats.stats_screen import COLUMNS, FIRST_FIGURE, StatsScreen
from tests.snapshots.conftest import ready
from tests.snapshots.test_stats_snapshots import stations
from tests.ui.roster_world import Branch, branch, training_db, training_template

__all__ = ["branch", "training_db", "training_template"]

LANGUAGES = pytest.mark.parametrize("language", ["en", "zh"])
FIGURES = pytest.mark.parametrize("figure", ["visits", "calls", "share_met", "missing_sweeps"])
HQ = Actor("hq.mulei", Role.HQ)


def figure_list(figure: str) -> Any:
    """From the stations, ``enter`` on ``figure`` of the first station with a missing sweep."""

    async def run_before(pilot: Pilot[object]) -> None:
        await stations(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StatsScreen)
        row = next(i for i, r in enumerate(screen.shown) if r.get("missing_sweeps"))
        await pilot.press(*["down"] * row, *["right"] * (FIRST_FIGURE + COLUMNS.index(figure)))
        await pilot.press("enter")
        for _ in range(400):
            shown = pilot.app.screen
            if (
                isinstance(shown, RecordListScreen)
                and shown.total is not None
                and (not isinstance(shown, SweepWeeksScreen) or shown.missing is not None)
            ):
                break
            await pilot.pause(0.05)
        await ready(pilot)

    return run_before


@LANGUAGES
@FIGURES
def test_each_list_80x24(snap_compare: Any, branch: Branch, language: str, figure: str) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language=language)
    assert snap_compare(app, terminal_size=(80, 24), run_before=figure_list(figure))


@FIGURES
def test_each_list_200x60(snap_compare: Any, branch: Branch, figure: str) -> None:
    app = PoliceRoomApp(branch.ctx.as_actor(HQ), language="zh")
    assert snap_compare(app, terminal_size=(200, 60), run_before=figure_list(figure))
