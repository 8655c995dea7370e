"""The records behind the statistics figures that no desk pane lists: the visits of a period,
the 1-3-5 calls and the arrivals sent to them, and the weekly sweeps (排查) confirmed or
missing, for one row of the statistics (a station, a police room, a grid, or what a room owns
as a whole).

Each list holds exactly what its figure counts in ``stats_counts`` (a record on a grid belongs
to the grid's police room, or its nearest ancestor's; a call with no grid to the room it
names; a sweep to its room), within the actor's scope. Lists are read a window at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col

from policeroom.models.disputes import SweepReport
from policeroom.models.org import Grid, PoliceRoom, Staff
from policeroom.models.people import Resident, Visit, VisitPurpose, VisitResident
from policeroom.models.roster import ResponseArrival, ResponseCall, ResponseTier
from policeroom.services.core import scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.reports.stats_counts import minutes_to_scene, sweep_weeks

UnitKind = Literal["station", "room", "grid", "room_itself"]


@dataclass(frozen=True)
class Unit:
    """A row of the statistics: a station, a police room or a grid (with its subtree) by id;
    ``room_itself``: what police room ``id`` owns as a whole (its sweeps, calls with no grid)."""

    kind: UnitKind
    id: int


@dataclass(frozen=True)
class VisitLine:
    """One visit (走访) of the list: who went where, whom they met, and what they noted."""

    id: int
    visit_date: date
    grid_code: str
    grid_name: str
    staff_name: str
    purpose: VisitPurpose
    summary: str
    resident_ids: tuple[int, ...]
    resident_names: tuple[str, ...]


@dataclass(frozen=True)
class CallLine:
    """One 1-3-5 call; with ``tier_minutes`` set, one arrival sent to it (a row per tier)."""

    call_id: int
    called_at: datetime
    place: str
    summary: str
    police_room_id: int | None = None
    room_name: str = ""
    tiers_sent: int = 0
    tiers_in_time: int = 0
    tier_code: str = ""
    tier_minutes: int | None = None
    minutes_to_scene: float | None = None
    in_time: bool = False


@dataclass(frozen=True)
class SweepWeek:
    """One fully passed week of the period for one police room: confirmed, or missing."""

    police_room_id: int
    room_code: str
    room_name: str
    week_start: date
    confirmed_by: str = ""
    confirmed_at: datetime | None = None
    disputes_found: int = 0
    nil_report: bool = False

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


@dataclass(frozen=True)
class _Places:
    """The grids whose records count for a unit, and the rooms whose own records do."""

    grids: list[int]
    rooms: list[int]


def _places(session: Session, ctx: ServiceContext, unit: Unit) -> _Places:
    """The unit's grids and rooms as the statistics roll them up, within the actor's scope.

    The grid tree is a few hundred rows: the room of each grid (its own, or its nearest
    ancestor's) is worked out here as ``stats`` does, where a subtree query of the rooms'
    grids would also count a group that answers to another room."""
    rows = session.execute(
        sa.select(col(Grid.id), col(Grid.parent_id), col(Grid.path), col(Grid.police_room_id))
        .where(scope.grids_clause(ctx, col(Grid.id)))
        .order_by(col(Grid.path))
    ).all()
    room_of: dict[int, int | None] = {}
    parents: dict[int, int | None] = {}
    for grid_id, parent_id, _path, own_room in rows:  # parents first, by path
        parents[grid_id] = parent_id
        inherited = room_of.get(parent_id) if parent_id is not None else None
        room_of[grid_id] = own_room if own_room is not None else inherited
    rooms: list[int] = []
    if unit.kind in ("room", "room_itself"):
        rooms = [unit.id]
    elif unit.kind == "station":
        rooms = list(
            session.scalars(
                sa.select(col(PoliceRoom.id)).where(col(PoliceRoom.station_id) == unit.id)
            )
        )
    if rooms:
        seen = session.scalars(
            sa.select(col(PoliceRoom.id)).where(
                col(PoliceRoom.id).in_(rooms), scope.rooms_clause(ctx, col(PoliceRoom.id))
            )
        )
        rooms = sorted(room_id for room_id in seen if room_id is not None)
    if unit.kind == "grid":
        under = {unit.id}
        for grid_id, parent_id, _path, _room in rows:  # parents come before their children
            if parent_id in under:
                under.add(grid_id)
        grids = [grid_id for grid_id in room_of if grid_id in under]
    elif unit.kind == "room_itself":
        grids = []
    else:
        owners = set(rooms)
        grids = [grid_id for grid_id, room_id in room_of.items() if room_id in owners]
    return _Places(grids, rooms)


def _day_range(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    return datetime.combine(date_from, time(0)), datetime.combine(
        date_to + timedelta(days=1), time(0)
    )


# --- visits ---------------------------------------------------------------------------------


def _visits_where(places: _Places, date_from: date, date_to: date) -> list[Any]:
    return [
        col(Visit.grid_id).in_(places.grids),
        col(Visit.visit_date) >= date_from,
        col(Visit.visit_date) <= date_to,
    ]


def visit_count(ctx: ServiceContext, unit: Unit, date_from: date, date_to: date) -> int:
    """How many visits the unit's grids had in the period: the ``visits`` figure."""
    with ctx.read() as session:
        places = _places(session, ctx, unit)
        found = session.execute(
            sa.select(sa.func.count()).where(*_visits_where(places, date_from, date_to))
        ).scalar_one()
        return int(found)


def visit_window(
    ctx: ServiceContext, unit: Unit, date_from: date, date_to: date, offset: int, limit: int
) -> list[VisitLine]:
    """Visits ``offset`` … ``offset + limit`` of the period, newest first."""
    with ctx.read() as session:
        places = _places(session, ctx, unit)
        visits = session.execute(
            sa.select(
                col(Visit.id),
                col(Visit.visit_date),
                col(Grid.code),
                col(Grid.name),
                col(Staff.name),
                col(Visit.purpose),
                col(Visit.summary),
            )
            .join(Grid, col(Grid.id) == col(Visit.grid_id))
            .join(Staff, col(Staff.id) == col(Visit.staff_id))
            .where(*_visits_where(places, date_from, date_to))
            .order_by(col(Visit.visit_date).desc(), col(Visit.id).desc())
            .offset(max(0, offset))
            .limit(max(1, limit))
        ).all()
        met: dict[int, list[tuple[int, str]]] = {}
        for visit_id, resident_id, name in session.execute(
            sa.select(col(VisitResident.visit_id), col(Resident.id), col(Resident.name))
            .join(Resident, col(Resident.id) == col(VisitResident.resident_id))
            .where(col(VisitResident.visit_id).in_([row[0] for row in visits]))
            .order_by(col(Resident.name_pinyin), col(Resident.id))
        ).all():
            met.setdefault(visit_id, []).append((resident_id, name))
    return [
        VisitLine(
            visit_id,
            day,
            code,
            grid_name,
            staff_name,
            VisitPurpose(purpose),
            summary,
            tuple(resident_id for resident_id, _name in met.get(visit_id, [])),
            tuple(name for _id, name in met.get(visit_id, [])),
        )
        for visit_id, day, code, grid_name, staff_name, purpose, summary in visits
    ]


# --- 1-3-5 calls and arrivals ---------------------------------------------------------------


def _calls_where(places: _Places, date_from: date, date_to: date) -> list[Any]:
    """The unit's calls of the period: on its grids, or with no grid on its rooms."""
    start, end = _day_range(date_from, date_to)
    placed: Any = col(ResponseCall.grid_id).in_(places.grids)
    if places.rooms:
        placed = placed | (
            col(ResponseCall.grid_id).is_(None) & col(ResponseCall.police_room_id).in_(places.rooms)
        )
    return [col(ResponseCall.called_at) >= start, col(ResponseCall.called_at) < end, placed]


def _room_name() -> Any:
    found = sa.select(col(PoliceRoom.name)).where(
        col(PoliceRoom.id) == col(ResponseCall.police_room_id)
    )
    return sa.func.coalesce(found.scalar_subquery(), "")


def _place_name() -> Any:
    """A call's place in words: its grid, else its room."""
    grid_name = sa.select(col(Grid.name)).where(col(Grid.id) == col(ResponseCall.grid_id))
    room_name = sa.select(col(PoliceRoom.name)).where(
        col(PoliceRoom.id) == col(ResponseCall.police_room_id)
    )
    return sa.func.coalesce(grid_name.scalar_subquery(), room_name.scalar_subquery(), "")


def _in_time(session: Session) -> Any:
    return sa.and_(
        col(ResponseArrival.arrived_at).is_not(None),
        minutes_to_scene(session) <= col(ResponseTier.minutes),
    )


def call_count(ctx: ServiceContext, unit: Unit, date_from: date, date_to: date) -> int:
    """How many 1-3-5 calls the unit had in the period: the ``calls`` figure."""
    with ctx.read() as session:
        places = _places(session, ctx, unit)
        found = session.execute(
            sa.select(sa.func.count()).where(*_calls_where(places, date_from, date_to))
        ).scalar_one()
        return int(found)


def call_window(
    ctx: ServiceContext, unit: Unit, date_from: date, date_to: date, offset: int, limit: int
) -> list[CallLine]:
    """Calls ``offset`` … ``offset + limit`` of the period, newest first, each with how many
    tiers were sent and how many were on scene in time."""
    with ctx.read() as session:
        places = _places(session, ctx, unit)
        sent = (
            sa.select(
                col(ResponseArrival.call_id).label("call_id"),
                sa.func.count().label("sent"),
                sa.func.count().filter(_in_time(session)).label("in_time"),
            )
            .join(ResponseTier, col(ResponseTier.id) == col(ResponseArrival.tier_id))
            # the call's time again, inside: the time to scene is counted from it
            .join(ResponseCall, col(ResponseCall.id) == col(ResponseArrival.call_id))
            .group_by(col(ResponseArrival.call_id))
            .subquery()
        )
        rows = session.execute(
            sa.select(
                col(ResponseCall.id),
                col(ResponseCall.called_at),
                _place_name(),
                col(ResponseCall.summary),
                col(ResponseCall.police_room_id),
                _room_name(),
                sa.func.coalesce(sent.c.sent, 0),
                sa.func.coalesce(sent.c.in_time, 0),
            )
            .outerjoin(sent, sent.c.call_id == col(ResponseCall.id))
            .where(*_calls_where(places, date_from, date_to))
            .order_by(col(ResponseCall.called_at).desc(), col(ResponseCall.id).desc())
            .offset(max(0, offset))
            .limit(max(1, limit))
        ).all()
    return [
        CallLine(call_id, called_at, place, summary, room_id, room, int(tiers), int(in_time))
        for call_id, called_at, place, summary, room_id, room, tiers, in_time in rows
    ]


def _arrivals(session: Session, places: _Places, date_from: date, date_to: date) -> Any:
    return (
        sa.select(sa.literal(1))
        .select_from(ResponseArrival)
        .join(ResponseCall, col(ResponseCall.id) == col(ResponseArrival.call_id))
        .join(ResponseTier, col(ResponseTier.id) == col(ResponseArrival.tier_id))
        .where(*_calls_where(places, date_from, date_to))
    )


def arrival_count(
    ctx: ServiceContext, unit: Unit, date_from: date, date_to: date, *, in_time_only: bool = False
) -> int:
    """How many arrivals were sent to the unit's calls of the period (the ``arrivals``
    figure), or how many were on scene within their tier (``arrivals_met``)."""
    with ctx.read() as session:
        places = _places(session, ctx, unit)
        statement = _arrivals(session, places, date_from, date_to)
        if in_time_only:
            statement = statement.where(_in_time(session))
        found = session.execute(
            sa.select(sa.func.count()).select_from(statement.subquery())
        ).scalar_one()
        return int(found)


def arrival_window(
    ctx: ServiceContext,
    unit: Unit,
    date_from: date,
    date_to: date,
    offset: int,
    limit: int,
    *,
    in_time_only: bool = False,
) -> list[CallLine]:
    """Arrivals ``offset`` … ``offset + limit``, a row per tier sent, newest call first."""
    with ctx.read() as session:
        places = _places(session, ctx, unit)
        in_time = _in_time(session)
        statement = (
            _arrivals(session, places, date_from, date_to)
            .with_only_columns(
                col(ResponseCall.id),
                col(ResponseCall.called_at),
                _place_name(),
                col(ResponseCall.summary),
                col(ResponseCall.police_room_id),
                _room_name(),
                col(ResponseTier.code),
                col(ResponseTier.minutes),
                sa.case(
                    (col(ResponseArrival.arrived_at).is_not(None), minutes_to_scene(session)),
                    else_=None,
                ),
                sa.case((in_time, 1), else_=0),
            )
            .order_by(
                col(ResponseCall.called_at).desc(),
                col(ResponseCall.id).desc(),
                col(ResponseTier.minutes),
                col(ResponseArrival.id),
            )
            .offset(max(0, offset))
            .limit(max(1, limit))
        )
        if in_time_only:
            statement = statement.where(in_time)
        rows = session.execute(statement).all()
    return [
        CallLine(
            call_id,
            called_at,
            place,
            summary,
            room_id,
            room,
            tier_code=code,
            tier_minutes=int(minutes),
            minutes_to_scene=None if taken is None else float(taken),
            in_time=bool(met),
        )
        for call_id, called_at, place, summary, room_id, room, code, minutes, taken, met in rows
    ]


# --- weekly sweeps --------------------------------------------------------------------------


def _sweep_rooms(session: Session, ctx: ServiceContext, unit: Unit) -> list[tuple[int, str, str]]:
    """The police rooms whose sweeps the unit's figure counts (a grid's counts none)."""
    if unit.kind == "grid":
        return []
    rooms = _places(session, ctx, unit).rooms
    return [
        (room_id, code, name)
        for room_id, code, name in session.execute(
            sa.select(col(PoliceRoom.id), col(PoliceRoom.code), col(PoliceRoom.name))
            .where(col(PoliceRoom.id).in_(rooms))
            .order_by(col(PoliceRoom.code))
        ).all()
    ]


def sweep_week_count(ctx: ServiceContext, unit: Unit, date_from: date, date_to: date) -> int:
    """How many (room, week) lines the sweep list has: every fully passed week of the period
    for every room of the unit."""
    weeks = sweep_weeks(date_from, date_to, ctx.clock.today())
    with ctx.read() as session:
        return len(weeks) * len(_sweep_rooms(session, ctx, unit))


def missing_sweep_count(ctx: ServiceContext, unit: Unit, date_from: date, date_to: date) -> int:
    """The weeks of the period a room of the unit has not confirmed: ``missing_sweeps``."""
    weeks = sweep_weeks(date_from, date_to, ctx.clock.today())
    with ctx.read() as session:
        rooms = [room_id for room_id, _code, _name in _sweep_rooms(session, ctx, unit)]
        if not weeks or not rooms:
            return 0
        confirmed = session.execute(
            sa.select(sa.func.count()).where(
                col(SweepReport.police_room_id).in_(rooms), col(SweepReport.week_start).in_(weeks)
            )
        ).scalar_one()
        return len(weeks) * len(rooms) - int(confirmed)


def sweep_week_window(
    ctx: ServiceContext, unit: Unit, date_from: date, date_to: date, offset: int, limit: int
) -> list[SweepWeek]:
    """Lines ``offset`` … ``offset + limit``: room by room (by number), the newest week first.

    The lines are the rooms times the weeks, a few thousand at most (58 rooms, a year), so
    they are made here and only the window's rooms' sweeps are read."""
    weeks = sorted(sweep_weeks(date_from, date_to, ctx.clock.today()), reverse=True)
    if not weeks:
        return []
    with ctx.read() as session:
        rooms = _sweep_rooms(session, ctx, unit)
        first, last = max(0, offset), max(0, offset) + max(1, limit)
        wanted = [(room, week) for room in rooms for week in weeks][first:last]
        room_ids = sorted({room[0] for room, _week in wanted})
        reports = {
            (report.police_room_id, report.week_start): report
            for report in session.execute(
                sa.select(SweepReport).where(
                    col(SweepReport.police_room_id).in_(room_ids),
                    col(SweepReport.week_start).in_(weeks),
                )
            ).scalars()
        }
    lines: list[SweepWeek] = []
    for (room_id, code, name), week in wanted:
        report = reports.get((room_id, week))
        if report is None:
            lines.append(SweepWeek(room_id, code, name, week))
        else:
            lines.append(
                SweepWeek(
                    room_id,
                    code,
                    name,
                    week,
                    report.confirmed_by,
                    report.confirmed_at,
                    report.disputes_found,
                    report.nil_report,
                )
            )
    return lines
