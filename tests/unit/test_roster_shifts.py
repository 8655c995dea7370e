"""Changing shifts one by one, leave turning shifts into gaps, filling them again."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import col, func, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditLog
from policeroom.models.roster import LeaveCreate, Shift, ShiftCreate, ShiftStatus, ShiftUpdate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import StaleRecord, ValidationError
from policeroom.services.duty import coverage, patterns, roster, shifts
from policeroom.services.duty.coverage import FindingKind
from tests.unit.roster_org import RosterOrg, build

MAY_2 = date(2022, 5, 2)


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


@pytest.fixture
def org(db: Database, ctx: ServiceContext) -> RosterOrg:
    built = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, built.east, MAY_2 - timedelta(days=1), MAY_2 + timedelta(days=6))
    return built


def _count(db: Database) -> tuple[int, int]:
    with db.session() as session:
        return (
            session.exec(select(func.count()).select_from(Shift)).one(),
            session.exec(select(func.count()).select_from(AuditLog)).one(),
        )


def _shift(db: Database, post_id: int, starts_at: datetime, staff_id: int | None) -> Shift:
    with db.session() as session:
        found = session.exec(
            select(Shift).where(
                Shift.post_id == post_id, Shift.starts_at == starts_at, Shift.staff_id == staff_id
            )
        ).first()
    assert found is not None
    return found


def test_double_booking_is_refused_and_nothing_written(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    before = _count(db)
    # 张伟 is on the desk 08-20 on Monday: a patrol 19:00-23:00 would overlap it.
    with pytest.raises(ValidationError) as error:
        shifts.create_shift(
            ctx,
            ShiftCreate(
                post_id=org.night_patrol,
                staff_id=org.staff["张伟"],
                starts_at=datetime(2022, 5, 2, 19),
                ends_at=datetime(2022, 5, 2, 23),
            ),
        )
    assert "值班台" in error.value.for_field("staff_id")[0]
    assert _count(db) == before
    found = shifts.preview(
        ctx, org.night_patrol, org.staff["张伟"], datetime(2022, 5, 2, 19), datetime(2022, 5, 2, 23)
    )
    assert [f.kind for f in found if f.refuses] == [FindingKind.DOUBLE_BOOKING]
    # Moving an existing shift onto someone busy is refused the same way.
    patrol = _shift(db, org.night_patrol, datetime(2022, 5, 2, 20), org.staff["李强"])
    assert patrol.id is not None
    with pytest.raises(ValidationError):
        # 王芳 holds the 1-minute tier every night.
        shifts.assign(ctx, patrol.id, org.staff["王芳"], patrol.version)
    with pytest.raises(ValidationError):
        # 陈静 works the desk until 20:00; a 19:30 start overlaps it.
        shifts.update_shift(
            ctx,
            patrol.id,
            ShiftUpdate(staff_id=org.staff["陈静"], starts_at=datetime(2022, 5, 2, 19, 30)),
            patrol.version,
        )
    assert _count(db) == before


def test_short_rest_and_long_week_are_warnings_saved(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    # 赵敏 guards the school 07:30-08:30; a desk evening 22:00-02:00 before it leaves 5.5 h.
    saved = shifts.create_shift(
        ctx,
        ShiftCreate(
            post_id=org.desk,
            staff_id=org.staff["赵敏"],
            starts_at=datetime(2022, 5, 2, 22),
            ends_at=datetime(2022, 5, 3, 2),
            notes="加班",
        ),
        # A volunteer at the desk, which needs police or auxiliaries: the desk said yes.
        confirmed=True,
    )
    assert saved.shift.staff_name == "赵敏" and saved.shift.status == ShiftStatus.CHANGED
    assert [f.kind for f in saved.warnings] == [FindingKind.REST, FindingKind.POST_REQUIREMENT]
    assert "5.5 h" in saved.warnings[0].message
    # 张伟 works the desk 12 h every day: 84 h in the week, over 60.
    desk = _shift(db, org.desk, datetime(2022, 5, 3, 8), org.staff["张伟"])
    assert desk.id is not None
    result = shifts.update_shift(ctx, desk.id, ShiftUpdate(notes="晚到"), desk.version)
    assert [f.kind for f in result.warnings] == [FindingKind.WEEK_HOURS]
    coverage.set_limits(ctx, coverage.RosterLimits(min_rest_hours=8, max_week_hours=90))
    assert coverage.limits(ctx).max_week_hours == 90
    again = shifts.update_shift(ctx, desk.id, ShiftUpdate(notes="准时"), result.shift.version)
    assert again.warnings == ()


def test_stale_version_is_refused(db: Database, ctx: ServiceContext, org: RosterOrg) -> None:
    desk = _shift(db, org.desk, datetime(2022, 5, 3, 8), org.staff["陈静"])
    assert desk.id is not None
    shifts.update_shift(ctx, desk.id, ShiftUpdate(notes="一"), desk.version)
    with pytest.raises(StaleRecord):
        shifts.update_shift(ctx, desk.id, ShiftUpdate(notes="二"), desk.version)
    assert shifts.get_shift(ctx, desk.id).notes == "一"


def test_bad_times_list_every_field(db: Database, ctx: ServiceContext, org: RosterOrg) -> None:
    with pytest.raises(ValidationError) as error:
        shifts.create_shift(
            ctx, ShiftCreate(post_id=None, staff_id=9999, starts_at=datetime(2022, 5, 2, 8))
        )
    assert {e.field for e in error.value.errors} == {"post_id", "staff_id", "ends_at"}
    with pytest.raises(ValidationError) as error:
        shifts.create_shift(
            ctx,
            ShiftCreate(
                post_id=org.desk, starts_at=datetime(2022, 5, 2, 8), ends_at=datetime(2022, 5, 4)
            ),
        )
    assert error.value.for_field("ends_at")


def test_leave_turns_shifts_into_gaps_and_filling_clears_them(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    assert not roster.week(ctx, org.east, MAY_2).gaps
    result = shifts.add_leave(
        ctx,
        LeaveCreate(
            staff_id=org.staff["陈静"],
            starts_on=date(2022, 5, 3),
            ends_on=date(2022, 5, 4),
            reason="病假",
        ),
    )
    assert [s.starts_at for s in result.vacated] == [
        datetime(2022, 5, 3, 8),
        datetime(2022, 5, 4, 8),
    ]
    assert all(s.staff_id is None and "陈静" in s.notes for s in result.vacated)
    view = roster.week(ctx, org.east, MAY_2)
    desk_row = next(row for row in view.rows if row.id == org.desk)
    assert [cell.gap for cell in desk_row.cells] == [False, True, True, False, False, False, False]
    gap = next(f for f in view.gaps if f.kind == FindingKind.GAP)
    assert gap.post_id == org.desk and gap.missing[0][1] == 1
    assert (gap.starts_at, gap.ends_at) == (datetime(2022, 5, 3, 8), datetime(2022, 5, 3, 20))
    by_staff = roster.week(ctx, org.east, MAY_2, by="staff")
    chen = next(row for row in by_staff.rows if row.label == "陈静")
    assert [cell.on_leave for cell in chen.cells][:3] == [False, True, True]
    # The person on leave cannot be put back on those days.
    vacant = result.vacated[0]
    with pytest.raises(ValidationError) as error:
        shifts.assign(ctx, vacant.id, org.staff["陈静"], vacant.version)
    assert "leave" in error.value.for_field("staff_id")[0]
    # The other auxiliary, 杨磊, holds the day tier, so 刘洋 (police) fills in: a police
    # officer may take an auxiliary place.
    for shift in result.vacated:
        shifts.assign(ctx, shift.id, org.staff["刘洋"], shift.version)
    assert not roster.week(ctx, org.east, MAY_2).gaps
    shifts.add_leave(
        ctx,
        LeaveCreate(
            staff_id=org.staff["刘洋"], starts_on=date(2022, 5, 20), ends_on=date(2022, 5, 20)
        ),
    )
    with pytest.raises(ValidationError):
        shifts.add_leave(
            ctx,
            LeaveCreate(
                staff_id=org.staff["刘洋"], starts_on=date(2022, 5, 19), ends_on=date(2022, 5, 21)
            ),
        )
    assert [
        leave.staff_name for leave in shifts.leaves(ctx, org.east, MAY_2, date(2022, 5, 31))
    ] == [
        "陈静",
        "刘洋",
    ]


def test_cancelled_shift_leaves_a_gap_and_cannot_be_edited(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    tier = _shift(db, org.tier, datetime(2022, 5, 5, 20), org.staff["王芳"])
    assert tier.id is not None
    cancelled = shifts.cancel_shift(ctx, tier.id, tier.version)
    assert cancelled.status == ShiftStatus.CANCELLED
    gaps = roster.week(ctx, org.east, MAY_2).gaps
    assert [(g.kind, g.starts_at) for g in gaps] == [
        (FindingKind.TIER_UNCOVERED, datetime(2022, 5, 5, 20))
    ]
    with pytest.raises(ValidationError):
        shifts.assign(ctx, tier.id, org.staff["王芳"], cancelled.version)
    assert [s.id for s in shifts.shifts_of(ctx, org.staff["王芳"], MAY_2, MAY_2)] != []
    with db.session() as session:
        audit_rows = session.exec(
            select(AuditLog.action).where(
                AuditLog.table_name == "shift", col(AuditLog.record_id) == tier.id
            )
        ).all()
    assert [a.value for a in audit_rows] == ["update"]
