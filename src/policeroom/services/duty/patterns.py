"""Posts and their recurring shift patterns (RFC 5545 RRULEs), and generating shifts from them.

Times are local Asia/Shanghai wall-clock times without a zone: China keeps no daylight
saving, so a 20:00 shift of 720 minutes always ends at 08:00 the next day, 12 hours later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from dateutil.rrule import rrule, rruleset, rrulestr
from sqlalchemy import and_, insert
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction
from policeroom.models.org import KeyUnit, PoliceRoom, Staff
from policeroom.models.roster import (
    Leave,
    PatternCreate,
    Post,
    PostCreate,
    PostKind,
    PostUpdate,
    Shift,
    ShiftPattern,
    ShiftStatus,
)
from policeroom.services.core import audit
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, NotFound, ValidationError
from policeroom.services.core.fields import Problems
from policeroom.services.core.locking import save_versioned

_ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_FORBIDDEN_PARTS = ("DTSTART", "BYHOUR", "BYMINUTE", "BYSECOND")


@dataclass(frozen=True)
class PostRow:
    """A post as lists and forms show it."""

    id: int
    code: str
    name: str
    kind: PostKind
    police_room_id: int | None
    grid_id: int | None
    key_unit_id: int | None
    tier_minutes: int | None
    needs_police: int
    needs_auxiliary: int
    needs_volunteer: int
    pair_required: bool
    active: bool
    version: int

    @property
    def needs_total(self) -> int:
        return self.needs_police + self.needs_auxiliary + self.needs_volunteer


@dataclass(frozen=True)
class PatternRow:
    id: int
    post_id: int
    staff_id: int | None
    rrule: str
    starts_at: time
    duration_minutes: int
    valid_from: date
    valid_until: date | None
    version: int


@dataclass(frozen=True)
class GenerateResult:
    """What ``generate`` did: shifts created, and occurrences that already had a shift."""

    created: int
    existing: int
    vacant_for_leave: int


def post_row(post: Post) -> PostRow:
    assert post.id is not None
    return PostRow(
        post.id,
        post.code,
        post.name,
        post.kind,
        post.police_room_id,
        post.grid_id,
        post.key_unit_id,
        post.tier_minutes,
        post.needs_police,
        post.needs_auxiliary,
        post.needs_volunteer,
        post.pair_required,
        post.active,
        post.version,
    )


def pattern_row(pattern: ShiftPattern) -> PatternRow:
    assert pattern.id is not None
    return PatternRow(
        pattern.id,
        pattern.post_id,
        pattern.staff_id,
        pattern.rrule,
        pattern.starts_at,
        pattern.duration_minutes,
        pattern.valid_from,
        pattern.valid_until,
        pattern.version,
    )


# --- occurrences ------------------------------------------------------------------------


def rule_problem(text: str) -> str | None:
    """Why ``text`` is not an acceptable pattern rule, or None when it is."""
    upper = (text or "").strip().upper()
    if not upper:
        return _("a recurrence rule is needed, e.g. FREQ=DAILY")
    for part in _FORBIDDEN_PARTS:
        if part in upper:
            return _("leave {part} out: the start time is set separately").format(part=part)
    match = re.search(r"FREQ=(\w+)", upper)
    if match is None or match.group(1) not in _ALLOWED_FREQ:
        return _("the rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY")
    try:
        _parsed(text.strip(), datetime(2000, 1, 1))
    except (ValueError, TypeError) as error:
        return _("not a recurrence rule: {error}").format(error=error)
    return None


@lru_cache(maxsize=4096)
def _parsed(text: str, dtstart: datetime) -> rrule | rruleset:
    # dateutil caches the expansion inside the rule object when cache=True.
    return rrulestr(text, dtstart=dtstart, cache=True)


def occurrences(
    rule: str,
    starts_at: time,
    valid_from: date,
    valid_until: date | None,
    start: datetime,
    end: datetime,
) -> list[datetime]:
    """Starts of the pattern's shifts with ``start <= t < end`` (local naive times)."""
    if valid_until is not None:
        end = min(end, datetime.combine(valid_until + timedelta(days=1), time(0)))
    if end <= start:
        return []
    parsed = _parsed(rule.strip(), datetime.combine(valid_from, starts_at))
    return [moment for moment in parsed.between(start, end, inc=True) if moment < end]


