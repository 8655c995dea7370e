"""Posts, RRULE patterns and generating shifts from them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import col, select

from policeroom.clock import LOCAL_ZONE, Clock
from policeroom.db import Database
from policeroom.models.audit import AuditLog
from policeroom.models.roster import (
    LeaveCreate,
    PatternCreate,
    PostCreate,
    PostKind,
    PostUpdate,
    Shift,
    ShiftUpdate,
)
from policeroom.services.core import fields
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import StaleRecord, ValidationError
from policeroom.services.duty import patterns, shifts
from tests.unit.roster_org import build


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


def _shifts(db: Database) -> list[Shift]:
    with db.session() as session:
        return list(session.exec(select(Shift).order_by(col(Shift.starts_at), col(Shift.id))))


def test_generate_may_2022_from_patterns(db: Database, ctx: ServiceContext) -> None:
    org = build(db, ctx, patterns_from=date(2022, 4, 1))
    result = patterns.generate(ctx, None, date(2022, 5, 1), date(2022, 5, 31))
    rows = _shifts(db)
    # 31 days x (2 desk + 2 tier + 1 west desk), 13 patrol nights x 2, 22 school days.
    assert result.created == 31 * 5 + 13 * 2 + 22 == len(rows)
    by_post = Counter(row.post_id for row in rows)
    assert by_post[org.night_patrol] == 26
    patrol_days = sorted({r.starts_at.date() for r in rows if r.post_id == org.night_patrol})
    assert {d.strftime("%a") for d in patrol_days} == {"Mon", "Wed", "Fri"}
    for row in rows:
        # Naive local times on a calendar without daylight saving: a 20:00 shift ends at
        # 08:00 the next day and lasts 12 real hours, on every day of the month.
        real = row.ends_at.replace(tzinfo=LOCAL_ZONE).astimezone(UTC) - row.starts_at.replace(
            tzinfo=LOCAL_ZONE
        ).astimezone(UTC)
        assert real == row.ends_at - row.starts_at
        assert row.planned_start == row.starts_at
    nights = [r for r in rows if r.starts_at.time() == time(20)]
    assert nights and all(r.ends_at - r.starts_at == timedelta(hours=12) for r in nights)
    assert all(r.ends_at.date() == r.starts_at.date() + timedelta(days=1) for r in nights)
    assert min(r.starts_at for r in rows) >= datetime(2022, 5, 1)
    assert max(r.starts_at for r in rows) < datetime(2022, 6, 1)


def test_generate_twice_adds_nothing_and_keeps_hand_changes(
    db: Database, ctx: ServiceContext
) -> None:
    org = build(db, ctx, patterns_from=date(2022, 4, 1))
    first = patterns.generate(ctx, org.east, date(2022, 5, 2), date(2022, 5, 8))
    moved = next(s for s in _shifts(db) if s.post_id == org.desk)
    assert moved.id is not None
    shifts.update_shift(
        ctx,
        moved.id,
        ShiftUpdate(starts_at=moved.starts_at + timedelta(hours=1)),
        moved.version,
    )
    cancelled = next(s for s in _shifts(db) if s.post_id == org.guard)
    assert cancelled.id is not None
    shifts.cancel_shift(ctx, cancelled.id, cancelled.version)
    again = patterns.generate(ctx, org.east, date(2022, 5, 2), date(2022, 5, 8))
    assert again.created == 0 and again.existing == first.created
    rows = _shifts(db)
    assert len(rows) == first.created
    kept = next(r for r in rows if r.id == moved.id)
    assert kept.starts_at == moved.starts_at + timedelta(hours=1)
    # A longer period adds only the new days.
    longer = patterns.generate(ctx, org.east, date(2022, 5, 2), date(2022, 5, 9))
    assert longer.existing == first.created and longer.created > 0
    with db.session() as session:
        runs = session.exec(
            select(AuditLog).where(
                AuditLog.table_name == "shift", col(AuditLog.record_id).is_(None)
            )
        ).all()
    assert len(runs) == 3


def test_generate_one_room_only(db: Database, ctx: ServiceContext) -> None:
    org = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, org.west, date(2022, 5, 1), date(2022, 5, 7))
    assert {r.post_id for r in _shifts(db)} == {org.west_desk}


def test_generate_leaves_shifts_of_people_on_leave_vacant(
    db: Database, ctx: ServiceContext
) -> None:
    org = build(db, ctx, patterns_from=date(2022, 4, 1))
    shifts.add_leave(
        ctx,
        LeaveCreate(
            staff_id=org.staff["李强"], starts_on=date(2022, 5, 4), ends_on=date(2022, 5, 4)
        ),
    )
    result = patterns.generate(ctx, org.east, date(2022, 5, 2), date(2022, 5, 8))
    # Wednesday's night patrol starts on the leave day; Monday's ends before it begins.
    assert result.vacant_for_leave == 1
    patrol = [r for r in _shifts(db) if r.post_id == org.night_patrol]
    vacant = [r for r in patrol if r.staff_id is None]
    assert [r.starts_at for r in vacant] == [datetime(2022, 5, 4, 20, 0)]


def test_pattern_validity_window_and_rules(db: Database, ctx: ServiceContext) -> None:
    org = build(db, ctx)
    patterns.create_pattern(
        ctx,
        PatternCreate(
            post_id=org.west_desk,
            staff_id=org.staff["孙丽"],
            rrule="RRULE:FREQ=WEEKLY;BYDAY=SA,SU",
            starts_at=time(9),
            duration_minutes=8 * 60,
            valid_from=date(2022, 5, 7),
            valid_until=date(2022, 5, 14),
        ),
    )
    patterns.generate(ctx, None, date(2022, 5, 1), date(2022, 5, 31))
    assert [r.starts_at.date() for r in _shifts(db)] == [
        date(2022, 5, 7),
        date(2022, 5, 8),
        date(2022, 5, 14),
    ]
    with pytest.raises(ValidationError) as error:
        fields.parse(PatternCreate, {"duration_minutes": 0, "rrule": "x" * 501})
    assert {e.field: e.message for e in error.value.errors} == {
        "rrule": "at most 500 characters, this has 501",
        "duration_minutes": "a shift lasts 1 minute to 24 hours",
    }
    with pytest.raises(ValidationError) as error:
        patterns.create_pattern(
            ctx,
            PatternCreate(
                post_id=9999,
                rrule="FREQ=HOURLY",
                valid_from=date(2022, 5, 1),
                valid_until=date(2022, 4, 1),
            ),
        )
    assert {e.field for e in error.value.errors} == {"post_id", "rrule", "valid_until"}
    for bad in ("FREQ=DAILY;BYHOUR=8", "DTSTART:20220501T080000\nRRULE:FREQ=DAILY", "nonsense", ""):
        assert patterns.rule_problem(bad), bad
    assert patterns.rule_problem("FREQ=DAILY;BYDAY=XX")
    assert patterns.rule_problem("FREQ=MONTHLY;BYMONTHDAY=1,15") is None


def test_posts_validate_lock_and_audit(db: Database, ctx: ServiceContext) -> None:
    org = build(db, ctx)
    with pytest.raises(ValidationError) as error:
        fields.parse(PostCreate, {"code": " ", "name": "前台", "needs_police": -1})
    assert {e.field: e.message for e in error.value.errors} == {
        "code": "required",
        "needs_police": "cannot be negative",
    }
    with pytest.raises(ValidationError) as error:
        patterns.create_post(
            ctx, PostCreate(code="JWS01-D", name="前台", kind=PostKind.RESPONSE_TIER)
        )
    assert {e.field for e in error.value.errors} == {
        "code",
        "police_room_id",
        "tier_minutes",
        "needs_police",
    }
    desk = next(p for p in patterns.posts(ctx, org.east) if p.id == org.desk)
    updated = patterns.update_post(ctx, desk.id, PostUpdate(needs_auxiliary=2), desk.version)
    assert updated.needs_auxiliary == 2 and updated.version == desk.version + 1
    with pytest.raises(StaleRecord):
        patterns.update_post(ctx, desk.id, PostUpdate(name="前台"), desk.version)
    with db.session() as session:
        entries = session.exec(
            select(AuditLog).where(AuditLog.table_name == "post", AuditLog.record_id == desk.id)
        ).all()
    assert [e.action.value for e in entries] == ["create", "update"]
    assert '"needs_auxiliary": 2' in entries[1].after
