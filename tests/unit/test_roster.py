"""The week view, now-on-duty and the list of police rooms."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound
from policeroom.services.duty import patterns, roster
from policeroom.services.duty.coverage import FindingKind
from tests.unit.roster_org import build

MAY_2 = date(2022, 5, 2)  # a Monday


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


def test_police_rooms_by_code_with_station(db: Database, ctx: ServiceContext) -> None:
    build(db, ctx)
    rooms = roster.police_rooms(ctx)
    assert [(r.code, r.name, r.station_name) for r in rooms] == [
        ("JWS01", "东关社区警务室", "东关派出所"),
        ("JWS02", "西街社区警务室", "东关派出所"),
    ]
    assert roster.room_by_code(ctx, "JWS02").name == "西街社区警务室"
    with pytest.raises(NotFound, match="JWS99"):
        roster.room_by_code(ctx, "JWS99")


def test_week_days_across_posts_down_with_names(db: Database, ctx: ServiceContext) -> None:
    org = build(db, ctx, patterns_from=date(2022, 4, 1))
    # From the Sunday before: its night tier shift runs into Monday morning.
    patterns.generate(ctx, org.east, MAY_2 - timedelta(days=1), MAY_2 + timedelta(days=6))
    view = roster.week(ctx, org.east, date(2022, 5, 4))  # any day of the week
    assert view.week_start == MAY_2
    assert view.days[0] == MAY_2 and view.days[-1] == date(2022, 5, 8)
    assert (view.previous_week, view.next_week) == (date(2022, 4, 25), date(2022, 5, 9))
    assert view.room_name == "东关社区警务室"
    assert [row.label for row in view.rows] == ["值班台", "1分钟处置", "夜间巡逻", "东关小学护学岗"]
    desk = view.rows[0]
    assert [s.staff_name for s in desk.cells[0].shifts] == ["张伟", "陈静"]
    assert desk.cells[0].shifts[0].times == "08-20"
    patrol = view.rows[2]
    # Night patrol on Monday, Wednesday and Friday only.
    assert [len(cell.shifts) for cell in patrol.cells] == [2, 0, 2, 0, 2, 0, 0]
    assert not view.gaps
    assert not any(cell.gap for row in view.rows for cell in row.cells)


def test_week_before_generating_shows_every_needed_post_as_gap(
    db: Database, ctx: ServiceContext
) -> None:
    org = build(db, ctx, patterns_from=date(2022, 4, 1))
    view = roster.week(ctx, org.east, MAY_2)
    kinds = {f.kind for f in view.gaps}
    assert FindingKind.GAP in kinds and FindingKind.TIER_UNCOVERED in kinds
    tier_row = next(row for row in view.rows if row.label == "1分钟处置")
    assert all(cell.gap for cell in tier_row.cells)
    guard_row = next(row for row in view.rows if row.label == "东关小学护学岗")
    # The school guard is only needed on weekdays.
    assert [cell.gap for cell in guard_row.cells] == [True] * 5 + [False] * 2


def test_week_by_people_shows_each_person_and_leave(db: Database, ctx: ServiceContext) -> None:
    org = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, org.east, MAY_2, MAY_2 + timedelta(days=6))
    view = roster.week(ctx, org.east, MAY_2, by="staff")
    labels = [row.label for row in view.rows]
    assert labels[:4] == ["张伟", "王芳", "李强", "刘洋"]
    assert "欧阳明" not in labels
    li = view.rows[labels.index("李强")]
    assert [cell.shifts[0].post_name if cell.shifts else "" for cell in li.cells][:3] == [
        "夜间巡逻",
        "",
        "夜间巡逻",
    ]


def test_week_of_unknown_room_is_not_found(db: Database, ctx: ServiceContext) -> None:
    with pytest.raises(NotFound):
        roster.week(ctx, 999, MAY_2)


def test_on_duty_now_lists_people_with_phones(db: Database, ctx: ServiceContext) -> None:
    org = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, None, date(2022, 4, 30), date(2022, 5, 1))
    # 2022-05-01 09:30, a Sunday: the day desk and the day tier, no school guard.
    now = roster.on_duty_now(ctx, org.east)
    assert [(d.post_name, d.staff_name, d.phone) for d in now] == [
        ("值班台", "张伟", "13800000001"),
        ("值班台", "陈静", "13800000005"),
        ("1分钟处置", "杨磊", "13800000006"),
    ]
    assert all(d.until == datetime(2022, 5, 1, 20, 0) for d in now)
    everywhere = roster.on_duty_now(ctx, None)
    assert {d.staff_name for d in everywhere} == {"张伟", "陈静", "杨磊", "欧阳明"}
    night = ServiceContext(db, clock=Clock.fixed(datetime(2022, 5, 1, 2, 0)))
    # 02:00 on Sunday: the Friday patrol is over, the Saturday night tier still runs.
    assert [(d.staff_name, d.until) for d in roster.on_duty_now(night, org.east)] == [
        ("王芳", datetime(2022, 5, 1, 8, 0))
    ]


@pytest.mark.parametrize("by", ["post", "staff"])
def test_the_all_rooms_week_of_some_rooms_is_those_rooms_of_the_whole(
    db: Database, ctx: ServiceContext, by: roster.WeekBy
) -> None:
    # The roster shows the all-rooms week's first rooms before the rest: those rooms' rows
    # must be exactly what the whole week shows for them, and no other room's.
    org = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, None, MAY_2 - timedelta(days=1), MAY_2 + timedelta(days=6))
    whole = roster.week(ctx, None, MAY_2, by)
    assert {row.police_room_id for row in whole.rows} >= {org.east, org.west}
    for room in (org.east, org.west):
        some = roster.week(ctx, None, MAY_2, by, [room])
        # and the branch's own (no room), which head every page of the all-rooms view
        assert some.rows and list(some.rows) == [
            r for r in whole.rows if r.police_room_id in (room, None)
        ]
    now = roster.on_duty_now(ctx, None)
    assert {d.police_room_id for d in now} == {org.east, org.west}
    assert roster.on_duty_now(ctx, None, [org.east]) == [
        d for d in now if d.police_room_id == org.east
    ]
