"""The dispute ledger (台账) as lists: filters, search, pages and counts.

Lists are newest first, ordered by (reported_on, id) descending: ``page_after`` walks them by
keyset, ``window`` jumps to an offset for a scrollbar (and reads the last rows, ``end``,
backwards with no skipping), ``count`` sizes it, once per filter until something changes.
Party names of a page are read in one more query for the page's ids only.

Search: a number piece (``JF-2022-0012``, ``0012``) matches the number; hanzi match a piece of
a party's name; letters match the start of a party's pinyin initials or full pinyin
(``zm``, ``zhang``) as index ranges on ``dispute_party``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import sqlalchemy as sa
from sqlalchemy import ColumnElement, false, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from policeroom.i18n import N_, _, current_language
from policeroom.labels import label, register
from policeroom.models.disputes import (
    OPEN_STATUSES,
    Dispute,
    DisputeCategory,
    DisputeParty,
    DisputeStatus,
    FollowUp,
    MediationSession,
    PartyRole,
    RiskGrade,
)
from policeroom.models.formats import InvalidValue, check_text
from policeroom.models.org import Grid, Staff
from policeroom.services.core import audit, files, redact, scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.core.name_keys import prefix_upper_bound
from policeroom.services.core.paging import (
    DEFAULT_PAGE_SIZE,
    CountCache,
    Page,
    change_stamp,
    clamp_page_size,
)
from policeroom.services.disputes import rules as dispute_rules
from policeroom.services.disputes.card import (
    PARTY_SEPARATOR,
    DisputeCard,
    EventRow,
    FollowUpRow,
    HistoryItem,
    HistoryKind,
    MediationRow,
    PartyRow,
    card,
)
from policeroom.services.disputes.rules import DeadlineState, DisputeRules
from policeroom.services.org import tree

__all__ = [
    "DisputeCard",
    "DisputeQuery",
    "DisputeRow",
    "EventRow",
    "FollowUpRow",
    "HistoryItem",
    "HistoryKind",
    "MediationRow",
    "PartyRow",
    "card",
    "count",
    "page_after",
    "paper_ledger",
    "LedgerTotals",
    "PaperLedger",
    "export_csv",
    "export_xlsx",
    "search",
    "totals",
    "window",
]


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
    # open and past their deadline today: the statistics' "overdue"
    overdue_only: bool = False


@dataclass(frozen=True)
class DisputeRow:
    """One line of the ledger list; labels come from ``policeroom.labels``."""

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


register(
    SearchKind,
    {
        SearchKind.ALL: N_("everything"),
        SearchKind.NUMBER: N_("dispute number"),
        SearchKind.HANZI: N_("party name"),
        SearchKind.LETTERS: N_("party pinyin"),
    },
)


_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"(JF)?[-\d]*\d[-\d]*", re.IGNORECASE)


def parse_search(text: str) -> tuple[SearchKind, str]:
    """Which kind of search ``text`` is, and its normalised key.

    A hidden control character (a NUL ends the text for SQLite's LIKE, so it matched every
    dispute) is refused with the field named, by the rule every form and fixture uses.
    """
    try:
        check_text(text or "")
    except InvalidValue as error:
        raise ValidationError.single("text", str(error)) from error
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
    soon = today + timedelta(days=limits.due_soon)
    return or_(
        col(Dispute.status).in_(sorted(OPEN_STATUSES)) & (col(Dispute.due_on) <= soon),
        (col(Dispute.status) == DisputeStatus.RESOLVED)
        & col(Dispute.id).in_(
            select(FollowUp.dispute_id).where(
                col(FollowUp.done_on).is_(None), col(FollowUp.due_on) <= soon
            )
        ),
        (col(Dispute.risk) == RiskGrade.HIGH)
        & col(Dispute.status).in_([DisputeStatus.REGISTERED, DisputeStatus.INVESTIGATING])
        & (col(Dispute.reported_on) < today - timedelta(days=limits.high_risk_to_mediation)),
        col(Dispute.status).in_(sorted(OPEN_STATUSES))
        & (col(Dispute.reported_on) < today - timedelta(days=limits.open_too_long)),
    )


def grid_condition(session: Session, grid_id: int) -> ColumnElement[bool]:
    """Disputes in the grid ``grid_id`` or any grid under it; NotFound for an unknown grid."""
    tree.require(session, grid_id)
    return col(Dispute.grid_id).in_(tree.subtree_ids(grid_id))


def conditions(
    session: Session,
    q: DisputeQuery,
    rules: DisputeRules,
    today: date,
    ctx: ServiceContext | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the list ``q`` (shared with exports and totals); with
    ``ctx``, only the disputes of the actor's police rooms."""
    where: list[ColumnElement[bool]] = []
    if ctx is not None and not scope.everywhere(ctx.actor):
        where.append(scope.grids_clause(ctx, Dispute.grid_id))
    if q.grid_id is not None:
        where.append(grid_condition(session, q.grid_id))
    if q.status is not None:
        where.append(col(Dispute.status) == q.status)
    if q.open_only or q.overdue_only:
        where.append(col(Dispute.status).in_(sorted(OPEN_STATUSES)))
    if q.overdue_only:
        where.append(col(Dispute.due_on) < today)
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
_KEY = sa.tuple_(col(Dispute.reported_on), col(Dispute.id))


