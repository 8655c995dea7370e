"""Headquarters statistics (统计): the branch's figures by station, police room and grid.

The counting is done in SQL by ``stats_counts`` (one grouped query per figure family). The
first screen's counts are summed per police room in the database (``stats_grouping``, and
the room tallies the triggers keep), so reading it costs rows per room, not per grid; a
level of grids (a room's, a grid's children, all of them) reads those grids' counts when
first asked and rolls them up its subtrees here. A grid's record belongs to the police room
of the grid or of its nearest ancestor that has one, and a room to its station, so every
row adds up to the level above and the whole to ``report summary`` for the same period.
What a police room owns as a whole (weekly sweeps, calls logged without a grid) belongs to
the room, not to any of its grids; the grid level shows it on a row of its own so that the
rows still add up.

Targets (目标管理责任制) overlapping the period count in proportion to the days they share
with it; a grid with targets of its own answers for its subtree, else its children's add up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from policeroom.i18n import _
from policeroom.models.org import Grid, PoliceRoom, PoliceStation
from policeroom.models.targets import Target
from policeroom.services.core import scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound, ValidationError
from policeroom.services.org import tree
from policeroom.services.reports.stats_counts import (
    FIGURES,
    PERIOD_FIGURES,
    Counts,
    OwnCounts,
    own_counts,
)
from policeroom.services.reports.stats_grouping import Grouping, top_grids

Level = Literal["station", "room", "grid"]
LEVELS: tuple[Level, ...] = ("station", "room", "grid")
RowKind = Literal["station", "room", "grid", "room_itself", "grid_itself", "unassigned", "total"]
# Which figure each target is measured against.
TARGETS = {
    "visits": "visits",
    "anti_fraud_installs": "app_installs",
    "disputes_resolved": "disputes_resolved",
}
# Columns a ranking can sort by: every figure, the share met and each target's progress.
SORT_KEYS = (*FIGURES, "share_met", *(f"progress_{name}" for name in TARGETS))


@dataclass(frozen=True)
class StatsRow:
    """One line of the report: a station, a room, a grid (with its subtree), or the remainder
    that belongs to no row of the level (``room_itself``, ``grid_itself``, ``unassigned``)."""

    kind: RowKind
    id: int | None
    code: str
    name: str
    figures: Counts
    previous: Counts
    targets: dict[str, int]
    has_children: bool = False

    def get(self, name: str) -> int:
        return self.figures.get(name, 0)

    @property
    def share_met(self) -> float | None:
        """Share of 1-3-5 arrivals on scene within their tier (None when none were sent)."""
        sent = self.get("arrivals")
        return self.get("arrivals_met") / sent if sent else None

    def change(self, name: str) -> int | None:
        """Up or down against the previous period (None for stocks and today's state)."""
        if name not in PERIOD_FIGURES:
            return None
        return self.get(name) - self.previous.get(name, 0)

    def progress(self, name: str) -> float | None:
        """The figure as a share of its target (None without a target)."""
        target = self.targets.get(name, 0)
        return self.get(name) / target if target else None

    def sort_value(self, key: str) -> float:
        if key == "share_met":
            value = self.share_met
        elif key.startswith("progress_"):
            value = self.progress(key.removeprefix("progress_"))
        else:
            value = float(self.get(key))
        return -1.0 if value is None else value


@dataclass(frozen=True)
class StatsReport:
    """The rows of one level for one period, their total and the period compared with."""

    level: Level
    date_from: date
    date_to: date
    previous_from: date
    previous_to: date
    rows: tuple[StatsRow, ...]
    total: StatsRow
    parent: str = ""


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of the same length that ends the day before ``date_from``."""
    days = (date_to - date_from).days + 1
    return date_from - timedelta(days=days), date_from - timedelta(days=1)


def _add(into: Counts, counts: Counts) -> None:
    for name, number in counts.items():
        into[name] = into.get(name, 0) + number


@dataclass
class _GridNode:
    id: int
    code: str
    name: str
    level: int
    parent_id: int | None
    own_room: int | None
    path: str
    children: list[int] = field(default_factory=list)


_NODE_COLUMNS = (
    col(Grid.id),
    col(Grid.code),
    col(Grid.name),
    col(Grid.level),
    col(Grid.parent_id),
    col(Grid.police_room_id),
    col(Grid.path),
)


class _Tree:
    """Some grids with every grid under them (a room's, a grid's subtree, or the branch's),
    in path order: parents first."""

    def __init__(self, session: Session, grids: Any | None) -> None:
        statement = sa.select(*_NODE_COLUMNS).order_by(col(Grid.path))
        if grids is not None:
            statement = statement.where(col(Grid.id).in_(grids))
        rows: list[Any] = list(session.connection().execute(statement))
        self.grids: dict[int, _GridNode] = {row[0]: _GridNode(*row) for row in rows}
        for node in self.grids.values():
            if node.parent_id in self.grids:
                self.grids[node.parent_id].children.append(node.id)

    def room_of(self) -> dict[int, int | None]:
        """The room each grid answers to, as far as the grids read say (a subtree read
        whole from grids set on rooms says it all)."""
        found: dict[int, int | None] = {}
        for node in self.grids.values():
            parent = found.get(node.parent_id) if node.parent_id is not None else None
            found[node.id] = node.own_room if node.own_room is not None else parent
        return found


def _subtree(grid_ids: Any) -> Any:
    """The ids of the grids ``grid_ids`` (a subquery) and of every grid under them."""
    root = aliased(Grid)
    return (
        sa.select(col(Grid.id))
        .join(
            root,
            (col(Grid.path) >= col(root.path)) & (col(Grid.path) < col(root.path).concat("~")),
        )
        .where(col(root.id).in_(grid_ids))
    )


class _Units:
    """The police rooms and stations (a few dozen rows)."""

    def __init__(self, session: Session) -> None:
        connection = session.connection()
        rooms: list[Any] = list(
            connection.execute(
                sa.select(
                    col(PoliceRoom.id),
                    col(PoliceRoom.code),
                    col(PoliceRoom.name),
                    col(PoliceRoom.station_id),
                ).order_by(col(PoliceRoom.code))
            )
        )
        self.rooms: dict[int, tuple[str, str, int]] = {
            room_id: (code, name, station_id) for room_id, code, name, station_id in rooms
        }
        stations: list[Any] = list(
            connection.execute(
                sa.select(
                    col(PoliceStation.id), col(PoliceStation.code), col(PoliceStation.name)
                ).order_by(col(PoliceStation.code))
            )
        )
        self.stations: dict[int, tuple[str, str]] = {
            station_id: (code, name) for station_id, code, name in stations
        }


_TargetRow = tuple[int, date, date, list[int]]


def _target_rows(
    session: Session, date_from: date, date_to: date, grids: Any | None = None, *paths: Any
) -> list[Any]:
    columns = [col(getattr(Target, column)) for column in TARGETS.values()]
    statement = sa.select(
        col(Target.grid_id), *paths, col(Target.period_start), col(Target.period_end), *columns
    ).where(col(Target.period_start) <= date_to, col(Target.period_end) >= date_from)
    if grids is not None:
        statement = statement.where(col(Target.grid_id).in_(grids))
    if paths:
        statement = statement.join(Grid, col(Grid.id) == col(Target.grid_id))
    return list(session.connection().execute(statement))


def _weighted(
    own: dict[str, float], start: date, end: date, numbers: Any, date_from: date, date_to: date
) -> None:
    days = (end - start).days + 1
    shared = (min(end, date_to) - max(start, date_from)).days
    weight = (shared + 1) / days if days > 0 else 0.0
    for figure, number in zip(TARGETS, numbers, strict=True):
        own[figure] = own.get(figure, 0.0) + number * weight


class _Targets:
    """Targets overlapping the period, in proportion to the days shared, per grid subtree
    (the grids of ``tree``)."""

    def __init__(
        self, session: Session, tree: _Tree, date_from: date, date_to: date, grids: Any | None
    ) -> None:
        self.tree = tree
        self.own: defaultdict[int, dict[str, float]] = defaultdict(dict)
        # Plain columns, not Target objects: a branch has a target row per grid and period.
        for grid_id, start, end, *numbers in _target_rows(session, date_from, date_to, grids):
            _weighted(self.own[grid_id], start, end, numbers, date_from, date_to)
        self._memo: dict[int, dict[str, float]] = {}

    def of_grid(self, grid_id: int) -> dict[str, float]:
        if grid_id not in self._memo:
            if grid_id in self.own:
                found = dict(self.own[grid_id])
            else:
                found = {}
                for child in self.tree.grids[grid_id].children:
                    for name, value in self.of_grid(child).items():
                        found[name] = found.get(name, 0.0) + value
            self._memo[grid_id] = found
        return self._memo[grid_id]


def _room_targets(session: Session, date_from: date, date_to: date) -> dict[int, dict[str, float]]:
    """Each room's targets: those of its highest grids, each its own or, without, its
    children's (as ``_Targets.of_grid`` says), without reading the grid tree. A grid's
    targets count for each highest grid on its path up to the nearest grid above it that
    has targets of its own."""
    own: dict[int, dict[str, float]] = {}
    paths: dict[int, list[int]] = {}
    for grid_id, path, start, end, *numbers in _target_rows(
        session, date_from, date_to, None, col(Grid.path)
    ):
        _weighted(own.setdefault(grid_id, {}), start, end, numbers, date_from, date_to)
        paths[grid_id] = tree.path_ids(path)
    found: dict[int, dict[str, float]] = {}
    if not own:
        return found
    tops = {grid_id: room_id for grid_id, room_id in session.connection().execute(top_grids())}
    for grid_id, targets in own.items():
        for above in reversed(paths[grid_id]):
            if above != grid_id and above in own:
                break  # the grid above answers for its subtree, this grid's targets with it
            room_id = tops.get(above)
            if room_id is not None:
                into = found.setdefault(room_id, {})
                for name, value in targets.items():
                    into[name] = into.get(name, 0.0) + value
    return found


def _rounded(targets: dict[str, float]) -> dict[str, int]:
    return {name: round(value) for name, value in targets.items() if round(value) > 0}


def _sum_targets(rows: list[StatsRow]) -> dict[str, int]:
    total: dict[str, int] = {}
    for row in rows:
        for name, value in row.targets.items():
            total[name] = total.get(name, 0) + value
    return total


@dataclass
class _Rooms:
    """One period's counts per police room and per station (summed in SQL by room), of the
    grids counted; ``rooms`` are the rooms those grids answer to (None: every room)."""

    room: defaultdict[int, Counts]
    station: defaultdict[int, Counts]
    unassigned: Counts

    @classmethod
    def of(cls, own: OwnCounts, units: _Units, rooms: set[int | None] | None) -> _Rooms:
        room: defaultdict[int, Counts] = defaultdict(dict)
        station: defaultdict[int, Counts] = defaultdict(dict)
        unassigned: Counts = {}
        for room_id, counts in own.by_grid.items():
            _add(room[room_id] if room_id is not None else unassigned, counts)
        for room_id, counts in own.by_room.items():
            if rooms is None or room_id in rooms:
                _add(room[room_id], counts)
        if rooms is None:
            _add(unassigned, own.unplaced)
        for room_id, counts in room.items():
            if room_id in units.rooms:
                _add(station[units.rooms[room_id][2]], counts)
        return cls(room, station, unassigned)


@dataclass
class _RoomPart:
    """The room and station levels of some grids (all, or a subtree's): both periods."""

    now: _Rooms
    before: _Rooms
    rooms: set[int | None] | None


@dataclass
class _GridPart:
    """The grid level of some grids (a room's, a grid's subtree, or the branch's): the
    grids, what sits on each, each subtree's sums and targets, for both periods."""

    tree: _Tree
    now: OwnCounts
    before: OwnCounts
    targets: _Targets

    @cached_property
    def subtree_now(self) -> defaultdict[int, Counts]:
        return self._subtree(self.now)

    @cached_property
    def subtree_before(self) -> defaultdict[int, Counts]:
        return self._subtree(self.before)

    def _subtree(self, own: OwnCounts) -> defaultdict[int, Counts]:
        """Each grid's counts with its whole subtree's, children summed into their parent
        from the leaves up (the grids are kept in path order: parents first)."""
        found: defaultdict[int, Counts] = defaultdict(dict)
        for grid_id, counts in own.by_grid.items():
            if grid_id is not None and grid_id in self.tree.grids:
                _add(found[grid_id], counts)
        for node in reversed(self.tree.grids.values()):
            if node.id in found and node.parent_id in self.tree.grids:
                _add(found[node.parent_id], found[node.id])
        return found


@dataclass(frozen=True)
class StatsSnapshot:
    """The figures of one period read at once for the first screen (every room and
    station, summed per room in SQL); a drill-down reads the grids it shows when first
    asked (``rows_of``, ``load``) and keeps them: ranking and going back ask nothing."""

    ctx: ServiceContext
    date_from: date
    date_to: date
    previous_from: date
    previous_to: date
    today: date
    units: _Units
    rooms: _RoomPart
    # What each room owns as a whole, and calls placed nowhere (both periods).
    now: OwnCounts
    before: OwnCounts
    room_targets: dict[int, dict[str, float]]
    # The rooms and grids of an actor limited to some rooms (None: the whole branch).
    rooms_seen: frozenset[int] | None = None
    grids_seen: frozenset[int] | None = None
    _parts: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def _grouping(self, by_room: bool, grids: set[int] | None) -> Grouping:
        """The grids ``grids`` (None: all) the actor sees, as a list of ids: the grids of a
        drill-down are read first and are few, and a list keeps PostgreSQL, before its first
        ANALYZE, from joining each record to a subtree query (20 ms a drill-down)."""
        if self.grids_seen is not None:
            grids = set(self.grids_seen) if grids is None else grids & self.grids_seen
        return Grouping(by_room=by_room, grids=() if grids is None else (sorted(grids),))

    def _counts(
        self, session: Session, grouping: Grouping, *, with_rooms: bool = True
    ) -> tuple[OwnCounts, OwnCounts]:
        return own_counts(
            session,
            (self.date_from, self.date_to),
            (self.previous_from, self.previous_to),
            self.today,
            grouping,
            with_rooms=with_rooms,
        )

    def grid(self, code: str) -> _GridNode:
        """The grid ``code`` (NotFound unless the actor sees it or a grid under it)."""
        key = ("grid", code)
        if key not in self._parts:
            with self.ctx.read() as session:
                row: Any = (
                    session.connection()
                    .execute(sa.select(*_NODE_COLUMNS).where(col(Grid.code) == code))
                    .first()
                )
                node = _GridNode(*row) if row is not None else None
                if node is not None:
                    under = set(session.scalars(_subtree(sa.select(sa.literal(node.id)))))
                    if self.grids_seen is not None and not under & self.grids_seen:
                        node = None
                    self._parts[("under", code)] = under
            self._parts[key] = node
        found: _GridNode | None = self._parts[key]
        if found is None:
            raise NotFound(_("no grid with code {code}").format(code=code))
        return found

    def rooms_under(self, parent: _GridNode) -> _RoomPart:
        """The room and station levels of what lies in ``parent``'s subtree."""
        key = ("rooms", parent.id)
        if key not in self._parts:
            grouping = self._grouping(True, self._parts[("under", parent.code)])
            with self.ctx.read() as session:
                now, before = self._counts(session, grouping, with_rooms=False)
                rooms = {room_id for (room_id,) in session.connection().execute(grouping.rooms())}
            # what the rooms own as a whole: read with the first screen
            own_rooms = self.now.by_room, self.before.by_room
            for counts, owned in zip((now, before), own_rooms, strict=True):
                counts.by_room = owned
            self._parts[key] = _RoomPart(
                _Rooms.of(now, self.units, rooms), _Rooms.of(before, self.units, rooms), rooms
            )
        part: _RoomPart = self._parts[key]
        return part

    def grids_of(self, root: tuple[str, int] | None) -> _GridPart:
        """The grid level of one room's grids (``("room", id)``), of one grid's subtree
        (``("grid", id)``) or of the whole branch (None): only those grids are read."""
        key = ("grids", root)
        if key not in self._parts:
            if root is None:
                grids = None
            elif root[0] == "room":
                grids = scope.grids_of_rooms(sa.select(sa.literal(root[1])))
            else:
                grids = _subtree(sa.select(sa.literal(root[1])))
            with self.ctx.read() as session:
                tree = _Tree(session, grids)
                # what the rooms own as a whole: read with the first screen
                grouping = self._grouping(False, None if grids is None else set(tree.grids))
                now, before = self._counts(session, grouping, with_rooms=False)
                listed = None if grids is None else sorted(tree.grids)
                targets = _Targets(session, tree, self.date_from, self.date_to, listed)
            self._parts[key] = _GridPart(tree, now, before, targets)
        part: _GridPart = self._parts[key]
        return part


def snapshot(ctx: ServiceContext, date_from: date, date_to: date) -> StatsSnapshot:
    """The counts of the period ``date_from``..``date_to`` (inclusive) and of the period of
    the same length before it, per police room (one grouped query per figure family)."""
    if date_to < date_from:
        raise ValidationError.single("date_to", _("the period ends before it starts"))
    previous_from, previous_to = previous_period(date_from, date_to)
    today = ctx.clock.today()
    limited = not scope.everywhere(ctx.actor)
    grouping = Grouping(by_room=True)
    with ctx.read() as session:
        units = _Units(session)
        rooms_seen = grids_seen = None
        rooms: set[int | None] | None = None
        if limited:
            # A desk officer's figures are their room's, a supervisor's their station's.
            rooms_seen = frozenset(session.scalars(scope.room_ids(ctx.actor)))
            grids_seen = frozenset(session.scalars(scope.grid_ids(ctx.actor)))
            grouping = Grouping(by_room=True, grids=(sorted(grids_seen),))
            rooms = {room_id for (room_id,) in session.connection().execute(grouping.rooms())}
        now, before = own_counts(
            session, (date_from, date_to), (previous_from, previous_to), today, grouping
        )
        room_targets = _room_targets(session, date_from, date_to)
    return StatsSnapshot(
        ctx,
        date_from,
        date_to,
        previous_from,
        previous_to,
        today,
        units,
        _RoomPart(_Rooms.of(now, units, rooms), _Rooms.of(before, units, rooms), rooms),
        now,
        before,
        room_targets,
        rooms_seen,
        grids_seen,
    )


def stats(
    ctx: ServiceContext,
    level: Level,
    date_from: date,
    date_to: date,
    *,
    grid_code: str | None = None,
    station_id: int | None = None,
    room_id: int | None = None,
) -> StatsReport:
    """The rows of ``level`` for the period ``date_from``..``date_to`` (inclusive); see
    ``rows_of``."""
    return rows_of(
        snapshot(ctx, date_from, date_to),
        level,
        grid_code=grid_code,
        station_id=station_id,
        room_id=room_id,
    )


def load(
    found: StatsSnapshot,
    level: Level,
    *,
    grid_code: str | None = None,
    station_id: int | None = None,
    room_id: int | None = None,
) -> None:
    """Read what ``rows_of`` needs for these arguments and the snapshot does not hold yet
    (a drill-down's grids): a worker calls it so that ``rows_of`` on the screen's thread
    finds it read."""
    rows_of(found, level, grid_code=grid_code, station_id=station_id, room_id=room_id)


def rows_of(
    found: StatsSnapshot,
    level: Level,
    *,
    grid_code: str | None = None,
    station_id: int | None = None,
    room_id: int | None = None,
) -> StatsReport:
    """The rows of ``level``, each with the previous period's figures and its targets.

    ``station_id`` keeps the rooms of one station; ``room_id`` shows the grids of one room;
    ``grid_code`` shows the grids under that grid (level ``grid``) or keeps what lies in its
    subtree (levels ``station`` and ``room``). The first screen's levels come from the
    snapshot; a level of grids reads those grids (once) when first asked.
    """
    parent = found.grid(grid_code) if grid_code is not None else None
    if room_id is not None and (
        room_id not in found.units.rooms
        or (found.rooms_seen is not None and room_id not in found.rooms_seen)
    ):
        raise NotFound(_("no police room with number {id}").format(id=room_id))
    build = _Rows(found)
    if level == "station":
        rows = build.stations(found.rooms if parent is None else found.rooms_under(parent))
    elif level == "room":
        part = found.rooms if parent is None else found.rooms_under(parent)
        rows = build.rooms(part, station_id)
    elif parent is not None:
        rows = build.children(found.grids_of(("grid", parent.id)), parent)
    elif room_id is not None:
        rows = build.room_grids(found.grids_of(("room", room_id)), room_id)
    else:
        rows = build.villages(found.grids_of(None))
    return StatsReport(
        level=level,
        date_from=found.date_from,
        date_to=found.date_to,
        previous_from=found.previous_from,
        previous_to=found.previous_to,
        rows=tuple(rows),
        total=build.total(rows),
        parent=parent.code if parent is not None else "",
    )


class _Rows:
    def __init__(self, found: StatsSnapshot) -> None:
        self.found = found
        self.units = found.units
        self.rooms_seen, self.grids_seen = found.rooms_seen, found.grids_seen

    def _sees_room(self, room_id: int) -> bool:
        return self.rooms_seen is None or room_id in self.rooms_seen

    def _near(self, part: _GridPart) -> set[int] | None:
        """The grids a limited actor sees and the grids above them: a street over a
        supervisor's rooms is a row of theirs, counting only what lies in their rooms."""
        if self.grids_seen is None:
            return None
        near: set[int] = set()
        for node in part.tree.grids.values():
            if node.id in self.grids_seen:
                near.update(tree.path_ids(node.path))
        return near

    def _remainder(self, kind: RowKind, code: str, now: Counts, before: Counts) -> StatsRow:
        return StatsRow(kind, None, code, "", dict(now), dict(before), {})

    def stations(self, part: _RoomPart) -> list[StatsRow]:
        rows = [
            StatsRow(
                "station",
                station_id,
                code,
                name,
                dict(part.now.station.get(station_id, {})),
                dict(part.before.station.get(station_id, {})),
                _sum_targets(self._room_rows(part, station_id)),
                has_children=True,
            )
            for station_id, (code, name) in self.units.stations.items()
            if self.rooms_seen is None
            or any(
                room[2] == station_id and self._sees_room(room_id)
                for room_id, room in self.units.rooms.items()
            )
        ]
        return rows + self._unassigned(part)

    def _room_rows(self, part: _RoomPart, station_id: int | None) -> list[StatsRow]:
        return [
            StatsRow(
                "room",
                room_id,
                code,
                name,
                dict(part.now.room.get(room_id, {})),
                dict(part.before.room.get(room_id, {})),
                _rounded(self.found.room_targets.get(room_id, {})),
                has_children=True,
            )
            for room_id, (code, name, room_station) in self.units.rooms.items()
            if (station_id is None or room_station == station_id)
            and (part.rooms is None or room_id in part.rooms)
            and self._sees_room(room_id)
        ]

    def rooms(self, part: _RoomPart, station_id: int | None) -> list[StatsRow]:
        rows = self._room_rows(part, station_id)
        return rows if station_id is not None else rows + self._unassigned(part)

    def _unassigned(self, part: _RoomPart) -> list[StatsRow]:
        if self.rooms_seen is not None:
            return []  # what no room owns is no limited actor's
        now, before = part.now.unassigned, part.before.unassigned
        if not any(now.values()) and not any(before.values()):
            return []
        return [self._remainder("unassigned", _("(no police room)"), now, before)]

    def _grid_row(self, part: _GridPart, grid_id: int) -> StatsRow:
        node = part.tree.grids[grid_id]
        return StatsRow(
            "grid",
            grid_id,
            node.code,
            node.name,
            dict(part.subtree_now.get(grid_id, {})),
            dict(part.subtree_before.get(grid_id, {})),
            _rounded(part.targets.of_grid(grid_id)),
            has_children=bool(node.children),
        )

    def _by_code(self, part: _GridPart, grid_ids: list[int]) -> list[int]:
        return sorted(grid_ids, key=lambda grid_id: part.tree.grids[grid_id].code)

    def children(self, part: _GridPart, parent: _GridNode) -> list[StatsRow]:
        near = self._near(part)
        node = part.tree.grids.get(parent.id)
        rows = [
            self._grid_row(part, child)
            for child in self._by_code(part, node.children if node is not None else [])
            if near is None or child in near
        ]
        now = dict(part.now.by_grid.get(parent.id, {}))
        before = dict(part.before.by_grid.get(parent.id, {}))
        if any(now.values()) or any(before.values()):
            rows.append(
                self._remainder(
                    "grid_itself", _("{code} itself").format(code=parent.code), now, before
                )
            )
        return rows

    def room_grids(self, part: _GridPart, room_id: int) -> list[StatsRow]:
        room_of = part.tree.room_of()
        tops = [
            node.id
            for node in part.tree.grids.values()
            if room_of[node.id] == room_id
            and (node.parent_id not in room_of or room_of[node.parent_id] != room_id)
        ]
        rows = [self._grid_row(part, grid_id) for grid_id in self._by_code(part, tops)]
        now = dict(self.found.now.by_room.get(room_id, {}))
        before = dict(self.found.before.by_room.get(room_id, {}))
        if any(now.values()) or any(before.values()):
            code = self.units.rooms[room_id][0]
            rows.append(
                self._remainder(
                    "room_itself", _("{code} as a whole").format(code=code), now, before
                )
            )
        return rows

    def villages(self, part: _GridPart) -> list[StatsRow]:
        """Every level-2 grid; what sits on a level-1 grid itself, and what a room or nobody
        owns as a whole, on rows of their own."""
        near = self._near(part)
        grids = part.tree.grids
        rows: list[StatsRow] = []
        for node in sorted(grids.values(), key=lambda node: node.code):
            if near is not None and node.id not in near:
                continue
            if node.level >= 2 and (
                node.parent_id not in grids or grids[node.parent_id].level == 1
            ):
                rows.append(self._grid_row(part, node.id))
            elif node.level == 1:
                now = dict(part.now.by_grid.get(node.id, {}))
                before = dict(part.before.by_grid.get(node.id, {}))
                if any(now.values()) or any(before.values()):
                    rows.append(
                        self._remainder(
                            "grid_itself", _("{code} itself").format(code=node.code), now, before
                        )
                    )
        for room_id, (code, _name, _station) in self.units.rooms.items():
            if not self._sees_room(room_id):
                continue
            now = dict(self.found.now.by_room.get(room_id, {}))
            before = dict(self.found.before.by_room.get(room_id, {}))
            if any(now.values()) or any(before.values()):
                rows.append(
                    self._remainder(
                        "room_itself", _("{code} as a whole").format(code=code), now, before
                    )
                )
        unplaced = self.found.now.unplaced, self.found.before.unplaced
        if self.rooms_seen is None and (any(unplaced[0].values()) or any(unplaced[1].values())):
            rows.append(self._remainder("unassigned", _("(no police room)"), *unplaced))
        return rows

    def total(self, rows: list[StatsRow]) -> StatsRow:
        now: Counts = {}
        before: Counts = {}
        for row in rows:
            _add(now, row.figures)
            _add(before, row.previous)
        return StatsRow("total", None, _("Total"), "", now, before, _sum_targets(rows))


def ranking(
    rows: tuple[StatsRow, ...] | list[StatsRow], key: str, descending: bool = True
) -> list[StatsRow]:
    """The rows (remainder rows left out) ordered by ``key`` (one of ``SORT_KEYS``), ties by
    code; a row without a value for a share or a progress sorts last."""
    if key not in SORT_KEYS:
        raise ValidationError.single("sort", _("no column {key}").format(key=key))
    ranked = [row for row in rows if row.kind in ("station", "room", "grid")]
    ranked.sort(key=lambda row: row.code)
    ranked.sort(key=lambda row: row.sort_value(key), reverse=descending)
    return ranked


def unit_grids(room_id: int | None, station_id: int | None) -> Any:
    """The ids of the grids one police room owns, or one station's rooms (a subquery); None
    when neither is given."""
    if room_id is not None:
        return scope.grids_of_rooms(sa.select(sa.literal(room_id)))
    if station_id is not None:
        rooms = sa.select(col(PoliceRoom.id)).where(col(PoliceRoom.station_id) == station_id)
        return scope.grids_of_rooms(rooms)
    return None


def targets_of(
    ctx: ServiceContext,
    date_from: date,
    date_to: date,
    grid_code: str | None = None,
    *,
    room_id: int | None = None,
    station_id: int | None = None,
) -> dict[str, int]:
    """The targets of the period for ``grid_code``'s subtree, for the grids of one room or
    of one station's rooms, or for the whole branch (the level-1 grids' targets, each its
    own or its children's)."""
    with ctx.read() as session:
        branch = _Tree(session, None)
        targets = _Targets(session, branch, date_from, date_to, None)
        # A limited actor's targets are those of the grids their rooms own, nobody else's.
        seen = None
        if not scope.everywhere(ctx.actor):
            seen = frozenset(session.scalars(scope.grid_ids(ctx.actor)))
        unit = unit_grids(room_id, station_id)
        if unit is not None:
            owned = frozenset(session.scalars(unit))
            seen = owned if seen is None else seen & owned
    if grid_code is not None:
        node = next((g for g in branch.grids.values() if g.code == grid_code), None)
        if node is None or (seen is not None and node.id not in seen):
            raise NotFound(_("no grid with code {code}").format(code=grid_code))
        return _rounded(targets.of_grid(node.id))
    found: dict[str, float] = {}
    for node in branch.grids.values():
        top = node.parent_id not in branch.grids
        if seen is not None:
            top = node.id in seen and node.parent_id not in seen
        if top:
            for name, value in targets.of_grid(node.id).items():
                found[name] = found.get(name, 0.0) + value
    return _rounded(found)
