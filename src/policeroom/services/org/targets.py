"""Targets of the target-management responsibility system (目标管理责任制) and their progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction, Role
from policeroom.models.disputes import Dispute
from policeroom.models.org import Grid
from policeroom.models.people import Resident, Visit
from policeroom.models.targets import Target, TargetCreate
from policeroom.services.core import audit
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import Forbidden
from policeroom.services.core.fields import Problems
from policeroom.services.org import tree


@dataclass(frozen=True)
class TargetProgress:
    """One period's targets of a grid beside what its whole subtree achieved."""

    id: int
    grid_id: int
    period_start: date
    period_end: date
    visits_target: int
    visits_done: int
    installs_target: int
    installs_done: int
    resolved_target: int
    resolved_done: int
    version: int


def _progress(session: Session, target: Target) -> TargetProgress:
    area = tree.subtree_ids(target.grid_id)
    start, end = target.period_start, target.period_end
    visits = session.exec(
        select(func.count())
        .select_from(Visit)
        .where(
            col(Visit.grid_id).in_(area),
            col(Visit.visit_date) >= start,
            col(Visit.visit_date) <= end,
        )
    ).one()
    installs = session.exec(
        select(func.count())
        .select_from(Resident)
        .where(
            col(Resident.grid_id).in_(area),
            col(Resident.anti_fraud_on) >= start,
            col(Resident.anti_fraud_on) <= end,
        )
    ).one()
    resolved = session.exec(
        select(func.count())
        .select_from(Dispute)
        .where(
            col(Dispute.grid_id).in_(area),
            col(Dispute.resolved_on) >= start,
            col(Dispute.resolved_on) <= end,
        )
    ).one()
    assert target.id is not None
    return TargetProgress(
        id=target.id,
        grid_id=target.grid_id,
        period_start=start,
        period_end=end,
        visits_target=target.visits,
        visits_done=visits,
        installs_target=target.app_installs,
        installs_done=installs,
        resolved_target=target.disputes_resolved,
        resolved_done=resolved,
        version=target.version,
    )


# Who sets targets: the branch's supervisors (and trainers, on a training copy). An
# administrator passes this but reaches no grid, so sets none either.
TARGET_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.TRAINER})


def require_target_setter(ctx: ServiceContext) -> None:
    """Refuse anyone who may not set targets (a desk officer is measured by them)."""
    if not (ctx.actor.system or ctx.actor.role in TARGET_ROLES):
        raise Forbidden(
            _("user {login} ({role}) may not set targets").format(
                login=ctx.actor.login, role=ctx.actor.role
            )
        )


def of_grid(session: Session, grid_id: int, limit: int = 12) -> list[TargetProgress]:
    """The newest ``limit`` periods of one grid, newest first."""
    rows = session.exec(
        select(Target)
        .where(col(Target.grid_id) == grid_id)
        .order_by(col(Target.period_start).desc())
        .limit(limit)
    ).all()
    return [_progress(session, target) for target in rows]


def for_grid(ctx: ServiceContext, grid_id: int, limit: int = 12) -> list[TargetProgress]:
    """The newest ``limit`` periods of one grid, newest first."""
    with ctx.read() as session:
        if not core_scope.sees_grid(session, ctx, grid_id):
            return []
        return of_grid(session, grid_id, limit)


def create(ctx: ServiceContext, data: TargetCreate) -> TargetProgress:
    ctx.require_write()
    require_target_setter(ctx)
    with ctx.transaction() as session:
        problems = Problems()
        if data.grid_id is None:
            problems.add("grid_id", _("required"))
        if problems.reference(session, "grid_id", Grid, data.grid_id, _("grid")) is not None:
            core_scope.require_grid(session, ctx, data.grid_id)
        if data.period_start is None:
            problems.add("period_start", _("required"))
        if data.period_end is None:
            problems.add("period_end", _("required"))
        if data.period_start and data.period_end and data.period_end < data.period_start:
            problems.add("period_end", _("the period ends before it starts"))
        if data.grid_id is not None and data.period_start is not None:
            clash = session.exec(
                select(Target.id).where(
                    col(Target.grid_id) == data.grid_id,
                    col(Target.period_start) == data.period_start,
                )
            ).first()
            if clash is not None:
                problems.add("period_start", _("this grid already has targets for this period"))
        problems.raise_if_any(_("target"))
        assert data.grid_id and data.period_start and data.period_end
        now = ctx.clock.now()
        target = Target(
            grid_id=data.grid_id,
            period_start=data.period_start,
            period_end=data.period_end,
            visits=data.visits,
            app_installs=data.app_installs,
            disputes_resolved=data.disputes_resolved,
            created_at=now,
            updated_at=now,
        )
        session.add(target)
        session.flush()
        audit.record(
            session, ctx, AuditAction.CREATE, "target", target.id, None, audit.snapshot(target)
        )
        return _progress(session, target)