def select_rows(
    session: Session,
    q: DisputeQuery,
    rules: DisputeRules,
    today: date,
    ctx: ServiceContext | None = None,
) -> Any:
    """The list's statement without paging (exposed so tests can read its plan)."""
    return (
        sa.select(
            Dispute,
            col(Grid.name).label("grid_name"),
            col(_Assignee.name).label("assignee_name"),
        )
        .join(Grid, col(Grid.id) == col(Dispute.grid_id))
        .outerjoin(_Assignee, col(_Assignee.id) == col(Dispute.assignee_id))
        .where(*conditions(session, q, rules, today, ctx))
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


def parties_with_roles(session: Session, dispute_ids: Iterable[int]) -> dict[int, str]:
    """Each dispute's parties for the paper ledger: ``赵丽（申请人）、张建军（被申请人）``."""
    found: dict[int, list[str]] = {}
    ids = list(dispute_ids)
    if not ids:
        return {}
    for dispute_id, name, role in session.exec(
        select(DisputeParty.dispute_id, DisputeParty.name, DisputeParty.role)
        .where(col(DisputeParty.dispute_id).in_(ids))
        .order_by(col(DisputeParty.dispute_id), col(DisputeParty.id))
    ).all():
        found.setdefault(dispute_id, []).append(
            _("{name} ({role})").format(name=name, role=label(PartyRole(role)))
        )
    return {key: PARTY_SEPARATOR.join(value) for key, value in found.items()}


def next_follow_ups(session: Session, dispute_ids: Iterable[int]) -> dict[int, date]:
    """The earliest follow-up not yet done of each dispute that has one."""
    ids = list(dispute_ids)
    if not ids:
        return {}
    return {
        dispute_id: due_on
        for dispute_id, due_on in session.execute(
            sa.select(col(FollowUp.dispute_id), sa.func.min(FollowUp.due_on))
            .where(col(FollowUp.dispute_id).in_(ids), col(FollowUp.done_on).is_(None))
            .group_by(col(FollowUp.dispute_id))
        ).all()
    }


def _rows(session: Session, found: list[Any], rules: DisputeRules, today: date) -> list[DisputeRow]:
    parties = party_names(session, [row[0].id for row in found])
    pending = next_follow_ups(
        session, [row[0].id for row in found if row[0].status is DisputeStatus.RESOLVED]
    )
    rows = []
    for dispute, grid_name, assignee_name in found:
        due_on = dispute_rules.effective_due_on(
            dispute.status, dispute.due_on, pending.get(dispute.id)
        )
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
                next_action=dispute_rules.next_action(dispute.status, due_on),
                deadline_state=dispute_rules.deadline_state(rules, due_on, today),
                due_on=due_on,
                assignee_name=assignee_name or "",
                version=dispute.version,
            )
        )
    return rows


# Counts of the lists shown, kept while no dispute has changed (``CountCache`` says why). A
# list's rows depend on the day (deadlines) and on whose rooms are seen, so both are in its key.
_COUNTS = CountCache()


def _count(
    session: Session, q: DisputeQuery, rules: DisputeRules, today: date, ctx: ServiceContext
) -> int:
    stamp = change_stamp(session, col(Dispute.id))
    engine = session.get_bind()
    assert isinstance(engine, sa.Engine)
    key = (q, today, ctx.actor)
    known = _COUNTS.get(engine, key, stamp)
    if known is not None:
        return known
    statement = sa.select(sa.func.count()).select_from(Dispute)
    statement = statement.where(*conditions(session, q, rules, today, ctx))
    total = int(session.execute(statement).scalar_one())
    _COUNTS.put(engine, key, stamp, total)
    return total


