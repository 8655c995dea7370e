"""Staff, stations, police rooms, teams and key units."""

from __future__ import annotations

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.org import (
    KeyUnitCreate,
    KeyUnitKind,
    PoliceRoomCreate,
    StaffCreate,
    StaffKind,
    StaffUpdate,
    TeamCreate,
    TeamKind,
)
from policeroom.services.core import fields
from policeroom.services.core.errors import NotFound, StaleRecord, ValidationError
from policeroom.services.org import staff
from policeroom.services.org import structure as org
from tests.unit.people_world import World, build_world


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


def test_create_normalises_phone_and_lists_by_room_kind_and_text(world: World) -> None:
    created = staff.create(
        world.ctx,
        StaffCreate(
            code="A017",
            name="赵志刚",
            kind=StaffKind.AUXILIARY,
            phone="+86 139-3751-1003",
            police_room_id=world.room_id,
            committee_post="村委委员",
        ),
    )
    assert created.phone == "13937511003"
    assert created.police_room_name == "光明路社区警务室"
    names = [row.name for row in staff.list_staff(world.ctx, police_room_id=world.room_id)]
    assert sorted(names) == sorted(["王建国", "李秀兰", "赵志刚"])
    assert [r.code for r in staff.list_staff(world.ctx, kind=StaffKind.AUXILIARY)] == ["A017"]
    assert [r.code for r in staff.list_staff(world.ctx, text="志")] == ["A017"]
    assert [r.code for r in staff.list_staff(world.ctx, text="P0")] == ["P001"]
    assert staff.get_by_code(world.ctx, "A017").id == created.id


def test_landline_is_a_valid_staff_phone(world: World) -> None:
    row = staff.create(world.ctx, StaffCreate(code="D1", name="值班室", phone="0375-2961234"))
    assert row.phone == "03752961234"


def test_bad_phone_and_long_name_reported_together() -> None:
    with pytest.raises(ValidationError) as caught:
        fields.parse(StaffCreate, {"code": "P009", "name": "王" * 51, "phone": "12345"})
    assert {e.field for e in caught.value.errors} == {"name", "phone"}


def test_duplicate_code_and_unknown_room_reported_together(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        staff.create(world.ctx, StaffCreate(code="P001", name="王二", police_room_id=777))
    assert {e.field for e in caught.value.errors} == {"code", "police_room_id"}


def test_an_update_cannot_clear_a_name_but_may_clear_a_post(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        staff.update(world.ctx, world.officer_id, StaffUpdate(name=None, committee_post=None), 1)
    assert {e.field: e.message for e in caught.value.errors} == {"name": "required"}
    row = staff.update(world.ctx, world.officer_id, StaffUpdate(committee_post=None), 1)
    assert row.version == 2


def test_update_and_stale_update(world: World) -> None:
    row = staff.update(world.ctx, world.officer_id, StaffUpdate(phone="13937519999"), 1)
    assert (row.phone, row.version) == ("13937519999", 2)
    with pytest.raises(StaleRecord):
        staff.update(world.ctx, world.officer_id, StaffUpdate(name="王建"), 1)
    assert staff.get(world.ctx, world.officer_id).name == "王建国"
    with pytest.raises(NotFound):
        staff.get(world.ctx, 9999)


def test_rooms_need_a_station_and_unique_code(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        fields.parse(PoliceRoomCreate, {"code": "R02", "name": "新", "station_id": None})
    assert {e.field: e.message for e in caught.value.errors} == {"station_id": "required"}
    with pytest.raises(ValidationError) as caught:
        org.create_room(world.ctx, PoliceRoomCreate(code="R01", name="重复", station_id=999))
    assert {e.field for e in caught.value.errors} == {"code", "station_id"}
    assert [r.code for r in org.list_rooms(world.ctx)] == ["R01"]
    assert org.room_by_code(world.ctx, "R01").station_name == "西市场派出所"


def test_team_with_members_and_key_unit_with_guard_team(world: World) -> None:
    team = org.create_team(
        world.ctx,
        TeamCreate(
            name="光明小学护校队",
            kind=TeamKind.SCHOOL_GUARD,
            grid_id=world.village.id,
            leader_id=world.officer_id,
            member_ids=[world.worker_id],
        ),
    )
    assert team.leader_name == "王建国"
    assert sorted(team.member_names) == ["李秀兰", "王建国"]
    unit = org.create_key_unit(
        world.ctx,
        KeyUnitCreate(
            name="光明路小学",
            kind=KeyUnitKind.SCHOOL,
            grid_id=world.village.id,
            phone="0375-2961111",
            guard_team_id=team.id,
        ),
    )
    assert unit.guard_team_name == "光明小学护校队"
    with pytest.raises(ValidationError) as caught:
        org.create_key_unit(world.ctx, KeyUnitCreate(name="光明路小学", grid_id=world.village.id))
    assert caught.value.for_field("name")
    with pytest.raises(ValidationError) as caught:
        org.create_team(world.ctx, TeamCreate(name="巡逻队", member_ids=[4040]))
    assert caught.value.for_field("member_ids") == ["no staff member with number 4040"]


def test_staff_are_found_as_residents_are(world: World) -> None:
    """Issue 13 (6): pinyin, initials, name pieces and phone tails, as in the residents pane."""
    staff.create(
        world.ctx,
        StaffCreate(code="P118", name="孔海涛", phone="13937518812", police_room_id=world.room_id),
    )

    def codes(text: str) -> list[str]:
        return [row.code for row in staff.list_staff(world.ctx, text=text)]

    for typed in ("kht", "KHT", "konghaitao", "konghai", "kong", "海涛", "孔海涛", "8812", "P11"):
        assert codes(typed) == ["P118"], typed
    assert codes("khx") == []
    # the room and kind filters still hold for a pinyin search
    assert staff.list_staff(world.ctx, police_room_id=world.room_id + 999, text="kht") == []
