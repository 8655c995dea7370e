"""Changing the roster by hand: one shift at a time, leave (请假) and grid stand-ins.

Every save runs the roster checks first: a refusal (double booking, leave, inactive person)
writes nothing; warnings (rest, weekly hours) are saved and handed back to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction
from policeroom.models.base import max_length
from policeroom.models.org import Grid, Staff, StaffKind
from policeroom.models.roster import (
    Leave,
    LeaveCreate,
    LeaveKind,
    Post,
    Shift,
    ShiftCreate,
    ShiftStatus,
    ShiftSwap,
    ShiftUpdate,
    StandIn,
    StandInCreate,
    SwapStatus,
)
from policeroom.services.core import audit, requests
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, NotFound, StaleRecord, ValidationError
from policeroom.services.core.locking import save_versioned
from policeroom.services.duty.coverage import (
    DutyFact,
    Finding,
    check_draft,
    confirmed_note,
    limits_in,
    refusal,
    unconfirmed,
)

MAX_SHIFT = timedelta(hours=24)


@dataclass(frozen=True)
class ShiftRow:
    """One shift as forms and lists show it (vacant when ``staff_id`` is None)."""

    id: int
    version: int
    post_id: int
    post_name: str
    police_room_id: int | None
    staff_id: int | None
    staff_name: str
    staff_kind: StaffKind | None
    starts_at: datetime
    ends_at: datetime
    status: ShiftStatus
    pattern_id: int | None
    notes: str


@dataclass(frozen=True)
class SavedShift:
    """A saved shift and the warnings it was saved with."""

    shift: ShiftRow
    warnings: tuple[Finding, ...]


@dataclass(frozen=True)
class LeaveRow:
    id: int
    version: int
    staff_id: int
    staff_name: str
    starts_on: date
    ends_on: date
    kind: LeaveKind
    reason: str


@dataclass(frozen=True)
class LeaveResult:
    """The leave, and the shifts it left vacant (now coverage gaps until someone is put in)."""

    leave: LeaveRow
    vacated: tuple[ShiftRow, ...]


@dataclass(frozen=True)
class StandInRow:
    id: int
    grid_id: int
    staff_id: int
    staff_name: str
    starts_on: date
    ends_on: date
    reason: str


def shift_row(session: Session, shift: Shift) -> ShiftRow:
    """Plain data of a shift, with its post's and person's names."""
    assert shift.id is not None
    post = session.get(Post, shift.post_id)
    staff = session.get(Staff, shift.staff_id) if shift.staff_id is not None else None
    return ShiftRow(
        shift.id,
        shift.version,
        shift.post_id,
        post.name if post else "",
        post.police_room_id if post else None,
        shift.staff_id,
        staff.name if staff else "",
        staff.kind if staff else None,
        shift.starts_at,
        shift.ends_at,
        shift.status,
        shift.pattern_id,
        shift.notes,
    )


def _draft(
    session: Session,
    shift_id: int | None,
    post_id: int,
    staff_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
) -> DutyFact:
    post = session.get(Post, post_id)
    staff = session.get(Staff, staff_id) if staff_id is not None else None
    return DutyFact(
        shift_id,
        post_id,
        post.name if post else "",
        staff_id,
        staff.name if staff else "",
        staff.kind if staff else None,
        starts_at,
        ends_at,
    )


def _time_errors(starts_at: datetime | None, ends_at: datetime | None) -> list[FieldError]:
    errors: list[FieldError] = []
    if starts_at is None:
        errors.append(FieldError("starts_at", _("a start time is needed")))
    if ends_at is None:
        errors.append(FieldError("ends_at", _("an end time is needed")))
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            errors.append(FieldError("ends_at", _("ends before it starts")))
        elif ends_at - starts_at > MAX_SHIFT:
            errors.append(FieldError("ends_at", _("a shift lasts at most 24 hours")))
    return errors


def _staff_errors(session: Session, staff_id: int | None) -> list[FieldError]:
    if staff_id is not None and session.get(Staff, staff_id) is None:
        return [FieldError("staff_id", _("no such staff member"))]
    return []


def preview(
    ctx: ServiceContext,
    post_id: int,
    staff_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
    shift_id: int | None = None,
) -> list[Finding]:
    """What the checks would say if this shift were saved (for the form, as it is typed)."""
    with ctx.read() as session:
        draft = _draft(session, shift_id, post_id, staff_id, starts_at, ends_at)
        return check_draft(session, limits_in(session), draft, lock=False)


def create_shift(ctx: ServiceContext, data: ShiftCreate, *, confirmed: bool = False) -> SavedShift:
    """Add a shift by hand; refused if the person is booked elsewhere or on leave, and
    (``NeedsConfirmation``) unless ``confirmed`` when they do not meet the post's needs."""
    ctx.require_write()
    with ctx.transaction() as session:
        made = requests.earlier(session, ctx, "shift")
        if made is not None:
            return SavedShift(shift_row(session, session.get_one(Shift, made)), ())
        errors = _time_errors(data.starts_at, data.ends_at) + _staff_errors(session, data.staff_id)
        if data.post_id is None or session.get(Post, data.post_id) is None:
            errors.append(FieldError("post_id", _("choose a post")))
        if errors:
            raise ValidationError(errors, "shift")
        assert data.post_id is not None and data.starts_at and data.ends_at
        _require_post(session, ctx, data.post_id)
        draft = _draft(session, None, data.post_id, data.staff_id, data.starts_at, data.ends_at)
        found = check_draft(session, limits_in(session), draft)
        refused = refusal(found) or unconfirmed(found, confirmed)
        if refused:
            raise refused
        now = ctx.clock.now()
        shift = Shift(
            post_id=data.post_id,
            staff_id=data.staff_id,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            status=ShiftStatus.CHANGED,
            notes=data.notes,
            created_at=now,
            updated_at=now,
        )
        session.add(shift)
        session.flush()
        after = audit.snapshot(shift) | confirmed_note(found)
        audit.record(session, ctx, AuditAction.CREATE, "shift", shift.id, after=after)
        requests.remember(session, ctx, "shift", shift.id)
        return SavedShift(shift_row(session, shift), tuple(found))


