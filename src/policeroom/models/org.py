"""Organisation: branch, stations, police rooms, the three-level grid, staff, teams, units."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from policeroom.i18n import N_
from policeroom.labels import register
from policeroom.models.base import (
    Address,
    Code,
    Count,
    PersonName,
    Phone,
    PhoneForm,
    Rules,
    Text32,
    Text50,
    Title,
    Tracked,
    enum_type,
    ordered_key,
    ranged,
)


class StaffKind(StrEnum):
    POLICE = "police"
    AUXILIARY = "auxiliary"
    GRID_WORKER = "grid_worker"
    VOLUNTEER = "volunteer"


register(
    StaffKind,
    {
        StaffKind.POLICE: N_("police officer"),
        StaffKind.AUXILIARY: N_("auxiliary police"),
        StaffKind.GRID_WORKER: N_("grid worker"),
        StaffKind.VOLUNTEER: N_("volunteer"),
    },
    # A gap in a roster cell ("pol 1"); the needs of a post count police, auxiliary police
    # and volunteers, so a grid worker never appears there.
    short={
        StaffKind.POLICE: N_("pol"),
        StaffKind.AUXILIARY: N_("aux"),
        StaffKind.VOLUNTEER: N_("vol"),
    },
)


class TeamKind(StrEnum):
    VOLUNTEER_PATROL = "volunteer_patrol"
    SCHOOL_GUARD = "school_guard"
    HOSPITAL_GUARD = "hospital_guard"
    FACTORY_GUARD = "factory_guard"
    OTHER = "other"


register(
    TeamKind,
    {
        TeamKind.VOLUNTEER_PATROL: N_("volunteer patrol"),
        TeamKind.SCHOOL_GUARD: N_("school guard"),
        TeamKind.HOSPITAL_GUARD: N_("hospital guard"),
        TeamKind.FACTORY_GUARD: N_("factory guard"),
        TeamKind.OTHER: N_("other team"),
    },
)


class KeyUnitKind(StrEnum):
    SCHOOL = "school"
    HOSPITAL = "hospital"
    ENTERPRISE = "enterprise"
    MARKET = "market"
    OTHER = "other"


register(
    KeyUnitKind,
    {
        KeyUnitKind.SCHOOL: N_("school"),
        KeyUnitKind.HOSPITAL: N_("hospital"),
        KeyUnitKind.ENTERPRISE: N_("enterprise"),
        KeyUnitKind.MARKET: N_("market"),
        KeyUnitKind.OTHER: N_("other unit"),
    },
)


GridLevel = Annotated[int, ranged(1, 3, N_("a grid is at level 1, 2 or 3"))]
OfficePhone = Annotated[Text32, PhoneForm]
"""The phone of a station or a police room."""

# Each table's fields that people type sit on a ``…Base`` that the table and its ``…Create``
# schema share, so a rule (a length, a required field, a count that cannot be negative) is
# written once. ``…Update`` schemas change only the fields that were set
# (``model_fields_set``); each field takes the same rule, or None.


class BranchBase(Rules):
    code: Code = Field(unique=True)
    name: Title


class Branch(BranchBase, Tracked, table=True):
    """A public security branch bureau (分局)."""

    id: int | None = Field(default=None, primary_key=True)


class BranchCreate(BranchBase):
    pass


class StationBase(Rules):
    code: Code = Field(unique=True)
    name: Title
    branch_id: int = Field(foreign_key="branch.id", index=True)
    address: Address = ""
    phone: OfficePhone = ""


class PoliceStation(StationBase, Tracked, table=True):
    """A police station (派出所) of the branch."""

    __tablename__ = "police_station"

    id: int | None = Field(default=None, primary_key=True)


class StationCreate(StationBase):
    pass


class PoliceRoomBase(Rules):
    code: Code = Field(unique=True)
    name: Title
    station_id: int = Field(foreign_key="police_station.id", index=True)
    address: Address = ""
    phone: OfficePhone = ""


class PoliceRoom(PoliceRoomBase, Tracked, table=True):
    """A community police room (社区警务室), one per village or community."""

    __tablename__ = "police_room"

    id: int | None = Field(default=None, primary_key=True)


class PoliceRoomCreate(PoliceRoomBase):
    pass


class StaffBase(Rules):
    code: Code = Field(unique=True, description="badge or staff number")
    name: PersonName = Field(index=True)
    kind: StaffKind = Field(default=StaffKind.POLICE, sa_type=enum_type(StaffKind))
    phone: Phone = ""
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id", index=True)
    committee_post: Text50 = Field(default="", description="村两委 post")
    active: bool = Field(default=True)


class Staff(StaffBase, Tracked, table=True):
    """Police, auxiliary police, grid workers and volunteer activists."""

    id: int | None = Field(default=None, primary_key=True)


class StaffCreate(StaffBase):
    pass


class StaffUpdate(Rules):
    code: Code | None = None
    name: PersonName | None = None
    kind: StaffKind | None = None
    phone: Phone | None = None
    police_room_id: int | None = None
    committee_post: Text50 | None = None
    active: bool | None = None


class GridBase(Rules):
    code: Code = Field(unique=True)
    name: Title
    level: GridLevel = 3
    parent_id: int | None = Field(default=None, foreign_key="grid.id")
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id", index=True)
    households: Count = 0
    population: Count = 0
    leader_id: int | None = Field(default=None, foreign_key="staff.id")
    officer_id: int | None = Field(
        default=None, foreign_key="staff.id", description="responsible officer (一村一警)"
    )


class Grid(GridBase, Tracked, table=True):
    """A cell of the three-level grid (网格): street/town, village/community, group/block.

    ``path`` is the chain of ids from the root (``/3/17/205/``); a subtree is the range of
    paths starting with a grid's own path, which an index answers without recursion.
    """

    __table_args__ = (Index("ix_grid_parent_name", "parent_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(default="", sa_type=ordered_key(200), index=True)
    archived: bool = Field(default=False)


class GridCreate(GridBase):
    """A new grid; ``parent_id`` is None exactly at level 1."""

    administrator_ids: list[int] = []


class GridUpdate(Rules):
    """Plain fields of a grid; the parent changes through ``move``, people through ``assign``."""

    code: Code | None = None
    name: Title | None = None
    police_room_id: int | None = None
    households: Count | None = None
    population: Count | None = None


class GridAdministrator(SQLModel, table=True):
    """A grid administrator (网格员) of one grid."""

    __tablename__ = "grid_administrator"

    grid_id: int = Field(foreign_key="grid.id", primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", primary_key=True, index=True)


class TeamBase(Rules):
    name: Title
    kind: TeamKind = Field(default=TeamKind.VOLUNTEER_PATROL, sa_type=enum_type(TeamKind))
    grid_id: int | None = Field(default=None, foreign_key="grid.id", index=True)
    leader_id: int | None = Field(default=None, foreign_key="staff.id")


class Team(TeamBase, Tracked, table=True):
    """Volunteer patrol teams and guard teams of key units."""

    id: int | None = Field(default=None, primary_key=True)


class TeamCreate(TeamBase):
    member_ids: list[int] = []


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"

    team_id: int = Field(foreign_key="team.id", primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", primary_key=True, index=True)


class KeyUnitBase(Rules):
    name: Title
    kind: KeyUnitKind = Field(default=KeyUnitKind.SCHOOL, sa_type=enum_type(KeyUnitKind))
    grid_id: int = Field(foreign_key="grid.id", index=True)
    address: Address = ""
    contact: Text50 = ""
    phone: Phone = ""
    guard_team_id: int | None = Field(default=None, foreign_key="team.id")


class KeyUnit(KeyUnitBase, Tracked, table=True):
    """Schools, hospitals and enterprises that keep their own guard (重点单位)."""

    __tablename__ = "key_unit"
    __table_args__ = (UniqueConstraint("grid_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)


class KeyUnitCreate(KeyUnitBase):
    pass
