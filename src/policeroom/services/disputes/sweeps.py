"""The weekly sweep (排查): each police room confirms that its grids were swept for disputes,
with the number found or an explicit nil report (零报告). Weeks start on Monday."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction
from policeroom.models.disputes import SweepReport, SweepReportBase
from policeroom.models.org import Grid, PoliceRoom
from policeroom.services.core import audit, scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound
from policeroom.services.core.fields import Problems
from policeroom.services.org import tree


@dataclass(frozen=True)
class SweepRow:
    id: int
    police_room_id: int
    police_room_name: str
    week_start: date
    disputes_found: int
    nil_report: bool
    confirmed_by: str
    confirmed_at: datetime
    notes: str


@dataclass(frozen=True)
class RoomBrief:
    id: int
    code: str
    name: str


def week_start_of(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def last_completed_week(today: date) -> date:
    """The Monday of the last week that has fully passed (the one a sweep is due for)."""
    return week_start_of(today) - timedelta(days=7)


def _row(report: SweepReport, room_name: str) -> SweepRow:
    assert report.id is not None
    return SweepRow(
        report.id,
        report.police_room_id,
        room_name,
        report.week_start,
        report.disputes_found,
        report.nil_report,
        report.confirmed_by,
        report.confirmed_at,
        report.notes,
    )


def confirm_sweep(
    ctx: ServiceContext,
    police_room_id: int,
    week_start: date,
    *,
    disputes_found: int = 0,
    nil_report: bool = False,
    notes: str = "",
) -> SweepRow:
    """Confirm the sweep of one week: ``disputes_found`` > 0, or ``nil_report`` — not both."""
    ctx.require_write()
    today = ctx.clock.today()
    with ctx.transaction() as session:
        problems = Problems()
        room = problems.reference(
            session, "police_room_id", PoliceRoom, police_room_id, _("police room")
        )
        if week_start.weekday() != 0:
            problems.add(
                "week_start",
                _("a week starts on a Monday; {d} is not one").format(d=week_start.isoformat()),
            )
        elif week_start > today:
            problems.add("week_start", _("the week has not begun yet"))
        fields = problems.checked(
            SweepReportBase,
            {"disputes_found": disputes_found, "nil_report": nil_report, "notes": notes},
        )
        if nil_report and disputes_found > 0:
            problems.add(
                "nil_report",
                _("a nil report means no disputes were found, but {n} were").format(
                    n=disputes_found
                ),
            )
        if not nil_report and disputes_found == 0:
            problems.add(
                "disputes_found", _("give the number of disputes found, or make a nil report")
            )
        if room is not None:
            scope.require_room(session, ctx, police_room_id)
        if room is not None and not problems.has("week_start"):
            earlier = session.exec(
                select(SweepReport).where(
                    col(SweepReport.police_room_id) == police_room_id,
                    col(SweepReport.week_start) == week_start,
                )
            ).first()
            if earlier is not None:
                problems.add(
                    "week_start",
                    _("the week of {d} was already confirmed by {who} on {when}").format(
                        d=week_start.isoformat(),
                        who=earlier.confirmed_by,
                        when=earlier.confirmed_at.date().isoformat(),
                    ),
                )
        problems.raise_if_any(_("weekly sweep"))
        assert fields is not None
        report = SweepReport.model_validate(
            fields,
            update={
                "police_room_id": police_room_id,
                "week_start": week_start,
                "confirmed_by": ctx.actor.login,
                "confirmed_at": ctx.clock.now(),
            },
        )
        session.add(report)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.CREATE,
            "sweep_report",
            report.id,
            None,
            audit.snapshot(report),
        )
        return _row(report, room.name)


def of_room(ctx: ServiceContext, police_room_id: int, limit: int = 12) -> list[SweepRow]:
    """The newest ``limit`` sweeps of one room."""
    with ctx.read() as session:
        room = session.get(PoliceRoom, police_room_id)
        if room is None or not scope.sees_room(session, ctx, police_room_id):
            raise NotFound(_("no police room with number {id}").format(id=police_room_id))
        reports = session.exec(
            select(SweepReport)
            .where(col(SweepReport.police_room_id) == police_room_id)
            .order_by(col(SweepReport.week_start).desc())
            .limit(limit)
        ).all()
        return [_row(report, room.name) for report in reports]


def rooms_condition(session: Session, grid_id: int | None) -> ColumnElement[bool] | None:
    """Police rooms answering for the grid ``grid_id``: rooms of a grid in its subtree or of
    one of its ancestors (a level-3 grid's room is usually on its village)."""
    if grid_id is None:
        return None
    tree.require(session, grid_id)
    rooms = select(Grid.police_room_id).where(
        or_(tree.subtree_condition(grid_id), tree.lineage_condition(grid_id)),
        col(Grid.police_room_id).is_not(None),
    )
    return col(PoliceRoom.id).in_(rooms)


def missing(
    session: Session, week_start: date, grid_id: int | None, ctx: ServiceContext | None = None
) -> list[RoomBrief]:
    """Rooms in scope with no sweep confirmed for the week of ``week_start`` (with ``ctx``,
    of the actor's police rooms)."""
    statement = (
        select(PoliceRoom.id, PoliceRoom.code, PoliceRoom.name)
        .where(
            ~col(PoliceRoom.id).in_(
                select(SweepReport.police_room_id).where(col(SweepReport.week_start) == week_start)
            ),
        )
        .order_by(col(PoliceRoom.code))
    )
    area = rooms_condition(session, grid_id)
    if area is not None:
        statement = statement.where(area)
    if ctx is not None:
        statement = statement.where(scope.rooms_clause(ctx, PoliceRoom.id))
    return [
        RoomBrief(room_id, code, name)
        for room_id, code, name in session.exec(statement).all()
        if room_id is not None
    ]


def missing_rooms(ctx: ServiceContext, grid_id: int | None = None) -> tuple[date, list[RoomBrief]]:
    """The last completed week and the rooms in scope that have not confirmed its sweep."""
    week = last_completed_week(ctx.clock.today())
    with ctx.read() as session:
        return week, missing(session, week, grid_id, ctx)
