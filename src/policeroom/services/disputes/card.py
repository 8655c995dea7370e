"""One dispute's card: everything about it, with its history in date order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from sqlmodel import Session, col, select

from policeroom.i18n import N_, _
from policeroom.labels import label, register
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeEvent,
    DisputeParty,
    DisputeSource,
    DisputeStatus,
    FollowUp,
    FollowUpOutcome,
    MediationMethod,
    MediationResult,
    MediationSession,
    PartyRole,
    ReferralTarget,
    RiskGrade,
    RiskReason,
)
from policeroom.models.org import Staff
from policeroom.models.people import Visit
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import rules as dispute_rules
from policeroom.services.disputes.rules import DeadlineState, DisputeRules
from policeroom.services.disputes.workflow import load_dispute
from policeroom.services.org import tree
from policeroom.services.people.residents import mask_id, mask_phone

PARTY_SEPARATOR = "、"


@dataclass(frozen=True)
class PartyRow:
    """A party as the card shows it; ID and phone are masked."""

    id: int
    resident_id: int | None
    name: str
    role: PartyRole
    phone_masked: str
    id_number_masked: str


@dataclass(frozen=True)
class MediationRow:
    id: int
    dispute_id: int
    held_on: date
    place: str
    method: MediationMethod
    mediators: str
    parties_present: str
    result: MediationResult
    agreement: str
    document_name: str = ""
    """The agreement document (人民调解协议书) last written from the session, and when."""
    document_at: datetime | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up; ``state`` is its deadline colour (``closed`` once done)."""

    id: int
    dispute_id: int
    due_on: date
    done_on: date | None
    staff_id: int | None
    staff_name: str
    outcome: FollowUpOutcome | None
    satisfaction: int | None
    notes: str
    state: DeadlineState


@dataclass(frozen=True)
class EventRow:
    id: int
    at: datetime
    user_login: str
    from_status: DisputeStatus | None
    to_status: DisputeStatus
    reason: str


class HistoryKind(StrEnum):
    STATUS = "status"
    MEDIATION = "mediation"
    FOLLOW_UP = "follow_up"


register(
    HistoryKind,
    {
        HistoryKind.STATUS: N_("status moved"),
        HistoryKind.MEDIATION: N_("mediation"),
        HistoryKind.FOLLOW_UP: N_("follow-up"),
    },
)


@dataclass(frozen=True)
class HistoryItem:
    """One line of a dispute's history, in the user's language; ``record_id`` is the event,
    session or follow-up it stands for."""

    on: date
    kind: HistoryKind
    text: str
    record_id: int


@dataclass(frozen=True)
class DisputeCard:
    """Everything about one dispute, with its history (status moves, sessions, follow-ups
    done) in date order. ``allowed_moves`` are the statuses ``disputes.move`` may accept."""

    id: int
    number: str
    category: DisputeCategory
    description: str
    grid_id: int
    grid_code: str
    grid_name: str
    grid_path_names: tuple[str, ...]
    source: DisputeSource
    reported_on: date
    risk: RiskGrade
    risk_reasons: tuple[RiskReason, ...]
    status: DisputeStatus
    status_since: date | None
    due_on: date | None
    deadline_state: DeadlineState
    next_action: str
    allowed_moves: tuple[DisputeStatus, ...]
    assignee_id: int | None
    assignee_name: str
    leader_id: int | None
    leader_name: str
    visit_id: int | None
    visit_date: date | None
    resolved_on: date | None
    referred_to: ReferralTarget | None
    closed_on: date | None
    parties: tuple[PartyRow, ...]
    sessions: tuple[MediationRow, ...]
    follow_ups: tuple[FollowUpRow, ...]
    events: tuple[EventRow, ...]
    history: tuple[HistoryItem, ...]
    version: int

    @property
    def parties_text(self) -> str:
        return PARTY_SEPARATOR.join(party.name for party in self.parties)


def mediation_row(session_row: MediationSession) -> MediationRow:
    assert session_row.id is not None
    return MediationRow(
        session_row.id,
        session_row.dispute_id,
        session_row.held_on,
        session_row.place,
        session_row.method,
        session_row.mediators,
        session_row.parties_present,
        session_row.result,
        session_row.agreement,
        session_row.document_name,
        session_row.document_at,
        session_row.created_at,
    )


def follow_up_row(
    follow_up: FollowUp, staff_name: str, rules: DisputeRules, today: date
) -> FollowUpRow:
    assert follow_up.id is not None
    state = (
        DeadlineState.CLOSED
        if follow_up.done_on is not None
        else dispute_rules.deadline_state(rules, follow_up.due_on, today)
    )
    return FollowUpRow(
        follow_up.id,
        follow_up.dispute_id,
        follow_up.due_on,
        follow_up.done_on,
        follow_up.staff_id,
        staff_name,
        follow_up.outcome,
        follow_up.satisfaction,
        follow_up.notes,
        state,
    )


def follow_ups_of(
    session: Session, dispute_id: int, rules: DisputeRules, today: date
) -> list[FollowUpRow]:
    found = session.exec(
        select(FollowUp, Staff.name)
        .outerjoin(Staff, col(Staff.id) == col(FollowUp.staff_id))
        .where(col(FollowUp.dispute_id) == dispute_id)
        .order_by(col(FollowUp.due_on), col(FollowUp.id))
    ).all()
    return [follow_up_row(f, name or "", rules, today) for f, name in found]


# Within a day: the registration first, then sessions and status moves in the order they
# were recorded (a session before the move it caused, when recorded in the same moment or
# with no time known), then the follow-ups, which have a day but no time.
_REGISTERED, _WORK, _FOLLOW_UP = 0, 1, 2


