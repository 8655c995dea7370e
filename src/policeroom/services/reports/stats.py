"""Headquarters statistics (统计): the branch's figures by station, police room and grid.

The counting is done in SQL by ``stats_counts`` (one grouped query per figure family, one row
per grid or room); here those counts are rolled up the grid tree, which a branch keeps in a
few hundred rows. A grid's record belongs to the police room of the grid or of its nearest
ancestor that has one, and a room to its station, so every row adds up to the level above and
the whole to ``report summary`` for the same period. What a police room owns as a whole
(weekly sweeps, calls logged without a grid) belongs to the room, not to any of its grids;
the grid level shows it on a row of its own so that the rows still add up.

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


class _Branch:
    """The grid tree, rooms and stations, read once (a few hundred rows)."""

    def __init__(self, session: Session) -> None:
        self.grids: dict[int, _GridNode] = {}
        for grid_id, code, name, level, parent_id, room_id, path in session.execute(
            sa.select(
                col(Grid.id),
                col(Grid.code),
                col(Grid.name),
                col(Grid.level),
                col(Grid.parent_id),
                col(Grid.police_room_id),
                col(Grid.path),
            ).order_by(col(Grid.path))
        ).all():
            self.grids[grid_id] = _GridNode(grid_id, code, name, level, parent_id, room_id, path)
        for node in self.grids.values():
            if node.parent_id in self.grids:
                self.grids[node.parent_id].children.append(node.id)
        self.room_of: dict[int, int | None] = {}
        for node in self.grids.values():  # in path order: parents first
            parent = self.room_of.get(node.parent_id) if node.parent_id is not None else None
            self.room_of[node.id] = node.own_room if node.own_room is not None else parent
        self.rooms = {
            room_id: (code, name, station_id)
            for room_id, code, name, station_id in session.execute(
                sa.select(
                    col(PoliceRoom.id),
                    col(PoliceRoom.code),
                    col(PoliceRoom.name),
                    col(PoliceRoom.station_id),
                ).order_by(col(PoliceRoom.code))
            ).all()
        }
        self._top = self._tops()
        self.stations = {
            station_id: (code, name)
            for station_id, code, name in session.execute(
                sa.select(
                    col(PoliceStation.id), col(PoliceStation.code), col(PoliceStation.name)
                ).order_by(col(PoliceStation.code))
            ).all()
        }

    def top_grids(self, room_id: int) -> list[int]:
        """The room's highest grids: its own, whose parent answers to another room."""
        return self._top.get(room_id, [])

    def _tops(self) -> dict[int, list[int]]:
        tops: dict[int, list[int]] = {}
        for node in self.grids.values():
            room_id = self.room_of[node.id]
            if room_id is not None and (
                node.parent_id is None or self.room_of.get(node.parent_id) != room_id
            ):
                tops.setdefault(room_id, []).append(node.id)
        return tops


class _Rollup:
    """One period's counts summed per room and per station, and per grid subtree when a
    drill-down asks (the first screen shows rooms: no need to sum 670 subtrees for it)."""

    def __init__(self, branch: _Branch, own: OwnCounts, only: set[int] | None) -> None:
        self.own, self.branch, self.only = own, branch, only
        self.room: defaultdict[int, Counts] = defaultdict(dict)
        self.station: defaultdict[int, Counts] = defaultdict(dict)
        self.unassigned: Counts = {}
        for grid_id, counts in own.by_grid.items():
            if grid_id not in branch.grids or (only is not None and grid_id not in only):
                continue
            room_id = branch.room_of[grid_id]
            _add(self.room[room_id] if room_id is not None else self.unassigned, counts)
        rooms_in_scope = None if only is None else {branch.room_of[grid_id] for grid_id in only}
        for room_id, counts in own.by_room.items():
            if rooms_in_scope is None or room_id in rooms_in_scope:
                _add(self.room[room_id], counts)
        if only is None:
            _add(self.unassigned, own.unplaced)
        for room_id, counts in self.room.items():
            if room_id in branch.rooms:
                _add(self.station[branch.rooms[room_id][2]], counts)

    @cached_property
    def subtree(self) -> defaultdict[int, Counts]:
        """Each grid's counts with its whole subtree's, children summed into their parent
        from the leaves up (the grids are kept in path order: parents first)."""
        found: defaultdict[int, Counts] = defaultdict(dict)
        for grid_id, counts in self.own.by_grid.items():
            if grid_id in self.branch.grids and (self.only is None or grid_id in self.only):
                _add(found[grid_id], counts)
        for node in reversed(self.branch.grids.values()):
            if node.id in found and node.parent_id in self.branch.grids:
                _add(found[node.parent_id], found[node.id])
        return found


