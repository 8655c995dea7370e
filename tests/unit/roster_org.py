"""A small police branch for roster tests, written straight into the tables.

Two police rooms of 东关派出所: 东关社区警务室 (desk, night patrol in pairs, a 1-minute tier,
a school guard post) and 西街社区警务室 (desk only). Patterns are created through the
service so that their rules are checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import select

from policeroom.db import Database
from policeroom.models.audit import Role, User
from policeroom.models.org import (
    Branch,
    Grid,
    KeyUnit,
    KeyUnitKind,
    PoliceRoom,
    PoliceStation,
    Staff,
    StaffKind,
)
from policeroom.models.roster import PatternCreate, PostCreate, PostKind
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.duty import patterns
from tests.templates import templated


@dataclass(frozen=True)
class RosterOrg:
    """Ids of what ``build`` made."""

    east: int
    west: int
    staff: dict[str, int]
    desk: int
    night_patrol: int
    tier: int
    guard: int
    west_desk: int
    grid: int


STAFF = [
    ("J001", "张伟", StaffKind.POLICE, "13800000001", "east"),
    ("J002", "王芳", StaffKind.POLICE, "13800000002", "east"),
    ("J003", "李强", StaffKind.POLICE, "13800000003", "east"),
    ("J004", "刘洋", StaffKind.POLICE, "13800000004", "east"),
    ("F001", "陈静", StaffKind.AUXILIARY, "13800000005", "east"),
    ("F002", "杨磊", StaffKind.AUXILIARY, "13800000006", "east"),
    ("Z001", "赵敏", StaffKind.VOLUNTEER, "13800000007", "east"),
    ("J101", "欧阳明", StaffKind.POLICE, "13800000011", "west"),
    ("F101", "孙丽", StaffKind.AUXILIARY, "13800000012", "west"),
]


@templated
def build(database: Database, ctx: ServiceContext, patterns_from: date | None = None) -> RosterOrg:
    """Make the branch; with ``patterns_from`` also the rooms' recurring shifts."""
    with database.transaction() as session:
        branch = Branch(code="FJ", name="新华分局")
        session.add(branch)
        session.flush()
        station = PoliceStation(code="PCS1", name="东关派出所", branch_id=branch.id)
        session.add(station)
        session.flush()
        east = PoliceRoom(
            code="JWS01", name="东关社区警务室", station_id=station.id, phone="0375-1000001"
        )
        west = PoliceRoom(code="JWS02", name="西街社区警务室", station_id=station.id)
        session.add_all([east, west])
        session.flush()
        rooms = {"east": east.id, "west": west.id}
        staff: dict[str, int] = {}
        for code, name, kind, phone, room in STAFF:
            person = Staff(code=code, name=name, kind=kind, phone=phone, police_room_id=rooms[room])
            session.add(person)
            session.flush()
            assert person.id is not None
            staff[name] = person.id
        town = Grid(code="G1", name="东关街道", level=1, path="/1/")
        session.add(town)
        session.flush()
        village = Grid(
            code="G1-01",
            name="东关村",
            level=2,
            parent_id=town.id,
            path=f"/{town.id}/x/",
            police_room_id=east.id,
            officer_id=staff["张伟"],
        )
        session.add(village)
        session.flush()
        school = KeyUnit(name="东关小学", kind=KeyUnitKind.SCHOOL, grid_id=village.id)
        session.add(school)
        session.flush()
        assert east.id and west.id and village.id and school.id
        east_id, west_id, grid_id, school_id = east.id, west.id, village.id, school.id
    desk = patterns.create_post(
        ctx,
        PostCreate(
            code="JWS01-D",
            name="值班台",
            kind=PostKind.DESK,
            police_room_id=east_id,
            needs_police=1,
            needs_auxiliary=1,
        ),
    )
    night = patterns.create_post(
        ctx,
        PostCreate(
            code="JWS01-P",
            name="夜间巡逻",
            kind=PostKind.PATROL,
            police_room_id=east_id,
            grid_id=grid_id,
            needs_police=2,
            pair_required=True,
        ),
    )
    tier = patterns.create_post(
        ctx,
        PostCreate(
            code="JWS01-T1",
            name="1分钟处置",
            kind=PostKind.RESPONSE_TIER,
            police_room_id=east_id,
            tier_minutes=1,
            needs_auxiliary=1,
        ),
    )
    guard = patterns.create_post(
        ctx,
        PostCreate(
            code="JWS01-G",
            name="东关小学护学岗",
            kind=PostKind.GUARD,
            police_room_id=east_id,
            key_unit_id=school_id,
            needs_volunteer=1,
        ),
    )
    west_desk = patterns.create_post(
        ctx,
        PostCreate(
            code="JWS02-D",
            name="值班台",
            kind=PostKind.DESK,
            police_room_id=west_id,
            needs_police=1,
        ),
    )
    org = RosterOrg(
        east_id, west_id, staff, desk.id, night.id, tier.id, guard.id, west_desk.id, grid_id
    )
    if patterns_from is not None:
        add_patterns(ctx, org, patterns_from)
    return org


def add_patterns(ctx: ServiceContext, org: RosterOrg, valid_from: date) -> None:
    """Day desk, MO/WE/FR night patrol in pairs, the tier round the clock, school mornings."""
    s = org.staff
    rules = [
        (org.desk, s["张伟"], "FREQ=DAILY", time(8), 12 * 60),
        (org.desk, s["陈静"], "FREQ=DAILY", time(8), 12 * 60),
        (org.night_patrol, s["李强"], "FREQ=WEEKLY;BYDAY=MO,WE,FR", time(20), 12 * 60),
        (org.night_patrol, s["刘洋"], "FREQ=WEEKLY;BYDAY=MO,WE,FR", time(20), 12 * 60),
        (org.tier, s["杨磊"], "FREQ=DAILY", time(8), 12 * 60),
        (org.tier, s["王芳"], "FREQ=DAILY", time(20), 12 * 60),
        (org.guard, s["赵敏"], "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time(7, 30), 60),
        (org.west_desk, s["欧阳明"], "FREQ=DAILY", time(8), 12 * 60),
    ]
    for post_id, staff_id, rule, starts_at, minutes in rules:
        patterns.create_pattern(
            ctx,
            PatternCreate(
                post_id=post_id,
                staff_id=staff_id,
                rrule=rule,
                starts_at=starts_at,
                duration_minutes=minutes,
                valid_from=valid_from,
            ),
        )


def login_as(db: Database, ctx: ServiceContext, staff_id: int, login: str) -> ServiceContext:
    """``ctx`` acting through the desk login of staff member ``staff_id`` (made if missing):
    a swap is answered only by the person asked, from their own login."""
    with db.transaction() as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        room_id = staff.police_room_id
        user = session.exec(select(User).where(User.login == login)).first()
        if user is None:
            session.add(
                User(login=login, staff_id=staff_id, role=Role.DESK, police_room_id=room_id)
            )
        else:
            room_id = user.police_room_id
    return ctx.as_actor(Actor(login, Role.DESK, room_id))