def update_shift(
    ctx: ServiceContext,
    shift_id: int,
    data: ShiftUpdate,
    expected_version: int,
    *,
    confirmed: bool = False,
) -> SavedShift:
    """Change a shift's person, times or notes (only the fields set in ``data``); a person
    who does not meet the post's needs only when ``confirmed``."""
    ctx.require_write()
    with ctx.transaction() as session:
        shift = session.get(Shift, shift_id)
        if shift is None:
            raise NotFound(_("shift {id} does not exist").format(id=shift_id))
        _require_post(session, ctx, shift.post_id)
        fields = data.model_fields_set
        staff_id = data.staff_id if "staff_id" in fields else shift.staff_id
        starts_at = data.starts_at if "starts_at" in fields else shift.starts_at
        ends_at = data.ends_at if "ends_at" in fields else shift.ends_at
        errors = _time_errors(starts_at, ends_at) + _staff_errors(session, staff_id)
        if shift.status == ShiftStatus.CANCELLED:
            errors.append(FieldError("status", _("a cancelled shift cannot be changed")))
        if errors:
            raise ValidationError(errors, "shift")
        assert starts_at is not None and ends_at is not None
        draft = _draft(session, shift_id, shift.post_id, staff_id, starts_at, ends_at)
        found = check_draft(session, limits_in(session), draft)
        # Asked when the person changes (a fill-in); new times for the same person are not.
        same_person = staff_id == shift.staff_id
        refused = refusal(found) or unconfirmed(found, confirmed or same_person)
        if refused:
            raise refused
        values: dict[str, object] = {
            "staff_id": staff_id,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "status": ShiftStatus.CHANGED,
            "updated_at": ctx.clock.now(),
        }
        if "notes" in fields:
            values["notes"] = data.notes or ""
        note = {} if same_person else confirmed_note(found)
        _save(session, ctx, shift, expected_version, values, note)
        return SavedShift(shift_row(session, shift), tuple(found))


