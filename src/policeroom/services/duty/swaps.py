"""Shift swaps (换班) between two people: one asks, the other agrees, then both move.

Both see the swap (``swaps_for``). Agreeing runs the roster checks for both people in their
new places; a swap that would double-book someone or put them on a leave day is refused.
A swap that puts someone on a post needing another kind of person (an auxiliary on a
police-only post) goes ahead only when the one asking, and then the one agreeing, confirm
it (``NeedsConfirmation``). Only the person asked agrees or declines, from their own login;
only the one who asked withdraws.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.audit import AuditAction, User
from policeroom.models.org import Staff
from policeroom.models.roster import Post, Shift, ShiftStatus, ShiftSwap, SwapStatus
from policeroom.services.core import audit
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, NotFound, ValidationError
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
from policeroom.services.duty.shifts import ShiftRow, post_room, shift_row


@dataclass(frozen=True)
class SwapRow:
    """A swap and its two shifts as they are now."""

    id: int
    version: int
    status: SwapStatus
    requested_by: str
    agreed_by: str
    staff_a_id: int | None
    staff_b_id: int | None
    shift_a: ShiftRow
    shift_b: ShiftRow
    created_at: datetime | None

    @property
    def waiting(self) -> bool:
        return self.status == SwapStatus.REQUESTED


@dataclass(frozen=True)
class SwapResult:
    swap: SwapRow
    warnings: tuple[Finding, ...]


def swap_row(session: Session, swap: ShiftSwap) -> SwapRow:
    """A swap with both its shifts as they are now (read inside the caller's session)."""
    assert swap.id is not None
    shift_a = session.get(Shift, swap.shift_a_id)
    shift_b = session.get(Shift, swap.shift_b_id)
    assert shift_a is not None and shift_b is not None
    return SwapRow(
        swap.id,
        swap.version,
        swap.status,
        swap.requested_by,
        swap.agreed_by,
        swap.staff_a_id,
        swap.staff_b_id,
        shift_row(session, shift_a),
        shift_row(session, shift_b),
        swap.created_at,
    )


def _after_swap(session: Session, shift_a: Shift, shift_b: Shift) -> list[Finding]:
    """Checks of both people in each other's shift."""
    limits = limits_in(session)
    found: list[Finding] = []
    for mine, theirs in ((shift_a, shift_b), (shift_b, shift_a)):
        row = shift_row(session, theirs)
        mover = shift_row(session, mine)
        draft = DutyFact(
            theirs.id,
            theirs.post_id,
            row.post_name,
            mine.staff_id,
            mover.staff_name,
            mover.staff_kind,
            theirs.starts_at,
            theirs.ends_at,
        )
        found.extend(
            check_draft(session, limits, draft, leaving=frozenset({mine.id or 0, theirs.id or 0}))
        )
    return found


def request_swap(
    ctx: ServiceContext, shift_a_id: int, shift_b_id: int, *, confirmed: bool = False
) -> SwapResult:
    """The holder of shift A asks the holder of shift B to exchange; nothing moves yet."""
    ctx.require_write()
    with ctx.transaction() as session:
        shift_a = session.get(Shift, shift_a_id)
        shift_b = session.get(Shift, shift_b_id)
        errors: list[FieldError] = []
        now = ctx.clock.now()
        for field, shift in (("shift_a_id", shift_a), ("shift_b_id", shift_b)):
            if shift is None:
                errors.append(FieldError(field, _("no such shift")))
            elif shift.status == ShiftStatus.CANCELLED:
                errors.append(FieldError(field, _("the shift is cancelled")))
            elif shift.staff_id is None:
                errors.append(FieldError(field, _("nobody is on this shift to swap")))
            elif shift.starts_at <= now:
                errors.append(FieldError(field, _("the shift has already begun")))
        for shift in (shift_a, shift_b):
            if shift is not None:
                core_scope.require_room(session, ctx, post_room(session, shift.post_id))
        if shift_a_id == shift_b_id:
            errors.append(FieldError("shift_b_id", _("choose a different shift")))
        elif shift_a and shift_b and shift_a.staff_id and shift_a.staff_id == shift_b.staff_id:
            errors.append(FieldError("shift_b_id", _("both shifts are the same person's")))
        if not errors:
            pending = session.exec(
                select(ShiftSwap.id).where(
                    ShiftSwap.status == SwapStatus.REQUESTED,
                    col(ShiftSwap.shift_a_id).in_([shift_a_id, shift_b_id])
                    | col(ShiftSwap.shift_b_id).in_([shift_a_id, shift_b_id]),
                )
            ).first()
            if pending is not None:
                errors.append(FieldError("shift_a_id", _("a swap of this shift is already asked")))
        if errors:
            raise ValidationError(errors, "swap")
        assert shift_a is not None and shift_b is not None
        found = _after_swap(session, shift_a, shift_b)
        refused = refusal(found, "shift_b_id") or unconfirmed(
            found, confirmed, "shift_b_id", "swap"
        )
        if refused:
            raise refused
        swap = ShiftSwap(
            shift_a_id=shift_a_id,
            shift_b_id=shift_b_id,
            staff_a_id=shift_a.staff_id,
            staff_b_id=shift_b.staff_id,
            requested_by=ctx.actor.login,
            created_at=now,
            updated_at=now,
        )
        session.add(swap)
        session.flush()
        after = audit.snapshot(swap) | confirmed_note(found)
        audit.record(session, ctx, AuditAction.CREATE, "shift_swap", swap.id, after=after)
        return SwapResult(swap_row(session, swap), tuple(found))


def _open_swap(session: Session, swap_id: int, ctx: ServiceContext) -> ShiftSwap:
    swap = session.get(ShiftSwap, swap_id)
    if swap is None:
        raise NotFound(_("swap {id} does not exist").format(id=swap_id))
    shift_a = session.get(Shift, swap.shift_a_id)
    core_scope.require_room(session, ctx, post_room(session, shift_a.post_id) if shift_a else None)
    if swap.status != SwapStatus.REQUESTED:
        raise ValidationError.single(
            "status", _("this swap is already {status}").format(status=label(swap.status)), "swap"
        )
    return swap


def _set_status(
    session: Session,
    ctx: ServiceContext,
    swap: ShiftSwap,
    expected_version: int,
    status: SwapStatus,
    note: dict[str, list[str]] | None = None,
) -> None:
    assert swap.id is not None
    values: dict[str, object] = {"status": status, "updated_at": ctx.clock.now()}
    if status == SwapStatus.AGREED:
        values["agreed_by"] = ctx.actor.login
    save_versioned(session, ShiftSwap, swap.id, expected_version, values)
    audit.record(
        session,
        ctx,
        AuditAction.STATUS,
        "shift_swap",
        swap.id,
        {"status": swap.status.value},
        {"status": status.value} | (note or {}),
    )
    session.refresh(swap)


def _actor_staff(session: Session, ctx: ServiceContext) -> int | None:
    """The staff member the actor's login belongs to (None: a login of nobody on the roster)."""
    user = session.exec(select(User).where(User.login == ctx.actor.login)).first()
    return user.staff_id if user is not None else None


def _only_the_asked(session: Session, ctx: ServiceContext, swap: ShiftSwap) -> None:
    """An answer is the asked person's own: not the asker's, not a colleague's at the desk."""
    if _actor_staff(session, ctx) == swap.staff_a_id and swap.staff_a_id is not None:
        raise ValidationError.single(
            "agreed_by", _("the one who asked cannot agree for the other"), "swap"
        )
    if swap.staff_b_id is None or _actor_staff(session, ctx) != swap.staff_b_id:
        asked = session.get(Staff, swap.staff_b_id) if swap.staff_b_id is not None else None
        raise ValidationError.single(
            "agreed_by",
            _("only {name}, who was asked, can answer, from their own login").format(
                name=asked.name if asked is not None else _("the person asked")
            ),
            "swap",
        )


def agree_swap(
    ctx: ServiceContext, swap_id: int, expected_version: int, *, confirmed: bool = False
) -> SwapResult:
    """The person asked agrees: the two shifts exchange people, if every check still passes
    (a broken post requirement only when they ``confirmed`` it)."""
    ctx.require_write()
    with ctx.transaction() as session:
        swap = _open_swap(session, swap_id, ctx)
        _only_the_asked(session, ctx, swap)
        shift_a = session.get(Shift, swap.shift_a_id)
        shift_b = session.get(Shift, swap.shift_b_id)
        assert shift_a is not None and shift_b is not None
        moved = (shift_a.staff_id, shift_b.staff_id) != (swap.staff_a_id, swap.staff_b_id)
        cancelled = ShiftStatus.CANCELLED in (shift_a.status, shift_b.status)
        if moved or cancelled:
            raise ValidationError.single(
                "status", _("the shifts changed since the swap was asked; ask again"), "swap"
            )
        found = _after_swap(session, shift_a, shift_b)
        refused = refusal(found, "status") or unconfirmed(found, confirmed, "status", "swap")
        if refused:
            raise refused
        _set_status(session, ctx, swap, expected_version, SwapStatus.AGREED, confirmed_note(found))
        now = ctx.clock.now()
        for shift, staff_id in ((shift_a, swap.staff_b_id), (shift_b, swap.staff_a_id)):
            assert shift.id is not None
            before = audit.snapshot(shift)
            save_versioned(
                session,
                Shift,
                shift.id,
                shift.version,
                {"staff_id": staff_id, "status": ShiftStatus.CHANGED, "updated_at": now},
            )
            session.refresh(shift)
            old, new = audit.diff(before, audit.snapshot(shift))
            audit.record(session, ctx, AuditAction.UPDATE, "shift", shift.id, old, new)
        return SwapResult(swap_row(session, swap), tuple(found))


def decline_swap(ctx: ServiceContext, swap_id: int, expected_version: int) -> SwapRow:
    """The person asked says no; both shifts stay as they were."""
    ctx.require_write()
    with ctx.transaction() as session:
        swap = _open_swap(session, swap_id, ctx)
        _only_the_asked(session, ctx, swap)
        _set_status(session, ctx, swap, expected_version, SwapStatus.DECLINED)
        return swap_row(session, swap)


def cancel_swap(ctx: ServiceContext, swap_id: int, expected_version: int) -> SwapRow:
    """The one who asked withdraws before an answer."""
    ctx.require_write()
    with ctx.transaction() as session:
        swap = _open_swap(session, swap_id, ctx)
        mine = swap.requested_by == ctx.actor.login or (
            swap.staff_a_id is not None and _actor_staff(session, ctx) == swap.staff_a_id
        )
        if not mine:
            raise ValidationError.single(
                "requested_by",
                _("only the one who asked ({login}) can withdraw the request").format(
                    login=swap.requested_by
                ),
                "swap",
            )
        _set_status(session, ctx, swap, expected_version, SwapStatus.CANCELLED)
        return swap_row(session, swap)


def swaps_for(ctx: ServiceContext, staff_id: int, limit: int = 50) -> list[SwapRow]:
    """Swaps one person asked or was asked for, waiting ones first, newest first."""
    with ctx.read() as session:
        statement = (
            select(ShiftSwap)
            .where(
                (ShiftSwap.staff_a_id == staff_id) | (ShiftSwap.staff_b_id == staff_id),
                col(ShiftSwap.shift_a_id).in_(
                    select(Shift.id)
                    .join(Post, col(Post.id) == Shift.post_id)
                    .where(core_scope.rooms_clause(ctx, Post.police_room_id))
                ),
            )
            .order_by(col(ShiftSwap.created_at).desc(), col(ShiftSwap.id).desc())
            .limit(limit)
        )
        rows = [swap_row(session, swap) for swap in session.exec(statement)]
    return sorted(rows, key=lambda row: not row.waiting)
