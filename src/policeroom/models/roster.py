"""Duty: posts, recurring shift patterns, shifts, leave, swaps and the 1-3-5 response log."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated

from annotated_types import MaxLen
from sqlalchemy import Index
from sqlmodel import Field

from policeroom.i18n import N_
from policeroom.labels import register
from policeroom.models.base import (
    Code,
    Count,
    LocalDateTime,
    Login,
    Required,
    Rules,
    Text50,
    Text200,
    Text500,
    Text1000,
    Title,
    Tracked,
    enum_type,
    ranged,
)


class PostKind(StrEnum):
    DESK = "desk"
    PATROL = "patrol"
    RESPONSE_TIER = "response_tier"
    GUARD = "guard"


register(
    PostKind,
    {
        PostKind.DESK: N_("desk"),
        PostKind.PATROL: N_("patrol"),
        PostKind.RESPONSE_TIER: N_("1-3-5 tier"),
        PostKind.GUARD: N_("guard"),
    },
)


class ShiftStatus(StrEnum):
    PLANNED = "planned"
    CHANGED = "changed"
    CANCELLED = "cancelled"


register(
    ShiftStatus,
    {
        ShiftStatus.PLANNED: N_("planned"),
        ShiftStatus.CHANGED: N_("changed by hand"),
        ShiftStatus.CANCELLED: N_("cancelled"),
    },
)


class LeaveKind(StrEnum):
    ANNUAL = "annual"
    SICK = "sick"
    PERSONAL = "personal"
    TRAINING = "training"
    COMPENSATORY = "compensatory"


register(
    LeaveKind,
    {
        LeaveKind.ANNUAL: N_("annual leave"),
        LeaveKind.SICK: N_("sick leave"),
        LeaveKind.PERSONAL: N_("personal leave"),
        LeaveKind.TRAINING: N_("training"),
        LeaveKind.COMPENSATORY: N_("time off in lieu"),
    },
)


class SwapStatus(StrEnum):
    REQUESTED = "requested"
    AGREED = "agreed"
    DECLINED = "declined"
    CANCELLED = "cancelled"


register(
    SwapStatus,
    {
        SwapStatus.REQUESTED: N_("waiting for an answer"),
        SwapStatus.AGREED: N_("agreed"),
        SwapStatus.DECLINED: N_("declined"),
        SwapStatus.CANCELLED: N_("withdrawn"),
    },
)


TierMinutes = Annotated[int, ranged(1, 240, N_("minutes to scene from 1 to 240"))]
"""Minutes to scene of a 1-3-5 tier, on the tier and on a post that stands for one."""
ShiftMinutes = Annotated[int, ranged(1, 24 * 60, N_("a shift lasts 1 minute to 24 hours"))]

# Each table's fields that people type sit on a ``…Base`` that the table and its ``…Create``
# schema share, so a rule is written once; the services check what needs the database or
# the clock. ``…Update`` schemas change only the fields that were set (``model_fields_set``).


class PostBase(Rules):
    code: Code = Field(unique=True)
    name: Title
    kind: PostKind = Field(default=PostKind.DESK, sa_type=enum_type(PostKind))
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    key_unit_id: int | None = Field(default=None, foreign_key="key_unit.id")
    tier_minutes: TierMinutes | None = Field(
        default=None, description="1, 3 or 5 for response tiers"
    )
    needs_police: Count = 0
    needs_auxiliary: Count = 0
    needs_volunteer: Count = 0
    pair_required: bool = Field(default=False, description="two officers together (night)")


class Post(PostBase, Tracked, table=True):
    """A duty post: the police-room desk, a patrol area, a 1-3-5 tier or a guard post."""

    id: int | None = Field(default=None, primary_key=True)
    active: bool = Field(default=True)


class PatternBase(Rules):
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    rrule: Text500 = ""
    starts_at: time = time(8, 0)
    duration_minutes: ShiftMinutes = 12 * 60
    valid_until: date | None = Field(default=None)


class ShiftPattern(PatternBase, Tracked, table=True):
    """A recurring shift written as an RFC 5545 RRULE (``FREQ=WEEKLY;BYDAY=MO,WE,FR``)."""

    __tablename__ = "shift_pattern"

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    valid_from: date


class ShiftBase(Rules):
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    notes: Text500 = ""


class Shift(ShiftBase, Tracked, table=True):
    """One person on one post for one stretch of local time."""

    __table_args__ = (
        Index("ix_shift_staff_start", "staff_id", "starts_at"),
        Index("ix_shift_post_start", "post_id", "starts_at"),
        Index("ix_shift_start", "starts_at"),
        # One shift per pattern occurrence: generating a period twice adds nothing.
        Index("ux_shift_pattern_planned", "pattern_id", "planned_start", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id")
    starts_at: datetime = Field(sa_type=LocalDateTime)
    ends_at: datetime = Field(sa_type=LocalDateTime)
    pattern_id: int | None = Field(default=None, foreign_key="shift_pattern.id")
    planned_start: datetime | None = Field(
        default=None,
        sa_type=LocalDateTime,
        description="the pattern occurrence this shift was made for; kept when moved by hand",
    )
    status: ShiftStatus = Field(default=ShiftStatus.PLANNED, sa_type=enum_type(ShiftStatus))


class LeaveBase(Rules):
    kind: LeaveKind = Field(default=LeaveKind.ANNUAL, sa_type=enum_type(LeaveKind))
    reason: Text500 = ""


class Leave(LeaveBase, Tracked, table=True):
    """Leave of one staff member, whole days inclusive."""

    __table_args__ = (Index("ix_leave_staff_start", "staff_id", "starts_on"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    starts_on: date
    ends_on: date


class StandInBase(Rules):
    reason: Text200 = ""


class StandIn(StandInBase, Tracked, table=True):
    """A named stand-in (代岗) for a grid's responsible officer over whole days, inclusive."""

    __tablename__ = "stand_in"
    __table_args__ = (Index("ix_stand_in_grid_start", "grid_id", "starts_on"),)

    id: int | None = Field(default=None, primary_key=True)
    grid_id: int = Field(foreign_key="grid.id")
    staff_id: int = Field(foreign_key="staff.id")
    starts_on: date
    ends_on: date


