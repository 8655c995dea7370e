"""Changing the roster from the week with keys only, checked against the database: a swap asked
and agreed, an answer someone else gave first, leave that opens a gap the week flags at once,
a double booking refused with the service's message and the typing kept, nothing written, the
gap filled and its flag gone."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import func, select

from policeroom.models.audit import AuditLog
from policeroom.models.roster import Leave, ShiftSwap, SwapStatus
from policeroom.services.duty import swaps as swap_service
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.duty.leave_form import LeaveForm
from policeroom.ui.duty.shift_form import ShiftForm
from policeroom.ui.duty.swap_form import SwapForm
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

__all__ = ["branch", "training_db", "training_template"]

MAY_2 = date(2022, 5, 2)
MAY_8 = date(2022, 5, 8)


def audit_rows(branch: Branch) -> int:
    with branch.db.session() as session:
        return session.exec(select(func.count()).select_from(AuditLog)).one()


async def choose(pilot: object, text: str) -> None:
    """Open the focused Select, type to find the option, choose it."""
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press(*text, "enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_a_swap_is_asked_seen_by_both_and_agreed(branch: Branch) -> None:
    desk = branch.shift("R0101-DESK", datetime(2022, 5, 8, 8, 30))
    tier = branch.shift("R0101-T1", datetime(2022, 5, 1, 17, 30))
    xia, lu = branch.staff("夏涛"), branch.staff("卢永强")
    assert (desk.staff_id, tier.staff_id) == (xia, lu)
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await cursor_to(pilot, pane, "值班台", MAY_8)
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SwapForm) and form.shift.shift_id == desk.id
        await choose(pilot, "卢永强")
        assert form.field("shift_b_id").value == tier.id
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert not isinstance(app.screen, SwapForm)
        with branch.db.session() as session:
            swap = session.exec(select(ShiftSwap).where(ShiftSwap.shift_a_id == desk.id)).one()
        assert swap.status == SwapStatus.REQUESTED and swap.shift_b_id == tier.id
        # Nothing moved yet; the week marks the shift as waiting for a swap.
        assert branch.shift("R0101-DESK", datetime(2022, 5, 8, 8, 30)).staff_id == xia
        assert pane.last_read is not None and desk.id in pane.last_read.swapping
        assert "⇄" in pane.week.grid.cell_text(branch.post("R0101-DESK"), MAY_8)
    # 卢永强, who was asked, agrees from his own login (desk.r0101).
    app = PoliceRoomApp(branch.login("卢永强", "desk.r0101"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("w")
        await settle(pilot)
        swaps = app.screen
        assert isinstance(swaps, SwapsScreen)
        listed = [(s.shift_a.id, s.shift_b.id) for s in swaps.items]
        assert (desk.id, tier.id) in listed  # (and the training set's own waiting swap)
        for _ in range(len(swaps.items)):
            if swaps.current is None or swaps.current.id == swap.id:
                break
            await pilot.press("down")
            await pilot.pause()
        assert swaps.current is not None and swaps.current.id == swap.id
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("y")
        await calm(pilot)
        assert swap.id not in [s.id for s in swaps.items]
        await pilot.press("escape")
        await settle(pilot)
    assert branch.shift("R0101-DESK", datetime(2022, 5, 8, 8, 30)).staff_id == lu
    assert branch.shift("R0101-T1", datetime(2022, 5, 1, 17, 30)).staff_id == xia
    with branch.db.session() as session:
        agreed = session.get(ShiftSwap, swap.id)
    assert agreed is not None and agreed.status == SwapStatus.AGREED


async def test_an_answer_someone_else_gave_first_is_told_and_the_list_read_again(
    branch: Branch,
) -> None:
    # desk.r0101 (卢永强) asked 夏涛 for the training set's waiting swap.
    app = NotedApp(branch.login("卢永强", "desk.r0101"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("w")
        await settle(pilot)
        swaps = app.screen
        assert isinstance(swaps, SwapsScreen)
        waiting = swaps.current
        assert waiting is not None  # the training set's own waiting swap
        # 夏涛 declines it from his own login at another desk while this list is open.
        swap_service.decline_swap(branch.login("夏涛", "xiatao"), waiting.id, waiting.version)
        await pilot.press("c")  # withdraw it
        await calm(pilot)
        assert app.screen is swaps
        assert any(text.startswith("Not done:") for text in app.errors())
        assert waiting.id not in [swap.id for swap in swaps.items]
    with branch.db.session() as session:
        answered = session.get(ShiftSwap, waiting.id)
    assert answered is not None and answered.status == SwapStatus.DECLINED


async def test_leave_opens_a_gap_the_week_flags_then_filling_it_clears_the_flag(
    branch: Branch,
) -> None:
    desk_post = branch.post("R0101-DESK")
    desk = branch.shift("R0101-DESK", datetime(2022, 5, 2, 8, 30))
    xia, lu = branch.staff("夏涛"), branch.staff("卢永强")
    assert desk.staff_id == xia
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        cell = pane.week.grid.cell_of(desk_post, MAY_2)
        assert cell is not None and not cell.gap
        assert "!" not in pane.week.grid.cell_text(desk_post, MAY_2)
        # By person: 夏涛's row, Monday; l puts her on leave for that day.
        await pilot.press("v")
        await settle(pilot)
        await cursor_to(pilot, pane, "夏涛", MAY_2)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LeaveForm) and form.field("staff_id").value == xia
        assert [row.post_name for row in form.vacating] == [
            "东环路社区警务室值班台",
            "东环路社区一分钟快反",
        ]
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert not isinstance(app.screen, LeaveForm)
        with branch.db.session() as session:
            leave = session.exec(select(Leave).where(Leave.staff_id == xia)).all()
        assert [(row.starts_on, row.ends_on) for row in leave] == [(MAY_2, MAY_2)]
        assert branch.shift("R0101-DESK", datetime(2022, 5, 2, 8, 30)).staff_id is None
        # The week is back by post, on the shift just left vacant, and flags it.
        assert (
            pane.week.by == "post" and pane.week.row is not None and pane.week.row.id == desk_post
        )
        assert pane.week.cell is not None and pane.week.cell.day == MAY_2 and pane.week.cell.gap
        assert "!" in pane.week.grid.cell_text(desk_post, MAY_2)
        assert "—" in pane.week.grid.cell_text(desk_post, MAY_2)
        # f fills it: the vacant shift's person, 卢永强.
        await pilot.press("f")
        await settle(pilot)
        shift_form = app.screen
        assert isinstance(shift_form, ShiftForm) and shift_form.draft.shift is not None
        assert shift_form.draft.shift.shift_id == desk.id
        await choose(pilot, "卢永强")
        await settle(pilot)
        # Warnings (short rest after his night on the tier) are shown before saving.
        assert "rests only" in shift_form.checks_text
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert not isinstance(app.screen, ShiftForm)
        assert branch.shift("R0101-DESK", datetime(2022, 5, 2, 8, 30)).staff_id == lu
        cell = pane.week.grid.cell_of(desk_post, MAY_2)
        assert cell is not None and not cell.gap
        assert "!" not in pane.week.grid.cell_text(desk_post, MAY_2)


async def test_a_double_booking_is_refused_with_the_services_message(branch: Branch) -> None:
    desk = branch.shift("R0101-DESK", datetime(2022, 5, 2, 8, 30))
    before = audit_rows(branch)
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await cursor_to(pilot, pane, "值班台", MAY_2)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ShiftForm) and form.draft.shift is not None
        assert form.draft.shift.shift_id == desk.id
        # 宋丽娟 patrols 09:00–17:00 that Monday: the checks say so as soon as she is chosen.
        await choose(pilot, "宋丽娟")
        assert "宋丽娟 is already on 东环路社区社区民警巡查" in form.checks_text
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert app.screen is form
        errors = form.field_errors["staff_id"]
        assert any(
            "宋丽娟 is already on 东环路社区社区民警巡查 5/2 09:00–17:00" in e for e in errors
        )
        assert form.field("staff_id").value == branch.staff("宋丽娟")  # the choice is kept
    stored = branch.shift("R0101-DESK", datetime(2022, 5, 2, 8, 30))
    assert (stored.staff_id, stored.version) == (desk.staff_id, desk.version)
    assert audit_rows(branch) == before
