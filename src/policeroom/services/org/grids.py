"""The three-level grid (网格): street/town, village/community, group/block.

Reading the tree (its nodes with their subtree's counts, a grid's card) and changing it.
The path and subtree conditions other services share are in ``tree``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import false, func, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction
from policeroom.models.disputes import OPEN_STATUSES, Dispute
from policeroom.models.org import (
    Grid,
    GridAdministrator,
    GridBase,
    GridCreate,
    GridUpdate,
    PoliceRoom,
    Staff,
)
from policeroom.models.people import Resident
from policeroom.services.core import audit
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound
from policeroom.services.core.fields import Problems
from policeroom.services.core.locking import save_versioned
from policeroom.services.core.name_keys import prefix_upper_bound
from policeroom.services.org import staff, targets, tree
from policeroom.services.org import structure as org
from policeroom.services.org.tree import path_condition


@dataclass(frozen=True)
class GridNode:
    """One grid as the tree shows it, with counts over its whole subtree."""

    id: int
    code: str
    name: str
    level: int
    parent_id: int | None
    police_room_id: int | None
    officer_name: str
    leader_name: str
    residents: int
    open_disputes: int
    has_children: bool
    version: int
    police_room_name: str = ""
    path: str = ""
    ancestor_ids: tuple[int, ...] = ()
    """The grids above this one, from level 1 down (what the tree opens to reveal it)."""


@dataclass(frozen=True)
class StaffBrief:
    id: int
    code: str
    name: str
    phone: str


@dataclass(frozen=True)
class GridCard:
    """Everything about one grid: who answers for it, what is in it, how its targets stand."""

    node: GridNode
    ancestors: tuple[GridNode, ...]
    households: int
    population: int
    police_room: org.PoliceRoomRow | None
    leader: StaffBrief | None
    officer: StaffBrief | None
    administrators: tuple[StaffBrief, ...]
    staff: tuple[staff.StaffRow, ...]
    key_units: tuple[org.KeyUnitRow, ...]
    teams: tuple[org.TeamRow, ...]
    targets: tuple[targets.TargetProgress, ...]


# --- reading -----------------------------------------------------------------------------

_Leader = aliased(Staff)
_Officer = aliased(Staff)


def _node_select() -> Any:
    return (
        select(Grid, _Leader.name, _Officer.name, PoliceRoom.name)
        .outerjoin(_Leader, col(_Leader.id) == col(Grid.leader_id))
        .outerjoin(_Officer, col(_Officer.id) == col(Grid.officer_id))
        .outerjoin(PoliceRoom, col(PoliceRoom.id) == col(Grid.police_room_id))
    )


@dataclass
class _Counts:
    residents: int = 0
    open_disputes: int = 0
    has_children: bool = False


def _subtree_counts(
    session: Session, grids: list[Grid], scope: str | None, area: Any = None
) -> dict[int, _Counts]:
    """Residents and open disputes under each of ``grids``, all lying within ``scope``.

    Three grouped queries over the scope's grids, folded onto the roots in Python: a grid's
    ancestor at level L is the L-th id of its path. ``grids`` may hold a grid and its
    ancestors (a card): a grid counts for every one of them.
    """
    counts = {grid.id: _Counts() for grid in grids if grid.id is not None}
    if not counts:
        return counts
    in_scope = path_condition(scope) if scope else col(Grid.path) >= "/"
    if area is not None:
        # Only what the actor's police rooms hold counts (``services/core/scope.py``).
        in_scope = in_scope & area
    levels = sorted({grid.level for grid in grids})
    owners: dict[int, list[int]] = {}
    for grid_id, path, parent_id in session.exec(
        select(Grid.id, Grid.path, Grid.parent_id).where(in_scope)
    ).all():
        if parent_id in counts:
            counts[parent_id].has_children = True
        ids = tree.path_ids(path)
        found = [ids[level - 1] for level in levels if len(ids) >= level]
        if grid_id is not None:
            owners[grid_id] = [root for root in found if root in counts]
    scope_ids = select(Grid.id).where(in_scope)
    resident_counts = (
        select(Resident.grid_id, func.count())
        .where(col(Resident.archived) == false())
        .group_by(col(Resident.grid_id))
    )
    dispute_counts = (
        select(Dispute.grid_id, func.count())
        .where(col(Dispute.status).in_(sorted(OPEN_STATUSES)))
        .group_by(col(Dispute.grid_id))
    )
    # Always through the scope's grid ids, even for the whole tree: ``grid_id IN (…)`` reads
    # the (grid_id, archived) index grid by grid, where ``archived = 0`` alone would send
    # SQLite without statistics along the list index to every row (0.6 s at 300,000).
    resident_counts = resident_counts.where(col(Resident.grid_id).in_(scope_ids))
    dispute_counts = dispute_counts.where(col(Dispute.grid_id).in_(scope_ids))
    for grid_id, number in session.exec(resident_counts).all():
        for root in owners.get(grid_id, ()):
            counts[root].residents += number
    for grid_id, number in session.exec(dispute_counts).all():
        for root in owners.get(grid_id, ()):
            counts[root].open_disputes += number
    return counts


def _nodes(
    session: Session, rows: list[Any], scope: str | None, area: Any = None
) -> list[GridNode]:
    counts = _subtree_counts(session, [row[0] for row in rows], scope, area)
    nodes = []
    for grid, leader, officer, room in rows:
        found = counts[grid.id]
        nodes.append(
            GridNode(
                id=grid.id,
                code=grid.code,
                name=grid.name,
                level=grid.level,
                parent_id=grid.parent_id,
                police_room_id=grid.police_room_id,
                officer_name=officer or "",
                leader_name=leader or "",
                residents=found.residents,
                open_disputes=found.open_disputes,
                has_children=found.has_children,
                version=grid.version,
                police_room_name=room or "",
                path=grid.path,
                ancestor_ids=tuple(tree.path_ids(grid.path)[:-1]),
            )
        )
    return nodes


def any_grid(ctx: ServiceContext) -> bool:
    """Whether the database has a grid at all, whoever asks: a role that sees no room (an
    administrator) must not be offered the first-run screen of an empty database."""
    with ctx.read() as session:
        return session.exec(select(Grid.id).limit(1)).first() is not None


def children(ctx: ServiceContext, parent_id: int | None) -> list[GridNode]:
    """The grids directly under ``parent_id`` (None: the level-1 grids), in code order."""
    with ctx.read() as session:
        scope = None
        if parent_id is not None:
            parent = session.exec(
                select(Grid).where(col(Grid.id) == parent_id, core_scope.tree_clause(ctx))
            ).first()
            if parent is None:
                raise NotFound(_("no grid with number {id}").format(id=parent_id))
            scope = parent.path
        parent_condition = (
            col(Grid.parent_id).is_(None) if parent_id is None else col(Grid.parent_id) == parent_id
        )
        rows = session.exec(
            _node_select()
            .where(parent_condition, col(Grid.archived) == false(), core_scope.tree_clause(ctx))
            .order_by(col(Grid.code))
        ).all()
        return _nodes(session, list(rows), scope, _area(ctx))


def _area(ctx: ServiceContext | None) -> Any:
    """What a node's counts may include for ``ctx``'s actor (None: everything)."""
    if ctx is None or core_scope.everywhere(ctx.actor):
        return None
    return core_scope.grids_clause(ctx, Grid.id)


def node(session: Session, grid_id: int, ctx: ServiceContext | None = None) -> GridNode:
    """One grid with its subtree's counts; ``NotFound`` if there is none (or, with ``ctx``,
    if it is outside the actor's grid tree)."""
    statement = _node_select().where(col(Grid.id) == grid_id)
    if ctx is not None:
        statement = statement.where(core_scope.tree_clause(ctx))
    row = session.exec(statement).first()
    if row is None:
        raise NotFound(_("no grid with number {id}").format(id=grid_id))
    return _nodes(session, [row], row[0].path, _area(ctx))[0]


