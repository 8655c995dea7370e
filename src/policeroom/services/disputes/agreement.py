"""The people's mediation agreement (人民调解协议书) as a Word document to print and sign.

It is made from the ledger: the parties with their roles, the facts (the dispute's
description), the terms agreed at the last mediation that reached (partial) agreement, how
they are carried out and checked (the follow-ups still to do), and a line for each
signature and its date. The layout follows the interface's language: the Chinese form
(宋体, dates as 2022年5月1日) or an English one.

Writing the file is an export: only into the actor's export folder when they have one
(``files.check_writable``), owner-readable only, audited, and the mediation session keeps
the document's name and time so the ledger entry points at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction
from policeroom.models.disputes import (
    Dispute,
    DisputeParty,
    FollowUp,
    MediationSession,
    PartyRole,
)
from policeroom.models.org import Staff
from policeroom.models.people import Gender, Resident
from policeroom.services.core import audit, files
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, TransitionError, ValidationError
from policeroom.services.disputes.agreement_content import (
    FONTS,
    MONTHS,
    Agreement,
    AgreementParty,
    long_date,
)
from policeroom.services.disputes.workflow import AGREED, load_dispute, record_name

__all__ = ["FONTS", "MONTHS", "Agreement", "AgreementParty", "long_date"]

_TERM_BREAK = re.compile(r"\n+|(?<=[；;。])\s*(?=[一二三四五六七八九十]+、)")


@dataclass(frozen=True)
class AgreementWritten:
    """The document written: where, when, and the mediation session that records it."""

    path: Path
    at: datetime
    mediation_id: int


def default_name(dispute_number: str) -> str:
    """``人民调解协议书-JF-2022-0040.docx`` (the name follows the layout's language)."""
    return _("mediation-agreement-{number}.docx").format(number=dispute_number)


def split_terms(text: str) -> tuple[str, ...]:
    """The agreement's text one term a paragraph: on line breaks, and before 二、三、…"""
    return tuple(term.strip() for term in _TERM_BREAK.split(text) if term.strip())


def agreed_session(session: Session, dispute: Dispute) -> MediationSession:
    """The latest session of ``dispute`` that reached (partial) agreement."""
    found = session.exec(
        select(MediationSession)
        .where(
            col(MediationSession.dispute_id) == dispute.id,
            col(MediationSession.result).in_(AGREED),
        )
        .order_by(col(MediationSession.held_on).desc(), col(MediationSession.id).desc())
    ).first()
    if found is None:
        raise TransitionError(
            FieldError(
                "dispute",
                _("no mediation of this dispute reached an agreement to write down"),
            ),
            record_name(dispute),
        )
    return found


def read(session: Session, dispute: Dispute, mediation: MediationSession) -> Agreement:
    rows = session.exec(
        select(DisputeParty, Resident)
        .join(Resident, col(Resident.id) == col(DisputeParty.resident_id), isouter=True)
        .where(col(DisputeParty.dispute_id) == dispute.id)
        .order_by(col(DisputeParty.id))
    ).all()
    parties = [
        AgreementParty(
            PartyRole(party.role),
            party.name,
            Gender(resident.gender) if resident is not None else Gender.UNKNOWN,
            resident.address if resident is not None else "",
        )
        for party, resident in rows
    ]
    # The order of a signed agreement: applicants, respondents, third parties, the child.
    order = list(PartyRole)
    parties.sort(key=lambda party: order.index(party.role))
    officer = session.get(Staff, dispute.assignee_id) if dispute.assignee_id else None
    follow_ups = session.exec(
        select(col(FollowUp.due_on))
        .where(col(FollowUp.dispute_id) == dispute.id, col(FollowUp.done_on).is_(None))
        .order_by(col(FollowUp.due_on))
    ).all()
    return Agreement(
        dispute_number=dispute.number,
        held_on=mediation.held_on,
        place=mediation.place,
        mediators=tuple(m for m in re.split(r"[、,，;；\s]+", mediation.mediators) if m),
        parties=tuple(parties),
        facts=dispute.description,
        terms=split_terms(mediation.agreement),
        officer=officer.name if officer is not None else "",
        follow_ups=tuple(follow_ups),
    )


# --- writing -----------------------------------------------------------------------------


def write(ctx: ServiceContext, dispute_id: int, path: Path) -> AgreementWritten:
    """Write the agreement of ``dispute_id``'s last agreed mediation to ``path`` (a DOCX),
    record its name and time on that session and audit the export, in one transaction."""
    ctx.require_write()
    target = files.check_writable(ctx, path)
    if not target.parent.is_dir():
        raise ValidationError.single(
            files.FIELD, _("there is no folder {folder}").format(folder=target.parent)
        )
    if target.is_dir():
        raise ValidationError.single(files.FIELD, _("{path} is a folder").format(path=target))
    now = ctx.clock.now()
    with ctx.transaction() as session:
        dispute = load_dispute(session, dispute_id)
        mediation = agreed_session(session, dispute)
        # python-docx (and lxml) cost more than half a second to import: only here, when a
        # document is written, never on the desk's start path.
        from policeroom.services.disputes import agreement_docx

        document = agreement_docx.build(read(session, dispute, mediation))
        before = audit.snapshot(mediation, ["document_name", "document_at"])
        mediation.document_name = target.name
        mediation.document_at = now
        session.add(mediation)
        session.flush()
        assert mediation.id is not None
        audit.record(
            session,
            ctx,
            AuditAction.UPDATE,
            "mediation_session",
            mediation.id,
            before,
            audit.snapshot(mediation, ["document_name", "document_at"]),
        )
        audit.record(
            session,
            ctx,
            AuditAction.EXPORT,
            "mediation_agreement",
            mediation.id,
            after={"records": 1, "to": audit.target_name(target), "dispute": dispute.number},
        )
        # Written last, inside the transaction: a refused write leaves no record of a file.
        agreement_docx.save_private(document, target)
        return AgreementWritten(target, now, mediation.id)
