"""The dispute ledger (台账) as lists: filters, search, pages and counts.

Lists are newest first, ordered by (reported_on, id) descending: ``page_after`` walks them by
keyset, ``window`` jumps to an offset for a scrollbar, ``count`` sizes it. Party names of a
page are read in one more query for the page's ids only.

Search: a number piece (``JF-2022-0012``, ``0012``) matches the number; hanzi match a piece of
a party's name; letters match the start of a party's pinyin initials or full pinyin
(``zm``, ``zhang``) as index ranges on ``dispute_party``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, false, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.disputes import (
    OPEN_STATUSES,
    Dispute,
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
    ReferralTarget,
    RiskGrade,
    RiskReason,
)
from policeroom.models.org import Grid, Staff
from policeroom.models.people import Visit
from policeroom.services import dispute_rules, grids
from policeroom.services.context import ServiceContext
from policeroom.services.dispute_rules import DeadlineState, DisputeRules
from policeroom.services.errors import NotFound
from policeroom.services.name_keys import prefix_upper_bound
from policeroom.services.paging import DEFAULT_PAGE_SIZE, Page, clamp_page_size
from policeroom.services.residents import mask_id, mask_phone

PARTY_SEPARATOR = "、"


@dataclass(frozen=True)
class DisputeQuery:
    """What a ledger list shows. ``grid_id`` means the grid and every grid under it;
    ``date_from``/``date_to`` bound the report date (inclusive); ``needs_action`` keeps the
    disputes whose deadline is due soon or past, high-risk ones not yet in mediation in time,
    and open ones past the age limit."""

    grid_id: int | None = None
    status: DisputeStatus | None = None
    risk: RiskGrade | None = None
    category: DisputeCategory | None = None
    date_from: date | None = None
    date_to: date | None = None
    needs_action: bool = False
    text: str = ""
    open_only: bool = False


@dataclass(frozen=True)
class DisputeRow:
    """One line of the ledger list; labels come from ``dispute_rules.label``."""

    id: int
    number: str
    reported_on: date
    category: DisputeCategory
    parties: tuple[str, ...]
    grid_id: int
    grid_name: str
    risk: RiskGrade
    status: DisputeStatus
    next_action: str
    deadline_state: DeadlineState
    due_on: date | None
    assignee_name: str
    version: int

    @property
    def parties_text(self) -> str:
        return PARTY_SEPARATOR.join(self.parties)

    @property
    def cursor(self) -> tuple[object, ...]:
        return (self.reported_on, self.id)


# --- search ------------------------------------------------------------------------------


class SearchKind(StrEnum):
    ALL = "all"
    NUMBER = "number"
    HANZI = "hanzi"
    LETTERS = "letters"


_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"(JF)?[-\d]*\d[-\d]*", re.IGNORECASE)


def parse_search(text: str) -> tuple[SearchKind, str]:
    """Which kind of search ``text`` is, and its normalised key."""
    compact = "".join((text or "").split())
    if not compact:
        return SearchKind.ALL, ""
    if _HANZI.search(compact):
        return SearchKind.HANZI, compact
    if _NUMBER.fullmatch(compact):
        return SearchKind.NUMBER, compact.upper()
    letters = compact.lower().replace("ü", "v")
    if letters.isascii() and letters.isalpha():
        return SearchKind.LETTERS, letters
    return SearchKind.NUMBER, compact.upper()


def _range(column: Any, prefix: str) -> ColumnElement[bool]:
    # ``>= prefix AND < bound`` is an index range; ``LIKE prefix || '%'`` is not.
    return (col(column) >= prefix) & (col(column) < prefix_upper_bound(prefix))


def _text_condition(text: str) -> ColumnElement[bool] | None:
    kind, key = parse_search(text)
    if kind is SearchKind.ALL:
        return None
    if kind is SearchKind.NUMBER:
        return col(Dispute.number).contains(key, autoescape=True)
    if kind is SearchKind.HANZI:
        matches = select(DisputeParty.dispute_id).where(
            col(DisputeParty.name).contains(key, autoescape=True)
        )
    else:
        # Two index ranges, unioned so that neither has to be walked in list order.
        matches = sa.union(
            select(DisputeParty.dispute_id).where(_range(DisputeParty.name_initials, key)),
            select(DisputeParty.dispute_id).where(_range(DisputeParty.name_pinyin, key)),
        )  # type: ignore[assignment]
    return col(Dispute.id).in_(matches)


# --- the list ----------------------------------------------------------------------------


def needs_action_condition(rules: DisputeRules, today: date) -> ColumnElement[bool]:
    """Disputes an early warning or a near deadline asks the desk to act on."""
    limits = rules.limits
    return or_(
        col(Dispute.due_on) <= today + timedelta(days=limits.due_soon),
        (col(Dispute.risk) == RiskGrade.HIGH)
        & col(Dispute.status).in_([DisputeStatus.REGISTERED, DisputeStatus.INVESTIGATING])
        & (col(Dispute.reported_on) < today - timedelta(days=limits.high_risk_to_mediation)),
        col(Dispute.status).in_(sorted(OPEN_STATUSES))
        & (col(Dispute.reported_on) < today - timedelta(days=limits.open_too_long)),
    )


def grid_condition(session: Session, grid_id: int) -> ColumnElement[bool]:
    """Disputes in the grid ``grid_id`` or any grid under it; NotFound for an unknown grid."""
    if grids.level_of(session, grid_id) is None:
        raise NotFound(_("no grid with number {id}").format(id=grid_id))
    return col(Dispute.grid_id).in_(grids.subtree_ids(grid_id))


def conditions(
    session: Session, q: DisputeQuery, rules: DisputeRules, today: date
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the list ``q`` (shared with exports and totals)."""
    where: list[ColumnElement[bool]] = []
    if q.grid_id is not None:
        where.append(grid_condition(session, q.grid_id))
    if q.status is not None:
        where.append(col(Dispute.status) == q.status)
    if q.open_only:
        where.append(col(Dispute.status).in_(sorted(OPEN_STATUSES)))
    if q.risk is not None:
        where.append(col(Dispute.risk) == q.risk)
    if q.category is not None:
        where.append(col(Dispute.category) == q.category)
    if q.date_from is not None:
        where.append(col(Dispute.reported_on) >= q.date_from)
    if q.date_to is not None:
        where.append(col(Dispute.reported_on) <= q.date_to)
    if q.date_from and q.date_to and q.date_from > q.date_to:
        where.append(false())
    if q.needs_action:
        where.append(needs_action_condition(rules, today))
    text = _text_condition(q.text)
    if text is not None:
        where.append(text)
    return where