def windows(pattern: PatternRow, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The pattern's shifts as (start, end) that overlap ``[start, end)``."""
    length = timedelta(minutes=pattern.duration_minutes)
    return [
        (moment, moment + length)
        for moment in occurrences(
            pattern.rrule,
            pattern.starts_at,
            pattern.valid_from,
            pattern.valid_until,
            start - length,
            end,
        )
        if moment + length > start
    ]


def days_touched(start: datetime, end: datetime) -> list[date]:
    """Calendar days a stretch ``[start, end)`` touches (a night shift touches two)."""
    last = (end - timedelta(microseconds=1)).date()
    days = [start.date()]
    while days[-1] < last:
        days.append(days[-1] + timedelta(days=1))
    return days


# --- posts ------------------------------------------------------------------------------


def _post_errors(session: Session, data: PostCreate | PostUpdate) -> list[FieldError]:
    """What needs the database, or one field against another; the schema checked the rest."""
    errors: list[FieldError] = []
    if isinstance(data, PostCreate):
        if session.exec(select(Post.id).where(Post.code == data.code)).first():
            errors.append(FieldError("code", _("code {code} is taken").format(code=data.code)))
        if data.police_room_id is None or session.get(PoliceRoom, data.police_room_id) is None:
            errors.append(FieldError("police_room_id", _("choose a police room")))
    if data.key_unit_id is not None and session.get(KeyUnit, data.key_unit_id) is None:
        errors.append(FieldError("key_unit_id", _("no such key unit")))
    if isinstance(data, PostCreate):
        if data.kind == PostKind.RESPONSE_TIER and data.tier_minutes is None:
            errors.append(FieldError("tier_minutes", _("a 1-3-5 tier needs its minutes")))
        if data.needs_police + data.needs_auxiliary + data.needs_volunteer == 0:
            errors.append(FieldError("needs_police", _("a post needs at least one person")))
    return errors


def create_post(ctx: ServiceContext, data: PostCreate) -> PostRow:
    """A new post of a police room."""
    ctx.require_write()
    with ctx.transaction() as session:
        errors = _post_errors(session, data)
        if errors:
            raise ValidationError(errors, "post")
        core_scope.require_room(session, ctx, data.police_room_id)
        now = ctx.clock.now()
        post = Post.model_validate(data, update={"created_at": now, "updated_at": now})
        session.add(post)
        session.flush()
        audit.record(session, ctx, AuditAction.CREATE, "post", post.id, after=audit.snapshot(post))
        return post_row(post)


def update_post(
    ctx: ServiceContext, post_id: int, data: PostUpdate, expected_version: int
) -> PostRow:
    """Change a post's plain fields (optimistic locking)."""
    ctx.require_write()
    with ctx.transaction() as session:
        post = session.get(Post, post_id)
        if post is None:
            raise NotFound(_("post {id} does not exist").format(id=post_id))
        core_scope.require_room(session, ctx, post.police_room_id)
        problems = Problems()
        values = problems.changes(data, Post)
        problems.errors += _post_errors(session, data)
        problems.raise_if_any("post")
        before = audit.snapshot(post)
        values["updated_at"] = ctx.clock.now()
        save_versioned(session, Post, post_id, expected_version, values)
        session.refresh(post)
        after = audit.snapshot(post)
        old, new = audit.diff(before, after)
        audit.record(session, ctx, AuditAction.UPDATE, "post", post_id, old, new)
        return post_row(post)


def posts(ctx: ServiceContext, police_room_id: int | None) -> list[PostRow]:
    """Active posts of one police room (or of every room), by code."""
    with ctx.read() as session:
        statement = select(Post).where(col(Post.active).is_(True)).order_by(col(Post.code))
        if police_room_id is not None:
            statement = statement.where(Post.police_room_id == police_room_id)
        statement = statement.where(core_scope.rooms_clause(ctx, Post.police_room_id))
        return [post_row(post) for post in session.exec(statement)]


# --- patterns ---------------------------------------------------------------------------


def _pattern_errors(session: Session, data: PatternCreate) -> list[FieldError]:
    """Every problem of a pattern as created or as changed: the same rules hold for both."""
    errors: list[FieldError] = []
    if data.post_id is None or session.get(Post, data.post_id) is None:
        errors.append(FieldError("post_id", _("choose a post")))
    if data.staff_id is not None:
        staff = session.get(Staff, data.staff_id)
        if staff is None or not staff.active:
            errors.append(FieldError("staff_id", _("no such active staff member")))
    problem = rule_problem(data.rrule)
    if problem:
        errors.append(FieldError("rrule", problem))
    if data.valid_from is None:
        errors.append(FieldError("valid_from", _("a start date is needed")))
    elif data.valid_until is not None and data.valid_until < data.valid_from:
        errors.append(FieldError("valid_until", _("ends before it starts")))
    return errors


def _require_post(session: Session, ctx: ServiceContext, post_id: int) -> None:
    post = session.get(Post, post_id)
    core_scope.require_room(session, ctx, post.police_room_id if post else None)


def create_pattern(ctx: ServiceContext, data: PatternCreate) -> PatternRow:
    """A recurring shift of a post (optionally of one person)."""
    ctx.require_write()
    with ctx.transaction() as session:
        errors = _pattern_errors(session, data)
        if errors:
            raise ValidationError(errors, "shift pattern")
        assert data.post_id is not None and data.valid_from is not None
        _require_post(session, ctx, data.post_id)
        now = ctx.clock.now()
        pattern = ShiftPattern.model_validate(data, update={"created_at": now, "updated_at": now})
        session.add(pattern)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.CREATE,
            "shift_pattern",
            pattern.id,
            after=audit.snapshot(pattern),
        )
        return pattern_row(pattern)


