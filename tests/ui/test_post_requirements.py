"""A post's requirements at the roster's doors, keys only: an auxiliary put on a police-only
beat asks first (no saves nothing, yes saves and audits the warning), and a swap is answered
only by the person asked, from their own login."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import col, select

from policeroom.models.audit import AuditLog
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.confirm import ConfirmScreen
from policeroom.ui.duty.shift_form import ShiftForm
from policeroom.ui.duty.swap_list import SwapsScreen
from tests.ui.conftest import settle
from tests.ui.noted_app import NotedApp
from tests.ui.roster_world import (
    Branch,
    branch,
    calm,
    cursor_to,
    open_room,
    training_db,
    training_template,
)
from tests.ui.test_roster_edits import choose

__all__ = ["branch", "training_db", "training_template"]

MAY_3 = date(2022, 5, 3)
BEAT = "R0101-BEAT"


async def test_an_auxiliary_on_a_police_only_beat_is_asked_first(branch: Branch) -> None:
    beat = branch.shift(BEAT, datetime(2022, 5, 3, 9))
    xia = branch.staff("夏涛")
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await cursor_to(pilot, pane, "民警巡查", MAY_3)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ShiftForm) and form.draft.shift is not None
        assert form.draft.shift.shift_id == beat.id
        await choose(pilot, "夏涛")
        await pilot.press("ctrl+s")
        await calm(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "东环路社区社区民警巡查 needs police officer; 夏涛 is auxiliary police" in (
            question.question
        )
        # No: nothing saved, the reason stays under the field, the choice is kept.
        await pilot.press("n")
        await calm(pilot)
        assert app.screen is form
        assert any("needs police officer" in e for e in form.field_errors["staff_id"])
        assert branch.shift(BEAT, datetime(2022, 5, 3, 9)).staff_id == beat.staff_id
        # Yes on the next save: 夏涛 takes the beat, and the audit row says what was confirmed.
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await calm(pilot)
        assert not isinstance(app.screen, (ShiftForm, ConfirmScreen))
    assert branch.shift(BEAT, datetime(2022, 5, 3, 9)).staff_id == xia
    with branch.db.session() as session:
        row = session.exec(
            select(AuditLog)
            .where(col(AuditLog.table_name) == "shift", col(AuditLog.record_id) == beat.id)
            .order_by(col(AuditLog.id).desc())
        ).first()
    assert row is not None
    assert json.loads(row.after or "{}")["confirmed"] == [
        "东环路社区社区民警巡查 needs police officer; 夏涛 is auxiliary police"
    ]


async def test_only_the_person_asked_answers_a_swap(branch: Branch) -> None:
    # The training set's waiting swap: 卢永强 (desk.r0101) asked 夏涛. A colleague at the
    # same room's desk sees it but cannot answer for him (another room's desk sees nothing).
    app = NotedApp(branch.login("宋丽娟", "songlj"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("w")
        await settle(pilot)
        swaps = app.screen
        assert isinstance(swaps, SwapsScreen) and swaps.current is not None
        waiting = swaps.current
        await pilot.press("a", "y")
        await calm(pilot)
        assert any("only 夏涛, who was asked, can answer" in e for e in app.errors())
        assert [s.id for s in swaps.items] == [waiting.id]  # still waiting
    app = NotedApp(branch.login("夏涛", "xiatao"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("w")
        await settle(pilot)
        swaps = app.screen
        assert isinstance(swaps, SwapsScreen)
        await pilot.press("a", "y")
        await calm(pilot)
        assert app.errors() == []
        assert swaps.items == []
    assert branch.shift("R0101-DESK", datetime(2022, 5, 5, 8, 30)).staff_id == branch.staff("夏涛")
