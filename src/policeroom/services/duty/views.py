"""What the roster screens read beyond the week itself: rooms one may look at, waiting swaps,
shifts to offer in a swap, a room's patterns, the response log as a window, and the printed week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import func
from sqlmodel import col, select

from policeroom.i18n import _
from policeroom.models.org import PoliceRoom, PoliceStation, Staff
from policeroom.models.roster import Post, ResponseCall, Shift, ShiftStatus, ShiftSwap, SwapStatus
from policeroom.services.core import audit, files
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound, ValidationError
from policeroom.services.duty import response, roster
from policeroom.services.duty.patterns import PatternRow, PostRow, patterns_of, post_row
from policeroom.services.duty.response import CallRow
from policeroom.services.duty.roster import RoomRow
from policeroom.services.duty.shifts import ShiftRow, shift_row
from policeroom.services.duty.swaps import SwapRow, swap_row

PrintFormat = Literal["text", "html", "xlsx"]
PRINT_FORMATS: tuple[PrintFormat, ...] = ("text", "html", "xlsx")
SWAP_WINDOW_DAYS = 14


# --- rooms ------------------------------------------------------------------------------


def rooms_for(ctx: ServiceContext) -> list[RoomRow]:
    """Rooms the actor may pick: the rooms of their scope (``services/core/scope.py``)."""
    with ctx.read() as session:
        statement = (
            select(PoliceRoom, PoliceStation.name)
            .join(PoliceStation, col(PoliceStation.id) == PoliceRoom.station_id)
            .where(core_scope.rooms_clause(ctx, PoliceRoom.id))
            .order_by(col(PoliceRoom.code))
        )
        return [
            RoomRow(room.id, room.code, room.name, station_name, room.phone)
            for room, station_name in session.exec(statement)
            if room.id is not None
        ]


# --- swaps ------------------------------------------------------------------------------


def pending_swaps(
    ctx: ServiceContext, police_room_id: int | None, limit: int = 50
) -> list[SwapRow]:
    """Swaps waiting for an answer where either shift is on a post of the room, oldest first.

    Both officers of a swap see it here, whichever of them opens the roster.
    """
    with ctx.read() as session:
        statement = select(ShiftSwap).where(ShiftSwap.status == SwapStatus.REQUESTED)
        if not core_scope.everywhere(ctx.actor):
            own_shifts = (
                select(Shift.id)
                .join(Post, col(Post.id) == Shift.post_id)
                .where(core_scope.rooms_clause(ctx, Post.police_room_id))
            )
            statement = statement.where(
                col(ShiftSwap.shift_a_id).in_(own_shifts)
                | col(ShiftSwap.shift_b_id).in_(own_shifts)
            )
        if police_room_id is not None:
            room_shifts = (
                select(Shift.id)
                .join(Post, col(Post.id) == Shift.post_id)
                .where(Post.police_room_id == police_room_id)
            )
            statement = statement.where(
                col(ShiftSwap.shift_a_id).in_(room_shifts)
                | col(ShiftSwap.shift_b_id).in_(room_shifts)
            )
        statement = statement.order_by(col(ShiftSwap.created_at), col(ShiftSwap.id)).limit(limit)
        return [swap_row(session, swap) for swap in session.exec(statement)]


def swap_candidates(
    ctx: ServiceContext, shift_id: int, days: int = SWAP_WINDOW_DAYS, limit: int = 100
) -> list[ShiftRow]:
    """Shifts another person holds in the same police room that ``shift_id`` could swap with:
    not begun, not cancelled, within ``days`` either side, in time order."""
    now = ctx.clock.now()
    with ctx.read() as session:
        shift = session.get(Shift, shift_id)
        post = session.get(Post, shift.post_id) if shift is not None else None
        room = post.police_room_id if post else None
        if shift is None or not core_scope.sees_room(session, ctx, room):
            raise NotFound(_("shift {id} does not exist").format(id=shift_id))
        start = max(now, shift.starts_at - timedelta(days=days))
        end = shift.starts_at + timedelta(days=days)
        statement = (
            select(Shift)
            .join(Post, col(Post.id) == Shift.post_id)
            .where(
                Post.police_room_id == room,
                col(Shift.staff_id).is_not(None),
                Shift.staff_id != shift.staff_id,
                Shift.status != ShiftStatus.CANCELLED,
                col(Shift.starts_at) > start,
                col(Shift.starts_at) < end,
                Shift.id != shift_id,
            )
            .order_by(col(Shift.starts_at), col(Shift.id))
            .limit(limit)
        )
        return [shift_row(session, found) for found in session.exec(statement)]


# --- patterns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PatternLine:
    """A recurring shift with its post and person named, for the patterns list."""

    pattern: PatternRow
    post: PostRow
    staff_name: str


def room_patterns(ctx: ServiceContext, police_room_id: int | None) -> list[PatternLine]:
    """Every pattern of the room's active posts (or of every room), by post code then id."""
    with ctx.read() as session:
        statement = select(Post).where(col(Post.active).is_(True)).order_by(col(Post.code))
        if police_room_id is not None:
            statement = statement.where(Post.police_room_id == police_room_id)
        statement = statement.where(core_scope.rooms_clause(ctx, Post.police_room_id))
        posts = {post.id: post_row(post) for post in session.exec(statement) if post.id}
        found = patterns_of(session, posts)
        people = {p.staff_id for p in found if p.staff_id is not None}
        names: dict[int, str] = {}
        if people:
            names = {
                staff_id: name
                for staff_id, name in session.exec(
                    select(Staff.id, Staff.name).where(col(Staff.id).in_(people))
                )
                if staff_id is not None
            }
    lines = [
        PatternLine(pattern, posts[pattern.post_id], names.get(pattern.staff_id or 0, ""))
        for pattern in found
    ]
    return sorted(lines, key=lambda line: (line.post.code, line.pattern.id))


