"""Duty: posts, recurring shift patterns, shifts, leave, swaps and the 1-3-5 response log."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from policeroom.models.base import LocalDateTime, Tracked, enum_type


class PostKind(StrEnum):
    DESK = "desk"
    PATROL = "patrol"
    RESPONSE_TIER = "response_tier"
    GUARD = "guard"


class ShiftStatus(StrEnum):
    PLANNED = "planned"
    CHANGED = "changed"
    CANCELLED = "cancelled"


class LeaveKind(StrEnum):
    ANNUAL = "annual"
    SICK = "sick"
    PERSONAL = "personal"
    TRAINING = "training"
    COMPENSATORY = "compensatory"


class SwapStatus(StrEnum):
    REQUESTED = "requested"
    AGREED = "agreed"
    DECLINED = "declined"
    CANCELLED = "cancelled"


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
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id")
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    starts_at: datetime = Field(sa_type=LocalDateTime)
    ends_at: datetime = Field(sa_type=LocalDateTime)
    pattern_id: int | None = Field(default=None, foreign_key="shift_pattern.id")
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


class ShiftSwap(Tracked, table=True):
    """Two officers exchange shifts; it takes effect only when the second agrees."""

    __tablename__ = "shift_swap"

    id: int | None = Field(default=None, primary_key=True)
    shift_a_id: int = Field(foreign_key="shift.id")
    shift_b_id: int = Field(foreign_key="shift.id")
    requested_by: str = Field(max_length=50)
    agreed_by: str = Field(default="", max_length=50)
    status: SwapStatus = Field(default=SwapStatus.REQUESTED, sa_type=enum_type(SwapStatus))


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
