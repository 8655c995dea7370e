"""What the statistics' counting queries count and what their rows are keyed by.

A record on a grid belongs to the police room of that grid or of its nearest ancestor that
has one. The grid has three levels and a grid's parent is exactly one level up (enforced by
``services.org.grids``), so that room is the first of the grid's, its parent's and its
grandparent's: two joins by primary key, worked out in SQL for just the grids a query
counts. The first screen's queries so sum their per-grid counts into one row per police
room in the database: the program handles 58 rows, not 670 grids' worth of rows and a
roll-up of them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col

from policeroom.models.org import Grid


@dataclass(frozen=True)
class _Ancestry:
    grid: Any
    parent: Any
    grand: Any

    @property
    def room(self) -> Any:
        """The police room the grid answers to (None: neither it nor one above has one)."""
        return sa.func.coalesce(
            col(self.grid.police_room_id),
            col(self.parent.police_room_id),
            col(self.grand.police_room_id),
        )

    @property
    def parent_room(self) -> Any:
        return sa.func.coalesce(col(self.parent.police_room_id), col(self.grand.police_room_id))

    def join(self, statement: Any, grid_id: Any, *, outer: bool = False) -> Any:
        """``statement`` joined to the grid ``grid_id`` names and to those above it."""
        statement = statement.join(self.grid, col(self.grid.id) == grid_id, isouter=outer)
        statement = statement.outerjoin(
            self.parent, col(self.parent.id) == col(self.grid.parent_id)
        )
        return statement.outerjoin(self.grand, col(self.grand.id) == col(self.parent.parent_id))


@functools.cache
def ancestry() -> _Ancestry:
    """The grid and the two above it, as aliases made once: constructs without parameters
    that every statement may share, and whose making (an aliased table's column proxies)
    cost more than running the joins."""
    return _Ancestry(
        aliased(Grid, name="counted_grid"),
        aliased(Grid, name="counted_parent"),
        aliased(Grid, name="counted_grand"),
    )


@dataclass(frozen=True)
class Grouping:
    """Count the records of the grids in every one of ``grids`` (subqueries of grid ids; none:
    every grid), keyed by grid, or by police room when ``by_room`` (key None: a grid that
    answers to no room)."""

    by_room: bool = False
    grids: tuple[Any, ...] = ()

    def where(self, column: Any) -> list[Any]:
        """Conditions on a grid id column keeping the grids counted."""
        return [column.in_(grids) for grids in self.grids]

    def rollup(self, grouped: Any) -> Any:
        """``grouped`` (a statement whose rows are a grid id and numbers) as it is when keyed
        by grid, or its numbers summed per police room in SQL when keyed by room."""
        if not self.by_room:
            return grouped
        rows = grouped.subquery()
        columns = list(rows.c)
        above = ancestry()
        statement = sa.select(above.room, *(sa.func.sum(column) for column in columns[1:]))
        return above.join(statement.select_from(rows), columns[0]).group_by(above.room)

    def rooms(self) -> Any:
        """The police rooms the counted grids answer to (a statement of room ids)."""
        above = ancestry()
        statement = sa.select(above.room).select_from(above.grid).distinct()
        statement = statement.outerjoin(
            above.parent, col(above.parent.id) == col(above.grid.parent_id)
        ).outerjoin(above.grand, col(above.grand.id) == col(above.parent.parent_id))
        return statement.where(*self.where(col(above.grid.id)))


def top_grids() -> Any:
    """(grid, room) of each room's highest grids: those whose parent answers to another room
    or to none (a grid set on a room, then, whatever is above it)."""
    above = ancestry()
    statement = (
        sa.select(col(above.grid.id), col(above.grid.police_room_id))
        .select_from(above.grid)
        .outerjoin(above.parent, col(above.parent.id) == col(above.grid.parent_id))
        .outerjoin(above.grand, col(above.grand.id) == col(above.parent.parent_id))
    )
    return statement.where(
        col(above.grid.police_room_id).is_not(None),
        sa.or_(above.parent_room.is_(None), above.parent_room != col(above.grid.police_room_id)),
    )