_Assignee = aliased(Staff)
ORDER: tuple[Any, Any] = (col(Dispute.reported_on).desc(), col(Dispute.id).desc())


def select_rows(session: Session, q: DisputeQuery, rules: DisputeRules, today: date) -> Any:
    """The list's statement without paging (exposed so tests can read its plan)."""
    return (
        sa.select(
            Dispute,
            col(Grid.name).label("grid_name"),
            col(_Assignee.name).label("assignee_name"),
        )
        .join(Grid, col(Grid.id) == col(Dispute.grid_id))
        .outerjoin(_Assignee, col(_Assignee.id) == col(Dispute.assignee_id))
        .where(*conditions(session, q, rules, today))
        .order_by(*ORDER)
    )


def party_names(session: Session, dispute_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Party names of each dispute in registration order."""
    names: dict[int, list[str]] = {}
    ids = list(dispute_ids)
    if not ids:
        return {}
    for dispute_id, name in session.exec(
        select(DisputeParty.dispute_id, DisputeParty.name)
        .where(col(DisputeParty.dispute_id).in_(ids))
        .order_by(col(DisputeParty.dispute_id), col(DisputeParty.id))
    ).all():
        names.setdefault(dispute_id, []).append(name)
    return {key: tuple(value) for key, value in names.items()}


def _rows(session: Session, found: list[Any], rules: DisputeRules, today: date) -> list[DisputeRow]:
    parties = party_names(session, [row[0].id for row in found])
    rows = []
    for dispute, grid_name, assignee_name in found:
        rows.append(
            DisputeRow(
                id=dispute.id,
                number=dispute.number,
                reported_on=dispute.reported_on,
                category=dispute.category,
                parties=parties.get(dispute.id, ()),
                grid_id=dispute.grid_id,
                grid_name=grid_name,
                risk=dispute.risk,
                status=dispute.status,
                next_action=dispute_rules.next_action(dispute.status, dispute.due_on),
                deadline_state=dispute_rules.deadline_state(rules, dispute.due_on, today),
                due_on=dispute.due_on,
                assignee_name=assignee_name or "",
                version=dispute.version,
            )
        )
    return rows


def count(ctx: ServiceContext, q: DisputeQuery) -> int:
    """How many disputes the list ``q`` holds."""
    today = ctx.clock.today()
    with ctx.read() as session:
        rules = dispute_rules.load(session)
        statement = sa.select(sa.func.count()).select_from(Dispute)
        statement = statement.where(*conditions(session, q, rules, today))
        return int(session.execute(statement).scalar_one())


def window(ctx: ServiceContext, q: DisputeQuery, offset: int, limit: int) -> list[DisputeRow]:
    """``limit`` rows starting at position ``offset`` of the list (a scrollbar jump)."""
    today = ctx.clock.today()
    with ctx.read() as session:
        rules = dispute_rules.load(session)
        statement = select_rows(session, q, rules, today)
        statement = statement.offset(max(0, offset)).limit(clamp_page_size(limit))
        return _rows(session, list(session.execute(statement).all()), rules, today)


def page_after(
    ctx: ServiceContext,
    q: DisputeQuery,
    after: tuple[object, ...] | None,
    size: int = DEFAULT_PAGE_SIZE,
) -> Page[DisputeRow]:
    """The ``size`` rows after the cursor ``after`` (None: the first page)."""
    size = clamp_page_size(size)
    today = ctx.clock.today()
    with ctx.read() as session:
        rules = dispute_rules.load(session)
        statement = select_rows(session, q, rules, today)
        if after is not None:
            statement = statement.where(
                sa.tuple_(col(Dispute.reported_on), col(Dispute.id)) < sa.tuple_(*after)
            )
        found = list(session.execute(statement.limit(size + 1)).all())
        rows = _rows(session, found[:size], rules, today)
    return Page(rows, rows[-1].cursor if len(found) > size and rows else None)


def search(ctx: ServiceContext, text: str, limit: int = 20) -> list[DisputeRow]:
    """Disputes matching ``text`` for the command palette; nothing for an empty text."""
    if parse_search(text)[0] is SearchKind.ALL:
        return []
    return list(page_after(ctx, DisputeQuery(text=text), None, limit).rows)


# --- one dispute -------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyRow:
    """A party as the card shows it; ID and phone are masked."""

    id: int
    resident_id: int | None
    name: str
    role: str
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


def _history(
    events: list[EventRow], sessions: list[MediationRow], follow_ups: list[FollowUpRow]
) -> tuple[HistoryItem, ...]:
    items: list[tuple[tuple[object, ...], HistoryItem]] = []
    for event in events:
        if event.from_status is None:
            text = _("Registered")
        else:
            text = _("{old} → {new}: {reason}").format(
                old=dispute_rules.label(event.from_status),
                new=dispute_rules.label(event.to_status),
                reason=event.reason,
            )
        items.append(
            (
                (event.at.date(), 1, event.at, event.id),
                HistoryItem(event.at.date(), HistoryKind.STATUS, text, event.id),
            )
        )
    for row in sessions:
        text = _("Mediation ({method}) at {place} by {mediators}: {result}").format(
            method=dispute_rules.label(row.method),
            place=row.place or "-",
            mediators=row.mediators or "-",
            result=dispute_rules.label(row.result),
        )
        if row.agreement:
            text += " — " + row.agreement
        # A session comes before the move it caused on the same day.
        items.append(
            (
                (row.held_on, 0, row.id),
                HistoryItem(row.held_on, HistoryKind.MEDIATION, text, row.id),
            )
        )
    for follow_up in follow_ups:
        if follow_up.done_on is None:
            continue
        text = _("Follow-up: {outcome}, satisfaction {n}/5").format(
            outcome=dispute_rules.label(follow_up.outcome), n=follow_up.satisfaction or "-"
        )
        if follow_up.notes:
            text += " — " + follow_up.notes
        items.append(
            (
                (follow_up.done_on, 0, follow_up.id),
                HistoryItem(follow_up.done_on, HistoryKind.FOLLOW_UP, text, follow_up.id),
            )
        )
    items.sort(key=lambda item: item[0])
    return tuple(item for _key, item in items)


def card(ctx: ServiceContext, dispute_id: int) -> DisputeCard:
    """Everything about one dispute for its card."""
    today = ctx.clock.today()
    with ctx.read() as session:
        dispute = session.get(Dispute, dispute_id)
        if dispute is None:
            raise NotFound(_("no dispute with number {id}").format(id=dispute_id))
        rules = dispute_rules.load(session)
        grid = session.get(Grid, dispute.grid_id)
        assert grid is not None
        ancestor_ids = [int(part) for part in grid.path.strip("/").split("/") if part]
        names = dict(
            session.exec(select(Grid.id, Grid.name).where(col(Grid.id).in_(ancestor_ids))).all()
        )
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
                p.id or 0, p.resident_id, p.name, p.role, mask_phone(p.phone), mask_id(p.id_number)
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
    return DisputeCard(
        id=dispute_id,
        number=dispute.number,
        category=dispute.category,
        description=dispute.description,
        grid_id=dispute.grid_id,
        grid_code=grid.code,
        grid_name=grid.name,
        grid_path_names=tuple(names.get(i, "") for i in ancestor_ids),
        source=dispute.source,
        reported_on=dispute.reported_on,
        risk=dispute.risk,
        risk_reasons=dispute_rules.parse_reasons(dispute.risk_reasons),
        status=status,
        status_since=dispute.status_since,
        due_on=dispute.due_on,
        deadline_state=dispute_rules.deadline_state(rules, dispute.due_on, today),
        next_action=dispute_rules.next_action(status, dispute.due_on),
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