def get(ctx: ServiceContext, grid_id: int) -> GridNode:
    with ctx.read() as session:
        return node(session, grid_id, ctx)


def room_grids(ctx: ServiceContext, room_id: int) -> list[int]:
    """The grids a police room is set on, without those under another of them: the roots of
    what the room owns (most rooms: its one village or community). Within the actor's scope."""
    with ctx.read() as session:
        owned = session.exec(
            select(Grid.id, Grid.path)
            .where(col(Grid.police_room_id) == room_id, core_scope.grids_clause(ctx, Grid.id))
            .order_by(col(Grid.path))
        ).all()
    roots: list[tuple[int, str]] = []
    for grid_id, path in owned:
        if grid_id is not None and not any(path.startswith(root) for _id, root in roots):
            roots.append((grid_id, path))
    return [grid_id for grid_id, _path in roots]


def room_of_grid(ctx: ServiceContext, grid_id: int | None) -> int | None:
    """The police room answering for a grid: its own, else the nearest ancestor's (None for
    no grid, or when no grid up the tree has a room)."""
    if grid_id is None:
        return None
    with ctx.read() as session:
        return tree.room_of(session, grid_id)


def responsible_officer(ctx: ServiceContext, grid_id: int) -> StaffBrief | None:
    """The officer who answers for the grid (its own or the nearest ancestor's, still
    serving): whom a new dispute in it is proposed to. ``NotFound`` for no such grid."""
    with ctx.read() as session:
        tree.require(session, grid_id)
        return _brief(tree.responsible_officer(session, grid_id))


