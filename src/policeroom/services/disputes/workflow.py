"""The status machine applied inside a caller's transaction.

``disputes.move``, ``mediation.record`` (which starts mediation) and ``follow_ups.done``
(which reopens a recurring dispute) all move a dispute through ``check_move`` then
``apply_move``, so every move is checked the same way, audited, and written as a
``DisputeEvent`` with its reason.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.audit import AuditAction
from policeroom.models.disputes import (
    Dispute,
    DisputeEvent,
    DisputeStatus,
    FollowUp,
    MediationResult,
    MediationSession,
    ReferralTarget,
)
from policeroom.services.core import audit, scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, NotFound, TransitionError
from policeroom.services.core.fields import Problems
from policeroom.services.core.locking import save_versioned
from policeroom.services.disputes import rules as dispute_rules
from policeroom.services.disputes.rules import DisputeRules

AGREED = (MediationResult.AGREEMENT, MediationResult.PARTIAL)


def load_dispute(
    session: Session, dispute_id: int, ctx: ServiceContext | None = None, write: bool = False
) -> Dispute:
    """The dispute; with ``ctx``, one outside the actor's police rooms is not there for a
    read and refused for a ``write`` (``services/core/scope.py``)."""
    dispute = session.get(Dispute, dispute_id)
    if dispute is not None and ctx is not None:
        if write:
            scope.require_grid(session, ctx, dispute.grid_id)
        elif not scope.sees_grid(session, ctx, dispute.grid_id):
            dispute = None
    if dispute is None:
        raise NotFound(_("no dispute with number {id}").format(id=dispute_id))
    return dispute


def record_name(dispute: Dispute) -> str:
    return _("dispute {number}").format(number=dispute.number)


def first_agreement(session: Session, dispute_id: int) -> date | None:
    """The date of the first mediation session that reached (partial) agreement."""
    return session.exec(
        select(col(MediationSession.held_on))
        .where(
            col(MediationSession.dispute_id) == dispute_id,
            col(MediationSession.result).in_(AGREED),
        )
        .order_by(col(MediationSession.held_on))
        .limit(1)
    ).first()


def check_move(
    session: Session,
    dispute: Dispute,
    to_status: DisputeStatus,
    on: date,
    today: date,
    referred_to: ReferralTarget | None,
) -> None:
    """Refuse a move the rules forbid (TransitionError) or whose fields are wrong
    (ValidationError listing every field); ``StatusMove`` has checked the reason."""
    current = DisputeStatus(dispute.status)
    name = record_name(dispute)
    if to_status not in dispute_rules.TRANSITIONS[current]:
        allowed = ", ".join(label(s) for s in dispute_rules.allowed_moves(current))
        raise TransitionError(
            FieldError(
                "to_status",
                _(
                    "a dispute cannot move from {old} to {new}; from {old} it can go to: {allowed}"
                ).format(old=label(current), new=label(to_status), allowed=allowed),
            ),
            name,
        )
    problems = Problems()
    if on > today:
        problems.add("on", _("{d} is in the future").format(d=on.isoformat()))
    elif on < dispute.reported_on:
        problems.add(
            "on",
            _("{d} is before the dispute was reported ({r})").format(
                d=on.isoformat(), r=dispute.reported_on.isoformat()
            ),
        )
    elif dispute.status_since is not None and on < dispute.status_since:
        problems.add(
            "on",
            _("{d} is before the dispute became {status} ({s})").format(
                d=on.isoformat(), status=label(current), s=dispute.status_since.isoformat()
            ),
        )
    if to_status is DisputeStatus.REFERRED and referred_to is None:
        problems.add("referred_to", _("say where the dispute is referred to"))
    if to_status is not DisputeStatus.REFERRED and referred_to is not None:
        problems.add("referred_to", _("only a referral names where it goes"))
    if to_status is DisputeStatus.RESOLVED:
        agreed_on = first_agreement(session, dispute.id or 0)
        if agreed_on is None and current is not DisputeStatus.REFERRED:
            raise TransitionError(
                FieldError(
                    "to_status",
                    _(
                        "a dispute is resolved by a mediation that reached agreement or by a "
                        "referral; record the mediation session first"
                    ),
                ),
                name,
            )
        if agreed_on is not None and on < agreed_on:
            problems.add(
                "on",
                _("{d} is before the agreement was reached ({a})").format(
                    d=on.isoformat(), a=agreed_on.isoformat()
                ),
            )
    problems.raise_if_any(name)


def apply_move(
    session: Session,
    ctx: ServiceContext,
    dispute: Dispute,
    to_status: DisputeStatus,
    reason: str,
    on: date,
    rules: DisputeRules,
    expected_version: int,
    referred_to: ReferralTarget | None = None,
) -> int:
    """Write a checked move: the dispute's status fields, follow-ups on resolution (and
    their removal on reopening), the event and the audit row. Returns the new version."""
    assert dispute.id is not None
    before = audit.snapshot(dispute)
    old = DisputeStatus(dispute.status)
    values: dict[str, Any] = {"status": to_status, "status_since": on}
    if old in dispute_rules.REOPEN_FROM:
        values |= {"resolved_on": None, "closed_on": None, "referred_to": None}
        cancel_pending_follow_ups(session, ctx, dispute.id)
    due_on = dispute_rules.status_deadline(rules, to_status, dispute.risk, on)
    if to_status is DisputeStatus.RESOLVED:
        values["resolved_on"] = on
        dates = rules.follow_up_dates(dispute.category, on)
        schedule_follow_ups(session, ctx, dispute.id, dates, dispute.assignee_id)
        due_on = dates[0] if dates else None
    elif to_status is DisputeStatus.REFERRED:
        values["referred_to"] = referred_to
    elif to_status is DisputeStatus.CLOSED_UNRESOLVED:
        values["closed_on"] = on
    values["due_on"] = due_on
    version = save_versioned(
        session, Dispute, dispute.id, expected_version, values | {"updated_at": ctx.clock.now()}
    )
    now = ctx.clock.now()
    session.add(
        DisputeEvent(
            dispute_id=dispute.id,
            # The move's own date, at the time of day it was written.
            at=datetime.combine(on, now.time()),
            user_login=ctx.actor.login,
            from_status=old,
            to_status=to_status,
            reason=reason,
        )
    )
    session.flush()
    session.refresh(dispute)
    changed_from, changed_to = audit.diff(before, audit.snapshot(dispute))
    audit.record(
        session,
        ctx,
        AuditAction.STATUS,
        "dispute",
        dispute.id,
        changed_from,
        changed_to | {"reason": reason},
    )
    return version


def schedule_follow_ups(
    session: Session,
    ctx: ServiceContext,
    dispute_id: int,
    dates: list[date],
    staff_id: int | None,
) -> None:
    for due_on in dates:
        follow_up = FollowUp(dispute_id=dispute_id, due_on=due_on, staff_id=staff_id)
        session.add(follow_up)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.CREATE,
            "follow_up",
            follow_up.id,
            None,
            audit.snapshot(follow_up),
        )


def cancel_pending_follow_ups(session: Session, ctx: ServiceContext, dispute_id: int) -> None:
    """A reopened dispute's follow-ups not yet done go; the audit log keeps them."""
    pending = session.exec(
        select(FollowUp).where(
            col(FollowUp.dispute_id) == dispute_id, col(FollowUp.done_on).is_(None)
        )
    ).all()
    for follow_up in pending:
        audit.record(
            session,
            ctx,
            AuditAction.DELETE,
            "follow_up",
            follow_up.id,
            audit.snapshot(follow_up),
            None,
        )
    if pending:
        session.execute(delete(FollowUp).where(col(FollowUp.id).in_([f.id for f in pending])))


def next_follow_up(session: Session, dispute_id: int) -> date | None:
    """The due date of the earliest follow-up not yet done."""
    return session.exec(
        select(col(FollowUp.due_on))
        .where(col(FollowUp.dispute_id) == dispute_id, col(FollowUp.done_on).is_(None))
        .order_by(col(FollowUp.due_on))
        .limit(1)
    ).first()
