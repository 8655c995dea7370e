"""What an actor may see and change: the police rooms their role reaches.

Scope is enforced here, in the services, so that the CLI, the desk and any future door get
the same answer: reads are filtered in SQL (``grids_clause``, ``rooms_clause``) so that an
out-of-scope record is simply not there, and writes are checked (``require_grid``,
``require_room``) inside their transaction and refused with ``Forbidden``.

| role | sees | changes |
|---|---|---|
| desk officer | their police room's grids and what is recorded on them | the same |
| supervisor | the rooms of their police station (派出所) | the same |
| headquarters | every room | nothing |
| administrator | users and settings only: no room's records | users and settings |
| trainer | everything, on a throw-away training copy (no login elsewhere) | everything |

A room "owns" every grid it is set on and everything under it (a village's groups), the
same subtree rule as ``services/org/tree.py``. The one way across a room's border is the
audited lookup by full ID number (``people.residents.lookup_by_id_number``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import Role
from policeroom.models.org import Grid, PoliceRoom
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import Forbidden

# Paths hold only digits and "/", which sort below "~": a subtree is [path, path + "~").
_SUBTREE_END = "~"


def everywhere(actor: Actor) -> bool:
    """True when the actor's reads are not limited to some police rooms."""
    # A desk officer or supervisor with no room reaches no room (``room_ids``): a login
    # saved without one, or the desk before its login, must never fall back to everything.
    return actor.system or actor.role in (Role.HQ, Role.TRAINER)


def room_ids(actor: Actor) -> Any:
    """The ids of the rooms a limited actor reaches, as a subquery (never for ``everywhere``)."""
    if actor.role is Role.DESK and actor.police_room_id is not None:
        return sa.select(sa.literal(actor.police_room_id))
    if actor.role is Role.SUPERVISOR and actor.police_room_id is not None:
        station = (
            select(PoliceRoom.station_id)
            .where(col(PoliceRoom.id) == actor.police_room_id)
            .scalar_subquery()
        )
        return select(PoliceRoom.id).where(col(PoliceRoom.station_id) == station)
    # An administrator, or a desk officer or supervisor with no room: no room's records.
    return sa.select(sa.literal(-1)).where(sa.false())


def grid_ids(actor: Actor) -> Any:
    """The ids of the grids the actor's rooms own: each room's grids and their subtrees."""
    return grids_of_rooms(room_ids(actor))


def grids_of_rooms(rooms: Any) -> Any:
    """The ids of the grids the police rooms ``rooms`` (a subquery of ids) own."""
    root = aliased(Grid)
    return (
        select(Grid.id)
        .join(
            root,
            (col(Grid.path) >= col(root.path))
            & (col(Grid.path) < col(root.path).concat(_SUBTREE_END)),
        )
        .where(col(root.police_room_id).in_(rooms))
    )


def tree_clause(ctx: ServiceContext) -> ColumnElement[bool]:
    """A WHERE condition on ``Grid`` keeping the grids the actor sees in the grid tree: their
    rooms' grids and subtrees, and the ancestors above them (so the tree has a path down to
    them; records on those ancestors stay out of scope)."""
    if everywhere(ctx.actor):
        return sa.true()
    owned = aliased(Grid)
    above = (
        select(Grid.id)
        .join(
            owned,
            sa.func.substr(col(owned.path), 1, sa.func.length(col(Grid.path))) == col(Grid.path),
        )
        .where(col(owned.police_room_id).in_(room_ids(ctx.actor)))
    )
    return col(Grid.id).in_(grid_ids(ctx.actor)) | col(Grid.id).in_(above)


def grids_clause(ctx: ServiceContext, column: Any) -> ColumnElement[bool]:
    """A WHERE condition keeping the rows whose grid (``column``) the actor may see."""
    if everywhere(ctx.actor):
        return sa.true()
    result: ColumnElement[bool] = column.in_(grid_ids(ctx.actor))
    return result


def rooms_clause(ctx: ServiceContext, column: Any) -> ColumnElement[bool]:
    """A WHERE condition keeping the rows whose police room (``column``) the actor may see."""
    if everywhere(ctx.actor):
        return sa.true()
    result: ColumnElement[bool] = column.in_(room_ids(ctx.actor))
    return result


def sees_grid(session: Session, ctx: ServiceContext, grid_id: int | None) -> bool:
    """Whether the actor may read records on this grid (None: a record with no grid)."""
    if everywhere(ctx.actor):
        return True
    if grid_id is None:
        return False
    return (
        session.exec(
            select(Grid.id).where(col(Grid.id) == grid_id, grids_clause(ctx, Grid.id))
        ).first()
        is not None
    )


def sees_room(session: Session, ctx: ServiceContext, room_id: int | None) -> bool:
    """Whether the actor may read records of this police room (None: of no room)."""
    if everywhere(ctx.actor):
        return True
    if room_id is None:
        return False
    found = session.exec(
        select(PoliceRoom.id).where(col(PoliceRoom.id) == room_id, rooms_clause(ctx, PoliceRoom.id))
    ).first()
    return found is not None


def refusal(ctx: ServiceContext) -> Forbidden:
    """The clear, translated refusal of a change outside the actor's rooms."""
    if ctx.actor.role is Role.HQ:
        return Forbidden(_("headquarters may read every police room's records but change none"))
    if ctx.actor.role is Role.ADMIN:
        return Forbidden(_("an administrator manages users and settings, not a room's records"))
    if ctx.actor.role is Role.SUPERVISOR:
        return Forbidden(_("this record belongs to another police station's room; not changed"))
    return Forbidden(_("this record belongs to another police room; not changed"))


def require_grid(session: Session, ctx: ServiceContext, grid_id: int | None) -> None:
    """Refuse a write on a grid (a record on it) outside the actor's rooms."""
    ctx.require_write()
    if not sees_grid(session, ctx, grid_id):
        raise refusal(ctx)


def require_structure(ctx: ServiceContext) -> None:
    """Refuse a change to the branch's structure (branches, stations, police rooms, staff)
    to anyone but an administrator or a trainer: a desk would otherwise open a room of its
    own, or move a colleague into theirs, and so widen what it reaches."""
    ctx.require_write()
    if not (ctx.actor.system or ctx.actor.role in (Role.ADMIN, Role.TRAINER)):
        raise Forbidden(_("only an administrator may change stations, police rooms and staff"))


def require_room(session: Session, ctx: ServiceContext, room_id: int | None) -> None:
    """Refuse a write on a police room's records outside the actor's rooms."""
    ctx.require_write()
    if not sees_room(session, ctx, room_id):
        raise refusal(ctx)