def count(ctx: ServiceContext, q: DisputeQuery) -> int:
    """How many disputes the list ``q`` holds (counted once per filter until a change)."""
    today = ctx.clock.today()
    with ctx.read() as session:
        return _count(session, q, dispute_rules.load(session), today, ctx)


def window(ctx: ServiceContext, q: DisputeQuery, offset: int, limit: int) -> list[DisputeRow]:
    """``limit`` rows starting at position ``offset`` of the list (a scrollbar jump).

    The row at ``offset`` is found on the (reported_on, id) index alone, then one keyset
    page is read from it: ``OFFSET`` over joined rows reads every skipped row in full. The
    last rows (``end``) are read backwards from the list's end with no skipping at all.
    """
    limit = clamp_page_size(limit)
    today = ctx.clock.today()
    with ctx.read() as session:
        rules = dispute_rules.load(session)
        statement = select_rows(session, q, rules, today, ctx)
        if offset > 0:
            total = _count(session, q, rules, today, ctx)
            if offset >= total:
                return []
            if offset + limit >= total:
                oldest_first = statement.order_by(None).order_by(*_KEY.clauses)
                found = list(session.execute(oldest_first.limit(total - offset)).all())
                return _rows(session, found[::-1], rules, today)
            start = session.execute(
                sa.select(col(Dispute.reported_on), col(Dispute.id))
                .where(*conditions(session, q, rules, today, ctx))
                .order_by(*ORDER)
                .offset(offset)
                .limit(1)
            ).first()
            if start is None:
                return []
            statement = statement.where(_KEY <= sa.tuple_(*start))
        statement = statement.limit(limit)
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
        statement = select_rows(session, q, rules, today, ctx)
        if after is not None:
            statement = statement.where(_KEY < sa.tuple_(*after))
        found = list(session.execute(statement.limit(size + 1)).all())
        rows = _rows(session, found[:size], rules, today)
    return Page(rows, rows[-1].cursor if len(found) > size and rows else None)


def search(ctx: ServiceContext, text: str, limit: int = 20) -> list[DisputeRow]:
    """Disputes matching ``text`` for the command palette; nothing for an empty text."""
    if parse_search(text)[0] is SearchKind.ALL:
        return []
    return list(page_after(ctx, DisputeQuery(text=text), None, limit).rows)


# --- totals and the paper ledger ---------------------------------------------------------


@dataclass(frozen=True)
class LedgerTotals:
    """Counts of a ledger by status and by category; every value is listed, zeros too."""

    total: int
    by_status: tuple[tuple[DisputeStatus, int], ...]
    by_category: tuple[tuple[DisputeCategory, int], ...]


def totals_of(
    session: Session,
    q: DisputeQuery,
    rules: DisputeRules,
    today: date,
    ctx: ServiceContext | None = None,
) -> LedgerTotals:
    """The totals of the list ``q`` (what an export of ``q`` prints under the rows)."""
    where = conditions(session, q, rules, today, ctx)
    by_status = dict(
        session.execute(
            sa.select(col(Dispute.status), sa.func.count())
            .where(*where)
            .group_by(col(Dispute.status))
        ).all()
    )
    by_category = dict(
        session.execute(
            sa.select(col(Dispute.category), sa.func.count())
            .where(*where)
            .group_by(col(Dispute.category))
        ).all()
    )
    return LedgerTotals(
        total=sum(by_status.values()),
        by_status=tuple((s, by_status.get(s, 0)) for s in DisputeStatus),
        by_category=tuple((c, by_category.get(c, 0)) for c in DisputeCategory),
    )


def totals(ctx: ServiceContext, q: DisputeQuery) -> LedgerTotals:
    """The totals of the list ``q`` (what an export of ``q`` prints under the rows)."""
    with ctx.read() as session:
        return totals_of(session, q, dispute_rules.load(session), ctx.clock.today(), ctx)


