"""What the roster looks like: police rooms, the week view and who is on duty now."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.org import PoliceRoom, PoliceStation, Staff, StaffKind
from policeroom.models.roster import Post, PostKind, Shift, ShiftStatus
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound
from policeroom.services.duty.coverage import (
    POST_ORDER,
    UNDER_STRENGTH,
    Finding,
    FindingKind,
    limits_in,
    load_scope,
    scope_findings,
    these_rooms_or_the_branch,
    week_of,
)
from policeroom.services.duty.patterns import PostRow

WeekBy = Literal["post", "staff"]
_KIND_ORDER = {
    StaffKind.POLICE: 0,
    StaffKind.AUXILIARY: 1,
    StaffKind.GRID_WORKER: 2,
    StaffKind.VOLUNTEER: 3,
}


@dataclass(frozen=True)
class RoomRow:
    """A police room to choose in the roster."""

    id: int
    code: str
    name: str
    station_name: str
    phone: str


@dataclass(frozen=True)
class CellShift:
    """One shift in a cell of the week view (vacant when ``staff_id`` is None)."""

    shift_id: int
    version: int
    post_id: int
    post_name: str
    staff_id: int | None
    staff_name: str
    staff_kind: StaffKind | None
    starts_at: datetime
    ends_at: datetime
    status: ShiftStatus

    @property
    def vacant(self) -> bool:
        return self.staff_id is None

    @property
    def short_name(self) -> str:
        """The name as a cell shows it: at most three characters; ``—`` when vacant."""
        return self.staff_name[:3] if self.staff_name else "—"

    @property
    def times(self) -> str:
        """``08-20`` for whole hours, else ``08:30-12:00``."""
        if self.starts_at.minute == 0 and self.ends_at.minute == 0:
            return f"{self.starts_at:%H}-{self.ends_at:%H}"
        return f"{self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


@dataclass(frozen=True)
class WeekCell:
    """One day of one row: the shifts starting that day and the findings touching it."""

    day: date
    shifts: tuple[CellShift, ...]
    findings: tuple[Finding, ...] = ()
    on_leave: bool = False

    @property
    def gap(self) -> bool:
        """Under strength (or a 1-3-5 tier unstaffed) at some time of this day."""
        return any(f.kind in (FindingKind.GAP, FindingKind.TIER_UNCOVERED) for f in self.findings)

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True)
class WeekRow:
    """A post (or a person) across the seven days."""

    id: int
    label: str
    detail: str
    police_room_id: int | None
    cells: tuple[WeekCell, ...]


@dataclass(frozen=True)
class WeekView:
    """Monday to Sunday of one police room (or all): rows of posts or of people."""

    police_room_id: int | None
    room_code: str
    room_name: str
    week_start: date
    by: WeekBy
    days: tuple[date, ...]
    rows: tuple[WeekRow, ...]
    findings: tuple[Finding, ...]

    @property
    def gaps(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind in UNDER_STRENGTH)

    @property
    def previous_week(self) -> date:
        return self.week_start - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.week_start + timedelta(days=7)


@dataclass(frozen=True)
class OnDuty:
    """Someone on duty now, with the phone to call them on."""

    staff_id: int
    staff_name: str
    staff_kind: StaffKind
    phone: str
    post_id: int
    post_name: str
    post_kind: PostKind
    police_room_id: int | None
    starts_at: datetime
    until: datetime


def room_rows(session: Session, ctx: ServiceContext | None = None) -> list[RoomRow]:
    """Every police room of the branch (with ``ctx``: the actor's), by code (58 in the
    report: small enough to list)."""
    statement = (
        select(PoliceRoom, PoliceStation.name)
        .join(PoliceStation, col(PoliceStation.id) == PoliceRoom.station_id)
        .order_by(col(PoliceRoom.code))
    )
    if ctx is not None:
        statement = statement.where(core_scope.rooms_clause(ctx, PoliceRoom.id))
    return [
        RoomRow(room.id, room.code, room.name, station, room.phone)
        for room, station in session.exec(statement)
        if room.id is not None
    ]


def police_rooms(ctx: ServiceContext) -> list[RoomRow]:
    """Every police room of the branch, by code."""
    with ctx.read() as session:
        return room_rows(session, ctx)


def room_by_code(ctx: ServiceContext, code: str) -> RoomRow:
    """The police room with ``code``; ``NotFound`` names the code."""
    for room in police_rooms(ctx):
        if room.code == code:
            return room
    raise NotFound(_("no police room has code {code}").format(code=code))


def _room(session: Session, police_room_id: int | None) -> tuple[str, str]:
    if police_room_id is None:
        return "", _("all police rooms")
    room = session.get(PoliceRoom, police_room_id)
    if room is None:
        raise NotFound(_("police room {id} does not exist").format(id=police_room_id))
    return room.code, room.name


def week_view(
    session: Session,
    police_room_id: int | None,
    week_start: date,
    by: WeekBy = "post",
    ctx: ServiceContext | None = None,
    rooms: Collection[int] | None = None,
) -> WeekView:
    """The week containing ``week_start`` (from its Monday), with gaps and other findings;
    with ``rooms``, the all-rooms view of those rooms only."""
    monday = week_of(week_start)
    days = tuple(monday + timedelta(days=n) for n in range(7))
    start = datetime.combine(monday, time(0))
    end = start + timedelta(days=7)
    room_code, room_name = _room(session, police_room_id)
    scope = load_scope(session, police_room_id, monday, days[-1], ctx, rooms)
    found = scope_findings(scope, limits_in(session))
    cells_shifts = _week_shifts(session, [p.id for p in scope.posts], start, end)
    if by == "post":
        rows = _post_rows(scope.posts, days, cells_shifts, found)
    else:
        rows = _staff_rows(
            session, police_room_id, days, cells_shifts, found, scope.leave_days, ctx, rooms
        )
    return WeekView(police_room_id, room_code, room_name, monday, by, days, rows, tuple(found))


def week(
    ctx: ServiceContext,
    police_room_id: int | None,
    week_start: date,
    by: WeekBy = "post",
    rooms: Collection[int] | None = None,
) -> WeekView:
    """The week containing ``week_start`` (from its Monday), with gaps and other findings.

    The all-rooms view (``police_room_id`` None) of a branch reads every room's week; with
    ``rooms`` it reads those rooms' only, so a screenful costs what one small station does.
    """
    with ctx.read() as session:
        return week_view(session, police_room_id, week_start, by, ctx, rooms)


def _week_shifts(
    session: Session, post_ids: list[int], start: datetime, end: datetime
) -> list[CellShift]:
    shifts: list[CellShift] = []
    for offset in range(0, len(post_ids), 500):
        chunk = post_ids[offset : offset + 500]
        # Columns, not ``Shift`` objects (``coverage._facts`` says why).
        statement = (
            sa.select(
                col(Shift.id),
                col(Shift.version),
                col(Shift.post_id),
                col(Post.name),
                col(Shift.staff_id),
                col(Staff.name),
                col(Staff.kind),
                col(Shift.starts_at),
                col(Shift.ends_at),
                col(Shift.status),
            )
            .join(Post, col(Post.id) == col(Shift.post_id))
            .outerjoin(Staff, col(Staff.id) == col(Shift.staff_id))
            .where(
                col(Shift.post_id).in_(chunk),
                col(Shift.starts_at) >= start,
                col(Shift.starts_at) < end,
                col(Shift.status) != ShiftStatus.CANCELLED,
            )
            .order_by(col(Shift.starts_at), col(Shift.id))
        )
        for (
            shift_id,
            version,
            post_id,
            post_name,
            staff_id,
            staff_name,
            staff_kind,
            starts_at,
            ends_at,
            status,
        ) in session.execute(statement):
            shifts.append(
                CellShift(
                    shift_id,
                    version,
                    post_id,
                    post_name,
                    staff_id,
                    staff_name or "",
                    StaffKind(staff_kind) if staff_kind else None,
                    starts_at,
                    ends_at,
                    ShiftStatus(status),
                )
            )
    shifts.sort(
        key=lambda s: (s.starts_at, _KIND_ORDER.get(s.staff_kind or StaffKind.VOLUNTEER, 9))
    )
    return shifts


def _post_rows(
    posts: list[PostRow],
    days: tuple[date, ...],
    shifts: list[CellShift],
    found: list[Finding],
) -> tuple[WeekRow, ...]:
    by_cell: dict[tuple[int, date], list[CellShift]] = defaultdict(list)
    for shift in shifts:
        by_cell[(shift.post_id, shift.starts_at.date())].append(shift)
    by_post: dict[int, list[Finding]] = defaultdict(list)
    for finding in found:
        if finding.post_id is not None and finding.kind in UNDER_STRENGTH:
            by_post[finding.post_id].append(finding)
    rows = []
    for post in posts:
        detail = label(post.kind)
        if post.kind == PostKind.RESPONSE_TIER and post.tier_minutes:
            detail = _("{minutes}-minute tier").format(minutes=post.tier_minutes)
        cells = tuple(
            WeekCell(
                day,
                tuple(by_cell.get((post.id, day), [])),
                tuple(f for f in by_post.get(post.id, []) if f.touches(day)),
            )
            for day in days
        )
        rows.append(WeekRow(post.id, post.name, detail, post.police_room_id, cells))
    return tuple(rows)


def _staff_rows(
    session: Session,
    police_room_id: int | None,
    days: tuple[date, ...],
    shifts: list[CellShift],
    found: list[Finding],
    leave_days: dict[int, set[date]],
    ctx: ServiceContext | None = None,
    rooms: Collection[int] | None = None,
) -> tuple[WeekRow, ...]:
    on_roster = {s.staff_id for s in shifts if s.staff_id is not None}
    statement = select(Staff).where(col(Staff.active).is_(True))
    if ctx is not None:
        statement = statement.where(core_scope.rooms_clause(ctx, Staff.police_room_id))
    if police_room_id is not None:
        statement = statement.where(Staff.police_room_id == police_room_id)
    if rooms is not None:
        statement = statement.where(these_rooms_or_the_branch(Staff.police_room_id, rooms))
    people = {
        staff.id: staff for staff in session.exec(statement) if staff.kind != StaffKind.GRID_WORKER
    }
    missing = [staff_id for staff_id in on_roster if staff_id not in people]
    if missing:
        people.update(
            {s.id: s for s in session.exec(select(Staff).where(col(Staff.id).in_(missing)))}
        )
    by_cell: dict[tuple[int, date], list[CellShift]] = defaultdict(list)
    for shift in shifts:
        if shift.staff_id is not None:
            by_cell[(shift.staff_id, shift.starts_at.date())].append(shift)
    by_staff: dict[int, list[Finding]] = defaultdict(list)
    for finding in found:
        if finding.staff_id is not None and finding.kind not in UNDER_STRENGTH:
            by_staff[finding.staff_id].append(finding)
    ordered = sorted(
        (s for s in people.values() if s.id is not None),
        key=lambda s: (_KIND_ORDER.get(s.kind, 9), s.code),
    )
    rows = []
    for staff in ordered:
        assert staff.id is not None
        staff_leave = leave_days.get(staff.id, set())
        cells = tuple(
            WeekCell(
                day,
                tuple(by_cell.get((staff.id, day), [])),
                tuple(f for f in by_staff.get(staff.id, []) if f.touches(day)),
                day in staff_leave,
            )
            for day in days
        )
        rows.append(WeekRow(staff.id, staff.name, label(staff.kind), staff.police_room_id, cells))
    return tuple(rows)


def on_duty_now(
    ctx: ServiceContext, police_room_id: int | None, rooms: Collection[int] | None = None
) -> list[OnDuty]:
    """Who is on a shift right now in one police room (or all, or ``rooms``), by post;
    phones in full."""
    now = ctx.clock.now()
    with ctx.read() as session:
        statement = (
            select(Shift, Post, Staff)
            .join(Post, col(Post.id) == Shift.post_id)
            .join(Staff, col(Staff.id) == Shift.staff_id)
            .where(
                col(Shift.starts_at) <= now,
                col(Shift.ends_at) > now,
                Shift.status != ShiftStatus.CANCELLED,
            )
        )
        if police_room_id is not None:
            statement = statement.where(Post.police_room_id == police_room_id)
        if rooms is not None:
            statement = statement.where(these_rooms_or_the_branch(Post.police_room_id, rooms))
        statement = statement.where(core_scope.rooms_clause(ctx, Post.police_room_id))
        found = [
            OnDuty(
                staff.id,
                staff.name,
                staff.kind,
                staff.phone,
                post.id,
                post.name,
                post.kind,
                post.police_room_id,
                shift.starts_at,
                shift.ends_at,
            )
            for shift, post, staff in session.exec(statement)
            if staff.id is not None and post.id is not None
        ]
    found.sort(
        key=lambda d: (
            d.police_room_id or 0,
            POST_ORDER[d.post_kind],
            d.post_id,
            _KIND_ORDER.get(d.staff_kind, 9),
            d.staff_id,
        )
    )
    return found
