"""What the roster's workers post when their database calls end, and their worker groups.

Each ``@service_worker(GROUP)`` method of the roster returns one of these; a refusal or a
database failure arrives as ``ServiceFailed`` with the same group instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from textual.message import Message

from policeroom.services.duty.coverage import Finding
from policeroom.services.duty.patterns import PostRow
from policeroom.services.duty.response import TierCompliance, TierRow
from policeroom.services.duty.roster import OnDuty, RoomRow, WeekRow, WeekView
from policeroom.services.duty.shifts import LeaveRow, ShiftRow
from policeroom.services.duty.swaps import SwapRow
from policeroom.services.org.staff import StaffRow
from policeroom.ui.common.workers import ServiceFailed

FOLLOW = "roster-follow"
"""The police room answering for the grid selected in the tree."""
WEEK = "roster-read"
"""The week of the room shown, who is on duty, waiting swaps and leave."""
WEEK_PAGE = "roster-page-read"
"""The next page of rooms of the all-rooms week, as the grid's cursor or scroll nears it."""
LIST = "roster-list-read"
"""One of the roster's short lists: waiting swaps, checks, patterns."""
SWAP_ANSWER = "swap-answer"
"""A waiting swap agreed, declined or withdrawn."""
LOG = "response-log-read"
"""The 1-3-5 tiers and how often each was on scene in time."""
SHIFT_OPTIONS = "shift-form-load"
SHIFT_CHECKS = "shift-form-preview"
LEAVE_PEOPLE = "leave-form-load"
LEAVE_PREVIEW = "leave-form-preview"
SWAP_CANDIDATES = "swap-form-load"
PATTERN_OPTIONS = "pattern-form-load"


def reason(failed: ServiceFailed) -> str:
    """The first line of what went wrong: the service's sentence, or the database's."""
    lines = str(failed.error).splitlines()
    return lines[0] if lines else repr(failed.error)


# --- the pane -------------------------------------------------------------------------


class RoomFollowed(Message):
    """The room answering for ``grid_id`` (None: no room on the way up the tree)."""

    def __init__(self, grid_id: int | None, room_id: int | None) -> None:
        super().__init__()
        self.grid_id = grid_id
        self.room_id = room_id


@dataclass(frozen=True)
class RoomWeek:
    """What one read of the week found."""

    room_id: int | None
    room_name: str
    rooms: tuple[RoomRow, ...]
    on_duty: tuple[OnDuty, ...]
    week: WeekView
    swaps: tuple[SwapRow, ...]
    leaves: tuple[LeaveRow, ...]
    unread: tuple[int, ...] = ()
    """The rooms of the all-rooms week not read yet, in the view's order (read a page at a
    time as the grid nears them)."""

    @property
    def complete(self) -> bool:
        """Every room of the view has been read."""
        return not self.unread

    @property
    def swapping(self) -> frozenset[int]:
        return frozenset(
            shift_id for swap in self.swaps for shift_id in (swap.shift_a.id, swap.shift_b.id)
        )

    def room(self, room_id: int | None) -> RoomRow | None:
        return next((room for room in self.rooms if room.id == room_id), None)

    def with_page(
        self, rooms: tuple[int, ...], part: RoomWeek
    ) -> tuple[RoomWeek, tuple[WeekRow, ...]]:
        """This week with the page of ``rooms``, read into ``part``, added below; and the
        rows it adds. What belongs to no room (the branch's own posts and people) came with
        the first page, and a person already shown stays where they are."""
        page = set(rooms)
        shown = {row.id for row in self.week.rows}
        added = tuple(
            row for row in part.week.rows if row.police_room_id in page and row.id not in shown
        )
        # A person's finding may come with more than one page (a shift in another room's).
        known = set(self.week.findings)
        findings = tuple(f for f in part.week.findings if f not in known)
        week = replace(
            self.week, rows=self.week.rows + added, findings=self.week.findings + findings
        )
        on_duty = tuple(d for d in part.on_duty if d.police_room_id in page)
        merged = replace(
            self,
            week=week,
            on_duty=self.on_duty + on_duty,
            unread=tuple(room for room in self.unread if room not in page),
        )
        return merged, added


class WeekRead(Message):
    """The week of a room, read: of the all-rooms view, its rooms read so far (the first page,
    then each page added as it is read, ``added`` holding the rows it brought)."""

    def __init__(self, found: RoomWeek, added: tuple[WeekRow, ...] | None = None) -> None:
        super().__init__()
        self.found = found
        self.added = added

    @property
    def complete(self) -> bool:
        return self.found.complete


class WeekPage(Message):
    """A further page of rooms of the all-rooms week ``week``: its own rows, findings and
    people on duty, to be added to the week shown."""

    def __init__(self, week: tuple[date, str], rooms: tuple[int, ...], part: RoomWeek) -> None:
        super().__init__()
        self.week = week
        self.rooms = rooms
        self.part = part


# --- the roster's lists and the 1-3-5 log ---------------------------------------------


class ListRead(Message):
    """The items of a short list, in the order shown."""

    def __init__(self, items: Sequence[Any]) -> None:
        super().__init__()
        self.items = list(items)


class SwapAnswered(Message):
    """A waiting swap was answered; ``text`` says what happened."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


@dataclass(frozen=True)
class Compliance:
    """The tiers, the rooms a call may be logged for, and each tier's time to scene."""

    tiers: list[TierRow]
    rooms: list[RoomRow]
    whole: list[TierCompliance]
    parts: list[TierCompliance]


class ComplianceRead(Message):
    """The 1-3-5 log's tiers and compliance over its period."""

    def __init__(self, read: Compliance) -> None:
        super().__init__()
        self.read = read


# --- what the forms offer and foresee -------------------------------------------------


class ShiftOptions(Message):
    """The people a shift may go to and, for a new shift, the room's posts."""

    def __init__(self, people: list[StaffRow], posts: list[PostRow]) -> None:
        super().__init__()
        self.people = people
        self.posts = posts


class ShiftChecks(Message):
    """What the roster's checks say about the shift as drafted."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = findings


class LeavePeople(Message):
    """The people of the room, to put one on leave."""

    def __init__(self, people: list[StaffRow]) -> None:
        super().__init__()
        self.people = people


class LeavePreview(Message):
    """The shifts the leave as drafted would leave vacant."""

    def __init__(self, shifts: list[ShiftRow]) -> None:
        super().__init__()
        self.shifts = shifts


class SwapCandidates(Message):
    """The shifts that may be taken in exchange."""

    def __init__(self, shifts: list[ShiftRow]) -> None:
        super().__init__()
        self.shifts = shifts


class PatternOptions(Message):
    """The room's posts and people, for a recurring shift."""

    def __init__(self, posts: list[PostRow], people: list[StaffRow]) -> None:
        super().__init__()
        self.posts = posts
        self.people = people
