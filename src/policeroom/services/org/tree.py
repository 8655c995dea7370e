"""The grid tree as every other service queries it: a subtree, a grid's ancestors, and the
police room a grid belongs to.

A grid's ``path`` is the chain of ids from its level-1 ancestor down to itself (``/3/17/205/``),
read in one place, ``path_ids``. "This grid and everything under it" is the index range
``path >= P AND path < P || '~'`` (paths hold only digits and ``/``, which sort below ``~``);
"this grid and everything above it" is every grid whose path begins the grid's own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import ScalarSelect
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.org import Grid, Staff
from policeroom.services.core.errors import NotFound
from policeroom.services.core.name_keys import prefix_upper_bound

LEVELS = (1, 2, 3)
SUBTREE_END = "~"


def path_ids(path: str) -> list[int]:
    """The grid ids on ``path``, from the level-1 ancestor down to the grid itself."""
    return [int(part) for part in path.strip("/").split("/") if part.isdigit()]


def _path_of(grid_id: int) -> ScalarSelect[str]:
    found = aliased(Grid)
    return select(found.path).where(col(found.id) == grid_id).scalar_subquery()


def subtree_condition(grid_id: int) -> ColumnElement[bool]:
    """SQL condition on ``Grid``: the grid ``grid_id`` and every grid under it."""
    root = _path_of(grid_id)
    return (col(Grid.path) >= root) & (col(Grid.path) < root.concat(SUBTREE_END))


def subtree_ids(grid_id: int) -> Select[Any]:
    """``SELECT id`` of the grid and every grid under it, for ``column.in_(...)``."""
    return select(Grid.id).where(subtree_condition(grid_id))


def path_condition(path: str) -> ColumnElement[bool]:
    """Like ``subtree_condition`` when the root's path is already known."""
    return (col(Grid.path) >= path) & (col(Grid.path) < prefix_upper_bound(path))


def lineage_condition(grid_id: int) -> ColumnElement[bool]:
    """SQL condition on ``Grid``: the grid ``grid_id`` and every grid above it."""
    # A branch has hundreds of grids, not millions: comparing each path with the grid's is
    # cheaper than reading the path first and asking again.
    return func.substr(_path_of(grid_id), 1, func.length(col(Grid.path))) == col(Grid.path)


def level_of(session: Session, grid_id: int) -> tuple[int, str] | None:
    """The level and path of one grid, or None when it does not exist."""
    found = session.exec(select(Grid.level, Grid.path).where(col(Grid.id) == grid_id)).first()
    return (found[0], found[1]) if found else None


def require(session: Session, grid_id: int) -> None:
    """``NotFound`` unless the grid ``grid_id`` exists."""
    if level_of(session, grid_id) is None:
        raise NotFound(_("no grid with number {id}").format(id=grid_id))


def lineage(session: Session, grid_id: int) -> list[Grid]:
    """The grid's ancestors from level 1 down, then the grid itself; empty if there is none."""
    return list(
        session.exec(select(Grid).where(lineage_condition(grid_id)).order_by(col(Grid.level)))
    )


def responsible_officer(session: Session, grid_id: int) -> Staff | None:
    """The responsible officer (一村一警) answering for the grid: its own, else the nearest
    ancestor's that is still serving (a group's officer is usually its village's); None when
    no grid up the tree has one."""
    return session.exec(
        select(Staff)
        .join(Grid, col(Grid.officer_id) == col(Staff.id))
        .where(lineage_condition(grid_id), col(Staff.active))
        .order_by(col(Grid.level).desc())
        .limit(1)
    ).first()


def room_of(session: Session, grid_id: int) -> int | None:
    """The police room answering for the grid: its own, else the nearest ancestor's (None
    when no grid up the tree has one); ``NotFound`` for a grid that does not exist."""
    found = session.exec(
        select(Grid.id, Grid.police_room_id)
        .where(lineage_condition(grid_id))
        .order_by(col(Grid.police_room_id).is_(None), col(Grid.level).desc())
        .limit(1)
    ).first()
    if found is None:
        raise NotFound(_("no grid with number {id}").format(id=grid_id))
    return found[1]