def assign(
    ctx: ServiceContext,
    shift_id: int,
    staff_id: int | None,
    expected_version: int,
    *,
    confirmed: bool = False,
) -> SavedShift:
    """Put someone on a shift (or leave it vacant with None): how a gap is filled."""
    return update_shift(
        ctx, shift_id, ShiftUpdate(staff_id=staff_id), expected_version, confirmed=confirmed
    )


def cancel_shift(ctx: ServiceContext, shift_id: int, expected_version: int) -> ShiftRow:
    """Call a shift off; it stays in the table so that generating again does not bring it back."""
    ctx.require_write()
    with ctx.transaction() as session:
        shift = session.get(Shift, shift_id)
        if shift is None:
            raise NotFound(_("shift {id} does not exist").format(id=shift_id))
        _require_post(session, ctx, shift.post_id)
        _save(
            session,
            ctx,
            shift,
            expected_version,
            {"status": ShiftStatus.CANCELLED, "updated_at": ctx.clock.now()},
        )
        _cancel_open_swaps(session, ctx, [shift_id])
        return shift_row(session, shift)


def post_room(session: Session, post_id: int) -> int | None:
    """The police room a post (and so each of its shifts) belongs to."""
    post = session.get(Post, post_id)
    return post.police_room_id if post is not None else None


def _require_post(session: Session, ctx: ServiceContext, post_id: int) -> None:
    """Refuse a change to a shift of another room's post (``services/core/scope.py``)."""
    core_scope.require_room(session, ctx, post_room(session, post_id))


def _save(
    session: Session,
    ctx: ServiceContext,
    shift: Shift,
    expected_version: int,
    values: dict[str, object],
    note: dict[str, list[str]] | None = None,
) -> None:
    assert shift.id is not None
    before = audit.snapshot(shift)
    save_versioned(session, Shift, shift.id, expected_version, values)
    session.refresh(shift)
    old, new = audit.diff(before, audit.snapshot(shift))
    audit.record(session, ctx, AuditAction.UPDATE, "shift", shift.id, old, new | (note or {}))


def _cancel_open_swaps(session: Session, ctx: ServiceContext, shift_ids: list[int]) -> None:
    """Swaps still waiting for an answer lose their point when one of their shifts changes."""
    if not shift_ids:
        return
    open_swaps = session.exec(
        select(ShiftSwap).where(
            ShiftSwap.status == SwapStatus.REQUESTED,
            col(ShiftSwap.shift_a_id).in_(shift_ids) | col(ShiftSwap.shift_b_id).in_(shift_ids),
        )
    ).all()
    for swap in open_swaps:
        assert swap.id is not None
        save_versioned(
            session,
            ShiftSwap,
            swap.id,
            swap.version,
            {"status": SwapStatus.CANCELLED, "updated_at": ctx.clock.now()},
        )
        audit.record(
            session,
            ctx,
            AuditAction.STATUS,
            "shift_swap",
            swap.id,
            {"status": SwapStatus.REQUESTED.value},
            {"status": SwapStatus.CANCELLED.value},
        )


def get_shift(ctx: ServiceContext, shift_id: int) -> ShiftRow:
    with ctx.read() as session:
        shift = session.get(Shift, shift_id)
        if shift is None or not core_scope.sees_room(
            session, ctx, post_room(session, shift.post_id)
        ):
            raise NotFound(_("shift {id} does not exist").format(id=shift_id))
        return shift_row(session, shift)


def shifts_of(ctx: ServiceContext, staff_id: int, date_from: date, date_to: date) -> list[ShiftRow]:
    """One person's shifts starting in the period, cancelled ones included, in time order."""
    start = datetime.combine(date_from, time(0))
    end = datetime.combine(date_to + timedelta(days=1), time(0))
    with ctx.read() as session:
        statement = (
            select(Shift)
            .where(
                Shift.staff_id == staff_id,
                col(Shift.starts_at) >= start,
                col(Shift.starts_at) < end,
                col(Shift.post_id).in_(
                    select(Post.id).where(core_scope.rooms_clause(ctx, Post.police_room_id))
                ),
            )
            .order_by(col(Shift.starts_at), col(Shift.id))
        )
        return [shift_row(session, shift) for shift in session.exec(statement)]