# --- the response log as a window -------------------------------------------------------


def _calls_statement(
    ctx: ServiceContext, police_room_id: int | None, date_from: date, date_to: date
) -> Any:
    start = datetime.combine(date_from, time(0))
    end = datetime.combine(date_to + timedelta(days=1), time(0))
    statement = select(ResponseCall.called_at, ResponseCall.id).where(
        col(ResponseCall.called_at) >= start, col(ResponseCall.called_at) < end
    )
    if police_room_id is not None:
        statement = statement.where(ResponseCall.police_room_id == police_room_id)
    return statement.where(core_scope.rooms_clause(ctx, ResponseCall.police_room_id))


def call_count(
    ctx: ServiceContext, police_room_id: int | None, date_from: date, date_to: date
) -> int:
    """How many calls the period has (the response log's length)."""
    statement = _calls_statement(ctx, police_room_id, date_from, date_to)
    with ctx.read() as session:
        return int(session.exec(select(func.count()).select_from(statement.subquery())).one())


def call_window(
    ctx: ServiceContext,
    police_room_id: int | None,
    date_from: date,
    date_to: date,
    offset: int,
    limit: int,
) -> list[CallRow]:
    """Calls ``offset`` … ``offset + limit`` of the period, newest first.

    The row before the window is found by position, then the window is read by keyset from
    there (as ``response.calls`` pages), so the rows are exactly the ones the log's own
    paging gives.
    """
    after: tuple[object, ...] | None = None
    with ctx.read() as session:
        if offset > 0:
            statement = (
                _calls_statement(ctx, police_room_id, date_from, date_to)
                .order_by(col(ResponseCall.called_at).desc(), col(ResponseCall.id).desc())
                .offset(offset - 1)
                .limit(1)
            )
            before = session.exec(statement).first()
            if before is None:
                return []
            after = (before[0], before[1])
        page = response.calls_page(
            session, police_room_id, date_from, date_to, after=after, size=limit, ctx=ctx
        )
    return list(page.rows)


# --- print ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    path: Path
    rooms: int


def print_week(
    ctx: ServiceContext,
    police_room_id: int | None,
    week_start: date,
    fmt: PrintFormat,
    path: Path,
) -> Printed:
    """Write the week's roster of one room (None: every room, one after another) to ``path``."""
    if fmt not in PRINT_FORMATS:
        raise ValidationError.single("format", _("choose text, HTML or XLSX"))
    target = files.check_writable(ctx, path)
    if not target.parent.is_dir():
        raise ValidationError.single(
            "path", _("folder {folder} does not exist").format(folder=target.parent)
        )
    if target.is_dir():
        raise ValidationError.single("path", _("this is a folder: give a file name"))
    with ctx.read() as session:
        if police_room_id is None:
            rooms = [room.id for room in roster.room_rows(session, ctx)]
        else:
            rooms = [police_room_id]
        views = [roster.week_view(session, room, week_start, ctx=ctx) for room in rooms]
    # Imported here: printing pulls in openpyxl, which the roster's first frame never needs.
    from policeroom.services.duty import printing as roster_print

    try:
        if fmt == "xlsx":
            roster_print.xlsx(views, target)
        elif fmt == "html":
            target.write_text(roster_print.html_page(views), encoding="utf-8")
        else:
            target.write_text(roster_print.text(views), encoding="utf-8")
    except OSError as error:
        raise ValidationError.single(
            "path", _("cannot write the file: {error}").format(error=error.strerror or error)
        ) from error
    # Names and phones of the week's staff left the database: who printed it, and where to
    # (``report roster`` at a shell did so already; the desk's print did not).
    audit.record_export(ctx, "roster", len(views), audit.target_name(target))
    return Printed(target, len(views))