def _session_moment(row: MediationRow) -> datetime:
    if row.created_at is not None and row.created_at.date() == row.held_on:
        return row.created_at
    return datetime.combine(row.held_on, time.min)  # entered later: first of its day


def _history(
    events: list[EventRow], sessions: list[MediationRow], follow_ups: list[FollowUpRow]
) -> tuple[HistoryItem, ...]:
    items: list[tuple[tuple[object, ...], HistoryItem]] = []
    for event in events:
        if event.from_status is None:
            text = _("Registered")
        else:
            text = _("{old} → {new}: {reason}").format(
                old=label(event.from_status),
                new=label(event.to_status),
                reason=event.reason,
            )
        items.append(
            (
                (
                    event.at.date(),
                    _REGISTERED if event.from_status is None else _WORK,
                    event.at,
                    1,
                    event.id,
                ),
                HistoryItem(event.at.date(), HistoryKind.STATUS, text, event.id),
            )
        )
    for row in sessions:
        text = _("Mediation ({method}) at {place} by {mediators}: {result}").format(
            method=label(row.method),
            place=row.place or "-",
            mediators=row.mediators or "-",
            result=label(row.result),
        )
        if row.agreement:
            text += " — " + row.agreement
        # A session comes before the move it caused on the same day.
        items.append(
            (
                (row.held_on, _WORK, _session_moment(row), 0, row.id),
                HistoryItem(row.held_on, HistoryKind.MEDIATION, text, row.id),
            )
        )
    for follow_up in follow_ups:
        if follow_up.done_on is None:
            continue
        text = _("Follow-up: {outcome}, satisfaction {n}/5").format(
            outcome=label(follow_up.outcome), n=follow_up.satisfaction or "-"
        )
        if follow_up.notes:
            text += " — " + follow_up.notes
        items.append(
            (
                (follow_up.done_on, _FOLLOW_UP, datetime.min, 0, follow_up.id),
                HistoryItem(follow_up.done_on, HistoryKind.FOLLOW_UP, text, follow_up.id),
            )
        )
    items.sort(key=lambda item: item[0])
    return tuple(item for _key, item in items)


def card(ctx: ServiceContext, dispute_id: int) -> DisputeCard:
    """Everything about one dispute for its card."""
    today = ctx.clock.today()
    with ctx.read() as session:
        dispute = load_dispute(session, dispute_id, ctx)
        rules = dispute_rules.load(session)
        *_above, grid = lineage = tree.lineage(session, dispute.grid_id)
        people = {
            staff_id: name
            for staff_id, name in session.exec(
                select(Staff.id, Staff.name).where(
                    col(Staff.id).in_([dispute.assignee_id or 0, dispute.leader_id or 0])
                )
            ).all()
        }
        visit = session.get(Visit, dispute.visit_id) if dispute.visit_id else None
        parties = [
            PartyRow(
                p.id or 0,
                p.resident_id,
                p.name,
                PartyRole(p.role),
                mask_phone(p.phone),
                mask_id(p.id_number),
            )
            for p in session.exec(
                select(DisputeParty)
                .where(col(DisputeParty.dispute_id) == dispute_id)
                .order_by(col(DisputeParty.id))
            ).all()
        ]
        sessions = [
            mediation_row(s)
            for s in session.exec(
                select(MediationSession)
                .where(col(MediationSession.dispute_id) == dispute_id)
                .order_by(col(MediationSession.held_on), col(MediationSession.id))
            ).all()
        ]
        follow_ups = follow_ups_of(session, dispute_id, rules, today)
        events = [
            EventRow(e.id or 0, e.at, e.user_login, e.from_status, e.to_status, e.reason)
            for e in session.exec(
                select(DisputeEvent)
                .where(col(DisputeEvent.dispute_id) == dispute_id)
                .order_by(col(DisputeEvent.at), col(DisputeEvent.id))
            ).all()
        ]
    status = DisputeStatus(dispute.status)
    pending = [f.due_on for f in follow_ups if f.done_on is None]
    due_on = dispute_rules.effective_due_on(status, dispute.due_on, min(pending, default=None))
    return DisputeCard(
        id=dispute_id,
        number=dispute.number,
        category=dispute.category,
        description=dispute.description,
        grid_id=dispute.grid_id,
        grid_code=grid.code,
        grid_name=grid.name,
        grid_path_names=tuple(g.name for g in lineage),
        source=dispute.source,
        reported_on=dispute.reported_on,
        risk=dispute.risk,
        risk_reasons=dispute_rules.parse_reasons(dispute.risk_reasons),
        status=status,
        status_since=dispute.status_since,
        due_on=due_on,
        deadline_state=dispute_rules.deadline_state(rules, due_on, today),
        next_action=dispute_rules.next_action(status, due_on),
        allowed_moves=dispute_rules.allowed_moves(status),
        assignee_id=dispute.assignee_id,
        assignee_name=people.get(dispute.assignee_id, "") if dispute.assignee_id else "",
        leader_id=dispute.leader_id,
        leader_name=people.get(dispute.leader_id, "") if dispute.leader_id else "",
        visit_id=dispute.visit_id,
        visit_date=visit.visit_date if visit else None,
        resolved_on=dispute.resolved_on,
        referred_to=dispute.referred_to,
        closed_on=dispute.closed_on,
        parties=tuple(parties),
        sessions=tuple(sessions),
        follow_ups=tuple(follow_ups),
        events=tuple(events),
        history=_history(events, sessions, follow_ups),
        version=dispute.version,
    )
