"""Follow-up visits (回访) after a dispute is resolved.

Resolving a dispute schedules them (``dispute_rules`` gives the offsets per category,
7 and 30 days by default). Each is done once, with an outcome and the parties'
satisfaction (1–5); a ``recurring`` outcome reopens the dispute in the same transaction.
The officer can also plan one more on a date of their choosing (``plan``), for a family
that asked to be seen again after the school term, say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.audit import AuditAction
from policeroom.models.disputes import (
    Dispute,
    DisputeStatus,
    FollowUp,
    FollowUpDone,
    FollowUpOutcome,
)
from policeroom.models.org import Staff
from policeroom.services.core import audit, requests, scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, NotFound, TransitionError
from policeroom.services.core.fields import Problems
from policeroom.services.core.locking import save_versioned
from policeroom.services.disputes import ledger
from policeroom.services.disputes import rules as dispute_rules
from policeroom.services.disputes import workflow as dispute_workflow
from policeroom.services.disputes.card import FollowUpRow, follow_up_row, follow_ups_of
from policeroom.services.disputes.workflow import load_dispute, record_name


@dataclass(frozen=True)
class FollowUpResult:
    """The follow-up as written, and whether it reopened its dispute."""

    follow_up: FollowUpRow
    reopened: bool
    dispute_version: int


def done(ctx: ServiceContext, follow_up_id: int, data: FollowUpDone) -> FollowUpResult:
    """Record a follow-up as done. Refuses a date before the resolution or in the future,
    a follow-up already done, and one of a dispute that is no longer resolved."""
    ctx.require_write()
    today = ctx.clock.today()
    with ctx.transaction() as session:
        # Locked (PostgreSQL): a second desk recording the same follow-up waits, then finds
        # it done.
        follow_up = session.get(FollowUp, follow_up_id, with_for_update=True)
        if follow_up is None:
            raise NotFound(_("no follow-up with number {id}").format(id=follow_up_id))
        dispute = load_dispute(session, follow_up.dispute_id, ctx, write=True)
        name = record_name(dispute)
        if requests.earlier(session, ctx, "follow_up_done") == follow_up_id:
            # The same form's save again (its answer was lost): the first one's result.
            staff = session.get(Staff, follow_up.staff_id) if follow_up.staff_id else None
            row = follow_up_row(
                follow_up, staff.name if staff else "", dispute_rules.load(session), today
            )
            reopened = follow_up.outcome is FollowUpOutcome.RECURRING
            return FollowUpResult(row, reopened, dispute.version)
        if follow_up.done_on is not None:
            raise TransitionError(
                FieldError(
                    "follow_up",
                    _("this follow-up was already done on {d}").format(
                        d=follow_up.done_on.isoformat()
                    ),
                ),
                name,
            )
        if dispute.status is not DisputeStatus.RESOLVED or dispute.resolved_on is None:
            raise TransitionError(
                FieldError(
                    "follow_up",
                    _("the dispute is {status}; follow-ups are for resolved disputes").format(
                        status=label(DisputeStatus(dispute.status))
                    ),
                ),
                name,
            )
        problems = Problems()
        done_on = data.done_on or today
        if done_on > today:
            problems.add("done_on", _("{d} is in the future").format(d=done_on.isoformat()))
        elif done_on < dispute.resolved_on:
            problems.add(
                "done_on",
                _("{d} is before the dispute was resolved ({r})").format(
                    d=done_on.isoformat(), r=dispute.resolved_on.isoformat()
                ),
            )
        if data.outcome is None:
            problems.add("outcome", _("say whether the dispute is stable or recurring"))
        if data.satisfaction is None:
            problems.add("satisfaction", _("ask the parties how satisfied they are (1–5)"))
        if data.outcome is FollowUpOutcome.RECURRING and not data.notes:
            problems.add("notes", _("say how the dispute has flared up again"))
        staff_id = data.staff_id if data.staff_id is not None else follow_up.staff_id
        staff = problems.reference(session, "staff_id", Staff, staff_id, _("staff member"))
        problems.raise_if_any(name)
        before = audit.snapshot(follow_up)
        follow_up.done_on = done_on
        follow_up.outcome = data.outcome
        follow_up.satisfaction = data.satisfaction
        follow_up.notes = data.notes
        follow_up.staff_id = staff_id
        session.add(follow_up)
        session.flush()
        old, new = audit.diff(before, audit.snapshot(follow_up))
        audit.record(session, ctx, AuditAction.UPDATE, "follow_up", follow_up.id, old, new)
        requests.remember(session, ctx, "follow_up_done", follow_up.id)
        assert dispute.id is not None
        reopened = data.outcome is FollowUpOutcome.RECURRING
        if reopened:
            version = dispute_workflow.apply_move(
                session,
                ctx,
                dispute,
                DisputeStatus.INVESTIGATING,
                _("follow-up on {d} found the dispute recurring: {notes}").format(
                    d=done_on.isoformat(), notes=data.notes
                ),
                done_on,
                dispute_rules.load(session),
                dispute.version,
            )
        else:
            # The deadline moves on to the next follow-up, or closes after the last one.
            due_on = dispute_workflow.next_follow_up(session, dispute.id)
            version = save_versioned(
                session,
                Dispute,
                dispute.id,
                dispute.version,
                {"due_on": due_on, "updated_at": ctx.clock.now()},
            )
            audit.record(
                session,
                ctx,
                AuditAction.UPDATE,
                "dispute",
                dispute.id,
                {"due_on": audit.snapshot(dispute, ["due_on"])["due_on"]},
                {"due_on": due_on.isoformat() if due_on else None},
            )
        rules = dispute_rules.load(session)
        row = follow_up_row(follow_up, staff.name if staff else "", rules, today)
        return FollowUpResult(row, reopened, version)


def plan(
    ctx: ServiceContext,
    dispute_id: int,
    due_on: date | None,
    staff_id: int | None,
    dispute_version: int,
) -> FollowUpResult:
    """Plan a follow-up of a resolved dispute on ``due_on``, a day the officer chooses
    (today or later: a dispute is never resolved in the future), by ``staff_id`` (the
    dispute's officer when None). The dispute's deadline becomes its earliest follow-up
    still to do."""
    ctx.require_write()
    today = ctx.clock.today()
    with ctx.transaction() as session:
        dispute = load_dispute(session, dispute_id, ctx, write=True)
        name = record_name(dispute)
        if dispute.status is not DisputeStatus.RESOLVED or dispute.resolved_on is None:
            raise TransitionError(
                FieldError(
                    "due_on",
                    _("the dispute is {status}; follow-ups are for resolved disputes").format(
                        status=label(DisputeStatus(dispute.status))
                    ),
                ),
                name,
            )
        problems = Problems()
        if due_on is None:
            problems.add("due_on", _("choose the day of the follow-up"))
        elif due_on < today:
            problems.add("due_on", _("{d} is in the past").format(d=due_on.isoformat()))
        elif session.exec(
            select(FollowUp.id).where(
                col(FollowUp.dispute_id) == dispute_id,
                col(FollowUp.due_on) == due_on,
                col(FollowUp.done_on).is_(None),
            )
        ).first():
            problems.add(
                "due_on", _("a follow-up is already planned on {d}").format(d=due_on.isoformat())
            )
        chosen = staff_id if staff_id is not None else dispute.assignee_id
        staff = problems.reference(session, "staff_id", Staff, chosen, _("staff member"))
        problems.raise_if_any(name)
        assert dispute.id is not None and due_on is not None
        follow_up = FollowUp(dispute_id=dispute.id, due_on=due_on, staff_id=chosen)
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
        next_due = dispute_workflow.next_follow_up(session, dispute.id)
        old_due = audit.snapshot(dispute, ["due_on"])["due_on"]
        version = save_versioned(
            session,
            Dispute,
            dispute.id,
            dispute_version,
            {"due_on": next_due, "updated_at": ctx.clock.now()},
        )
        audit.record(
            session,
            ctx,
            AuditAction.UPDATE,
            "dispute",
            dispute.id,
            {"due_on": old_due},
            {"due_on": next_due.isoformat() if next_due else None},
        )
        rules = dispute_rules.load(session)
        row = follow_up_row(follow_up, staff.name if staff else "", rules, today)
        return FollowUpResult(row, False, version)


def of_dispute(ctx: ServiceContext, dispute_id: int) -> list[FollowUpRow]:
    """The follow-ups of one dispute in due order."""
    today = ctx.clock.today()
    with ctx.read() as session:
        load_dispute(session, dispute_id, ctx)
        return follow_ups_of(session, dispute_id, dispute_rules.load(session), today)


def due(
    ctx: ServiceContext, until: date, grid_id: int | None = None, limit: int = 50
) -> list[FollowUpRow]:
    """Follow-ups not yet done that are due by ``until`` (overdue ones first)."""
    today = ctx.clock.today()
    with ctx.read() as session:
        rules = dispute_rules.load(session)
        statement = (
            select(FollowUp, Staff.name)
            .join(Dispute, col(Dispute.id) == col(FollowUp.dispute_id))
            .outerjoin(Staff, col(Staff.id) == col(FollowUp.staff_id))
            .where(
                col(FollowUp.done_on).is_(None),
                col(FollowUp.due_on) <= until,
                col(Dispute.status) == DisputeStatus.RESOLVED,
                scope.grids_clause(ctx, Dispute.grid_id),
            )
            .order_by(col(FollowUp.due_on), col(FollowUp.id))
            .limit(limit)
        )
        if grid_id is not None:
            statement = statement.where(ledger.grid_condition(session, grid_id))
        return [
            follow_up_row(found, staff_name or "", rules, today)
            for found, staff_name in session.exec(statement).all()
        ]