class ShiftSwap(Tracked, table=True):
    """Two officers exchange shifts; it takes effect only when the second agrees."""

    __tablename__ = "shift_swap"

    id: int | None = Field(default=None, primary_key=True)
    shift_a_id: int = Field(foreign_key="shift.id")
    shift_b_id: int = Field(foreign_key="shift.id")
    # Who held each shift when it was asked: agreeing is refused if either was reassigned since.
    staff_a_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    staff_b_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    requested_by: Login
    agreed_by: Text50 = ""
    status: SwapStatus = Field(default=SwapStatus.REQUESTED, sa_type=enum_type(SwapStatus))


class ResponseForce(StrEnum):
    """Which force answers a tier (stored in ``ResponseTier.force``)."""

    POLICE_ROOM = "police_room"
    STATION = "station"
    BRANCH = "branch"


register(
    ResponseForce,
    {
        ResponseForce.POLICE_ROOM: N_("police room"),
        ResponseForce.STATION: N_("police station"),
        ResponseForce.BRANCH: N_("branch"),
    },
)


TierCode = Annotated[str, MaxLen(16), Required]


class TierBase(Rules):
    code: TierCode = Field(unique=True)
    minutes: TierMinutes
    force: Text50 = Field(description="police room, station, branch …")


class ResponseTier(TierBase, table=True):
    """A configurable 1-3-5 tier: minutes to scene and which force answers."""

    __tablename__ = "response_tier"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, nullable=False)


class CallBase(Rules):
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    summary: Text1000 = ""


class ResponseCall(CallBase, Tracked, table=True):
    """A call answered under the 1-3-5 rapid-response mechanism."""

    __tablename__ = "response_call"

    id: int | None = Field(default=None, primary_key=True)
    called_at: datetime = Field(sa_type=LocalDateTime, index=True)


class ArrivalBase(Rules):
    dispatched_at: datetime | None = Field(sa_type=LocalDateTime, default=None)
    arrived_at: datetime | None = Field(sa_type=LocalDateTime, default=None)


class ResponseArrival(ArrivalBase, table=True):
    """Dispatch and arrival times of one tier for one call."""

    __tablename__ = "response_arrival"

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="response_call.id", index=True)
    tier_id: int = Field(foreign_key="response_tier.id")


# --- input schemas ----------------------------------------------------------------------


class PostCreate(PostBase):
    """A new post; its needs apply while one of its patterns runs (tiers: around the clock)."""


class PostUpdate(Rules):
    name: Title | None = None
    grid_id: int | None = None
    key_unit_id: int | None = None
    tier_minutes: TierMinutes | None = None
    needs_police: Count | None = None
    needs_auxiliary: Count | None = None
    needs_volunteer: Count | None = None
    pair_required: bool | None = None
    active: bool | None = None


class PatternCreate(PatternBase):
    """``rrule`` without DTSTART (``FREQ=WEEKLY;BYDAY=MO,WE,FR``); the time is ``starts_at``."""

    post_id: int | None = None
    valid_from: date | None = None


class ShiftCreate(ShiftBase):
    """A shift added by hand (not from a pattern)."""

    post_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class ShiftUpdate(Rules):
    staff_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    notes: Text500 | None = None


class LeaveCreate(LeaveBase):
    staff_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class StandInCreate(StandInBase):
    grid_id: int | None = None
    staff_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class TierInput(TierBase):
    pass


class ArrivalInput(ArrivalBase):
    tier_id: int | None = None


class CallCreate(CallBase):
    called_at: datetime | None = None
    arrivals: list[ArrivalInput] = []
