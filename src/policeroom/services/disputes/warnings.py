"""Early warning (预警): everything in the ledger that needs action now, each saying why.

Kinds, most urgent first: a high-risk dispute not in mediation within a day of its report;
an open dispute past (or near) its deadline; a follow-up past (or near) its due date; the
same party (same resident, or same ID number) in another dispute reported within 90 days; a
dispute open longer than the limit; a police room that has not confirmed its sweep of the
last completed week. Limits come from ``dispute_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from policeroom.i18n import N_, _
from policeroom.labels import register
from policeroom.models.disputes import (
    OPEN_STATUSES,
    Dispute,
    DisputeParty,
    DisputeStatus,
    FollowUp,
    RiskGrade,
)
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.paging import MAX_PAGE_SIZE
from policeroom.services.disputes import ledger, sweeps
from policeroom.services.disputes.rules import DisputeRules, load


class WarningKind(StrEnum):
    HIGH_RISK_NOT_MEDIATING = "high_risk_not_mediating"
    DEADLINE = "deadline"
    FOLLOW_UP_OVERDUE = "follow_up_overdue"
    REPEATED_PARTIES = "repeated_parties"
    OPEN_TOO_LONG = "open_too_long"
    MISSING_SWEEP = "missing_sweep"


register(
    WarningKind,
    {
        WarningKind.HIGH_RISK_NOT_MEDIATING: N_("High risk"),
        WarningKind.DEADLINE: N_("Deadline"),
        WarningKind.FOLLOW_UP_OVERDUE: N_("Follow-up"),
        WarningKind.REPEATED_PARTIES: N_("Repeat"),
        WarningKind.OPEN_TOO_LONG: N_("Open long"),
        WarningKind.MISSING_SWEEP: N_("No sweep"),
    },
)


@dataclass(frozen=True)
class EarlyWarning:
    """One warning; ``dispute_id`` (or ``police_room_id`` for a sweep) is where to jump.

    ``on`` is the date the warning counts from: the report date, the follow-up's due date,
    the other dispute's report date, or the Monday of the week not swept.
    """

    kind: WarningKind
    dispute_id: int | None
    police_room_id: int | None
    message: str
    number: str = ""
    on: date | None = None


_OPEN = sorted(OPEN_STATUSES)
_NOT_IN_MEDIATION = [DisputeStatus.REGISTERED, DisputeStatus.INVESTIGATING]


def _scope(
    session: Session, grid_id: int | None, ctx: ServiceContext | None = None
) -> list[ColumnElement[bool]]:
    where = [] if grid_id is None else [ledger.grid_condition(session, grid_id)]
    if ctx is not None and not core_scope.everywhere(ctx.actor):
        where.append(core_scope.grids_clause(ctx, Dispute.grid_id))
    return where


def _high_risk(scope: list[Any], rules: DisputeRules, today: date) -> Any:
    latest = today - timedelta(days=rules.limits.high_risk_to_mediation)
    return (
        select(col(Dispute.id), col(Dispute.number), col(Dispute.reported_on))
        .where(
            *scope,
            col(Dispute.risk) == RiskGrade.HIGH,
            col(Dispute.status).in_(_NOT_IN_MEDIATION),
            col(Dispute.reported_on) < latest,
        )
        .order_by(col(Dispute.reported_on), col(Dispute.id))
    )


def _deadline(scope: list[Any], rules: DisputeRules, today: date) -> Any:
    """Open disputes past their deadline or within ``due_soon`` days of it (as the ledger's
    "needs action" and the card's deadline state count them)."""
    soon = today + timedelta(days=rules.limits.due_soon)
    return (
        select(col(Dispute.id), col(Dispute.number), col(Dispute.due_on))
        .where(*scope, col(Dispute.status).in_(_OPEN), col(Dispute.due_on) <= soon)
        .order_by(col(Dispute.due_on), col(Dispute.id))
    )


def _follow_ups_overdue(scope: list[Any], rules: DisputeRules, today: date) -> Any:
    """Resolved disputes with a follow-up past its due date or within ``due_soon`` days."""
    soon = today + timedelta(days=rules.limits.due_soon)
    return (
        select(Dispute.id, Dispute.number, sa.func.min(FollowUp.due_on).label("due_on"))
        .join(FollowUp, col(FollowUp.dispute_id) == col(Dispute.id))
        .where(
            *scope,
            col(FollowUp.done_on).is_(None),
            col(FollowUp.due_on) <= soon,
            col(Dispute.status) == DisputeStatus.RESOLVED,
        )
        .group_by(col(Dispute.id), col(Dispute.number))
        .order_by(sa.func.min(FollowUp.due_on), col(Dispute.id))
    )


def _open_too_long(scope: list[Any], rules: DisputeRules, today: date) -> Any:
    return (
        select(col(Dispute.id), col(Dispute.number), col(Dispute.reported_on))
        .where(
            *scope,
            col(Dispute.status).in_(_OPEN),
            col(Dispute.reported_on) < today - timedelta(days=rules.limits.open_too_long),
        )
        .order_by(col(Dispute.reported_on), col(Dispute.id))
    )


@dataclass(frozen=True)
class _Repeat:
    dispute_id: int
    number: str
    party: str
    other_number: str
    other_reported_on: date


def _repeats(session: Session, scope: list[Any], rules: DisputeRules) -> list[_Repeat]:
    """Open disputes sharing a party with another dispute reported within the window.

    The pairs are few (parties rarely repeat), so the date window is applied here rather
    than in SQL, where date arithmetic differs between SQLite and PostgreSQL.
    """
    mine = aliased(DisputeParty)
    theirs = aliased(DisputeParty)
    other = aliased(Dispute)
    same_person = [
        and_(
            col(mine.resident_id).is_not(None),
            col(theirs.resident_id) == col(mine.resident_id),
        ),
        and_(col(mine.id_number) != "", col(theirs.id_number) == col(mine.id_number)),
    ]
    found: dict[int, _Repeat] = {}
    window = timedelta(days=rules.limits.repeat_window)
    for condition in same_person:
        statement = (
            sa.select(
                col(Dispute.id),
                col(Dispute.number),
                col(Dispute.reported_on),
                col(mine.name),
                col(other.number),
                col(other.reported_on),
            )
            .join(mine, col(mine.dispute_id) == col(Dispute.id))
            .join(theirs, and_(condition, col(theirs.dispute_id) != col(Dispute.id)))
            .join(other, col(other.id) == col(theirs.dispute_id))
            .where(*scope, col(Dispute.status).in_(_OPEN))
            .order_by(col(Dispute.id), col(other.reported_on).desc(), col(other.id).desc())
        )
        for dispute_id, number, reported_on, party, other_number, other_on in session.execute(
            statement
        ).all():
            if dispute_id is None or dispute_id in found:
                continue
            if abs(other_on - reported_on) <= window:
                found[dispute_id] = _Repeat(dispute_id, number, party, other_number, other_on)
    return sorted(found.values(), key=lambda repeat: repeat.dispute_id)


def _count(session: Session, statement: Any) -> int:
    return int(
        session.execute(sa.select(sa.func.count()).select_from(statement.subquery())).scalar_one()
    )


def count_in(
    session: Session,
    grid_id: int | None,
    today: date,
    ctx: ServiceContext | None = None,
    *,
    with_sweeps: bool = True,
) -> int:
    """How many early warnings there are on ``today`` for the grid ``grid_id`` and its
    subtree (None: all); with ``ctx``, in the actor's police rooms; without ``with_sweeps``, the
    disputes' warnings only (a grid's statistics figure)."""
    rules = load(session)
    scope = _scope(session, grid_id, ctx)
    total = _count(session, _high_risk(scope, rules, today))
    total += _count(session, _deadline(scope, rules, today))
    total += _count(session, _follow_ups_overdue(scope, rules, today))
    total += len(_repeats(session, scope, rules))
    total += _count(session, _open_too_long(scope, rules, today))
    if with_sweeps:
        total += len(sweeps.missing(session, sweeps.last_completed_week(today), grid_id, ctx))
    return total


def counts_by_grid(
    session: Session, today: date, grouping: Any = None, *, with_sweeps: bool = True
) -> tuple[dict[int | None, int], dict[int, int]]:
    """The warnings of ``count_in`` for the whole branch, split where they belong: dispute
    warnings by the dispute's grid, missing sweeps by police room (grouped in SQL).

    ``grouping`` (``reports.stats_grouping.Grouping``) keeps some grids' disputes only and
    may key them by the police room their grid answers to instead."""
    rules = load(session)
    scope = [] if grouping is None else grouping.where(col(Dispute.grid_id))

    def rollup(statement: Any) -> Any:
        return statement if grouping is None else grouping.rollup(statement)

    # Each kind a filtered count in one pass over the disputes (a dispute counts once per
    # kind, as in ``count_in``), the follow-ups due read once as a set of disputes: joining
    # each kind's listing query cost four statements, and on PostgreSQL before its first
    # ANALYZE a nested loop over every resolved dispute and every follow-up due (50 ms).
    soon = today + timedelta(days=rules.limits.due_soon)
    follow_ups_due = sa.select(col(FollowUp.dispute_id)).where(
        col(FollowUp.done_on).is_(None), col(FollowUp.due_on) <= soon
    )
    kinds = [
        _high_risk([], rules, today).whereclause,
        _deadline([], rules, today).whereclause,
        # by the disputes' ids the follow-ups name, not by status: SQLite, without table
        # statistics, would walk every resolved dispute (1,532 of 1,600) by the status
        # index, which ``coalesce`` keeps it from using (0.74 against 0.51 ms, branch)
        sa.and_(
            sa.func.coalesce(col(Dispute.status), "") == DisputeStatus.RESOLVED,
            col(Dispute.id).in_(follow_ups_due),
        ),
        _open_too_long([], rules, today).whereclause,
    ]
    number = sum((sa.func.count().filter(kind) for kind in kinds), sa.literal(0))
    by_grid: dict[int | None, int] = {}
    for key, found in session.connection().execute(
        rollup(
            sa.select(col(Dispute.grid_id), number)
            .where(*scope, sa.or_(*kinds))
            .group_by(col(Dispute.grid_id))
        )
    ):
        if found:
            by_grid[key] = by_grid.get(key, 0) + int(found)
    repeated = [repeat.dispute_id for repeat in _repeats(session, scope, rules)]
    if repeated:
        for key, number in session.connection().execute(
            rollup(
                sa.select(col(Dispute.grid_id), sa.func.count())
                .where(col(Dispute.id).in_(repeated))
                .group_by(col(Dispute.grid_id))
            )
        ):
            by_grid[key] = by_grid.get(key, 0) + int(number)
    if not with_sweeps:
        return by_grid, {}
    by_room = {
        room.id: 1 for room in sweeps.missing(session, sweeps.last_completed_week(today), None)
    }
    return by_grid, by_room


def count(ctx: ServiceContext, grid_id: int | None = None, *, with_sweeps: bool = True) -> int:
    """How many early warnings there are for the grid ``grid_id`` and its subtree (None: all);
    without ``with_sweeps``, the disputes' warnings only."""
    with ctx.read() as session:
        return count_in(session, grid_id, ctx.clock.today(), ctx, with_sweeps=with_sweeps)


def early_warnings(
    ctx: ServiceContext,
    grid_id: int | None = None,
    limit: int = MAX_PAGE_SIZE,
    *,
    with_sweeps: bool = True,
) -> list[EarlyWarning]:
    """The warnings for the grid ``grid_id`` and its subtree, most urgent kind first, at most
    ``limit`` of them (``count`` gives the total); without ``with_sweeps``, the disputes'
    warnings only."""
    today = ctx.clock.today()
    found: list[EarlyWarning] = []
    with ctx.read() as session:
        rules = load(session)
        scope = _scope(session, grid_id, ctx)
        for dispute_id, number, reported_on in session.exec(
            _high_risk(scope, rules, today).limit(limit)
        ).all():
            found.append(
                EarlyWarning(
                    WarningKind.HIGH_RISK_NOT_MEDIATING,
                    dispute_id,
                    None,
                    _("{number}: high risk, reported {date}, still not in mediation").format(
                        number=number, date=reported_on.isoformat()
                    ),
                    number,
                    reported_on,
                )
            )
        for dispute_id, number, due_on in session.exec(
            _deadline(scope, rules, today).limit(limit)
        ).all():
            if due_on < today:
                text = _("{number}: deadline {date} passed {days} days ago")
            elif due_on == today:
                text = _("{number}: deadline today, {date}")
            else:
                text = _("{number}: deadline {date}, {days} days left")
            days = abs((today - due_on).days)
            found.append(
                EarlyWarning(
                    WarningKind.DEADLINE,
                    dispute_id,
                    None,
                    text.format(number=number, date=due_on.isoformat(), days=days),
                    number,
                    due_on,
                )
            )
        for dispute_id, number, due_on in session.exec(
            _follow_ups_overdue(scope, rules, today).limit(limit)
        ).all():
            if due_on < today:
                text = _("{number}: follow-up due {date} is {days} days overdue")
            elif due_on == today:
                text = _("{number}: follow-up due today, {date}")
            else:
                text = _("{number}: follow-up due {date}, {days} days left")
            found.append(
                EarlyWarning(
                    WarningKind.FOLLOW_UP_OVERDUE,
                    dispute_id,
                    None,
                    text.format(
                        number=number, date=due_on.isoformat(), days=abs((today - due_on).days)
                    ),
                    number,
                    due_on,
                )
            )
        for repeat in _repeats(session, scope, rules)[:limit]:
            found.append(
                EarlyWarning(
                    WarningKind.REPEATED_PARTIES,
                    repeat.dispute_id,
                    None,
                    _("{number}: {party} is also a party to {other}, reported {date}").format(
                        number=repeat.number,
                        party=repeat.party,
                        other=repeat.other_number,
                        date=repeat.other_reported_on.isoformat(),
                    ),
                    repeat.number,
                    repeat.other_reported_on,
                )
            )
        for dispute_id, number, reported_on in session.exec(
            _open_too_long(scope, rules, today).limit(limit)
        ).all():
            found.append(
                EarlyWarning(
                    WarningKind.OPEN_TOO_LONG,
                    dispute_id,
                    None,
                    _("{number}: open for {days} days since {date} (limit {limit})").format(
                        number=number,
                        days=(today - reported_on).days,
                        date=reported_on.isoformat(),
                        limit=rules.limits.open_too_long,
                    ),
                    number,
                    reported_on,
                )
            )
        week = sweeps.last_completed_week(today)
        for room in sweeps.missing(session, week, grid_id, ctx) if with_sweeps else []:
            found.append(
                EarlyWarning(
                    WarningKind.MISSING_SWEEP,
                    None,
                    room.id,
                    _("{room}: no weekly sweep confirmed for the week of {date}").format(
                        room=room.name, date=week.isoformat()
                    ),
                    "",
                    week,
                )
            )
    return found[:limit]
