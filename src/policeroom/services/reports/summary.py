"""The summary report: how much of everything there is, for the branch or one grid's subtree.

Stocks (police rooms, grids, staff, residents) are counted as they stand; what happens on a
day (app installs, visits, disputes reported, shifts) is counted in the period when one is
given. ``--grid`` rolls up the grid and every grid under it through the ``Grid.path`` range.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlmodel import Session, col

from policeroom.i18n import _
from policeroom.models.disputes import OPEN_STATUSES, Dispute, DisputeStatus, RiskGrade
from policeroom.models.org import Grid, KeyUnit, PoliceRoom, Staff, Team
from policeroom.models.people import Resident, Visit, VisitResident
from policeroom.models.roster import Post, Shift, ShiftStatus
from policeroom.models.tallies import GridTally
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound, ValidationError
from policeroom.services.disputes import warnings
from policeroom.services.org import tree


def _between(column: Any, date_from: date | None, date_to: date | None) -> list[Any]:
    conditions = []
    if date_from is not None:
        conditions.append(col(column) >= date_from)
    if date_to is not None:
        conditions.append(col(column) <= date_to)
    return conditions


def _count(session: Session, statement: sa.Select[Any]) -> int:
    return int(session.execute(statement).scalar_one())


class _Scope:
    """Which grids and police rooms the report covers (None: the whole branch)."""

    def __init__(self, session: Session, grid_code: str | None, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.limited = not core_scope.everywhere(ctx.actor)
        self.grid: Grid | None = None
        if grid_code is not None:
            self.grid = session.execute(
                sa.select(Grid).where(col(Grid.code) == grid_code)
            ).scalar_one_or_none()
            if self.grid is None:
                raise NotFound(_("no grid with code {code}").format(code=grid_code))

    def grid_ids(self) -> Any:
        assert self.grid is not None
        return sa.select(col(Grid.id)).where(tree.path_condition(self.grid.path))

    def on_grid(self, column: Any) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.grid is not None:
            found.append(col(column).in_(self.grid_ids()))
        if self.limited:
            # Only the actor's police rooms count (``services/core/scope.py``).
            found.append(core_scope.grids_clause(self.ctx, column))
        return found

    def room_ids(self) -> Any:
        assert self.grid is not None
        return (
            sa.select(col(Grid.police_room_id))
            .where(tree.path_condition(self.grid.path), col(Grid.police_room_id).is_not(None))
            .distinct()
        )

    def on_room(self, column: Any) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.grid is not None:
            found.append(col(column).in_(self.room_ids()))
        if self.limited:
            found.append(core_scope.rooms_clause(self.ctx, column))
        return found


def summary(
    ctx: ServiceContext,
    grid_code: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict[str, Any]:
    """Counts of every area; ``grid_code`` limits them to that grid and everything under it,
    ``date_from``/``date_to`` (inclusive) limit what happened on a day to that period."""
    if date_from is not None and date_to is not None and date_to < date_from:
        raise ValidationError.single("date_to", _("the period ends before it starts"))
    count = sa.select(sa.func.count())
    with ctx.read() as session:
        scope = _Scope(session, grid_code, ctx)
        grid_id = scope.grid.id if scope.grid is not None else None
        if scope.grid is None:
            rooms = _count(
                session, count.select_from(PoliceRoom).where(*scope.on_room(PoliceRoom.id))
            )
        else:
            rooms = _count(
                session,
                count.select_from(PoliceRoom).where(col(PoliceRoom.id).in_(scope.room_ids())),
            )
        by_level = dict(
            session.execute(
                sa.select(col(Grid.level), sa.func.count())
                .where(col(Grid.archived).is_(False), *scope.on_grid(Grid.id))
                .group_by(col(Grid.level))
            ).all()
        )
        visits = [
            *scope.on_grid(Visit.grid_id),
            *_between(Visit.visit_date, date_from, date_to),
        ]
        residents_now = _tallied(session, scope, col(GridTally.residents))
        result: dict[str, Any] = {
            "grid": scope.grid.code if scope.grid is not None else None,
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
            "police_rooms": rooms,
            "grids": {str(level): int(by_level.get(level, 0)) for level in (1, 2, 3)},
            "staff": _count(
                session,
                count.select_from(Staff).where(
                    col(Staff.active).is_(True), *scope.on_room(Staff.police_room_id)
                ),
            ),
            "teams": _count(session, count.select_from(Team).where(*scope.on_grid(Team.grid_id))),
            "key_units": _count(
                session, count.select_from(KeyUnit).where(*scope.on_grid(KeyUnit.grid_id))
            ),
            "households": _tallied(session, scope, col(GridTally.households)),
            "residents": residents_now,
            "anti_fraud_installs": _installs(session, scope, residents_now, date_from, date_to),
            "visits": _count(session, count.select_from(Visit).where(*visits)),
            "residents_visited": _residents_visited(session, visits),
            "disputes": _disputes(session, scope, date_from, date_to),
            "early_warnings": warnings.count_in(session, grid_id, ctx.clock.today(), ctx),
            "shifts": _shifts(session, scope, date_from, date_to),
        }
    return result


def _every_grid() -> list[ColumnElement[bool]]:
    # Always true (a resident's grid is a grid), and it lets the (grid_id, archived,
    # anti_fraud_installed, anti_fraud_on) index count a grid at a time from the index
    # alone: SQLite otherwise takes ``archived`` to the list-order index and reads all
    # 300,000 rows for their install flag (0.5 s against 10 ms).
    return [col(Resident.grid_id).in_(sa.select(col(Grid.id)))]


def _installs(
    session: Session,
    scope: _Scope,
    residents_now: int,
    date_from: date | None,
    date_to: date | None,
) -> int:
    """The current residents who installed the anti-fraud app (in the period, if one is
    given). With no period, the current residents less those who have not: counting reads
    every index entry it counts, and two in three of a branch's residents have the app
    (300,000 residents: 100,000 entries to read instead of 200,000)."""
    count = sa.select(sa.func.count()).select_from(Resident)
    current = [
        *(scope.on_grid(Resident.grid_id) or _every_grid()),
        col(Resident.archived).is_(False),
    ]
    if date_from is None and date_to is None:
        without = count.where(*current, col(Resident.anti_fraud_installed).is_(False))
        return residents_now - _count(session, without)
    return _count(
        session,
        count.where(
            *current,
            col(Resident.anti_fraud_installed).is_(True),
            *_between(Resident.anti_fraud_on, date_from, date_to),
        ),
    )


def _tallied(session: Session, scope: _Scope, column: Any) -> int:
    """Current residents or households, summed from the per-grid tallies the database
    triggers keep (``models.tallies``): a row per grid, where ``count(*)`` read every row
    of 300,000, and on PostgreSQL every page not yet marked all-visible (36 ms)."""
    return int(
        session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(column), 0)).where(
                *scope.on_grid(GridTally.grid_id)
            )
        ).scalar_one()
    )


def _residents_visited(session: Session, visits: list[Any]) -> int:
    distinct = sa.select(sa.func.count(sa.distinct(col(VisitResident.resident_id))))
    if not visits:
        # Every visit of the branch: the visit rows add nothing but time.
        return _count(session, distinct)
    return _count(
        session, distinct.join(Visit, col(Visit.id) == col(VisitResident.visit_id)).where(*visits)
    )


def _disputes(
    session: Session, scope: _Scope, date_from: date | None, date_to: date | None
) -> dict[str, Any]:
    found = session.execute(
        sa.select(col(Dispute.status), col(Dispute.risk), sa.func.count())
        .where(
            *scope.on_grid(Dispute.grid_id),
            *_between(Dispute.reported_on, date_from, date_to),
        )
        .group_by(col(Dispute.status), col(Dispute.risk))
    ).all()
    by_status = {status.value: 0 for status in DisputeStatus}
    by_risk = {risk.value: 0 for risk in RiskGrade}
    for status, risk, number in found:
        by_status[DisputeStatus(status).value] += number
        by_risk[RiskGrade(risk).value] += number
    return {
        "total": sum(by_status.values()),
        "open": sum(by_status[status.value] for status in OPEN_STATUSES),
        "resolved": by_status[DisputeStatus.RESOLVED.value],
        "by_status": by_status,
        "by_risk": by_risk,
    }


def _shifts(session: Session, scope: _Scope, date_from: date | None, date_to: date | None) -> int:
    conditions: list[Any] = [col(Shift.status) != ShiftStatus.CANCELLED]
    if date_from is not None:
        conditions.append(col(Shift.starts_at) >= datetime.combine(date_from, time(0)))
    if date_to is not None:
        end = datetime.combine(date_to + timedelta(days=1), time(0))
        conditions.append(col(Shift.starts_at) < end)
    statement = sa.select(sa.func.count()).select_from(Shift).where(*conditions)
    if scope.grid is not None:
        posts = sa.select(col(Post.id)).where(
            sa.or_(
                col(Post.police_room_id).in_(scope.room_ids()),
                col(Post.grid_id).in_(scope.grid_ids()),
            )
        )
        statement = statement.where(col(Shift.post_id).in_(posts))
    if scope.limited:
        own = sa.select(col(Post.id)).where(*scope.on_room(Post.police_room_id))
        statement = statement.where(col(Shift.post_id).in_(own))
    return _count(session, statement)


def flatten(report: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``disputes.by_status.resolved``-style keys and their values, in report order."""
    rows: list[tuple[str, Any]] = []
    for key, value in report.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += flatten(value, f"{name}.")
        else:
            rows.append((name, value))
    return rows