def get_by_code(ctx: ServiceContext, code: str) -> GridNode:
    with ctx.read() as session:
        grid_id = session.exec(select(Grid.id).where(col(Grid.code) == code.strip())).first()
        if grid_id is None:
            raise NotFound(_("no grid with code {code}").format(code=code))
        return node(session, grid_id, ctx)


def find(ctx: ServiceContext, text: str, limit: int = 20) -> list[GridNode]:
    """Grids whose code starts with, or whose name contains, ``text`` (for the palette)."""
    text = text.strip()
    if not text:
        return []
    with ctx.read() as session:
        rows = session.exec(
            _node_select()
            .where(
                col(Grid.archived) == false(),
                core_scope.tree_clause(ctx),
                or_(
                    # codes are written in capitals and typed in either case
                    *(
                        (col(Grid.code) >= key) & (col(Grid.code) < prefix_upper_bound(key))
                        for key in {text, text.upper()}
                    ),
                    col(Grid.name).contains(text, autoescape=True),
                ),
            )
            .order_by(col(Grid.level), col(Grid.code))
            .limit(max(1, limit))
        ).all()
        return [node(session, row[0].id, ctx) for row in rows]


def _brief(person: Staff | None) -> StaffBrief | None:
    if person is None or person.id is None:
        return None
    return StaffBrief(person.id, person.code, person.name, person.phone)


def card(ctx: ServiceContext, grid_id: int) -> GridCard:
    """Everything about one grid, read in one snapshot."""
    with ctx.read() as session:
        rows = list(
            session.exec(
                _node_select()
                .where(tree.lineage_condition(grid_id), core_scope.tree_clause(ctx))
                .order_by(col(Grid.level))
            ).all()
        )
        if not rows or rows[-1][0].id != grid_id:
            raise NotFound(_("no grid with number {id}").format(id=grid_id))
        *ancestors, this = _nodes(session, rows, rows[0][0].path, _area(ctx))
        grid: Grid = rows[-1][0]
        administrators = session.exec(
            select(Staff)
            .join(GridAdministrator, col(GridAdministrator.staff_id) == col(Staff.id))
            .where(col(GridAdministrator.grid_id) == grid_id)
            .order_by(col(Staff.name))
        ).all()
        room_id = grid.police_room_id
        return GridCard(
            node=this,
            ancestors=tuple(ancestors),
            households=grid.households,
            population=grid.population,
            police_room=org.room(session, room_id) if room_id else None,
            leader=_brief(session.get(Staff, grid.leader_id) if grid.leader_id else None),
            officer=_brief(session.get(Staff, grid.officer_id) if grid.officer_id else None),
            administrators=tuple(b for b in map(_brief, administrators) if b is not None),
            staff=tuple(staff.rows(session, police_room_id=room_id, limit=100)) if room_id else (),
            key_units=tuple(org.key_units(session, grid_id)),
            teams=tuple(org.teams(session, grid_id)),
            targets=tuple(targets.of_grid(session, grid_id)),
        )


# --- writing -----------------------------------------------------------------------------


