"""SVG snapshots of the duty roster on the training branch, the clock frozen at 2022-05-01
09:30: the week at 80x24 (in its tab, the tree folded away, and zoomed to the whole screen),
at 70x20 with fewer days, at 200x60 in its place and zoomed with who is on duty beside it,
the on-duty list at 80x24, and the leave, shift and swap forms at 80x24."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot

from policeroom.ui.app import PoliceRoomApp
from tests.snapshots.conftest import ready
from tests.ui.roster_world import (
    Branch,
    branch,
    cursor_to,
    open_room,
    training_db,
    training_template,
)

__all__ = ["branch", "training_db", "training_template"]

MAY_2 = date(2022, 5, 2)
MAY_8 = date(2022, 5, 8)


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


def test_roster_week_in_its_tab_70x20(snap_compare: Any, branch: Branch) -> None:
    """Issue 13 (9): whole names beside the tree at the smallest usable size."""
    app = PoliceRoomApp(branch.ctx)
    assert snap_compare(app, terminal_size=(70, 20), run_before=room)


def test_roster_week_in_its_tab_in_chinese_80x24(snap_compare: Any, branch: Branch) -> None:
    """Issue 13 (9): whole names, room headings without a stray space (分局和派出所)."""
    app = PoliceRoomApp(branch.ctx, language="zh")
    assert snap_compare(app, terminal_size=(80, 24), run_before=room)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_roster_week_in_its_place_200x60(snap_compare: Any, branch: Branch, language: str) -> None:
    """Wide and tall: the roster below the residents, beside the disputes, the tree kept."""
    app = PoliceRoomApp(branch.ctx, language=language)
    assert snap_compare(app, terminal_size=(200, 60), run_before=room)


def test_roster_days_moved_in_chinese_70x20(snap_compare: Any, branch: Branch) -> None:
    """Issue 13 (9): six days fit; ``<`` brings Monday back and ``>`` shows it left out."""

    async def run_before(pilot: Pilot[object]) -> None:
        await room(pilot)
        await pilot.press("less_than_sign")
        await ready(pilot)

    app = PoliceRoomApp(branch.ctx, language="zh")
    assert snap_compare(app, terminal_size=(70, 20), run_before=run_before)


def test_terminal_too_small(snap_compare: Any, branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    assert snap_compare(app, terminal_size=(60, 18), run_before=ready)


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


async def next_week_at(pilot: Pilot[object], label: str, day: date, *, by_person: bool) -> None:
    """The room's next week, the cursor on ``label``'s row on ``day`` (moved by arrow keys)."""
    pane = await open_room(pilot)
    await pilot.press("right_square_bracket")
    await ready(pilot)
    if by_person:
        await pilot.press("v")
        await ready(pilot)
    await cursor_to(pilot, pane, label, day)
    await ready(pilot)


async def choose(pilot: Pilot[object], text: str) -> None:
    """Open the focused select, type to find the option, choose it."""
    await pilot.press("enter")
    await ready(pilot)
    await pilot.press(*text, "enter")
    await ready(pilot)


def test_leave_form_80x24(snap_compare: Any, branch: Branch) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await next_week_at(pilot, "夏涛", MAY_2, by_person=True)
        await pilot.press("l")
        await ready(pilot)

    app = PoliceRoomApp(branch.ctx)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_shift_form_with_a_double_booking_80x24(snap_compare: Any, branch: Branch) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await next_week_at(pilot, "值班台", MAY_2, by_person=False)
        await pilot.press("e")
        await ready(pilot)
        await choose(pilot, "宋丽娟")  # she patrols 09:00–17:00 that Monday

    app = PoliceRoomApp(branch.ctx)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_swap_form_80x24(snap_compare: Any, branch: Branch) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await next_week_at(pilot, "值班台", MAY_8, by_person=False)
        await pilot.press("s")
        await ready(pilot)
        await choose(pilot, "卢永强")

    app = PoliceRoomApp(branch.ctx)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_post_requirement_asked_80x24(snap_compare: Any, branch: Branch, language: str) -> None:
    """An auxiliary put on a police-only beat: the question before the save (issue 13)."""

    async def run_before(pilot: Pilot[object]) -> None:
        pane = await open_room(pilot)
        await pilot.press("right_square_bracket")
        await ready(pilot)
        await cursor_to(pilot, pane, "民警巡查", date(2022, 5, 3))
        await pilot.press("e")
        await ready(pilot)
        await pilot.press("enter")
        await ready(pilot)
        await pilot.press(*"夏涛", "enter")
        await ready(pilot)
        await pilot.press("ctrl+s")
        await ready(pilot)

    app = PoliceRoomApp(branch.ctx, language=language)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
