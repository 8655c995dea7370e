"""The quick look at the database's health the desk program takes when it starts."""

from __future__ import annotations

from policeroom.db import check
from policeroom.services.core.context import ServiceContext


def quick_problems(ctx: ServiceContext) -> list[str]:
    """What SQLite's ``quick_check`` finds wrong (damaged pages, broken indexes); nothing on
    PostgreSQL, whose server checks its own pages. Seconds on a branch-scale file: run it in
    a worker after the first frame."""
    return check(ctx.db.engine, quick=True).integrity
