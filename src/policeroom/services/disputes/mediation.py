"""Mediation sessions (调解): date, place, method, mediators, parties present, result and
the agreement's text.

Recording a session on a registered or investigating dispute moves it to mediating in the
same transaction (a status move with its event, like any other), so the desk does not have
to make that move by hand before the first session.
"""

from __future__ import annotations

from sqlmodel import col, select

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.audit import AuditAction
from policeroom.models.disputes import (
    OPEN_STATUSES,
    DisputeStatus,
    MediationCreate,
    MediationSession,
)
from policeroom.services.core import audit, requests
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, TransitionError
from policeroom.services.core.fields import Problems
from policeroom.services.disputes import rules as dispute_rules
from policeroom.services.disputes import workflow as dispute_workflow
from policeroom.services.disputes.card import MediationRow, mediation_row
from policeroom.services.disputes.workflow import AGREED, load_dispute, record_name


def record(ctx: ServiceContext, dispute_id: int, data: MediationCreate) -> MediationRow:
    """Record one session of an open dispute; refuses dates before the report or in the
    future, and an agreement result without the agreement's text."""
    ctx.require_write()
    today = ctx.clock.today()
    with ctx.transaction() as session:
        made = requests.earlier(session, ctx, "mediation_session")
        if made is not None:
            return mediation_row(session.get_one(MediationSession, made))
        dispute = load_dispute(session, dispute_id, ctx, write=True)
        name = record_name(dispute)
        status = DisputeStatus(dispute.status)
        if status not in OPEN_STATUSES:
            raise TransitionError(
                FieldError(
                    "dispute",
                    _("the dispute is {status}; reopen it before recording a mediation").format(
                        status=label(status)
                    ),
                ),
                name,
            )
        problems = Problems()
        held_on = data.held_on
        if held_on is None:
            problems.add("held_on", _("a date is needed"))
        elif held_on > today:
            problems.add("held_on", _("{d} is in the future").format(d=held_on.isoformat()))
        elif held_on < dispute.reported_on:
            problems.add(
                "held_on",
                _("{d} is before the dispute was reported ({r})").format(
                    d=held_on.isoformat(), r=dispute.reported_on.isoformat()
                ),
            )
        if data.method is None:
            problems.add("method", _("choose how the mediation was held"))
        if data.result is None:
            problems.add("result", _("choose the result"))
        if data.result in AGREED and not data.agreement:
            problems.add("agreement", _("write down what the parties agreed"))
        problems.raise_if_any(name)
        assert held_on is not None and data.method is not None and data.result is not None
        row = MediationSession.model_validate(
            data, update={"dispute_id": dispute_id, "created_at": ctx.clock.now()}
        )
        session.add(row)
        session.flush()
        audit.record(
            session, ctx, AuditAction.CREATE, "mediation_session", row.id, None, audit.snapshot(row)
        )
        requests.remember(session, ctx, "mediation_session", row.id)
        if status is not DisputeStatus.MEDIATING:
            dispute_workflow.apply_move(
                session,
                ctx,
                dispute,
                DisputeStatus.MEDIATING,
                _("mediation session on {d}").format(d=held_on.isoformat()),
                # A session may be entered after a later move; history must stay in order.
                max(held_on, dispute.status_since or held_on),
                dispute_rules.load(session),
                dispute.version,
            )
        return mediation_row(row)


def of_dispute(ctx: ServiceContext, dispute_id: int) -> list[MediationRow]:
    """The sessions of one dispute in date order."""
    with ctx.read() as session:
        load_dispute(session, dispute_id, ctx)
        return [
            mediation_row(found)
            for found in session.exec(
                select(MediationSession)
                .where(col(MediationSession.dispute_id) == dispute_id)
                .order_by(col(MediationSession.held_on), col(MediationSession.id))
            ).all()
        ]
