"""The three-level grid: parent rules, paths and moves, counts, people, the card."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditLog
from policeroom.models.disputes import Dispute, DisputeCategory, DisputeSource, DisputeStatus
from policeroom.models.org import (
    Grid,
    GridCreate,
    GridUpdate,
    KeyUnitCreate,
    PoliceRoomCreate,
    TeamCreate,
)
from policeroom.models.targets import TargetCreate
from policeroom.services.core import fields
from policeroom.services.core.errors import NotFound, StaleRecord, ValidationError
from policeroom.services.org import grids, targets, tree
from policeroom.services.org import structure as org
from tests.unit.people_world import World, build_world
from tests.unit.sessions import transactions


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


def _paths(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {code: path for code, path in session.execute(select(Grid.code, Grid.path))}


def test_paths_chain_the_ids_from_the_top(world: World) -> None:
    assert world.street.path == f"/{world.street.id}/"
    assert world.village.path == f"/{world.street.id}/{world.village.id}/"
    assert world.group.path == f"/{world.street.id}/{world.village.id}/{world.group.id}/"


@pytest.mark.parametrize(
    ("level", "parent", "message"),
    [
        (1, "street", "a level-1 grid has no parent"),
        (2, None, "a level-2 grid needs a level-1 parent"),
        (3, "street", "the parent of a level-3 grid must be at level 2"),
        (2, "village", "the parent of a level-2 grid must be at level 1"),
        (2, "group", "the parent of a level-2 grid must be at level 1"),
    ],
)
def test_parent_must_be_exactly_one_level_up(
    world: World, level: int, parent: str | None, message: str
) -> None:
    parent_id = getattr(world, parent).id if parent else None
    with pytest.raises(ValidationError) as caught:
        grids.create(
            world.ctx, GridCreate(code="NEW", name="新网格", level=level, parent_id=parent_id)
        )
    assert caught.value.for_field("parent_id")[0].startswith(message)


def test_every_field_typed_wrong_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        fields.parse(
            GridCreate,
            {"code": "X" * 33, "name": "  ", "level": 4, "households": -1, "population": "many"},
        )
    assert {error.field: error.message for error in caught.value.errors} == {
        "code": "at most 32 characters, this has 33",
        "name": "required",
        "level": "a grid is at level 1, 2 or 3",
        "households": "cannot be negative",
        "population": "a whole number is needed",
    }


def test_every_field_the_database_refuses_is_reported_at_once(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        grids.create(
            world.ctx,
            GridCreate(
                code="XH01",  # taken by the street
                name="新网格",
                level=3,
                parent_id=99999,
                leader_id=88888,
            ),
        )
    assert {error.field for error in caught.value.errors} == {"code", "parent_id", "leader_id"}
    assert caught.value.for_field("code") == ["code XH01 is already used"]


def test_an_update_cannot_clear_what_a_grid_needs(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        grids.update(world.ctx, world.group_b.id, GridUpdate(name=None, households=None), 1)
    assert caught.value.for_field("name") == ["required"]
    assert caught.value.for_field("households") == []


def test_duplicate_code_on_update_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        grids.update(world.ctx, world.group_b.id, GridUpdate(code="XH01-01-01"), 1)
    assert caught.value.for_field("code") == ["code XH01-01-01 is already used"]


def test_move_under_own_subgrid_is_a_cycle(world: World, db: Database) -> None:
    before = _paths(db)
    for target in (world.village, world.group):
        with pytest.raises(ValidationError) as caught:
            grids.move(world.ctx, world.village.id, target.id, world.village.version)
        assert "under itself or one of its own sub-grids" in caught.value.for_field("parent_id")[0]
    assert _paths(db) == before


def test_move_to_the_wrong_level_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        grids.move(world.ctx, world.group.id, world.street2.id, world.group.version)
    assert "must be at level 2" in caught.value.for_field("parent_id")[0]
    with pytest.raises(ValidationError):
        grids.move(world.ctx, world.street.id, None, world.street.version)


def test_move_rewrites_the_whole_subtree_path(world: World, db: Database) -> None:
    deep = grids.create(
        world.ctx,
        GridCreate(code="XH01-01-03", name="光明路三组", level=3, parent_id=world.village.id),
    )
    world.resident("张三", deep)
    moved = grids.move(world.ctx, world.village.id, world.street2.id, world.village.version)
    s2, v = world.street2.id, world.village.id
    assert moved.parent_id == s2 and moved.version == world.village.version + 1
    paths = _paths(db)
    assert paths["XH01-01"] == f"/{s2}/{v}/"
    assert paths["XH01-01-01"] == f"/{s2}/{v}/{world.group.id}/"
    assert paths["XH01-01-03"] == f"/{s2}/{v}/{deep.id}/"
    assert paths["XH01"] == f"/{world.street.id}/"  # the old parent is untouched
    assert [n.code for n in grids.children(world.ctx, world.street2.id)] == ["XH01-01", "XH02-01"]
    assert grids.get(world.ctx, world.street2.id).residents == 1
    assert grids.get(world.ctx, world.street.id).residents == 0
    with db.session() as session:
        moved_ids = session.execute(
            select(Grid.id).where(tree.subtree_condition(world.street2.id))
        ).scalars()
        assert sorted(moved_ids) == sorted(
            [s2, world.village2.id, world.group2.id, v, world.group.id, world.group_b.id, deep.id]
        )


def test_stale_move_is_refused(world: World, db: Database) -> None:
    grids.update(world.ctx, world.village.id, GridUpdate(name="光明社区"), world.village.version)
    before = _paths(db)
    with pytest.raises(StaleRecord):
        grids.move(world.ctx, world.village.id, world.street2.id, world.village.version)
    assert _paths(db) == before


def _dispute(db: Database, grid_id: int, number: str, status: DisputeStatus) -> None:
    with db.transaction() as session:
        session.add(
            Dispute(
                number=number,
                category=DisputeCategory.NEIGHBOURS,
                description="邻里纠纷",
                grid_id=grid_id,
                source=DisputeSource.VISIT,
                reported_on=date(2022, 4, 20),
                status=status,
            )
        )


def test_nodes_count_residents_and_open_disputes_in_the_subtree(world: World, db: Database) -> None:
    world.resident("张三")
    world.resident("李四", world.group_b)
    world.resident("王五", world.group2)
    archived = world.resident("赵六")
    from policeroom.services.people import residents

    residents.archive(world.ctx, archived, 1)
    _dispute(db, world.group.id, "2022-001", DisputeStatus.MEDIATING)
    _dispute(db, world.village.id, "2022-002", DisputeStatus.REGISTERED)
    _dispute(db, world.group.id, "2022-003", DisputeStatus.RESOLVED)
    _dispute(db, world.group2.id, "2022-004", DisputeStatus.INVESTIGATING)
    top = {
        n.code: (n.residents, n.open_disputes, n.has_children)
        for n in grids.children(world.ctx, None)
    }
    assert top == {"XH01": (2, 2, True), "XH02": (1, 1, True)}
    groups = {
        n.code: (n.residents, n.open_disputes, n.has_children)
        for n in grids.children(world.ctx, world.village.id)
    }
    assert groups == {"XH01-01-01": (1, 1, False), "XH01-01-02": (1, 0, False)}
    assert grids.get(world.ctx, world.village.id).open_disputes == 2


def test_assign_people_and_audit(world: World, db: Database) -> None:
    node = grids.assign(
        world.ctx,
        world.village.id,
        leader_id=world.worker_id,
        officer_id=world.officer_id,
        administrator_ids=[world.worker_id, world.officer_id],
        expected_version=world.village.version,
    )
    assert (node.leader_name, node.officer_name) == ("李秀兰", "王建国")
    card = grids.card(world.ctx, world.village.id)
    assert sorted(a.name for a in card.administrators) == ["李秀兰", "王建国"]
    with db.session() as session:
        entry = (
            session.execute(
                select(AuditLog).where(AuditLog.table_name == "grid").order_by(AuditLog.id.desc())
            )
            .scalars()
            .first()
        )
    assert entry is not None and entry.record_id == world.village.id
    assert json.loads(entry.after)["officer_id"] == world.officer_id
    with pytest.raises(StaleRecord):
        grids.assign(
            world.ctx,
            world.village.id,
            leader_id=None,
            officer_id=None,
            administrator_ids=[],
            expected_version=world.village.version,
        )


def test_card_gathers_the_grid(world: World) -> None:
    team = org.create_team(
        world.ctx,
        TeamCreate(name="光明路义务巡逻队", grid_id=world.village.id, leader_id=world.worker_id),
    )
    org.create_key_unit(
        world.ctx,
        KeyUnitCreate(name="光明路小学", grid_id=world.village.id, guard_team_id=team.id),
    )
    targets.create(
        world.ctx,
        TargetCreate(
            grid_id=world.village.id,
            period_start=date(2022, 4, 1),
            period_end=date(2022, 6, 30),
            visits=100,
            app_installs=500,
        ),
    )
    with transactions(world.ctx.db) as begun:
        card = grids.card(world.ctx, world.village.id)
    assert len(begun) == 1
    assert [a.name for a in card.ancestors] == ["西市场街道"]
    assert card.police_room is not None and card.police_room.name == "光明路社区警务室"
    assert sorted(s.name for s in card.staff) == ["李秀兰", "王建国"]
    assert [(u.name, u.guard_team_name) for u in card.key_units] == [
        ("光明路小学", "光明路义务巡逻队")
    ]
    assert card.teams[0].member_names == ("李秀兰",)
    assert (card.targets[0].visits_target, card.targets[0].installs_target) == (100, 500)


def test_find_by_code_prefix_or_name(world: World) -> None:
    assert [n.code for n in grids.find(world.ctx, "XH01-01")] == [
        "XH01-01",
        "XH01-01-01",
        "XH01-01-02",
    ]
    assert [n.name for n in grids.find(world.ctx, "曹镇")] == ["曹镇村", "曹镇村三组"]
    assert grids.find(world.ctx, "  ") == []


def test_unknown_grid(world: World) -> None:
    with pytest.raises(NotFound):
        grids.get(world.ctx, 424242)
    with pytest.raises(NotFound):
        grids.children(world.ctx, 424242)


def test_path_ids_read_the_chain_from_the_top() -> None:
    assert tree.path_ids("/3/17/205/") == [3, 17, 205]
    assert tree.path_ids("/3/") == [3]
    assert tree.path_ids("") == []


def test_nodes_carry_their_ancestors(world: World) -> None:
    assert grids.get(world.ctx, world.group.id).ancestor_ids == (world.street.id, world.village.id)
    assert grids.get(world.ctx, world.street.id).ancestor_ids == ()
    under = grids.children(world.ctx, world.village.id)
    assert {n.ancestor_ids for n in under} == {(world.street.id, world.village.id)}


def test_card_of_a_group_counts_each_ancestor_over_its_own_subtree(world: World) -> None:
    world.resident("张三")
    world.resident("王五", world.group2)
    card = grids.card(world.ctx, world.group.id)
    assert [a.id for a in card.ancestors] == [world.street.id, world.village.id]
    assert list(card.ancestors) == [
        grids.get(world.ctx, world.street.id),
        grids.get(world.ctx, world.village.id),
    ]
    assert card.node == grids.get(world.ctx, world.group.id)
    assert [a.residents for a in card.ancestors] == [1, 1] and card.node.residents == 1
    with pytest.raises(NotFound):
        grids.card(world.ctx, 424242)


def test_the_room_of_a_grid_is_its_own_else_the_nearest_above(world: World) -> None:
    assert grids.room_of_grid(world.ctx, world.village.id) == world.room_id
    assert grids.room_of_grid(world.ctx, world.group.id) == world.room_id  # from the village
    assert grids.room_of_grid(world.ctx, world.street.id) is None
    assert grids.room_of_grid(world.ctx, None) is None
    own = org.create_room(
        world.ctx,
        PoliceRoomCreate(
            code="R09",
            name="光明路一组警务点",
            station_id=org.get_room(world.ctx, world.room_id).station_id,
        ),
    )
    grids.update(world.ctx, world.group.id, GridUpdate(police_room_id=own.id), world.group.version)
    assert grids.room_of_grid(world.ctx, world.group.id) == own.id
    with pytest.raises(NotFound):
        grids.room_of_grid(world.ctx, 424242)
    with world.ctx.read() as session:
        assert [g.id for g in tree.lineage(session, world.group.id)] == [
            world.street.id,
            world.village.id,
            world.group.id,
        ]
        assert tree.lineage(session, 424242) == []