# The columns of the paper ledger (矛盾纠纷排查化解台账), English and Chinese.
LEDGER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("No.", "序号"),
    ("Number", "编号"),
    ("Reported on", "登记日期"),
    ("Category", "类别"),
    ("Parties", "当事人"),
    ("Grid", "所属网格"),
    ("Source", "来源"),
    ("Summary", "纠纷简要情况"),
    ("Risk", "风险等级"),
    ("Mediation", "调解情况"),
    ("Status", "状态"),
    ("Resolved on", "化解日期"),
    ("Follow-ups", "回访情况"),
    ("Officer", "责任民警"),
    ("Leader", "包案领导"),
)
TOTALS_WORDS = {
    "en": ("Totals", "By status", "By category", "Total", "Ledger"),
    "zh": ("合计", "按状态", "按类别", "合计", "台账"),
}
EXPORT_BATCH = 500


def totals_words() -> tuple[str, ...]:
    """Totals, By status, By category, Total, Ledger — in the user's language."""
    return TOTALS_WORDS["zh" if current_language() == "zh" else "en"]


def ledger_headers() -> list[str]:
    """The column headers in the user's language."""
    index = 1 if current_language() == "zh" else 0
    return [pair[index] for pair in LEDGER_COLUMNS]


def _mediation_text(sessions: list[Any]) -> str:
    parts = []
    for found in sessions:
        text = f"{found.held_on.isoformat()} {label(found.method)} "
        text += f"{found.mediators}：{label(found.result)}"
        if found.agreement:
            text += f"（{found.agreement}）"
        if found.document_name:
            # The ledger entry points at the agreement the parties signed.
            text += " " + _("agreement document {name}").format(name=found.document_name)
        parts.append(text)
    return "；".join(parts)


def _follow_up_text(follow_ups: list[Any]) -> str:
    parts = []
    for found in follow_ups:
        if found.done_on is None:
            parts.append(_("{date} due").format(date=found.due_on.isoformat()))
        else:
            parts.append(
                _("{date} {outcome}, satisfaction {n}").format(
                    date=found.done_on.isoformat(),
                    outcome=label(found.outcome),
                    n=found.satisfaction or "-",
                )
            )
    return "；".join(parts)


