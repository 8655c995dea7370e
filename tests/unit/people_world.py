"""A small branch for the people and grid tests: one room, two streets, villages, groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.org import (
    BranchCreate,
    GridCreate,
    PoliceRoomCreate,
    StaffCreate,
    StaffKind,
    StationCreate,
)
from policeroom.models.people import ResidentCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids, staff
from policeroom.services.org import structure as org
from policeroom.services.people import residents
from tests.templates import templated


def make_id(birth: date, sequence: int = 1, region: str = "410402") -> str:
    """A valid 18-character ID number (checksum computed)."""
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


@dataclass
class World:
    ctx: ServiceContext
    room_id: int
    officer_id: int
    worker_id: int
    street: grids.GridNode
    village: grids.GridNode
    group: grids.GridNode
    group_b: grids.GridNode
    street2: grids.GridNode
    village2: grids.GridNode
    group2: grids.GridNode

    def resident(self, name: str, grid: grids.GridNode | None = None, **fields: object) -> int:
        data = ResidentCreate(name=name, grid_id=(grid or self.group).id, **fields)  # type: ignore[arg-type]
        return residents.create(self.ctx, data).id


@templated
def build_world(db: Database, clock: Clock) -> World:
    ctx = ServiceContext(db, clock=clock)
    branch = org.create_branch(ctx, BranchCreate(code="B01", name="平顶山市公安局新华分局"))
    station = org.create_station(
        ctx, StationCreate(code="S01", name="西市场派出所", branch_id=branch.id)
    )
    room = org.create_room(
        ctx, PoliceRoomCreate(code="R01", name="光明路社区警务室", station_id=station.id)
    )
    officer = staff.create(
        ctx,
        StaffCreate(
            code="P001",
            name="王建国",
            kind=StaffKind.POLICE,
            phone="13937511001",
            police_room_id=room.id,
        ),
    )
    worker = staff.create(
        ctx,
        StaffCreate(
            code="G001",
            name="李秀兰",
            kind=StaffKind.GRID_WORKER,
            phone="13937511002",
            police_room_id=room.id,
        ),
    )
    street = grids.create(ctx, GridCreate(code="XH01", name="西市场街道", level=1))
    village = grids.create(
        ctx,
        GridCreate(
            code="XH01-01", name="光明路社区", level=2, parent_id=street.id, police_room_id=room.id
        ),
    )
    group = grids.create(
        ctx, GridCreate(code="XH01-01-01", name="光明路一组", level=3, parent_id=village.id)
    )
    group_b = grids.create(
        ctx, GridCreate(code="XH01-01-02", name="光明路二组", level=3, parent_id=village.id)
    )
    street2 = grids.create(ctx, GridCreate(code="XH02", name="矿工路街道", level=1))
    village2 = grids.create(
        ctx, GridCreate(code="XH02-01", name="曹镇村", level=2, parent_id=street2.id)
    )
    group2 = grids.create(
        ctx, GridCreate(code="XH02-01-01", name="曹镇村三组", level=3, parent_id=village2.id)
    )
    return World(
        ctx,
        room.id,
        officer.id,
        worker.id,
        street,
        village,
        group,
        group_b,
        street2,
        village2,
        group2,
    )
