"""Organisation: branch, stations, police rooms, the three-level grid, staff, teams, units."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from policeroom.i18n import N_
from policeroom.labels import register
from policeroom.models.base import Tracked, enum_type, ordered_key


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


class Branch(Tracked, table=True):
    """A public security branch bureau (分局)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)


class PoliceStation(Tracked, table=True):
    """A police station (派出所) of the branch."""

    __tablename__ = "police_station"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    branch_id: int = Field(foreign_key="branch.id", index=True)
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=32)


class PoliceRoom(Tracked, table=True):
    """A community police room (社区警务室), one per village or community."""

    __tablename__ = "police_room"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    station_id: int = Field(foreign_key="police_station.id", index=True)
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=32)


class Staff(Tracked, table=True):
    """Police, auxiliary police, grid workers and volunteer activists."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, description="badge or staff number")
    name: str = Field(max_length=50, index=True)
    kind: StaffKind = Field(sa_type=enum_type(StaffKind))
    phone: str = Field(default="", max_length=20)
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id", index=True)
    committee_post: str = Field(default="", max_length=50, description="村两委 post")
    active: bool = Field(default=True)


class Grid(Tracked, table=True):
    """A cell of the three-level grid (网格): street/town, village/community, group/block.

    ``path`` is the chain of ids from the root (``/3/17/205/``); a subtree is the range of
    paths starting with a grid's own path, which an index answers without recursion.
    """

    __table_args__ = (Index("ix_grid_parent_name", "parent_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    level: int = Field(ge=1, le=3)
    parent_id: int | None = Field(default=None, foreign_key="grid.id")
    path: str = Field(default="", sa_type=ordered_key(200), index=True)
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id", index=True)
    households: int = Field(default=0, ge=0)
    population: int = Field(default=0, ge=0)
    leader_id: int | None = Field(default=None, foreign_key="staff.id")
    officer_id: int | None = Field(
        default=None, foreign_key="staff.id", description="responsible officer (一村一警)"
    )
    archived: bool = Field(default=False)


class GridAdministrator(SQLModel, table=True):
    """A grid administrator (网格员) of one grid."""

    __tablename__ = "grid_administrator"

    grid_id: int = Field(foreign_key="grid.id", primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", primary_key=True, index=True)


class Team(Tracked, table=True):
    """Volunteer patrol teams and guard teams of key units."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    kind: TeamKind = Field(sa_type=enum_type(TeamKind))
    grid_id: int | None = Field(default=None, foreign_key="grid.id", index=True)
    leader_id: int | None = Field(default=None, foreign_key="staff.id")


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"

    team_id: int = Field(foreign_key="team.id", primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", primary_key=True, index=True)


class KeyUnit(Tracked, table=True):
    """Schools, hospitals and enterprises that keep their own guard (重点单位)."""

    __tablename__ = "key_unit"
    __table_args__ = (UniqueConstraint("grid_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    kind: KeyUnitKind = Field(sa_type=enum_type(KeyUnitKind))
    grid_id: int = Field(foreign_key="grid.id", index=True)
    address: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=50)
    phone: str = Field(default="", max_length=20)
    guard_team_id: int | None = Field(default=None, foreign_key="team.id")


# --- input schemas ----------------------------------------------------------------------
# Plain containers: the services check every field and report all problems at once, so the
# types here are lenient (a form may send an empty code; the service names it). ``*Update``
# schemas change only the fields that were set (``model_fields_set``), so None can clear.


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BranchCreate(_Input):
    code: str = ""
    name: str = ""


class StationCreate(_Input):
    code: str = ""
    name: str = ""
    branch_id: int | None = None
    address: str = ""
    phone: str = ""


class PoliceRoomCreate(_Input):
    code: str = ""
    name: str = ""
    station_id: int | None = None
    address: str = ""
    phone: str = ""


class StaffCreate(_Input):
    code: str = ""
    name: str = ""
    kind: StaffKind = StaffKind.POLICE
    phone: str = ""
    police_room_id: int | None = None
    committee_post: str = ""
    active: bool = True


class StaffUpdate(_Input):
    code: str | None = None
    name: str | None = None
    kind: StaffKind | None = None
    phone: str | None = None
    police_room_id: int | None = None
    committee_post: str | None = None
    active: bool | None = None


class GridCreate(_Input):
    """A new grid; ``parent_id`` is None exactly at level 1."""

    code: str = ""
    name: str = ""
    level: int = 3
    parent_id: int | None = None
    police_room_id: int | None = None
    households: int = 0
    population: int = 0
    leader_id: int | None = None
    officer_id: int | None = None
    administrator_ids: list[int] = []


class GridUpdate(_Input):
    """Plain fields of a grid; the parent changes through ``move``, people through ``assign``."""

    code: str | None = None
    name: str | None = None
    police_room_id: int | None = None
    households: int | None = None
    population: int | None = None


class TeamCreate(_Input):
    name: str = ""
    kind: TeamKind = TeamKind.VOLUNTEER_PATROL
    grid_id: int | None = None
    leader_id: int | None = None
    member_ids: list[int] = []


class KeyUnitCreate(_Input):
    name: str = ""
    kind: KeyUnitKind = KeyUnitKind.SCHOOL
    grid_id: int | None = None
    address: str = ""
    contact: str = ""
    phone: str = ""
    guard_team_id: int | None = None