def _check_fields(
    session: Session, values: dict[str, Any], grid_id: int | None, problems: Problems
) -> None:
    """The database's rules for a grid's plain fields; the schema checked the rest."""
    if "code" in values:
        clash = session.exec(
            select(Grid.id).where(col(Grid.code) == values["code"], col(Grid.id) != grid_id)
        ).first()
        if clash is not None:
            problems.add("code", _("code {code} is already used").format(code=values["code"]))
    if values.get("police_room_id") is not None:
        problems.reference(
            session, "police_room_id", PoliceRoom, values["police_room_id"], _("police room")
        )


def _check_people(
    session: Session,
    problems: Problems,
    leader_id: int | None,
    officer_id: int | None,
    administrator_ids: list[int],
) -> None:
    problems.reference(session, "leader_id", Staff, leader_id, _("staff member"))
    problems.reference(session, "officer_id", Staff, officer_id, _("staff member"))
    wanted = list(dict.fromkeys(administrator_ids))
    found = set(session.exec(select(Staff.id).where(col(Staff.id).in_(wanted))).all())
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        problems.add(
            "administrator_ids",
            _("no staff member with number {id}").format(id=", ".join(missing)),
        )


def _check_parent(
    session: Session, problems: Problems, level: int, parent_id: int | None
) -> Grid | None:
    """The parent of a grid at ``level``: none at level 1, exactly one level up below that."""
    if level == 1:
        if parent_id is not None:
            problems.add("parent_id", _("a level-1 grid has no parent"))
        return None
    if parent_id is None:
        problems.add(
            "parent_id", _("a level-{n} grid needs a level-{m} parent").format(n=level, m=level - 1)
        )
        return None
    parent: Grid | None = problems.reference(session, "parent_id", Grid, parent_id, _("grid"))
    if parent is not None and parent.level != level - 1:
        problems.add(
            "parent_id",
            _("the parent of a level-{n} grid must be at level {m}, {name} is at level {k}").format(
                n=level, m=level - 1, name=parent.name, k=parent.level
            ),
        )
    return parent


def _set_administrators(session: Session, grid_id: int, staff_ids: list[int]) -> None:
    for link in session.exec(
        select(GridAdministrator).where(col(GridAdministrator.grid_id) == grid_id)
    ).all():
        session.delete(link)
    session.flush()
    for staff_id in dict.fromkeys(staff_ids):
        session.add(GridAdministrator(grid_id=grid_id, staff_id=staff_id))


def _administrator_ids(session: Session, grid_id: int) -> list[int]:
    return sorted(
        session.exec(
            select(GridAdministrator.staff_id).where(col(GridAdministrator.grid_id) == grid_id)
        ).all()
    )


def create(ctx: ServiceContext, data: GridCreate) -> GridNode:
    """A new grid under its parent; its path is the parent's path and its own id."""
    ctx.require_write()
    with ctx.transaction() as session:
        problems = Problems()
        _check_fields(session, data.model_dump(), None, problems)
        parent = _check_parent(session, problems, data.level, data.parent_id)
        _check_people(session, problems, data.leader_id, data.officer_id, data.administrator_ids)
        problems.raise_if_any(_("grid"))
        # A child grid is its parent room's work; a new street (level 1) the branch's.
        core_scope.require_grid(session, ctx, data.parent_id)
        if data.police_room_id is not None:
            core_scope.require_room(session, ctx, data.police_room_id)
        now = ctx.clock.now()
        grid = Grid.model_validate(data, update={"path": "", "created_at": now, "updated_at": now})
        session.add(grid)
        session.flush()
        assert grid.id is not None
        grid.path = f"{parent.path if parent else '/'}{grid.id}/"
        _set_administrators(session, grid.id, data.administrator_ids)
        session.flush()
        after = audit.snapshot(grid) | {"administrator_ids": _administrator_ids(session, grid.id)}
        audit.record(session, ctx, AuditAction.CREATE, "grid", grid.id, None, after)
        return node(session, grid.id)


def _load(session: Session, grid_id: int, ctx: ServiceContext | None = None) -> Grid:
    grid = session.get(Grid, grid_id)
    if grid is None:
        raise NotFound(_("no grid with number {id}").format(id=grid_id))
    if ctx is not None:
        core_scope.require_grid(session, ctx, grid_id)
    return grid


