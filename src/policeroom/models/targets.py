"""Targets of the target-management responsibility system (目标管理责任制)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from policeroom.models.base import Count, Rules, Tracked


class TargetBase(Rules):
    visits: Count = 0
    app_installs: Count = 0
    disputes_resolved: Count = 0


class Target(TargetBase, Tracked, table=True):
    """What one grid should achieve in one period."""

    __table_args__ = (UniqueConstraint("grid_id", "period_start"),)

    id: int | None = Field(default=None, primary_key=True)
    grid_id: int = Field(foreign_key="grid.id", index=True)
    period_start: date
    period_end: date


class TargetCreate(TargetBase):
    """A grid's targets for one period (inclusive dates)."""

    grid_id: int | None = None
    period_start: date | None = None
    period_end: date | None = None