class _Targets:
    """Targets overlapping the period, in proportion to the days shared, per grid subtree."""

    def __init__(self, session: Session, branch: _Branch, date_from: date, date_to: date) -> None:
        self.branch = branch
        self.own: defaultdict[int, dict[str, float]] = defaultdict(dict)
        # Plain columns, not Target objects: a branch has a target row per grid and period.
        columns = [col(getattr(Target, column)) for column in TARGETS.values()]
        for grid_id, start, end, *numbers in session.execute(
            sa.select(
                col(Target.grid_id), col(Target.period_start), col(Target.period_end), *columns
            ).where(col(Target.period_start) <= date_to, col(Target.period_end) >= date_from)
        ).all():
            days = (end - start).days + 1
            shared = (min(end, date_to) - max(start, date_from)).days
            weight = (shared + 1) / days if days > 0 else 0.0
            own = self.own[grid_id]
            for figure, number in zip(TARGETS, numbers, strict=True):
                own[figure] = own.get(figure, 0.0) + number * weight
        self._memo: dict[int, dict[str, float]] = {}

    def of_grid(self, grid_id: int) -> dict[str, float]:
        if grid_id not in self._memo:
            if grid_id in self.own:
                found = dict(self.own[grid_id])
            else:
                found = {}
                for child in self.branch.grids[grid_id].children:
                    for name, value in self.of_grid(child).items():
                        found[name] = found.get(name, 0.0) + value
            self._memo[grid_id] = found
        return self._memo[grid_id]

    def of_room(self, room_id: int) -> dict[str, float]:
        found: dict[str, float] = {}
        for grid_id in self.branch.top_grids(room_id):
            for name, value in self.of_grid(grid_id).items():
                found[name] = found.get(name, 0.0) + value
        return found


def _rounded(targets: dict[str, float]) -> dict[str, int]:
    return {name: round(value) for name, value in targets.items() if round(value) > 0}


def _sum_targets(rows: list[StatsRow]) -> dict[str, int]:
    total: dict[str, int] = {}
    for row in rows:
        for name, value in row.targets.items():
            total[name] = total.get(name, 0) + value
    return total


@dataclass(frozen=True)
class StatsSnapshot:
    """Everything the report of one period counts, read in one snapshot: any level, any
    drill-down and any ranking is then made from it without asking the database again."""

    date_from: date
    date_to: date
    previous_from: date
    previous_to: date
    branch: _Branch
    now: OwnCounts
    before: OwnCounts
    targets: _Targets
    # The rooms and grids of an actor limited to some rooms (None: the whole branch).
    rooms_seen: frozenset[int] | None = None
    grids_seen: frozenset[int] | None = None
    _rollups: dict[str, _Rollup] = field(default_factory=dict, compare=False, repr=False)

    def rollups(self, only: set[int] | None) -> tuple[_Rollup, _Rollup]:
        """This period's and the previous one's roll-ups (the whole branch's made once)."""
        if only is not None:
            return _Rollup(self.branch, self.now, only), _Rollup(self.branch, self.before, only)
        if not self._rollups:
            self._rollups["now"] = _Rollup(self.branch, self.now, None)
            self._rollups["before"] = _Rollup(self.branch, self.before, None)
        return self._rollups["now"], self._rollups["before"]