def update_pattern(
    ctx: ServiceContext, pattern_id: int, data: PatternCreate, expected_version: int
) -> PatternRow:
    """Replace a pattern's fields with ``data`` (checked like a new one; optimistic locking).

    Shifts already generated stay as they are (some may have been changed by hand); the next
    ``generate`` follows the new pattern from its ``valid_from``. Ending a pattern is setting
    ``valid_until``.
    """
    ctx.require_write()
    with ctx.transaction() as session:
        pattern = session.get(ShiftPattern, pattern_id)
        if pattern is None:
            raise NotFound(_("pattern {id} does not exist").format(id=pattern_id))
        _require_post(session, ctx, pattern.post_id)
        errors = _pattern_errors(session, data)
        if errors:
            raise ValidationError(errors, "shift pattern")
        if data.post_id is not None:
            _require_post(session, ctx, data.post_id)
        before = audit.snapshot(pattern)
        save_versioned(
            session,
            ShiftPattern,
            pattern_id,
            expected_version,
            {
                "post_id": data.post_id,
                "staff_id": data.staff_id,
                "rrule": data.rrule,
                "starts_at": data.starts_at,
                "duration_minutes": data.duration_minutes,
                "valid_from": data.valid_from,
                "valid_until": data.valid_until,
                "updated_at": ctx.clock.now(),
            },
        )
        session.refresh(pattern)
        old, new = audit.diff(before, audit.snapshot(pattern))
        audit.record(session, ctx, AuditAction.UPDATE, "shift_pattern", pattern_id, old, new)
        return pattern_row(pattern)


def patterns_of(session: Session, post_ids: Iterable[int]) -> list[PatternRow]:
    """Patterns of the given posts (inside the caller's session)."""
    ids = list(post_ids)
    if not ids:
        return []
    statement = (
        select(ShiftPattern)
        .where(col(ShiftPattern.post_id).in_(ids))
        .order_by(col(ShiftPattern.id))
    )
    return [pattern_row(pattern) for pattern in session.exec(statement)]


def patterns(ctx: ServiceContext, post_id: int) -> list[PatternRow]:
    with ctx.read() as session:
        post = session.get(Post, post_id)
        if post is None or not core_scope.sees_room(session, ctx, post.police_room_id):
            return []
        return patterns_of(session, [post_id])


# --- generating shifts ------------------------------------------------------------------


