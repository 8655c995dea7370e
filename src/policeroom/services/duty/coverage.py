"""Roster coverage over a period: reads posts, shifts, leave and grids, runs the checks.

Checks return ``Finding``s. A ``REFUSE`` finding stops a save (nothing is written); a
``WARN`` finding is saved and shown where the roster is edited and in the week view.
Limits (minimum rest, weekly hours) live in ``Setting`` with defaults.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction, Setting
from policeroom.models.org import Grid, Staff, StaffKind
from policeroom.models.roster import Leave, Post, PostKind, Shift, ShiftStatus, StandIn
from policeroom.services.core import audit, settings
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, ValidationError
from policeroom.services.duty.checks import (
    POST_ORDER,
    DutyFact,
    Finding,
    FindingKind,
    GridDuty,
    RosterLimits,
    Severity,
    grid_findings,
    post_findings,
    post_requirement,
    staff_findings,
    week_of,
)
from policeroom.services.duty.patterns import (
    PatternRow,
    PostRow,
    days_touched,
    patterns_of,
    post_row,
    windows,
)

__all__ = [
    "POST_ORDER",
    "UNDER_STRENGTH",
    "DutyFact",
    "Finding",
    "FindingKind",
    "RosterLimits",
    "RosterScope",
    "Severity",
    "alerts_next_7_days",
    "check_draft",
    "findings",
    "limits",
    "limits_in",
    "load_scope",
    "refusal",
    "scope_findings",
    "set_limits",
    "week_of",
]

MIN_REST_KEY = "roster.min_rest_hours"
MAX_WEEK_KEY = "roster.max_week_hours"


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
        read(MIN_REST_KEY, defaults.min_rest_hours),
        read(MAX_WEEK_KEY, defaults.max_week_hours),
        settings.versions(session, (MIN_REST_KEY, MAX_WEEK_KEY)),
    )


def limits(ctx: ServiceContext) -> RosterLimits:
    with ctx.read() as session:
        return limits_in(session)


def set_limits(ctx: ServiceContext, new: RosterLimits) -> RosterLimits:
    """Store the roster limits (audited) over the versions ``new`` was read with; refused
    with ``StaleRecord`` when another desk saved them since."""
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
            settings.store(session, key, json.dumps(value), new.versions)
        audit.record(
            session,
            ctx,
            AuditAction.UPDATE,
            "setting",
            None,
            before={"min_rest_hours": old.min_rest_hours, "max_week_hours": old.max_week_hours},
            after={"min_rest_hours": new.min_rest_hours, "max_week_hours": new.max_week_hours},
        )
        return limits_in(session)


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


def these_rooms_or_the_branch(column: int | None, rooms: Collection[int]) -> ColumnElement[bool]:
    """``rooms``, and what belongs to no room (the branch's own posts and people, such as its
    round-the-clock 1-3-5 tier): they head the all-rooms view, so its first page has them."""
    return or_(col(column).in_(sorted(rooms)), col(column).is_(None))


def load_scope(
    session: Session,
    police_room_id: int | None,
    date_from: date,
    date_to: date,
    ctx: ServiceContext | None = None,
    rooms: Collection[int] | None = None,
) -> RosterScope:
    """Read posts, patterns, shifts, leave and grids of one room (or all) for a period; with
    ``ctx``, of the actor's police rooms only; with ``rooms``, of those rooms only (a page of
    the all-rooms view)."""
    start = datetime.combine(date_from, time(0))
    end = datetime.combine(date_to + timedelta(days=1), time(0))
    post_query = select(Post).where(col(Post.active).is_(True)).order_by(col(Post.code))
    if police_room_id is not None:
        post_query = post_query.where(Post.police_room_id == police_room_id)
    if rooms is not None:
        post_query = post_query.where(these_rooms_or_the_branch(Post.police_room_id, rooms))
    if ctx is not None:
        post_query = post_query.where(core_scope.rooms_clause(ctx, Post.police_room_id))
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
    if rooms is not None:
        grid_query = grid_query.where(col(Grid.police_room_id).in_(sorted(rooms)))
    if ctx is not None:
        grid_query = grid_query.where(core_scope.rooms_clause(ctx, Grid.police_room_id))
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
    # Columns, not ``Shift`` objects: a branch's week is thousands of shifts, and building
    # an ORM object for each was most of the week's time.
    statement = (
        sa.select(
            col(Shift.id),
            col(Shift.post_id),
            col(Post.name),
            col(Shift.staff_id),
            col(Staff.name),
            col(Staff.kind),
            col(Shift.starts_at),
            col(Shift.ends_at),
        )
        .join(Post, col(Post.id) == col(Shift.post_id))
        .outerjoin(Staff, col(Staff.id) == col(Shift.staff_id))
        .where(condition, col(Shift.status) != ShiftStatus.CANCELLED)  # type: ignore[arg-type]
        .order_by(col(Shift.starts_at), col(Shift.id))
    )
    return [
        DutyFact(
            shift_id,
            post_id,
            post_name,
            staff_id,
            staff_name or "",
            StaffKind(staff_kind) if staff_kind else None,
            starts_at,
            ends_at,
        )
        for (
            shift_id,
            post_id,
            post_name,
            staff_id,
            staff_name,
            staff_kind,
            starts_at,
            ends_at,
        ) in session.execute(statement)
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
        scope = load_scope(session, police_room_id, date_from, date_to, ctx)
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
    *,
    lock: bool = True,
) -> list[Finding]:
    """The checks a shift must pass before it is saved with ``draft``'s person and times.

    ``leaving`` names shifts the person gives up in the same change (the other side of a swap).
    ``lock=False`` for a preview, which saves nothing (and reads in a read-only snapshot).
    """
    if draft.staff_id is None:
        return []
    # Lock the person's row first (PostgreSQL; on SQLite the transaction already holds the
    # write lock) so two desks booking the same person at the same moment cannot both pass
    # the double-booking check.
    person = select(Staff).where(Staff.id == draft.staff_id)
    staff = session.exec(person.with_for_update() if lock else person).first()
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
    found = staff_findings(
        [*others, draft],
        leave_days,
        limits,
        focus=[draft],
        active=staff is not None and staff.active,
    )
    post = session.get(Post, draft.post_id)
    fit = post_requirement(post_row(post), draft) if post is not None else None
    return [*found, fit] if fit is not None else found


class NeedsConfirmation(ValidationError):
    """The change puts someone on a post that needs another kind of person (an auxiliary
    on a police-only post): saved only when asked again with ``confirmed=True``, after the
    user has read ``findings`` and said yes."""

    def __init__(self, findings: Sequence[Finding], field_name: str, record: str) -> None:
        super().__init__([FieldError(field_name, f.message) for f in findings], record)
        self.findings = tuple(findings)


def unconfirmed(
    found: Sequence[Finding], confirmed: bool, field_name: str = "staff_id", record: str = "shift"
) -> NeedsConfirmation | None:
    """The error to raise when the post's requirements are broken and nobody confirmed."""
    broken = [f for f in found if f.kind is FindingKind.POST_REQUIREMENT]
    if not broken or confirmed:
        return None
    return NeedsConfirmation(broken, field_name, record)


def confirmed_note(found: Sequence[Finding]) -> dict[str, list[str]]:
    """What an audit row adds when a user confirmed a post requirement they broke."""
    broken = [f.message for f in found if f.kind is FindingKind.POST_REQUIREMENT]
    return {"confirmed": broken} if broken else {}


def refusal(found: Sequence[Finding], field_name: str = "staff_id") -> ValidationError | None:
    """The error to raise when any finding refuses the save, else None."""
    refused = [f for f in found if f.refuses]
    if not refused:
        return None
    return ValidationError([FieldError(field_name, f.message) for f in refused], "shift")
