"""Swaps between two officers: asked by one, effective only when the other agrees."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role, User
from policeroom.models.roster import LeaveCreate, Shift, ShiftUpdate, SwapStatus
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.duty import patterns, shifts, swaps
from tests.unit.roster_org import RosterOrg, build, login_as

MAY_2 = date(2022, 5, 2)


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


@pytest.fixture
def org(db: Database, ctx: ServiceContext) -> RosterOrg:
    built = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, built.east, MAY_2, MAY_2 + timedelta(days=6))
    return built


def _shift_id(db: Database, post_id: int, starts_at: datetime, staff_id: int) -> int:
    with db.session() as session:
        shift = session.exec(
            select(Shift).where(
                Shift.post_id == post_id, Shift.starts_at == starts_at, Shift.staff_id == staff_id
            )
        ).one()
    assert shift.id is not None
    return shift.id


def _staff_of(db: Database, shift_id: int) -> int | None:
    with db.session() as session:
        shift = session.get(Shift, shift_id)
        assert shift is not None
        return shift.staff_id


def test_swap_takes_effect_when_the_other_agrees(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    # 李强's Monday night patrol for 张伟's Tuesday day desk.
    li, liu, zhang = org.staff["李强"], org.staff["刘洋"], org.staff["张伟"]
    patrol = _shift_id(db, org.night_patrol, datetime(2022, 5, 2, 20), li)
    desk = _shift_id(db, org.desk, datetime(2022, 5, 3, 8), zhang)
    asked = swaps.request_swap(ctx, patrol, desk)
    assert asked.swap.status == SwapStatus.REQUESTED and asked.swap.requested_by == "system"
    # Nothing moves until the answer; both see the request.
    assert (_staff_of(db, patrol), _staff_of(db, desk)) == (li, zhang)
    assert [s.id for s in swaps.swaps_for(ctx, li)] == [asked.swap.id]
    assert [s.id for s in swaps.swaps_for(ctx, zhang)] == [asked.swap.id]
    assert swaps.swaps_for(ctx, liu) == []
    # Agreed by 张伟, who was asked, from his own login.
    zhangwei = login_as(db, ctx, zhang, "zhangwei")
    agreed = swaps.agree_swap(zhangwei, asked.swap.id, asked.swap.version)
    assert agreed.swap.status == SwapStatus.AGREED
    assert (_staff_of(db, patrol), _staff_of(db, desk)) == (zhang, li)
    assert agreed.swap.shift_a.staff_name == "张伟"
    # Still listed for both, no longer waiting.
    assert [s.waiting for s in swaps.swaps_for(ctx, li)] == [False]
    with pytest.raises(ValidationError):
        swaps.agree_swap(zhangwei, asked.swap.id, agreed.swap.version)


def test_declined_swap_leaves_both_shifts(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    li, zhang = org.staff["李强"], org.staff["张伟"]
    patrol = _shift_id(db, org.night_patrol, datetime(2022, 5, 4, 20), li)
    desk = _shift_id(db, org.desk, datetime(2022, 5, 5, 8), zhang)
    asked = swaps.request_swap(ctx, patrol, desk)
    declined = swaps.decline_swap(
        login_as(db, ctx, zhang, "zhangwei"), asked.swap.id, asked.swap.version
    )
    assert declined.status == SwapStatus.DECLINED
    assert (_staff_of(db, patrol), _staff_of(db, desk)) == (li, zhang)


def test_swap_that_would_double_book_is_refused(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    # 王芳 holds the tier every night; taking 李强's Monday patrol would overlap her own
    # Monday tier night (which she keeps).
    wang, li = org.staff["王芳"], org.staff["李强"]
    patrol = _shift_id(db, org.night_patrol, datetime(2022, 5, 2, 20), li)
    tier = _shift_id(db, org.tier, datetime(2022, 5, 3, 20), wang)
    with pytest.raises(ValidationError) as error:
        swaps.request_swap(ctx, patrol, tier)
    assert "王芳" in str(error.value) or "李强" in str(error.value)
    assert swaps.swaps_for(ctx, li) == []


def test_agreeing_is_refused_when_a_check_broke_since(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    li, zhang = org.staff["李强"], org.staff["张伟"]
    patrol = _shift_id(db, org.night_patrol, datetime(2022, 5, 6, 20), li)
    desk = _shift_id(db, org.desk, datetime(2022, 5, 7, 8), zhang)
    asked = swaps.request_swap(ctx, patrol, desk)
    # Meanwhile 李强's Wednesday patrol is moved by hand to Saturday 12-16, inside the
    # Saturday desk shift he would take.
    extra = _shift_id(db, org.night_patrol, datetime(2022, 5, 4, 20), li)
    with db.session() as session:
        version = session.get(Shift, extra)
        assert version is not None
    shifts.update_shift(
        ctx,
        extra,
        ShiftUpdate(starts_at=datetime(2022, 5, 7, 12), ends_at=datetime(2022, 5, 7, 16)),
        version.version,
    )
    with pytest.raises(ValidationError, match="李强"):
        swaps.agree_swap(login_as(db, ctx, zhang, "zhangwei"), asked.swap.id, asked.swap.version)
    assert (_staff_of(db, patrol), _staff_of(db, desk)) == (li, zhang)


def test_leave_cancels_a_waiting_swap(db: Database, ctx: ServiceContext, org: RosterOrg) -> None:
    li, zhang = org.staff["李强"], org.staff["张伟"]
    patrol = _shift_id(db, org.night_patrol, datetime(2022, 5, 2, 20), li)
    desk = _shift_id(db, org.desk, datetime(2022, 5, 4, 8), zhang)
    asked = swaps.request_swap(ctx, patrol, desk)
    shifts.add_leave(
        ctx, LeaveCreate(staff_id=zhang, starts_on=date(2022, 5, 4), ends_on=date(2022, 5, 4))
    )
    assert swaps.swaps_for(ctx, li)[0].status == SwapStatus.CANCELLED
    with pytest.raises(ValidationError, match="already"):
        swaps.agree_swap(
            login_as(db, ctx, zhang, "zhangwei"), asked.swap.id, asked.swap.version + 1
        )


def test_the_one_who_asked_cannot_agree(db: Database, ctx: ServiceContext, org: RosterOrg) -> None:
    li, zhang = org.staff["李强"], org.staff["张伟"]
    with db.transaction() as session:
        session.add(User(login="liqiang", staff_id=li, role=Role.DESK, police_room_id=org.east))
    asker = ctx.as_actor(Actor("liqiang", Role.DESK, org.east))
    patrol = _shift_id(db, org.night_patrol, datetime(2022, 5, 2, 20), li)
    desk = _shift_id(db, org.desk, datetime(2022, 5, 3, 8), zhang)
    asked = swaps.request_swap(asker, patrol, desk)
    assert asked.swap.requested_by == "liqiang"
    with pytest.raises(ValidationError) as error:
        swaps.agree_swap(asker, asked.swap.id, asked.swap.version)
    assert error.value.for_field("agreed_by")
    with pytest.raises(ValidationError) as error:
        swaps.request_swap(ctx, patrol, patrol)
    assert error.value.for_field("shift_b_id")
    past = _shift_id(db, org.desk, datetime(2022, 5, 2, 8), zhang)
    cancelled = swaps.cancel_swap(asker, asked.swap.id, asked.swap.version)
    assert cancelled.status == SwapStatus.CANCELLED
    with pytest.raises(ValidationError):
        later = ServiceContext(db, clock=Clock.fixed(datetime(2022, 5, 2, 9)))
        swaps.request_swap(later, past, patrol)