# --- leave ------------------------------------------------------------------------------


def _leave_row(session: Session, leave: Leave) -> LeaveRow:
    assert leave.id is not None
    staff = session.get(Staff, leave.staff_id)
    return LeaveRow(
        leave.id,
        leave.version,
        leave.staff_id,
        staff.name if staff else "",
        leave.starts_on,
        leave.ends_on,
        leave.kind,
        leave.reason,
    )


def add_leave(ctx: ServiceContext, data: LeaveCreate) -> LeaveResult:
    """Put someone on leave; their shifts in those days become vacant (coverage gaps)."""
    ctx.require_write()
    with ctx.transaction() as session:
        made = requests.earlier(session, ctx, "leave")
        if made is not None:
            return LeaveResult(_leave_row(session, session.get_one(Leave, made)), ())
        errors: list[FieldError] = []
        # The person's row locked (PostgreSQL) before the overlap check, as a booking does:
        # two desks entering leave for one person at once cannot both pass it.
        staff = (
            session.get(Staff, data.staff_id, with_for_update=True)
            if data.staff_id is not None
            else None
        )
        if staff is None:
            errors.append(FieldError("staff_id", _("choose a staff member")))
        if data.starts_on is None:
            errors.append(FieldError("starts_on", _("a first day is needed")))
        if data.ends_on is None:
            errors.append(FieldError("ends_on", _("a last day is needed")))
        if data.starts_on and data.ends_on:
            if data.ends_on < data.starts_on:
                errors.append(FieldError("ends_on", _("ends before it starts")))
            elif staff is not None:
                overlapping = session.exec(
                    select(Leave).where(
                        Leave.staff_id == staff.id,
                        col(Leave.starts_on) <= data.ends_on,
                        col(Leave.ends_on) >= data.starts_on,
                    )
                ).first()
                if overlapping is not None:
                    errors.append(
                        FieldError(
                            "starts_on",
                            _("already on leave {a} to {b}").format(
                                a=overlapping.starts_on.isoformat(),
                                b=overlapping.ends_on.isoformat(),
                            ),
                        )
                    )
        if errors:
            raise ValidationError(errors, "leave")
        assert staff is not None and staff.id is not None and data.starts_on and data.ends_on
        core_scope.require_room(session, ctx, staff.police_room_id)
        now = ctx.clock.now()
        leave = Leave(
            staff_id=staff.id,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            kind=data.kind,
            reason=data.reason,
            created_at=now,
            updated_at=now,
        )
        session.add(leave)
        session.flush()
        audit.record(
            session, ctx, AuditAction.CREATE, "leave", leave.id, after=audit.snapshot(leave)
        )
        requests.remember(session, ctx, "leave", leave.id)
        shifts = _vacated(session, staff.id, data.starts_on, data.ends_on, now)
        note = _("{name} on leave").format(name=staff.name)
        for shift in shifts:
            notes = f"{shift.notes}; {note}" if shift.notes else note
            _save(
                session,
                ctx,
                shift,
                shift.version,
                {
                    "staff_id": None,
                    "status": ShiftStatus.CHANGED,
                    "notes": notes[: max_length(Shift, "notes")],
                    "updated_at": now,
                },
            )
        _cancel_open_swaps(session, ctx, [s.id for s in shifts if s.id is not None])
        return LeaveResult(
            _leave_row(session, leave), tuple(shift_row(session, shift) for shift in shifts)
        )


def _vacated(
    session: Session, staff_id: int, first: date, last: date, now: datetime
) -> list[Shift]:
    """The shifts a leave from ``first`` to ``last`` takes the person off: those it overlaps,
    the night begun the evening before included, but none already begun: a shift running
    now is being worked (emptying it showed a post unmanned that was not)."""
    start = datetime.combine(first, time(0))
    end = datetime.combine(last + timedelta(days=1), time(0))
    return list(
        session.exec(
            select(Shift)
            .where(
                Shift.staff_id == staff_id,
                Shift.status != ShiftStatus.CANCELLED,
                and_(col(Shift.starts_at) < end, col(Shift.ends_at) > start),
                col(Shift.starts_at) >= now,
            )
            .order_by(col(Shift.starts_at))
        ).all()
    )


