"""Roster checks (排班检查): double bookings, rest, weekly hours, strength, grids, 1-3-5 tiers.

Checks return ``Finding``s. A ``REFUSE`` finding stops a save (nothing is written); a
``WARN`` finding is saved and shown where the roster is edited and in the week view.

A post needs its strength (``needs_police`` …) while one of its patterns runs; a 1-3-5 tier
needs it around the clock. A police officer may fill an auxiliary or volunteer place, an
auxiliary a volunteer place; grid workers count as volunteers.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import and_
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction, Setting
from policeroom.models.org import Grid, Staff, StaffKind
from policeroom.models.roster import Leave, Post, PostKind, Shift, ShiftStatus, StandIn
from policeroom.services import audit
from policeroom.services.context import ServiceContext
from policeroom.services.errors import FieldError, ValidationError
from policeroom.services.patterns import (
    PatternRow,
    PostRow,
    days_touched,
    patterns_of,
    post_row,
    windows,
)

MIN_REST_KEY = "roster.min_rest_hours"
MAX_WEEK_KEY = "roster.max_week_hours"
# Kinds in the order places are filled, and what each need is called.
NEED_KINDS = (StaffKind.POLICE, StaffKind.AUXILIARY, StaffKind.VOLUNTEER)
Measure = TypeVar("Measure")
# How a roster lists posts: the desk first, then the tiers, patrols and guard posts.
POST_ORDER = {PostKind.DESK: 0, PostKind.RESPONSE_TIER: 1, PostKind.PATROL: 2, PostKind.GUARD: 3}


class Severity(StrEnum):
    REFUSE = "refuse"
    WARN = "warn"


class FindingKind(StrEnum):
    DOUBLE_BOOKING = "double_booking"
    ON_LEAVE = "on_leave"
    INACTIVE = "inactive"
    REST = "rest"
    WEEK_HOURS = "week_hours"
    GAP = "gap"
    TIER_UNCOVERED = "tier_uncovered"
    PAIRING = "pairing"
    GRID_OFFICER = "grid_officer"


@dataclass(frozen=True)
class Finding:
    """One problem of the roster; ``missing`` lists (kind, people short) for gaps."""

    kind: FindingKind
    severity: Severity
    message: str
    police_room_id: int | None = None
    post_id: int | None = None
    staff_id: int | None = None
    shift_id: int | None = None
    grid_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    missing: tuple[tuple[StaffKind, int], ...] = ()

    @property
    def refuses(self) -> bool:
        return self.severity == Severity.REFUSE

    def touches(self, day: date) -> bool:
        """Whether the finding is about (part of) ``day``."""
        if self.starts_at is None or self.ends_at is None:
            return False
        return day in days_touched(self.starts_at, self.ends_at)


@dataclass(frozen=True)
class RosterLimits:
    """Site limits, kept in ``Setting`` (defaults: 8 h rest, 60 h a week)."""

    min_rest_hours: float = 8.0
    max_week_hours: float = 60.0


@dataclass(frozen=True)
class DutyFact:
    """A shift as the checks see it."""

    shift_id: int | None
    post_id: int
    post_name: str
    staff_id: int | None
    staff_name: str
    staff_kind: StaffKind | None
    starts_at: datetime
    ends_at: datetime

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


# --- settings ---------------------------------------------------------------------------


def limits_in(session: Session) -> RosterLimits:
    values = {
        setting.key: setting.value
        for setting in session.exec(
            select(Setting).where(col(Setting.key).in_([MIN_REST_KEY, MAX_WEEK_KEY]))
        )
    }
    defaults = RosterLimits()

    def read(key: str, default: float) -> float:
        try:
            return float(json.loads(values[key]))
        except (KeyError, ValueError, TypeError):
            return default

    return RosterLimits(
        read(MIN_REST_KEY, defaults.min_rest_hours), read(MAX_WEEK_KEY, defaults.max_week_hours)
    )


def limits(ctx: ServiceContext) -> RosterLimits:
    with ctx.read() as session:
        return limits_in(session)


def set_limits(ctx: ServiceContext, new: RosterLimits) -> RosterLimits:
    """Store the roster limits (audited)."""
    ctx.require_write()
    errors: list[FieldError] = []
    if not 0 <= new.min_rest_hours <= 48:
        errors.append(FieldError("min_rest_hours", _("between 0 and 48 hours")))
    if not 0 < new.max_week_hours <= 168:
        errors.append(FieldError("max_week_hours", _("between 1 and 168 hours")))
    if errors:
        raise ValidationError(errors, "roster limits")
    with ctx.transaction() as session:
        old = limits_in(session)
        for key, value in ((MIN_REST_KEY, new.min_rest_hours), (MAX_WEEK_KEY, new.max_week_hours)):
            setting = session.get(Setting, key) or Setting(key=key)
            setting.value = json.dumps(value)
            session.add(setting)
        audit.record(
            session,
            ctx,
            AuditAction.UPDATE,
            "setting",
            None,
            before={"min_rest_hours": old.min_rest_hours, "max_week_hours": old.max_week_hours},
            after={"min_rest_hours": new.min_rest_hours, "max_week_hours": new.max_week_hours},
        )
    return new


# --- pure checks ------------------------------------------------------------------------


def kind_label(kind: StaffKind) -> str:
    labels = {
        StaffKind.POLICE: _("police"),
        StaffKind.AUXILIARY: _("auxiliary"),
        StaffKind.VOLUNTEER: _("volunteer"),
        StaffKind.GRID_WORKER: _("grid worker"),
    }
    return labels[kind]


def span_label(starts_at: datetime, ends_at: datetime) -> str:
    """``5/3 20:00–08:00`` (the day it starts, then the times)."""
    return f"{starts_at.month}/{starts_at.day} {starts_at:%H:%M}–{ends_at:%H:%M}"


def shortfall(post: PostRow, present: Counter[StaffKind]) -> tuple[tuple[StaffKind, int], ...]:
    """People missing per kind; higher kinds fill lower places that are left open."""
    spare = 0
    missing: list[tuple[StaffKind, int]] = []
    needs = (post.needs_police, post.needs_auxiliary, post.needs_volunteer)
    have = (
        present[StaffKind.POLICE],
        present[StaffKind.AUXILIARY],
        present[StaffKind.VOLUNTEER] + present[StaffKind.GRID_WORKER],
    )
    for kind, need, count in zip(NEED_KINDS, needs, have, strict=True):
        available = count + spare
        if available < need:
            missing.append((kind, need - available))
            spare = 0
        else:
            spare = available - need
    return tuple(missing)


def merge(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching spans joined, in order."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def post_findings(
    post: PostRow,
    need_spans: Sequence[tuple[datetime, datetime]],
    present: Sequence[DutyFact],
) -> list[Finding]:
    """Gaps (under strength) of one post within ``need_spans`` and lone pair posts.

    ``present`` holds the post's shifts whose person is really there (not vacant, not on
    leave); the caller filters.
    """
    tier = post.kind == PostKind.RESPONSE_TIER
    found: list[Finding] = []
    for window_start, window_end in merge(need_spans):
        facts = [f for f in present if f.starts_at < window_end and f.ends_at > window_start]
        runs = _runs(window_start, window_end, facts, lambda c: shortfall(post, c))
        for start, end, missing in runs:
            if not missing:
                continue
            short = ", ".join(f"{kind_label(kind)} ×{count}" for kind, count in missing)
            found.append(
                Finding(
                    FindingKind.TIER_UNCOVERED if tier else FindingKind.GAP,
                    Severity.WARN,
                    (
                        _("{post} 1-3-5 tier not staffed {span}: short of {short}")
                        if tier
                        else _("{post} under strength {span}: short of {short}")
                    ).format(post=post.name, span=span_label(start, end), short=short),
                    post.police_room_id,
                    post.id,
                    starts_at=start,
                    ends_at=end,
                    missing=missing,
                )
            )
    if post.pair_required:
        for span_start, span_end in merge((f.starts_at, f.ends_at) for f in present):
            facts = [f for f in present if f.starts_at < span_end and f.ends_at > span_start]
            for start, end, alone in _runs(
                span_start, span_end, facts, lambda c: sum(c.values()) == 1
            ):
                if alone:
                    found.append(
                        Finding(
                            FindingKind.PAIRING,
                            Severity.WARN,
                            _("{post} needs two together, one alone {span}").format(
                                post=post.name, span=span_label(start, end)
                            ),
                            post.police_room_id,
                            post.id,
                            starts_at=start,
                            ends_at=end,
                        )
                    )
    return found


def _runs(
    start: datetime,
    end: datetime,
    facts: Sequence[DutyFact],
    measure: Callable[[Counter[StaffKind]], Measure],
) -> list[tuple[datetime, datetime, Measure]]:
    """Split ``[start, end)`` where people come and go; join neighbours measuring the same."""
    points = sorted(
        {start, end}
        | {f.starts_at for f in facts if start < f.starts_at < end}
        | {f.ends_at for f in facts if start < f.ends_at < end}
    )
    runs: list[tuple[datetime, datetime, Measure]] = []
    for a, b in zip(points, points[1:], strict=False):
        present = Counter(
            f.staff_kind for f in facts if f.staff_kind and f.starts_at <= a and f.ends_at >= b
        )
        value = measure(present)
        if runs and runs[-1][2] == value and runs[-1][1] == a:
            runs[-1] = (runs[-1][0], b, value)
        else:
            runs.append((a, b, value))
    return runs


def staff_findings(
    facts: Sequence[DutyFact],
    leave_days: set[date],
    limits: RosterLimits,
    focus: Sequence[DutyFact] | None = None,
    active: bool = True,
) -> list[Finding]:
    """Double bookings, leave, rest and weekly hours of one person.

    With ``focus`` (the shift being saved) only problems that involve it are returned.
    """
    ordered = sorted(facts, key=lambda f: (f.starts_at, f.ends_at))
    wanted = list(focus) if focus is not None else ordered
    found: list[Finding] = []
    for fact in wanted:
        if not active:
            found.append(
                Finding(
                    FindingKind.INACTIVE,
                    Severity.REFUSE,
                    _("{name} is no longer active").format(name=fact.staff_name),
                    staff_id=fact.staff_id,
                    shift_id=fact.shift_id,
                    post_id=fact.post_id,
                    starts_at=fact.starts_at,
                    ends_at=fact.ends_at,
                )
            )
        if any(day in leave_days for day in days_touched(fact.starts_at, fact.ends_at)):
            found.append(
                Finding(
                    FindingKind.ON_LEAVE,
                    Severity.REFUSE,
                    _("{name} is on leave {span}").format(
                        name=fact.staff_name, span=span_label(fact.starts_at, fact.ends_at)
                    ),
                    staff_id=fact.staff_id,
                    shift_id=fact.shift_id,
                    post_id=fact.post_id,
                    starts_at=fact.starts_at,
                    ends_at=fact.ends_at,
                )
            )
    seen_pairs: set[tuple[int, int]] = set()
    for fact in wanted:
        for other in ordered:
            if other is fact or (other.shift_id is not None and other.shift_id == fact.shift_id):
                continue
            key = (id(min(fact, other, key=id)), id(max(fact, other, key=id)))
            if key in seen_pairs:
                continue
            if other.starts_at < fact.ends_at and other.ends_at > fact.starts_at:
                seen_pairs.add(key)
                found.append(
                    Finding(
                        FindingKind.DOUBLE_BOOKING,
                        Severity.REFUSE,
                        _("{name} is already on {post} {span}").format(
                            name=fact.staff_name,
                            post=other.post_name,
                            span=span_label(other.starts_at, other.ends_at),
                        ),
                        staff_id=fact.staff_id,
                        shift_id=fact.shift_id,
                        post_id=fact.post_id,
                        starts_at=max(fact.starts_at, other.starts_at),
                        ends_at=min(fact.ends_at, other.ends_at),
                    )
                )
                continue
            rest = _rest_between(fact, other)
            if rest is not None and rest < timedelta(hours=limits.min_rest_hours):
                seen_pairs.add(key)
                first, second = sorted((fact, other), key=lambda f: f.starts_at)
                found.append(
                    Finding(
                        FindingKind.REST,
                        Severity.WARN,
                        _("{name} rests only {hours:g} h between {a} and {b}").format(
                            name=fact.staff_name,
                            hours=round(rest.total_seconds() / 3600, 1),
                            a=span_label(first.starts_at, first.ends_at),
                            b=span_label(second.starts_at, second.ends_at),
                        ),
                        staff_id=fact.staff_id,
                        shift_id=fact.shift_id,
                        post_id=fact.post_id,
                        starts_at=first.ends_at,
                        ends_at=second.starts_at,
                    )
                )
    weeks: dict[date, float] = defaultdict(float)
    for fact in ordered:
        weeks[week_of(fact.starts_at.date())] += fact.hours
    wanted_weeks = sorted({week_of(f.starts_at.date()) for f in wanted})
    for monday in wanted_weeks:
        if weeks[monday] > limits.max_week_hours:
            name = wanted[0].staff_name
            found.append(
                Finding(
                    FindingKind.WEEK_HOURS,
                    Severity.WARN,
                    _("{name} works {hours:g} h in the week of {monday}, over {limit:g} h").format(
                        name=name,
                        hours=round(weeks[monday], 1),
                        monday=monday.isoformat(),
                        limit=limits.max_week_hours,
                    ),
                    staff_id=wanted[0].staff_id,
                    starts_at=datetime.combine(monday, time(0)),
                    ends_at=datetime.combine(monday + timedelta(days=7), time(0)),
                )
            )
    return found


def _rest_between(a: DutyFact, b: DutyFact) -> timedelta | None:
    """Time off between two shifts that do not overlap, whichever comes first."""
    if a.ends_at <= b.starts_at:
        return b.starts_at - a.ends_at
    if b.ends_at <= a.starts_at:
        return a.starts_at - b.ends_at
    return None


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class GridDuty:
    """A level-2 grid with its responsible officer and named stand-ins by day."""

    grid_id: int
    name: str
    police_room_id: int | None
    officer_id: int | None
    stand_ins: dict[date, frozenset[int]] = field(default_factory=dict)


def grid_findings(
    grids: Sequence[GridDuty], days: Sequence[date], on_duty: dict[int, set[date]]
) -> list[Finding]:
    """Each day, every level-2 grid needs its officer or a named stand-in on duty."""
    found: list[Finding] = []
    for grid in grids:
        for day in days:
            people = set(grid.stand_ins.get(day, frozenset()))
            if grid.officer_id is not None:
                people.add(grid.officer_id)
            if any(day in on_duty.get(person, set()) for person in people):
                continue
            found.append(
                Finding(
                    FindingKind.GRID_OFFICER,
                    Severity.WARN,
                    _("{grid} has neither its officer nor a stand-in on duty on {day}").format(
                        grid=grid.name, day=day.isoformat()
                    ),
                    grid.police_room_id,
                    grid_id=grid.grid_id,
                    staff_id=grid.officer_id,
                    starts_at=datetime.combine(day, time(0)),
                    ends_at=datetime.combine(day + timedelta(days=1), time(0)),
                )
            )
    return found


# --- loading and checking a period ------------------------------------------------------


@dataclass
class RosterScope:
    """Everything the checks need about some police rooms over a period, read once."""

    start: datetime
    end: datetime
    posts: list[PostRow]
    patterns: list[PatternRow]
    post_shifts: list[DutyFact]
    staff_shifts: dict[int, list[DutyFact]]
    leave_days: dict[int, set[date]]
    inactive: set[int]
    grids: list[GridDuty]

    def present(self, fact: DutyFact) -> bool:
        """Whether the person of a shift is really there (assigned, active, not on leave)."""
        if fact.staff_id is None or fact.staff_id in self.inactive:
            return False
        days = self.leave_days.get(fact.staff_id)
        return not days or not any(d in days for d in days_touched(fact.starts_at, fact.ends_at))


def load_scope(
    session: Session, police_room_id: int | None, date_from: date, date_to: date
) -> RosterScope:
    """Read posts, patterns, shifts, leave and grids of one room (or all) for a period."""
    start = datetime.combine(date_from, time(0))
    end = datetime.combine(date_to + timedelta(days=1), time(0))
    post_query = select(Post).where(col(Post.active).is_(True)).order_by(col(Post.code))
    if police_room_id is not None:
        post_query = post_query.where(Post.police_room_id == police_room_id)
    posts = sorted(
        (post_row(post) for post in session.exec(post_query)),
        key=lambda p: (p.police_room_id or 0, POST_ORDER[p.kind], p.code),
    )
    by_id = {post.id: post for post in posts}
    pattern_rows = patterns_of(session, by_id)
    post_shifts: list[DutyFact] = []
    post_ids = sorted(by_id)
    for offset in range(0, len(post_ids), 500):
        chunk = post_ids[offset : offset + 500]
        post_shifts += _facts(
            session,
            and_(
                col(Shift.post_id).in_(chunk),
                col(Shift.starts_at) < end,
                col(Shift.ends_at) > start,
            ),
        )
    grid_query = select(Grid).where(Grid.level == 2, col(Grid.archived).is_(False))
    if police_room_id is not None:
        grid_query = grid_query.where(Grid.police_room_id == police_room_id)
    grid_rows = list(session.exec(grid_query.order_by(col(Grid.code))))
    stand_ins = _stand_ins(
        session, [g.id for g in grid_rows if g.id is not None], date_from, date_to
    )
    grids = [
        GridDuty(g.id, g.name, g.police_room_id, g.officer_id, stand_ins.get(g.id, {}))
        for g in grid_rows
        if g.id is not None
    ]
    people = {f.staff_id for f in post_shifts if f.staff_id is not None}
    people |= {g.officer_id for g in grids if g.officer_id is not None}
    people |= {p for g in grids for day in g.stand_ins.values() for p in day}
    # Whole weeks and a day either side, so weekly hours and rest see every neighbour.
    around_start = datetime.combine(week_of(date_from) - timedelta(days=1), time(0))
    around_end = datetime.combine(week_of(date_to) + timedelta(days=8), time(0))
    staff_shifts: dict[int, list[DutyFact]] = defaultdict(list)
    leave_days: dict[int, set[date]] = defaultdict(set)
    inactive: set[int] = set()
    ids = sorted(people)
    for offset in range(0, len(ids), 500):
        chunk = ids[offset : offset + 500]
        for fact in _facts(
            session,
            and_(
                col(Shift.staff_id).in_(chunk),
                col(Shift.starts_at) < around_end,
                col(Shift.ends_at) > around_start,
            ),
        ):
            assert fact.staff_id is not None
            staff_shifts[fact.staff_id].append(fact)
        for leave in session.exec(
            select(Leave).where(
                col(Leave.staff_id).in_(chunk),
                col(Leave.starts_on) <= around_end.date(),
                col(Leave.ends_on) >= around_start.date(),
            )
        ):
            day = leave.starts_on
            while day <= leave.ends_on:
                leave_days[leave.staff_id].add(day)
                day += timedelta(days=1)
        inactive |= {
            staff_id
            for staff_id in session.exec(
                select(Staff.id).where(col(Staff.id).in_(chunk), col(Staff.active).is_(False))
            )
            if staff_id is not None
        }
    return RosterScope(
        start,
        end,
        posts,
        pattern_rows,
        post_shifts,
        dict(staff_shifts),
        dict(leave_days),
        inactive,
        grids,
    )


def _facts(session: Session, condition: object) -> list[DutyFact]:
    statement = (
        select(Shift, Post.name, Staff.name, Staff.kind)
        .join(Post, col(Post.id) == Shift.post_id)
        .outerjoin(Staff, col(Staff.id) == Shift.staff_id)
        .where(condition, Shift.status != ShiftStatus.CANCELLED)  # type: ignore[arg-type]
        .order_by(col(Shift.starts_at), col(Shift.id))
    )
    return [
        DutyFact(
            shift.id,
            shift.post_id,
            post_name,
            shift.staff_id,
            staff_name or "",
            StaffKind(staff_kind) if staff_kind else None,
            shift.starts_at,
            shift.ends_at,
        )
        for shift, post_name, staff_name, staff_kind in session.exec(statement)
    ]


def _stand_ins(
    session: Session, grid_ids: list[int], date_from: date, date_to: date
) -> dict[int, dict[date, frozenset[int]]]:
    found: dict[int, dict[date, set[int]]] = defaultdict(lambda: defaultdict(set))
    for offset in range(0, len(grid_ids), 500):
        chunk = grid_ids[offset : offset + 500]
        for stand_in in session.exec(
            select(StandIn).where(
                col(StandIn.grid_id).in_(chunk),
                col(StandIn.starts_on) <= date_to,
                col(StandIn.ends_on) >= date_from,
            )
        ):
            day = max(stand_in.starts_on, date_from)
            while day <= min(stand_in.ends_on, date_to):
                found[stand_in.grid_id][day].add(stand_in.staff_id)
                day += timedelta(days=1)
    return {
        grid: {day: frozenset(people) for day, people in days.items()}
        for grid, days in found.items()
    }


def scope_findings(scope: RosterScope, limits: RosterLimits) -> list[Finding]:
    """Every check over the scope's period."""
    found: list[Finding] = []
    by_post: dict[int, list[DutyFact]] = defaultdict(list)
    for fact in scope.post_shifts:
        if scope.present(fact):
            by_post[fact.post_id].append(fact)
    patterns_by_post: dict[int, list[PatternRow]] = defaultdict(list)
    for pattern in scope.patterns:
        patterns_by_post[pattern.post_id].append(pattern)
    for post in scope.posts:
        if post.kind == PostKind.RESPONSE_TIER:
            need = [(scope.start, scope.end)]
        else:
            need = [
                (max(a, scope.start), min(b, scope.end))
                for pattern in patterns_by_post.get(post.id, [])
                for a, b in windows(pattern, scope.start, scope.end)
            ]
        found.extend(post_findings(post, need, by_post.get(post.id, [])))
    for staff_id, facts in scope.staff_shifts.items():
        in_period = [f for f in facts if f.starts_at < scope.end and f.ends_at > scope.start]
        if in_period:
            found.extend(
                staff_findings(
                    facts,
                    scope.leave_days.get(staff_id, set()),
                    limits,
                    focus=in_period,
                    active=staff_id not in scope.inactive,
                )
            )
    days = _days(scope.start.date(), (scope.end - timedelta(days=1)).date())
    on_duty: dict[int, set[date]] = defaultdict(set)
    for staff_id, facts in scope.staff_shifts.items():
        for fact in facts:
            if scope.present(fact):
                on_duty[staff_id].update(days_touched(fact.starts_at, fact.ends_at))
    found.extend(grid_findings(scope.grids, days, on_duty))
    return found


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def findings(
    ctx: ServiceContext, police_room_id: int | None, date_from: date, date_to: date
) -> list[Finding]:
    """Every finding of one police room (or all) from ``date_from`` to ``date_to``."""
    with ctx.read() as session:
        scope = load_scope(session, police_room_id, date_from, date_to)
        return scope_findings(scope, limits_in(session))