def update(ctx: ServiceContext, grid_id: int, data: GridUpdate, expected_version: int) -> GridNode:
    """Change code, name, police room, households or population (the fields set in ``data``)."""
    ctx.require_write()
    with ctx.transaction() as session:
        grid = _load(session, grid_id, ctx)
        before = audit.snapshot(grid)
        problems = Problems()
        values = problems.changes(data, GridBase)
        if values.get("police_room_id") is not None:
            core_scope.require_room(session, ctx, values["police_room_id"])
        _check_fields(session, values, grid_id, problems)
        problems.raise_if_any(_("grid"))
        save_versioned(
            session, Grid, grid_id, expected_version, {**values, "updated_at": ctx.clock.now()}
        )
        session.refresh(grid)
        old, new = audit.diff(before, audit.snapshot(grid))
        audit.record(session, ctx, AuditAction.UPDATE, "grid", grid_id, old, new)
        return node(session, grid_id)


def move(
    ctx: ServiceContext, grid_id: int, new_parent_id: int | None, expected_version: int
) -> GridNode:
    """Put a grid under another parent of the same level; its whole subtree's paths follow."""
    ctx.require_write()
    with ctx.transaction() as session:
        grid = _load(session, grid_id, ctx)
        core_scope.require_grid(session, ctx, new_parent_id)
        problems = Problems()
        if grid.level == 1:
            problems.add("parent_id", _("a level-1 grid has no parent to move under"))
        elif new_parent_id is not None:
            target = session.get(Grid, new_parent_id)
            if target is not None and target.path.startswith(grid.path):
                problems.add(
                    "parent_id", _("a grid cannot move under itself or one of its own sub-grids")
                )
        if not problems.errors:
            _check_parent(session, problems, grid.level, new_parent_id)
        problems.raise_if_any(_("grid {code}").format(code=grid.code))
        old_path = grid.path
        parent = session.get(Grid, new_parent_id) if new_parent_id is not None else None
        new_path = f"{parent.path if parent else '/'}{grid.id}/"
        save_versioned(
            session,
            Grid,
            grid_id,
            expected_version,
            {"parent_id": new_parent_id, "path": new_path, "updated_at": ctx.clock.now()},
        )
        # Descendants keep their own ids; only the part of the path above the moved grid
        # changes, in the same transaction so no reader ever sees half a tree.
        session.execute(
            sa.update(Grid)
            .where(path_condition(old_path), col(Grid.id) != grid_id)
            .values(path=literal(new_path).concat(func.substr(col(Grid.path), len(old_path) + 1)))
            .execution_options(synchronize_session=False)
        )
        audit.record(
            session,
            ctx,
            AuditAction.UPDATE,
            "grid",
            grid_id,
            {"parent_id": grid.parent_id, "path": old_path},
            {"parent_id": new_parent_id, "path": new_path},
        )
        session.expire_all()
        return node(session, grid_id)


def assign(
    ctx: ServiceContext,
    grid_id: int,
    *,
    leader_id: int | None,
    officer_id: int | None,
    administrator_ids: list[int],
    expected_version: int,
) -> GridNode:
    """Set the grid leader, the responsible officer (一村一警) and the administrators."""
    ctx.require_write()
    with ctx.transaction() as session:
        grid = _load(session, grid_id, ctx)
        problems = Problems()
        _check_people(session, problems, leader_id, officer_id, administrator_ids)
        problems.raise_if_any(_("grid {code}").format(code=grid.code))
        before = {
            "leader_id": grid.leader_id,
            "officer_id": grid.officer_id,
            "administrator_ids": _administrator_ids(session, grid_id),
        }
        save_versioned(
            session,
            Grid,
            grid_id,
            expected_version,
            {"leader_id": leader_id, "officer_id": officer_id, "updated_at": ctx.clock.now()},
        )
        if sorted(set(administrator_ids)) != before["administrator_ids"]:
            # rewritten only when they change: a save that changes nothing changes no row
            _set_administrators(session, grid_id, administrator_ids)
            session.flush()
        after = {
            "leader_id": leader_id,
            "officer_id": officer_id,
            "administrator_ids": _administrator_ids(session, grid_id),
        }
        old, new = audit.diff(before, after)
        audit.record(session, ctx, AuditAction.UPDATE, "grid", grid_id, old, new)
        session.expire_all()
        return node(session, grid_id)