def leave_vacates(ctx: ServiceContext, staff_id: int, first: date, last: date) -> list[ShiftRow]:
    """What ``add_leave`` would take the person off, for the form to show before saving."""
    with ctx.read() as session:
        found = _vacated(session, staff_id, first, last, ctx.clock.now())
        return [shift_row(session, shift) for shift in found]


def cancel_leave(ctx: ServiceContext, leave_id: int, expected_version: int) -> None:
    """Withdraw a leave. Shifts it vacated stay as they are: someone may have taken them."""
    ctx.require_write()
    with ctx.transaction() as session:
        leave = session.get(Leave, leave_id)
        if leave is None:
            raise NotFound(_("leave {id} does not exist").format(id=leave_id))
        staff = session.get(Staff, leave.staff_id)
        core_scope.require_room(session, ctx, staff.police_room_id if staff else None)
        if leave.version != expected_version:
            raise StaleRecord(_("this leave was changed by someone else since you opened it"))
        before = audit.snapshot(leave)
        session.delete(leave)
        audit.record(session, ctx, AuditAction.DELETE, "leave", leave_id, before=before)


def leaves(
    ctx: ServiceContext, police_room_id: int | None, date_from: date, date_to: date
) -> list[LeaveRow]:
    """Leave overlapping the period, of the room's staff (or everyone), by first day."""
    with ctx.read() as session:
        statement = (
            select(Leave)
            .join(Staff, col(Staff.id) == Leave.staff_id)
            .where(col(Leave.starts_on) <= date_to, col(Leave.ends_on) >= date_from)
            .order_by(col(Leave.starts_on), col(Leave.id))
        )
        if police_room_id is not None:
            statement = statement.where(Staff.police_room_id == police_room_id)
        statement = statement.where(core_scope.rooms_clause(ctx, Staff.police_room_id))
        return [_leave_row(session, leave) for leave in session.exec(statement)]


# --- stand-ins --------------------------------------------------------------------------


def add_stand_in(ctx: ServiceContext, data: StandInCreate) -> StandInRow:
    """Name who covers a level-2 grid for its responsible officer over some days."""
    ctx.require_write()
    with ctx.transaction() as session:
        errors: list[FieldError] = []
        grid = session.get(Grid, data.grid_id) if data.grid_id is not None else None
        if grid is None or grid.level != 2:
            errors.append(FieldError("grid_id", _("choose a village or community grid")))
        staff = session.get(Staff, data.staff_id) if data.staff_id is not None else None
        if staff is None or not staff.active:
            errors.append(FieldError("staff_id", _("choose an active staff member")))
        if data.starts_on is None:
            errors.append(FieldError("starts_on", _("a first day is needed")))
        if data.ends_on is None:
            errors.append(FieldError("ends_on", _("a last day is needed")))
        if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
            errors.append(FieldError("ends_on", _("ends before it starts")))
        if errors:
            raise ValidationError(errors, "stand-in")
        assert data.grid_id and data.staff_id and data.starts_on and data.ends_on and staff
        core_scope.require_grid(session, ctx, data.grid_id)
        now = ctx.clock.now()
        stand_in = StandIn(
            grid_id=data.grid_id,
            staff_id=data.staff_id,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            reason=data.reason,
            created_at=now,
            updated_at=now,
        )
        session.add(stand_in)
        session.flush()
        assert stand_in.id is not None
        audit.record(
            session,
            ctx,
            AuditAction.CREATE,
            "stand_in",
            stand_in.id,
            after=audit.snapshot(stand_in),
        )
        return StandInRow(
            stand_in.id,
            stand_in.grid_id,
            stand_in.staff_id,
            staff.name,
            stand_in.starts_on,
            stand_in.ends_on,
            stand_in.reason,
        )
