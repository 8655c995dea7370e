"""The organisation around the grid: branch, police stations, police rooms, teams, key units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction
from policeroom.models.org import (
    Branch,
    BranchCreate,
    Grid,
    KeyUnit,
    KeyUnitCreate,
    KeyUnitKind,
    PoliceRoom,
    PoliceRoomCreate,
    PoliceStation,
    Staff,
    StationCreate,
    Team,
    TeamCreate,
    TeamKind,
    TeamMember,
)
from policeroom.services.core import audit
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound
from policeroom.services.core.fields import Problems


@dataclass(frozen=True)
class BranchRow:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class StationRow:
    id: int
    code: str
    name: str
    branch_id: int
    address: str
    phone: str


@dataclass(frozen=True)
class PoliceRoomRow:
    id: int
    code: str
    name: str
    station_id: int
    station_name: str
    address: str
    phone: str


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    kind: TeamKind
    grid_id: int | None
    leader_name: str
    member_names: tuple[str, ...]


@dataclass(frozen=True)
class KeyUnitRow:
    id: int
    name: str
    kind: KeyUnitKind
    grid_id: int
    address: str
    contact: str
    phone: str
    guard_team_id: int | None
    guard_team_name: str


def _unique_code(
    session: Session, problems: Problems, table: Any, code: str, record_id: int | None = None
) -> None:
    clash = session.exec(select(table.id).where(table.code == code, table.id != record_id)).first()
    if clash is not None:
        problems.add("code", _("code {code} is already used").format(code=code))


def _insert(
    session: Session,
    ctx: ServiceContext,
    table_name: str,
    row: Any,
    extra: dict[str, Any] | None = None,
) -> Any:
    now = ctx.clock.now()
    if hasattr(row, "created_at"):
        row.created_at = now
        row.updated_at = now
    session.add(row)
    session.flush()
    after = audit.snapshot(row) | (extra or {})
    audit.record(session, ctx, AuditAction.CREATE, table_name, row.id, None, after)
    return row


# --- branch, stations, police rooms ------------------------------------------------------


def create_branch(ctx: ServiceContext, data: BranchCreate) -> BranchRow:
    core_scope.require_structure(ctx)
    with ctx.transaction() as session:
        problems = Problems()
        _unique_code(session, problems, Branch, data.code)
        problems.raise_if_any(_("branch"))
        branch = _insert(session, ctx, "branch", Branch.model_validate(data))
        return BranchRow(branch.id, branch.code, branch.name)


def list_branches(ctx: ServiceContext) -> list[BranchRow]:
    with ctx.read() as session:
        rows = session.exec(select(Branch).order_by(col(Branch.code))).all()
        return [BranchRow(b.id, b.code, b.name) for b in rows if b.id is not None]


def create_station(ctx: ServiceContext, data: StationCreate) -> StationRow:
    core_scope.require_structure(ctx)
    with ctx.transaction() as session:
        problems = Problems()
        _unique_code(session, problems, PoliceStation, data.code)
        problems.reference(session, "branch_id", Branch, data.branch_id, _("branch"))
        problems.raise_if_any(_("police station"))
        station = PoliceStation.model_validate(data)
        _insert(session, ctx, "police_station", station)
        return _station_row(station)


def _station_row(s: PoliceStation) -> StationRow:
    assert s.id is not None
    return StationRow(s.id, s.code, s.name, s.branch_id, s.address, s.phone)


def list_stations(ctx: ServiceContext, branch_id: int | None = None) -> list[StationRow]:
    statement = select(PoliceStation).order_by(col(PoliceStation.code))
    if branch_id is not None:
        statement = statement.where(col(PoliceStation.branch_id) == branch_id)
    with ctx.read() as session:
        return [_station_row(s) for s in session.exec(statement).all()]


def create_room(ctx: ServiceContext, data: PoliceRoomCreate) -> PoliceRoomRow:
    core_scope.require_structure(ctx)
    with ctx.transaction() as session:
        problems = Problems()
        _unique_code(session, problems, PoliceRoom, data.code)
        station = problems.reference(
            session, "station_id", PoliceStation, data.station_id, _("police station")
        )
        problems.raise_if_any(_("police room"))
        room = PoliceRoom.model_validate(data)
        _insert(session, ctx, "police_room", room)
        return _room_row(room, station.name)


def _room_row(room: PoliceRoom, station_name: str | None) -> PoliceRoomRow:
    assert room.id is not None
    return PoliceRoomRow(
        room.id, room.code, room.name, room.station_id, station_name or "", room.address, room.phone
    )


def _rooms() -> Any:
    return select(PoliceRoom, PoliceStation.name).join(
        PoliceStation, col(PoliceStation.id) == col(PoliceRoom.station_id)
    )


def list_rooms(ctx: ServiceContext, station_id: int | None = None) -> list[PoliceRoomRow]:
    """Police rooms in code order (a branch has about sixty)."""
    statement = _rooms().order_by(col(PoliceRoom.code))
    if station_id is not None:
        statement = statement.where(col(PoliceRoom.station_id) == station_id)
    with ctx.read() as session:
        return [_room_row(room, station) for room, station in session.exec(statement).all()]


def room(session: Session, room_id: int) -> PoliceRoomRow:
    found = session.exec(_rooms().where(col(PoliceRoom.id) == room_id)).first()
    if found is None:
        raise NotFound(_("no police room with number {id}").format(id=room_id))
    return _room_row(*found)


def get_room(ctx: ServiceContext, room_id: int) -> PoliceRoomRow:
    with ctx.read() as session:
        return room(session, room_id)


def room_by_code(ctx: ServiceContext, code: str) -> PoliceRoomRow:
    with ctx.read() as session:
        found = session.exec(_rooms().where(col(PoliceRoom.code) == code.strip())).first()
        if found is None:
            raise NotFound(_("no police room with code {code}").format(code=code))
        return _room_row(*found)


# --- teams and key units -----------------------------------------------------------------


def create_team(ctx: ServiceContext, data: TeamCreate) -> TeamRow:
    """A patrol or guard team with its members (the leader counts as a member)."""
    ctx.require_write()
    with ctx.transaction() as session:
        problems = Problems()
        if problems.reference(session, "grid_id", Grid, data.grid_id, _("grid")) is not None:
            core_scope.require_grid(session, ctx, data.grid_id)
        problems.reference(session, "leader_id", Staff, data.leader_id, _("staff member"))
        members = list(dict.fromkeys(data.member_ids))
        if data.leader_id is not None and data.leader_id not in members:
            members.insert(0, data.leader_id)
        _check_staff_ids(session, problems, "member_ids", members)
        problems.raise_if_any(_("team"))
        team = Team.model_validate(data)
        _insert(session, ctx, "team", team, {"member_ids": members})
        assert team.id is not None
        for staff_id in members:
            session.add(TeamMember(team_id=team.id, staff_id=staff_id))
        session.flush()
        return _teams(session, col(Team.id) == team.id)[0]


def _check_staff_ids(session: Session, problems: Problems, field: str, ids: list[int]) -> None:
    if not ids:
        return
    found = set(session.exec(select(Staff.id).where(col(Staff.id).in_(ids))).all())
    missing = [str(i) for i in ids if i not in found]
    if missing:
        problems.add(field, _("no staff member with number {id}").format(id=", ".join(missing)))


def _teams(session: Session, condition: Any) -> list[TeamRow]:
    teams = session.exec(
        select(Team, Staff.name)
        .outerjoin(Staff, col(Staff.id) == col(Team.leader_id))
        .where(condition)
        .order_by(col(Team.name), col(Team.id))
    ).all()
    ids = [team.id for team, _leader in teams]
    members: dict[int, list[str]] = {}
    for team_id, name in session.exec(
        select(TeamMember.team_id, Staff.name)
        .join(Staff, col(Staff.id) == col(TeamMember.staff_id))
        .where(col(TeamMember.team_id).in_(ids))
        .order_by(col(Staff.name))
    ).all():
        members.setdefault(team_id, []).append(name)
    return [
        TeamRow(
            id=team.id or 0,
            name=team.name,
            kind=team.kind,
            grid_id=team.grid_id,
            leader_name=leader or "",
            member_names=tuple(members.get(team.id or 0, [])),
        )
        for team, leader in teams
    ]


def teams(session: Session, grid_id: int | None = None) -> list[TeamRow]:
    """Teams of one grid (or all teams: a branch has tens, not thousands)."""
    condition = col(Team.grid_id) == grid_id if grid_id is not None else col(Team.id) > 0
    return _teams(session, condition)


def list_teams(ctx: ServiceContext, grid_id: int | None = None) -> list[TeamRow]:
    """Teams of one grid (or all teams)."""
    with ctx.read() as session:
        return teams(session, grid_id)


def create_key_unit(ctx: ServiceContext, data: KeyUnitCreate) -> KeyUnitRow:
    ctx.require_write()
    with ctx.transaction() as session:
        problems = Problems()
        if problems.reference(session, "grid_id", Grid, data.grid_id, _("grid")) is not None:
            core_scope.require_grid(session, ctx, data.grid_id)
        problems.reference(session, "guard_team_id", Team, data.guard_team_id, _("team"))
        clash = session.exec(
            select(func.count())
            .select_from(KeyUnit)
            .where(col(KeyUnit.grid_id) == data.grid_id, col(KeyUnit.name) == data.name)
        ).one()
        if clash:
            problems.add(
                "name", _("this grid already has a key unit named {name}").format(name=data.name)
            )
        problems.raise_if_any(_("key unit"))
        unit = KeyUnit.model_validate(data)
        _insert(session, ctx, "key_unit", unit)
        return _key_units(session, col(KeyUnit.id) == unit.id)[0]


def _key_units(session: Session, condition: Any) -> list[KeyUnitRow]:
    rows = session.exec(
        select(KeyUnit, Team.name)
        .outerjoin(Team, col(Team.id) == col(KeyUnit.guard_team_id))
        .where(condition)
        .order_by(col(KeyUnit.name), col(KeyUnit.id))
    ).all()
    return [
        KeyUnitRow(
            id=unit.id or 0,
            name=unit.name,
            kind=unit.kind,
            grid_id=unit.grid_id,
            address=unit.address,
            contact=unit.contact,
            phone=unit.phone,
            guard_team_id=unit.guard_team_id,
            guard_team_name=team or "",
        )
        for unit, team in rows
    ]


def key_units(session: Session, grid_id: int | None = None) -> list[KeyUnitRow]:
    """Key units of one grid (or all of them), by name."""
    condition = col(KeyUnit.grid_id) == grid_id if grid_id is not None else col(KeyUnit.id) > 0
    return _key_units(session, condition)


def list_key_units(ctx: ServiceContext, grid_id: int | None = None) -> list[KeyUnitRow]:
    with ctx.read() as session:
        return key_units(session, grid_id)
