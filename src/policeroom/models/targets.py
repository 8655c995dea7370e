"""Targets of the target-management responsibility system (目标管理责任制)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict
from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from policeroom.models.base import Tracked


class Target(Tracked, table=True):
    """What one grid should achieve in one period."""

    __table_args__ = (UniqueConstraint("grid_id", "period_start"),)

    id: int | None = Field(default=None, primary_key=True)
    grid_id: int = Field(foreign_key="grid.id", index=True)
    period_start: date
    period_end: date
    visits: int = Field(default=0, ge=0)
    app_installs: int = Field(default=0, ge=0)
    disputes_resolved: int = Field(default=0, ge=0)


class TargetCreate(BaseModel):
    """A grid's targets for one period (inclusive dates)."""

    model_config = ConfigDict(extra="forbid")

    grid_id: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    visits: int = 0
    app_installs: int = 0
    disputes_resolved: int = 0