UNDER_STRENGTH = frozenset({FindingKind.GAP, FindingKind.TIER_UNCOVERED, FindingKind.PAIRING})


def alerts_next_7_days(ctx: ServiceContext, police_room_id: int | None) -> list[Finding]:
    """Under-strength anywhere from today for 7 days: gaps, unstaffed tiers, lone pairs."""
    today = ctx.clock.today()
    return [
        finding
        for finding in findings(ctx, police_room_id, today, today + timedelta(days=6))
        if finding.kind in UNDER_STRENGTH
    ]


def check_draft(
    session: Session,
    limits: RosterLimits,
    draft: DutyFact,
    leaving: frozenset[int] = frozenset(),
) -> list[Finding]:
    """The checks a shift must pass before it is saved with ``draft``'s person and times.

    ``leaving`` names shifts the person gives up in the same change (the other side of a swap).
    """
    if draft.staff_id is None:
        return []
    around_start = draft.starts_at - timedelta(days=8)
    around_end = draft.ends_at + timedelta(days=8)
    others = [
        fact
        for fact in _facts(
            session,
            and_(
                col(Shift.staff_id) == draft.staff_id,
                col(Shift.starts_at) < around_end,
                col(Shift.ends_at) > around_start,
            ),
        )
        if fact.shift_id not in leaving
        and (draft.shift_id is None or fact.shift_id != draft.shift_id)
    ]
    leave_days: set[date] = set()
    for leave in session.exec(
        select(Leave).where(
            Leave.staff_id == draft.staff_id,
            col(Leave.starts_on) <= draft.ends_at.date(),
            col(Leave.ends_on) >= draft.starts_at.date(),
        )
    ):
        leave_days.update(_days(leave.starts_on, leave.ends_on))
    staff = session.get(Staff, draft.staff_id)
    return staff_findings(
        [*others, draft],
        leave_days,
        limits,
        focus=[draft],
        active=staff is not None and staff.active,
    )


def refusal(found: Sequence[Finding], field_name: str = "staff_id") -> ValidationError | None:
    """The error to raise when any finding refuses the save, else None."""
    refused = [f for f in found if f.refuses]
    if not refused:
        return None
    return ValidationError([FieldError(field_name, f.message) for f in refused], "shift")
