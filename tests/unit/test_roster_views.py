"""What the roster screens read and write beyond D's services: rooms by actor, waiting swaps,
swap candidates, patterns of a room and their edits, the response log window, the printed week."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import col, func, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, Role
from policeroom.models.org import PoliceRoom, PoliceStation
from policeroom.models.roster import ArrivalInput, CallCreate, PatternCreate, Shift, ShiftPattern
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import StaleRecord, ValidationError
from policeroom.services.duty import patterns, response, swaps
from policeroom.services.duty import views as roster_views
from tests.unit.roster_org import RosterOrg, build, login_as
from tests.unit.sessions import transactions

MAY_2 = date(2022, 5, 2)


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


@pytest.fixture
def org(db: Database, ctx: ServiceContext) -> RosterOrg:
    built = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, None, MAY_2, MAY_2 + timedelta(days=6))
    return built


def _shift(db: Database, post_id: int, starts_at: datetime, staff_id: int) -> int:
    with db.session() as session:
        found = session.exec(
            select(Shift.id).where(
                Shift.post_id == post_id, Shift.starts_at == starts_at, Shift.staff_id == staff_id
            )
        ).one()
    assert found is not None
    return found


def test_headquarters_sees_every_room_a_supervisor_their_station_a_desk_its_room(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    with db.transaction() as session:
        station = PoliceStation(code="PCS9", name="南关派出所", branch_id=1)
        session.add(station)
        session.flush()
        session.add(PoliceRoom(code="JWS09", name="南关社区警务室", station_id=station.id))
    everyone = roster_views.rooms_for(ctx)
    assert [room.code for room in everyone] == ["JWS01", "JWS02", "JWS09"]
    hq = ctx.as_actor(Actor("hq1", Role.HQ))
    assert [room.code for room in roster_views.rooms_for(hq)] == ["JWS01", "JWS02", "JWS09"]
    supervisor = ctx.as_actor(Actor("boss", Role.SUPERVISOR, police_room_id=org.east))
    assert [room.code for room in roster_views.rooms_for(supervisor)] == ["JWS01", "JWS02"]
    desk = ctx.as_actor(Actor("desk", Role.DESK, police_room_id=org.east))
    assert [room.code for room in roster_views.rooms_for(desk)] == ["JWS01"]


def test_both_rooms_officers_see_a_waiting_swap_until_it_is_answered(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    li, zhang = org.staff["李强"], org.staff["张伟"]
    patrol = _shift(db, org.night_patrol, datetime(2022, 5, 2, 20), li)
    desk = _shift(db, org.desk, datetime(2022, 5, 3, 8), zhang)
    asked = swaps.request_swap(ctx, patrol, desk).swap
    waiting = roster_views.pending_swaps(ctx, org.east)
    assert [(s.id, s.shift_a.staff_name, s.shift_b.staff_name) for s in waiting] == [
        (asked.id, "李强", "张伟")
    ]
    assert roster_views.pending_swaps(ctx, None) == waiting
    assert roster_views.pending_swaps(ctx, org.west) == []
    swaps.decline_swap(login_as(db, ctx, zhang, "zhangwei"), asked.id, asked.version)
    assert roster_views.pending_swaps(ctx, org.east) == []


def test_swap_candidates_are_other_peoples_future_shifts_of_the_same_room(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    li = org.staff["李强"]
    patrol = _shift(db, org.night_patrol, datetime(2022, 5, 2, 20), li)
    found = roster_views.swap_candidates(ctx, patrol)
    assert found and all(row.staff_id not in (None, li) for row in found)
    assert all(row.police_room_id == org.east for row in found)
    assert all(row.starts_at > ctx.clock.now() for row in found)
    assert [row.starts_at for row in found] == sorted(row.starts_at for row in found)
    assert {row.staff_name for row in found} >= {"张伟", "刘洋", "陈静"}
    assert "欧阳明" not in {row.staff_name for row in found}  # west room


def test_room_patterns_name_post_and_person(ctx: ServiceContext, org: RosterOrg) -> None:
    lines = roster_views.room_patterns(ctx, org.east)
    assert len(lines) == 7
    assert {(line.post.name, line.staff_name, line.pattern.rrule) for line in lines} >= {
        ("值班台", "张伟", "FREQ=DAILY"),
        ("夜间巡逻", "李强", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
    }
    assert len(roster_views.room_patterns(ctx, None)) == 8


def test_update_pattern_checks_every_field_and_keeps_the_other_users_edit(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    line = next(li for li in roster_views.room_patterns(ctx, org.east) if li.staff_name == "李强")
    pattern = line.pattern
    changed = patterns.update_pattern(
        ctx,
        pattern.id,
        PatternCreate(
            post_id=pattern.post_id,
            staff_id=org.staff["张伟"],
            rrule="FREQ=WEEKLY;BYDAY=TU,TH",
            starts_at=time(21),
            duration_minutes=600,
            valid_from=pattern.valid_from,
            valid_until=date(2022, 6, 30),
        ),
        pattern.version,
    )
    assert (changed.rrule, changed.starts_at, changed.version) == (
        "FREQ=WEEKLY;BYDAY=TU,TH",
        time(21),
        pattern.version + 1,
    )
    with db.session() as session:
        audits = session.exec(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.table_name == "shift_pattern", AuditLog.record_id == pattern.id)
        ).one()
    assert audits == 2  # created, then changed
    with pytest.raises(ValidationError) as error:
        patterns.update_pattern(
            ctx,
            pattern.id,
            PatternCreate(
                post_id=9999,
                rrule="FREQ=HOURLY",
                valid_from=date(2022, 5, 1),
                valid_until=date(2022, 4, 1),
            ),
            changed.version,
        )
    assert {e.field for e in error.value.errors} == {"post_id", "rrule", "valid_until"}
    with pytest.raises(StaleRecord):
        patterns.update_pattern(
            ctx,
            pattern.id,
            PatternCreate(post_id=pattern.post_id, rrule="FREQ=DAILY", valid_from=MAY_2),
            pattern.version,
        )
    with db.session() as session:
        stored = session.get(ShiftPattern, pattern.id)
        assert stored is not None and stored.rrule == "FREQ=WEEKLY;BYDAY=TU,TH"


def test_call_window_is_the_log_newest_first_a_window_at_a_time(
    ctx: ServiceContext, org: RosterOrg
) -> None:
    tiers = response.ensure_default_tiers(ctx)
    base = datetime(2022, 4, 20, 8)
    for n in range(7):
        called = base + timedelta(hours=5 * n)
        response.log_call(
            ctx,
            CallCreate(
                police_room_id=org.east if n != 3 else org.west,
                called_at=called,
                summary=f"报警{n}",
                arrivals=[
                    ArrivalInput(tier_id=tiers[0].id, arrived_at=called + timedelta(seconds=50))
                ],
            ),
        )
    first, last = date(2022, 4, 1), date(2022, 4, 30)
    assert roster_views.call_count(ctx, org.east, first, last) == 6
    assert roster_views.call_count(ctx, None, first, last) == 7
    whole = [c.summary for c in roster_views.call_window(ctx, org.east, first, last, 0, 50)]
    assert whole == ["报警6", "报警5", "报警4", "报警2", "报警1", "报警0"]
    parts = [
        c.summary
        for offset in (0, 2, 4)
        for c in roster_views.call_window(ctx, org.east, first, last, offset, 2)
    ]
    assert parts == whole
    assert roster_views.call_window(ctx, org.east, first, last, 6, 2) == []
    assert roster_views.call_window(ctx, org.east, first, last, 0, 1)[0].arrivals[0].met
    with transactions(ctx.db) as begun:
        roster_views.call_window(ctx, org.east, first, last, 2, 2)
    assert len(begun) == 1


@pytest.mark.parametrize("fmt", ["text", "html", "xlsx"])
def test_print_week_writes_the_file(
    ctx: ServiceContext, org: RosterOrg, tmp_path: Path, fmt: roster_views.PrintFormat
) -> None:
    target = tmp_path / f"roster.{fmt}"
    printed = roster_views.print_week(ctx, org.east, MAY_2, fmt, target)
    assert printed.path == target and printed.rooms == 1
    if fmt == "xlsx":
        sheet = load_workbook(target).active
        assert sheet is not None and "东关社区警务室" in str(sheet["A1"].value)
    else:
        assert "东关社区警务室" in target.read_text(encoding="utf-8")
    with transactions(ctx.db) as begun:
        both = roster_views.print_week(ctx, None, MAY_2, fmt, tmp_path / f"all.{fmt}")
    # one read of every room's week, then the print's audit row
    assert both.rooms == 2 and len(begun) == 2
    with ctx.db.read() as session:
        printed_rows = session.exec(
            select(AuditLog).where(col(AuditLog.action) == AuditAction.EXPORT)
        ).all()
    assert [(row.table_name, row.user_login) for row in printed_rows] == [
        ("roster", ctx.actor.login),
        ("roster", ctx.actor.login),
    ]
    assert str((tmp_path / f"all.{fmt}").resolve()) in (printed_rows[-1].after or "")


def test_print_week_refuses_a_missing_folder_and_writes_nothing(
    ctx: ServiceContext, org: RosterOrg, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValidationError) as error:
        roster_views.print_week(ctx, org.east, MAY_2, "text", out / "nowhere" / "r.txt")
    assert error.value.errors[0].field == "path"
    with pytest.raises(ValidationError):
        roster_views.print_week(ctx, org.east, MAY_2, "text", out)
    assert list(out.iterdir()) == []


def test_pending_swaps_are_limited_to_waiting_ones(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    li, zhang = org.staff["李强"], org.staff["张伟"]
    patrol = _shift(db, org.night_patrol, datetime(2022, 5, 2, 20), li)
    desk = _shift(db, org.desk, datetime(2022, 5, 3, 8), zhang)
    asked = swaps.request_swap(ctx, patrol, desk).swap
    swaps.agree_swap(login_as(db, ctx, zhang, "zhangwei"), asked.id, asked.version)
    assert roster_views.pending_swaps(ctx, None) == []
    with db.session() as session:
        moved = session.exec(select(Shift.staff_id).where(col(Shift.id).in_([patrol, desk]))).all()
    assert sorted(moved) == sorted([li, zhang])