def snapshot(ctx: ServiceContext, date_from: date, date_to: date) -> StatsSnapshot:
    """The counts of the period ``date_from``..``date_to`` (inclusive) and of the period of
    the same length before it (one grouped query per figure family each)."""
    if date_to < date_from:
        raise ValidationError.single("date_to", _("the period ends before it starts"))
    previous_from, previous_to = previous_period(date_from, date_to)
    today = ctx.clock.today()
    with ctx.read() as session:
        branch = _Branch(session)
        rooms_seen = grids_seen = None
        if not scope.everywhere(ctx.actor):
            # A desk officer's figures are their room's, a supervisor's their station's.
            rooms_seen = frozenset(session.scalars(scope.room_ids(ctx.actor)))
            grids_seen = frozenset(session.scalars(scope.grid_ids(ctx.actor)))
        return StatsSnapshot(
            date_from,
            date_to,
            previous_from,
            previous_to,
            branch,
            *own_counts(session, (date_from, date_to), (previous_from, previous_to), today),
            _Targets(session, branch, date_from, date_to),
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
    subtree (levels ``station`` and ``room``).
    """
    branch = found.branch
    parent: _GridNode | None = None
    only: set[int] | None = None
    if grid_code is not None:
        parent = next((g for g in branch.grids.values() if g.code == grid_code), None)
        near = _near(branch, found.grids_seen)
        if parent is None or (near is not None and parent.id not in near):
            raise NotFound(_("no grid with code {code}").format(code=grid_code))
        if level != "grid":
            only = {g.id for g in branch.grids.values() if g.path.startswith(parent.path)}
    if found.grids_seen is not None:
        only = set(found.grids_seen) if only is None else only & found.grids_seen
    if room_id is not None and (
        room_id not in branch.rooms
        or (found.rooms_seen is not None and room_id not in found.rooms_seen)
    ):
        raise NotFound(_("no police room with number {id}").format(id=room_id))
    now, before = found.rollups(only)
    build = _Rows(branch, now, before, found.targets, found.rooms_seen, found.grids_seen)
    if level == "station":
        rows = build.stations()
    elif level == "room":
        rows = build.rooms(station_id, only)
    elif parent is not None:
        rows = build.children(parent)
    elif room_id is not None:
        rows = build.room_grids(room_id)
    else:
        rows = build.villages()
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


def _near(branch: _Branch, grids_seen: frozenset[int] | None) -> set[int] | None:
    """The grids a limited actor sees and the grids above them: a street over a supervisor's
    rooms is a row of theirs, counting only what lies in their rooms."""
    if grids_seen is None:
        return None
    near: set[int] = set()
    for grid_id in grids_seen:
        node = branch.grids.get(grid_id)
        if node is not None:
            near.update(tree.path_ids(node.path))
    return near


class _Rows:
    def __init__(
        self,
        branch: _Branch,
        now: _Rollup,
        before: _Rollup,
        targets: _Targets,
        rooms_seen: frozenset[int] | None = None,
        grids_seen: frozenset[int] | None = None,
    ) -> None:
        self.branch, self.now, self.before, self.targets = branch, now, before, targets
        self.rooms_seen, self.grids_seen = rooms_seen, grids_seen
        self.near = _near(branch, grids_seen)

    def _sees_room(self, room_id: int) -> bool:
        return self.rooms_seen is None or room_id in self.rooms_seen

    def _sees_grid(self, grid_id: int) -> bool:
        return self.near is None or grid_id in self.near

    def _remainder(self, kind: RowKind, code: str, now: Counts, before: Counts) -> StatsRow:
        return StatsRow(kind, None, code, "", dict(now), dict(before), {})

    def stations(self) -> list[StatsRow]:
        rows = [
            StatsRow(
                "station",
                station_id,
                code,
                name,
                dict(self.now.station.get(station_id, {})),
                dict(self.before.station.get(station_id, {})),
                _sum_targets(self._room_rows(station_id, None)),
                has_children=True,
            )
            for station_id, (code, name) in self.branch.stations.items()
            if self.rooms_seen is None
            or any(
                room[2] == station_id and self._sees_room(room_id)
                for room_id, room in self.branch.rooms.items()
            )
        ]
        return rows + self._unassigned()

    def _room_rows(self, station_id: int | None, only: set[int] | None) -> list[StatsRow]:
        rooms_in_scope = (
            None if only is None else {self.branch.room_of[grid_id] for grid_id in only}
        )
        return [
            StatsRow(
                "room",
                room_id,
                code,
                name,
                dict(self.now.room.get(room_id, {})),
                dict(self.before.room.get(room_id, {})),
                _rounded(self.targets.of_room(room_id)),
                has_children=True,
            )
            for room_id, (code, name, room_station) in self.branch.rooms.items()
            if (station_id is None or room_station == station_id)
            and (rooms_in_scope is None or room_id in rooms_in_scope)
            and self._sees_room(room_id)
        ]

    def rooms(self, station_id: int | None, only: set[int] | None) -> list[StatsRow]:
        rows = self._room_rows(station_id, only)
        return rows if station_id is not None else rows + self._unassigned()

    def _unassigned(self) -> list[StatsRow]:
        if self.rooms_seen is not None:
            return []  # what no room owns is no limited actor's
        if not any(self.now.unassigned.values()) and not any(self.before.unassigned.values()):
            return []
        return [
            self._remainder(
                "unassigned", _("(no police room)"), self.now.unassigned, self.before.unassigned
            )
        ]

    def _grid_row(self, grid_id: int) -> StatsRow:
        node = self.branch.grids[grid_id]
        return StatsRow(
            "grid",
            grid_id,
            node.code,
            node.name,
            dict(self.now.subtree.get(grid_id, {})),
            dict(self.before.subtree.get(grid_id, {})),
            _rounded(self.targets.of_grid(grid_id)),
            has_children=bool(node.children),
        )

    def _by_code(self, grid_ids: list[int]) -> list[int]:
        return sorted(grid_ids, key=lambda grid_id: self.branch.grids[grid_id].code)

    def children(self, parent: _GridNode) -> list[StatsRow]:
        rows = [
            self._grid_row(child)
            for child in self._by_code(parent.children)
            if self._sees_grid(child)
        ]
        now = dict(self.now.own.by_grid.get(parent.id, {}))
        before = dict(self.before.own.by_grid.get(parent.id, {}))
        if any(now.values()) or any(before.values()):
            rows.append(
                self._remainder(
                    "grid_itself", _("{code} itself").format(code=parent.code), now, before
                )
            )
        return rows

    def room_grids(self, room_id: int) -> list[StatsRow]:
        rows = [
            self._grid_row(grid_id) for grid_id in self._by_code(self.branch.top_grids(room_id))
        ]
        now = dict(self.now.own.by_room.get(room_id, {}))
        before = dict(self.before.own.by_room.get(room_id, {}))
        if any(now.values()) or any(before.values()):
            code = self.branch.rooms[room_id][0]
            rows.append(
                self._remainder(
                    "room_itself", _("{code} as a whole").format(code=code), now, before
                )
            )
        return rows

    def villages(self) -> list[StatsRow]:
        """Every level-2 grid; what sits on a level-1 grid itself, and what a room or nobody
        owns as a whole, on rows of their own."""
        rows: list[StatsRow] = []
        for node in sorted(self.branch.grids.values(), key=lambda node: node.code):
            if not self._sees_grid(node.id):
                continue
            if node.level >= 2 and (
                node.parent_id not in self.branch.grids
                or self.branch.grids[node.parent_id].level == 1
            ):
                rows.append(self._grid_row(node.id))
            elif node.level == 1:
                now = dict(self.now.own.by_grid.get(node.id, {}))
                before = dict(self.before.own.by_grid.get(node.id, {}))
                if any(now.values()) or any(before.values()):
                    rows.append(
                        self._remainder(
                            "grid_itself", _("{code} itself").format(code=node.code), now, before
                        )
                    )
        for room_id, (code, _name, _station) in self.branch.rooms.items():
            now = dict(self.now.own.by_room.get(room_id, {}))
            before = dict(self.before.own.by_room.get(room_id, {}))
            if any(now.values()) or any(before.values()):
                rows.append(
                    self._remainder(
                        "room_itself", _("{code} as a whole").format(code=code), now, before
                    )
                )
        if any(self.now.own.unplaced.values()) or any(self.before.own.unplaced.values()):
            rows.append(
                self._remainder(
                    "unassigned",
                    _("(no police room)"),
                    self.now.own.unplaced,
                    self.before.own.unplaced,
                )
            )
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
        branch = _Branch(session)
        targets = _Targets(session, branch, date_from, date_to)
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
