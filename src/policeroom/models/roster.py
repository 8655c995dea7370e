"""Duty: posts, recurring shift patterns, shifts, leave, swaps and the 1-3-5 response log."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from policeroom.i18n import N_
from policeroom.labels import register
from policeroom.models.base import LocalDateTime, Tracked, enum_type


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


class Post(Tracked, table=True):
    """A duty post: the police-room desk, a patrol area, a 1-3-5 tier or a guard post."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    kind: PostKind = Field(sa_type=enum_type(PostKind))
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    key_unit_id: int | None = Field(default=None, foreign_key="key_unit.id")
    tier_minutes: int | None = Field(default=None, description="1, 3 or 5 for response tiers")
    needs_police: int = Field(default=0, ge=0)
    needs_auxiliary: int = Field(default=0, ge=0)
    needs_volunteer: int = Field(default=0, ge=0)
    pair_required: bool = Field(default=False, description="two officers together (night)")
    active: bool = Field(default=True)


class ShiftPattern(Tracked, table=True):
    """A recurring shift written as an RFC 5545 RRULE (``FREQ=WEEKLY;BYDAY=MO,WE,FR``)."""

    __tablename__ = "shift_pattern"

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    rrule: str = Field(max_length=500)
    starts_at: time
    duration_minutes: int = Field(gt=0, le=24 * 60)
    valid_from: date
    valid_until: date | None = Field(default=None)


class Shift(Tracked, table=True):
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
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    starts_at: datetime = Field(sa_type=LocalDateTime)
    ends_at: datetime = Field(sa_type=LocalDateTime)
    pattern_id: int | None = Field(default=None, foreign_key="shift_pattern.id")
    planned_start: datetime | None = Field(
        default=None,
        sa_type=LocalDateTime,
        description="the pattern occurrence this shift was made for; kept when moved by hand",
    )
    status: ShiftStatus = Field(default=ShiftStatus.PLANNED, sa_type=enum_type(ShiftStatus))
    notes: str = Field(default="", max_length=500)


class Leave(Tracked, table=True):
    """Leave of one staff member, whole days inclusive."""

    __table_args__ = (Index("ix_leave_staff_start", "staff_id", "starts_on"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    starts_on: date
    ends_on: date
    kind: LeaveKind = Field(sa_type=enum_type(LeaveKind))
    reason: str = Field(default="", max_length=500)


class StandIn(Tracked, table=True):
    """A named stand-in (代岗) for a grid's responsible officer over whole days, inclusive."""

    __tablename__ = "stand_in"
    __table_args__ = (Index("ix_stand_in_grid_start", "grid_id", "starts_on"),)

    id: int | None = Field(default=None, primary_key=True)
    grid_id: int = Field(foreign_key="grid.id")
    staff_id: int = Field(foreign_key="staff.id")
    starts_on: date
    ends_on: date
    reason: str = Field(default="", max_length=200)


class ShiftSwap(Tracked, table=True):
    """Two officers exchange shifts; it takes effect only when the second agrees."""

    __tablename__ = "shift_swap"

    id: int | None = Field(default=None, primary_key=True)
    shift_a_id: int = Field(foreign_key="shift.id")
    shift_b_id: int = Field(foreign_key="shift.id")
    # Who held each shift when it was asked: agreeing is refused if either was reassigned since.
    staff_a_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    staff_b_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    requested_by: str = Field(max_length=50)
    agreed_by: str = Field(default="", max_length=50)
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


class ResponseTier(SQLModel, table=True):
    """A configurable 1-3-5 tier: minutes to scene and which force answers."""

    __tablename__ = "response_tier"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    minutes: int = Field(gt=0)
    force: str = Field(max_length=50, description="police room, station, branch …")


class ResponseCall(Tracked, table=True):
    """A call answered under the 1-3-5 rapid-response mechanism."""

    __tablename__ = "response_call"

    id: int | None = Field(default=None, primary_key=True)
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    called_at: datetime = Field(sa_type=LocalDateTime, index=True)
    summary: str = Field(default="", max_length=1000)


class ResponseArrival(SQLModel, table=True):
    """Dispatch and arrival times of one tier for one call."""

    __tablename__ = "response_arrival"

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="response_call.id", index=True)
    tier_id: int = Field(foreign_key="response_tier.id")
    dispatched_at: datetime | None = Field(sa_type=LocalDateTime, default=None)
    arrived_at: datetime | None = Field(sa_type=LocalDateTime, default=None)


# --- input schemas ----------------------------------------------------------------------
# Plain containers: the services check every field and report all problems at once, so the
# types here are lenient. ``*Update`` schemas change only the fields that were set
# (``model_fields_set``).


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PostCreate(_Input):
    """A new post; its needs apply while one of its patterns runs (tiers: around the clock)."""

    code: str = ""
    name: str = ""
    kind: PostKind = PostKind.DESK
    police_room_id: int | None = None
    grid_id: int | None = None
    key_unit_id: int | None = None
    tier_minutes: int | None = None
    needs_police: int = 0
    needs_auxiliary: int = 0
    needs_volunteer: int = 0
    pair_required: bool = False


class PostUpdate(_Input):
    name: str | None = None
    grid_id: int | None = None
    key_unit_id: int | None = None
    tier_minutes: int | None = None
    needs_police: int | None = None
    needs_auxiliary: int | None = None
    needs_volunteer: int | None = None
    pair_required: bool | None = None
    active: bool | None = None


class PatternCreate(_Input):
    """``rrule`` without DTSTART (``FREQ=WEEKLY;BYDAY=MO,WE,FR``); the time is ``starts_at``."""

    post_id: int | None = None
    staff_id: int | None = None
    rrule: str = ""
    starts_at: time = time(8, 0)
    duration_minutes: int = 12 * 60
    valid_from: date | None = None
    valid_until: date | None = None


class ShiftCreate(_Input):
    """A shift added by hand (not from a pattern)."""

    post_id: int | None = None
    staff_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    notes: str = ""


class ShiftUpdate(_Input):
    staff_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    notes: str | None = None


class LeaveCreate(_Input):
    staff_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    kind: LeaveKind = LeaveKind.ANNUAL
    reason: str = ""


class StandInCreate(_Input):
    grid_id: int | None = None
    staff_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    reason: str = ""


class TierInput(_Input):
    code: str = ""
    minutes: int = 0
    force: str = ""


class ArrivalInput(_Input):
    tier_id: int | None = None
    dispatched_at: datetime | None = None
    arrived_at: datetime | None = None


class CallCreate(_Input):
    police_room_id: int | None = None
    grid_id: int | None = None
    called_at: datetime | None = None
    summary: str = ""
    arrivals: list[ArrivalInput] = []
