"""Targets of the target-management responsibility system (目标管理责任制), set and edited by
supervisors: what one grid should achieve in one period (visits, app installs, disputes
resolved). Edits are optimistically locked; every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction
from policeroom.models.org import Grid
from policeroom.models.targets import Target, TargetBase
from policeroom.services.core import audit
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound
from policeroom.services.core.fields import Problems
from policeroom.services.core.locking import save_versioned
from policeroom.services.org.targets import require_target_setter


@dataclass(frozen=True)
class TargetRow:
    id: int
    version: int
    grid_id: int
    grid_code: str
    period_start: date
    period_end: date
    visits: int
    app_installs: int
    disputes_resolved: int


def _row(target: Target, grid_code: str) -> TargetRow:
    assert target.id is not None
    return TargetRow(
        target.id,
        target.version,
        target.grid_id,
        grid_code,
        target.period_start,
        target.period_end,
        target.visits,
        target.app_installs,
        target.disputes_resolved,
    )


def of_grid(ctx: ServiceContext, grid_id: int) -> list[TargetRow]:
    """A grid's targets, newest period first."""
    with ctx.read() as session:
        grid = session.get(Grid, grid_id)
        if grid is None or not core_scope.sees_grid(session, ctx, grid_id):
            raise NotFound(_("no grid with number {id}").format(id=grid_id))
        found = session.exec(
            select(Target)
            .where(col(Target.grid_id) == grid_id)
            .order_by(col(Target.period_start).desc())
        ).all()
        return [_row(target, grid.code) for target in found]


def _check(
    session: Session,
    problems: Problems,
    grid_id: int,
    period_start: date | None,
    period_end: date | None,
    target_id: int | None,
) -> Grid | None:
    grid: Grid | None = problems.reference(session, "grid_id", Grid, grid_id, _("grid"))
    if period_start is None:
        problems.add("period_start", _("give the first day of the period"))
    if period_end is None:
        problems.add("period_end", _("give the last day of the period"))
    if period_start is not None and period_end is not None:
        if period_end < period_start:
            problems.add("period_end", _("the period ends before it starts"))
        else:
            clash = session.exec(
                select(Target).where(
                    col(Target.grid_id) == grid_id,
                    col(Target.period_start) <= period_end,
                    col(Target.period_end) >= period_start,
                    col(Target.id) != (target_id or 0),
                )
            ).first()
            if clash is not None:
                problems.add(
                    "period_start",
                    _("the grid has targets for {start} to {end} already").format(
                        start=clash.period_start.isoformat(), end=clash.period_end.isoformat()
                    ),
                )
    return grid


def set_target(
    ctx: ServiceContext,
    grid_id: int,
    period_start: date | None,
    period_end: date | None,
    figures: dict[str, Any],
) -> TargetRow:
    """New targets for one grid and one period (which must not overlap another of its
    periods); ``figures`` holds ``visits``, ``app_installs`` and ``disputes_resolved``."""
    require_target_setter(ctx)
    with ctx.transaction() as session:
        problems = Problems()
        grid = _check(session, problems, grid_id, period_start, period_end, None)
        if grid is not None:
            # another station's grid: refused before any field is judged
            core_scope.require_grid(session, ctx, grid_id)
        fields = problems.checked(TargetBase, figures)
        problems.raise_if_any(_("targets"))
        assert grid is not None and fields is not None
        target = Target.model_validate(
            fields.model_dump(),
            update={"grid_id": grid_id, "period_start": period_start, "period_end": period_end},
        )
        session.add(target)
        session.flush()
        audit.record(
            session, ctx, AuditAction.CREATE, "target", target.id, None, audit.snapshot(target)
        )
        return _row(target, grid.code)


def update_target(
    ctx: ServiceContext,
    target_id: int,
    version: int,
    period_start: date | None,
    period_end: date | None,
    figures: dict[str, Any],
) -> TargetRow:
    """Change a target's period and figures; ``StaleRecord`` when someone saved it since
    ``version`` was read."""
    require_target_setter(ctx)
    with ctx.transaction() as session:
        target = session.get(Target, target_id)
        if target is None:
            raise NotFound(_("no targets with number {id}").format(id=target_id))
        core_scope.require_grid(session, ctx, target.grid_id)
        before = audit.snapshot(target)
        problems = Problems()
        grid = _check(session, problems, target.grid_id, period_start, period_end, target_id)
        fields = problems.checked(TargetBase, figures)
        problems.raise_if_any(_("targets"))
        assert grid is not None and fields is not None
        values = {**fields.model_dump(), "period_start": period_start, "period_end": period_end}
        save_versioned(session, Target, target_id, version, values)
        session.expire(target)
        updated = session.get(Target, target_id)
        assert updated is not None
        audit.record(
            session, ctx, AuditAction.UPDATE, "target", target_id, before, audit.snapshot(updated)
        )
        return _row(updated, grid.code)