def _by_dispute(session: Session, statement: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in session.execute(statement).all():
        grouped.setdefault(row.dispute_id, []).append(row)
    return grouped


_EXPORT_COLUMNS = tuple(
    col(getattr(Dispute, name))
    for name in (
        "id",
        "number",
        "reported_on",
        "category",
        "source",
        "description",
        "risk",
        "status",
        "resolved_on",
    )
)


def rows_of(
    session: Session,
    q: DisputeQuery,
    rules: DisputeRules,
    today: date,
    ctx: ServiceContext | None = None,
) -> Iterator[list[str]]:
    """The paper ledger's rows of ``q``, oldest first, read a batch at a time.

    Plain column rows rather than ORM objects: building 50,000 entities took most of an
    export's time.
    """
    leader = aliased(Staff)
    position = 0
    after: tuple[date, int] | None = None
    where = conditions(session, q, rules, today, ctx)
    while True:
        statement = (
            sa.select(
                *_EXPORT_COLUMNS,
                col(Grid.name).label("grid_name"),
                col(_Assignee.name).label("assignee_name"),
                col(leader.name).label("leader_name"),
            )
            .join(Grid, col(Grid.id) == col(Dispute.grid_id))
            .outerjoin(_Assignee, col(_Assignee.id) == col(Dispute.assignee_id))
            .outerjoin(leader, col(leader.id) == col(Dispute.leader_id))
            .where(*where)
            .order_by(col(Dispute.reported_on), col(Dispute.id))
            .limit(EXPORT_BATCH)
        )
        if after is not None:
            statement = statement.where(_KEY > sa.tuple_(*after))
        batch = list(session.execute(statement).all())
        ids = [row.id for row in batch]
        parties = parties_with_roles(session, ids)
        sessions = _by_dispute(
            session,
            sa.select(
                col(MediationSession.dispute_id),
                col(MediationSession.held_on),
                col(MediationSession.method),
                col(MediationSession.mediators),
                col(MediationSession.result),
                col(MediationSession.agreement),
                col(MediationSession.document_name),
            )
            .where(col(MediationSession.dispute_id).in_(ids))
            .order_by(col(MediationSession.held_on), col(MediationSession.id)),
        )
        follow_ups = _by_dispute(
            session,
            sa.select(
                col(FollowUp.dispute_id),
                col(FollowUp.due_on),
                col(FollowUp.done_on),
                col(FollowUp.outcome),
                col(FollowUp.satisfaction),
            )
            .where(col(FollowUp.dispute_id).in_(ids))
            .order_by(col(FollowUp.due_on), col(FollowUp.id)),
        )
        for row in batch:
            position += 1
            yield [
                str(position),
                row.number,
                row.reported_on.isoformat(),
                label(row.category),
                parties.get(row.id, ""),
                row.grid_name,
                label(row.source),
                # A paper ledger leaves the database: a phone or ID number typed into the
                # free text is masked there, as on every export (names are its purpose).
                redact.redact(row.description),
                label(row.risk),
                redact.redact(_mediation_text(sessions.get(row.id, []))),
                label(row.status),
                row.resolved_on.isoformat() if row.resolved_on else "",
                redact.redact(_follow_up_text(follow_ups.get(row.id, []))),
                row.assignee_name or "",
                row.leader_name or "",
            ]
        if len(batch) < EXPORT_BATCH:
            return
        after = (batch[-1].reported_on, batch[-1].id)


@dataclass(frozen=True)
class PaperLedger:
    """The paper ledger of one list read in one snapshot: its totals, and its rows read a
    batch at a time as they are iterated (inside ``paper_ledger``'s ``with``)."""

    totals: LedgerTotals
    rows: Iterator[list[str]]


@contextmanager
def paper_ledger(ctx: ServiceContext, q: DisputeQuery) -> Iterator[PaperLedger]:
    """The rows and totals of the list ``q``, which agree: a dispute registered while they
    are read is in neither."""
    today = ctx.clock.today()
    with ctx.read() as session:
        rules = dispute_rules.load(session)
        yield PaperLedger(
            totals_of(session, q, rules, today, ctx), rows_of(session, q, rules, today, ctx)
        )


def ledger_rows(ctx: ServiceContext, q: DisputeQuery) -> Iterator[list[str]]:
    """The paper ledger's rows of ``q``, oldest first, in one read."""
    with paper_ledger(ctx, q) as paper:
        yield from paper.rows


def export_csv(ctx: ServiceContext, target: Path | TextIO, q: DisputeQuery | None = None) -> int:
    """Write the ledger of ``q`` as CSV: the header, then one row per dispute and nothing
    else (totals are ``totals``). A path gets UTF-8 with a BOM so Excel reads the Chinese.
    Returns the number of disputes written."""
    query = q or DisputeQuery()
    if isinstance(target, Path):
        target = files.check_writable(ctx, target)
        with target.open("w", encoding="utf-8-sig", newline="") as stream:
            written = _write_csv(ctx, stream, query)
    else:
        written = _write_csv(ctx, target, query)
    # Party names are personal data: who took the ledger, how much of it, and where to.
    audit.record_export(ctx, "dispute_ledger", written, audit.target_name(target))
    return written


def _write_csv(ctx: ServiceContext, stream: TextIO, q: DisputeQuery) -> int:
    writer = csv.writer(stream)
    writer.writerow(ledger_headers())
    written = 0
    with ctx.read() as session:
        for row in rows_of(session, q, dispute_rules.load(session), ctx.clock.today(), ctx):
            writer.writerow(row)
            written += 1
    return written


_COLUMN_WIDTHS = (6, 14, 12, 10, 18, 14, 10, 40, 8, 40, 10, 12, 30, 10, 10)


def export_xlsx(ctx: ServiceContext, target: Path | BinaryIO, q: DisputeQuery | None = None) -> int:
    """Write the ledger of ``q`` as an XLSX workbook: the ledger sheet, then a totals sheet
    by status and by category. Returns the number of disputes written."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    query = q or DisputeQuery()
    if isinstance(target, Path):
        target = files.check_writable(ctx, target)
    totals_word, by_status, by_category, total_word, ledger_word = totals_words()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ledger_word)
    for index, width in enumerate(_COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(ledger_headers())
    written = 0
    with paper_ledger(ctx, query) as paper:
        for row in paper.rows:
            # The running number as a number, so a spreadsheet sorts and sums it.
            sheet.append([int(row[0]), *row[1:]])
            written += 1
    summary = paper.totals
    sums = workbook.create_sheet(totals_word)
    sums.column_dimensions["A"].width = 20
    sums.append([by_status, ""])
    for status, number in summary.by_status:
        sums.append([label(status), number])
    sums.append([])
    sums.append([by_category, ""])
    for category, number in summary.by_category:
        sums.append([label(category), number])
    sums.append([])
    sums.append([total_word, summary.total])
    workbook.save(target)
    audit.record_export(ctx, "dispute_ledger", written, audit.target_name(target))
    return written
