"""Roster checks: strength per kind, pairs, 1-3-5 tiers, grid officers, the 7-day alert."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.org import StaffKind
from policeroom.models.roster import LeaveCreate, PostKind, Shift, StandInCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.duty import checks as roster_checks
from policeroom.services.duty import coverage, patterns, shifts
from policeroom.services.duty.coverage import DutyFact, FindingKind
from policeroom.services.duty.patterns import PostRow
from tests.unit.roster_org import RosterOrg, build

MAY_2 = date(2022, 5, 2)


def _post(police: int = 0, auxiliary: int = 0, volunteer: int = 0, pair: bool = False) -> PostRow:
    return PostRow(
        1,
        "P",
        "巡逻岗",
        PostKind.PATROL,
        1,
        None,
        None,
        None,
        police,
        auxiliary,
        volunteer,
        pair,
        True,
        1,
    )


def _fact(kind: StaffKind, start: int, end: int, staff_id: int = 1) -> DutyFact:
    base = datetime(2022, 5, 2)
    return DutyFact(
        None,
        1,
        "巡逻岗",
        staff_id,
        "某人",
        kind,
        base + timedelta(hours=start),
        base + timedelta(hours=end),
    )


def test_shortfall_lets_higher_kinds_fill_lower_places() -> None:
    post = _post(police=1, auxiliary=1, volunteer=1)
    assert roster_checks.shortfall(post, Counter({StaffKind.POLICE: 3})) == ()
    assert roster_checks.shortfall(post, Counter({StaffKind.AUXILIARY: 3})) == (
        (StaffKind.POLICE, 1),
    )
    assert roster_checks.shortfall(
        post, Counter({StaffKind.POLICE: 1, StaffKind.GRID_WORKER: 1})
    ) == ((StaffKind.AUXILIARY, 1),)
    assert roster_checks.shortfall(post, Counter()) == (
        (StaffKind.POLICE, 1),
        (StaffKind.AUXILIARY, 1),
        (StaffKind.VOLUNTEER, 1),
    )


def test_gaps_are_the_stretches_under_strength() -> None:
    post = _post(police=2, pair=True)
    day = datetime(2022, 5, 2)
    need = [(day + timedelta(hours=8), day + timedelta(hours=20))]
    present = [_fact(StaffKind.POLICE, 8, 20, 1), _fact(StaffKind.POLICE, 12, 16, 2)]
    found = roster_checks.post_findings(post, need, present)
    gaps = [(f.kind, f.starts_at.hour, f.ends_at.hour) for f in found if f.starts_at and f.ends_at]
    assert gaps == [
        (FindingKind.GAP, 8, 12),
        (FindingKind.GAP, 16, 20),
        (FindingKind.PAIRING, 8, 12),
        (FindingKind.PAIRING, 16, 20),
    ]
    assert found[0].missing == ((StaffKind.POLICE, 1),)
    present.append(_fact(StaffKind.POLICE, 8, 20, 3))
    assert roster_checks.post_findings(post, need, present) == []


def test_staff_checks_on_their_own() -> None:
    limits = coverage.RosterLimits()
    first = _fact(StaffKind.POLICE, 8, 20)
    overlapping = _fact(StaffKind.POLICE, 19, 23)
    kinds = [f.kind for f in roster_checks.staff_findings([first, overlapping], set(), limits)]
    assert kinds == [FindingKind.DOUBLE_BOOKING]
    close = _fact(StaffKind.POLICE, 24, 30)
    found = roster_checks.staff_findings([first, close], set(), limits)
    assert [f.kind for f in found] == [FindingKind.REST]
    assert [f.kind for f in roster_checks.staff_findings([first], {date(2022, 5, 2)}, limits)] == [
        FindingKind.ON_LEAVE
    ]
    long_week = [_fact(StaffKind.POLICE, 24 * n + 8, 24 * n + 20) for n in range(6)]
    assert [f.kind for f in roster_checks.staff_findings(long_week, set(), limits)] == [
        FindingKind.WEEK_HOURS
    ]
    assert roster_checks.staff_findings(long_week[:5], set(), limits) == []


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


@pytest.fixture
def org(db: Database, ctx: ServiceContext) -> RosterOrg:
    built = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, built.east, date(2022, 4, 30), date(2022, 5, 9))
    return built


def test_a_full_roster_has_no_under_strength(ctx: ServiceContext, org: RosterOrg) -> None:
    assert coverage.alerts_next_7_days(ctx, org.east) == []
    kinds = {f.kind for f in coverage.findings(ctx, org.east, MAY_2, MAY_2 + timedelta(days=6))}
    # Twelve-hour days every day are over the weekly limit; nothing else is wrong.
    assert kinds == {FindingKind.WEEK_HOURS}


def test_tier_must_be_staffed_around_the_clock(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    shifts.add_leave(
        ctx,
        LeaveCreate(
            staff_id=org.staff["王芳"], starts_on=date(2022, 5, 6), ends_on=date(2022, 5, 6)
        ),
    )
    alerts = coverage.alerts_next_7_days(ctx, org.east)
    # Her Thursday night runs into Friday, so it is vacated too.
    assert [(a.kind, a.starts_at, a.ends_at) for a in alerts] == [
        (FindingKind.TIER_UNCOVERED, datetime(2022, 5, 5, 20), datetime(2022, 5, 6, 8)),
        (FindingKind.TIER_UNCOVERED, datetime(2022, 5, 6, 20), datetime(2022, 5, 7, 8)),
    ]


def test_night_patrol_needs_its_pair(db: Database, ctx: ServiceContext, org: RosterOrg) -> None:
    with db.session() as session:
        shift = session.exec(
            select(Shift).where(
                Shift.post_id == org.night_patrol,
                Shift.staff_id == org.staff["刘洋"],
                Shift.starts_at == datetime(2022, 5, 4, 20),
            )
        ).one()
    assert shift.id is not None
    shifts.assign(ctx, shift.id, None, shift.version)
    alerts = coverage.alerts_next_7_days(ctx, org.east)
    assert sorted(a.kind for a in alerts) == [FindingKind.GAP, FindingKind.PAIRING]
    assert all(a.post_id == org.night_patrol for a in alerts)


def test_grid_needs_its_officer_or_a_stand_in(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    shifts.add_leave(
        ctx,
        LeaveCreate(
            staff_id=org.staff["张伟"], starts_on=date(2022, 5, 3), ends_on=date(2022, 5, 3)
        ),
    )
    week = coverage.findings(ctx, org.east, MAY_2, MAY_2 + timedelta(days=6))
    grid = [f for f in week if f.kind == FindingKind.GRID_OFFICER]
    assert [(f.grid_id, f.starts_at) for f in grid] == [(org.grid, datetime(2022, 5, 3))]
    assert "东关村" in grid[0].message
    # 王芳 works nights; named as the stand-in she covers the grid that day.
    shifts.add_stand_in(
        ctx,
        StandInCreate(
            grid_id=org.grid,
            staff_id=org.staff["王芳"],
            starts_on=date(2022, 5, 3),
            ends_on=date(2022, 5, 3),
            reason="张伟休假",
        ),
    )
    week = coverage.findings(ctx, org.east, MAY_2, MAY_2 + timedelta(days=6))
    assert not [f for f in week if f.kind == FindingKind.GRID_OFFICER]
    with pytest.raises(ValidationError) as error:
        shifts.add_stand_in(ctx, StandInCreate(grid_id=org.grid, starts_on=date(2022, 5, 3)))
    assert {e.field for e in error.value.errors} == {"staff_id", "ends_on"}


def test_limits_have_defaults_and_are_checked(ctx: ServiceContext) -> None:
    assert coverage.limits(ctx) == coverage.RosterLimits(8, 60)
    with pytest.raises(ValidationError):
        coverage.set_limits(ctx, coverage.RosterLimits(min_rest_hours=-1, max_week_hours=0))
    coverage.set_limits(ctx, coverage.RosterLimits(min_rest_hours=11, max_week_hours=48))
    assert coverage.limits(ctx) == coverage.RosterLimits(11, 48)