def generate(
    ctx: ServiceContext, police_room_id: int | None, date_from: date, date_to: date
) -> GenerateResult:
    """Create the shifts of every pattern starting from ``date_from`` to ``date_to`` inclusive.

    Idempotent: an occurrence that already has a shift (even one moved, reassigned or
    cancelled by hand) is left alone. A pattern's person on leave that day gets a vacant
    shift, which shows as a coverage gap until someone fills it.
    """
    ctx.require_write()
    if date_to < date_from:
        raise ValidationError.single("date_to", _("the period ends before it starts"))
    start = datetime.combine(date_from, time(0))
    end = datetime.combine(date_to + timedelta(days=1), time(0))
    now = ctx.clock.now()
    with ctx.transaction() as session:
        post_query = select(Post.id).where(col(Post.active).is_(True))
        if police_room_id is not None:
            if session.get(PoliceRoom, police_room_id) is None:
                raise NotFound(_("police room {id} does not exist").format(id=police_room_id))
            post_query = post_query.where(Post.police_room_id == police_room_id)
        if not core_scope.everywhere(ctx.actor):
            # Generating for "every room" is the rooms the actor answers for; one named
            # room elsewhere is refused rather than silently skipped.
            if police_room_id is not None:
                core_scope.require_room(session, ctx, police_room_id)
            post_query = post_query.where(core_scope.rooms_clause(ctx, Post.police_room_id))
        post_ids = [post_id for post_id in session.exec(post_query) if post_id is not None]
        pattern_rows = patterns_of(session, post_ids)
        pattern_ids = [pattern.id for pattern in pattern_rows]
        existing = _existing_occurrences(session, pattern_ids, start, end)
        on_leave = _leave_days(
            session,
            {p.staff_id for p in pattern_rows},
            date_from,
            date_to + timedelta(days=1),
        )
        rows: list[dict[str, object]] = []
        vacant = 0
        existing_count = 0
        for pattern in pattern_rows:
            length = timedelta(minutes=pattern.duration_minutes)
            for moment in occurrences(
                pattern.rrule,
                pattern.starts_at,
                pattern.valid_from,
                pattern.valid_until,
                start,
                end,
            ):
                if (pattern.id, moment) in existing:
                    existing_count += 1
                    continue
                staff_id = pattern.staff_id
                if staff_id is not None and any(
                    (staff_id, day) in on_leave for day in days_touched(moment, moment + length)
                ):
                    staff_id = None
                    vacant += 1
                rows.append(
                    {
                        "post_id": pattern.post_id,
                        "staff_id": staff_id,
                        "starts_at": moment,
                        "ends_at": moment + length,
                        "pattern_id": pattern.id,
                        "planned_start": moment,
                        "status": ShiftStatus.PLANNED.value,
                        "notes": "",
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        if rows:
            session.execute(insert(Shift.__table__), rows)  # type: ignore[attr-defined]
        # One audit row for the whole run: a month of a branch is tens of thousands of shifts,
        # each traceable to this run by its pattern and planned start.
        audit.record(
            session,
            ctx,
            AuditAction.CREATE,
            "shift",
            None,
            after={
                "generated": len(rows),
                "police_room_id": police_room_id,
                "from": date_from.isoformat(),
                "to": date_to.isoformat(),
            },
        )
        return GenerateResult(len(rows), existing_count, vacant)


def _existing_occurrences(
    session: Session, pattern_ids: list[int], start: datetime, end: datetime
) -> set[tuple[int, datetime]]:
    found: set[tuple[int, datetime]] = set()
    # Chunks keep the IN list within every server's parameter limit.
    for offset in range(0, len(pattern_ids), 500):
        chunk = pattern_ids[offset : offset + 500]
        statement = select(Shift.pattern_id, Shift.planned_start).where(
            col(Shift.pattern_id).in_(chunk),
            col(Shift.planned_start) >= start,
            col(Shift.planned_start) < end,
        )
        for pattern_id, planned in session.exec(statement):
            if pattern_id is not None and planned is not None:
                found.add((pattern_id, planned))
    return found


def _leave_days(
    session: Session, staff_ids: set[int | None], date_from: date, date_to: date
) -> set[tuple[int, date]]:
    ids = [staff_id for staff_id in staff_ids if staff_id is not None]
    days: set[tuple[int, date]] = set()
    for offset in range(0, len(ids), 500):
        chunk = ids[offset : offset + 500]
        statement = select(Leave).where(
            col(Leave.staff_id).in_(chunk),
            and_(col(Leave.starts_on) <= date_to, col(Leave.ends_on) >= date_from),
        )
        for leave in session.exec(statement):
            day = max(leave.starts_on, date_from)
            while day <= min(leave.ends_on, date_to):
                days.add((leave.staff_id, day))
                day += timedelta(days=1)
    return days
