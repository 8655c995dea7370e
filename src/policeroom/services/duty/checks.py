"""Roster checks on plain data (排班检查): strength per kind, pairs, double bookings, rest,
weekly hours, grid officers. No database here; ``coverage`` reads what they need.

A post needs its strength (``needs_police`` …) while one of its patterns runs; a 1-3-5 tier
needs it around the clock. A police officer may fill an auxiliary or volunteer place, an
auxiliary a volunteer place; grid workers count as volunteers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeVar

from policeroom.i18n import N_, _
from policeroom.labels import label, register
from policeroom.models.org import StaffKind
from policeroom.models.roster import PostKind
from policeroom.services.duty.patterns import PostRow, days_touched

# Kinds in the order places are filled, and what each need is called.
NEED_KINDS = (StaffKind.POLICE, StaffKind.AUXILIARY, StaffKind.VOLUNTEER)
Measure = TypeVar("Measure")
# How a roster lists posts: the desk first, then the tiers, patrols and guard posts.
POST_ORDER = {PostKind.DESK: 0, PostKind.RESPONSE_TIER: 1, PostKind.PATROL: 2, PostKind.GUARD: 3}


class Severity(StrEnum):
    REFUSE = "refuse"
    WARN = "warn"


register(Severity, {Severity.REFUSE: N_("refused"), Severity.WARN: N_("warning")})


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
    POST_REQUIREMENT = "post_requirement"


register(
    FindingKind,
    {
        FindingKind.DOUBLE_BOOKING: N_("double booking"),
        FindingKind.ON_LEAVE: N_("on leave"),
        FindingKind.INACTIVE: N_("no longer active"),
        FindingKind.REST: N_("short rest"),
        FindingKind.WEEK_HOURS: N_("weekly hours"),
        FindingKind.GAP: N_("under strength"),
        FindingKind.TIER_UNCOVERED: N_("1-3-5 tier unstaffed"),
        FindingKind.PAIRING: N_("alone on a pair post"),
        FindingKind.GRID_OFFICER: N_("grid without officer"),
        FindingKind.POST_REQUIREMENT: N_("post requirement"),
    },
)


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

    @property
    def order(self) -> tuple[bool, datetime, bool, int]:
        """Sort key: by time (findings without one last), then branch-level before rooms."""
        return (
            self.starts_at is None,
            self.starts_at or datetime.min,
            self.police_room_id is not None,
            self.police_room_id or 0,
        )

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
    # The versions of the settings these values were read from (``services.core.settings``):
    # saving a copy made with ``dataclasses.replace`` refuses another desk's newer save.
    versions: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)


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


# --- pure checks ------------------------------------------------------------------------


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
            short = ", ".join(f"{label(kind)} ×{count}" for kind, count in missing)
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


FILLS: dict[StaffKind, frozenset[StaffKind]] = {
    StaffKind.POLICE: frozenset(NEED_KINDS),
    StaffKind.AUXILIARY: frozenset({StaffKind.AUXILIARY, StaffKind.VOLUNTEER}),
    StaffKind.VOLUNTEER: frozenset({StaffKind.VOLUNTEER}),
    StaffKind.GRID_WORKER: frozenset({StaffKind.VOLUNTEER}),
}
"""The places of a post each kind of person may take (the rule of the strength checks)."""


def post_requirement(post: PostRow, draft: DutyFact) -> Finding | None:
    """A warning when ``draft``'s person cannot take any place the post needs: an auxiliary
    on a post that needs police only, say. Not a refusal: a desk short of officers may do it,
    but only after saying so (the services ask for confirmation)."""
    needs = (post.needs_police, post.needs_auxiliary, post.needs_volunteer)
    wanted = {kind for kind, number in zip(NEED_KINDS, needs, strict=True) if number > 0}
    if draft.staff_id is None or draft.staff_kind is None or not wanted:
        return None
    if wanted & FILLS[draft.staff_kind]:
        return None
    return Finding(
        FindingKind.POST_REQUIREMENT,
        Severity.WARN,
        _("{post} needs {kinds}; {name} is {kind}").format(
            post=draft.post_name,
            kinds=_(" or ").join(label(kind) for kind in NEED_KINDS if kind in wanted),
            name=draft.staff_name,
            kind=label(draft.staff_kind),
        ),
        post.police_room_id,
        draft.post_id,
        draft.staff_id,
        draft.shift_id,
        starts_at=draft.starts_at,
    )


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
